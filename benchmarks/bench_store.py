"""Store benchmarks (issue 5): ingest throughput, and bbox + time queries over 1M events.

    .venv/bin/python benchmarks/bench_store.py ingest [--backend sqlite|postgresql|both] [--jobs N] [--stages a,b]
    .venv/bin/python benchmarks/bench_store.py query  [--backend sqlite|postgresql|both] [--events 1000000] [--queries 200]
                                                      [--cli-runs 100] [--pg-shared-buffers 1GB]

``ingest`` runs the real ingest path (readers, the default pipeline, MinHash
near-duplicates, fusion, batched commits) over ../shared/corpus/fakes/fakes.jsonl
into a fresh store and reports documents per second. PostgreSQL runs in a
throwaway cluster with fsync on.

``query`` generates N fused events directly into a fresh store (random points
over Syria's bounding box, days 2011-2024), then times the query that
``fogwatch events --bbox W,S,E,N --since DAY`` runs (Store.events, limit 100,
newest first) for random 0.5-degree boxes and random start days: p50/p95/max
in milliseconds, in process. Then it times the whole command as a user runs it,
``fogwatch events --db DB --bbox W,S,E,N --since DAY`` in a fresh process
(interpreter start and imports included), ``--cli-runs`` times per output format
(``--format json``, and the rich table with stdout to a pipe), one different
random query each run, after one warm-up run: p50/p95/max.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from _corpus import FAKES
SYRIA = (35.7, 32.3, 42.4, 37.3)  # W, S, E, N
SUB_TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
             ("Explosions/Remote violence", "Air/drone strike"), ("Violence against civilians", "Attack"),
             ("Protests", "Peaceful protest"), ("Strategic developments", "Arrests")]
ADMIN1 = ["Idlib", "Aleppo", "Hama", "Homs", "Damascus", "Rif Dimashq", "Daraa", "Deir ez-Zor", "Ar-Raqqah", "Al-Hasakah"]


def _backends(choice: str) -> list[str]:
    return ["sqlite", "postgresql"] if choice == "both" else [choice]


def _with_store(backend: str, fn, fast_pg: bool, pg_settings: dict[str, str] | None = None):
    from fogwatch.store import open_store
    from fogwatch.store.pgtemp import create_database, temporary_postgres

    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="fogwatch-bench-") as tmp:
            db = str(Path(tmp) / "bench.db")
            with open_store(db) as store:
                return fn(store, db)
    with temporary_postgres(fast=fast_pg, settings=pg_settings) as admin:
        db = create_database(admin, "bench")
        with open_store(db) as store:
            return fn(store, db)


def bench_ingest(args) -> None:
    from fogwatch.ingest.sources import iter_documents
    from fogwatch.pipeline import Pipeline, default_pipeline
    from fogwatch.store.ingest import ingest

    for backend in _backends(args.backend):
        nlp = Pipeline(args.stages.split(",")) if args.stages else default_pipeline()

        def run(store, db):
            report = ingest(store, iter_documents([str(FAKES)]), nlp, batch_size=args.batch_size, jobs=args.jobs)
            return report, store.stats()

        report, stats = _with_store(backend, run, fast_pg=False)
        print(f"ingest {backend:10s} jobs={args.jobs} pipeline={'+'.join(nlp.names)}: {report.read} docs in {report.seconds:.2f}s "
              f"= {report.docs_per_second:.1f} docs/s; {stats['mentions']} mentions -> {stats['fused_events']} fused events "
              f"({stats['contested_events']} contested), {stats['near_duplicates']} near-duplicates")


def _generate(store, n: int, seed: int = 7) -> float:
    """Insert n fused events straight into the table (the triggers keep the spatial index); returns seconds."""
    rng = random.Random(seed)
    start, span = date(2011, 1, 1), (date(2024, 12, 31) - date(2011, 1, 1)).days
    cols = ("event_id", "event_type", "sub_event_type", "event_date", "date_start", "date_end", "time_precision",
            "location_name", "latitude", "longitude", "country_code", "admin1", "geo_precision", "actor1", "actor1_inter",
            "fatalities_low", "fatalities_best", "fatalities_high", "n_mentions", "n_documents", "n_sources", "sources",
            "contested", "discrepancy", "updated_at")

    def rows(lo: int, hi: int):
        for i in range(lo, hi):
            et, sub = SUB_TYPES[rng.randrange(len(SUB_TYPES))]
            day = start + timedelta(days=rng.randrange(span))
            f = rng.choice((None, 0, 1, 2, 3, 5, 8, 12))
            contested = rng.random() < 0.1
            yield (f"bench{i:08x}", et, sub, day, day, day, 1, f"place {i % 5000}", rng.uniform(SYRIA[1], SYRIA[3]),
                   rng.uniform(SYRIA[0], SYRIA[2]), "SY", ADMIN1[i % len(ADMIN1)], 1, "Military Forces of Syria (2000-)", 1,
                   f, f, (f + 2) if (f is not None and contested) else f, 1, 1, 1, "Bench Wire", contested,
                   0.3 if contested else 0.0, "2026-01-01T00:00:00+00:00")

    t0 = time.perf_counter()
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        chunk = 50_000
        if store.dialect == "sqlite":
            sql = f"INSERT INTO fused_events ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            for lo in range(0, n, chunk):
                cur.executemany(sql, [tuple(v.isoformat() if isinstance(v, date) else v for v in r) for r in rows(lo, min(n, lo + chunk))])
                raw.commit()
        else:
            with cur.copy(f"COPY fused_events ({', '.join(cols)}) FROM STDIN") as copy:
                for r in rows(0, n):
                    copy.write_row(r)
            raw.commit()
            cur.execute("ANALYZE fused_events")
            raw.commit()
    finally:
        raw.close()
    if store.dialect == "sqlite":
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    return time.perf_counter() - t0


def bench_query(args) -> None:
    from fogwatch.store import EventFilter
    from fogwatch.store.query import BBox

    for backend in _backends(args.backend):
        def run(store, db):
            load_s = _generate(store, args.events)
            rng = random.Random(11)
            times, sizes = [], []
            queries = []
            for _ in range(args.queries):
                w, s = rng.uniform(SYRIA[0], SYRIA[2] - 0.5), rng.uniform(SYRIA[1], SYRIA[3] - 0.5)
                since = date(2011, 1, 1) + timedelta(days=rng.randrange(13 * 365))
                queries.append(EventFilter(bbox=BBox(w, s, w + 0.5, s + 0.5), since=since))
            store.events(queries[0], limit=100)  # warm the connection pool and the page cache
            for flt in queries:
                t0 = time.perf_counter()
                got = store.events(flt, limit=100)
                times.append((time.perf_counter() - t0) * 1000)
                sizes.append(len(got))
            times.sort()
            p95 = times[int(0.95 * (len(times) - 1))]
            label = backend + (f" (shared_buffers={args.pg_shared_buffers})" if backend == "postgresql" and args.pg_shared_buffers else "")
            print(f"query {label} {args.events:,} events (generated in {load_s:.0f}s): bbox 0.5deg + --since, limit 100, "
                  f"{len(times)} queries: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms; "
                  f"rows/query median {statistics.median(sizes):.0f}", flush=True)
            for fmt in ("json", "table"):
                cli = _time_cli(db, queries, fmt, args.cli_runs)
                print(f"  whole command `fogwatch events --bbox … --since … --format {fmt}` ({len(cli)} runs, fresh process each): "
                      f"p50 {statistics.median(cli):.0f} ms, p95 {_p95(cli):.0f} ms, max {max(cli):.0f} ms", flush=True)

        settings = {"shared_buffers": args.pg_shared_buffers} if args.pg_shared_buffers else None
        _with_store(backend, run, fast_pg=True, pg_settings=settings)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


def _time_cli(db: str, queries, fmt: str, runs: int) -> list[float]:
    """Wall time of the real `fogwatch events` entry point, one subprocess per run, stdout to a pipe."""
    exe = str(Path(sys.executable).with_name("fogwatch"))
    out = []
    for i in range(runs + 1):
        b, since = queries[i % len(queries)].bbox, queries[i % len(queries)].since
        cmd = [exe, "events", "--db", db, "--bbox", f"{b.west},{b.south},{b.east},{b.north}", "--since", since.isoformat(),
               "--format", fmt]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, env={**os.environ, "COLUMNS": "160"})
        ms = (time.perf_counter() - t0) * 1000
        if proc.returncode != 0 or not proc.stdout:
            raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode()[-500:]}")
        if i:  # the first run warms the page cache and the interpreter's files
            out.append(ms)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="what", required=True)
    a = sub.add_parser("ingest")
    a.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    a.add_argument("--jobs", type=int, default=1)
    a.add_argument("--batch-size", type=int, default=50)
    a.add_argument("--stages", default=None, help="comma-separated pipeline (default: every installed stage)")
    q = sub.add_parser("query")
    q.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    q.add_argument("--events", type=int, default=1_000_000)
    q.add_argument("--queries", type=int, default=200)
    q.add_argument("--cli-runs", type=int, default=100, help="whole-command runs per output format")
    q.add_argument("--pg-shared-buffers", default=None, help="PostgreSQL shared_buffers for the throwaway cluster (default: the server default, 128MB)")
    args = ap.parse_args()
    (bench_ingest if args.what == "ingest" else bench_query)(args)


if __name__ == "__main__":
    main()
