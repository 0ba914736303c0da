"""SemEval-2020 Task 11 measures on small hand-made cases (fogwatch.slant.scoring)."""

from __future__ import annotations

import pytest

from fogwatch.slant.scoring import merge_overlapping, si_score, tc_micro_f1


def test_exact_match_is_one():
    r = si_score({"a": [(0, 10)]}, {"a": [(0, 10)]})
    assert (r.precision, r.recall, r.f1) == (1.0, 1.0, 1.0)


def test_partial_overlap_credits_the_share_of_each_span():
    # prediction covers half the gold span: all of it is right (P = 5/5), half the gold is found (R = 5/10)
    r = si_score({"a": [(0, 5)]}, {"a": [(0, 10)]})
    assert r.precision == 1.0 and r.recall == 0.5 and r.f1 == pytest.approx(2 / 3)


def test_one_prediction_over_two_gold_spans():
    # [5, 25) meets [0, 10) and [20, 30) in 5 characters each: P = (5/20 + 5/20) / 1, R = (5/10 + 5/10) / 2
    r = si_score({"a": [(5, 25)]}, {"a": [(0, 10), (20, 30)]})
    assert r.precision == pytest.approx(0.5) and r.recall == pytest.approx(0.5)


def test_overlapping_gold_spans_are_merged_first():
    assert merge_overlapping([(5, 15), (0, 10), (20, 22)]) == [(0, 15), (20, 22)]
    assert merge_overlapping([(0, 5), (5, 9)]) == [(0, 5), (5, 9)]  # touching is not overlapping
    r = si_score({"a": [(0, 15)]}, {"a": [(0, 10), (5, 15)]})
    assert r.f1 == 1.0 and r.n_gold == 1


def test_articles_are_scored_apart_and_misses_count():
    r = si_score({"a": [(0, 10)], "b": [(0, 4)]}, {"a": [(0, 10)], "c": [(0, 8)]})
    # a: exact (1 / 1); b: a false positive; c: a miss
    assert r.precision == pytest.approx(0.5) and r.recall == pytest.approx(0.5)


def test_nothing_predicted_is_zero_not_an_error():
    r = si_score({}, {"a": [(0, 10)]})
    assert (r.precision, r.recall, r.f1) == (0.0, 0.0, 0.0)


def test_tc_micro_f1_matches_labels_as_multisets():
    gold = {("a", 0, 5): ["Doubt", "Loaded_Language"], ("a", 9, 12): ["Slogans"]}
    assert tc_micro_f1({("a", 0, 5): ["Doubt", "Doubt"], ("a", 9, 12): ["Slogans"]}, gold).f1 == pytest.approx(2 / 3)
    assert tc_micro_f1({("a", 0, 5): ["Loaded_Language", "Doubt"], ("a", 9, 12): ["Slogans"]}, gold).f1 == 1.0
    assert tc_micro_f1({}, gold).f1 == 0.0
