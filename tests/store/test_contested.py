"""Contested means two claimants disagree about the same people (issue 10 item 4): pure logic, no store."""

from __future__ import annotations

from datetime import date

from fogwatch.fusion.model import Claim, Mention
from fogwatch.fusion.summary import DocSource, is_subset, score_group, summarize

SOURCES = {
    "d1": DocSource("outlet-a", "Outlet A", date(2016, 5, 1)),
    "d2": DocSource("outlet-b", "Outlet B", date(2016, 5, 2)),
    "d3": DocSource("outlet-c", "Outlet C", date(2016, 5, 3)),
}
LABELS = {k: v.label for k, v in SOURCES.items()}


def _c(n, doc, low, claimant, subject, modality="reported", high=None, start=0):
    return Claim(f"m{n}-c{n}", f"m{n}", doc, "killed", low, high if high is not None else low, claimant, modality, subject, start, start + 5)


def _score(*claims):
    return score_group(list(claims), LABELS, SOURCES)


def test_a_subset_is_no_disagreement():
    g = _score(_c(0, "d1", 23, "the monitor", "civilians", high=None), _c(1, "d2", 6, "activists", "women"))
    assert g.score == 0 and not [r for r in g.reasons if " vs " in r]


def test_a_later_higher_figure_from_the_same_claimant_is_an_update():
    # "the monitor" and "SOHR" are one claimant in the registry; the later report's figure stands
    g = _score(_c(0, "d1", 12, "the monitor", "people"), _c(1, "d3", 61, "SOHR", "people"))
    assert g.score == 0
    assert any(r.startswith("killed people: update, not a dispute: 61 (SOHR") for r in g.reasons)


def test_an_outlets_own_voice_is_one_claimant_across_its_reports():
    g = _score(_c(0, "d1", 5, None, "people", "asserted"), _c(1, "d1", 9, None, "people", "asserted", start=300))
    assert g.score == 0 and "update" in g.reasons[0]


def test_two_claimants_with_different_figures_are_contested_and_say_why():
    g = _score(_c(0, "d1", 8, None, "Turkish soldiers", "asserted"), _c(1, "d2", 6, "Turkish Defense Ministry", "Turkish soldiers"))
    assert g.score == 0.25
    assert g.reasons == ("killed Turkish soldiers: 8 (Outlet A (author), asserted) vs 6 (Turkish Defense Ministry, reported)",)


def test_an_update_does_not_hide_a_dispute_with_another_claimant():
    g = _score(_c(0, "d1", 12, "SOHR", "people"), _c(1, "d3", 61, "the Observatory", "people"), _c(2, "d2", 30, "state media", "people"))
    assert g.score == round((61 - 30) / 61, 4)
    assert any("61 (the Observatory" in r and "30 (state media" in r for r in g.reasons)


def test_different_victim_groups_are_not_compared():
    m = Mention("m0", "d1", 0, claims=(_c(0, "d1", 14, "ministry", "militants"), _c(1, "d2", 3, "activists", "civilians")))
    s = summarize([m], SOURCES)
    assert not s.contested and s.fatalities_best == 17


def test_subsets_never_add_to_the_toll_and_updates_set_it():
    m0 = Mention("m0", "d1", 0, claims=(_c(0, "d1", 23, "the monitor", "civilians"), _c(1, "d1", 6, "the monitor", "women", start=50)))
    m1 = Mention("m1", "d3", 0, claims=(_c(2, "d3", 31, "SOHR", "civilians"),))
    s = summarize([m0, m1], SOURCES)
    assert not s.contested and s.fatalities_best == 31 and s.fatalities_low == 31
    assert any("update" in r for r in s.reasons)


def test_subset_words():
    assert is_subset("women") and is_subset("6 children") and is_subset("two girls")
    assert not is_subset("civilians") and not is_subset("women and other civilians") and not is_subset("soldiers")
