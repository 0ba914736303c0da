"""`fogwatch events` and `fogwatch claims` as a user reads them: cards at 80 columns, tables at 160, CSV, clear messages."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, run_cli):
    """A SQLite store holding the bundled sample reports (what `fogwatch demo --db` leaves)."""
    path = tmp_path_factory.mktemp("listing") / "demo.db"
    proc = run_cli("demo", "--db", str(path))
    assert proc.returncode == 0, proc.stderr.decode()
    return str(path)


def _words(events: list[dict]) -> set[str]:
    """Every word of the values a card shows."""
    words: set[str] = set()
    for e in events:
        for key in ("event_id", "sub_event_type", "location_name", "admin1", "actor1", "actor2", "sources"):
            words.update((e[key] or "").split())
    return words


def test_events_at_80_columns_are_cards_that_never_cut_a_word(run_cli, demo_db):
    events = json.loads(run_cli("events", "--db", demo_db, "--format", "json").stdout)
    assert events
    proc = run_cli("events", "--db", demo_db, env={"COLUMNS": "80"})
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode()
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "┃" not in out and "│" not in out  # no table at this width
    tokens = set(re.split(r"[\s,:·]+", out))
    missing = {w for w in _words(events) if w not in tokens}
    assert not missing, f"words cut or lost at 80 columns: {missing}"
    assert sum(line.startswith(e["event_id"]) for e in events for line in lines) == len(events)  # one card each


@pytest.mark.parametrize("width", [120, 140, 160, 200])
def test_events_from_120_columns_are_one_table_or_cards_never_a_cut_word(run_cli, demo_db, width):
    events = json.loads(run_cli("events", "--db", demo_db, "--format", "json").stdout)
    out = run_cli("events", "--db", demo_db, env={"COLUMNS": str(width)}).stdout.decode()
    assert max(len(line) for line in out.splitlines()) <= width
    assert "…" not in out
    if width >= 140:
        assert "┃ event" in out  # the demo's events fit a table from 140 columns
    words = {w for e in events for w in _words([e])}
    tokens = {t for line in out.splitlines() for cell in line.split("│") for t in re.split(r"[\s,:·]+", cell)}
    assert not {w for w in words if w not in tokens}


def test_the_demo_fits_80_columns(run_cli):
    out = run_cli("demo", env={"COLUMNS": "80"}).stdout.decode()
    assert max(len(line) for line in out.splitlines()) <= 80 and "…" not in out


def test_claims_cards_and_tables(run_cli, demo_db):
    narrow = run_cli("claims", "--contested", "--db", demo_db, env={"COLUMNS": "80"})
    assert narrow.returncode == 0, narrow.stderr.decode()
    text = narrow.stdout.decode()
    assert max(len(line) for line in text.splitlines()) <= 80 and "│" not in text
    assert "per local activists, reported" in " ".join(text.split())
    wide = run_cli("claims", "--contested", "--db", demo_db, env={"COLUMNS": "160"}).stdout.decode()
    assert "claimant" in wide and "│" in wide


def test_csv_format_for_events_and_claims(run_cli, demo_db):
    events = json.loads(run_cli("events", "--db", demo_db, "--format", "json").stdout)
    rows = list(csv.DictReader(io.StringIO(run_cli("events", "--db", demo_db, "--format", "csv").stdout.decode())))
    assert [r["event_id"] for r in rows] == [e["event_id"] for e in events]
    contested = [r for r in rows if r["contested"] == "True"]
    assert contested and all(r["discrepancy_reasons"] for r in contested)

    claims_json = json.loads(run_cli("claims", "--db", demo_db, "--format", "json").stdout)
    n_claims = sum(max(1, len(m["claims"])) for e in claims_json for m in e["members"])
    claim_rows = list(csv.DictReader(io.StringIO(run_cli("claims", "--db", demo_db, "--format", "csv").stdout.decode())))
    assert len(claim_rows) == n_claims
    assert {"event_id", "outlet", "figure", "claimant", "modality", "evidence"} <= set(claim_rows[0])
    assert any(r["claimant"] == "local activists" and r["figure"] == "9" for r in claim_rows)


def test_an_empty_listing_says_why(run_cli, demo_db, tmp_path):
    proc = run_cli("events", "--db", demo_db, "--country", "IQ")
    assert proc.returncode == 0 and proc.stdout == b""
    err = proc.stderr.decode()
    assert "no fused events match these filters" in err and "holds 4 fused event(s)" in err and "empty" not in err
    proc = run_cli("claims", "--db", demo_db, "--since", "2030-01-01")
    assert "no events match these filters" in proc.stderr.decode()

    empty = tmp_path / "empty.db"
    assert run_cli("ingest", "--db", str(empty), str(tmp_path / "nothing.txt")).returncode == 2  # no such file: nothing stored
    from fogwatch.store import open_store

    open_store(str(empty)).close()  # a new, empty store
    proc = run_cli("events", "--db", str(empty))
    assert "holds no events yet" in proc.stderr.decode()


@pytest.mark.parametrize("command", ["events", "claims", "export", "ingest"])
def test_an_unsupported_database_scheme_is_a_coded_usage_error(run_cli, command, tmp_path):
    extra = {"export": ["--format", "jsonl"], "ingest": [str(tmp_path)]}.get(command, [])
    proc = run_cli(command, *extra, "--db", "mysql://user:secret@x/y")
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "[E901]" in err and "'mysql' scheme is not supported" in err and "secret" not in err and "Traceback" not in err
    assert err.count("\n") == 1
