"""The ``parquet`` export: GeoParquet 1.1 (https://geoparquet.org/releases/v1.1.0/), written with pyarrow and shapely.

The ACLED columns and extras, typed: ``event_date`` a ``date32`` (not a string), counts ``int64``, coordinates
``float64``, ``contested`` a boolean; then ``geometry``, the event's point as WKB (little-endian, 2D), null for an
event without a location. The file's ``geo`` metadata names ``geometry`` as the primary WKB column with its
geometry type (Point), its CRS (EPSG:4326 as PROJJSON, ``data/export/epsg4326.projjson``, which pyproj 3.7.2 /
PROJ 9.5.1 wrote for ``CRS.from_epsg(4326)``; coordinates are longitude, latitude as GeoParquet requires) and the
bounding box of the placed events. ``geopandas.read_parquet`` reads it as a GeoDataFrame.

Rows are written in chunks (``chunk`` events a row group), so memory stays flat for any size of store.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from importlib.resources import files
from typing import Any

from fogwatch.export.acled import ACLED_COLUMNS, EXTRA_COLUMNS, acled_row
from fogwatch.export.registry import Rows

GEOMETRY = "geometry"
GEOPARQUET_VERSION = "1.1.0"
_INTS = frozenset({"year", "time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision", "fatalities", "timestamp",
                   "fatalities_low", "fatalities_high", "n_sources"})


def arrow_schema() -> Any:
    """The file's columns: ACLED's, the extras, then the WKB geometry."""
    import pyarrow as pa

    fields = []
    for name in (*ACLED_COLUMNS, *EXTRA_COLUMNS):
        if name in _INTS:
            fields.append(pa.field(name, pa.int64()))
        elif name == "event_date":
            fields.append(pa.field(name, pa.date32()))
        elif name in ("latitude", "longitude", "confidence"):
            fields.append(pa.field(name, pa.float64()))
        elif name == "contested":
            fields.append(pa.field(name, pa.bool_()))
        else:
            fields.append(pa.field(name, pa.string()))
    fields.append(pa.field(GEOMETRY, pa.binary()))
    return pa.schema(fields)


@lru_cache(maxsize=1)
def epsg4326() -> dict[str, Any]:
    """EPSG:4326 (WGS 84) as PROJJSON, the form GeoParquet's ``crs`` takes."""
    return json.loads(files("fogwatch").joinpath("data/export/epsg4326.projjson").read_text(encoding="utf-8"))


def geo_metadata(bbox: tuple[float, float, float, float] | None) -> dict[str, Any]:
    """The ``geo`` key-value metadata GeoParquet readers look for."""
    column: dict[str, Any] = {"encoding": "WKB", "geometry_types": ["Point"], "crs": epsg4326()}
    if bbox is not None:
        column["bbox"] = list(bbox)
    return {"version": GEOPARQUET_VERSION, "primary_column": GEOMETRY, "columns": {GEOMETRY: column}}


def _chunk_table(buf: list[dict[str, Any]], schema: Any, shapely: Any) -> Any:
    import pyarrow as pa

    points = [shapely.Point(r["longitude"], r["latitude"]) if r["latitude"] is not None and r["longitude"] is not None else None
              for r in buf]
    wkb = shapely.to_wkb(points, output_dimension=2, byte_order=1, flavor="iso") if points else []
    for r, g in zip(buf, wkb):
        r[GEOMETRY] = g
    return pa.Table.from_pylist(buf, schema=schema)


def write_parquet(rows: Rows, path: str, *, counts: dict[str, int] | None = None, chunk: int = 5000) -> int:
    """Write the GeoParquet file at ``path``; returns the events written. ``counts["unplaced"]``: those with null geometry."""
    import pyarrow.parquet as pq

    from fogwatch.optional import require

    shapely = require("shapely", "pip install shapely==2.2.0 (a dependency of fogwatch: the installation is incomplete)",
                      "the Parquet export (WKB geometry)")
    schema = arrow_schema()
    n = unplaced = 0
    lo_x = lo_y = float("inf")
    hi_x = hi_y = float("-inf")
    # store_schema=False: no ARROW:schema blob, whose copy of the metadata (fixed when the writer opens) would hide the
    # ``geo`` key added at the end with the bounding box; every column's type reads back the same from Parquet's own types.
    with pq.ParquetWriter(path, schema, store_schema=False) as writer:
        buf: list[dict[str, Any]] = []
        for e, members in rows:
            row = acled_row(e, members)
            row["event_date"] = date.fromisoformat(row["event_date"]) if row["event_date"] else None
            lon, lat = row["longitude"], row["latitude"]
            if lon is None or lat is None:
                unplaced += 1
            else:
                lo_x, lo_y, hi_x, hi_y = min(lo_x, lon), min(lo_y, lat), max(hi_x, lon), max(hi_y, lat)
            buf.append(row)
            n += 1
            if len(buf) >= chunk:
                writer.write_table(_chunk_table(buf, schema, shapely))
                buf = []
        if buf or n == 0:
            writer.write_table(_chunk_table(buf, schema, shapely))
        bbox = (lo_x, lo_y, hi_x, hi_y) if n > unplaced else None
        writer.add_key_value_metadata({"geo": json.dumps(geo_metadata(bbox), separators=(",", ":"))})
    if counts is not None:
        counts["unplaced"] = unplaced
    return n


__all__ = ["GEOMETRY", "arrow_schema", "epsg4326", "geo_metadata", "write_parquet"]
