"""What both second taggers' tests check when their artefact is bad: the stage tags with the CRF alone."""

from __future__ import annotations

from fogwatch.pipeline import Pipeline
from fogwatch.records import Document
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
