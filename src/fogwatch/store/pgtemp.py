"""A throwaway PostgreSQL cluster for tests and benchmarks: ``initdb`` into a temp dir, a free port, torn down after.

Needs the Debian packages ``postgresql`` and ``postgis`` (``./dev test`` installs them when missing).
Run as root, the server runs as the ``postgres`` user (initdb refuses root).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

PG_ROOT = Path("/usr/lib/postgresql")
INSTALL_HINT = "apt-get install -y postgresql postgis postgresql-postgis (what ./dev test and ./dev sysdeps do)"


class PostgresUnavailable(RuntimeError):
    pass


def pg_bindir() -> Path | None:
    if not PG_ROOT.is_dir():
        return None
    versions = sorted((p for p in PG_ROOT.iterdir() if (p / "bin" / "initdb").exists()), key=lambda p: int(p.name) if p.name.isdigit() else 0)
    return versions[-1] / "bin" if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def temporary_postgres(fast: bool = True, settings: dict[str, str] | None = None) -> Iterator[str]:
    """Yield the admin URL (``postgresql://postgres@127.0.0.1:PORT``, no database) of a fresh cluster.

    ``fast`` turns off fsync: right for tests and query benchmarks, not for measuring durable writes.
    ``settings`` are extra server settings (``{"shared_buffers": "1GB"}``).
    """
    bindir = pg_bindir()
    if bindir is None:
        raise PostgresUnavailable(f"PostgreSQL is not installed (no {PG_ROOT}/*/bin/initdb); install it: {INSTALL_HINT}")
    if not list(bindir.parent.glob("lib/postgis*.so")):
        raise PostgresUnavailable(f"PostGIS is not installed for {bindir.parent}; install it: {INSTALL_HINT}")
    base = Path(tempfile.mkdtemp(prefix="fogwatch-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, sock, log = base / "data", base / "sock", base / "server.log"
    port = _free_port()

    def run(*cmd: str) -> None:
        proc = subprocess.run([*as_user, *cmd], capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            detail = log.read_text()[-2000:] if log.exists() else ""
            raise PostgresUnavailable(f"{Path(cmd[0]).name} failed ({proc.returncode}): {proc.stderr[-2000:]}\n{detail}")

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions")
        run("mkdir", "-p", str(sock))
        opts = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1"
        if fast:
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        for key, value in (settings or {}).items():
            opts += f" -c {key}={value}"
        run(str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(log), "-w", "-t", "60", "start")
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


def create_database(admin_url: str, name: str, template: str | None = None) -> str:
    import psycopg

    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return f"{admin_url}/{name}"
