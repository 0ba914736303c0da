"""Versioned migrations upgrade an existing database in place, on both backends."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from fogwatch.errors import FogwatchError
from fogwatch.store import EventFilter, open_store
from fogwatch.store.backend import _engine_for
from fogwatch.store import schema
from fogwatch.store.migrations import LATEST, _tables_at, current_version, migrate
from fogwatch.store.query import BBox
from store_fixtures import seed_000, seed_003, unrelated_report


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "old.db")
    return request.getfixturevalue("pg_url")


def _write_version_1_database(url: str, tmp_path) -> dict[str, int]:
    """A database as fogwatch at schema version 1 left it, with data: rows made by today's code, v1 columns only."""
    source = open_store(str(tmp_path / "source.db"))
    source.add_batch([seed_000(), unrelated_report(3)])
    engine = _engine_for(url)
    assert migrate(engine, target=1) == [1]
    v1 = {t.name: t for t in _tables_at(1)}
    with source.engine.connect() as src, engine.begin() as dst:
        for name in ("documents", "mentions", "claims", "fused_events"):
            cols = [c.name for c in v1[name].columns if c.name != "event_pk"]  # let the database number its rows
            rows = [dict(r._mapping) for r in src.execute(sa.select(*(schema.metadata.tables[name].c[c] for c in cols)))]
            dst.execute(v1[name].insert(), rows)
        assert current_version(dst) == 1
        assert "window_start" not in {c["name"] for c in sa.inspect(dst).get_columns("fused_events")}
        assert "fused_events_rtree" not in set(sa.inspect(dst).get_table_names())
    engine.dispose()
    stats = source.stats()
    source.close()
    return stats


def test_version_1_database_is_upgraded_in_place(empty_db, tmp_path):
    before = _write_version_1_database(empty_db, tmp_path)
    upgraded = open_store(empty_db)  # opening migrates
    with upgraded.engine.connect() as conn:
        assert current_version(conn) == LATEST
        assert conn.exec_driver_sql("SELECT count(*) FROM fused_events WHERE window_start IS NULL").scalar() == 0  # backfilled
    assert upgraded.stats() == before  # nothing lost
    # The spatial index covers rows written before it existed...
    idlib = BBox(36.4, 35.7, 36.9, 36.1)
    assert [e["location_name"] for e in upgraded.events(EventFilter(bbox=idlib))] == ["Idlib"]
    # ...and fusion finds the old events through the backfilled date windows: 003's mentions join 000's events.
    upgraded.add_batch([seed_003(), unrelated_report(4)])
    assert sorted(e["n_mentions"] for e in upgraded.events()) == [1, 1, 2, 2]
    kobani = BBox(38.0, 36.5, 38.6, 37.0)
    assert len(upgraded.events(EventFilter(bbox=kobani))) == 2
    assert open_store(empty_db).stats()["documents"] == 4  # reopening applies nothing twice
    upgraded.close()


def test_database_from_a_newer_fogwatch_is_refused(tmp_path):
    path = str(tmp_path / "new.db")
    open_store(path).close()
    engine = _engine_for(path)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"INSERT INTO schema_version VALUES ({LATEST + 1}, 'from the future', '2099-01-01')")
    engine.dispose()
    with pytest.raises(FogwatchError, match="E502.*newer"):
        open_store(path)


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("this is not sqlite " * 100)
    with pytest.raises(FogwatchError, match="E501"):
        open_store(str(bad))


def test_unreachable_postgresql_is_a_clear_error():
    with pytest.raises(FogwatchError, match="E501.*cannot open") as info:
        open_store("postgresql://nobody:secret@127.0.0.1:1/none")
    assert "secret" not in str(info.value)


def test_migrations_call_no_live_code():
    """A released migration must not change with later code: migrations.py imports only the schema and the errors."""
    import ast
    from pathlib import Path

    import fogwatch.store.migrations as migrations

    tree = ast.parse(Path(migrations.__file__).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and (n.module or "").startswith("fogwatch")}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names if a.name.startswith("fogwatch")}
    assert imported <= {"fogwatch.errors", "fogwatch.store"}, imported


def test_migration_3_windows_as_released():
    """The frozen copy of the date window migration 3 writes: exact day, the week around it, the month."""
    from datetime import date

    from fogwatch.store.migrations import _v3_window

    d = date
    assert _v3_window(None, None, 1) is None
    assert _v3_window(d(2020, 2, 3), None, None) == (d(2020, 2, 3), d(2020, 2, 3))
    assert _v3_window(d(2020, 2, 3), d(2020, 2, 5), 1) == (d(2020, 2, 3), d(2020, 2, 5))
    assert _v3_window(d(2020, 2, 3), None, 2) == (d(2020, 1, 31), d(2020, 2, 6))
    assert _v3_window(d(2020, 2, 3), None, 3) == (d(2020, 2, 1), d(2020, 2, 29))
    assert _v3_window(d(2019, 12, 14), d(2020, 2, 1), 4) == (d(2019, 12, 1), d(2020, 2, 29))


def test_a_version_2_store_migrates_to_the_rows_todays_code_writes(tmp_path):
    """Mentions and fused events stored at version 2 (no date windows) get, from migration 3, the same windows as
    a store written at the latest version holds for the same reports."""
    source = open_store(str(tmp_path / "source.db"))
    source.add_batch([seed_000(), seed_003(), unrelated_report(3)])
    old = str(tmp_path / "v2.db")
    engine = _engine_for(old)
    assert migrate(engine, target=2) == [1, 2]
    v2 = {t.name: t for t in _tables_at(2)}
    keys = {"mentions": "mention_id", "fused_events": "event_id"}
    with source.engine.connect() as src, engine.begin() as dst:
        for name in ("documents", "mentions", "claims", "fused_events"):
            cols = [c.name for c in v2[name].columns if c.name != "event_pk"]
            dst.execute(v2[name].insert(), [dict(r._mapping) for r in src.execute(sa.select(*(schema.metadata.tables[name].c[c] for c in cols)))])
    assert migrate(engine, target=3) == [3]
    with source.engine.connect() as src, engine.connect() as dst:
        for name, key in keys.items():
            q = "SELECT {k}, window_start, window_end FROM {t} ORDER BY {k}".format(k=key, t=name)
            want, got = src.exec_driver_sql(q).all(), dst.exec_driver_sql(q).all()
            assert got == want and len(got) > 0 and all(r[1] is not None for r in got)
    engine.dispose()
    source.close()
