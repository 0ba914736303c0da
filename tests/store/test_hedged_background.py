"""Hedged and background events stay in the store but out of listings, exports and counts by default;
figures that do not count never set a fused event's fatalities (issue 10 items 1-3). Both backends."""

from __future__ import annotations

import csv
import io
import json

from store_fixtures import HTS, IDLIB, KOBANE, SARAQIB, SYRIA, actor, claim, event

from fogwatch.export import ACLED_COLUMNS, export
from fogwatch.store import IncomingDocument, content_key
from fogwatch.store.query import EventFilter


def report(doc_id: str, published: str, events) -> IncomingDocument:
    text = f"[test text written for fogwatch: {doc_id}] " + "Troops and rebels fought; reports differ. " * 4
    return IncomingDocument(doc_key=content_key(text), doc_id=doc_id, text=text, published=published, source="Test Wire",
                            outlet="Test Wire", events=tuple(events))


def news_report() -> IncomingDocument:
    summary = {**claim(151, None, "militants", "claimed", "soldiers", 30, 60), "counted": False,
               "count_reason": "summary: a toll over several days, places or events ('summing up')"}
    clash = event("n-e1", "Armed clash", "Battles", "2020-02-03", SARAQIB, actor(HTS, 2), actor(SYRIA, 1), 12,
                  [claim(12, 12, None, "asserted", "soldiers", 0, 20), summary], confidence=0.9)
    threat = event("n-e2", "Shelling/artillery/missile attack", "Explosions/Remote violence", "2020-02-03", KOBANE,
                   actor(SYRIA, 1), actor(HTS, 2), None, [claim(20, 20, None, "hypothetical", "fighters", 70, 90)],
                   modality="hypothetical", confidence=0.3)
    old = {**event("n-e3", "Chemical weapon", "Explosions/Remote violence", "2013-08-21", IDLIB, actor(SYRIA, 1), None, 100,
                   [claim(100, None, None, "asserted", "people", 100, 120)], confidence=0.6),
           "background": True, "background_reason": "dated 2013-08-21, 2358 days before the report (2020-02-04)"}
    return report("news", "2020-02-04", [clash, threat, old])


def ids(rows) -> set[str]:
    return {r["sub_event_type"] for r in rows}


def test_default_listing_leaves_hedged_and_background_out(store):
    store.add_batch([news_report()])
    assert ids(store.events(EventFilter())) == {"Armed clash"}
    assert ids(store.events(EventFilter(include_hedged=True))) == {"Armed clash", "Shelling/artillery/missile attack"}
    assert ids(store.events(EventFilter(include_background=True))) == {"Armed clash", "Chemical weapon"}
    everything = store.events(EventFilter(include_hedged=True, include_background=True))
    assert len(everything) == 3 and store.count_events(EventFilter()) == 1
    assert ids(store.events(EventFilter(include_hedged=True, min_confidence=0.5))) == {"Armed clash"}
    by_type = {e["sub_event_type"]: e for e in everything}
    assert by_type["Chemical weapon"]["background"] is True and by_type["Armed clash"]["background"] is False
    assert by_type["Shelling/artillery/missile attack"]["modality"] == "hypothetical"
    assert by_type["Armed clash"]["confidence"] == 0.9


def test_uncounted_figures_stay_claims_but_never_set_fatalities(store):
    store.add_batch([news_report()])
    (clash,) = store.events(EventFilter(event_type="Armed clash"))
    assert clash["fatalities_best"] == 12 and clash["fatalities_high"] == 12  # not the 151 of the summary
    claims = [c for m in store.members([clash["event_id"]])[clash["event_id"]] for c in m["claims"]]
    summary = next(c for c in claims if c["low"] == 151)
    assert summary["counted"] is False and summary["count_reason"].startswith("summary")


def test_a_background_mention_joins_the_earlier_event_the_store_has(store):
    earlier = report("earlier", "2013-08-22", [event("o-e1", "Chemical weapon", "Explosions/Remote violence", "2013-08-21", IDLIB,
                                                      actor(SYRIA, 1), None, 100, [claim(100, None, None, "asserted", "people", 0, 20)])])
    store.add_batch([earlier])
    store.add_batch([news_report()])
    (chem,) = store.events(EventFilter(event_type="Chemical weapon"))  # shown: one member is news, not background
    assert chem["n_mentions"] == 2 and chem["background"] is False


def test_acled_csv_has_modality_and_confidence_after_acleds_31(store):
    store.add_batch([news_report()])
    out = io.StringIO()
    assert export(store, "acled-csv", EventFilter(), out=out) == 1
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    header = out.getvalue().splitlines()[0].split(",")
    assert header[: len(ACLED_COLUMNS)] == list(ACLED_COLUMNS) and header[len(ACLED_COLUMNS) : len(ACLED_COLUMNS) + 2] == ["modality", "confidence"]
    assert rows[0]["modality"] == "asserted" and float(rows[0]["confidence"]) == 0.9
    out = io.StringIO()
    assert export(store, "acled-csv", EventFilter(include_hedged=True, include_background=True), out=out) == 3


def test_cli_flags(run_cli, tmp_path):
    from fogwatch.store import open_store

    db = str(tmp_path / "s.db")
    with open_store(db) as s:
        s.add_batch([news_report()])
    listed = json.loads(run_cli("events", "--db", db, "--format", "json").stdout)
    assert [e["sub_event_type"] for e in listed] == ["Armed clash"]
    listed = json.loads(run_cli("events", "--db", db, "--format", "json", "--include-hedged", "--include-background").stdout)
    assert len(listed) == 3
    proc = run_cli("export", "--db", db, "--format", "acled-csv", "--include-hedged", "--min-confidence", "0.5")
    assert proc.returncode == 0 and len(proc.stdout.decode().splitlines()) == 2
    bad = run_cli("events", "--db", db, "--min-confidence", "2")
    assert bad.returncode == 2
