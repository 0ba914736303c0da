"""The contextual slant tagger (models/slant_encoder): it loads offline, a bad artefact is a coded error (E713/E714)
and the stage falls back to the CRF alone, its spans lie inside body sections with scores in [0, 1].

The packaged artefact (a 15 MB fine-tuned MiniLM) is not shipped: the cascade runs here on a tiny but real artefact
built by ``tiny_contextual`` (the ``contextual_dir`` fixture) (an ONNX graph that tags a few known word-pieces), so nothing is skipped."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from fogwatch.errors import ModelError
from fogwatch.learn.encoder import GRAPH
from fogwatch.learn.ngram import models_dir
from fogwatch.pipeline import Pipeline
from fogwatch.records import Document, Section
from fogwatch.slant.contextual import FORMAT, LABELS, decode, load_contextual_tagger, word_probabilities
from fogwatch.slant.tagger import stage_tagger
from fogwatch.slant.tokens import tokenize

from .tiny_contextual import EXPECTED
from .fallback import assert_the_crf_tags_alone, body_only_document
from .test_stage import SPIN

PACKAGED = models_dir() / "slant_encoder"


def test_decode_runs_and_b_starts():
    inside = np.array([0.1, 0.8, 0.9, 0.7, 0.2, 0.6, 0.9])
    begins = np.array([False, True, False, True, False, True, False])
    assert decode(inside, begins, 0.5) == [(1, 3), (3, 4), (5, 7)]
    assert decode(inside, begins, 0.95) == []


def test_word_probabilities_average_sub_tokens_and_skip_special_ones():
    text = "xx The unbelievable lies."
    ts = tokenize(text, 3, len(text))
    # sub-tokens of the sentence "The unbelievable lies.": [CLS] the un ##believable lies . [SEP]
    offsets = np.array([[0, 0], [0, 3], [4, 6], [6, 16], [17, 21], [21, 22], [0, 0]])
    probs = np.array([[1, 0, 0], [0.9, 0.1, 0], [0.2, 0.7, 0.1], [0.4, 0.1, 0.5], [0.1, 0, 0.9], [1, 0, 0], [0, 1, 0]], dtype=float)
    inside, begins = word_probabilities(ts, 3, offsets, probs)
    assert np.allclose(inside, [0.1, 0.7, 0.9, 0.0])
    assert begins.tolist() == [False, True, False, False]


@pytest.fixture(scope="module")
def contextual(contextual_dir):
    return load_contextual_tagger(contextual_dir)


def test_a_contextual_artefact_loads_offline(monkeypatch, contextual_dir):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # nothing is fetched: the graph and tokenizer are in the folder
    contextual = load_contextual_tagger(contextual_dir)
    assert contextual.meta["format"] == FORMAT and tuple(contextual.meta["labels"]) == LABELS
    assert 0.0 < contextual.threshold < 1.0 and contextual.combine == "cascade"
    (offsets, probs), = contextual.sub_tokens(["The so-called peaceful protesters are nothing but a gang of thugs."])
    assert probs.shape == (len(offsets), 3) and np.allclose(probs.sum(axis=1), 1.0)
    assert contextual.sub_tokens([]) == []


def test_the_packaged_choice_loads_or_is_E713_never_corrupt():
    """models/slant_encoder is not packaged by default: loading it is then E713 (missing), and a pipeline with the
    cascade on falls back to the CRF; where the artefact is present it must load."""
    if (PACKAGED / GRAPH).is_file():
        tagger = load_contextual_tagger()
        assert tagger.meta["format"] == FORMAT and tuple(tagger.meta["labels"]) == LABELS
    else:
        with pytest.raises(ModelError) as err:
            load_contextual_tagger()
        assert "E713" in str(err.value)


def test_the_tiny_graph_tags_the_word_pieces_it_favours(contextual):
    text = "Our heroic soldiers fought the brutal regime."
    ts = tokenize(text, 0, len(text))
    (spans,) = contextual.spans(text, [((0, len(text)), ts)])
    assert [text[ts[i].start : ts[j - 1].end] for i, j, _ in spans] == ["heroic soldiers", "brutal regime"]
    assert all(0.9 < p <= 1.0 for _, _, p in spans)


def test_the_cascade_spans_lie_in_body_sections_with_scores_in_0_1(contextual_dir):
    doc = body_only_document({"contextual_dir": str(contextual_dir)})
    assert any("contextual" in s.reason for s in doc.slant)
    # the contextual spans are the tiny graph's (never the comments' copy of SPIN: checked above)
    assert {doc.text[s.start : s.end] for s in doc.slant if "contextual" in s.reason} <= EXPECTED


def test_the_cascade_replaces_the_crfs_spans_in_candidate_sentences(contextual_dir):
    crf_alone = Pipeline(["sections", "sentences", "slant"], settings={"slant": {"contextual": False, "static": False}})(Document(doc_id="s", text=SPIN))
    cascade = Pipeline(["sections", "sentences", "slant"], settings={"slant": {"contextual_dir": str(contextual_dir)}})(Document(doc_id="s", text=SPIN))
    assert not cascade.errors and cascade.slant != crf_alone.slant
    assert not any("contextual" in s.reason for s in crf_alone.slant)
    assert {SPIN[s.start : s.end] for s in cascade.slant if "contextual" in s.reason} == EXPECTED


def test_no_body_no_slant_with_the_cascade(contextual_dir):
    nlp = Pipeline(["sections", "sentences", "slant"], settings={"slant": {"contextual_dir": str(contextual_dir)}})
    only_comments = Document(doc_id="c", text=SPIN, hints=(Section(0, len(SPIN), "comments", "test hint"),))
    assert nlp(Document(doc_id="b", text=SPIN)).slant  # the same text in the body is tagged
    for doc in (Document(doc_id="t", text=""), only_comments):
        out = nlp(doc)
        assert out.slant == () and not out.errors


@pytest.fixture()
def corrupt(tmp_path: Path) -> Path:
    folder = tmp_path / "slant_encoder"
    if (PACKAGED / GRAPH).is_file():
        shutil.copytree(PACKAGED, folder)
        data = bytearray((folder / GRAPH).read_bytes())
        data[1000:1040] = b"\x00" * 40
        (folder / GRAPH).write_bytes(bytes(data))
    else:  # no packaged artefact: a folder whose files are there but wrong
        folder.mkdir()
        for name in ("meta.json", GRAPH, "tokenizer.json"):
            (folder / name).write_text("{}")
    return folder


def test_a_corrupt_artefact_is_E714_and_the_stage_falls_back_to_the_crf(corrupt):
    with pytest.raises(ModelError) as err:
        load_contextual_tagger(corrupt)
    assert "E714" in str(err.value)
    tagger, error = stage_tagger(contextual=True, contextual_folder=corrupt)
    assert tagger.contextual is None and error is not None and str(error.code) == "E714"
    assert_the_crf_tags_alone({"contextual_dir": str(corrupt)}, "E714")


def test_a_missing_artefact_is_E713(tmp_path):
    with pytest.raises(ModelError) as err:
        load_contextual_tagger(tmp_path / "nothing-here")
    assert "E713" in str(err.value)
    _, error = stage_tagger(contextual=True, contextual_folder=tmp_path / "nothing-here")
    assert error is not None and str(error.code) == "E713"


def test_the_slant_artefacts_stay_under_20_mb():
    total = sum(f.stat().st_size for name in ("slant", "slant_encoder", "slant_static") for f in (models_dir() / name).rglob("*") if f.is_file())
    assert total < 20 * 2**20
