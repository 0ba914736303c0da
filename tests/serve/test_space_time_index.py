"""Migration 6, the day dimension of the SQLite R*Tree behind bbox + date queries (the workbench's map and `fogwatch events`):
the rows it hands over are exactly those the exact tests keep, for stores migrated from version 5 and for rows
inserted, moved, re-dated and deleted afterwards."""

from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa

from fogwatch.store import EventFilter, open_store
from fogwatch.store.backend import _engine_for
from fogwatch.store.migrations import LATEST, migrate
from fogwatch.store.query import BBox

COLS = ("event_id", "event_type", "sub_event_type", "event_date", "date_start", "date_end", "time_precision", "latitude", "longitude",
        "country_code", "geo_precision", "n_mentions", "n_documents", "n_sources", "contested", "discrepancy", "updated_at",
        "modality", "confidence")


def _rows(rng: random.Random, n: int, offset: int = 0) -> list[dict]:
    out = []
    for i in range(n):
        start = date(2015, 1, 1) + timedelta(days=rng.randrange(2000))
        end = start + timedelta(days=rng.choice((0, 0, 0, 3, 15)))
        placed = rng.random() > 0.05
        dated = rng.random() > 0.05
        out.append({"event_id": f"st{offset + i:06d}", "event_type": "Battles", "sub_event_type": "Armed clash",
                    "event_date": start if dated else None, "date_start": start if dated else None, "date_end": end if dated else None,
                    "time_precision": 1, "latitude": rng.uniform(32, 37) if placed else None,
                    "longitude": rng.uniform(35, 42) if placed else None, "country_code": "SY", "geo_precision": 1,
                    "n_mentions": 1, "n_documents": 1, "n_sources": 1, "contested": False, "discrepancy": 0.0,
                    "updated_at": "2026-01-01T00:00:00+00:00", "modality": "asserted", "confidence": 0.8})
    return out


def _insert(engine, rows) -> None:
    table = sa.table("fused_events", *(sa.column(c) for c in COLS))
    with engine.begin() as conn:
        conn.execute(table.insert(), rows)


def _brute(rows: list[dict], f: EventFilter) -> set[str]:
    b = f.bbox
    return {r["event_id"] for r in rows
            if r["latitude"] is not None and b.south <= r["latitude"] <= b.north and b.west <= r["longitude"] <= b.east
            and r["date_start"] is not None
            and (f.since is None or r["date_end"] >= f.since) and (f.until is None or r["date_start"] <= f.until)}


def _filters(rng: random.Random, k: int) -> list[EventFilter]:
    out = []
    for _ in range(k):
        w, s = rng.uniform(35, 41), rng.uniform(32, 36)
        since = date(2015, 1, 1) + timedelta(days=rng.randrange(2000))
        until = since + timedelta(days=rng.choice((0, 1, 30, 400)))
        box = BBox(w, s, w + rng.choice((0.5, 1.0, 3.0)), s + rng.choice((0.5, 1.0, 3.0)))
        out.append(rng.choice((EventFilter(bbox=box, since=since, until=until), EventFilter(bbox=box, since=since),
                               EventFilter(bbox=box, until=until))))
    return out


def test_bbox_and_dates_through_the_space_time_index_equal_the_exact_filter(tmp_path):
    rng = random.Random(5)
    db = str(tmp_path / "st.db")
    engine = _engine_for(db)
    migrate(engine, target=5)  # a store from before the index ...
    rows = _rows(rng, 1500)
    _insert(engine, rows)
    engine.dispose()
    with open_store(db) as store:  # ... migrated: the index is filled from the table
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT max(version) FROM schema_version").scalar() == LATEST >= 6
            indexed = conn.exec_driver_sql("SELECT count(*) FROM fused_events_rtree").scalar()
            columns = [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(fused_events_rtree)")]
        assert indexed == sum(1 for r in rows if r["latitude"] is not None)  # undated events too (they span all time)
        assert columns[-2:] == ["min_day", "max_day"]
        assert store.events(EventFilter(bbox=BBox(30, 30, 45, 40))) == [e for e in store.events() if e["latitude"] is not None]
        filters = _filters(rng, 60)
        nonempty = 0
        for f in filters:
            got = {e["event_id"] for e in store.events(f)}
            assert got == _brute(rows, f), f
            nonempty += bool(got)
        assert nonempty >= 20
        # Rows written after the migration, moved, re-dated and deleted: the triggers keep the index exact.
        more = _rows(rng, 300, offset=10_000)
        _insert(store.engine, more)
        rows += more
        with store.engine.begin() as conn:
            for r in rng.sample(rows, 200):
                r["latitude"], r["longitude"] = rng.uniform(32, 37), rng.uniform(35, 42)
                r["date_start"] = r["event_date"] = date(2016, 6, 1) + timedelta(days=rng.randrange(300))
                r["date_end"] = r["date_start"] + timedelta(days=rng.choice((0, 7)))
                conn.exec_driver_sql("UPDATE fused_events SET latitude = ?, longitude = ?, date_start = ?, date_end = ? WHERE event_id = ?",
                                     (r["latitude"], r["longitude"], r["date_start"].isoformat(), r["date_end"].isoformat(), r["event_id"]))
            gone = {r["event_id"] for r in rng.sample(rows, 100)}
            conn.exec_driver_sql(f"DELETE FROM fused_events WHERE event_id IN ({','.join('?' * len(gone))})", tuple(gone))
        rows = [r for r in rows if r["event_id"] not in gone]
        for f in _filters(rng, 60):
            assert {e["event_id"] for e in store.events(f)} == _brute(rows, f), f
