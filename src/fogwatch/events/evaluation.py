"""Evaluation on the dev sets in ../shared: CASE 2021 (sub-event types) and IndiaPoliceEvents.

Every dev set is split once, deterministically, by a hash of the item id:
ids whose SHA-1 ends in a hex digit below 4 (about a quarter) are *held out*:
they were never looked at while the lexicon was written or tuned, and their
scores are reported separately. The rest is the *tune* part.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from fogwatch.events.taxonomy import CASE_CODES, SUB_EVENT_TYPES

NONE_LABEL = "(none)"


def is_held_out(item_id: str) -> bool:
    return int(hashlib.sha1(str(item_id).encode()).hexdigest()[-1], 16) < 4


# the ways ACLED's exports in ../shared/train/acled write event_date ("2025-04-01", "31-12-19", "5-Aug-24", "01-January-2015")
_ACLED_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%y", "%d-%b-%y", "%d-%B-%Y", "%d %B %Y", "%Y/%m/%d")


def acled_date(value: str | None) -> str | None:
    """An ACLED export's ``event_date`` as ``YYYY-MM-DD`` (a note's publication date for the pipeline); None when unreadable."""
    for fmt in _ACLED_DATE_FORMATS:
        try:
            return datetime.strptime((value or "").strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return None


# A monadic export's second row of an event: its actor columns become the event's actor2 columns.
_MONADIC_SECOND = (("actor1", "actor2"), ("assoc_actor_1", "assoc_actor_2"), ("inter1", "inter2"))


def read_acled_events(path: Path) -> list[dict[str, str]]:
    """One dict per event of an ACLED export (keys lower-cased, a byte-order mark dropped; ``_file``: the file's stem).

    ACLED exports come in two layouts. *Dyadic* files have ``actor1`` and ``actor2`` columns, one row per event.
    *Monadic* files have no ``actor2`` column and one row per actor: an event with two actors has two rows with
    the same ``event_id_cnty``, the same note, date and fatalities, its actor1 first (the protesters or rioters
    of a demonstration, the perpetrator of mob violence). Read row by row, a monadic file counts such an event
    twice and compares every actor2 with an empty one; here its rows are joined: the second row's
    ``actor1``/``assoc_actor_1``/``inter1`` become ``actor2``/``assoc_actor_2``/``inter2``. A third row of one
    event is a malformed file (ValueError). Rows keep their file order (an event where its first row is)."""
    csv.field_size_limit(10**7)
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip().lstrip("\ufeff").lower() for h in (reader.fieldnames or [])]
        rows = [{k.strip().lstrip("\ufeff").lower(): (v or "") for k, v in raw.items() if k} for raw in reader]
    for r in rows:
        r["_file"] = path.stem
    if "actor2" in header:
        return rows
    events: dict[str, dict[str, str]] = {}
    seen: Counter[str] = Counter()
    for r in rows:
        key = r.get("event_id_cnty", "")
        seen[key] += 1
        if seen[key] == 1:
            events[key] = {**r, "actor2": "", "assoc_actor_2": "", "inter2": ""}
        elif seen[key] == 2:
            events[key].update({second: r.get(first, "") for first, second in _MONADIC_SECOND})
        else:
            raise ValueError(f"{path}: event {key!r} has more than two rows (a monadic ACLED export has one per actor)")
    return list(events.values())


def first_event_sides(nlp: Any, row: dict[str, str], with_source: bool = False) -> tuple[str, str, Any]:
    """ACLED's spelling of actor1 and actor2 ("" for none) of the event fogwatch ranks first for an ACLED row's note, and
    that event (None when it finds none). The note is one document published on the row's date; ``with_source``: the
    row's ``source`` column (its outlets) is the document's source, as a feed gives its outlet. ``nlp``: a pipeline
    (``fogwatch.load()``)."""
    from fogwatch.events.actors import acled_name

    source = (row.get("source") or None) if with_source else None
    record = nlp(row["notes"], published=acled_date(row["event_date"]), source=source)
    event = record.events[0] if record.events else None
    if event is None:
        return "", "", None
    return (acled_name(event.actor1) if event.actor1 else "", acled_name(event.actor2) if event.actor2 else "", event)


# ACLED's statements about its own coding ("Unspecified number of fatalities coded as 3.", "fatalities split across 2
# events and coded as 1 for this event", "[size=...]"): no news report carries them
_ACLED_CODING = re.compile(
    r"[^.]*\b(?:coded|codes|code|split across|remaining fatalities)\b[^.]*(?:\.|$)|\[[^\]]*\]|\((?:[^()]*\bcoded\b[^()]*)\)", re.I
)


def without_acled_coding(note: str) -> str:
    """An ACLED note without the sentences in which ACLED states its own coding, as news would read."""
    return re.sub(r"\s{2,}", " ", _ACLED_CODING.sub(" ", note)).strip()


def fatalities_counted(doc: Any) -> int:
    """The fatalities a document's events count by default (not hedged, not background; ``None`` as 0): what is
    compared with ACLED's ``fatalities`` of a note."""
    from fogwatch.events.model import counts_by_default

    return sum(e.fatalities or 0 for e in doc.events if counts_by_default(e))


@dataclass
class Scores:
    n: int
    weighted_f1: float
    macro_f1: float
    accuracy: float
    per_class: dict[str, tuple[float, float, float, int]]  # label -> (precision, recall, f1, support)
    confusion: Counter = field(default_factory=Counter)  # (gold, predicted) -> count

    def as_dict(self) -> dict:
        return {
            "n": self.n,
            "weighted_f1": round(self.weighted_f1, 4),
            "macro_f1": round(self.macro_f1, 4),
            "accuracy": round(self.accuracy, 4),
            "per_class": {k: [round(x, 3) for x in v[:3]] + [v[3]] for k, v in self.per_class.items()},
        }


def read_case(path: Path) -> list[tuple[str, str, str]]:
    """(id, snippet, gold label) rows; gold is an ACLED sub-event type or the CASE code of a non-ACLED class."""
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        if header[:3] != ["id", "EventSnippet", "SubType"]:
            raise ValueError(f"{path}: unexpected header {header}")
        for row in reader:
            if len(row) < 3:
                continue
            rows.append((row[0], row[1], CASE_CODES.get(row[2], row[2])))
    return rows


def score_labels(gold: list[str], predicted: list[str], classes: tuple[str, ...] = SUB_EVENT_TYPES) -> Scores:
    """Per-class P/R/F1 over ``classes`` (the 25 ACLED sub-types); other gold labels and None predictions count as errors."""
    per_class = {}
    weighted = 0.0
    total_support = 0
    for c in classes:
        tp = sum(1 for g, p in zip(gold, predicted) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, predicted) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, predicted) if g == c and p != c)
        support = tp + fn
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / support if support else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_class[c] = (prec, rec, f1, support)
        weighted += f1 * support
        total_support += support
    present = [c for c in classes if per_class[c][3] > 0]
    macro = sum(per_class[c][2] for c in present) / len(present) if present else 0.0
    confusion = Counter(zip(gold, predicted))
    acc = sum(1 for g, p in zip(gold, predicted) if g == p) / len(gold) if gold else 0.0
    return Scores(len(gold), weighted / total_support if total_support else 0.0, macro, acc, per_class, confusion)


def evaluate_case(path: Path, part: str = "all", typer: str = "model") -> tuple[Scores, list[tuple[str, str, str, str]]]:
    """Score sub-event typing on CASE 2021 dev; ``part`` is all|tune|held-out.

    ``typer`` "model" scores :func:`fogwatch.events.typer.type_text` (the trained model with
    the rules as features and fallback), "rules" the lexicon alone
    (:func:`fogwatch.events.classify.classify_text`). The model was trained on the tune
    part, so only its held-out figure is honest.
    """
    from fogwatch.events.typer import EventTyper

    if typer not in ("model", "rules"):
        raise ValueError(f"typer must be 'model' or 'rules', not {typer!r}")
    classify = EventTyper(use_model=typer == "model")
    rows = read_case(path)
    if part == "tune":
        rows = [r for r in rows if not is_held_out(r[0])]
    elif part == "held-out":
        rows = [r for r in rows if is_held_out(r[0])]
    gold, pred, items = [], [], []
    for item_id, text, label in rows:
        p = classify(text).label or NONE_LABEL
        gold.append(label)
        pred.append(p)
        items.append((item_id, text, label, p))
    return score_labels(gold, pred), items


def confusion_table(scores: Scores, limit: int = 40) -> str:
    lines = ["| gold | predicted | count |", "|---|---|---|"]
    errors = [(k, v) for k, v in scores.confusion.items() if k[0] != k[1]]
    errors.sort(key=lambda kv: -kv[1])
    for (g, p), n in errors[:limit]:
        lines.append(f"| {g} | {p} | {n} |")
    return "\n".join(lines)


# --- IndiaPoliceEvents ---------------------------------------------------------------------

POLICE_LABELS = ("KILL", "ARREST", "FORCE")


def police_labels(sentence: str) -> set[str]:
    """Which IndiaPoliceEvents labels our extraction gives a sentence (police killing, arresting, using force)."""
    from fogwatch.events.claims import is_hypothetical
    from fogwatch.events.classify import clause_bounds, combine, find_triggers
    from fogwatch.text.normalize import fold

    folded = fold(sentence)
    out: set[str] = set()
    triggers = find_triggers(folded)
    if not triggers and not _HELD.search(folded) and not _FORCE.search(folded):
        return out
    police = _POLICE.search(folded) is not None
    for start, end in clause_bounds(folded) or [(0, len(folded))]:
        clause = folded[start:end]
        trigs = [t for t in triggers if start <= t.start < end]
        subs = {sub for sub, _ in combine(trigs, clause, start)}
        kinds = {t.kind for t in trigs}
        if "Arrests" in subs or "Arrests" in kinds or _HELD.search(clause):
            if not _NOT_ARREST.search(clause) and not is_hypothetical(clause) and not _NEGATED.search(clause):
                out.add("ARREST")
        police_here = police and (_POLICE.search(clause) or _POLICE_ACTION.search(clause))
        if police_here and ("intervention" in kinds or _FORCE.search(clause) or "Excessive force against protesters" in subs):
            out.add("FORCE")
        if police_here and _FORCE.search(clause) and _KILLED.search(clause):
            out.add("KILL")
            out.add("FORCE")
    return out


import re as _re  # noqa: E402  (kept next to the patterns that need it)

_POLICE = _re.compile(r"\b(?:police\w*|cops?|constables?|sho|si|inspector|sub-inspector|dsp|sp|ssp|cbi|crime branch|stf|ats|rpf|crpf|bsf|rapid action force|raf|pac|jawans?|forces|army|security personnel)\b")
_POLICE_ACTION = _re.compile(r"\b(?:police firing|lathi-?charge\w*|lathicharg\w*|encounter)\b")
_FORCE = _re.compile(r"\b(?:fir(?:ed|ing|e)|firng|shot|lathi\w*|cane-?charg\w*|baton\w*|tear ?gas|teargas|tear-gas|rubber bullets?|water cannons?|encounter|beat(?:en|ing)?|thrashed|tortur\w*|opened fire|open fire|opening fire|rounds|shoot-at-sight|use of force|used force|force to|bullets|clash\w*)\b")
_KILLED = _re.compile(r"\b(?:killed|killing|died|die|dies|dead|deaths?|death toll|toll|lives|shot dead|gunned down|lost their li\w+|succumbed|fire victims?)\b")
_HELD = _re.compile(
    r"\b(?:(?:persons|people|men|activists|accused|suspects|leaders|workers|youths|them|him|\d+)\s+(?:were|was|have been|had been|being)\s+held|"
    r"persons held|behind bars|locking up|rounded up|took \w+ persons|into custody|under arrest|caught)\b"
)
_NEGATED = _re.compile(r"\b(?:denied|no such|not be able|cannot|can not|could not|will not|would not|refused)\b")
_NOT_ARREST = _re.compile(
    r"\b(?:demand(?:ed|ing|s)? (?:the )?arrest|no arrests?|yet to be arrested|not (?:been )?arrested|anticipatory bail|"
    r"(?:nobody|no one|none) (?:was|were|has been|have been) (?:arrested|detained)|failed to arrest|difficult to arrest|to (?:arrest|detain))\b"
)


def evaluate_police(folder: Path, part: str = "all") -> dict[str, dict[str, float]]:
    """Precision/recall/F1 of KILL, ARREST, FORCE per sentence; ``part`` is all|tune|held-out (split by document id)."""
    counts: dict[str, Counter[str]] = {lab: Counter() for lab in POLICE_LABELS}
    n = 0
    with open(folder / "sents.jsonl", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            held = is_held_out(f"ipe-{row['doc_id']}")
            if (part == "tune" and held) or (part == "held-out" and not held):
                continue
            n += 1
            gold = set(row["sent_labels"])
            pred = police_labels(row["sent_text"])
            for lab in POLICE_LABELS:
                g, p = lab in gold, lab in pred
                counts[lab]["tp" if g and p else "fp" if p else "fn" if g else "tn"] += 1
    out: dict[str, dict[str, float]] = {}
    for lab, c in counts.items():
        prec = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        rec = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[lab] = {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4), "support": c["tp"] + c["fn"], "sentences": n}
    return out
