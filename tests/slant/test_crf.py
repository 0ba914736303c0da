"""The numpy CRF decodes as an exhaustive search would, and its marginals are probabilities."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from fogwatch.slant.crf import LinearChainCRF
from fogwatch.slant.tagger import bio_spans


def _crf(seed: int = 0) -> LinearChainCRF:
    rng = np.random.default_rng(seed)
    attrs = {f"f{i}": i for i in range(6)}
    return LinearChainCRF(("B", "I", "O"), attrs, rng.normal(size=(6, 3)), rng.normal(size=(3, 3)))


def _path_score(crf: LinearChainCRF, em: np.ndarray, path) -> float:
    return float(sum(em[i, k] for i, k in enumerate(path)) + sum(crf.transitions[a, b] for a, b in zip(path, path[1:])))


def test_viterbi_is_the_best_path_and_marginals_sum_to_one():
    for seed in range(5):
        crf = _crf(seed)
        feats = [["f0", "f3", "unknown"], ["f1"], ["f2", "f5"], ["f4"]]
        em = crf.emissions(feats)
        best = max(itertools.product(range(3), repeat=len(feats)), key=lambda p: _path_score(crf, em, p))
        assert crf.viterbi(em) == list(best)
        marg = crf.marginals(em)
        assert np.allclose(marg.sum(axis=1), 1.0) and (marg >= 0).all() and (marg <= 1).all()
        # the marginal of label k at token 0 equals the brute-force posterior
        paths = list(itertools.product(range(3), repeat=len(feats)))
        w = np.exp([_path_score(crf, em, p) for p in paths])
        p0 = sum(wi for wi, p in zip(w, paths) if p[0] == 1) / w.sum()
        assert np.isclose(marg[0, 1], p0)


def test_empty_sentence():
    crf = _crf()
    assert crf.viterbi(crf.emissions([])) == []


def test_bio_spans():
    assert bio_spans(["O", "B", "I", "O", "I", "I", "B", "B"]) == [(1, 3), (4, 6), (6, 7), (7, 8)]
    assert bio_spans(["O", "O"]) == []
    # typed labels: a B of either kind starts a span, an I of the other kind goes on with it
    assert bio_spans(["O", "B-S", "I-S", "I-L", "O", "I-L", "B-S", "B-L"]) == [(1, 4), (5, 6), (6, 7), (7, 8)]


def test_valid_label_sets():
    from fogwatch.slant.tagger import valid_labels

    assert valid_labels(("B", "I", "O")) and valid_labels(("B-L", "B-S", "I-L", "I-S", "O"))
    for bad in (("B", "O"), ("B-L", "I-S", "O", "B-S"), ("B", "I", "X"), ("B", "I"), ("B-L", "I-L", "O", "O")):
        assert not valid_labels(bad), bad


def test_many_sentences_at_once_equal_one_by_one():
    """The batched emissions, paths and marginals (padded to the longest sentence) are the per-sentence ones, exactly."""
    rng = np.random.default_rng(7)
    for seed in range(4):
        crf = _crf(seed)
        crf = LinearChainCRF(crf.labels, crf.attributes, crf.state, crf.transitions, np.array([0.0, 0.0, -0.3]))
        sentences = [[[f"f{int(j)}" for j in rng.integers(0, 8, size=rng.integers(0, 4))] for _ in range(n)] for n in (5, 1, 9, 2, 1, 7)]
        one = [crf.emissions(s) for s in sentences]
        many = crf.emissions_many(sentences)
        assert all(np.array_equal(a, b) for a, b in zip(one, many))
        assert crf.viterbi_many(many) == [crf.viterbi(e) for e in one]
        assert all(np.array_equal(a, b) for a, b in zip(crf.marginals_many(many), [crf.marginals(e) for e in one]))
    assert crf.viterbi_many([]) == [] and crf.marginals_many([]) == []


@pytest.mark.parametrize("kept", [200_000, 3])
def test_token_columns_are_token_features_columns_in_order(kept, monkeypatch):
    """The tagger sums token_columns' columns; they must be token_features' known attributes, in order (also when the
    per-word and per-pair caches are emptied again and again: ``kept`` entries)."""
    from fogwatch.slant.features import ArticleStats, AttributeColumns, token_columns, token_features
    from fogwatch.slant.tagger import default_tagger
    from fogwatch.slant.tokens import tokenize

    monkeypatch.setattr(AttributeColumns, "MAX_WORDS", kept)
    tagger = default_tagger()
    text = ('"The barbaric regime\u2019s MOST brutal attack ever!" said the West. Is this the worst crime? '
            "The regime, the regime and its allies shelled Idlib; the latest, greatest lie of all.")
    sentences = [tokenize(text, 0, 53), tokenize(text, 54, 100), tokenize(text, 101, len(text))]
    lowers = [[t.lower for t in ts] for ts in sentences]
    stats = ArticleStats.of(lowers)
    columns = AttributeColumns(tagger.crf.attributes)
    known = tagger.crf.attributes
    for ts, lower in zip(sentences, lowers):
        matches = tagger.cues.matches(lower)
        expected = [[known[a] for a in feats if a in known] for feats in token_features(ts, tagger.cues, stats, matches, lower)]
        assert token_columns(ts, tagger.cues, stats, columns, matches, lower) == expected
        assert token_columns(ts, tagger.cues, stats, columns) == expected
    emissions = tagger.crf.emissions_many([token_features(ts, tagger.cues, stats) for ts in sentences])
    fast = tagger.crf.emissions_from_columns([token_columns(ts, tagger.cues, stats, columns) for ts in sentences])
    assert all((a == b).all() for a, b in zip(emissions, fast))
