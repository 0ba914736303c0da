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


@pytest.fixture(scope="session")
def datasette_server():
    """A real `datasette serve` on a store, on 127.0.0.1 and a free port: ``with datasette_server(db, metadata) as base_url``."""
    import contextlib
    import socket
    import time

    import httpx

    @contextlib.contextmanager
    def serve(db, metadata=None):
        exe = Path(sys.executable).with_name("datasette")
        exe = str(exe) if exe.exists() else shutil.which("datasette")
        if exe is None:
            pytest.fail("datasette is not installed (pip install -e '.[test]')")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        extra = ["--metadata", str(metadata)] if metadata else []
        proc = subprocess.Popen([exe, "serve", str(db), *extra, "--host", "127.0.0.1", "--port", str(port)],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{base}/-/versions.json", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    pytest.fail(f"datasette did not start: {proc.stdout.read().decode(errors='replace')[-2000:]}")  # type: ignore[union-attr]
                time.sleep(0.2)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            proc.stdout.close()  # type: ignore[union-attr]

    return serve
