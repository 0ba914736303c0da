"""Fixtures for the store tests: a SQLite file per test and a real, throwaway PostgreSQL + PostGIS cluster.

The PostgreSQL cluster is created once per session with ``initdb`` in a temp
directory, started on a free port on 127.0.0.1 (its unix socket also in the
temp directory) and stopped and deleted afterwards. When PostgreSQL is not
installed the PostgreSQL tests FAIL with the command that installs it: ``./dev test``
installs it first, and a silent skip would hide a store that never ran there.
"""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path

import pytest

from fogwatch.store import open_store
from fogwatch.store.pgtemp import create_database

sys.path.insert(0, str(Path(__file__).parent))  # store_fixtures.py, under pytest's importlib import mode


_db_counter = itertools.count()


@pytest.fixture
def pg_url(pg_cluster):
    """A fresh, empty database in the session's cluster."""
    return create_database(pg_cluster, f"fogwatch_test_{os.getpid()}_{next(_db_counter)}")


@pytest.fixture(scope="session")
def pg_template(pg_cluster):
    """A database migrated to the current schema (PostGIS included), copied for each test: CREATE EXTENSION is slow."""
    name = f"fogwatch_template_{os.getpid()}"
    open_store(create_database(pg_cluster, name)).close()
    return name


@pytest.fixture
def pg_migrated_url(pg_cluster, pg_template):
    return create_database(pg_cluster, f"fogwatch_test_{os.getpid()}_{next(_db_counter)}", template=pg_template)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """Each store test runs on both backends."""
    if request.param == "sqlite":
        return str(tmp_path / "fogwatch.db")
    return request.getfixturevalue("pg_migrated_url")


@pytest.fixture
def store(db_url):
    s = open_store(db_url)
    yield s
    s.close()
