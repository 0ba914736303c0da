"""actor1/actor2 against ACLED's own coding of its notes, on the held-out part of ../shared/train/acled (issue 10 item 6).

    nice .venv/bin/python benchmarks/eval_actors_acled.py                    # held-out part, every file
    nice .venv/bin/python benchmarks/eval_actors_acled.py --part tune --errors 40   # the tune part, with errors to read
    nice .venv/bin/python benchmarks/eval_actors_acled.py --part tune --retype-threshold 0.5   # the typer's bar for a type change

The split is the project's one split by a stable hash of the row id (``event_id_cnty``):
``fogwatch.events.evaluation.is_held_out`` (SHA-1 ending in a hex digit below 4, about a quarter).
Registry entries were written from the tune part only; the held-out rows were scored, never read.

Each note is one document (published = the row's event date); the event fogwatch ranks first (highest
confidence) is compared. A name matches when it equals ACLED's after ACLED's own normalisation of a name
as published in its exports: surrounding whitespace, and nothing else. Era suffixes ("(2022-)") and
country suffixes ("(Somalia)") are part of the name and must match. An empty actor2 matches an empty one.
Notes where fogwatch finds no event count as misses.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ACLED = REPO / ".." / "shared" / "train" / "acled"


def rows(part: str) -> list[dict[str, str]]:
    """The part's events, one dict each (a monadic file's two rows of an event joined: `read_acled_events`)."""
    from fogwatch.events.evaluation import is_held_out, read_acled_events

    out = []
    for path in sorted(ACLED.glob("*.csv")):
        for r in read_acled_events(path):
            if (part == "held-out") == is_held_out(r["event_id_cnty"]) and r.get("notes", "").strip():
                out.append(r)
    return out


# ACLED's numeric ISO 3166-1 country codes of the files with one country -> alpha-2 (the events stage's default_country)
ISO2 = {"706": "SO", "404": "KE", "50": "BD", "050": "BD"}


def typing_training_notes() -> set[str]:
    """The (news-like) ACLED notes the packaged sub-event models were trained on: their per-class samples of the tune part."""
    import json

    sys.path.insert(0, str(REPO / "scripts"))
    from train_event_types import balanced, read_acled

    notes = read_acled(REPO / ".." / "shared")
    models = REPO / "src" / "fogwatch" / "models"
    caps = [json.loads((models / "event_types" / "meta.json").read_text())["settings"]["cap"]]
    encoder_meta = models / "event_encoder" / "meta.json"
    if encoder_meta.is_file():
        caps.append(json.loads(encoder_meta.read_text())["settings"]["cap"])
    return {text for cap in caps for text, _ in balanced(notes, cap)}


def news_like(note: str) -> str:
    sys.path.insert(0, str(REPO / "scripts"))
    from train_event_types import news_like as rewrite

    return rewrite(note)


_PERIOD = re.compile(r" \(\d{4}-(?:\d{4})?\)")  # a state force's period: "Military Forces of Kenya (2013-)"


def main(argv: list[str]) -> int:
    from fogwatch.events.evaluation import first_event_sides

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=("held-out", "tune"), default="held-out")
    ap.add_argument("--limit", type=int, default=0, help="at most this many rows per file (0: all)")
    ap.add_argument("--errors", type=int, default=0, help="print this many mismatches (tune part only)")
    ap.add_argument("--rules-only", action="store_true", help="without the learned actor kinds (models/actor_kinds): the rules' names")
    ap.add_argument("--unseen", action="store_true",
                    help="tune part only: leave out the notes the sub-event models trained on (scripts/train_event_types.py's "
                         "and train_event_encoder.py's per-class samples), so that a typer setting is chosen on notes they never saw")
    ap.add_argument("--feed-country", action="store_true",
                    help="give the places and events stages each file's country (default_country), as a feed's country is known; files "
                         "covering several countries (South Asia 2015) get none")
    ap.add_argument("--with-source", action="store_true",
                    help="give each note its row's outlets (ACLED's source column, 'Star (Kenya)') as the document's source, as a "
                         "feed gives its outlet; a report that names no place then takes a country its outlet's name names")
    ap.add_argument("--ignore-periods", action="store_true",
                    help="compare names without a state force's period ('Police Forces of India (2014-)' = 'Police Forces of India'): "
                         "the South Asia 2015 export predates ACLED's period suffixes")
    ap.add_argument("--retype-threshold", type=float, default=None,
                    help="the events stage's retype_threshold (the learned probability needed to change the rules' type of "
                         "a clause); default: the packaged models' own bar")
    args = ap.parse_args(argv)
    if args.errors and args.part != "tune":
        ap.error("--errors lists tune-part rows only: the held-out rows are scored, never read")
    import fogwatch

    events_config: dict[str, object] = {}
    if args.rules_only:
        events_config["use_actor_model"] = False
    if args.retype_threshold is not None:
        events_config["retype_threshold"] = args.retype_threshold
    nlp = fogwatch.load(config={"events": events_config} if events_config else None)
    by_country: dict[str, object] = {}
    data = rows(args.part)
    if args.unseen:
        if args.part != "tune":
            ap.error("--unseen applies to the tune part (the held-out part is never trained on)")
        seen = typing_training_notes()
        data = [r for r in data if news_like(r["notes"].strip()) not in seen]
    if args.limit:
        per: Counter[str] = Counter()
        kept = []
        for r in data:
            if per[r["_file"]] < args.limit:
                per[r["_file"]] += 1
                kept.append(r)
        data = kept
    t = time.perf_counter()
    score: dict[str, Counter[str]] = defaultdict(Counter)
    errors: list[tuple[str, str, str, str, str]] = []
    countries: dict[str, set[str]] = defaultdict(set)
    for r in data:
        countries[r["_file"]].add(r.get("iso", ""))
    for r in data:
        run = nlp
        if args.feed_country and len(countries[r["_file"]]) == 1:
            iso = ISO2.get(next(iter(countries[r["_file"]])))
            if iso and iso not in by_country:
                by_country[iso] = fogwatch.load(config={"events": {**events_config, "default_country": iso},
                                                        "places": {"default_country": iso}})
            run = by_country.get(iso, nlp) if iso else nlp  # type: ignore[assignment]
        got1, got2, e = first_event_sides(run, r, args.with_source)
        gold1, gold2 = r.get("actor1", "").strip(), r.get("actor2", "").strip()
        if args.ignore_periods:
            got1, got2, gold1, gold2 = (_PERIOD.sub("", name) for name in (got1, got2, gold1, gold2))
        for key in (r["_file"], "all"):
            s = score[key]
            s["n"] += 1
            s["actor1"] += got1 == gold1
            s["actor2"] += got2 == gold2
            s["both"] += got1 == gold1 and got2 == gold2
            s["pair, either order"] += {got1, got2} == {gold1, gold2}
            gold_type = r.get("sub_event_type", "").strip()  # the South Asia 2015 file (old taxonomy) has none
            s["typed"] += bool(gold_type)
            s["sub-event"] += bool(gold_type) and e is not None and e.sub_event_type == gold_type
        if got1 != gold1 and len(errors) < args.errors:
            errors.append((gold1, got1, gold2, got2, r["notes"][:220]))
    seconds = time.perf_counter() - t
    print(f"### actor1/actor2 vs ACLED, {args.part} part ({len(data)} notes, {seconds:.0f} s)\n")
    print("| file | notes | actor1 | actor2 | both | pair, either order | sub-event type (notes with one) |")
    print("|---|---|---|---|---|---|---|")
    for key in sorted(score, key=lambda k: (k == "all", k)):
        s = score[key]
        n = s["n"]
        typed = f"{s['sub-event'] / s['typed']:.3f}" if s["typed"] else "-"
        print(f"| {key} | {n} | {s['actor1'] / n:.3f} | {s['actor2'] / n:.3f} | {s['both'] / n:.3f} | {s['pair, either order'] / n:.3f} | {typed} |")
    for gold1, got1, gold2, got2, note in errors:
        print(f"- actor1 {gold1!r} -> {got1!r}; actor2 {gold2!r} -> {got2!r}: {note}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    raise SystemExit(main(sys.argv[1:]))
