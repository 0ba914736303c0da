"""Shared fixtures: where ../shared is, and a runner for the real `fogwatch` command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
FOGWATCH = Path(sys.executable).with_name("fogwatch")


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared, the data beside the repository; its absence is a failure, never a skip."""
    if not (SHARED / "CONTRACT.md").exists():
        pytest.fail(f"missing {SHARED}: tests expect ../shared beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def run_cli():
    """Run the installed `fogwatch` entry point as a user would, capturing both streams."""

    def run(*args: str, stdin: bytes | None = None, timeout: float = 300, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        full_env = {**os.environ, "COLUMNS": "160", **(env or {})}
        return subprocess.run([str(FOGWATCH), *args], input=stdin, capture_output=True, timeout=timeout, env=full_env, cwd=REPO)

    return run


def as_other_user() -> list[str]:
    """A command prefix under which file permissions apply: root ignores them, so the tests of unreadable
    folders and read-only stores run the command as root without the capabilities that override them
    (setpriv, from util-linux). Staying root keeps the checkout reachable however its folders are
    permitted (a clone under a 0700 `mktemp -d` folder is out of another user's reach)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.fail("running as root without setpriv (util-linux): cannot test file permissions")
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}", "--"]


@pytest.fixture(scope="session")
def other_user() -> list[str]:
    """:func:`as_other_user` as a fixture."""
    return as_other_user()


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL + PostGIS cluster for the whole session (store and serve tests share it); yields its admin URL."""
    from fogwatch.store.pgtemp import PostgresUnavailable, temporary_postgres

    try:
        with temporary_postgres() as url:
            yield url
    except PostgresUnavailable as exc:
        pytest.fail(str(exc))
