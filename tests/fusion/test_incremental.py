"""fogwatch.fusion.incremental without a database: the passes the store runs, against events held in a dict."""

from __future__ import annotations

from datetime import date

from fogwatch.fusion.incremental import assign_mentions, event_summary, members_window, same_type_first, standing, union
from fogwatch.fusion.model import Claim, Mention, fused_event_id_for
from fogwatch.fusion.summary import DocSource

SYRIA, HTS = "Military Forces of Syria (2000-)", "Hayat Tahrir al-Sham"
SARAQIB = {"location_name": "Saraqib", "geonameid": 164816, "latitude": 35.86447, "longitude": 36.80591, "country_code": "SY",
           "admin1": "Idlib", "admin2": "Idlib District", "geo_precision": 1}


def mention(doc: str, index: int, sub: str, day: int, *, precision: int = 1, **kw) -> Mention:
    fields = {"event_type": "Battles" if sub != "Shelling/artillery/missile attack" else "Explosions/Remote violence",
              "sub_event_type": sub, "date_start": date(2020, 2, day), "time_precision": precision,
              "actor1": SYRIA, "actor2": HTS, **SARAQIB, **kw}
    return Mention(mention_id=f"{doc}-{index}", doc_key=doc, event_index=index, **fields)


class Events:
    """An EventLookup over a dict: event id -> (age, members). ``candidates`` is every event whose window overlaps."""

    def __init__(self, events: dict[str, tuple[int, list[Mention]]]) -> None:
        self.events = events
        self.merges: list[tuple[str, str]] = []
        self.lookups = 0

    def candidates(self, m, window):
        self.lookups += 1
        out = []
        for eid, (pk, ms) in self.events.items():
            w = members_window(ms)
            if w and w[0] <= window[1] and window[0] <= w[1]:
                out.append((eid, pk))
        return sorted(out, key=lambda x: x[1])

    def members(self, event_ids):
        return {eid: list(self.events[eid][1]) for eid in event_ids if eid in self.events}

    def merged(self, into, other):
        self.merges.append((into, other))
        self.events[into][1].extend(self.events.pop(other)[1])


def test_a_mention_matching_nothing_founds_an_event_named_after_it():
    m = mention("d1", 0, "Armed clash", 1)
    out = assign_mentions([m], Events({}))
    assert out.events == {"d1-0": fused_event_id_for("d1-0")}
    assert out.created == [fused_event_id_for("d1-0")] and out.touched == set(out.created)


def test_a_report_joins_the_stored_event_it_matches_and_its_own_mentions_stay_apart():
    stored = Events({"E1": (1, [mention("d0", 0, "Armed clash", 1)])})
    a, b = mention("d1", 0, "Armed clash", 1), mention("d1", 1, "Armed clash", 1)
    out = assign_mentions([a, b], stored)
    assert out.events["d1-0"] == "E1"  # joins the stored clash
    assert out.events["d1-1"] != "E1"  # one mention per report in a fused event: the second founds its own
    assert out.created == [out.events["d1-1"]] and out.touched == {"E1", out.events["d1-1"]}
    assert stored.merges == []


def test_a_bridging_mention_merges_two_stored_events_into_the_oldest():
    stored = Events({"E2": (2, [mention("d2", 0, "Armed clash", 5)]), "E1": (1, [mention("d1", 0, "Armed clash", 1)])})
    week = mention("d3", 0, "Armed clash", 3, precision=2)  # the week around Feb 3 covers both days
    out = assign_mentions([week], stored)
    assert out.events == {"d3-0": "E1"}
    assert stored.merges == [("E1", "E2")]
    assert out.touched == {"E1"} and out.created == []


def test_events_that_share_a_report_are_not_merged_and_the_same_sub_type_is_preferred():
    stored = Events({"E1": (1, [mention("d1", 0, "Armed clash", 1)]),
                     "E2": (2, [mention("d1", 1, "Shelling/artillery/missile attack", 1)])})
    out = assign_mentions([mention("d2", 0, "Shelling/artillery/missile attack", 1)], stored)
    assert out.events == {"d2-0": "E2"}  # the same sub-type beats the older event
    assert stored.merges == []  # E1 and E2 hold two mentions of one report: never one event


def test_new_events_of_one_call_are_matched_from_memory():
    first, second = mention("d1", 0, "Armed clash", 1), mention("d2", 0, "Armed clash", 1)
    events = Events({})
    out = assign_mentions([first, second], events)  # two reports at once: the second joins what the first founded
    assert out.events["d1-0"] == out.events["d2-0"] == fused_event_id_for("d1-0")
    assert out.created == [fused_event_id_for("d1-0")]


def test_a_reports_mention_of_the_stored_sub_type_goes_first():
    stored = Events({"E1": (1, [mention("d0", 0, "Armed clash", 1)])})
    overtaking, clash = mention("d1", 0, "Non-state actor overtakes territory", 1), mention("d1", 1, "Armed clash", 1)
    assert same_type_first([overtaking, clash], stored, {}, {}) == [clash, overtaking]
    out = assign_mentions([overtaking, clash], stored)
    assert out.events["d1-1"] == "E1"  # the report's own account of the clash joins the stored clash
    assert out.events["d1-0"] == fused_event_id_for("d1-0")
    # one report's mentions only: mentions of several reports keep their order
    other = mention("d2", 0, "Armed clash", 1)
    assert same_type_first([overtaking, other], stored, {}, {}) == [overtaking, other]


def test_undated_mentions_never_look_up_candidates():
    events = Events({"E1": (1, [mention("d0", 0, "Armed clash", 1)])})
    undated = Mention(mention_id="d1-0", doc_key="d1", event_index=0, sub_event_type="Armed clash", **SARAQIB)
    out = assign_mentions([undated], events)
    assert out.events == {"d1-0": fused_event_id_for("d1-0")} and events.lookups == 0


def test_windows():
    d = date
    assert union(None, None) is None
    assert union((d(2020, 1, 2), d(2020, 1, 3)), None) == (d(2020, 1, 2), d(2020, 1, 3))
    assert union((d(2020, 1, 2), d(2020, 1, 3)), (d(2020, 1, 1), d(2020, 1, 2))) == (d(2020, 1, 1), d(2020, 1, 3))
    assert members_window([mention("a", 0, "Armed clash", 3, precision=2), mention("b", 0, "Armed clash", 9)]) == (d(2020, 1, 31), d(2020, 2, 9))


def test_standing_and_summary_count_only_counted_figures():
    def claim(mid: str, doc: str, low: int, counted: bool) -> Claim:
        return Claim(claim_id=f"{mid}-c", mention_id=mid, doc_key=doc, quantity="killed", low=low, high=low, claimant=None,
                     modality="asserted", subject="people", counted=counted)

    a = mention("d1", 0, "Armed clash", 1, modality="claimed", confidence=0.4, claims=(claim("d1-0", "d1", 5, True),))
    b = mention("d2", 0, "Armed clash", 1, modality="reported", confidence=0.7, background=True,
                claims=(claim("d2-0", "d2", 50, False),))  # a summary toll: never sets the event's figure
    sources = {"d1": DocSource("outlet:a", "A"), "d2": DocSource("outlet:b", "B")}
    summary, firm = event_summary([a, b], sources)
    assert (summary.fatalities_low, summary.fatalities_best, summary.fatalities_high) == (5, 5, 5)
    assert summary.n_sources == 2 and not summary.contested
    assert firm == {"modality": "reported", "confidence": 0.7, "background": False}
    assert standing([b]) == {"modality": "reported", "confidence": 0.7, "background": True}
    assert standing([]) == {"modality": None, "confidence": None, "background": True}
