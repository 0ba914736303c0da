"""What the slant stage costs: the whole extract pipeline over FA-KES with the slant stage on and off (CPU seconds).

    nice .venv/bin/python benchmarks/bench_slant.py [N_DOCS]      # FA-KES from ../shared (default: all 804)
    nice .venv/bin/python benchmarks/bench_slant.py --stage [N_DOCS] [--repeat K]   # the slant stage alone
    ... [--contextual | --crf]   # with the contextual cascade, or the CRF alone (default: the stage as shipped, CRF + static tagger)

Builds both pipelines first (model loading is reported apart), then runs every
document through the pipeline without ``slant`` and with it, in one process
(``time.process_time``: CPU seconds of this process), and prints a Markdown table
for docs/benchmarks.md with the slant spans found per 1,000 words by technique.
"""

from __future__ import annotations

import sys
import time
from collections import Counter

from _corpus import fakes_documents


def stage_only(docs, repeat: int, contextual: bool | None) -> int:
    """CPU seconds of the slant tagger alone over the documents' body sentences (sections and sentences run first,
    untimed); the best of ``repeat`` runs, so a busy machine's worst moments count less."""
    from fogwatch.pipeline import Pipeline
    from fogwatch.slant.tagger import stage_tagger
    from fogwatch.stages.slant import body_sentence_spans

    nlp = Pipeline(["sections", "sentences"])
    inputs = [(d.text, body_sentence_spans(d)) for d in map(nlp, docs)]
    inputs = [(text, body) for text, body in inputs if body]
    tagger, error = stage_tagger(contextual=contextual, static=False if contextual is False else None)
    assert error is None, error
    kind = f"CRF + {type(tagger.contextual).__name__}" if tagger.contextual else "CRF alone"
    runs, spans = [], 0
    for _ in range(repeat):
        t0 = time.process_time()
        spans = sum(len(tagger(text, body)) for text, body in inputs)
        runs.append(time.process_time() - t0)
    words = sum(len(d.text.split()) for d in docs)
    print(f"slant stage alone ({kind}): {len(docs)} documents ({len(inputs)} with body sentences, {words:,} words): "
          f"{min(runs):.2f} CPU s (runs: {', '.join(f'{r:.2f}' for r in runs)}), {spans} spans")
    return 0


def main(argv: list[str]) -> int:
    from fogwatch.pipeline import Pipeline
    from fogwatch.pipeline.pipeline import DEFAULT_STAGES

    stage = "--stage" in argv
    repeat = 1
    if "--repeat" in argv:
        k = argv.index("--repeat")
        repeat = int(argv[k + 1])
        argv = argv[:k] + argv[k + 2 :]
    contextual = True if "--contextual" in argv else False if "--crf" in argv else None
    argv = [a for a in argv if a not in ("--stage", "--contextual", "--crf")]
    docs = fakes_documents(int(argv[0]) if argv else None)
    if stage:
        return stage_only(docs, repeat, contextual)
    words = sum(len(d.text.split()) for d in docs)
    without = Pipeline([s for s in DEFAULT_STAGES if s != "slant"])
    t = time.perf_counter()
    with_slant = Pipeline(list(DEFAULT_STAGES), settings={} if contextual is None else {"slant": {"contextual": contextual, "static": contextual is not False}})
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
