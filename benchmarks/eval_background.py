"""Old events as new ones: FA-KES ingested into a fresh store, exported events dated well before their reports.

    nice .venv/bin/python benchmarks/eval_background.py                    # ingest into a fresh store, then score
    nice .venv/bin/python benchmarks/eval_background.py --db STORE.db      # score a store FA-KES was ingested into

An exported event is *stale* when its date (the fused event's representative day) is more than
30 days before the publication date of every one of its reports. The default export leaves out
background events (every member a mention of an earlier event) and hedged ones (every member
hypothetical or denied): the script prints the share of stale events, and the fatalities they
carry, in the default export and in everything the store holds (``--include-hedged
--include-background``), plus how many events each rule keeps out.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from _corpus import FAKES, REPO


def _day(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def score(db: str) -> None:
    from fogwatch.store import open_store
    from fogwatch.store.query import EventFilter

    with open_store(db, read_only=True) as store:
        rows = {
            "default export": store.events(EventFilter(), limit=None),
            "everything stored": store.events(EventFilter(include_hedged=True, include_background=True), limit=None),
            "hedged only": store.events(EventFilter(include_hedged=True), limit=None),
            "background only": store.events(EventFilter(include_background=True), limit=None),
        }
        every = rows["everything stored"]
        members = {}
        ids = [e["event_id"] for e in every]
        for i in range(0, len(ids), 500):
            members.update(store.members(ids[i : i + 500]))
    print("### FA-KES in a fresh store: events dated more than 30 days before all their reports\n")
    print("| events | n | stale (> 30 days before every report) | share | fatalities (best) | of which stale | events with >= 500 dead |")
    print("|---|---|---|---|---|---|---|")
    default_n = len(rows["default export"])
    for name in ("everything stored", "default export"):
        evs = rows[name]
        stale = fat = stale_fat = big = 0
        for e in evs:
            day = _day(e["event_date"] or e["date_start"])
            published = [_day(m.get("published")) for m in members.get(e["event_id"], [])]
            published = [p for p in published if p]
            f = e["fatalities_best"] or 0
            fat += f
            big += f >= 500
            if day and published and all(day < p - timedelta(days=30) for p in published):
                stale += 1
                stale_fat += f
        share = stale / len(evs) if evs else 0.0
        print(f"| {name} | {len(evs):,} | {stale:,} | {share:.1%} | {fat:,} | {stale_fat:,} | {big} |")
    print(f"\nLeft out of the default export: {len(rows['hedged only']) - default_n:,} hedged "
          f"(hypothetical or denied), {len(rows['background only']) - default_n:,} background; "
          f"{len(every) - default_n:,} in all.")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="score this store (FA-KES already ingested) instead of ingesting into a fresh one")
    ap.add_argument("--jobs", default="2")
    args = ap.parse_args(argv)
    db = args.db
    if db is None:
        db = str(Path(tempfile.mkdtemp(prefix="fogwatch-fakes-")) / "fakes.db")
        exe = str(Path(sys.executable).with_name("fogwatch"))
        t = time.perf_counter()
        proc = subprocess.run([exe, "ingest", str(FAKES), "--db", db, "-j", args.jobs, "--no-progress"], capture_output=True, text=True)
        print(proc.stderr.strip().splitlines()[-2:] if proc.stderr else "", f"({time.perf_counter() - t:.0f} s; store {db})\n")
        if proc.returncode != 0:
            print(proc.stderr[-2000:])
            return proc.returncode
    score(db)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    raise SystemExit(main(sys.argv[1:]))
