"""Versioned migrations upgrade an existing database in place, on both backends."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from fogwatch.errors import FogwatchError
from fogwatch.store import EventFilter, open_store
from fogwatch.store.backend import Store, _engine_for
from fogwatch.store.migrations import LATEST, current_version, migrate
from fogwatch.store.query import BBox
from store_fixtures import seed_000, seed_003, unrelated_report


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "old.db")
    return request.getfixturevalue("pg_url")


def test_version_1_database_is_upgraded_in_place(empty_db):
    engine = _engine_for(empty_db)
    assert migrate(engine, target=1) == [1]
    old = Store(engine, empty_db)  # a store as version 1 left it: no spatial index yet
    old.add_batch([seed_000(), seed_003(), unrelated_report(3)])
    n_before = old.stats()
    with engine.connect() as conn:
        assert current_version(conn) == 1
        tables = set(sa.inspect(conn).get_table_names())
    assert "fused_events_rtree" not in tables
    old.close()

    upgraded = open_store(empty_db)  # opening migrates
    with upgraded.engine.connect() as conn:
        assert current_version(conn) == LATEST
    assert upgraded.stats() == n_before  # nothing lost
    # The spatial index now covers rows written before it existed, and rows written after.
    idlib = BBox(36.4, 35.7, 36.9, 36.1)
    assert [e["location_name"] for e in upgraded.events(EventFilter(bbox=idlib))] == ["Idlib"]
    upgraded.add_batch([unrelated_report(4)])
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
