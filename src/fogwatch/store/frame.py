"""Store queries as pandas DataFrames with typed columns, for notebooks (``pip install 'fogwatch[pandas]'``).

>>> from datetime import date
>>> from fogwatch.store import EventFilter, open_store
>>> with open_store("fogwatch.db", read_only=True) as store:
...     events = store.events_frame(EventFilter(country="SY", since=date(2020, 1, 1)))  # one row per event
...     claims = store.claims_frame(EventFilter(contested=True))                     # one row per claim
>>> events.groupby("sub_event_type")["fatalities_best"].sum()

The rows are those :meth:`Store.events <fogwatch.store.Store.events>` returns (the same filters, newest first;
hedged and background events left out unless the filter asks for them), the columns those of the
``fused_events`` table (docs/store.md) with types taken from the table: dates ``datetime64[s]`` (``NaT`` when
unknown), counts and codes ``Int64`` and measures ``Float64`` (pandas' nullable types: ``<NA>``, not ``NaN`` or a
float count), flags ``boolean``, text ``string``; ``updated_at`` a UTC timestamp, ``discrepancy_reasons`` a list.
Without pandas these are E904, saying what to install.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from fogwatch.store.query import EventFilter
from fogwatch.store.schema import fused_events

if TYPE_CHECKING:
    from fogwatch.store.backend import Store

DataFrame = Any  # pandas.DataFrame: pandas ships no type information mypy reads (no pandas-stubs here)

PANDAS_INSTALL = "pip install 'fogwatch[pandas]'"

#: A claim row's columns and their pandas types (:func:`claims_frame`).
CLAIM_COLUMNS: dict[str, str] = {
    "event_id": "string", "mention_id": "string", "doc_id": "string", "outlet": "string", "published": "datetime64[s]",
    "quantity": "string", "low": "Int64", "high": "Int64", "figure": "string", "claimant": "string", "modality": "string",
    "subject": "string", "counted": "boolean", "count_reason": "string",
}


def _pandas() -> Any:
    from fogwatch.optional import require

    return require("pandas", PANDAS_INSTALL, "a DataFrame of the store's events")


def event_dtypes() -> dict[str, str]:
    """Each ``fused_events`` column (as :meth:`Store.events` returns them) and its pandas type, from the table's types."""
    out: dict[str, str] = {}
    for col in fused_events.c:
        if col.name == "event_pk":
            continue
        t = col.type
        if col.name == "updated_at":
            out[col.name] = "datetime64[s, UTC]"
        elif col.name == "discrepancy_reasons":
            out[col.name] = "object"  # a list of reasons per event
        elif isinstance(t, sa.Date):
            out[col.name] = "datetime64[s]"
        elif isinstance(t, sa.Boolean):
            out[col.name] = "boolean"
        elif isinstance(t, sa.Integer):  # BigInteger too
            out[col.name] = "Int64"
        elif isinstance(t, sa.Float):
            out[col.name] = "Float64"
        else:
            out[col.name] = "string"
    return out


def _frame(rows: list[dict[str, Any]], dtypes: dict[str, str]) -> DataFrame:
    pd = _pandas()
    frame = pd.DataFrame.from_records(rows, columns=list(dtypes)) if rows else pd.DataFrame({c: [] for c in dtypes})
    for name, dtype in dtypes.items():
        if dtype.startswith("datetime64"):
            utc = "UTC" in dtype
            frame[name] = pd.to_datetime(frame[name], utc=utc, format="ISO8601").astype(dtype)
        elif dtype != "object":
            frame[name] = frame[name].astype(dtype)
        else:
            frame[name] = frame[name].astype(object)
    return frame


def events_frame(store: "Store", filters: EventFilter = EventFilter(), limit: int | None = None, offset: int = 0) -> DataFrame:
    """The matching fused events, one row each, typed columns (see the module's docstring)."""
    _pandas()  # before the query: a missing pandas is E904 at once
    return _frame(store.events(filters, limit=limit, offset=offset), event_dtypes())


def claims_frame(store: "Store", filters: EventFilter = EventFilter(), limit: int | None = None, offset: int = 0) -> DataFrame:
    """Every claim of the matching events' member reports, one row each: who gives which figure, how firmly (``modality``),
    and whether it counts (``counted``, ``count_reason``); ``event_id`` joins it to :func:`events_frame`."""
    _pandas()
    events = store.events(filters, limit=limit, offset=offset)
    members = store.members([e["event_id"] for e in events])
    rows = [
        {"event_id": e["event_id"], "mention_id": m["mention_id"], "doc_id": m["doc_id"], "outlet": m["outlet"],
         "published": m["published"], **{k: c.get(k) for k in CLAIM_COLUMNS if k in c}}
        for e in events for m in members[e["event_id"]] for c in m["claims"]
    ]
    return _frame(rows, CLAIM_COLUMNS)


__all__ = ["CLAIM_COLUMNS", "PANDAS_INSTALL", "claims_frame", "event_dtypes", "events_frame"]
