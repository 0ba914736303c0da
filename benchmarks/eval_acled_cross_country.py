"""ACLED sub-event typing across countries: train on two countries' notes, test on the third (issue 9).

    .venv/bin/python benchmarks/eval_acled_cross_country.py [--quick] [--json OUT]

Needs scikit-learn (the ``[train]`` extra). Reads ``../shared/train/acled/{somalia,kenya,bangladesh}*.csv``
(ACLED's own notes and coding; the South Asia file has no sub-event type).

Every setting (classifier, class weighting, note normalisation, the rules' features) is chosen for each
test country by an *inner* leave-one-country-out over the two training countries only (train on one,
test on the other, both ways, mean accuracy): the test country's notes influence no choice. The chosen
setting is then trained on both training countries and scored once on the test country: accuracy,
weighted and macro F1, row counts, and the confusions that cost most.

Normalisations of a note (``normalise``):

- ``news``: what ``scripts/train_event_types.py`` feeds the shipped model (no "Movement of forces:" style
  coding prefix, which names the label, no "On <date>," formula, no admin parenthesis, no source tail);
- ``generic``: also every date form (Kenya's "28 March." / "Around Jun 13th," / "on 02/02"), numbers, the
  row's own place names (location, admin1-3) and the three countries' names and demonyms become
  placeholders, so that the model learns the tactic, not the country.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from train_event_types import ACLED_FILES, news_like  # noqa: E402

from fogwatch.events.evaluation import score_labels  # noqa: E402
from fogwatch.events.taxonomy import SUB_EVENT_TYPES  # noqa: E402

_MON = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATES = [
    re.compile(rf"^\s*(?:On|Around|About|Between|Since|By|Late|Early)?\s*(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MON}|{_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?)(?:\s+\d{{4}})?\s*[.,:;-]\s*", re.I),
    re.compile(rf"\b(?:on|around|between|since|by)?\s*(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MON}|{_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?)(?:,?\s+\d{{4}})?", re.I),
    re.compile(r"\b(?:on\s+)?\d{1,2}/\d{1,2}(?:/\d{2,4})?\b", re.I),
]
_NUM = re.compile(r"\b\d+(?:[.,]\d+)*\b")
_COUNTRY = re.compile(r"\b(?:Somalia|Somaliland|Kenya|Bangladesh)\b")
_DEMONYM = re.compile(r"\b(?:Somali|Kenyan|Bangladeshi|Bengali)s?\b")


def normalise(note: str, places: tuple[str, ...], mode: str) -> str:
    text = news_like(note)
    if mode == "news":
        return text
    for pattern in _DATES:
        text = pattern.sub(" ", text)
    for place in sorted({p for p in places if len(p) > 2}, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(place)}\b", "someplace", text)
    text = _COUNTRY.sub("thecountry", text)
    text = _DEMONYM.sub("national", text)
    text = _NUM.sub("num", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def read_rows(shared: Path) -> list[dict]:
    csv.field_size_limit(10**7)
    rows = []
    for country, name in ACLED_FILES.items():
        with open(shared / "train" / "acled" / name, encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                sub, note = r.get("sub_event_type", ""), (r.get("notes") or "").strip()
                if sub in SUB_EVENT_TYPES and note:
                    places = tuple(r.get(k, "") or "" for k in ("location", "admin1", "admin2", "admin3"))
                    rows.append({"country": country, "note": note, "label": sub, "places": places})
    return rows


class Model:
    """TF-IDF word 1-2 + char_wb 3-5 (+ the rules' reading) and a linear classifier."""

    def __init__(self, clf: str, weighting: str, rules: bool, seed: int = 0) -> None:
        self.clf, self.weighting, self.rules, self.seed = clf, weighting, rules, seed

    def _x(self, texts: list[str], fit: bool):
        from scipy.sparse import csr_matrix, hstack

        if fit:
            from sklearn.feature_extraction.text import TfidfVectorizer

            self.blocks = [
                TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=2, sublinear_tf=True, dtype=np.float32),
                TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=3, sublinear_tf=True, max_features=150_000, dtype=np.float32),
            ]
        xs = [b.fit_transform(texts) if fit else b.transform(texts) for b in self.blocks]
        if self.rules:
            feats = [_rules(t) for t in texts]
            if fit:
                self.extra = {k: i for i, k in enumerate(sorted({k for f in feats for k in f}))}
            r, c, v = zip(*[(i, self.extra[k], val) for i, f in enumerate(feats) for k, val in f.items() if k in self.extra]) or ((), (), ())
            xs.append(csr_matrix((v, (r, c)), shape=(len(texts), len(self.extra)), dtype=np.float32))
        return hstack(xs).tocsr()

    def fit(self, texts: list[str], labels: list[str]) -> "Model":
        if self.weighting.startswith("cap"):
            cap, rng, keep = int(self.weighting[3:]), random.Random(self.seed), []
            by: dict[str, list[int]] = {}
            for i, g in enumerate(labels):
                by.setdefault(g, []).append(i)
            for g in sorted(by):
                idx = by[g][:]
                rng.shuffle(idx)
                keep += idx[:cap]
            texts, labels = [texts[i] for i in keep], [labels[i] for i in keep]
        cw = "balanced" if self.weighting == "balanced" else None
        if self.clf == "svm":
            from sklearn.svm import LinearSVC

            self.model = LinearSVC(C=0.5, class_weight=cw)
        else:
            from sklearn.linear_model import LogisticRegression

            self.model = LogisticRegression(C=10, max_iter=1000, class_weight=cw)
        self.model.fit(self._x(texts, True), labels)
        return self

    def predict(self, texts: list[str]) -> list[str]:
        return [str(p) for p in self.model.predict(self._x(texts, False))]


_RULES: dict[str, dict[str, float]] = {}


def _rules(text: str) -> dict[str, float]:
    if text not in _RULES:
        from fogwatch.events.typer import rule_features

        _RULES[text] = rule_features(text)
    return _RULES[text]


def scores(gold: list[str], pred: list[str]) -> dict:
    s = score_labels(gold, pred)
    return {
        "rows": len(gold),
        "accuracy": round(float(np.mean([a == b for a, b in zip(gold, pred)])), 4),
        "weighted_f1": round(s.weighted_f1, 4),
        "macro_f1": round(s.macro_f1, 4),
    }


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--quick", action="store_true", help="a smaller grid (LinearSVC only)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    t0 = time.time()
    rows = read_rows(args.shared)
    grid = [
        (clf, w, norm, rules)
        for clf in (("svm",) if args.quick else ("svm", "lr"))
        for w in ("balanced", "cap200")
        for norm in ("news", "generic")
        for rules in (False, True)
    ]
    text = {(i, norm): normalise(r["note"], r["places"], norm) for i, r in enumerate(rows) for norm in ("news", "generic")}
    by_country = {c: [i for i, r in enumerate(rows) if r["country"] == c] for c in ACLED_FILES}
    out: dict = {"grid": [list(g) for g in grid], "countries": {}}

    def run(setting, train_idx, test_idx) -> list[str]:
        clf, w, norm, rules = setting
        m = Model(clf, w, rules).fit([text[(i, norm)] for i in train_idx], [rows[i]["label"] for i in train_idx])
        return m.predict([text[(i, norm)] for i in test_idx])

    inner_cache: dict[tuple, float] = {}
    for test in ACLED_FILES:
        a, b = [c for c in ACLED_FILES if c != test]
        inner = {}
        for setting in grid:
            accs = []
            for tr, te in ((a, b), (b, a)):
                key = (setting, tr, te)
                if key not in inner_cache:
                    pred = run(setting, by_country[tr], by_country[te])
                    inner_cache[key] = float(np.mean([p == rows[i]["label"] for p, i in zip(pred, by_country[te])]))
                accs.append(inner_cache[key])
            inner[setting] = float(np.mean(accs))
            print(f"  [{test}] inner {setting}: {inner[setting]:.3f} ({time.time() - t0:.0f} s)", flush=True)
        chosen = max(grid, key=lambda s: inner[s])
        test_idx = by_country[test]
        gold = [rows[i]["label"] for i in test_idx]
        pred = run(chosen, by_country[a] + by_country[b], test_idx)
        confusions = Counter((g, p) for g, p in zip(gold, pred) if g != p).most_common(8)
        out["countries"][test] = {
            "chosen": list(chosen),
            "inner_accuracy": round(inner[chosen], 4),
            "held_out": scores(gold, pred),
            "training_rows": len(by_country[a]) + len(by_country[b]),
            "top_confusions": [[g, p, n] for (g, p), n in confusions],
        }
        print(f"{test}: chosen {chosen} (inner {inner[chosen]:.3f}) -> {out['countries'][test]['held_out']}", flush=True)
        for (g, p), n in confusions:
            print(f"    gold {g:36s} predicted {p:36s} {n}")
    total = sum(c["held_out"]["rows"] for c in out["countries"].values())
    pooled = sum(c["held_out"]["accuracy"] * c["held_out"]["rows"] for c in out["countries"].values()) / total
    out["pooled_accuracy"] = round(pooled, 4)
    print("\n| test country | notes | setting (chosen on the other two) | accuracy | weighted F1 | macro F1 |\n|---|---|---|---|---|---|")
    for c, v in out["countries"].items():
        h = v["held_out"]
        print(f"| {c} | {h['rows']} | {' / '.join(map(str, v['chosen']))} | {h['accuracy']:.3f} | {h['weighted_f1']:.3f} | {h['macro_f1']:.3f} |")
    print(f"| all three (pooled) | {total} | | {pooled:.3f} | | |")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n")
    print(f"({time.time() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
