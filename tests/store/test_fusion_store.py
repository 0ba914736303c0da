"""Ingest contract event records into a real store (SQLite and PostgreSQL) and check the fused events."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa

from fogwatch.store import EventFilter, IncomingDocument, content_key, open_store
from fogwatch.store.query import BBox
from store_fixtures import ALEPPO_SW, IDLIB, SARAQIB, SYRIA, TURKEY, ZAHRAA, actor, claim, event, seed_000, seed_003, unrelated_report


def _by_sub(store):
    return {e["sub_event_type"]: e for e in store.events()}


def test_seed_contradictions_are_fused_and_contested(store):
    r1 = store.add_batch([seed_000()])
    r2 = store.add_batch([seed_003()])
    assert (r1.stored, r2.stored, r1.mentions, r2.mentions) == (1, 1, 2, 2)
    events = store.events()
    assert len(events) == 2, events  # 4 mentions, 2 real events
    turkish = _by_sub(store)["Shelling/artillery/missile attack"]
    russian = _by_sub(store)["Armed clash"]
    assert turkish["n_mentions"] == 2 and turkish["n_documents"] == 2
    # Both reports are South Front's (003 is Global Research's republication): one independent source.
    assert turkish["n_sources"] == 1
    assert (turkish["fatalities_low"], turkish["fatalities_best"], turkish["fatalities_high"]) == (6, 6, 8)
    assert turkish["contested"] and 0.2 < turkish["discrepancy"] < 0.3  # (8 - 6) / 8
    assert any("Turkish Defense Ministry" in r and "at least 6" in r for r in turkish["discrepancy_reasons"])
    # 4 Russians: the same figure, but asserted in 000 and conditional in 003.
    assert russian["contested"] and russian["discrepancy"] == 0.5
    assert russian["fatalities_best"] == 4 and russian["fatalities_low"] == 4
    assert any("pro-militant sources" in r and "hypothetical" in r for r in russian["discrepancy_reasons"])
    members = store.members([turkish["event_id"]])[turkish["event_id"]]
    by_doc = {m["doc_id"]: m for m in members}
    assert by_doc["003_test"]["republisher"] == "Global Research" and by_doc["003_test"]["outlet"] == "South Front"
    assert by_doc["003_test"]["claims"][0]["claimant"] == "Turkish Defense Ministry"
    assert by_doc["000_test"]["claims"][0]["claimant"] is None


def test_reingest_creates_no_duplicates_and_ids_are_stable(store):
    store.add_batch([seed_000(), seed_003()])
    before = sorted(e["event_id"] for e in store.events())
    again = store.add_batch([seed_000(), seed_003()])
    assert again.stored == 0 and again.already_stored == 2
    assert store.stats()["documents"] == 2 and store.stats()["mentions"] == 4
    assert sorted(e["event_id"] for e in store.events()) == before


def test_ids_do_not_depend_on_the_store(db_url, tmp_path):
    a = open_store(db_url)
    a.add_batch([seed_000()])
    a.add_batch([seed_003()])
    b = open_store(str(tmp_path / "other.db"))
    b.add_batch([seed_000(), seed_003()])
    assert sorted(e["event_id"] for e in a.events()) == sorted(e["event_id"] for e in b.events())
    a.close(), b.close()


def test_incremental_fusion_touches_only_affected_events(store):
    store.add_batch([seed_000(), unrelated_report(1)])
    protest = _by_sub(store)["Peaceful protest"]
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE fused_events SET updated_at = '2000-01-01T00:00:00+00:00'"))
    result = store.add_batch([seed_003()])
    assert len(result.fused_touched) == 2
    after = {e["event_id"]: e for e in store.events()}
    assert after[protest["event_id"]]["updated_at"] == "2000-01-01T00:00:00+00:00"  # untouched
    touched = [e for e in after.values() if e["event_id"] != protest["event_id"]]
    assert all(e["updated_at"] != "2000-01-01T00:00:00+00:00" and e["n_mentions"] == 2 for e in touched)


def test_near_duplicate_is_linked_and_not_an_independent_source(store):
    original = seed_003()
    copy_text = original.text + " Reposted with permission by Mirror Site."
    copy = replace(original, doc_key=content_key(copy_text), doc_id="mirror", text=copy_text, outlet="Mirror Site",
                   source="Mirror Site", republisher=None)
    result = store.add_batch([original, copy])
    assert result.near_duplicates == 1
    with store.engine.connect() as conn:
        dup_of, sim = conn.execute(sa.text("SELECT duplicate_of, duplicate_similarity FROM documents WHERE doc_id = 'mirror'")).one()
    assert dup_of == original.doc_key and sim >= 0.6
    turkish = _by_sub(store)["Shelling/artillery/missile attack"]
    assert turkish["n_documents"] == 2 and turkish["n_sources"] == 1
    # A genuinely different outlet does count.
    other_text = "[test text written for fogwatch] Anadolu: Syrian shelling in Idlib killed seven Turkish troops on Monday."
    other = IncomingDocument(doc_key=content_key(other_text), doc_id="aa", text=other_text, outlet="Anadolu Agency", events=(
        event("aa-1", "Shelling/artillery/missile attack", "Explosions/Remote violence", "2020-02-03", IDLIB,
              actor(SYRIA, 1), actor(TURKEY, 8), 7, [claim(7, 7, None, "asserted", "Turkish troops")]),))
    store.add_batch([other])
    turkish = _by_sub(store)["Shelling/artillery/missile attack"]
    assert turkish["n_sources"] == 2 and turkish["n_documents"] == 3
    assert (turkish["fatalities_low"], turkish["fatalities_best"], turkish["fatalities_high"]) == (6, 6, 7)


def test_mentions_that_differ_in_place_day_type_or_actors_stay_apart(store):
    base = dict(sub="Shelling/artillery/missile attack", etype="Explosions/Remote violence", day="2020-02-03", location=IDLIB,
                a1=actor(SYRIA, 1), a2=actor(TURKEY, 8), fatalities=1, claims=[])
    far = dict(base, location={**IDLIB, "name": "Deir ez-Zor", "geonameid": 170794, "latitude": 35.336, "longitude": 40.14,
                                "admin1": "Deir ez-Zor", "admin2": "Deir ez-Zor", "geo_precision": 1})
    variants = [
        base,
        dict(base, day="2020-02-10"),  # a week later, exact days
        far,  # 320 km away
        dict(base, sub="Peaceful protest", etype="Protests"),  # incompatible sub-type
        dict(base, a2=actor("Hayat Tahrir al-Sham", 2)),  # a third actor
    ]
    docs = []
    for n, v in enumerate(variants):
        text = f"[test text written for fogwatch] variant {n}"
        docs.append(IncomingDocument(doc_key=content_key(text), doc_id=f"v{n}", text=text, outlet=f"Outlet {n}",
                                     events=(event(f"v{n}", v["sub"], v["etype"], v["day"], v["location"], v["a1"], v["a2"], v["fatalities"], v["claims"]),)))
    store.add_batch(docs)
    assert store.stats()["fused_events"] == len(variants)
    # The same day at week precision does overlap, and an armed clash fits the shelling.
    text = "[test text written for fogwatch] clash near Idlib that week"
    store.add_batch([IncomingDocument(doc_key=content_key(text), doc_id="week", text=text, outlet="Outlet W", events=(
        event("w", "Armed clash", "Battles", "2020-02-05", IDLIB, actor(TURKEY, 8), actor(SYRIA, 1), None, [], precision=2),))])
    assert store.stats()["fused_events"] == len(variants) + 1 - 1  # joined, and bridged nothing else
    joined = [e for e in store.events() if e["n_mentions"] > 1]
    assert len(joined) == 1 and joined[0]["n_sources"] == 2


def test_bridging_mention_merges_events_keeping_the_oldest_id(store):
    # Two reports 30 km apart at exact precision cannot be one event; a third between them (gp 2, same admin2) can join both.
    west = {**IDLIB, "name": "West", "geonameid": None, "latitude": 35.93, "longitude": 36.45, "geo_precision": 1}
    east = {**IDLIB, "name": "East", "geonameid": None, "latitude": 35.93, "longitude": 36.78, "geo_precision": 1}
    mid = {**IDLIB, "name": "Between", "geonameid": None, "latitude": 35.93, "longitude": 36.615, "geo_precision": 2}
    docs = []
    for n, loc in enumerate((west, east, mid)):
        text = f"[test text written for fogwatch] bridge {n}"
        docs.append(IncomingDocument(doc_key=content_key(text), doc_id=f"b{n}", text=text, outlet=f"O{n}", events=(
            event(f"b{n}", "Air/drone strike", "Explosions/Remote violence", "2020-02-03", loc, actor(SYRIA, 1), None, 2, []),)))
    store.add_batch(docs[:2])
    first_ids = [e["event_id"] for e in store.events()]
    assert len(first_ids) == 2
    store.add_batch(docs[2:])
    merged = store.events()
    assert len(merged) == 1 and merged[0]["n_mentions"] == 3 and merged[0]["event_id"] in first_ids


def test_filters(store):
    store.add_batch([seed_000(), seed_003(), unrelated_report(1), unrelated_report(2)])
    assert len(store.events(EventFilter(contested=True))) == 2
    assert {e["sub_event_type"] for e in store.events(EventFilter(event_type="protests"))} == {"Peaceful protest"}
    assert len(store.events(EventFilter(event_type="Armed clash"))) == 1
    idlib_box = BBox(36.4, 35.7, 36.9, 36.1)
    assert [e["location_name"] for e in store.events(EventFilter(bbox=idlib_box))] == ["Idlib"]
    assert len(store.events(EventFilter(since=__import__("datetime").date(2020, 3, 1)))) == 2
    assert len(store.events(EventFilter(until=__import__("datetime").date(2020, 2, 28)))) == 2
    assert len(store.events(EventFilter(admin1="aleppo"))) == 3
    assert len(store.events(EventFilter(country="SY"))) == 4 and store.events(EventFilter(country="TR")) == []
    assert len(store.events(EventFilter(actor="tahrir"))) == 1
    assert len(store.events(EventFilter(source="global research"))) == 2  # matches the republisher
    assert len(store.events(EventFilter(source="hawar"))) == 2
    assert store.count_events(EventFilter(source="hawar")) == 2
    assert store.events(EventFilter(source="100%_nobody")) == []


def test_malformed_event_fields_are_stored_as_unknown(store):
    text = "[test text written for fogwatch] malformed"
    bad = {"event_type": "Battles", "date": "03/02/2020", "location": "Idlib", "actor1": "army", "fatalities": "many",
           "claims": ["not a claim", {"quantity": "killed", "low": "six"}], "evidence": [{"start": "x"}]}
    store.add_batch([IncomingDocument(doc_key=content_key(text), doc_id="bad", text=text, events=(bad,))])
    (e,) = store.events()
    assert e["date_start"] is None and e["location_name"] is None and e["fatalities_best"] is None
    assert store.stats()["claims"] == 1


def test_newest_first_undated_last_and_the_bbox_path_agrees(store):
    text = "[test text written for fogwatch] an undated report"
    undated = IncomingDocument(doc_key=content_key(text), doc_id="undated", text=text, events=(
        event("u", "Armed clash", "Battles", None, IDLIB, actor(SYRIA, 1), None, None, []),))
    store.add_batch([seed_000(), seed_003(), unrelated_report(1), undated])
    rows = store.events()
    dates = [e["date_start"] for e in rows]
    assert dates[-1] is None and dates[:-1] == sorted(dates[:-1], reverse=True)
    world = store.events(EventFilter(bbox=BBox(-180, -90, 180, 90)))
    assert [e["event_id"] for e in world] == [e["event_id"] for e in rows]  # every event here has coordinates
    assert [e["event_id"] for e in store.events(EventFilter(bbox=BBox(-180, -90, 180, 90)), limit=2, offset=1)] == [e["event_id"] for e in rows[1:3]]


def _listed_report(doc_id, location, alternatives, fatalities):
    """One clash listed "near" several places; alternatives are (name, geonameid, lat, lon) with None for unknown places."""
    text = f"[test text written for fogwatch: {doc_id}] Counter-attacks near several villages killed Russian soldiers."
    loc = dict(location, geo_precision=2, alternatives=[
        {"name": n, "geonameid": g, "latitude": lat, "longitude": lon, "evidence": {"start": 0, "end": 5}}
        for n, g, lat, lon in alternatives])
    ev = event(f"{doc_id}-e1", "Armed clash", "Battles", "2020-02-01", loc, actor("Hayat Tahrir al-Sham", 2),
               actor("Military Forces of Russia (2000-)", 8), fatalities,
               [claim(fatalities, fatalities, None, "asserted", "Russian soldiers")] if fatalities else [], precision=2)
    return IncomingDocument(doc_key=content_key(text), doc_id=doc_id, text=text, published="2020-02-05",
                            source=doc_id, outlet=f"Outlet {doc_id}", events=(ev,))


def _zahraa_report(doc_id, fatalities):
    text = f"[test text written for fogwatch: {doc_id}] Four Russians were killed in the clashes near al-Zahraa."
    ev = event(f"{doc_id}-e1", "Armed clash", "Battles", "2020-02-01", ZAHRAA, actor("Hayat Tahrir al-Sham", 2),
               actor("Military Forces of Russia (2000-)", 8), fatalities,
               [claim(fatalities, fatalities, "pro-militant sources", "claimed", "Russian service members")])
    return IncomingDocument(doc_key=content_key(text), doc_id=doc_id, text=text, published="2020-02-04",
                            source=doc_id, outlet=f"Outlet {doc_id}", events=(ev,))


def test_a_mention_listed_at_several_places_fuses_on_any_of_them(store):
    # Saraqib is ~50 km from al-Zahraa; Khan Tuman, listed with it, is ~12 km away.
    store.add_batch([_listed_report("listed", SARAQIB, [("Khan Tuman", ALEPPO_SW["geonameid"], ALEPPO_SW["latitude"], ALEPPO_SW["longitude"])], 4)])
    store.add_batch([_zahraa_report("zahraa", 4)])
    events = store.events()
    assert len(events) == 1 and events[0]["n_documents"] == 2 and events[0]["contested"]


def test_a_mention_listed_at_unmapped_places_fuses_only_on_the_same_toll(db_url, tmp_path):
    unmapped = [("Rashidin 4", None, None, None), ("Khan Touman", None, None, None)]
    with open_store(db_url) as s:
        s.add_batch([_listed_report("unmapped", SARAQIB, unmapped, 4)])
        s.add_batch([_zahraa_report("same-toll", 4)])
        events = s.events()
        # 4 = 4 for the same actor pair, within one front's reach of Saraqib: one event.
        assert len(events) == 1 and events[0]["n_documents"] == 2
    # Another toll, or no unmapped names (Saraqib alone is ~50 km from al-Zahraa): two events.
    for name, alternatives, toll in (("other-toll", unmapped, 3), ("plain", [], 4)):
        with open_store(str(tmp_path / f"{name}.db")) as s:
            s.add_batch([_listed_report(name, SARAQIB, alternatives, 4)])
            s.add_batch([_zahraa_report("zahraa", toll)])
            assert len(s.events()) == 2, name
