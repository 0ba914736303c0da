"""What both second taggers' tests check: spans in the body only, and the CRF alone when their artefact is bad."""

from __future__ import annotations

from fogwatch.pipeline import Pipeline
from fogwatch.records import Document
from fogwatch.slant.model import TECHNIQUES
from fogwatch.slant.tagger import load_slant_tagger

from .test_stage import SPIN


def assert_the_crf_tags_alone(slant_settings: dict, code: str) -> None:
    """Two documents through a pipeline with ``slant_settings``: each gets the CRF's own spans and the coded error
    ``code`` (the batch goes on)."""
    nlp = Pipeline(["sections", "sentences", "slant"], settings={"slant": slant_settings})
    crf_alone = load_slant_tagger()
    for doc in (nlp(Document(doc_id=str(k), text=SPIN)) for k in range(2)):
        assert [e.code for e in doc.errors] == [code] and doc.errors[0].stage == "slant"
        body = [(s.start, s.end) for s in doc.sentences if s.section == "body"]
        assert doc.slant and doc.slant == tuple(crf_alone(doc.text, body))


def body_only_document(slant_settings: dict) -> Document:
    """SPIN in a body and again in reader comments, through a pipeline with ``slant_settings``: the document, after
    checking that it has spans, no error, and every span inside a body section with a score in [0, 1]."""
    nlp = Pipeline(["sections", "sentences", "slant"], settings={"slant": slant_settings} if slant_settings else None)
    text = "Rebels shelled the town on Monday, a monitor said. " + SPIN + "\n\n12 Comments\n\n" + SPIN
    doc = nlp(Document(doc_id="x", text=text))
    assert doc.slant and not doc.errors
    body = [s for s in doc.sections if s.kind == "body"]
    for span in doc.slant:
        assert any(b.start <= span.start and span.end <= b.end for b in body)
        assert 0.0 <= span.score <= 1.0 and span.technique in TECHNIQUES
    return doc
