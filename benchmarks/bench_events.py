"""Speed and memory of the events stage and of `fogwatch extract` with every stage on (issue 4).

    .venv/bin/python benchmarks/bench_events.py [--repeat 3] [--skip-extract]

1. The `events` stage alone: documents are read, sectioned, split into sentences and
   geoparsed first (not timed); then only the events stage is timed, best of --repeat,
   wall and CPU seconds.
2. The whole command, as a user runs it: `/usr/bin/time -v .venv/bin/fogwatch extract
   ../shared/corpus/fakes/fakes.jsonl > /dev/null`, once with --jobs 1 and once with the
   default (one worker per core). Peak memory is the largest resident set of one process
   (GNU time's "Maximum resident set size").
Words are whitespace-separated tokens of the document text (249k for FA-KES).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time

from _corpus import FAKES, REPO


def stage_alone(repeat: int) -> None:
    from fogwatch.ingest.sources import ReadOptions, iter_documents
    from fogwatch.pipeline import Pipeline, get_component

    prep = Pipeline(["sections", "sentences", "places"])
    docs = list(prep.pipe(iter_documents([str(FAKES)], options=ReadOptions())))
    words = sum(len(d.text.split()) for d in docs)
    events = get_component("events").build()
    best_wall = best_cpu = float("inf")
    n_events = 0
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        n_events = sum(len(events(d).events) for d in docs)
        best_wall = min(best_wall, time.perf_counter() - w0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    print(f"| events stage alone | {len(docs)} | {words} | {n_events} | {best_wall:.2f} | {best_cpu:.2f} | {words / best_wall:,.0f} |")


def whole_command(jobs: int | None) -> None:
    cmd = ["/usr/bin/time", "-v", str(REPO / ".venv" / "bin" / "fogwatch"), "extract", "--no-progress"]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    cmd.append(str(FAKES))
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        print(proc.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"extract failed with {proc.returncode}")
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1))
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", proc.stderr).group(1))
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", proc.stderr).group(1))
    lines = proc.stdout.count("\n")
    words = 248874
    label = f"--jobs {jobs}" if jobs is not None else "default jobs"
    print(f"| `fogwatch extract` ({label}) | {lines} | {words} | {wall:.2f} | {user + system:.2f} | {words / wall:,.0f} | {rss_kb / 1024:.0f} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-extract", action="store_true")
    args = ap.parse_args()
    print("| what | docs | words | events | wall s (best) | CPU s | words/s (wall) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    stage_alone(args.repeat)
    if not args.skip_extract:
        print()
        print("| what | records | words | wall s | CPU s (user+sys) | words/s (wall) | peak RSS MB (one process) |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        whole_command(1)
        whole_command(None)


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    main()
