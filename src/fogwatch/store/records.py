"""The store's fused events as typed, frozen records (:class:`StoredEvent`), for code that wants attributes, not dict keys.

>>> with open_store("fogwatch.db", read_only=True) as store:
...     for e in store.event_records(EventFilter(contested=True)):
...         print(e.event_date, e.sub_event_type, e.fatalities_low, e.fatalities_high)

One field per ``fused_events`` column (docs/store.md), as :meth:`Store.events <fogwatch.store.Store.events>` returns
them, with Python types: dates are :class:`datetime.date`, ``updated_at`` a :class:`datetime.datetime`, the discrepancy
reasons a tuple. ``tests/store/test_frame.py`` keeps the fields equal to the table's columns.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

_DATES = ("event_date", "date_start", "date_end", "window_start", "window_end")


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """A fused event as the store keeps it: one real-world event, fused across the reports that mention it."""

    event_id: str
    event_type: str | None
    sub_event_type: str | None
    event_date: date | None  # the representative day (the most precise member)
    date_start: date | None  # the union of the members' date windows
    date_end: date | None
    time_precision: int | None
    location_name: str | None
    geonameid: int | None
    latitude: float | None
    longitude: float | None
    country_code: str | None
    admin1: str | None
    admin2: str | None
    geo_precision: int | None
    actor1: str | None
    actor1_inter: int | None
    actor2: str | None
    actor2_inter: int | None
    fatalities_low: int | None
    fatalities_best: int | None  # the conservative ACLED figure
    fatalities_high: int | None
    n_mentions: int
    n_documents: int
    n_sources: int  # independent sources; republications do not count
    sources: str | None
    contested: bool
    discrepancy: float  # 0: the sources agree, 1: a flat contradiction
    discrepancy_reasons: tuple[str, ...]
    updated_at: datetime
    window_start: date | None
    window_end: date | None
    modality: str | None
    confidence: float | None
    background: bool

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "StoredEvent":
        """From a :meth:`Store.events` dict (ISO date strings); keys the record does not know are an error."""
        values = dict(d)
        for k in _DATES:
            v = values.get(k)
            values[k] = date.fromisoformat(v) if isinstance(v, str) else v
        if isinstance(values.get("updated_at"), str):
            values["updated_at"] = datetime.fromisoformat(values["updated_at"])
        values["discrepancy_reasons"] = tuple(values.get("discrepancy_reasons") or ())
        values["background"] = bool(values.get("background"))
        return cls(**values)


FIELDS: tuple[str, ...] = tuple(f.name for f in fields(StoredEvent))

__all__ = ["FIELDS", "StoredEvent"]
