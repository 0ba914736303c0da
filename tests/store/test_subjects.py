"""Which claims count the same people, so that their figures may be compared (pure logic, no store)."""

from __future__ import annotations

import pytest

from fogwatch.fusion.model import Claim
from fogwatch.fusion.summary import group_claims, score_group, subject_key, subjects_match


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("Turkish service members", "Turkish personnel", True),
        ("Russian military personnel", "Russian service members", True),
        ("Turks", "Turkish soldiers", True),
        ("soldiers", "Turkish soldiers", True),
        ("civilians", "people", True),
        ("militants", "people", False),
        ("Syrian soldiers", "Turkish service members", False),
        ("houses", "people", False),
        (None, None, True),
        (None, "civilians", False),
    ],
)
def test_subjects_match(a, b, same):
    assert subjects_match(subject_key(a), subject_key(b)) is same


def _c(n, low, high, claimant, modality, subject, quantity="killed"):
    return Claim(f"m-c{n}", "m", f"doc{n}", quantity, low, high, claimant, modality, subject)


def test_scores():
    labels = {"doc0": "South Front", "doc1": "Global Research"}
    figures = score_group([_c(0, 8, 8, None, "asserted", "Turkish"), _c(1, 6, None, "Turkish Defense Ministry", "reported", "Turkish")], labels)
    assert figures.score == 0.25 and "at least 6 (Turkish Defense Ministry, reported)" in figures.reasons[0]
    hedged = score_group([_c(0, 4, 4, None, "asserted", "Russians"), _c(1, 4, 4, "pro-militant sources", "hypothetical", "Russians")], labels)
    assert hedged.score == 0.5
    denied = score_group([_c(0, 3, 3, None, "asserted", "x"), _c(1, None, None, "the ministry", "denied", "x")], labels)
    assert denied.score == 1.0 and "denied by the ministry" in denied.reasons[0]
    agreed = score_group([_c(0, 5, 5, None, "asserted", "x"), _c(1, 5, 5, "monitor", "reported", "x")], labels)
    assert agreed.score == 0.0 and agreed.reasons == ()
    # A ceiling ("up to 10") and a floor ("at least 3") agree; a ceiling under another's figure does not.
    bounds = score_group([_c(0, None, 10, None, "asserted", "bombers"), _c(1, 3, None, None, "asserted", "bombers")], labels)
    assert bounds.score == 0.0
    exceeded = score_group([_c(0, None, 10, None, "asserted", "bombers"), _c(1, 12, 12, None, "asserted", "bombers")], labels)
    assert exceeded.score == pytest.approx(2 / 12, abs=1e-3)
    groups = group_claims([_c(0, 9, 9, None, "asserted", "people"), _c(1, 14, 14, "ministry", "reported", "militants"),
                           _c(2, 7, None, "monitor", "reported", "civilians"), _c(3, 20, 20, None, "asserted", "people", "injured")])
    assert sorted(len(g) for g in groups) == [1, 1, 2]
