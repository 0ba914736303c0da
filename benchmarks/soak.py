"""Kill-and-resume soak: `fogwatch ingest` killed with SIGKILL at random points, then resumed, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/soak.py [--docs 150] [--kills 10] [--seed 1]

For each backend: a clean ingest of the first N FA-KES documents is the reference;
then a fresh store is ingested ``--kills`` times, each run killed (kill -9 of the
parent only, so its pool workers must notice by themselves) after a random delay,
and finally run to completion. Reported per backend: documents lost (in the
reference, not in the soaked store), duplicated (more than one stored report per
input document, or more mentions/claims/fused events than the reference), and
orphaned workers (processes of a killed run still alive 3 s after the kill).
Exit status 1 if any of them is not 0.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _corpus import FAKES, REPO
FOGWATCH = Path(sys.executable).with_name("fogwatch")
TABLES = ("documents", "mentions", "claims", "fused_events")


def counts(url: str) -> dict[str, object]:
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else f"sqlite:///{url}")
    with engine.connect() as conn:
        out: dict[str, object] = {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}
        out["doc_ids"] = sorted(r[0] for r in conn.execute(sa.text("SELECT doc_id FROM documents")))
        out["fused"] = sorted(
            tuple(str(x) for x in r) for r in conn.execute(sa.text("SELECT sub_event_type, event_date, location_name, fatalities_best, n_mentions FROM fused_events"))
        )
    engine.dispose()
    return out


def ingest(corpus: Path, db: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(FOGWATCH), "ingest", str(corpus), "--db", db, "--jobs", "2", "--batch-size", "8"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


def children_alive(session: int) -> list[int]:
    """Processes still in the killed run's session (its pool workers)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getsid(int(entry.name)) == session:
                    alive.append(int(entry.name))
            except (ProcessLookupError, PermissionError):
                pass
    return alive


def soak(corpus: Path, db: str, kills: int, rng: random.Random, max_delay: float) -> tuple[int, int, list[int]]:
    """(orphaned workers, kills that hit a running ingest, documents stored after each kill)."""
    orphans, hits, progress = 0, 0, []
    for _ in range(kills):
        proc = ingest(corpus, db)
        time.sleep(rng.uniform(0.5, max_delay))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)  # the parent only: the workers must go by themselves
            hits += 1
        proc.wait()
        progress.append(_stored(db))
        time.sleep(3)
        left = children_alive(proc.pid)
        orphans += len(left)
        for pid in left:  # do not let them pile up
            os.kill(pid, signal.SIGKILL)
    final = ingest(corpus, db)
    final.wait(timeout=900)
    return orphans, hits, progress


def _stored(db: str) -> int:
    try:
        return int(counts(db)["documents"])  # type: ignore[call-overload]
    except Exception:  # killed before the store was created
        return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=150)
    ap.add_argument("--kills", type=int, default=10, help="kills per backend")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    sys.path.insert(0, str(REPO / "src"))
    from fogwatch.store.pgtemp import create_database, temporary_postgres

    tmp = Path(tempfile.mkdtemp(prefix="fogwatch-soak-"))
    corpus = tmp / "corpus.jsonl"
    with FAKES.open(encoding="utf-8") as fh, open(corpus, "w", encoding="utf-8") as out:
        for i, line in enumerate(fh):
            if i >= args.docs:
                break
            out.write(line)
    t = time.perf_counter()
    ref_db = str(tmp / "reference.db")
    ingest(corpus, ref_db).wait(timeout=900)
    full = time.perf_counter() - t
    reference = counts(ref_db)
    print(f"reference: {args.docs} documents in {full:.1f} s; {json.dumps({k: reference[k] for k in TABLES})}")
    bad = 0
    with temporary_postgres() as admin:
        targets = {"sqlite": str(tmp / "soak.db"), "postgresql": create_database(admin, "fogwatch_soak")}
        pg_ref = create_database(admin, "fogwatch_soak_ref")
        ingest(corpus, pg_ref).wait(timeout=900)
        refs = {"sqlite": reference, "postgresql": counts(pg_ref)}
        print("| backend | kills | lost | duplicated | orphaned workers | documents | mentions | claims | fused events (reference) |")
        print("|---|---|---|---|---|---|---|---|---|")
        for backend, db in targets.items():
            orphans, hits, progress = soak(corpus, db, args.kills, rng, max(1.0, full / 2))
            print(f"{backend}: {hits} of {args.kills} kills hit a running ingest; documents stored after each kill: {progress}", file=sys.stderr)
            got, ref = counts(db), refs[backend]
            lost = len(set(ref["doc_ids"]) - set(got["doc_ids"]))  # type: ignore[arg-type]
            dup = (len(got["doc_ids"]) - len(set(got["doc_ids"]))) + sum(  # type: ignore[arg-type]
                max(0, int(got[k]) - int(ref[k])) for k in ("mentions", "claims", "fused_events")  # type: ignore[call-overload]
            )
            same_fused = got["fused"] == ref["fused"]
            bad += lost + dup + orphans
            print(f"| {backend} | {args.kills} | {lost} | {dup} | {orphans} | {got['documents']} | {got['mentions']} | {got['claims']} | "
                  f"{got['fused_events']} ({ref['fused_events']}; {'identical' if same_fused else 'differ'}) |")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
