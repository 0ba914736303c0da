"""The README's main job: `fogwatch demo` ingests the bundled samples into SQLite and shows fused events and contested claims."""

from __future__ import annotations

from fogwatch.store import EventFilter, open_store


def test_demo_fills_the_store_and_shows_fused_and_contested_events(run_cli, tmp_path):
    db = tmp_path / "demo.db"
    proc = run_cli("demo", "--db", str(db), env={"COLUMNS": "200"})
    out = proc.stdout.decode()
    assert proc.returncode == 0, proc.stderr.decode()
    with open_store(str(db)) as store:
        stats = store.stats()
        contested = store.events(EventFilter(contested=True))
    assert stats["documents"] == 4
    assert stats["fused_events"] >= 1 and stats["mentions"] >= stats["fused_events"]
    assert "Fused events" in out and "Contested claims" in out
    assert len(contested) >= 1 and all(e["event_id"] in out for e in contested)
    again = run_cli("demo", "--db", str(db))  # re-running on the same store stores nothing twice
    assert again.returncode == 0 and "stored 0 new report(s) (4 already there)" in again.stdout.decode()
