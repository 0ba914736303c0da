"""What the slant stage costs: the whole extract pipeline over FA-KES with the slant stage on and off (CPU seconds).

    nice .venv/bin/python benchmarks/bench_slant.py [N_DOCS]      # FA-KES from ../shared (default: all 804)

Builds both pipelines first (model loading is reported apart), then runs every
document through the pipeline without ``slant`` and with it, in one process
(``time.process_time``: CPU seconds of this process), and prints a Markdown table
for docs/benchmarks.md with the slant spans found per 1,000 words by technique.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"


def main(argv: list[str]) -> int:
    from fogwatch.pipeline import Pipeline
    from fogwatch.pipeline.pipeline import DEFAULT_STAGES
    from fogwatch.records import Document, Metadata

    rows = [json.loads(line) for line in open(SHARED / "corpus" / "fakes" / "fakes.jsonl", encoding="utf-8")]
    if argv:
        rows = rows[: int(argv[0])]
    docs = [Document(doc_id=str(i), text=r["text"], metadata=Metadata(published=r.get("date") or None)) for i, r in enumerate(rows)]
    words = sum(len(d.text.split()) for d in docs)
    without = Pipeline([s for s in DEFAULT_STAGES if s != "slant"])
    t = time.perf_counter()
    with_slant = Pipeline(list(DEFAULT_STAGES))
    load_s = time.perf_counter() - t
    for d in docs[:3]:  # warm caches (gazetteer pages, regexes) before timing either
        without(d)
    timings: dict[str, float] = {}
    spans: Counter[str] = Counter()
    for name, nlp in (("without slant", without), ("with slant", with_slant)):
        t0 = time.process_time()
        for d in docs:
            out = nlp(d)
            if name == "with slant":
                spans.update(s.technique for s in out.slant)
        timings[name] = time.process_time() - t0
    print(f"FA-KES: {len(docs)} documents, {words:,} words; slant pipeline built in {load_s:.2f} s (wall)\n")
    print("| pipeline | CPU s | ms / document |")
    print("|---|---:|---:|")
    for name, sec in timings.items():
        print(f"| {name} | {sec:.1f} | {1000 * sec / len(docs):.1f} |")
    extra = timings["with slant"] - timings["without slant"]
    print(f"| slant stage alone (difference) | {extra:.1f} | {1000 * extra / len(docs):.1f} |\n")
    total = sum(spans.values())
    print(f"slant spans: {total} ({1000 * total / words:.1f} per 1,000 words)\n")
    print("| technique | spans | per 1,000 words |")
    print("|---|---:|---:|")
    for tech, n in spans.most_common():
        print(f"| {tech} | {n} | {1000 * n / words:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
