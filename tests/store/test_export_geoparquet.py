"""The Parquet export is GeoParquet: a date32 event_date, a WKB point geometry (EPSG:4326), the ``geo`` metadata (issue 15)."""

from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import shapely

from fogwatch.export import ACLED_COLUMNS, EXTRA_COLUMNS, export
from fogwatch.store import EventFilter, open_store
from store_fixtures import seed_000, seed_003, unplaced_report, unrelated_report


@pytest.fixture
def exported(store, tmp_path):
    store.add_batch([seed_000(), seed_003(), unrelated_report(1), unplaced_report()])
    path = tmp_path / "events.parquet"
    counts: dict[str, int] = {}
    n = export(store, "parquet", EventFilter(), path=str(path), counts=counts)
    return store, path, n, counts


def test_parquet_is_geoparquet_with_a_date_and_a_wkb_point(exported):
    store, path, n, counts = exported
    assert n == 4 and counts == {"unplaced": 1}
    table = pq.read_table(path)
    assert table.column_names == [*ACLED_COLUMNS, *EXTRA_COLUMNS, "geometry"]
    assert table.schema.field("event_date").type == pa.date32()
    assert table.schema.field("geometry").type == pa.binary()
    geo = json.loads(pq.read_schema(path).metadata[b"geo"])
    assert geo["version"] == "1.1.0" and geo["primary_column"] == "geometry"
    column = geo["columns"]["geometry"]
    assert column["encoding"] == "WKB" and column["geometry_types"] == ["Point"]
    assert column["crs"]["id"] == {"authority": "EPSG", "code": 4326}

    rows = {r["event_id_cnty"]: r for r in table.to_pylist()}
    events = {e["event_id"]: e for e in store.events()}
    assert set(rows) == set(events)
    xs, ys = [], []
    for eid, row in rows.items():
        e = events[eid]
        assert row["event_date"] == dt.date.fromisoformat(e["event_date"] or e["date_start"])
        if e["latitude"] is None:
            assert row["geometry"] is None and row["latitude"] is None  # unplaced: null geometry, still exported
            continue
        point = shapely.from_wkb(row["geometry"])
        assert point.geom_type == "Point" and (point.x, point.y) == (e["longitude"], e["latitude"])  # lon, lat: exact
        xs.append(point.x)
        ys.append(point.y)
    assert column["bbox"] == [min(xs), min(ys), max(xs), max(ys)]


def test_geopandas_reads_it_as_a_geodataframe(exported):
    gpd = pytest.importorskip("geopandas")  # in the [test] extra; the writer itself needs only pyarrow and shapely
    _, path, n, _ = exported
    gdf = gpd.read_parquet(path)
    assert len(gdf) == n and gdf.geometry.name == "geometry" and gdf.crs.to_epsg() == 4326
    placed = gdf[gdf.geometry.notna()]
    assert len(placed) == 3 and all(placed.geometry.x == placed["longitude"]) and all(placed.geometry.y == placed["latitude"])
    assert gdf.geometry.isna().sum() == 1
    assert str(gdf["event_date"].dtype) in ("object", "date32[day][pyarrow]")  # pandas keeps datetime.date values
    assert isinstance(gdf["event_date"].dropna().iloc[0], dt.date)


def test_an_empty_export_is_a_valid_geoparquet_file(tmp_path):
    with open_store(str(tmp_path / "empty.db")) as store:
        path = tmp_path / "none.parquet"
        assert export(store, "parquet", EventFilter(), path=str(path)) == 0
    table = pq.read_table(path)
    assert table.num_rows == 0 and table.schema.field("event_date").type == pa.date32()
    geo = json.loads(pq.read_schema(path).metadata[b"geo"])
    assert "bbox" not in geo["columns"]["geometry"]  # no placed event: no bounding box


def test_a_missing_shapely_is_a_coded_error_with_the_install_command(store, tmp_path, monkeypatch):
    import sys

    from fogwatch.errors import Code, UsageError

    store.add_batch([unrelated_report(1)])
    monkeypatch.setitem(sys.modules, "shapely", None)  # as if not installed: importing it raises ImportError
    with pytest.raises(UsageError) as err:
        export(store, "parquet", EventFilter(), path=str(tmp_path / "x.parquet"))
    assert err.value.code == Code.MISSING_EXTRA and "pip install shapely" in str(err.value)


def test_the_command_line_writes_geoparquet_and_says_how_many_are_unplaced(run_cli, tmp_path):
    db = str(tmp_path / "cli.db")
    with open_store(db) as store:
        store.add_batch([seed_000(), unrelated_report(1), unplaced_report()])
    out = tmp_path / "events.parquet"
    proc = run_cli("export", "--format", "parquet", "--db", db, "-o", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    said = " ".join(proc.stderr.decode().split())  # the summary wraps at the terminal's width
    assert f"exported 4 event(s) as parquet to {out}; 1 of them without a location, with null geometry" in said
    table = pq.read_table(out)
    assert table.num_rows == 4 and table.column("geometry").null_count == 1 and b"geo" in table.schema.metadata
