"""Every figure in the two seed articles, with its claimant and modality, as Markdown (docs/seeds.md).

    .venv/bin/python benchmarks/seeds_report.py
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / ".." / "shared" / "corpus" / "seeds" / "seeds.jsonl"


def _bounds(low, high) -> str:
    if low is not None and high is not None:
        return f"{low}" if low == high else f"{low}–{high}"
    return f"≥{low}" if low is not None else (f"≤{high}" if high is not None else "?")


def main() -> None:
    from fogwatch.ingest.sources import ReadOptions, iter_documents
    from fogwatch.pipeline import default_pipeline

    nlp = default_pipeline()
    for doc in nlp.pipe(iter_documents([str(SEEDS)], options=ReadOptions())):
        print(f"### {doc.doc_id} (published {doc.metadata.published})\n")
        print("| # | event | date | location | actor1 → actor2 | fatalities | quantity | figure | subject | claimant | modality | evidence (offsets: first words) |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for n, e in enumerate(doc.events, 1):
            when = e.date.date or "?"
            if e.date.date_end:
                when += f"…{e.date.date_end}"
            where = e.location.name if e.location else "—"
            actors = f"{e.actor1.name if e.actor1 else '—'} → {e.actor2.name if e.actor2 else '—'}"
            head = f"| {n} | {e.sub_event_type} ({e.modality}) | {when} | {where} | {actors} | {'' if e.fatalities is None else e.fatalities} "
            if not e.claims:
                print(head + "| | | | | | |")
            for c in e.claims:
                words = doc.text[c.evidence.start : c.evidence.end].split()
                # the claim's offsets and its first words only: the seeds are third-party text, not quoted at length here
                text = f"{c.evidence.start}–{c.evidence.end}: " + " ".join(words[:4]).replace("|", "/") + (" …" if len(words) > 4 else "")
                print(head + f"| {c.quantity} | {_bounds(c.low, c.high)} | {c.subject or ''} | {c.claimant or '(author)'} | {c.modality} | {text} |")
        print()


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    main()
