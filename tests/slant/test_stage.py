"""The slant stage: body sections only, scores in [0, 1], a corrupt model is a coded error and the pipeline goes on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fogwatch.errors import ModelError
from fogwatch.learn.ngram import models_dir
from fogwatch.pipeline import Pipeline
from fogwatch.records import Document, Section
from fogwatch.slant.model import TECHNIQUES
from fogwatch.slant.tagger import load_slant_tagger

SPIN = (
    "Forces of the brutal regime and their puppets were bombing schools, hospitals and markets, as usual. "
    "The so-called peaceful protesters are nothing but a gang of thugs, the most disgusting traitors of the nation! "
    "Regretfully, our heroic soldiers accidentally destroyed the entire village."
)


@pytest.fixture(scope="module")
def nlp() -> Pipeline:
    return Pipeline(["sections", "sentences", "slant"])


def test_spin_in_the_body_gets_slant_spans_inside_body_sections(nlp):
    doc = nlp(Document(doc_id="x", text=SPIN))
    assert doc.slant and not doc.errors
    body = [s for s in doc.sections if s.kind == "body"]
    for span in doc.slant:
        assert any(b.start <= span.start and span.end <= b.end for b in body)
        assert 0.0 <= span.score <= 1.0
        assert span.technique in TECHNIQUES
        assert doc.text[span.start : span.end].strip() == doc.text[span.start : span.end]


def test_no_body_no_slant(nlp):
    # a title only, and comments only: no body section, so no slant
    only_comments = Document(doc_id="c", text=SPIN, hints=(Section(0, len(SPIN), "comments", "test hint"),))
    for doc in (Document(doc_id="t", text=""), only_comments):
        out = nlp(doc)
        assert out.slant == ()
        assert not any(e.code.startswith("E71") for e in out.errors)


def test_spin_in_reader_comments_is_not_slant(nlp):
    text = "Rebels shelled the town on Monday, a monitor said.\n\n12 Comments\n\n" + SPIN
    doc = nlp(Document(doc_id="x", text=text))
    comments = [s for s in doc.sections if s.kind == "comments"]
    assert comments
    assert all(not c.span.overlaps(__import__("fogwatch.records", fromlist=["Span"]).Span(s.start, s.end)) for c in comments for s in doc.slant)


@pytest.fixture()
def corrupt_model(tmp_path: Path) -> Path:
    folder = tmp_path / "slant"
    shutil.copytree(models_dir() / "slant", folder)
    data = bytearray((folder / "crf.npz").read_bytes())
    data[100:120] = b"\x00" * 20
    (folder / "crf.npz").write_bytes(bytes(data))
    return folder


def test_corrupt_model_file_is_e711_and_the_pipeline_goes_on(corrupt_model):
    with pytest.raises(ModelError) as err:
        load_slant_tagger(corrupt_model)
    assert "E711" in str(err.value)
    nlp = Pipeline(["sections", "sentences", "places", "events", "slant"], settings={"slant": {"model_dir": str(corrupt_model)}})
    doc = nlp(Document(doc_id="x", text="Government airstrikes killed 12 civilians in Saraqib on Monday. " + SPIN, ))
    assert doc.slant == ()
    assert [e.code for e in doc.errors] == ["E711"] and doc.errors[0].stage == "slant"
    assert doc.events  # the stages before it ran as usual


def test_missing_model_is_e710(tmp_path):
    with pytest.raises(ModelError) as err:
        load_slant_tagger(tmp_path / "nothing-here")
    assert "E710" in str(err.value)


def test_slant_never_changes_a_figure():
    text = "Government airstrikes killed 12 civilians in Saraqib on Monday, the deceitful regime's media denied it. " + SPIN
    with_slant = Pipeline(["sections", "sentences", "places", "events", "slant"])(Document(doc_id="x", text=text))
    without = Pipeline(["sections", "sentences", "places", "events"])(Document(doc_id="x", text=text))
    assert with_slant.events == without.events and with_slant.places == without.places


def test_cue_rules_add_spans_where_the_model_found_none():
    from fogwatch.slant.tagger import default_tagger

    tagger = default_tagger()
    assert not isinstance(tagger, ModelError)
    text = "Officials met on Monday. They spoke with the self-styled governing council of the town."
    spans = tagger.rule_spans(text, [(0, 24), (25, len(text))])
    (span,) = spans
    assert text[span.start : span.end] == "self-styled governing council"  # the label and up to two words after it
    assert span.technique == "Name_Calling,Labeling" and "denying-label" in span.reason


def _reference_spans(tagger, text, sentences):
    """The tagger's model spans computed the plain way: sentence by sentence, the head scanning every feature name."""
    import numpy as np

    from fogwatch.slant.features import ArticleStats, span_features, token_features
    from fogwatch.slant.tagger import bio_spans
    from fogwatch.slant.tokens import tokenize

    toks = [tokenize(text, s, e) for s, e in sentences]
    stats = ArticleStats.of([[t.lower for t in ts] for ts in toks])
    out = []
    for sent, ts in zip(sentences, toks):
        if not ts:
            continue
        em = tagger.crf.emissions(token_features(ts, tagger.cues, stats))
        path = [tagger.crf.labels[k] for k in tagger.crf.viterbi(em)]
        marg = tagger.crf.marginals(em)
        for i, j in bio_spans(path):
            s, e = ts[i].start, ts[j - 1].end
            prob = float(np.clip(1.0 - marg[i:j, tagger.crf.labels.index("O")].mean(), 0.0, 1.0))
            proba = tagger.head.predict_proba(text[s:e], span_features(text, s, e, sent, tagger.cues, text.lower()))
            technique, p = max(proba.items(), key=lambda kv: kv[1])
            out.append((s, e, technique, float(np.clip(prob * p, 0.0, 1.0))))
    return out


def test_batched_tagger_equals_the_sentence_by_sentence_reference(nlp):
    """The stage tags a document's sentences in one batch; same spans, same scores as sentence by sentence."""
    tagger = load_slant_tagger()
    text = SPIN + "\n\n" + SPIN.replace("brutal", "barbaric").upper() + " Officials said the talks would resume on Monday."
    doc = Pipeline(["sections", "sentences"])(Document(doc_id="x", text=text))
    sentences = [(s.start, s.end) for s in doc.sentences]
    model = [(s.start, s.end, s.technique, s.score) for s in tagger(text, sentences) if not s.reason.startswith("cue rule")]
    assert model and model == _reference_spans(tagger, text, sentences)
