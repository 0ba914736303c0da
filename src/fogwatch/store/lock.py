"""One ingest at a time per store: a second ``fogwatch ingest`` into the same store waits for the first.

An ingest keeps the near-duplicate index and the batch's fusion state in memory,
and opening a brand-new store runs the migrations: two at once would race (an
IntegrityError on the same report, "table mentions already exists"). So
:func:`ingest_lock` is held from before the store is opened until the ingest
ends:

- SQLite: ``flock`` on a hidden file beside the database (``.NAME.ingest-lock``;
  the database file itself is not used: closing a second descriptor on it would drop
  SQLite's own POSIX locks). The lock file stays; the lock goes with the process,
  so a killed ingest never leaves the store locked.
- PostgreSQL: a session advisory lock (``pg_advisory_lock``) on a connection of its
  own, released when the ingest ends or its connection drops.

Queries and exports take no lock: they read committed data (SQLite WAL, PostgreSQL MVCC).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from fogwatch.errors import Code, FogwatchError
from fogwatch.redact import redact_text, redact_url

# pg_advisory_lock key: "fogwatch ingest" (any constant; advisory locks are per database).
PG_LOCK_KEY = 0x666F67_696E67


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.ingest-lock")


@contextmanager
def ingest_lock(db: str, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the store's ingest lock; ``on_wait`` is called once if another ingest holds it (then this one waits)."""
    if db.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        with _pg_lock(db, on_wait):
            yield
        return
    if db.startswith("sqlite:"):
        yield  # a SQLAlchemy URL (tests, in-memory stores): no file to lock beside
        return
    with _file_lock(Path(db).expanduser(), on_wait):
        yield


@contextmanager
def _file_lock(path: Path, on_wait: Callable[[], None] | None) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock (documented)
        yield
        return
    if path.is_dir() or not path.parent.is_dir():
        yield  # open_store explains the bad --db
        return
    try:
        fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield  # a read-only folder: open_store will explain; nothing can write there anyway
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait:
                on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the flock


@contextmanager
def _pg_lock(db: str, on_wait: Callable[[], None] | None) -> Iterator[None]:
    import psycopg

    url = "postgresql://" + db.split("://", 1)[1]
    try:
        conn = psycopg.connect(url, autocommit=True)
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FogwatchError(f"cannot open the store {redact_url(db)}: {redact_text(reason)}", Code.STORE_UNREACHABLE) from None
    try:
        got = conn.execute("SELECT pg_try_advisory_lock(%s)", (PG_LOCK_KEY,)).fetchone()
        if not (got and got[0]):
            if on_wait:
                on_wait()
            conn.execute("SELECT pg_advisory_lock(%s)", (PG_LOCK_KEY,))
        yield
    finally:
        conn.close()  # the session ends: its advisory lock goes with it
