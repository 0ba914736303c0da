"""Reliability and security of the store commands (issue 11), each test reproducing a defect found by an audit.

Real SQLite files, the real PostgreSQL cluster of conftest.py, the real `fogwatch` command. See docs/reliability.md.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from fogwatch.store import IncomingDocument, content_key, open_store
from store_fixtures import IDLIB, SYRIA, actor, claim, event, seed_000, seed_003, unrelated_report

STAGES = ("--stages", "sections,sentences")  # the store's behaviour, independent of the extraction stages' speed
FOGWATCH = str(Path(sys.executable).with_name("fogwatch"))


def _no_traceback(proc: subprocess.CompletedProcess) -> str:
    err = proc.stderr.decode(errors="replace")
    assert "Traceback" not in err, err
    return err


def _documents(url: str) -> list[dict]:
    with open_store(url) as store, store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.text("SELECT doc_id, text, source, url, origin, errors FROM documents ORDER BY doc_id")).mappings()]


def _fill(url: str) -> str:
    with open_store(url) as store:
        store.add_batch([seed_000(), seed_003(), unrelated_report(1), unrelated_report(2)])
    return url


# --- 1. one bad record must not block an ingest --------------------------------------------------------------------

BAD_RECORDS = (
    '{"id": "a-good", "text": "A first report, written for fogwatch tests.", "source": "Outlet A"}\n'
    '{"id": "b-surrogate", "text": "x \\ud83d y. A report with a lone surrogate.", "source": "Outlet \\udc00 B"}\n'
    '{"id": "c-nul", "text": "a NUL \\u0000 inside. Another report.", "source": "Outlet\\u0000C", "title": "t\\u0000"}\n'
    '{"id": "d-good", "text": "The last report, written for fogwatch tests.", "source": "Outlet D"}\n'
)


def test_lone_surrogates_and_nul_are_repaired_and_the_rest_of_the_batch_is_stored(run_cli, db_url, tmp_path):
    """Before: UnicodeEncodeError (SQLite) / psycopg.DataError on NUL (PostgreSQL), and every rerun stopped there."""
    corpus = tmp_path / "bad.jsonl"
    corpus.write_text(BAD_RECORDS, encoding="utf-8")
    proc = run_cli("ingest", str(corpus), "--db", db_url, "--no-progress", "-j", "1", "--batch-size", "10", *STAGES)
    err = _no_traceback(proc)
    assert proc.returncode == 0, err
    assert "ingested 4 new report(s)" in err
    docs = {d["doc_id"]: d for d in _documents(db_url)}
    assert sorted(docs) == ["a-good", "b-surrogate", "c-nul", "d-good"]
    # One code point for one: every offset into the text stays where the input put it.
    assert docs["b-surrogate"]["text"] == "x \ufffd y. A report with a lone surrogate."
    assert docs["c-nul"]["text"] == "a NUL \ufffd inside. Another report."
    assert docs["b-surrogate"]["source"] == "Outlet \ufffd B" and docs["c-nul"]["source"] == "Outlet\ufffdC"
    for key in ("b-surrogate", "c-nul"):
        codes = [e["code"] for e in json.loads(docs[key]["errors"])]
        assert codes == ["E111"], docs[key]["errors"]
    assert docs["a-good"]["errors"] is None
    # The rerun skips all four: the repaired text is what is keyed.
    again = run_cli("ingest", str(corpus), "--db", db_url, "--no-progress", "-j", "1", *STAGES)
    assert again.returncode == 0 and "(4 already stored" in again.stderr.decode()


def test_extract_and_ingest_repair_alike(run_cli, tmp_path):
    """extract wrote a surrogate it could not encode (UnicodeEncodeError on stdout); now both say E111 with the same text."""
    corpus = tmp_path / "bad.jsonl"
    corpus.write_text(BAD_RECORDS, encoding="utf-8")
    proc = run_cli("extract", str(corpus), "-j", "1", *STAGES)
    _no_traceback(proc)
    assert proc.returncode == 0
    records = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert [r["doc_id"] for r in records] == ["a-good", "b-surrogate", "c-nul", "d-good"]
    assert [[e["code"] for e in r["errors"]] for r in records] == [[], ["E111"], ["E111"], []]
    assert records[1]["metadata"]["source"] == "Outlet \ufffd B"
    # Offsets: the sections span the whole text, as long as the input's (one code point replaced by one).
    assert records[1]["sections"][-1]["end"] == len("x \ud83d y. A report with a lone surrogate.")


# --- 2. exports write to a temporary file and rename ---------------------------------------------------------------

def test_a_failed_export_leaves_the_previous_output_intact(run_cli, tmp_path):
    """Before: an invalid outlets registry emptied keep.csv (1.5 MB to 0 bytes)."""
    db = _fill(str(tmp_path / "s.db"))
    out = tmp_path / "keep.csv"
    assert run_cli("export", "--format", "acled-csv", "--db", db, "-o", str(out)).returncode == 0
    before = out.read_bytes()
    assert len(before) > 500
    bad = tmp_path / "outlets.yaml"
    bad.write_text("outlets: [{name: X, scale: Galactic}]\n")
    for fmt in ("acled-csv", "parquet", "geojson"):
        proc = run_cli("export", "--format", fmt, "--db", db, "-o", str(out), env={"FOGWATCH_OUTLETS": str(bad)})
        err = _no_traceback(proc)
        assert proc.returncode == 2 and "[E506]" in err, err
        assert out.read_bytes() == before, fmt
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm")))
    assert left == ["keep.csv", "outlets.yaml", "s.db"]  # no temporary file left behind


def test_export_into_a_missing_folder_is_a_usage_error(run_cli, tmp_path):
    db = _fill(str(tmp_path / "s.db"))
    proc = run_cli("export", "--format", "acled-csv", "--db", db, "-o", str(tmp_path / "no" / "such" / "out.csv"))
    err = _no_traceback(proc)
    assert proc.returncode == 2 and "[E301]" in err and "does not exist" in err, err


# --- 3. CSV formula injection and URLs that are not links ----------------------------------------------------------

def test_acled_csv_neutralises_formulas_keeps_negative_numbers_and_drops_non_http_urls(run_cli, tmp_path):
    west = {**IDLIB, "name": "=cmd|' /C calc'!A0", "latitude": -12.5, "longitude": -3.5, "admin1": "+SUM(A1:A9)",
            "admin2": "@evil", "country_code": "ML"}
    text = "[test text written for fogwatch] An attack near a town killed three people. " * 3
    events = (event("x-e1", "Armed clash", "Battles", "2021-05-01", west, actor(SYRIA, 1, "=HYPERLINK(\"http://x\")"),
                    actor("-2+3", 2), 3, [claim(3, 3, None, "asserted", "people", 20, 60)]),)
    doc = IncomingDocument(doc_key=content_key(text), doc_id="x", text=text, source="=HYPERLINK(\"http://evil\",\"click\")",
                           outlet="\tTabbed Outlet", url="javascript:alert(1)", events=events)
    doc2 = IncomingDocument(doc_key=content_key(text + "2"), doc_id="y", text=text + "2", source="=cmd", outlet="=cmd",
                            url="https://user:secret@example.org/report", events=(dict(events[0], event_id="y-e1"),))
    db = str(tmp_path / "s.db")
    with open_store(db) as store:
        store.add_batch([doc, doc2])
    proc = run_cli("export", "--format", "acled-csv", "--db", db)
    _no_traceback(proc)
    rows = list(csv.DictReader(io.StringIO(proc.stdout.decode())))
    assert len(rows) == 1
    row = rows[0]
    for cell in row.values():
        assert not cell.startswith(("=", "+", "@", "\t", "\r")), row
        assert not cell.startswith("-") or _is_number(cell), row
    assert row["longitude"] == "-3.5" and row["latitude"] == "-12.5"  # numbers stay numbers
    assert row["location"].startswith("'=") and row["admin1"] == "'+SUM(A1:A9)" and row["admin2"] == "'@evil"
    assert row["source_urls"] == "https://example.org/report"  # no javascript:, no credentials
    for args in (("export", "--format", "jsonl"), ("export", "--format", "geojson"), ("claims", "--format", "json")):
        out = run_cli(*args, "--db", db).stdout.decode()
        assert "javascript:" not in out and "secret" not in out and "example.org/report" in out, args


def _is_number(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return False


def test_ingest_stores_only_http_links_without_credentials(run_cli, tmp_path):
    corpus = tmp_path / "urls.jsonl"
    corpus.write_text(
        json.dumps({"id": "js", "text": "A report with a script link, written for fogwatch.", "url": "javascript:alert(1)"}) + "\n"
        + json.dumps({"id": "cred", "text": "A report with a login in its link, written for fogwatch.",
                      "url": "https://reader:hunter2@news.example.org/a?b=1"}) + "\n")
    db = str(tmp_path / "s.db")
    proc = run_cli("ingest", str(corpus), "--db", db, "--no-progress", "-j", "1", *STAGES)
    assert proc.returncode == 0, _no_traceback(proc)
    docs = {d["doc_id"]: d for d in _documents(db)}
    assert docs["js"]["url"] is None and [e["code"] for e in json.loads(docs["js"]["errors"])] == ["E113"]
    assert docs["cred"]["url"] == "https://news.example.org/a?b=1"
    assert "hunter2" not in sqlite3.connect(db).execute("SELECT group_concat(coalesce(url,'') || coalesce(errors,'')) FROM documents").fetchone()[0]


# --- 4. credentials redacted from messages -------------------------------------------------------------------------

def test_ingest_summary_and_errors_never_print_a_password(run_cli, pg_migrated_url, tmp_path):
    url = pg_migrated_url.replace("postgresql://postgres@", "postgresql://postgres:s3cret-pw@")
    assert "s3cret-pw" in url
    proc = run_cli("ingest", "src/fogwatch/samples", "--db", url, "--no-progress", "-j", "1", *STAGES)
    err = _no_traceback(proc)
    assert proc.returncode == 0, err
    assert "postgres:***@" in err and "s3cret-pw" not in err, err
    bad = run_cli("events", "--db", "postgresql://nobody:s3cret-pw@127.0.0.1:1/none")
    err = _no_traceback(bad)
    assert bad.returncode == 1 and "[E501]" in err and "nobody:***@" in err and "s3cret-pw" not in err, err


# --- 6. usage errors ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (("events", "--limit", "99999999999999999999"), "--limit 99999999999999999999 is too large"),
    (("claims", "--limit", "99999999999999999999"), "--limit 99999999999999999999 is too large"),
    (("events", "--actor", "a" * 50_000), "--actor is 50,000 characters long"),
    (("export", "--format", "jsonl", "--source", "s" * 50_000), "--source is 50,000 characters long"),
    # An empty input: were the check ever lost, no worker would be started (no fork bomb in the test suite).
    (("ingest", "EMPTY", "--jobs", "99999999"), "--jobs 99999999 is too large"),
])
def test_absurd_option_values_are_usage_errors(run_cli, tmp_path, args, message):
    db = _fill(str(tmp_path / "s.db"))
    (tmp_path / "empty.jsonl").write_text("")
    args = tuple(str(tmp_path / "empty.jsonl") if a == "EMPTY" else a for a in args)
    proc = run_cli(*args, "--db", db)
    err = _no_traceback(proc)
    assert proc.returncode == 2 and "[E302]" in err and message in err, err


# --- 7. read commands must not write --------------------------------------------------------------------------------

def test_read_commands_refuse_a_foreign_sqlite_file_and_leave_it_untouched(run_cli, tmp_path):
    """Before: `events --db foreign.db` added fogwatch's tables to an unrelated SQLite file."""
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE birds (name TEXT)")
        conn.execute("INSERT INTO birds VALUES ('wren')")
    conn.close()
    before = foreign.read_bytes()
    empty = tmp_path / "empty.db"
    empty.touch()
    for db in (foreign, empty):
        for args in (("events",), ("events", "--format", "json"), ("claims",), ("export", "--format", "jsonl")):
            proc = run_cli(*args, "--db", str(db))
            err = _no_traceback(proc)
            assert proc.returncode == 2 and "[E507]" in err and "not a fogwatch store" in err, (args, err)
    assert foreign.read_bytes() == before
    assert empty.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db", "foreign.db"]  # no journal, no WAL, no lock file


def test_read_commands_refuse_a_postgresql_database_without_fogwatch_tables(run_cli, pg_url):
    proc = run_cli("events", "--db", pg_url)
    err = _no_traceback(proc)
    assert proc.returncode == 2 and "[E507]" in err, err
    engine = sa.create_engine("postgresql+psycopg://" + pg_url.split("://", 1)[1])
    with engine.connect() as conn:
        assert sa.inspect(conn).get_table_names() == []
    engine.dispose()



def test_read_commands_work_on_a_store_in_a_read_only_folder(other_user):
    """Before: `events` failed in a read-only folder (it opened the store read-write and wanted a WAL journal)."""
    folder = Path(tempfile.mkdtemp(prefix="fogwatch-ro-"))
    try:
        folder.chmod(0o755)
        db = _fill(str(folder / "store.db"))
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        for extra in folder.glob("store.db-*"):
            extra.unlink()  # everything is in the database file: no -wal/-shm for the reader to lean on
        (folder / "store.db").chmod(0o644)
        folder.chmod(0o555)
        env = {**os.environ, "COLUMNS": "200", "HOME": str(folder)}
        for args in (("events",), ("events", "--format", "json"), ("claims", "--format", "json"), ("export", "--format", "jsonl")):
            proc = subprocess.run([*other_user, FOGWATCH, *args, "--db", db], capture_output=True, env=env, timeout=120)
            err = _no_traceback(proc)
            assert proc.returncode == 0, (args, err)
            assert b"fw" in proc.stdout, args
        # Writing there fails cleanly: an export with a code (E508), an ingest with the store's (E501).
        proc = subprocess.run([*other_user, FOGWATCH, "export", "--format", "jsonl", "--db", db, "-o", str(folder / "out.jsonl")],
                              capture_output=True, env=env, timeout=120)
        err = _no_traceback(proc)
        assert proc.returncode == 1 and "[E508]" in err, err
        assert sorted(p.name for p in folder.iterdir()) == ["store.db"]
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


def test_a_current_store_is_opened_read_only_by_the_query_commands(db_url):
    _fill(db_url)
    with open_store(db_url, create=False, read_only=True) as store:
        assert len(store.events()) == 4
        with pytest.raises(sa.exc.DBAPIError):  # SQLite mode=ro / PostgreSQL read-only transactions
            with store.engine.begin() as conn:
                conn.execute(sa.text("DELETE FROM fused_events"))
    with open_store(db_url) as store:
        assert len(store.events()) == 4


# --- 8. two ingests into one store ----------------------------------------------------------------------------------

def _corpus(path: Path, n: int) -> None:
    with open(path, "w") as fh:
        for i in range(n):
            text = f"Report {i} written for fogwatch tests. " + " ".join(f"word{(i * 7 + j) % 97}" for j in range(150))
            fh.write(json.dumps({"id": f"doc-{i}", "text": text, "source": f"Outlet {i % 5}"}) + "\n")


def test_a_second_ingest_waits_for_the_first(db_url, tmp_path):
    """Before: the second died with an IntegrityError traceback that printed document excerpts."""
    from fogwatch.store.lock import ingest_lock

    corpus = tmp_path / "c.jsonl"
    _corpus(corpus, 30)
    with ingest_lock(db_url):  # an ingest in progress
        proc = subprocess.Popen([FOGWATCH, "ingest", str(corpus), "--db", db_url, "--no-progress", "-j", "1", *STAGES],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            line = proc.stderr.readline().decode()
            assert "another ingest is writing to" in line and "waiting" in line, line
            time.sleep(1.0)
            assert proc.poll() is None  # still waiting
        except BaseException:
            proc.kill()
            raise
    _, rest = proc.communicate(timeout=240)
    assert proc.returncode == 0, rest.decode()
    assert "ingested 30 new report(s)" in rest.decode()


def test_two_concurrent_ingests_into_a_brand_new_file(tmp_path):
    """Before: "[E501] table mentions already exists" (both migrated the new file) or an IntegrityError traceback."""
    corpus = tmp_path / "c.jsonl"
    _corpus(corpus, 40)
    db = str(tmp_path / "new.db")
    cmd = [FOGWATCH, "ingest", str(corpus), "--db", db, "--no-progress", "-j", "1", "--batch-size", "5", *STAGES]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outs = [p.communicate(timeout=240) for p in procs]
    for p, (_, err) in zip(procs, outs):
        assert p.returncode == 0, err.decode()
        assert b"Traceback" not in err
    text = b"".join(err for _, err in outs).decode()
    assert text.count("ingested 40 new report(s)") == 1 and "ingested 0 new report(s) (40 already stored" in text, text
    with open_store(db) as store:
        assert store.stats()["documents"] == 40


def test_a_write_conflict_is_one_coded_line_without_the_batch_texts(db_url):
    """Should two writers still collide, the database's constraint error becomes E509: no statement, no parameters, no texts."""
    from fogwatch.errors import FogwatchError

    secret_text = "[test text written for fogwatch] PRIVATE-EXCERPT " * 4
    base = seed_000()
    # Two reports whose keys share the first 24 hex digits: their mention ids collide, as a concurrent writer's would.
    a = IncomingDocument(**{**_fields(base), "doc_key": "a" * 24 + "1" * 40, "text": secret_text, "doc_id": "one"})
    b = IncomingDocument(**{**_fields(base), "doc_key": "a" * 24 + "2" * 40, "text": secret_text + "2", "doc_id": "two"})
    with open_store(db_url) as store:
        with pytest.raises(FogwatchError) as info:
            store.add_batch([a, b])
        assert str(info.value).startswith("[E509]")
        assert "PRIVATE-EXCERPT" not in str(info.value) and "INSERT" not in str(info.value)
        assert store.stats()["documents"] == 0  # the batch was rolled back
        store.add_batch([a])  # and the store is usable afterwards
        assert store.stats()["documents"] == 1


def _fields(doc: IncomingDocument) -> dict:
    return {name: getattr(doc, name) for name in IncomingDocument.__dataclass_fields__}


def test_a_report_the_database_refuses_is_reported_alone_and_the_batch_is_stored(db_url):
    """Per-record isolation behind the input boundary: documents handed to `ingest()` without the repair."""
    from fogwatch.pipeline import Pipeline
    from fogwatch.records import Document
    from fogwatch.store.ingest import ingest

    docs = [
        Document(doc_id="good-1", text="A first report written for fogwatch tests."),
        Document(doc_id="surrogate", text="PRIVATE x \ud83d y, a report no UTF-8 encoder takes."),
        Document(doc_id="nul", text="PRIVATE a NUL \x00 inside, which PostgreSQL refuses."),
        Document(doc_id="good-2", text="The last report written for fogwatch tests."),
    ]
    with open_store(db_url) as store:
        report = ingest(store, docs, Pipeline(["sections", "sentences"]), batch_size=10, jobs=1)
        stored = {d["doc_id"] for d in _documents(db_url)}
    refused = {doc_id for doc_id, code, _ in report.failed if code == "E114"}
    assert {"good-1", "good-2"} <= stored and "surrogate" in refused
    # SQLite stores NUL; PostgreSQL refuses it. Either way every report is accounted for, once.
    assert stored | refused == {"good-1", "surrogate", "nul", "good-2"} and not stored & refused
    assert ("nul" in refused) == db_url.startswith("postgresql")
    assert report.stored == len(stored)
    assert all("PRIVATE" not in message for _, _, message in report.failed)
