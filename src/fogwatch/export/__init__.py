"""Fused events out of the store, in the formats analysts already use.

The package's parts:

- :mod:`fogwatch.export.acled`: the ACLED mapping every format shares (:func:`acled_row`, ACLED's columns and
  the ones fogwatch derives: ``assoc_actor_*``, ``source_scale``, ``tags``, ``admin*``).
- :mod:`fogwatch.export.rows`: the fused events read from the store with their member mentions.
- :mod:`fogwatch.export.registry`: the formats by name (:class:`~fogwatch.export.registry.Writer`); the
  command line, :func:`export` and the workbench's downloads look formats up there, so a new format is one
  registration (or an entry point in the ``fogwatch.export`` group).
- :mod:`fogwatch.export.writers`: ``acled-csv``, ``geojson``, ``jsonl``; :mod:`fogwatch.export.parquet`:
  ``parquet`` (GeoParquet: a real date type, a WKB point geometry in EPSG:4326).

Event ids are the store's fused event ids: stable across re-runs and re-exports. Every format shows only
http(s) source URLs, without credentials (:func:`safe_url`); in the CSV a text cell that a spreadsheet would
run as a formula is neutralised (:func:`csv_cell`).
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from fogwatch.export.acled import ACLED_COLUMNS, EXTRA_COLUMNS, TAG_QUANTITIES, acled_row, assoc_actors, safe_url, source_scale, tags
from fogwatch.export.registry import Writer, get, register, writers
from fogwatch.export.rows import add_member_actors, iter_with_members
from fogwatch.export.writers import csv_cell
from fogwatch.store.query import EventFilter

if TYPE_CHECKING:
    from fogwatch.store import Store

#: fogwatch's own formats (plugins add theirs to :func:`writers`).
FORMATS = ("acled-csv", "geojson", "jsonl", "parquet")


def export(store: "Store", fmt: str, filters: EventFilter, out: IO[str] | None = None, path: str | None = None, *,
           include_unplaced: bool = False, counts: dict[str, int] | None = None) -> int:
    """Write the matching events in format ``fmt``; returns how many were written.

    A stream format writes to ``out``; a file format (``parquet``) to ``path``. GeoJSON: events without a point
    are left out unless ``include_unplaced`` (null geometry); ``counts``, when given, receives ``unplaced``, how
    many matching events had no point (GeoJSON, Parquet).
    """
    from fogwatch.errors import Code, UsageError
    from fogwatch.export.acled import load_registries

    writer = get(fmt)
    options = {"include_unplaced": True} if include_unplaced else {}
    target: IO[str] | str
    if writer.target == "file":
        if not path:
            raise UsageError(f"--format {fmt} writes a file: it needs an output path", Code.BAD_OPTION)
        target = path
    else:
        if out is None:
            raise UsageError(f"--format {fmt} needs an output stream", Code.BAD_OPTION)
        target = out
    # Load the registries first: a bad user file stops the export before anything is written.
    load_registries()
    return writer(iter_with_members(store, filters), target, counts if counts is not None else {}, **options)


__all__ = ["ACLED_COLUMNS", "EXTRA_COLUMNS", "FORMATS", "TAG_QUANTITIES", "Writer", "acled_row", "add_member_actors", "assoc_actors",
           "csv_cell", "export", "get", "iter_with_members", "register", "safe_url", "source_scale", "tags", "writers"]
