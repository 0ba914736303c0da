"""`fogwatch ingest|events|claims|export` as a user runs them, and a kill -9 in the middle of an ingest."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import time

import pytest

from fogwatch.store import open_store
from store_fixtures import seed_000, seed_003, unrelated_report

STAGES = ("--stages", "sections,sentences")  # the store's behaviour, independent of the extraction stages' speed


def _fill(url: str) -> str:
    with open_store(url) as store:
        store.add_batch([seed_000(), seed_003(), unrelated_report(1), unrelated_report(2)])
    return url


@pytest.fixture
def filled_db(db_url):
    """On both backends."""
    return _fill(db_url)


@pytest.fixture
def filled_sqlite(tmp_path):
    """The output side of the CLI is the same code on both backends: one is enough where the store is not the point."""
    return _fill(str(tmp_path / "filled.db"))


def test_events_table_and_json(run_cli, filled_db):
    proc = run_cli("events", "--db", filled_db, env={"COLUMNS": "300"})
    out = proc.stdout.decode()
    assert proc.returncode == 0, proc.stderr.decode()
    assert "Shelling/artillery/missile attack" in out and "Peaceful protest" in out and "yes 0.25" in out
    js = run_cli("events", "--db", filled_db, "--contested", "--format", "json", "--type", "battles")
    rows = json.loads(js.stdout)
    assert [r["sub_event_type"] for r in rows] == ["Armed clash"] and rows[0]["contested"] is True
    boxed = json.loads(run_cli("events", "--db", filled_db, "--bbox", "36.4,35.7,36.9,36.1", "--since", "2020-02-01", "--format", "json").stdout)
    assert [r["location_name"] for r in boxed] == ["Idlib"]
    assert json.loads(run_cli("events", "--db", filled_db, "--country", "Syria", "--admin1", "Aleppo", "--format", "json").stdout)
    assert json.loads(run_cli("events", "--db", filled_db, "--source", "Hawar", "--actor", "protesters", "--format", "json").stdout)


def test_claims_contested_sets_every_source_side_by_side(run_cli, filled_sqlite):
    filled_db = filled_sqlite
    proc = run_cli("claims", "--contested", "--db", filled_db, env={"COLUMNS": "300"})
    out = proc.stdout.decode()
    assert proc.returncode == 0, proc.stderr.decode()
    for expected in ("Turkish Defense Ministry", "at least 6", "(author)", "asserted", "reported", "pro-militant sources",
                     "hypothetical", "South Front (via Global Research)", "Russian"):
        assert expected in out, expected
    assert "Peaceful protest" not in out
    data = json.loads(run_cli("claims", "--contested", "--db", filled_db, "--format", "json").stdout)
    figures = sorted((c["figure"], c["claimant"]) for e in data for m in e["members"] for c in m["claims"] if "Turkish" in (c["subject"] or ""))
    assert figures == [("8", None), ("at least 6", "Turkish Defense Ministry")]


def test_export_cli(run_cli, filled_sqlite, tmp_path):
    filled_db = filled_sqlite
    proc = run_cli("export", "--format", "geojson", "--db", filled_db, "--contested")
    assert proc.returncode == 0 and len(json.loads(proc.stdout)["features"]) == 2
    out = tmp_path / "e.csv"
    proc = run_cli("export", "--format", "acled-csv", "--db", filled_db, "-o", str(out))
    assert proc.returncode == 0 and out.read_text().startswith("event_id_cnty,event_date,year,")
    assert "exported 4 event(s)" in proc.stderr.decode()
    proc = run_cli("export", "--format", "geojson", "--db", filled_db, "--include-unplaced")
    assert proc.returncode == 0 and len(json.loads(proc.stdout)["features"]) == 4
    proc = run_cli("export", "--format", "jsonl", "--db", filled_db, "--include-unplaced")
    assert proc.returncode == 2 and "applies to --format geojson" in proc.stderr.decode()


@pytest.mark.parametrize(
    "args, message",
    [
        (("events", "--bbox", "1,2,3"), "--bbox expects four numbers"),
        (("events", "--bbox", "10,50,5,40"), "WEST <= EAST"),
        (("events", "--since", "yesterday"), "--since expects a date"),
        (("events", "--country", "Atlantis"), "not an ISO 3166"),
        (("export", "--format", "parquet"), "give --output"),
        (("ingest", "/no/such/file.txt"), "no such file"),
        (("ingest", "src/fogwatch/samples", "--db", "/no/such/dir/x.db"), "does not exist"),
        (("events", "--db", "no-such-store.db"), "no store at no-such-store.db"),
    ],
)
def test_bad_usage_is_one_clear_line(run_cli, tmp_path, args, message):
    db = ("--db", str(tmp_path / "x.db")) if "--db" not in args else ()
    proc = run_cli(*args, *db)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert message in err and "Traceback" not in err


def _write_corpus(path, n: int) -> None:
    rng = random.Random(5)
    words = ("shelling clashes village town army rebels monitor reported killed wounded civilians market road north south "
             "morning evening convoy checkpoint hospital school drone strike artillery fighters province district").split()
    with open(path, "w") as fh:
        for i in range(n):
            body = " ".join(rng.choice(words) for _ in range(220))
            text = f"Report {i} written for fogwatch tests. " + ". ".join(body[j : j + 160] for j in range(0, len(body), 160))
            fh.write(json.dumps({"id": f"doc-{i}", "text": text, "source": f"Outlet {i % 7}", "published": "2021-03-10"}) + "\n")


def test_kill_9_mid_ingest_loses_nothing_committed_and_the_rerun_resumes(tmp_path):
    corpus, db = tmp_path / "corpus.jsonl", tmp_path / "kill.db"
    n, batch = 2500, 20
    _write_corpus(corpus, n)
    exe = os.path.join(os.path.dirname(os.sys.executable), "fogwatch")
    cmd = [exe, "ingest", str(corpus), "--db", str(db), "--batch-size", str(batch), "-j", "1", "--no-progress", *STAGES]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stored = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                stored = sqlite3.connect(db, timeout=1).execute("SELECT count(*) FROM documents").fetchone()[0]
            except sqlite3.OperationalError:  # schema not created yet
                stored = 0
            if stored >= 3 * batch:
                break
        time.sleep(0.02)
    assert proc.poll() is None, "ingest finished before it could be killed; make the corpus larger"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    after_kill = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    conn.close()
    assert stored <= after_kill < n and after_kill % batch == 0  # whole batches only

    rerun = subprocess.run(cmd, capture_output=True, timeout=120)
    err = rerun.stderr.decode()
    assert rerun.returncode == 0, err
    assert f"ingested {n - after_kill} new report(s) ({after_kill} already stored" in err
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*), count(DISTINCT doc_key) FROM documents").fetchone() == (n, n)
    assert conn.execute("SELECT count(DISTINCT doc_id) FROM documents").fetchone()[0] == n


def test_ingest_directory_records_the_republication_chain_and_shows_progress(run_cli, db_url):
    from fogwatch.store import open_store

    proc = run_cli("ingest", "src/fogwatch/samples", "--db", db_url, *STAGES, "-j", "1", "--progress", "--batch-size", "2")
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    assert "ingest" in err and "4/" in err  # the progress bar's count, on stderr
    assert proc.stdout == b""
    with open_store(db_url) as store, store.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT doc_id, outlet, republisher, url FROM documents ORDER BY doc_id").fetchall()
    chain = {r[0]: r[1:] for r in rows}
    assert len(chain) == 4
    assert chain["sample-03-republished"][0] == "Meridian Wire" and chain["sample-03-republished"][1].startswith("Levant Digest")
    assert chain["sample-03-republished"][2] == "https://levant-digest.example/2021/03/seven-civilians-killed-kafr-nabl"
    again = run_cli("ingest", "src/fogwatch/samples", "--db", db_url, *STAGES, "-j", "1")
    assert "ingested 0 new report(s) (4 already stored" in again.stderr.decode()
