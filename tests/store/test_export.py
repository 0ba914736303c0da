"""Exports: ACLED CSV columns and order, RFC 7946 GeoJSON, JSON lines, Parquet; ids stable across re-runs."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest

from fogwatch.export import ACLED_COLUMNS, EXTRA_COLUMNS, export
from fogwatch.store import EventFilter, IncomingDocument, content_key, open_store
from store_fixtures import SYRIA, actor, event, seed_000, seed_003, unrelated_report

ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,"
    "actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,"
    "longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp,"
    "fatalities_low,fatalities_high,n_sources,contested,claims,source_urls"
)


def _unplaced() -> IncomingDocument:
    text = "[test text written for fogwatch] arrests somewhere in the countryside"
    loc = {"name": "the countryside", "geonameid": None, "latitude": None, "longitude": None, "country_code": "SY",
           "admin1": None, "admin2": None, "geo_precision": 3}
    return IncomingDocument(doc_key=content_key(text), doc_id="unplaced", text=text, outlet="Somewhere News", events=(
        event("u1", "Arrests", "Strategic developments", "2020-02-10", loc, actor(SYRIA, 1), None, None, []),))


def _fill(store):
    store.add_batch([seed_000(), seed_003(), unrelated_report(1), _unplaced()])


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
    assert table.column_names == [*ACLED_COLUMNS, *EXTRA_COLUMNS]
    assert table.num_rows == 2 and table.column("contested").to_pylist() == [True, True]
    assert sorted(table.column("fatalities").to_pylist()) == [4, 6]


def test_event_ids_are_stable_across_fresh_reingests(tmp_path):
    outputs = []
    for run in range(2):
        store = open_store(str(tmp_path / f"run{run}.db"))
        docs = [seed_000(), seed_003(), unrelated_report(1), _unplaced()]
        if run:  # a different batch order and split must not change ids
            store.add_batch(docs[2:])
            store.add_batch(docs[:2])
        else:
            store.add_batch(docs)
        n, text = _dump(store, "acled-csv")
        outputs.append(sorted(r["event_id_cnty"] for r in csv.DictReader(io.StringIO(text))))
        store.close()
    assert outputs[0] == outputs[1] and len(outputs[0]) == 4
