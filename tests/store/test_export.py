"""Exports: ACLED CSV columns and order, RFC 7946 GeoJSON, JSON lines, Parquet; ids stable across re-runs."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest

from fogwatch.export import ACLED_COLUMNS, EXTRA_COLUMNS, export
from fogwatch.store import EventFilter, IncomingDocument, content_key, open_store
from store_fixtures import HTS, IDLIB, SYRIA, actor, claim, event, seed_000, seed_003, unplaced_report, unrelated_report

ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,"
    "actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,"
    "longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp,"
    "modality,confidence,fatalities_low,fatalities_high,n_sources,contested,claims,source_urls"
)


def _fill(store):
    store.add_batch([seed_000(), seed_003(), unrelated_report(1), unplaced_report()])


def _dump(store, fmt, flt=EventFilter()):
    buf = io.StringIO()
    n = export(store, fmt, flt, out=buf)
    return n, buf.getvalue()


def test_acled_csv_has_acleds_columns_in_acleds_order_then_extras(store):
    _fill(store)
    n, text = _dump(store, "acled-csv")
    assert text.splitlines()[0] == ACLED_HEADER
    assert ",".join((*ACLED_COLUMNS, *EXTRA_COLUMNS)) == ACLED_HEADER
    rows = list(csv.DictReader(io.StringIO(text)))
    assert n == len(rows) == 4
    turkish = next(r for r in rows if r["sub_event_type"] == "Shelling/artillery/missile attack")
    assert turkish["iso"] == "760" and turkish["country"] == "Syria" and turkish["region"] == "Middle East"
    assert turkish["disorder_type"] == "Political violence" and turkish["interaction"] == "18"
    assert (turkish["fatalities"], turkish["fatalities_low"], turkish["fatalities_high"]) == ("6", "6", "8")
    assert turkish["contested"] == "true" and turkish["year"] == "2020" and turkish["event_date"] == "2020-02-03"
    assert "Turkish Defense Ministry" in turkish["claims"] and "at least 6" in turkish["claims"]
    assert "southfront.example" in turkish["source_urls"] and "globalresearch.example" in turkish["source_urls"]
    assert "Contested" in turkish["notes"]
    unplaced = next(r for r in rows if r["sub_event_type"] == "Arrests")
    assert unplaced["latitude"] == "" and unplaced["fatalities"] == "0" and unplaced["disorder_type"] == "Strategic developments"


def test_geojson_is_rfc7946_lon_lat_with_stable_ids_and_flat_properties(store):
    _fill(store)
    n, text = _dump(store, "geojson")
    fc = json.loads(text)
    assert fc["type"] == "FeatureCollection" and n == len(fc["features"]) == 3  # the unplaced event is left out
    ids = [f["id"] for f in fc["features"]]
    assert len(set(ids)) == 3 and set(ids) <= {e["event_id"] for e in store.events()}
    for f in fc["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert 35 < lon < 39 and 35 < lat < 37.5  # Syria: longitude first
        assert all(not isinstance(v, (dict, list)) for v in f["properties"].values())
    _, again = _dump(store, "geojson")
    assert again == text  # byte-identical on re-export


def test_geojson_counts_the_unplaced_event_and_can_write_it_with_null_geometry(store):
    _fill(store)
    counts: dict[str, int] = {}
    buf = io.StringIO()
    assert export(store, "geojson", EventFilter(), out=buf, counts=counts) == 3 and counts == {"unplaced": 1}
    buf = io.StringIO()
    n = export(store, "geojson", EventFilter(), out=buf, include_unplaced=True, counts=counts)
    fc = json.loads(buf.getvalue())
    assert n == len(fc["features"]) == 4 and counts == {"unplaced": 1}
    [unplaced] = [f for f in fc["features"] if f["geometry"] is None]  # RFC 7946 3.2: an unlocated feature
    assert unplaced["id"] in {e["event_id"] for e in store.events()} and unplaced["properties"]["event_type"]


def test_export_says_how_many_events_had_no_location(run_cli, tmp_path):
    db = str(tmp_path / "unplaced.db")
    with open_store(db) as store:
        _fill(store)
    proc = run_cli("export", "--format", "geojson", "--db", db)
    assert proc.returncode == 0 and len(json.loads(proc.stdout)["features"]) == 3
    assert "exported 3 event(s) as geojson; 1 event(s) without a location left out (--include-unplaced" in proc.stderr.decode()
    proc = run_cli("export", "--format", "geojson", "--db", db, "--include-unplaced")
    assert [f["geometry"] for f in json.loads(proc.stdout)["features"]].count(None) == 1
    assert "exported 4 event(s) as geojson; 1 of them without a location, with null geometry" in proc.stderr.decode()


def test_jsonl_keeps_every_event_with_members(store):
    _fill(store)
    n, text = _dump(store, "jsonl")
    records = [json.loads(line) for line in text.splitlines()]
    assert n == len(records) == 4
    turkish = next(r for r in records if r["sub_event_type"] == "Shelling/artillery/missile attack")
    assert {m["doc_id"] for m in turkish["members"]} == {"000_test", "003_test"}
    assert any(c["claimant"] == "Turkish Defense Ministry" for m in turkish["members"] for c in m["claims"])


def test_parquet_round_trips(store, tmp_path):
    _fill(store)
    path = tmp_path / "events.parquet"
    assert export(store, "parquet", EventFilter(contested=True), path=str(path)) == 2
    table = pq.read_table(path)
    assert table.column_names == [*ACLED_COLUMNS, *EXTRA_COLUMNS, "geometry"]  # GeoParquet: tests/store/test_export_geoparquet.py
    assert table.num_rows == 2 and table.column("contested").to_pylist() == [True, True]
    assert sorted(table.column("fatalities").to_pylist()) == [4, 6]


def test_event_ids_are_stable_across_fresh_reingests(tmp_path):
    outputs = []
    for run in range(2):
        store = open_store(str(tmp_path / f"run{run}.db"))
        docs = [seed_000(), seed_003(), unrelated_report(1), unplaced_report()]
        if run:  # a different batch order and split must not change ids
            store.add_batch(docs[2:])
            store.add_batch(docs[:2])
        else:
            store.add_batch(docs)
        n, text = _dump(store, "acled-csv")
        outputs.append(sorted(r["event_id_cnty"] for r in csv.DictReader(io.StringIO(text))))
        store.close()
    assert outputs[0] == outputs[1] and len(outputs[0]) == 4


# --- assoc_actor_*, source_scale, tags, admin3 --------------------------------------------------

def _clash_doc(doc_id, outlet, a1, a2, claims=(), *, url=None, republisher=None, confidence=0.8):
    text = f"[test text written for fogwatch] {doc_id}: a clash near Idlib on 5 February. " * 3
    return IncomingDocument(doc_key=content_key(text), doc_id=doc_id, text=text, outlet=outlet, source=republisher or outlet,
                            republisher=republisher, url=url, events=(
        event(f"{doc_id}-e1", "Armed clash", "Battles", "2020-02-05", IDLIB, a1, a2, None, list(claims), confidence=confidence),))


def test_acled_csv_fills_assoc_actors_source_scale_and_tags_from_members(store):
    store.add_batch([
        _clash_doc("reuters", "Reuters", actor(SYRIA, 1, "Syrian Army"), actor(HTS, 2),
                   [claim(5, 5, None, "asserted", "civilians", quantity="injured")], url="https://www.reuters.com/a", confidence=0.9),
        # the sides written the other way round, the Syrian side named by its unit
        _clash_doc("sana", "SANA", actor(HTS, 2, "terrorists of HTS"), actor(SYRIA, 1, "Tiger Forces"),
                   [claim(3, 3, None, "hypothetical", "fighters", quantity="captured")]),
        _clash_doc("anadolu", "Anadolu Agency", actor(SYRIA, 1, "regime forces"), actor(HTS, 2),
                   [claim(7, 7, "activists", "reported", "civilians", quantity="injured")]),
        _clash_doc("blog", "Somewhere Blog", actor(SYRIA, 1), actor(HTS, 2)),  # unknown outlet: adds no scale
    ])
    _, text = _dump(store, "acled-csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1, rows  # one fused event
    row = rows[0]
    # one report names the Syrian army's unit: ACLED writes it after the force, not in assoc_actor_1
    assert (row["actor1"], row["actor2"]) == (f"{SYRIA} Tiger Forces", HTS)
    assert row["assoc_actor_1"] == "" and row["assoc_actor_2"] == ""
    # Reuters International; SANA National (a Syrian event); Anadolu (Turkey) Regional in Syria
    assert row["source_scale"] == "National-Regional-International"
    # injured: the lowest committed figure (5, not 7); captured only hypothetically: no tag
    assert row["tags"] == "injured=5"
    assert row["admin3"] == "" and row["admin2"] == "Idlib District"
    # jsonl carries the members' own actors the assoc columns came from
    _, lines = _dump(store, "jsonl")
    members = json.loads(lines.splitlines()[0])["members"]
    assert {m["actor2_text"] for m in members if m["doc_id"] == "sana"} == {"Tiger Forces"}


def test_acled_csv_seed_events_scales(store):
    _fill(store)
    _, text = _dump(store, "acled-csv")
    rows = {r["sub_event_type"]: r for r in csv.DictReader(io.StringIO(text))}
    # South Front's own report and its Global Research republication: South Front, New media
    assert rows["Shelling/artillery/missile attack"]["source_scale"] == "New media"
    assert rows["Peaceful protest"]["source_scale"] == "Subnational"  # Hawar News in Syria
    assert rows["Arrests"]["source_scale"] == ""  # "Somewhere News" is not in the registry
    assert rows["Peaceful protest"]["tags"] == ""  # no crowd-size figure is extracted: no tag claims one
    assert all(r["assoc_actor_1"] == r["assoc_actor_2"] == "" for r in rows.values())


def _member(mid, a1, a2, t1=None, t2=None):
    return {"mention_id": mid, "doc_key": mid, "claims": [], "actor1": a1, "actor1_text": t1 or a1, "actor2": a2, "actor2_text": t2 or a2}


def test_assoc_actors_side_rules():
    from fogwatch.events.actors import load_registry
    from fogwatch.export.acled import assoc_actors

    reg = load_registry(use_env=False)
    iran, russia = "Military Forces of Iran (1989-)", "Military Forces of Russia (2000-)"
    e = {"actor1": SYRIA, "actor2": HTS}
    members = [
        _member("a", SYRIA, HTS),
        _member("b", iran, HTS, t1="Iranian-backed militias"),  # beside Syria: actor2 matches
        _member("c", HTS, russia),  # swapped: Russia on Syria's side
        _member("d", SYRIA, "Unidentified Armed Group (Syria)"),  # vague: not an associated actor
        _member("e", "Jaish al-Islam", "Ahrar al-Sham"),  # neither side known: skipped
        _member("f", SYRIA, HTS, t1="4th Armoured Division"),
    ]
    # the Syrian army's one named unit goes into actor1 (side_actors), not into assoc_actor_1
    assert assoc_actors(e, members, reg) == (f"{iran}; {russia}", "")
    # a name reported on both sides (here fighting the Syrian army) is left out of both
    both = [*members, _member("g", iran, SYRIA)]
    assert assoc_actors(e, both, reg) == (russia, "")
    # actor2's name never lands in assoc_actor_1, even when one report puts it on actor1's side
    odd = [_member("h", SYRIA, HTS), _member("i", HTS, HTS)]
    assert HTS not in assoc_actors(e, odd, reg)[0]
    assert assoc_actors({"actor1": None, "actor2": None}, members, reg) == ("", "")


def test_side_actors_write_a_named_subunit_after_its_force():
    """ACLED's own exports put a state force's sub-unit in the actor's name ("Military Forces of Somalia
    (2022-) Puntland Dervish Force"), as fogwatch.events.actors.acled_name does; assoc only otherwise."""
    from fogwatch.events.actors import load_registry
    from fogwatch.export.acled import SideActors, side_actors

    reg = load_registry(use_env=False)
    somalia, shabaab = "Military Forces of Somalia (2022-)", "Al Shabaab"
    dervish = next(f.subunit for f in reg.find("the Puntland Dervish Force") if f.subunit)
    assert dervish == "Puntland Dervish Force"
    e = {"actor1": shabaab, "actor2": somalia}
    # one report names the unit, another only the force: ACLED's form, the unit not repeated in assoc
    members = [_member("a", shabaab, somalia, t2="Puntland Dervish Force"), _member("b", shabaab, somalia, t2="Somali troops")]
    assert side_actors(e, members, reg) == SideActors(shabaab, "", f"{somalia} {dervish}", "")
    # written the other way round by a report: still actor2's unit
    swapped = [_member("c", somalia, shabaab, t1="Puntland Dervish Force")]
    assert side_actors(e, swapped, reg).actor2 == f"{somalia} {dervish}"
    # two different units of the one force: not consistent, both stay associated actors as before
    syria = {"actor1": SYRIA, "actor2": HTS}
    two = [_member("d", SYRIA, HTS, t1="Tiger Forces"), _member("e", SYRIA, HTS, t1="4th Armoured Division")]
    assert side_actors(syria, two, reg) == SideActors(SYRIA, "4th Armoured Division; Tiger Forces", HTS, "")
    # no unit named: the event's own actors, as before
    assert side_actors(syria, [_member("f", SYRIA, HTS)], reg) == SideActors(SYRIA, "", HTS, "")
    assert side_actors({"actor1": None, "actor2": None}, members, reg) == SideActors(None, "", None, "")


def test_outlet_registry_matches_names_domains_and_scales_by_event_country(tmp_path):
    from fogwatch.errors import Code, UsageError
    from fogwatch.outlets import combine, load_outlets, scale_for
    from fogwatch.export.acled import acled_region as _region

    reg = load_outlets(use_env=False)
    assert reg.by_name("reuters").name == "Reuters" and reg.by_name("AFP").name == "Agence France-Presse"
    assert reg.by_name("Syrian Observatory for Human Rights").scale == "Other"
    assert reg.by_name("www.bbc.co.uk").name == "BBC" and reg.by_url("https://english.aawsat.com/x").scale == "Regional"
    assert reg.by_name("Reuters Institute blog") is None  # whole names only
    # a republisher's URL says nothing about the original outlet
    assert reg.outlet_of({"outlet": "Unknown Wire", "republisher": "Someone", "url": "https://www.reuters.com/x"}) is None
    assert reg.outlet_of({"outlet": "Unknown Wire", "republisher": None, "url": "https://www.reuters.com/x"}).name == "Reuters"
    sana, tass, hawar = reg.by_name("SANA"), reg.by_name("TASS"), reg.by_name("ANHA")
    assert scale_for(sana, "SY", _region) == "National" and scale_for(sana, "IQ", _region) == "Regional"
    assert scale_for(tass, "SY", _region) == "International" and scale_for(tass, "RU", _region) == "National"
    assert scale_for(hawar, "SY", _region) == "Subnational"
    assert combine(["International", "National", "International"]) == "National-International"
    assert combine(["Other", "Local partner"]) == "Local partner-Other" and combine([]) == ""

    mine = tmp_path / "mine.yaml"
    mine.write_text("outlets:\n  - {name: South Front, scale: other}\n  - {name: Idlib Post, country: SY, scale: Subnational, domains: [idlibpost.example]}\n")
    reg = load_outlets([str(mine)], use_env=False)
    assert reg.by_name("SouthFront") is None  # the replacing entry lists no aliases
    assert reg.by_name("South Front").scale == "Other" and reg.by_url("http://news.idlibpost.example/1").name == "Idlib Post"
    bad = tmp_path / "bad.yaml"
    bad.write_text("outlets:\n  - {name: X News, scale: Global}\n")
    with pytest.raises(UsageError) as err:
        load_outlets([str(bad)], use_env=False)
    assert err.value.code == Code.OUTLET_REGISTRY and "bad.yaml" in str(err.value) and "scale" in str(err.value)


def test_export_uses_fogwatch_outlets_and_fails_before_writing(store, tmp_path, monkeypatch):
    store.add_batch([unrelated_report(2)])
    mine = tmp_path / "outlets"
    mine.mkdir()
    (mine / "hawar.yaml").write_text("outlets:\n  - {name: Hawar News Agency, aliases: [Hawar News], scale: Local partner}\n")
    monkeypatch.setenv("FOGWATCH_OUTLETS", str(mine))
    _, text = _dump(store, "acled-csv")
    assert next(csv.DictReader(io.StringIO(text)))["source_scale"] == "Local partner"
    (mine / "hawar.yaml").write_text("outlets: [oops]\n")
    monkeypatch.setenv("FOGWATCH_OUTLETS", str(mine) + "/")  # a new value: the cache reloads
    buf = io.StringIO()
    from fogwatch.errors import UsageError

    with pytest.raises(UsageError):
        export(store, "acled-csv", EventFilter(), out=buf)
    assert buf.getvalue() == ""


def test_tags_follow_the_fatalities_rule():
    from fogwatch.export.acled import tags

    def m(mid, *claims):
        return {"mention_id": mid, "doc_key": mid, "claims": [dict(c, figure=None) for c in claims]}

    members = [
        m("a", claim(4, 4, None, "asserted", "civilians", quantity="injured"), claim(2, 2, None, "asserted", "soldiers", quantity="captured")),
        m("b", claim(9, 9, "activists", "claimed", "civilians", quantity="injured"), claim(20, None, None, "asserted", "families", quantity="displaced")),
        m("c", claim(1, 1, None, "denied", "soldiers", quantity="missing"), claim(3, 3, None, "asserted", "houses", quantity="destroyed")),
    ]
    # injured: one group, lowest committed 4; captured 2; displaced at least 20; denied and "destroyed" are no tags
    assert tags(members) == "injured=4; captured=2; displaced=20"
    assert tags([]) == ""
