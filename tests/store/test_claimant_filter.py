"""`fogwatch claims --claimant NAME`: any spelling the claimant registry knows finds the source's figures (issue 10 item 5)."""

from __future__ import annotations

import json

from fogwatch.store import open_store
from store_fixtures import seed_000, seed_003, unrelated_report


def test_claims_by_claimant_through_the_registry(run_cli, tmp_path):
    db = str(tmp_path / "claimants.db")
    with open_store(db) as store:
        store.add_batch([seed_000(), seed_003(), unrelated_report(1)])
    # 003 names the "Turkish Defense Ministry"; the registry knows the British spelling and the full name too
    for name in ("Turkish Defense Ministry", "Turkish Defence Ministry", "Ministry of National Defence of Turkey"):
        proc = run_cli("claims", "--db", db, "--claimant", name, "--format", "json")
        assert proc.returncode == 0, proc.stderr.decode()
        rows = json.loads(proc.stdout)
        assert [r["sub_event_type"] for r in rows] == ["Shelling/artillery/missile attack"], name
        claimants = {c["claimant"] for m in rows[0]["members"] for c in m["claims"]}
        assert "Turkish Defense Ministry" in claimants and None in claimants  # the other voices stay beside it
    proc = run_cli("claims", "--db", db, "--claimant", "SOHR", "--format", "json")
    assert proc.returncode == 0 and json.loads(proc.stdout) == []
