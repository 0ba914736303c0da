"""Fixtures for the store tests: a SQLite file per test and a real, throwaway PostgreSQL + PostGIS cluster.

The PostgreSQL cluster is created once per session with ``initdb`` in a temp
directory, started on a free port on 127.0.0.1 (its unix socket also in the
temp directory) and stopped and deleted afterwards. When PostgreSQL is not
installed the PostgreSQL tests FAIL with the command that installs it: CI
(.ci/run) installs it, and a silent skip would hide a store that never ran there.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import sys

import pytest

from fogwatch.store import open_store

sys.path.insert(0, str(Path(__file__).parent))  # store_fixtures.py, under pytest's importlib import mode

PG_ROOT = Path("/usr/lib/postgresql")
INSTALL_HINT = "apt-get install -y postgresql postgis postgresql-15-postgis-3 (what .ci/run does)"


def _pg_bindir() -> Path | None:
    if not PG_ROOT.is_dir():
        return None
    versions = sorted((p for p in PG_ROOT.iterdir() if (p / "bin" / "initdb").exists()), key=lambda p: int(p.name) if p.name.isdigit() else 0)
    return versions[-1] / "bin" if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pg_cluster():
    """Start a throwaway cluster; yields its admin URL (without a database name)."""
    bindir = _pg_bindir()
    if bindir is None:
        pytest.fail(f"PostgreSQL is not installed (no {PG_ROOT}/*/bin/initdb); install it: {INSTALL_HINT}")
    if not list(bindir.parent.glob("lib/postgis*.so")):
        pytest.fail(f"PostGIS is not installed for {bindir.parent}; install it: {INSTALL_HINT}")
    base = Path(tempfile.mkdtemp(prefix="fogwatch-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(base, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, sock, log = base / "data", base / "sock", base / "server.log"
    port = _free_port()

    def run(*cmd: str) -> None:
        proc = subprocess.run([*as_user, *cmd], capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            detail = log.read_text()[-2000:] if log.exists() else ""
            pytest.fail(f"{' '.join(cmd[:2])} failed ({proc.returncode}): {proc.stderr[-2000:]}\n{detail}")

    run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions")
    subprocess.run([*as_user, "mkdir", "-p", str(sock)], check=True)
    opts = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    run(str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(log), "-w", "-t", "60", "start")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


_db_counter = itertools.count()


@pytest.fixture
def pg_url(pg_cluster):
    """A fresh, empty database in the session's cluster."""
    import psycopg

    name = f"fogwatch_test_{os.getpid()}_{next(_db_counter)}"
    with psycopg.connect(f"{pg_cluster}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{pg_cluster}/{name}"


@pytest.fixture(scope="session")
def pg_template(pg_cluster):
    """A database migrated to the current schema (PostGIS included), copied for each test: CREATE EXTENSION is slow."""
    import psycopg

    name = f"fogwatch_template_{os.getpid()}"
    with psycopg.connect(f"{pg_cluster}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    open_store(f"{pg_cluster}/{name}").close()
    return name


@pytest.fixture
def pg_migrated_url(pg_cluster, pg_template):
    import psycopg

    name = f"fogwatch_test_{os.getpid()}_{next(_db_counter)}"
    with psycopg.connect(f"{pg_cluster}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    yield f"{pg_cluster}/{name}"


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
