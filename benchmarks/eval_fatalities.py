"""Fatalities by ACLED's rules: exact match of a note's fatalities against ACLED's own coding.

    nice .venv/bin/python benchmarks/eval_fatalities.py                 # held-out part, every file
    nice .venv/bin/python benchmarks/eval_fatalities.py --part tune --errors 40 --limit 400

The split: a row is held out when ``fogwatch.events.evaluation.is_held_out(row id)`` (the
last hex digit of the SHA-1 of ACLED's ``event_id_cnty`` is below 4: about a quarter); rules
are tuned on the other part only. Each note is made news-like first: the sentences in which
ACLED states its own coding ("Unspecified number of fatalities coded as 3.", "fatalities split
across 2 events and coded as 1 for this event", "7 remaining fatalities split across 13 events", "[size=...]") are removed, since no news report
carries them. The note runs through the full pipeline with ACLED's event date as its
publication date; the prediction is the sum of `fatalities` over the events that count (not
hedged, not background; ``None`` = 0), compared with ACLED's ``fatalities``. The baseline
"always 0" is printed beside it.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

from _corpus import REPO, SHARED

FILES = (
    "somalia-2025-04_2026-03.csv",
    "kenya-2004_2019.csv",
    "bangladesh-2022-12_2024-08.csv",
    "south-asia-2015-old-taxonomy.csv",
)
def read_rows(part: str) -> list[tuple[str, str, str, str | None, int]]:
    """(file, row id, news-like note, date, ACLED fatalities) of the part."""
    from fogwatch.events.evaluation import acled_date, is_held_out, read_acled_events, without_acled_coding

    out = []
    for name in FILES:
        for r in read_acled_events(SHARED / "train" / "acled" / name):  # a monadic file's event once, not once per actor
            rid, note = r["event_id_cnty"], r.get("notes", "").strip()
            if not note or r.get("fatalities", "").strip() == "":
                continue
            held = is_held_out(rid)
            if (part == "held-out") != held and part != "all":
                continue
            out.append((name, rid, without_acled_coding(note), acled_date(r.get("event_date")), int(r["fatalities"])))
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=("held-out", "tune", "all"), default="held-out")
    ap.add_argument("--limit", type=int, default=0, help="at most this many rows per file (the first by row id hash order)")
    ap.add_argument("--errors", type=int, default=0, help="list this many misses (tune part only)")
    args = ap.parse_args(argv)
    if args.errors and args.part != "tune":
        ap.error("--errors lists tune-part misses only")
    from fogwatch.events.evaluation import fatalities_counted
    from fogwatch.pipeline import default_pipeline
    from fogwatch.records import Document, Metadata

    rows = read_rows(args.part)
    if args.limit:
        import hashlib

        by_file: dict[str, list] = {}
        for r in sorted(rows, key=lambda r: hashlib.sha1(r[1].encode()).hexdigest()):
            by_file.setdefault(r[0], []).append(r)
        rows = [r for name in FILES for r in by_file.get(name, [])[: args.limit]]
    nlp = default_pipeline(exclude=("slant",))
    t = time.perf_counter()
    hits: Counter[str] = Counter()
    zero: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses = []
    for name, rid, note, when, gold in rows:
        doc = nlp(Document(doc_id=rid, text=note, metadata=Metadata(published=when)))
        got = fatalities_counted(doc)
        total[name] += 1
        hits[name] += got == gold
        zero[name] += gold == 0
        if got != gold:
            misses.append((rid, gold, got, note))
    print(f"### Fatalities, ACLED notes ({args.part} part; exact match with ACLED's coding)\n")
    print("| file | rows | fogwatch | always 0 |")
    print("|---|---|---|---|")
    for name in FILES:
        if total[name]:
            print(f"| {name} | {total[name]:,} | {hits[name] / total[name]:.3f} | {zero[name] / total[name]:.3f} |")
    n = sum(total.values())
    print(f"| all | {n:,} | {sum(hits.values()) / n:.3f} | {sum(zero.values()) / n:.3f} |")
    print(f"\n({time.perf_counter() - t:.0f} s)")
    if args.errors:
        for rid, gold, got, note in misses[: args.errors]:
            print(f"- {rid} gold {gold} got {got}: {note[:300]}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    raise SystemExit(main(sys.argv[1:]))
