"""What the trained sub-event model costs: events stage with and without it, and snippets per second.

    .venv/bin/python benchmarks/bench_typer.py [N_DOCS]     # FA-KES documents from ../shared (default 300)

Runs the pipeline up to places once, then times ``extract_events`` over the same
documents with the rules alone, with the n-gram model, and with the shipped typer (n-gram
model + ONNX encoder), and the
typer alone over the 503 CASE dev snippets. Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import replace

from _corpus import CASE_DEV, REPO, fakes_rows, published


def main(argv: list[str]) -> int:
    import fogwatch
    from fogwatch.events.actors import registry_from_env
    from fogwatch.events.assemble import extract_events
    from fogwatch.events.evaluation import read_case
    from fogwatch.events.typer import EventTyper
    from fogwatch.pipeline import default_pipeline

    n = int(argv[0]) if argv else 300
    rows = fakes_rows(n)
    nlp = default_pipeline()
    docs = []
    for i, r in enumerate(rows):
        doc = fogwatch.analyze_text(r["text"], doc_id=str(i), pipeline=nlp, published=published(r))
        docs.append(replace(doc, events=()))
    registry = registry_from_env()
    t0 = time.process_time()
    t_load = time.perf_counter()
    typer = EventTyper()
    load_s = time.perf_counter() - t_load
    words = sum(len(d.text.split()) for d in docs)
    timings, reasons = {}, Counter()
    ngram_only = EventTyper(use_encoder=False)
    for name, tp in (("rules alone", None), ("rules + n-gram model", ngram_only), ("rules + n-gram model + encoder (shipped)", typer)):
        t = time.process_time()
        for d in docs:
            for e in extract_events(d, registry, None, tp):
                if tp is typer:
                    reasons[e.type_reason.split(" (")[0]] += 1
        timings[name] = time.process_time() - t
    snippets = [text for _, text, _ in read_case(CASE_DEV)]
    t = time.process_time()
    for text in snippets:
        typer(text)
    snip_s = time.process_time() - t
    print(f"{len(docs)} FA-KES documents, {words} words; EventTyper() {load_s:.2f} s wall (the artefact is loaded once per process, here already by the pipeline)\n")
    print("| events stage | CPU s | words/s |")
    print("|---|---|---|")
    for name, sec in timings.items():
        print(f"| {name} | {sec:.2f} | {words / sec:,.0f} |")
    print(f"\nCASE snippets typed by rules + model: {len(snippets) / snip_s:,.0f}/s CPU")
    print(f"type_reason of the events with the shipped typer: {dict(reasons)}; the encoder read {typer.encoder_calls} texts (FA-KES and CASE)")
    print(f"(total CPU {time.process_time() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    raise SystemExit(main(sys.argv[1:]))
