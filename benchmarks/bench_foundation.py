"""Throughput of reading, cleaning, sectioning and sentence splitting (issue 2's budget: >= 5 MB/s per core).

    .venv/bin/python benchmarks/bench_foundation.py [--repeat 3]

Reads ../shared/corpus/fakes/fakes.jsonl and the seeds through the real
readers and the `sections` + `sentences` stages in one process (one core), and
prints MB/s of decoded text (UTF-8 bytes of the document text).
"""

from __future__ import annotations

import argparse
import time

from fogwatch.ingest.sources import iter_documents
from fogwatch.pipeline import Pipeline

from _corpus import FAKES, SHARED
CORPORA = {
    "fakes": [str(FAKES)],
    "seeds": [str(SHARED / "corpus/seeds/seeds.jsonl")],
}


def measure(paths: list[str], repeat: int) -> tuple[float, int, int]:
    nlp = Pipeline(["sections", "sentences"])
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        n_bytes = n_docs = 0
        for doc in nlp.pipe(iter_documents(paths)):
            n_bytes += len(doc.text.encode("utf-8"))
            n_docs += 1
        best = min(best, time.perf_counter() - t0)
    return best, n_bytes, n_docs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print("| corpus | docs | MB | best of %d (s) | MB/s (1 core) |" % args.repeat)
    print("|---|---:|---:|---:|---:|")
    for name, paths in CORPORA.items():
        secs, n_bytes, n_docs = measure(paths, args.repeat)
        print(f"| {name} | {n_docs} | {n_bytes / 1e6:.2f} | {secs:.3f} | {n_bytes / 1e6 / secs:.1f} |")


if __name__ == "__main__":
    main()
