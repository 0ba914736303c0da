"""Evaluation gates: actor1/actor2 and fatalities against ACLED's own coding of its notes (issue 10), on a fifth of the
held-out part.

The held-out rows (``is_held_out``) were never read while the rules and registries were written; the actor-kind and
sub-event models trained on the tune part only. Every fifth held-out row of each file, in file order (about 1,340
notes, both conditions in about 16 s); floors sit a little below this sample's figures at 6ebf829 (text only 0.697 /
0.753, with the outlet 0.777 / 0.767; docs/benchmarks.md has the whole held-out part: 0.687 / 0.744 and 0.769 / 0.761).
"""

from __future__ import annotations

from collections import Counter

import pytest

from fogwatch.events.evaluation import first_event_sides, is_held_out, read_acled_events

pytestmark = pytest.mark.gate

EVERY = 5
# (actor1, actor2) floors: text only, and with each note's outlet given as its source
FLOORS = {False: (0.68, 0.73), True: (0.76, 0.75)}


@pytest.fixture(scope="module")
def sample(shared):
    rows = []
    for path in sorted((shared / "train" / "acled").glob("*.csv")):
        held = [r for r in read_acled_events(path) if is_held_out(r["event_id_cnty"]) and r.get("notes", "").strip()]
        rows += held[::EVERY]
    assert 1200 < len(rows) < 1500
    return rows


@pytest.fixture(scope="module")
def nlp():
    import fogwatch

    return fogwatch.load()


@pytest.mark.parametrize("with_source", [False, True], ids=["text only", "with the outlet"])
def test_actor_names_match_acleds_on_held_out_notes(sample, nlp, with_source):
    hits: Counter[str] = Counter()
    for row in sample:
        got1, got2, _ = first_event_sides(nlp, row, with_source)
        hits["actor1"] += got1 == row.get("actor1", "").strip()
        hits["actor2"] += got2 == row.get("actor2", "").strip()
    a1, a2 = hits["actor1"] / len(sample), hits["actor2"] / len(sample)
    print(f"\n{'with' if with_source else 'without'} the outlet, {len(sample)} notes: actor1 {a1:.3f}, actor2 {a2:.3f}")
    floor1, floor2 = FLOORS[with_source]
    assert a1 >= floor1 and a2 >= floor2, (a1, a2)


def test_fatalities_match_acleds_on_held_out_notes(sample):
    """Issue 10's fatalities target (0.90 exact) on the same sample: each note without ACLED's statements about its
    own coding, the fatalities its counting events give against ACLED's; measured 0.905 on this sample at 6ebf829
    (the whole held-out part: 0.903, docs/benchmarks.md)."""
    from fogwatch.events.evaluation import acled_date, fatalities_counted, without_acled_coding
    from fogwatch.pipeline import default_pipeline
    from fogwatch.records import Document, Metadata

    nlp = default_pipeline(exclude=("slant",))
    rows = [r for r in sample if r.get("fatalities", "").strip() != ""]
    hits = sum(
        fatalities_counted(nlp(Document(doc_id=r["event_id_cnty"], text=without_acled_coding(r["notes"]),
                                        metadata=Metadata(published=acled_date(r.get("event_date")))))) == int(r["fatalities"])
        for r in rows
    )
    print(f"\nfatalities exact, {len(rows)} notes: {hits / len(rows):.3f}")
    assert hits / len(rows) >= 0.89
