"""Workbench benchmarks (issue 14): the API's bbox + time query over 1M fused events, and the first map view
of 10,000 events in headless Chromium.

    .venv/bin/python benchmarks/bench_serve.py api     [--events 1000000] [--queries 200] [--keep FILE]
    .venv/bin/python benchmarks/bench_serve.py browser [--events 10000] [--runs 5] [--keep FILE]

``api`` generates N fused events straight into a fresh SQLite store (bench_store.py's generator: random
points over Syria's bounding box, days 2011-2024; the triggers keep the R*Tree), then sends, in process
through the ASGI app (FastAPI, the guard, JSON encoding included, no sockets), random bbox + time requests:
0.5-degree boxes and 90-day windows, to ``/api/events`` (limit 100, with ``total``) and to ``/api/points``
(the map's query): p50/p95/max in milliseconds.

``browser`` serves a store of N generated events with uvicorn on 127.0.0.1 and loads the page in Debian's
headless chromium (Playwright), a fresh page each run: the time from navigation start until the basemap
and every event are drawn (the page's ``data-first-view``), median and max.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_store import SYRIA, _generate  # noqa: E402


def _store(tmp: str, n: int, keep: str | None = None) -> tuple[str, float]:
    """A store of n generated events; ``keep`` names a file to build it in once and reuse on later runs."""
    from fogwatch.store import open_store

    db = keep or str(Path(tmp) / "serve-bench.db")
    with open_store(db) as store:
        have = store.stats()["fused_events"]
        if have == n:
            return db, 0.0
        if have:
            raise SystemExit(f"{db} holds {have:,} events, not {n:,}: give another --keep file")
        seconds = _generate(store, n)
    return db, seconds


def _percentiles(ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * len(ms))) - 1)]
    return f"p50 {statistics.median(ms):7.1f}  p95 {p95:7.1f}  max {ms[-1]:7.1f} ms"


def bench_api(args) -> None:
    from fastapi.testclient import TestClient

    from fogwatch.serve import create_app

    rng = random.Random(11)
    start, span = date(2011, 1, 1), (date(2024, 12, 31) - date(2011, 1, 1)).days
    with tempfile.TemporaryDirectory(prefix="fogwatch-serve-bench-") as tmp:
        db, gen = _store(tmp, args.events, args.keep)
        print(f"generated {args.events:,} fused events in {gen:.0f} s ({Path(db).stat().st_size / 1e6:.0f} MB)", file=sys.stderr)
        with TestClient(create_app(db)) as client:
            for path, extra in (("/api/events", {"limit": "100"}), ("/api/points", {})):
                times, sizes = [], []
                for i in range(args.queries + 5):
                    w = rng.uniform(SYRIA[0], SYRIA[2] - 0.5)
                    s = rng.uniform(SYRIA[1], SYRIA[3] - 0.5)
                    since = start + timedelta(days=rng.randrange(span - 90))
                    params = {"bbox": f"{w:.3f},{s:.3f},{w + 0.5:.3f},{s + 0.5:.3f}", "since": since.isoformat(),
                              "until": (since + timedelta(days=89)).isoformat(), **extra}
                    t0 = time.perf_counter()
                    r = client.get(path, params=params)
                    elapsed = (time.perf_counter() - t0) * 1000
                    assert r.status_code == 200, r.text
                    body = r.json()
                    if i >= 5:  # the first few warm the caches
                        times.append(elapsed)
                        sizes.append(body["total"] if "total" in body else len(body["rows"]))
                print(f"{path:12s} bbox 0.5 deg + 90 days, {args.queries} requests over {args.events:,} events: {_percentiles(times)}"
                      f"  (matches per request: median {statistics.median(sizes):.0f}, max {max(sizes)})")


def bench_browser(args) -> None:
    sys.path.insert(0, str(REPO / "tests" / "serve"))
    from serve_fixtures import CHROMIUM, CHROMIUM_ARGS, LiveServer
    from playwright.sync_api import sync_playwright

    from fogwatch.serve import create_app

    with tempfile.TemporaryDirectory(prefix="fogwatch-serve-bench-") as tmp:
        db, _ = _store(tmp, args.events, args.keep)
        with LiveServer(create_app(db)) as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            times = []
            for run in range(args.runs + 1):
                page = browser.new_page(viewport={"width": 1400, "height": 850})
                page.goto(server.url + "/")
                page.wait_for_selector("body[data-first-view]", timeout=60_000)
                first = int(page.evaluate("document.body.dataset.firstView"))
                status = page.locator("#status").inner_text()
                if run:  # the first load warms the server's caches and the browser's
                    times.append(first)
                page.close()
            browser.close()
    print(f"first map view of {args.events:,} events (\"{status}\"), {args.runs} fresh pages: "
          f"median {statistics.median(times):.0f} ms, max {max(times)} ms (all: {times})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    a = sub.add_parser("api")
    a.add_argument("--events", type=int, default=1_000_000)
    a.add_argument("--queries", type=int, default=200)
    a.add_argument("--keep", help="build the store in this file once and reuse it on later runs")
    b = sub.add_parser("browser")
    b.add_argument("--events", type=int, default=10_000)
    b.add_argument("--runs", type=int, default=5)
    b.add_argument("--keep", help="build the store in this file once and reuse it on later runs")
    args = ap.parse_args()
    {"api": bench_api, "browser": bench_browser}[args.what](args)


if __name__ == "__main__":
    main()
