"""fogwatch's own text export formats, registered in :mod:`fogwatch.export.registry` as a plugin's would be.

- ``acled-csv``: ACLED's columns, in ACLED's order and spelling, then fogwatch's extras; a text cell a
  spreadsheet would run as a formula is neutralised (:func:`csv_cell`).
- ``geojson``: an RFC 7946 FeatureCollection, ``[lon, lat]``, the event id as feature id, flat (scalar)
  properties; events without coordinates are left out (counted), or written with null geometry.
- ``jsonl``: one event per line with its member mentions, documents and claims nested.
- ``parquet``: GeoParquet (:mod:`fogwatch.export.parquet`).
"""

from __future__ import annotations

import csv
import json
from typing import IO, Any

from fogwatch.export.acled import ACLED_COLUMNS, EXTRA_COLUMNS, acled_row
from fogwatch.export.registry import Rows, Writer, register

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run (OWASP: a text cell starting with = + - @ tab or CR gets a leading ').

    Numbers stay numbers: a float or int is written as is, and so is text that reads as a number ("-3.5").
    """
    if value is None:
        return ""
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    try:
        float(value)
        return value
    except ValueError:
        return "'" + value


def write_acled_csv(rows: Rows, out: IO[str], *, counts: dict[str, int] | None = None) -> int:
    writer = csv.DictWriter(out, fieldnames=[*ACLED_COLUMNS, *EXTRA_COLUMNS], lineterminator="\n")
    writer.writeheader()
    n = 0
    for e, members in rows:
        row = acled_row(e, members)
        row["contested"] = "true" if row["contested"] else "false"
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
        n += 1
    return n


def geojson_feature(e: dict[str, Any], members: list[dict[str, Any]], include_unplaced: bool = False) -> dict[str, Any] | None:
    """The event as a GeoJSON Feature; an event without a point is None, or (``include_unplaced``) a Feature whose
    geometry is null, as RFC 7946 (section 3.2) allows for unlocated features."""
    placed = e["latitude"] is not None and e["longitude"] is not None
    if not placed and not include_unplaced:
        return None
    props = {k: v for k, v in acled_row(e, members).items() if k not in ("latitude", "longitude")}
    props["discrepancy"] = e["discrepancy"]
    return {
        "type": "Feature",
        "id": e["event_id"],
        "geometry": {"type": "Point", "coordinates": [round(e["longitude"], 6), round(e["latitude"], 6)]} if placed else None,
        "properties": props,
    }


def write_geojson(rows: Rows, out: IO[str], include_unplaced: bool = False, counts: dict[str, int] | None = None) -> int:
    """Write the FeatureCollection; returns the features written. ``counts["unplaced"]``: the events without a point
    (left out, or written with null geometry when ``include_unplaced``)."""
    out.write('{"type":"FeatureCollection","features":[')
    n = unplaced = 0
    for e, members in rows:
        if e["latitude"] is None or e["longitude"] is None:
            unplaced += 1
        feature = geojson_feature(e, members, include_unplaced)
        if feature is None:
            continue
        out.write(("," if n else "") + "\n" + json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
        n += 1
    out.write("\n]}\n")
    if counts is not None:
        counts["unplaced"] = unplaced
    return n


def write_jsonl(rows: Rows, out: IO[str], *, counts: dict[str, int] | None = None) -> int:
    n = 0
    for e, members in rows:
        out.write(json.dumps({**e, "members": members}, ensure_ascii=False, separators=(",", ":")) + "\n")
        n += 1
    return n


register(Writer("acled-csv", write_acled_csv, "stream", ".csv", "text/csv; charset=utf-8",
                "ACLED's 31 columns in ACLED's order, then fogwatch's extras"))
register(Writer("geojson", write_geojson, "stream", ".geojson", "application/geo+json",
                "an RFC 7946 FeatureCollection of the placed events (--include-unplaced: the others with null geometry)",
                options=frozenset({"include_unplaced"})))
register(Writer("jsonl", write_jsonl, "stream", ".jsonl", "application/x-ndjson",
                "one fused event a line with its member reports and claims"))
register(Writer("parquet", "fogwatch.export.parquet:write_parquet", "file", ".parquet", "application/vnd.apache.parquet",
                "GeoParquet: the ACLED columns typed (event_date a date), a WKB point geometry (EPSG:4326)"))

__all__ = ["csv_cell", "geojson_feature", "write_acled_csv", "write_geojson", "write_jsonl"]
