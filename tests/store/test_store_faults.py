"""Store faults under a command (issue 11): one coded line (E510), exit 1, never a traceback with SQL and parameters.

Each test reproduced its defect before the change: a dropped `claims` table, corrupted pages, a read-only store file,
a disk that fills up and a PostgreSQL server stopped mid-ingest each printed a SQLAlchemy traceback whose
`[parameters: …]` quoted report ids, titles and sources. See docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from fogwatch.store import open_store
from fogwatch.store.pgtemp import PostgresUnavailable, create_database, pg_bindir, temporary_postgres

FOGWATCH = str(Path(sys.executable).with_name("fogwatch"))
STAGES = ("--stages", "sections,sentences", "-j", "1", "--no-progress")
REPO = Path(__file__).resolve().parents[2]
FAKES = (REPO / ".." / "shared" / "corpus" / "fakes" / "fakes.jsonl").resolve()


def _one_coded_line(proc: subprocess.CompletedProcess | tuple[int, str], code: str = "E510") -> str:
    rc, err = (proc.returncode, proc.stderr.decode(errors="replace")) if isinstance(proc, subprocess.CompletedProcess) else proc
    assert "Traceback" not in err and "[parameters" not in err and "[SQL" not in err, err[-3000:]
    lines = [line for line in err.splitlines() if line.startswith("fogwatch: error:")]
    assert rc == 1 and len(lines) == 1 and f"[{code}]" in lines[0], (rc, err[-3000:])
    return lines[0]


def _corpus(path: Path, first: int, last: int) -> Path:
    if not FAKES.exists():
        pytest.fail(f"missing {FAKES}: tests expect ../shared beside the repository")
    with open(FAKES, encoding="utf-8") as src, open(path, "w", encoding="utf-8") as out:
        for i, line in enumerate(src):
            if first <= i < last:
                out.write(line)
    return path


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> tuple[Path, Path]:
    """A SQLite store with events and claims (full pipeline over 30 reports), checkpointed into one file; and 10 more reports."""
    folder = tmp_path_factory.mktemp("faults")
    db = folder / "full.db"
    proc = subprocess.run([FOGWATCH, "ingest", str(_corpus(folder / "c30.jsonl", 0, 30)), "--db", str(db), "-j", "1", "--no-progress"],
                          capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM claims").fetchone()[0] > 10
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db, _corpus(folder / "c10.jsonl", 30, 40)


QUERIES = (("events",), ("claims",), ("export", "--format", "jsonl"))


def test_a_dropped_table_is_one_coded_line(filled, tmp_path):
    full, more = filled
    db = tmp_path / "dropped.db"
    shutil.copy(full, db)
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE claims")
    conn.commit()
    conn.close()
    for args in (*QUERIES[1:], ("ingest", str(more), *STAGES)):
        proc = subprocess.run([FOGWATCH, *args, "--db", str(db)], capture_output=True, timeout=300)
        line = _one_coded_line(proc)
        assert "no such table: claims" in line and "restore it from a backup" in line, (args, line)


def _every_command_says_damaged(db: Path, more: Path) -> None:
    for args in (*QUERIES, ("ingest", str(more), *STAGES)):
        proc = subprocess.run([FOGWATCH, *args, "--db", str(db)], capture_output=True, timeout=300)
        line = _one_coded_line(proc)
        assert "malformed" in line and "damaged" in line, (args, line)


def test_corrupted_pages_are_one_coded_line(filled, tmp_path):
    full, more = filled
    db = tmp_path / "corrupt.db"
    shutil.copy(full, db)
    size = db.stat().st_size
    with open(db, "r+b") as fh:  # every third page from page 2 on: the header survives, the b-trees do not
        for page in range(2, size // 4096, 3):
            fh.seek(page * 4096 + 100)
            fh.write(b"\xa5" * 600)
    _every_command_says_damaged(db, more)


def test_a_store_damaged_where_the_open_reads_is_the_same_coded_fault(filled, tmp_path):
    """Corruption in the schema page itself: the open, not the command, meets it; still E510, never 'not a store'."""
    full, more = filled
    db = tmp_path / "schema-page.db"
    shutil.copy(full, db)
    with open(db, "r+b") as fh:  # page 1 past the 100-byte file header: sqlite_master's b-tree
        fh.seek(108)
        fh.write(b"\xa5" * 2000)
    _every_command_says_damaged(db, more)


def test_ingest_into_a_read_only_store_file_is_one_coded_line(filled, other_user):
    full, more = filled
    folder = Path(tempfile.mkdtemp(prefix="fogwatch-rostore-"))  # the folder is writable, the file not
    try:
        folder.chmod(0o777)
        db = folder / "s.db"
        shutil.copy(full, db)
        db.chmod(0o444)
        corpus = folder / "more.jsonl"
        shutil.copy(more, corpus)
        corpus.chmod(0o644)
        proc = subprocess.run([*other_user, FOGWATCH, "ingest", str(corpus), "--db", str(db), *STAGES], capture_output=True,
                              timeout=300, env={**os.environ, "HOME": str(folder)})
        line = _one_coded_line(proc)
        assert "readonly database" in line and "permissions" in line, line
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_disk_that_fills_up_during_ingest_is_one_coded_line(filled, tmp_path):
    """The file-size limit stands in for a full disk: writes past it fail as they would on a full file system."""
    full, _ = filled
    db = tmp_path / "full-disk.db"
    shutil.copy(full, db)
    limit = db.stat().st_size + 64 * 1024
    corpus = _corpus(tmp_path / "c150.jsonl", 50, 200)

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of the signal, as ENOSPC would be
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = subprocess.run([FOGWATCH, "ingest", str(corpus), "--db", str(db), "--batch-size", "10", *STAGES], capture_output=True,
                          timeout=300, preexec_fn=limited)
    line = _one_coded_line(proc)
    assert "disk" in line, line
    # What was committed before the fault is intact, and a rerun with room resumes.
    again = subprocess.run([FOGWATCH, "ingest", str(corpus), "--db", str(db), "--batch-size", "10", *STAGES], capture_output=True, timeout=300)
    assert again.returncode == 0, again.stderr.decode()[-2000:]
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 30 + 150
    conn.close()


def test_postgresql_stopped_mid_ingest_is_one_coded_line_without_the_password(tmp_path):
    try:
        cluster = temporary_postgres()
        admin = cluster.__enter__()
    except PostgresUnavailable as exc:
        pytest.fail(str(exc))
    try:
        url = create_database(admin, "fogwatch_stop")
        open_store(url).close()  # migrated (PostGIS) before the clock starts
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            data_dir = conn.execute("SHOW data_directory").fetchone()[0]
        secret_url = url.replace("postgres@", "postgres:s3cret-pw@")  # trust auth: any password is accepted, and must never be shown
        corpus = _corpus(tmp_path / "all.jsonl", 0, 10_000)
        proc = subprocess.Popen([FOGWATCH, "ingest", str(corpus), "--db", secret_url, "--batch-size", "5", *STAGES],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        stored = 0
        while time.monotonic() < deadline and proc.poll() is None and stored == 0:
            time.sleep(0.2)
            with psycopg.connect(url, autocommit=True) as conn:
                stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        assert stored > 0 and proc.poll() is None, "the ingest ended before the server could be stopped under it"
        as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        stop = subprocess.run([*as_user, str(pg_bindir() / "pg_ctl"), "-D", data_dir, "-m", "fast", "-w", "stop"], capture_output=True, timeout=60)
        assert stop.returncode == 0, stop.stderr
        try:
            _, err = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        line = _one_coded_line((proc.returncode, err.decode(errors="replace")))
        assert "s3cret-pw" not in err.decode(errors="replace")
        assert "server" in line or "connection" in line, line
    finally:
        cluster.__exit__(None, None, None)


def test_a_disk_that_fills_up_during_export_is_one_coded_line_and_keeps_the_previous_file(filled, tmp_path):
    """Export writes a temporary file and renames it: a full disk (the file-size limit standing in) costs the new
    file only; the previous output stays whole and no temporary file is left."""
    full, _ = filled
    out = tmp_path / "events.jsonl"
    first = subprocess.run([FOGWATCH, "export", "--format", "jsonl", "--db", str(full), "-o", str(out)], capture_output=True, timeout=300)
    assert first.returncode == 0 and out.stat().st_size > 256 * 1024, first.stderr.decode()[-2000:]
    before = out.read_bytes()

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of the signal, as ENOSPC would be
        resource.setrlimit(resource.RLIMIT_FSIZE, (128 * 1024, 128 * 1024))  # room for the store's shared memory, not the export

    proc = subprocess.run([FOGWATCH, "export", "--format", "jsonl", "--db", str(full), "-o", str(out)], capture_output=True,
                          timeout=300, preexec_fn=limited)
    err = proc.stderr.decode(errors="replace")
    assert proc.returncode == 1 and "Traceback" not in err and "[E508]" in err, err[-2000:]
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.jsonl"]
