"""Paired speed run of the places stage on FA-KES: two source trees, same machine, interleaved (issue 12).

    git worktree add --detach /tmp/base <commit>        # the "before" tree
    nice .venv/bin/python benchmarks/bench_places_paired.py --base /tmp/base/src [--rounds 3]

Each round runs one child process per tree, in alternating order (A B, B A, …), so load on
a shared machine falls on both alike. A child reads ../shared/corpus/fakes/fakes.jsonl, runs
sections and sentences once, then times the ``places`` component alone over all 804 articles:
one warm-up pass (look-up caches filled), then the best of two timed passes, in CPU seconds of
the process (steadier than wall time on a shared machine). Each tree uses the gazetteer index its
own code builds, in a cache folder of its own (``--cache``; built once, before the first timed
pass), so neither rebuilds the other's index nor the user's. Printed: per tree the best CPU
seconds over the rounds, and the ratio current/base.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _corpus import FAKES, REPO

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from fogwatch.pipeline import Pipeline
from fogwatch.records import Document
import fogwatch.stages.places as stage
docs = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8")]
pre = Pipeline(["sections", "sentences"])
prepared = [pre(Document(doc_id=d["id"], text=d["text"])) for d in docs]
from fogwatch.places.gazetteer import Gazetteer
gaz = Gazetteer.open_default()
def one_pass():
    c = time.process_time()
    n = 0
    for doc in prepared:
        n += len(stage.geoparse(doc, gaz).places)
    return time.process_time() - c, n
one_pass()
best = min(one_pass() for _ in range(2))
print(json.dumps({"cpu_s": best[0], "places": best[1], "docs": len(prepared), "chars": sum(len(d.text) for d in prepared),
                  "module": stage.__file__}))
"""


def run(src: str, cache: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=src, FOGWATCH_CACHE_DIR=str(cache))
    out = subprocess.run([sys.executable, "-c", CHILD, src, str(FAKES)], check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="src/ folder of the tree to compare against")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "fogwatch-bench-places"),
                        help="folder for the two trees' gazetteer indexes (one sub-folder each)")
    args = parser.parse_args()
    trees = {"base": str(Path(args.base).resolve()), "current": str(REPO / "src")}
    best: dict[str, dict] = {}
    ratios = []
    for r in range(args.rounds):
        order = ("base", "current") if r % 2 == 0 else ("current", "base")
        this_round = {}
        for name in order:
            got = this_round[name] = run(trees[name], Path(args.cache) / name)
            print(f"round {r + 1} {name}: {got['cpu_s']:.2f} CPU s, {got['places']} places ({got['module']})", file=sys.stderr)
            if name not in best or got["cpu_s"] < best[name]["cpu_s"]:
                best[name] = got
        ratios.append(this_round["current"]["cpu_s"] / this_round["base"]["cpu_s"])
    b, c = best["base"], best["current"]
    mb = b["chars"] / 1e6
    print("| tree | articles | MB (characters) | places found | CPU s, best of rounds | MB per CPU-second |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, got in (("base", b), ("current", c)):
        print(f"| {name} | {got['docs']} | {mb:.2f} | {got['places']} | {got['cpu_s']:.2f} | {mb / got['cpu_s']:.2f} |")
    print(f"\ncurrent / base CPU time: {c['cpu_s'] / b['cpu_s']:.3f} best against best; "
          f"median of the {args.rounds} paired rounds {statistics.median(ratios):.3f} "
          f"(rounds: {', '.join(f'{x:.2f}' for x in ratios)})")


if __name__ == "__main__":
    main()
