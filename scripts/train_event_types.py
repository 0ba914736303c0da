#!/usr/bin/env python
"""Rebuild the sub-event type model (src/fogwatch/models/event_types/) from ../shared.

    pip install -e '.[train]'
    python scripts/train_event_types.py            # writes model.npz, meta.json, card.md; prints the scores

Data (see ../shared/README.md):
- ACLED notes with ACLED's own coding, ``train/acled/{somalia,kenya,bangladesh}*.csv``, their *tune* part only
  (the South Asia 2015 file has no sub-event type; the held-out quarter by ``is_held_out(event_id_cnty)`` is
  what the pipeline is scored on; the cross-country study alone reads every note, split by country). Notes are rewritten a little
  towards news: the "Movement of forces:" style prefix, the "On 10 August 2025,"
  date formula, the "(District, Region)" admin parenthesis and the bracketed tail
  are dropped, since they never occur in news and the prefix names the label.
- The *tune* part of CASE 2021 dev (``eval/case2021/dev.tsv``; the split is
  :func:`fogwatch.events.evaluation.is_held_out`). The held-out quarter is never
  used for training or for any choice: it is scored once, at the end, for the card.

Features: TF-IDF word 1-2-grams and character 3-5-grams within words, plus the rules' reading (their decision and the
trigger kinds and tiers that fired: :func:`fogwatch.events.typer.rule_features`).
Model: multinomial logistic regression (scikit-learn), exported to numpy arrays.
The decision threshold (model above it, rules below) is chosen by 5-fold
cross-validation on the CASE tune rows.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from fogwatch.events.evaluation import NONE_LABEL, is_held_out, read_case, score_labels  # noqa: E402
from fogwatch.events.taxonomy import SUB_EVENT_TYPES  # noqa: E402
from fogwatch.events.typer import NO_EVENT, rule_features  # noqa: E402
from fogwatch.learn.ngram import FORMAT  # noqa: E402

ACLED_FILES = {"somalia": "somalia-2025-04_2026-03.csv", "kenya": "kenya-2004_2019.csv", "bangladesh": "bangladesh-2022-12_2024-08.csv"}
_PREFIX = re.compile(r"^\s*[A-Z][A-Za-z /\-]{2,40}:\s+")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = re.compile(rf"\b(?:On|Around|Between|As of|Since|From|During|In|Sometime (?:between|before|in))\s+(?:or around\s+)?(?:\d{{1,2}}\s+)?(?:{_MONTHS})[^,]{{0,40}},\s*", re.I)
_TAIL = re.compile(r"\s*\[[^\]]*\]\s*$")
_ADMIN = re.compile(r"\s*\((?:[A-Z][\w' -]+,\s*)?[A-Z][\w' -]+\)")
_SOURCE_DATED = re.compile(r"\s*Source dated [^.]*\.")


# the all-notes cross-country study (benchmarks/eval_acled_cross_country.py), quoted in the card
CROSS_COUNTRY_NOTE = [
    "",
    "Cross-country with every note (not a cap of 100), settings chosen by leave-one-country-out inside the",
    "two training countries (`benchmarks/eval_acled_cross_country.py`, TF-IDF + the rules' features, LinearSVC):",
    "Somalia 0.730, Kenya 0.562, Bangladesh 0.674 accuracy (6,464 / 5,722 / 5,658 notes); the same model",
    "trained and tested inside one country reaches 0.963 / 0.790 / 0.990. The countries code the line between",
    "rioters and armed groups differently; docs/benchmarks.md (third round) has the analysis.",
]


def news_like(note: str) -> str:
    """An ACLED note without the coding formulae news never has."""
    for pattern in (_PREFIX, _DATE, _TAIL, _SOURCE_DATED, _ADMIN):
        note = pattern.sub(" " if pattern is _ADMIN else "", note)
    return re.sub(r"\s{2,}", " ", note).strip()


def read_acled(shared: Path, include_held_out: bool = False) -> list[tuple[str, str, str]]:
    """(country, news-like note, sub-event type) rows of the *tune* part of the project's one ACLED split.

    The held-out quarter (``is_held_out(event_id_cnty)``) is what ``benchmarks/eval_actors_acled.py`` and
    ``benchmarks/eval_fatalities.py`` score the pipeline on, so the typing models never train on it;
    ``include_held_out`` (every note) is for the cross-country study only, where the split is by country.

    Rows, not events: Bangladesh's export is monadic (one row per actor), so its two-actor events are here
    twice, the same note with the same type (a heavier weight, no wrong label). The shipped typing models were
    trained on this reading; the actors' and fatalities' scripts join such rows (``read_acled_events``), and
    this reader should too the next time both typing models are retrained (it changes their samples).
    """
    csv.field_size_limit(10**7)
    rows = []
    for country, name in ACLED_FILES.items():
        with open(shared / "train" / "acled" / name, encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                sub, note = r.get("sub_event_type", ""), (r.get("notes") or "").strip()
                if not include_held_out and is_held_out(r.get("event_id_cnty", "")):
                    continue
                if sub in SUB_EVENT_TYPES and note:
                    rows.append((country, news_like(note), sub))
    return rows


def case_rows(shared: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """CASE 2021 dev as (snippet, sub-event type or "(none)"): the tune part and the held-out quarter (``is_held_out``)."""
    case = read_case(shared / "eval" / "case2021" / "dev.tsv")
    tune = [(t, g if g in SUB_EVENT_TYPES else NO_EVENT) for i, t, g in case if not is_held_out(i)]
    held = [(t, g if g in SUB_EVENT_TYPES else NO_EVENT) for i, t, g in case if is_held_out(i)]
    return tune, held


def balanced(rows: list[tuple[str, str, str]], cap: int, seed: int = 0) -> list[tuple[str, str]]:
    """At most ``cap`` rows per class (fixed seed): the big classes would otherwise drown the rare ones."""
    rng = random.Random(seed)
    by_class: dict[str, list[str]] = {}
    for _, text, label in rows:
        by_class.setdefault(label, []).append(text)
    out = []
    for label in sorted(by_class):
        texts = by_class[label]
        rng.shuffle(texts)
        out += [(t, label) for t in texts[:cap]]
    return out


class Featuriser:
    """TF-IDF (scikit-learn) + the rules' features, hstacked in the order the artefact records."""

    BLOCKS = ({"kind": "word", "min_n": 1, "max_n": 2}, {"kind": "char_wb", "min_n": 3, "max_n": 5})

    def __init__(self, max_char_features: int = 150_000, use_rules: bool = True) -> None:
        self.use_rules = use_rules
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.blocks = [
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=2, sublinear_tf=True, dtype=np.float32),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=3, sublinear_tf=True, max_features=max_char_features, dtype=np.float32),
        ]
        self.extra: list[str] = []

    _cache: dict[str, dict[str, float]] = {}  # shared by every fold: the rules' reading of a text never changes

    def _rules(self, text: str) -> dict[str, float]:
        if text not in self._cache:
            self._cache[text] = rule_features(text)
        return self._cache[text]

    def fit_transform(self, texts: list[str]):
        xs = [b.fit_transform(texts) for b in self.blocks]
        self.extra = sorted({k for t in texts for k in self._rules(t)}) if self.use_rules else []
        return self._stack(xs, texts)

    def transform(self, texts: list[str]):
        return self._stack([b.transform(texts) for b in self.blocks], texts)

    def _stack(self, xs, texts: list[str]):
        from scipy.sparse import csr_matrix, hstack

        col = {k: i for i, k in enumerate(self.extra)}
        rows, cols, vals = [], [], []
        for r, t in enumerate(texts if self.extra else []):
            for k, v in self._rules(t).items():
                if k in col:
                    rows.append(r)
                    cols.append(col[k])
                    vals.append(v)
        extra = csr_matrix((vals, (rows, cols)), shape=(len(texts), len(self.extra)), dtype=np.float32)
        return hstack([*xs, extra]).tocsr()


def fit(feat: Featuriser, train: list[tuple[str, str]], weights: np.ndarray | None, c: float):
    from sklearn.linear_model import LogisticRegression

    x = feat.fit_transform([t for t, _ in train])
    model = LogisticRegression(C=c, max_iter=1000)
    model.fit(x, [label for _, label in train], sample_weight=weights)
    return model


def decide(proba: np.ndarray, classes: np.ndarray, rules: list[str], threshold: float) -> list[str]:
    return [str(classes[p.argmax()]) if p.max() >= threshold else r for p, r in zip(proba, rules)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--out", type=Path, default=REPO / "src" / "fogwatch" / "models" / "event_types")
    ap.add_argument("--cap", type=int, default=100, help="ACLED rows per class at most")
    ap.add_argument("--case-weight", type=float, default=5.0, help="sample weight of a CASE tune row against an ACLED note")
    ap.add_argument("--C", type=float, default=10.0, help="inverse L2 strength of the logistic regression")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--skip-cross-country", action="store_true")
    ap.add_argument("--bar-notes", type=int, default=600, help="unseen tune-part ACLED notes per country on which the rules' threshold is chosen")
    ap.add_argument("--soft-cap", action="store_true", help="every ACLED note, class c's notes weighted min(1, cap/n_c) instead of a sample of cap (an experiment; not the shipped setting)")
    ap.add_argument("--cv-only", action="store_true", help="stop after the cross-validation on the CASE tune rows (writes nothing)")
    args = ap.parse_args()
    t0 = time.time()

    from fogwatch.events.classify import classify_text

    acled = read_acled(args.shared)
    tune, held = case_rows(args.shared)
    base = balanced(acled, args.cap) if not args.soft_cap else [(t, g) for _, t, g in acled]
    per_class = {g: sum(1 for _, x in base if x == g) for g in {g for _, g in base}}
    acled_w = np.array([min(1.0, args.cap / per_class[g]) for _, g in base]) if args.soft_cap else np.ones(len(base))
    print(f"ACLED notes {len(acled)} ({len(base)} after the per-class cap), CASE tune {len(tune)}, CASE held-out {len(held)}", flush=True)
    rules_of = {t: classify_text(t)[0] or NO_EVENT for t, _ in tune + held}
    scores: dict[str, object] = {}

    # 1. threshold by cross-validation on the CASE tune rows (ACLED always in training)
    folds = [tune[k :: args.folds] for k in range(args.folds)]
    oof_p, oof_rules, oof_gold, classes = [], [], [], None
    for k in range(args.folds):
        part = [r for j in range(args.folds) if j != k for r in folds[j]]
        feat = Featuriser()
        w = np.r_[acled_w, np.full(len(part), args.case_weight)]
        model = fit(feat, base + part, w, args.C)
        classes = model.classes_
        oof_p.append(model.predict_proba(feat.transform([t for t, _ in folds[k]])))
        oof_rules += [rules_of[t] for t, _ in folds[k]]
        oof_gold += [g for _, g in folds[k]]
        print(f"  fold {k + 1}/{args.folds} done ({time.time() - t0:.0f} s)", flush=True)
    proba = np.vstack(oof_p)
    grid = [round(float(x), 2) for x in np.arange(0.0, 1.01, 0.05)]
    cv = {th: score_labels(oof_gold, decide(proba, classes, oof_rules, th)).weighted_f1 for th in grid}

    # 1b. the final model (every capped ACLED note + every CASE tune row) and the threshold below which the rules
    # answer. The rules were written looking at the CASE tune rows (CV above: rules 0.85; on the held-out quarter
    # they score 0.71), so those rows cannot say when the rules should answer: the threshold is chosen on tune-part
    # ACLED notes outside the model's sample, which neither the model nor the rules' authors used.
    feat = Featuriser()
    w = np.r_[acled_w, np.full(len(tune), args.case_weight)]
    model = fit(feat, base + tune, w, args.C)
    sampled = {t for t, _ in base}
    per: dict[str, int] = {}
    notes = []
    for country, text, label in acled:
        if text not in sampled and per.get(country, 0) < args.bar_notes:
            per[country] = per.get(country, 0) + 1
            notes.append((text, label))
    p_notes = model.predict_proba(feat.transform([t for t, _ in notes]))
    note_rules = [classify_text(t)[0] or NO_EVENT for t, _ in notes]
    on_notes = {th: score_labels([g for _, g in notes], decide(p_notes, model.classes_, note_rules, th)).weighted_f1 for th in grid}
    threshold = max(grid, key=lambda th: (round(on_notes[th], 4), th))
    scores["threshold_choice"] = {
        "acled_unseen_notes": len(notes),
        "weighted_f1_by_threshold": {str(th): round(float(v), 4) for th, v in on_notes.items()},
    }
    scores["case_tune_cv"] = {
        "rows": len(oof_gold),
        "rules_weighted_f1": round(score_labels(oof_gold, oof_rules).weighted_f1, 4),
        "model_alone_weighted_f1": round(cv[0.0], 4),
        "combined_weighted_f1": round(cv[threshold], 4),
        "note": "the rules were written looking at these rows, so their figure here is optimistic",
    }
    print(f"threshold {threshold} (unseen ACLED notes, {len(notes)}: weighted F1 {on_notes[threshold]:.3f}, rules alone "
          f"{on_notes[1.0]:.3f}, model alone {on_notes[0.0]:.3f}); CASE tune CV at it {cv[threshold]:.3f} (model alone {cv[0.0]:.3f}, "
          f"rules {scores['case_tune_cv']['rules_weighted_f1']})", flush=True)

    if args.cv_only:
        return 0

    # 2. cross-country ACLED: train on two countries' notes, test on the third (no CASE rows)
    if not args.skip_cross_country:
        cross = {}
        every_note = read_acled(args.shared, include_held_out=True)  # split by country here, not by the held-out hash
        for test in ACLED_FILES:
            train = balanced([r for r in every_note if r[0] != test], args.cap)
            test_rows = [(t, g) for c, t, g in every_note if c == test]
            cc_feat = Featuriser()  # its own names: the final model of 1b is written below
            cc_model = fit(cc_feat, train, None, args.C)
            p = cc_model.predict_proba(cc_feat.transform([t for t, _ in test_rows]))
            gold = [g for _, g in test_rows]
            rules = [classify_text(t)[0] or NO_EVENT for t, _ in test_rows]
            combined = decide(p, cc_model.classes_, rules, threshold)
            model_alone = decide(p, cc_model.classes_, rules, 0.0)
            cross[test] = {
                "rows": len(gold),
                "rules_accuracy": round(float(np.mean([a == b for a, b in zip(rules, gold)])), 4),
                "model_accuracy": round(float(np.mean([a == b for a, b in zip(model_alone, gold)])), 4),
                "combined_accuracy": round(float(np.mean([a == b for a, b in zip(combined, gold)])), 4),
                "combined_weighted_f1": round(score_labels(gold, combined).weighted_f1, 4),
            }
            print(f"  held-out country {test}: {cross[test]} ({time.time() - t0:.0f} s)", flush=True)
        scores["acled_cross_country"] = cross

    # 3. the final model (fitted in 1b) on the CASE held-out quarter, once
    p = model.predict_proba(feat.transform([t for t, _ in held]))
    gold = [g if g != NO_EVENT else NONE_LABEL for _, g in held]
    as_label = lambda xs: [x if x != NO_EVENT else NONE_LABEL for x in xs]  # noqa: E731
    held_rules = as_label([rules_of[t] for t, _ in held])
    held_model = as_label(decide(p, model.classes_, [rules_of[t] for t, _ in held], 0.0))
    held_comb = as_label(decide(p, model.classes_, [rules_of[t] for t, _ in held], threshold))
    s_comb = score_labels(gold, held_comb)
    scores["case_held_out"] = {
        "rows": len(gold),
        "rules_weighted_f1": round(score_labels(gold, held_rules).weighted_f1, 4),
        "model_alone_weighted_f1": round(score_labels(gold, held_model).weighted_f1, 4),
        "combined_weighted_f1": round(s_comb.weighted_f1, 4),
        "combined_macro_f1": round(s_comb.macro_f1, 4),
    }
    print(f"CASE held-out: {scores['case_held_out']}", flush=True)
    settings = {"cap": args.cap, "case_weight": args.case_weight, "C": args.C, "folds": args.folds}
    write_artefact(args.out, feat, model, threshold, scores, len(base), len(tune), settings)
    print(f"wrote {args.out} in {time.time() - t0:.0f} s")
    return 0


def write_artefact(out: Path, feat: Featuriser, model, threshold: float, scores: dict, n_acled: int, n_case: int, settings: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {}
    for k, block in enumerate(feat.blocks):
        arrays[f"vocabulary_{k}"] = np.array(sorted(block.vocabulary_, key=block.vocabulary_.get))
        arrays[f"idf_{k}"] = block.idf_.astype(np.float32)
    np.savez_compressed(out / "model.npz", weights=model.coef_.astype(np.float16), bias=model.intercept_.astype(np.float32), **arrays)
    sha = hashlib.sha256((out / "model.npz").read_bytes()).hexdigest()
    meta = {
        "format": FORMAT,
        "name": "event_types",
        "classes": [str(c) for c in model.classes_],
        "blocks": list(Featuriser.BLOCKS),
        "extra_features": feat.extra,
        "threshold": threshold,
        "sha256": sha,
        "training_rows": {"acled_notes": n_acled, "case_tune": n_case},
        "settings": settings,
        "scores": scores,
        "command": "python scripts/train_event_types.py",
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    (out / "card.md").write_text(card(meta))


def card(meta: dict) -> str:
    """The data card: what the model is, what it was trained on, under which terms, how well it does held out."""
    s = meta["scores"]
    cv, held = s["case_tune_cv"], s["case_held_out"]
    lines = [
        "# event_types: sub-event type of a report (data card)",
        "",
        "A multinomial logistic regression over TF-IDF word 1-2-grams, character 3-5-grams within words,",
        "and the rules' own reading of the text (the lexicon's decision; which trigger kinds fired at which",
        "tier). Inference is numpy only (`fogwatch.learn.ngram`); `fogwatch.events.typer` lets the model",
        f"decide when its top probability is at least {meta['threshold']} and the rules answer otherwise;",
        "each decision records which one decided (`reason`).",
        "",
        "## Training data",
        "",
        f"- {meta['training_rows']['acled_notes']} ACLED event notes with ACLED's own sub-event coding (Somalia 2025-26,",
        f"  Kenya 2004-19, Bangladesh 2022-24; at most {meta['settings']['cap']} per class, fixed seed), from the tune part of",
        "  `../shared/train/acled/` (the held-out quarter by `is_held_out(event_id_cnty)` is never read here).",
        "  Data: Armed Conflict Location & Event Data Project (ACLED), acleddata.com. Used under ACLED's",
        "  Terms of Use, which require attribution; the notes themselves are not redistributed: this",
        "  artefact holds only n-gram weights.",
        f"- {meta['training_rows']['case_tune']} snippets of the *tune* part of CASE 2021 Task 2 dev",
        "  (`../shared/eval/case2021/dev.tsv`; the split is `fogwatch.events.evaluation.is_held_out`),",
        "  non-ACLED classes (disasters, diplomacy, crime, attribution) as the class `(none)`.",
        "- The held-out quarter of CASE dev was used for no training and no choice. The decision threshold was",
        f"  chosen on {s.get('threshold_choice', {}).get('acled_unseen_notes', 'some')} tune-part ACLED notes outside the model's sample (weighted F1; the rules",
        "  were written looking at the CASE tune rows, so the tune rows' CV, below, flatters them).",
        "",
        "## Held-out scores",
        "",
        "| measure | rows | rules alone | model alone | model + rules (shipped) |",
        "|---|---|---|---|---|",
        f"| CASE 2021 held-out quarter, weighted F1 (25 ACLED classes) | {held['rows']} | {held['rules_weighted_f1']:.3f} | "
        f"{held['model_alone_weighted_f1']:.3f} | {held['combined_weighted_f1']:.3f} (macro {held['combined_macro_f1']:.3f}) |",
        f"| CASE 2021 tune part, 5-fold CV, weighted F1 (rules tuned on these rows) | {cv['rows']} | {cv['rules_weighted_f1']:.3f} | "
        f"{cv['model_alone_weighted_f1']:.3f} | {cv['combined_weighted_f1']:.3f} |",
    ]
    for country, c in s.get("acled_cross_country", {}).items():
        lines.append(
            f"| ACLED notes of {country}, trained on the other two countries only, accuracy | {c['rows']} | "
            f"{c['rules_accuracy']:.3f} | {c['model_accuracy']:.3f} | {c['combined_accuracy']:.3f} |"
        )
    lines += [
        "",
        "The cross-country rows use a model trained without CASE rows, on the other two countries' notes",
        "(same recipe, same threshold).",
        "",
        *CROSS_COUNTRY_NOTE[1:],
        "",
        "## How the settings were chosen",
        "",
        "By 5-fold cross-validation of the model alone on the CASE tune rows (weighted F1), never on a",
        "held-out row. ACLED cap per class / CASE row weight, with the rules' features: 100/5 0.835,",
        "400/10 0.831, 1500/5 0.813; on text alone: 100/5 0.657, 400/10 0.635, 1500/20 0.598. The shipped",
        "model uses 100/5 with the rules' features. The more ACLED notes, the lower the score on news",
        "snippets: ACLED's formulaic notes are a different register. The cross-validated figures are",
        "optimistic, because the rules (features and fallback) were written looking at the tune rows.",
        "Caveat: two earlier runs of this script (a cap-60 smoke run and the first cap-1500 run) printed",
        "their held-out scores before the choice was made.",
        "",
        "## Limits",
        "",
        "- No Syrian notes, no chemical weapons and few suicide bombs in the training notes: in running",
        "  text the model never overrides a type the rules took from a specific tactic word (tier 3).",
        "- It does not beat the rules by much on news it never saw; see the held-out rows above.",
        "",
        "## Rebuild",
        "",
        "```bash",
        "pip install -e '.[train]'",
        meta["command"],
        "```",
        "",
        f"Licence of the artefact: Apache-2.0 like fogwatch; attribution to ACLED (acleddata.com) as above. SHA-256 of model.npz: `{meta['sha256']}`.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
