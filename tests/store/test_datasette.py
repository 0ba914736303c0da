"""Browsing the SQLite store in Datasette, as docs/store.md tells a user to: the bundled samples ingested with the
real CLI, a real `datasette serve` process on a free port, its JSON API read over HTTP."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "src" / "fogwatch" / "samples"
DATASETTE = Path(sys.executable).with_name("datasette")

pytestmark = pytest.mark.skipif(not DATASETTE.exists() and shutil.which("datasette") is None,
                                reason="datasette is not installed (pip install -e '.[test]')")


def _documented_columns() -> dict[str, set[str]]:
    """Table -> columns, from the 'Tables and columns' section of docs/store.md (PostgreSQL-only rows left out)."""
    text = (REPO / "docs" / "store.md").read_text(encoding="utf-8")
    section = text.split("## Tables and columns", 1)[1].split("\n## ", 1)[0]
    out: dict[str, set[str]] = {}
    table = None
    for line in section.splitlines():
        if m := re.match(r"### `(\w+)`", line):
            table = out.setdefault(m.group(1), set())
        elif table is None or "PostgreSQL only" in line:
            continue
        elif line.startswith("| `"):  # a table of columns: the names are in the first cell
            table.update(re.findall(r"`(\w+)`", line.split("|")[1]))
        elif not line.startswith("|"):  # prose listing the columns in backticks
            table.update(re.findall(r"`(\w+)`", line))
    return out


@pytest.fixture(scope="module")
def samples_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("datasette") / "fogwatch.db"
    proc = subprocess.run([str(Path(sys.executable).with_name("fogwatch")), "ingest", str(SAMPLES), "--db", str(db), "--no-progress"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return db


@pytest.fixture(scope="module")
def datasette(samples_db, datasette_server):
    """`datasette serve` on the store, torn down after; yields its base URL."""
    with datasette_server(samples_db) as base:
        yield base


def _get(url: str, **params: str) -> object:
    r = httpx.get(url, params=params, timeout=30)
    assert r.status_code == 200, (r.status_code, r.text[:500])
    return r.json()


def test_contested_fused_events_over_http(datasette, samples_db):
    # The link docs/store.md gives, as JSON.
    rows = _get(f"{datasette}/fogwatch/fused_events.json", contested="1", _shape="array")
    cli = subprocess.run([str(Path(sys.executable).with_name("fogwatch")), "events", "--db", str(samples_db), "--contested", "--format", "json"],
                         capture_output=True, text=True, timeout=120)
    assert cli.returncode == 0, cli.stderr
    want = json.loads(cli.stdout)
    assert want, "the bundled samples hold a contested event"
    assert sorted(r["event_id"] for r in rows) == sorted(e["event_id"] for e in want)
    row = next(r for r in rows if r["event_id"] == want[0]["event_id"])
    assert row["contested"] == 1 and row["discrepancy"] > 0
    assert json.loads(row["discrepancy_reasons"]) == want[0]["discrepancy_reasons"]
    assert row["n_documents"] >= 2 and row["sources"] == want[0]["sources"]
    # Sorted by discrepancy, as the docs suggest.
    by_disc = _get(f"{datasette}/fogwatch/fused_events.json", _sort_desc="discrepancy", _shape="array")
    assert by_disc[0]["contested"] == 1
    assert [r["discrepancy"] for r in by_disc] == sorted((r["discrepancy"] for r in by_disc), reverse=True)


def test_a_mention_row_and_its_claims(datasette):
    event = _get(f"{datasette}/fogwatch/fused_events.json", contested="1", _shape="array")[0]
    mentions = _get(f"{datasette}/fogwatch/mentions.json", fused_event_id=event["event_id"], _shape="array")
    assert len(mentions) == event["n_mentions"] >= 2
    mid = mentions[0]["mention_id"]
    # The row page of one mention (its primary key in the URL).
    page = _get(f"{datasette}/fogwatch/mentions/{mid}.json", _shape="objects")
    (row,) = page["rows"]
    assert row["mention_id"] == mid and row["fused_event_id"] == event["event_id"]
    doc = _get(f"{datasette}/fogwatch/documents/{row['doc_key']}.json", _shape="objects")["rows"][0]
    assert doc["n_events"] >= 1 and doc["text"]
    # `claims` filtered by mention_id, as the docs suggest: the figures behind the contested flag.
    claims = [c for m in mentions for c in _get(f"{datasette}/fogwatch/claims.json", mention_id=m["mention_id"], _shape="array")]
    assert len({(c["low"], c["high"]) for c in claims}) >= 2  # the sources' figures differ
    # The republication chain: the republished sample names its republisher and the original outlet.
    republished = _get(f"{datasette}/fogwatch/documents.json", republisher__notblank="1", _shape="array")
    assert [d["doc_id"] for d in republished] == ["sample-03-republished"]
    assert republished[0]["outlet"] == "Meridian Wire" and republished[0]["republisher"]
    # The near-copies filter the docs give is one Datasette understands (the samples hold none).
    assert _get(f"{datasette}/fogwatch/documents.json", duplicate_of__notblank="1", _shape="array") == []


def test_documented_tables_and_columns_exist(datasette):
    documented = _documented_columns()
    assert {"documents", "mentions", "claims", "fused_events"} <= set(documented)
    for table, columns in documented.items():
        got = set(_get(f"{datasette}/fogwatch/{table}.json", _size="1")["columns"])
        assert columns <= got, (table, sorted(columns - got))
