"""The Python API's cost per text: 1,000 short texts through one ``nlp = fogwatch.load()`` (issue 15: under 5 s).

    nice .venv/bin/python benchmarks/bench_api.py [--n 1000] [--repeat 2]

Short texts are news paragraphs: consecutive sentences of ../shared/corpus/fakes/fakes.jsonl's articles joined
until 150 characters or more, the first N in file order (each with its article's publication date), run one call at a time, ``nlp(text, published=...)``,
through the default pipeline (sections, sentences, places, events with the trained sub-event model).
Prints the time to build the pipeline (once) and the best-of-``repeat`` time for the N calls, and
compares ``fogwatch.analyze_text`` (one pipeline, reused) with a pipeline rebuilt on every call.
"""

from __future__ import annotations

import argparse
import json
import re
import time

import fogwatch

from _corpus import FAKES, published as published_of


def short_texts(n: int) -> list[tuple[str, str | None]]:
    """Consecutive sentences of each article joined until 150+ characters (a news paragraph), the first ``n``."""
    out: list[tuple[str, str | None]] = []
    with FAKES.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            published = published_of(row)
            chunk = ""
            for sentence in re.split(r"(?<=[.!?])\s+", row["text"].strip()):
                chunk = f"{chunk} {sentence}".strip()
                if len(chunk) >= 150:
                    out.append((chunk, published))
                    chunk = ""
                    if len(out) == n:
                        return out
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    texts = short_texts(args.n)

    t0 = time.perf_counter()
    nlp = fogwatch.load()
    build = time.perf_counter() - t0
    best = best_cpu = float("inf")
    events = 0
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        events = sum(len(nlp(text, published=published).events) for text, published in texts)
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)  # this process's CPU time: less swayed by a busy machine than wall time
    chars = sum(len(t) for t, _ in texts)
    print(f"texts: {len(texts)} ({chars} characters, mean {chars / len(texts):.0f}); events found: {events}")
    print(f"fogwatch.load(): {build:.2f} s (once)")
    print(f"{len(texts)} calls nlp(text, published=...): {best:.2f} s (best of {args.repeat}), {1000 * best / len(texts):.2f} ms per text; "
          f"CPU {best_cpu:.2f} s")
    print(f"pipeline: {' → '.join(nlp.names)}")

    sample = texts[:50]
    t0 = time.perf_counter()
    for text, published in sample:
        fogwatch.analyze_text(text, published=published)
    reused = time.perf_counter() - t0
    t0 = time.perf_counter()
    for text, published in sample:
        fogwatch.load()(text, published=published)
    rebuilt = time.perf_counter() - t0
    print(f"{len(sample)} calls fogwatch.analyze_text: {reused:.2f} s (one pipeline, reused); rebuilding it per call: {rebuilt:.2f} s")


if __name__ == "__main__":
    main()
