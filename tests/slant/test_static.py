"""The static-vector slant tagger (models/slant_static): the packaged artefact loads offline, a padded batch gives
each sentence its own result, a bad artefact is a coded error (E716/E717) and the stage then tags with the CRF alone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from fogwatch.errors import ModelError
from fogwatch.learn.ngram import models_dir
from fogwatch.slant.static import FORMAT, GRAPH, LABELS, StaticTagger, load_static_tagger, word_flags
from fogwatch.slant.tagger import STATIC_DEFAULT, stage_tagger, supported
from fogwatch.slant.tokens import tokenize

from .fallback import assert_the_crf_tags_alone, body_only_document

PACKAGED = models_dir() / "slant_static"


@pytest.fixture(scope="module")
def static() -> StaticTagger:
    return load_static_tagger()


def test_the_packaged_artefact_loads_offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # nothing is fetched: vectors, graph and tokenizer are in the folder
    tagger = load_static_tagger()
    assert tagger.meta["format"] == FORMAT and tuple(tagger.meta["labels"]) == LABELS
    assert 0.0 < tagger.threshold < 1.0 and tagger.combine in ("cascade", "union")
    assert tagger.q.dtype == np.int8 and tagger.q.shape[1] == tagger.meta["dims"]


def test_the_stage_runs_it_by_default():
    tagger, error = stage_tagger()
    assert STATIC_DEFAULT and error is None and isinstance(tagger.contextual, StaticTagger)


@pytest.mark.parametrize(("word", "flags"), [
    ("Regime", (1, 0, 0, 0, 0, 0)), ("NATO", (1, 1, 0, 0, 0, 0)), ("“", (0, 0, 1, 1, 0, 0)), ("'", (0, 0, 1, 1, 0, 0)),
    ("2019", (0, 0, 0, 0, 1, 0)), ("!", (0, 0, 1, 0, 0, 1)), ("thugs", (0, 0, 0, 0, 0, 0)), ("A", (1, 0, 0, 0, 0, 0)),
])
def test_word_flags(word, flags):
    assert word_flags(word) == flags


def test_probabilities_of_a_padded_batch_equal_each_sentence_alone(static):
    """The graph's LSTM reads ``lengths``: a short sentence batched with a long one gets its own result. (The int8
    graph quantises its inputs per run, so batch mates move a probability by a few thousandths: hence the tolerance;
    the labels are the same.)"""
    texts = ["Thugs!", "The so-called peaceful protesters are nothing but a gang of thugs paid by the deceitful regime.", "Talks resumed."]
    tokens = [tokenize(t) for t in texts]
    together = static.probabilities(tokens)
    alone = [static.probabilities([ts])[0] for ts in tokens]
    for a, b, ts in zip(together, alone, tokens):
        assert a.shape == (len(ts), len(LABELS)) and np.allclose(a.sum(axis=1), 1.0)
        assert np.allclose(a, b, atol=0.02) and (a.argmax(axis=1) == b.argmax(axis=1)).all()
    assert static.probabilities([]) == [] and static.probabilities([[]])[0].shape == (0, len(LABELS))


def test_each_written_form_gets_its_vector_and_flags_and_unknown_pieces_still_get_a_vector(static):
    rows = static.features(tokenize("The regime zzqxv"))
    assert rows.shape == (3, static.dims + len(word_flags("x"))) and rows.dtype == np.float32
    assert np.array_equal(rows[1, : static.dims], static.word_vectors(["regime"])[0]) and np.any(rows[2, : static.dims])
    assert tuple(rows[0, static.dims :]) == word_flags("The")
    pieces = static.piece_ids(["regime"])[0]
    assert np.allclose(rows[1, : static.dims], (static.q[list(pieces)] * static.scale[list(pieces), None]).mean(axis=0))


def test_the_shared_feature_table_grows_and_empties_without_changing_a_row(static, monkeypatch):
    """Rows are kept between documents in one table; it grows as forms arrive and is emptied when full."""
    import fogwatch.slant.static as module

    words = tokenize(" ".join(f"w{k}x" for k in range(60)) + " regime Regime")
    expected = np.concatenate([np.stack(static.word_vectors([t.text for t in words])),
                               np.array([word_flags(t.text) for t in words], np.float32)], axis=1)
    monkeypatch.setattr(module, "CACHE_WORDS", 50)
    fresh = load_static_tagger()
    assert np.array_equal(fresh.features(words[:40]), expected[:40])  # 40 forms: kept
    assert np.array_equal(fresh.features(words), expected)  # 22 more would pass 50: the table starts again
    assert np.array_equal(fresh.features(words[:3]), expected[:3])


def test_its_spans_lie_in_body_sections_with_scores_in_0_1():
    doc = body_only_document({})
    assert all("static word vectors" in s.reason or "cue" in s.reason for s in doc.slant), {s.reason for s in doc.slant}


@pytest.fixture()
def corrupt(tmp_path: Path) -> Path:
    folder = tmp_path / "slant_static"
    shutil.copytree(PACKAGED, folder)
    data = bytearray((folder / GRAPH).read_bytes())
    data[200:240] = b"\x00" * 40
    (folder / GRAPH).write_bytes(bytes(data))
    return folder


def test_a_corrupt_artefact_is_E717_and_the_stage_tags_with_the_crf_alone(corrupt):
    with pytest.raises(ModelError) as err:
        load_static_tagger(corrupt)
    assert "E717" in str(err.value)
    tagger, error = stage_tagger(static_folder=corrupt)
    assert tagger.contextual is None and error is not None and str(error.code) == "E717"
    assert_the_crf_tags_alone({"static_dir": str(corrupt)}, "E717")


@pytest.mark.parametrize("bad", [{"threshold": 1.5}, {"crf_filter": 1.0}, {"crf_filter": -0.1}, {"crf_filter": "high"},
                                 {"crf_filter_window": -1}, {"crf_filter_window": "wide"}])
def test_a_meta_json_that_does_not_match_the_graph_is_E717(tmp_path, bad):
    folder = tmp_path / "slant_static"
    shutil.copytree(PACKAGED, folder)
    meta = json.loads((folder / "meta.json").read_text())
    (folder / "meta.json").write_text(json.dumps(meta | bad))
    with pytest.raises(ModelError) as err:
        load_static_tagger(folder)
    assert "E717" in str(err.value)


def test_a_missing_artefact_is_E716(tmp_path):
    with pytest.raises(ModelError) as err:
        load_static_tagger(tmp_path / "nothing-here")
    assert "E716" in str(err.value)
    tagger, error = stage_tagger(static_folder=tmp_path / "nothing-here")
    assert tagger.contextual is None and error is not None and str(error.code) == "E716"


def test_static_false_is_the_crf_alone():
    tagger, error = stage_tagger(static=False)
    assert tagger.contextual is None and error is None


def test_threads_sharing_the_table_each_get_their_own_rows(static, monkeypatch):
    """The HTTP server runs documents in threads: the table is grown and emptied under a lock, so no thread reads a
    row of another word (a small table forces it to empty again and again)."""
    from concurrent.futures import ThreadPoolExecutor

    import fogwatch.slant.static as module

    texts = [" ".join(f"t{n}w{k}" for k in range(30)) + " the regime" for n in range(16)]
    expected = [static.features(tokenize(t)) for t in texts]
    monkeypatch.setattr(module, "CACHE_WORDS", 70)
    shared = load_static_tagger()
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda t: shared.features(tokenize(t)), texts * 5))
    assert all(np.array_equal(g, e) for g, e in zip(got, expected * 5))


def test_the_filter_drops_crf_spans_the_static_tagger_reads_as_plain(monkeypatch):
    """``crf_filter`` (union only): a CRF span whose words' mean inside probability from the static tagger is below it is
    dropped. With the tagger reading every word as plain (inside 0), a filter leaves no span; without one, the CRF's stay."""
    from dataclasses import replace

    tagger, _ = stage_tagger()
    text = ("The so-called moderate opposition are nothing but bloodthirsty terrorists and traitors. "
            "The deceitful regime lies again and again to the whole civilized world.")
    sentences = [(0, 86), (87, len(text))]
    plain = lambda self, text, sentences: [(np.zeros(len(ts)), np.zeros(len(ts), dtype=bool)) for _, ts in sentences]
    monkeypatch.setattr(StaticTagger, "word_scores", plain)
    kept = replace(tagger, contextual=replace(tagger.contextual, crf_filter=0.0, combine="union")).raw_spans(text, sentences)
    dropped = replace(tagger, contextual=replace(tagger.contextual, crf_filter=0.1, combine="union")).raw_spans(text, sentences)
    assert kept and dropped == []


@pytest.mark.parametrize("inside, floor, window, expected", [
    ([0.0] * 20 + [0.3] * 5, 0.1, 0, False),  # the whole span's mean: 0.06
    ([0.0] * 20 + [0.3] * 5, 0.1, 5, True),  # its best five words: 0.3
    ([0.0] * 20 + [0.3] * 5, 0.1, 8, True),  # its best eight words: 5 * 0.3 / 8
    ([0.0] * 20 + [0.3] * 2, 0.15, 5, False),  # two slanted words among five: 0.12
    ([0.2, 0.0, 0.1], 0.1, 5, True),  # no longer than the window: the whole span
    ([0.2, 0.0, 0.0], 0.1, 5, False),
    ([0.3] * 3 + [0.0] * 10 + [0.3] * 3, 0.2, 5, False),  # two cores apart are not summed
])
def test_supported_reads_the_best_run_of_words(inside, floor, window, expected):
    assert supported(np.array(inside), floor, window) is expected


def test_a_windowed_filter_keeps_a_long_crf_span_with_a_slanted_core(monkeypatch):
    """With ``crf_filter_window``, a long CRF span whose plain words dilute the static tagger's mean is kept when a run
    of that many words inside it reaches the filter; the whole-span mean drops it."""
    from dataclasses import replace

    tagger, _ = stage_tagger()
    text = ("Since the start of the campaign in the south of the province last winter, the army has taken hundreds of "
            "square kilometres around the city, the last hope of the so-called moderate opposition and their bloodthirsty terrorists.")
    sentences = [(0, len(text))]
    union = replace(tagger, contextual=replace(tagger.contextual, combine="union", crf_filter=0.15))
    crf = [(s, e) for s, e, _, _ in replace(tagger, contextual=None).raw_spans(text, sentences)]
    assert crf, "the CRF finds a span here"

    def core(self, text, sentences):  # the static tagger sees slant only in the last eight words
        return [(np.array([0.0] * (len(ts) - 8) + [0.4] * 8), np.zeros(len(ts), dtype=bool)) for _, ts in sentences]

    monkeypatch.setattr(StaticTagger, "word_scores", core)
    spans = lambda t: [(s, e) for s, e, _, _ in t.raw_spans(text, sentences)]
    whole = spans(union)
    windowed = spans(replace(union, contextual=replace(union.contextual, crf_filter_window=5)))
    assert set(crf) <= set(windowed)
    assert not set(crf) & set(whole)
