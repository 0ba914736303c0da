"""Versioned migrations: each opens an existing database and brings it up to date in place.

A migration is a numbered function run once, inside its own transaction, and
recorded in ``schema_version``. Never edit a released migration: add the next
number. A migration calls no live code of other packages (fusion, events): what
it computes is copied here as it was (``_v3_window``), so an old store migrates
the same way whatever later versions change. Version 1 creates the tables of
:mod:`fogwatch.store.schema`; a column added later must be added by an ``ALTER
TABLE`` migration *and* left out of the version-1 ``create_all`` (mark it
``info={"since": N}``), so old and new databases end up identical.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from fogwatch.errors import Code, FogwatchError
from fogwatch.store import schema


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _since(item: object) -> int:
    return int(getattr(item, "info", {}).get("since", 1))


def _tables_at(version: int) -> list[sa.Table]:
    """The tables as migration ``version`` left them: columns and indexes added later are left out."""
    md = sa.MetaData()
    out = []
    for table in schema.metadata.sorted_tables:
        if table.name == "schema_version" or _since(table) > version:  # a table a later migration creates
            continue
        cols = [c._copy() for c in table.columns if _since(c) <= version]
        t = sa.Table(table.name, md, *cols)
        have = {i.name for i in t.indexes}  # columns with index=True brought theirs along
        for index in table.indexes:
            if _since(index) <= version and index.name not in have:
                sa.Index(index.name, *(t.c[c.name] for c in index.columns), unique=index.unique)
        out.append(t)
    return out


def _v1_tables(conn: Connection) -> None:
    tables = _tables_at(1)
    for table in tables:
        table.create(conn, checkfirst=True)  # creates the table's indexes with it


_SQLITE_RTREE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS fused_events_rtree USING rtree(event_pk, min_lon, max_lon, min_lat, max_lat)",
    "INSERT INTO fused_events_rtree SELECT event_pk, longitude, longitude, latitude, latitude FROM fused_events"
    " WHERE latitude IS NOT NULL AND longitude IS NOT NULL",
    "CREATE TRIGGER fused_events_rtree_insert AFTER INSERT ON fused_events"
    " WHEN NEW.latitude IS NOT NULL AND NEW.longitude IS NOT NULL BEGIN"
    " INSERT INTO fused_events_rtree VALUES (NEW.event_pk, NEW.longitude, NEW.longitude, NEW.latitude, NEW.latitude); END",
    "CREATE TRIGGER fused_events_rtree_update AFTER UPDATE OF latitude, longitude ON fused_events BEGIN"
    " DELETE FROM fused_events_rtree WHERE event_pk = OLD.event_pk;"
    " INSERT INTO fused_events_rtree SELECT NEW.event_pk, NEW.longitude, NEW.longitude, NEW.latitude, NEW.latitude"
    " WHERE NEW.latitude IS NOT NULL AND NEW.longitude IS NOT NULL; END",
    "CREATE TRIGGER fused_events_rtree_delete AFTER DELETE ON fused_events BEGIN"
    " DELETE FROM fused_events_rtree WHERE event_pk = OLD.event_pk; END",
]

_POSTGIS = [
    "ALTER TABLE fused_events ADD COLUMN geom geometry(Point, 4326)",
    "UPDATE fused_events SET geom = ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)"
    " WHERE latitude IS NOT NULL AND longitude IS NOT NULL",
    "CREATE INDEX ix_fused_events_geom ON fused_events USING GIST (geom)",
    """CREATE OR REPLACE FUNCTION fused_events_set_geom() RETURNS trigger AS $$
    BEGIN
      NEW.geom := CASE WHEN NEW.latitude IS NULL OR NEW.longitude IS NULL THEN NULL
                  ELSE ST_SetSRID(ST_MakePoint(NEW.longitude, NEW.latitude), 4326) END;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER fused_events_geom BEFORE INSERT OR UPDATE OF latitude, longitude ON fused_events"
    " FOR EACH ROW EXECUTE FUNCTION fused_events_set_geom()",
]


def _v2_spatial_index(conn: Connection) -> None:
    """The spatial index behind ``--bbox``: R*Tree on SQLite, PostGIS geometry + GiST on PostgreSQL."""
    if conn.dialect.name == "sqlite":
        for stmt in _SQLITE_RTREE:
            conn.exec_driver_sql(stmt)
    elif conn.dialect.name == "postgresql":
        available = conn.exec_driver_sql("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'").first()
        if not available:
            raise FogwatchError(
                "PostGIS is not installed on this PostgreSQL server (Debian: apt-get install postgis postgresql-postgis)",
                Code.STORE_NO_POSTGIS,
            )
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
        for stmt in _POSTGIS:
            conn.exec_driver_sql(stmt)


def _v3_window(start: date | None, end: date | None, precision: int | None) -> tuple[date, date] | None:
    """The date window as migration 3 computes it, frozen here: exact (1), the week around the dates (2), the
    month (3+). A copy of ``fusion.rules.date_window`` as it was when migration 3 was released, so a later change
    to fusion cannot change what this migration writes into an old store."""
    if start is None:
        return None
    lo, hi = start, end or start
    precision = precision or 1
    if precision == 2:
        lo, hi = lo - timedelta(days=3), hi + timedelta(days=3)
    elif precision >= 3:
        lo = lo.replace(day=1)
        hi = hi.replace(day=calendar.monthrange(hi.year, hi.month)[1])
    return lo, hi


def _v3_date_windows(conn: Connection) -> None:
    """Date windows on mentions and fused events, so fusion finds candidates by an exact date test in SQL."""
    for table in ("mentions", "fused_events"):
        conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN window_start DATE")
        conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN window_end DATE")
    m = sa.table("mentions", sa.column("mention_id"), sa.column("date_start", sa.Date), sa.column("date_end", sa.Date),
                 sa.column("time_precision"), sa.column("window_start", sa.Date), sa.column("window_end", sa.Date))
    updates = []
    for mid, start, end, precision in conn.execute(sa.select(m.c.mention_id, m.c.date_start, m.c.date_end, m.c.time_precision)):
        window = _v3_window(start, end, precision)
        if window:
            updates.append({"mid": mid, "ws": window[0], "we": window[1]})
    if updates:
        conn.execute(m.update().where(m.c.mention_id == sa.bindparam("mid")).values(window_start=sa.bindparam("ws"), window_end=sa.bindparam("we")), updates)
    conn.exec_driver_sql(
        "UPDATE fused_events SET"
        " window_start = (SELECT min(window_start) FROM mentions WHERE mentions.fused_event_id = fused_events.event_id),"
        " window_end = (SELECT max(window_end) FROM mentions WHERE mentions.fused_event_id = fused_events.event_id)"
    )
    conn.exec_driver_sql("CREATE INDEX ix_fused_events_window_end ON fused_events (window_end)")


def _v4_location_alternatives(conn: Connection) -> None:
    """The other places a mention's location was listed with; older mentions have none."""
    conn.exec_driver_sql("ALTER TABLE mentions ADD COLUMN location_alternatives TEXT")


# The strongest modality first: a fused event is as firm as its firmest member.
MODALITY_RANK_SQL = (
    "CASE {col} WHEN 'asserted' THEN 4 WHEN 'reported' THEN 3 WHEN 'claimed' THEN 2 WHEN 'denied' THEN 1 ELSE 0 END"
)


def _v5_counting(conn: Connection) -> None:
    """Background mentions, counted claims, and each fused event's modality, confidence and background (issue 10)."""
    false = "false" if conn.dialect.name == "postgresql" else "0"
    conn.exec_driver_sql(f"ALTER TABLE mentions ADD COLUMN background BOOLEAN DEFAULT {false}")
    conn.exec_driver_sql("ALTER TABLE claims ADD COLUMN counted BOOLEAN")
    conn.exec_driver_sql("ALTER TABLE claims ADD COLUMN count_reason TEXT")
    for stmt in ("ALTER TABLE fused_events ADD COLUMN modality TEXT", "ALTER TABLE fused_events ADD COLUMN confidence FLOAT",
                 f"ALTER TABLE fused_events ADD COLUMN background BOOLEAN DEFAULT {false}"):
        conn.exec_driver_sql(stmt)
    rank = MODALITY_RANK_SQL.format(col="m.modality")
    conn.exec_driver_sql(
        "UPDATE fused_events SET"
        " confidence = (SELECT max(m.confidence) FROM mentions m WHERE m.fused_event_id = fused_events.event_id),"
        f" modality = (SELECT m.modality FROM mentions m WHERE m.fused_event_id = fused_events.event_id ORDER BY {rank} DESC LIMIT 1)"
    )


# Julian day numbers: a date's is n + 0.5, exact in the R*Tree's 32-bit floats; an undated event spans all time.
_D0 = "coalesce(julianday(coalesce({p}date_start,{p}date_end)),-1e7)"
_D1 = "coalesce(julianday(coalesce({p}date_end,{p}date_start)),1e7)"
_ROW3 = "NEW.event_pk,NEW.longitude,NEW.longitude,NEW.latitude,NEW.latitude," + _D0.format(p="NEW.") + "," + _D1.format(p="NEW.")
_PLACED = "NEW.latitude IS NOT NULL AND NEW.longitude IS NOT NULL"
_SQLITE_RTREE_3D = [
    "DROP TRIGGER fused_events_rtree_insert",
    "DROP TRIGGER fused_events_rtree_update",
    "DROP TRIGGER fused_events_rtree_delete",
    "DROP TABLE fused_events_rtree",
    "CREATE VIRTUAL TABLE fused_events_rtree USING rtree(event_pk,min_lon,max_lon,min_lat,max_lat,min_day,max_day)",
    "INSERT INTO fused_events_rtree SELECT event_pk,longitude,longitude,latitude,latitude," + _D0.format(p="") + "," + _D1.format(p="")
    + " FROM fused_events WHERE latitude IS NOT NULL AND longitude IS NOT NULL",
    f"CREATE TRIGGER fused_events_rtree_insert AFTER INSERT ON fused_events WHEN {_PLACED} BEGIN"
    f" INSERT INTO fused_events_rtree VALUES({_ROW3}); END",
    "CREATE TRIGGER fused_events_rtree_update AFTER UPDATE OF latitude,longitude,date_start,date_end ON fused_events BEGIN"
    f" DELETE FROM fused_events_rtree WHERE event_pk=OLD.event_pk; INSERT INTO fused_events_rtree SELECT {_ROW3} WHERE {_PLACED}; END",
    "CREATE TRIGGER fused_events_rtree_delete AFTER DELETE ON fused_events BEGIN"
    " DELETE FROM fused_events_rtree WHERE event_pk=OLD.event_pk; END",
]


def _v6_space_time_index(conn: Connection) -> None:
    """SQLite: the R*Tree becomes (longitude, latitude, day), so a bbox + date range query reads only the events in the
    box *and* the range (the 2-D index handed over every event the box ever held: ~7,500 of 1M in a 0.5-degree box,
    against ~130 in 90 days); a bbox alone reads it as before. It keeps its name and triggers' names (rebuilt from the
    table). PostgreSQL's planner combines the GiST and the date indexes already."""
    if conn.dialect.name == "sqlite":
        for stmt in _SQLITE_RTREE_3D:
            conn.exec_driver_sql(stmt)


def _v7_slant_spans(conn: Connection) -> None:
    """The slant spans of each report (issue 13); reports stored before have none."""
    next(t for t in _tables_at(7) if t.name == "slant_spans").create(conn, checkfirst=True)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "documents, mentions, claims, fused_events", _v1_tables),
    Migration(2, "spatial index on fused_events (SQLite R*Tree / PostGIS GiST)", _v2_spatial_index),
    Migration(3, "date windows on mentions and fused_events (fusion candidates by date in SQL)", _v3_date_windows),
    Migration(4, "places listed with a mention's location (fusion compares each)", _v4_location_alternatives),
    Migration(5, "background mentions, counted claims, fused events' modality/confidence/background (issue 10)", _v5_counting),
    Migration(6, "the SQLite R*Tree on fused_events gains a day dimension (bbox + date range queries, issue 14)", _v6_space_time_index),
    Migration(7, "slant spans of each report (issue 13)", _v7_slant_spans),
)
LATEST = MIGRATIONS[-1].version


def current_version(conn: Connection) -> int:
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(sa.select(sa.func.max(schema.schema_version.c.version))).scalar() or 0


def migrate(engine: Engine, target: int = LATEST) -> list[int]:
    """Apply the migrations after the database's version, up to ``target``; returns those applied."""
    with engine.begin() as conn:
        schema.schema_version.create(conn, checkfirst=True)
        have = current_version(conn)
    if have > LATEST:
        raise FogwatchError(
            f"this database is at schema version {have}, newer than this fogwatch knows ({LATEST}); upgrade fogwatch",
            Code.STORE_TOO_NEW,
        )
    applied = []
    for m in MIGRATIONS:
        if have < m.version <= target:
            with engine.begin() as conn:  # one transaction per migration: a failure leaves the previous version intact
                m.apply(conn)
                conn.execute(
                    schema.schema_version.insert().values(
                        version=m.version, description=m.description, applied_at=datetime.now(timezone.utc).isoformat(timespec="seconds")
                    )
                )
            applied.append(m.version)
    return applied
