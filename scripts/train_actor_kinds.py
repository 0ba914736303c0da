"""Train the actor-kinds model (``src/fogwatch/models/actor_kinds/actor1`` and ``actor2``) from ../shared/train/acled.

    python scripts/train_actor_kinds.py                 # runs the pipeline (rules' actors) over the tune notes, CV, writes the artefacts
    python scripts/train_actor_kinds.py --cache /tmp/ak.pkl   # keep the pipeline's reading of the notes for a rerun

Only the *tune* part of the project's one ACLED split is read (``fogwatch.events.evaluation.is_held_out`` on
``event_id_cnty``, the split of ``benchmarks/eval_actors_acled.py``); the held-out rows are never opened.
Each note is run through the pipeline with the actor model off; the first event's sentence, its sub-event
type and the rules' kinds of both sides are the features, ACLED's own actor1/actor2, reduced to their kind
(``fogwatch.events.actor_kinds.kind_of``), the labels. One multinomial logistic regression per side over word
1-2-gram TF-IDF and those named features. The change threshold is chosen by 3-fold cross-validation on
the tune part, on the final measure itself: ACLED's names made by ``ActorKinds.apply`` against ACLED's.
Needs the ``[train]`` extra (scikit-learn).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from fogwatch.events.actor_kinds import ActorKinds, features, kind_of  # noqa: E402
from fogwatch.events.actors import acled_name, load_registry  # noqa: E402
from fogwatch.events.evaluation import acled_date, is_held_out, read_acled_events  # noqa: E402
from fogwatch.learn.ngram import FORMAT, load_model_folder  # noqa: E402

OUT = ROOT / "src" / "fogwatch" / "models" / "actor_kinds"
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def tune_rows(shared: Path) -> list[dict[str, str]]:
    """The tune part's events, one dict each (a monadic file's two rows of an event joined: `read_acled_events`)."""
    out = []
    for path in sorted((shared / "train" / "acled").glob("*.csv")):
        out += [r for r in read_acled_events(path) if not is_held_out(r["event_id_cnty"]) and r.get("notes", "").strip()]
    return out


def read_notes(rows: list[dict[str, str]]) -> list[dict]:
    """The pipeline's reading of each note with the rules' actors (the actor model off)."""
    import fogwatch

    nlp = fogwatch.load(config={"events": {"use_actor_model": False}})
    out = []
    t = time.time()
    for i, r in enumerate(rows):
        rec = nlp(r["notes"], published=acled_date(r["event_date"]))
        e = rec.events[0] if rec.events else None
        out.append({"row": {k: r.get(k, "") for k in ("event_id_cnty", "actor1", "actor2", "country", "_file", "notes")}, "event": e, "country": _doc_country(rec)})
        if i % 2000 == 0:
            print(f"  {i} notes, {time.time() - t:.0f} s", flush=True)
    return out


def _doc_country(rec) -> str | None:
    codes = Counter(p.country_code for p in rec.places if getattr(p, "country_code", None) and getattr(p, "role", "toponym") == "toponym")
    return codes.most_common(1)[0][0] if codes else None


def sample(item: dict, registry) -> tuple[str, dict[str, float], str, str] | None:
    e = item["event"]
    if e is None:
        return None
    text = item["row"]["notes"]
    iso = (e.location.country_code if e.location is not None else None) or item["country"]
    cname = registry.countries.get(iso or "")
    k1 = kind_of(e.actor1.name if e.actor1 else None, cname)
    k2 = kind_of(e.actor2.name if e.actor2 else None, cname)
    span = e.evidence[0] if e.evidence else None
    sentence = text[span.start : span.end][:600] if span is not None else ""
    gold_country = item["row"]["country"]
    return sentence, features(e.sub_event_type, k1, k2, cname is not None), kind_of(item["row"]["actor1"].strip(), gold_country), kind_of(item["row"]["actor2"].strip(), gold_country)


class Featuriser:
    BLOCKS = ({"kind": "word", "min_n": 1, "max_n": 2},)

    def __init__(self, max_features: int) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.block = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=max_features, dtype=np.float32)
        self.extra: list[str] = []

    def fit_transform(self, texts: list[str], extras: list[dict[str, float]]):
        x = self.block.fit_transform(texts)
        self.extra = sorted({k for e in extras for k in e})
        return self._stack(x, extras)

    def transform(self, texts: list[str], extras: list[dict[str, float]]):
        return self._stack(self.block.transform(texts), extras)

    def _stack(self, x, extras: list[dict[str, float]]):
        from scipy.sparse import csr_matrix, hstack

        col = {k: i for i, k in enumerate(self.extra)}
        rows, cols, vals = [], [], []
        for r, ex in enumerate(extras):
            for k, v in ex.items():
                if k in col and v:
                    rows.append(r)
                    cols.append(col[k])
                    vals.append(v)
        return hstack([x, csr_matrix((vals, (rows, cols)), shape=(len(extras), len(self.extra)), dtype=np.float32)]).tocsr()


def write_model(out: Path, feat: Featuriser, model, slot: int, threshold: float, extra_meta: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    vocab = np.array(sorted(feat.block.vocabulary_, key=feat.block.vocabulary_.get))
    np.savez_compressed(out / "model.npz", weights=model.coef_.astype(np.float16), bias=model.intercept_.astype(np.float32),
                        vocabulary_0=vocab, idf_0=feat.block.idf_.astype(np.float32))
    meta = {
        "format": FORMAT,
        "name": f"actor_kinds/actor{slot}",
        "classes": [str(c) for c in model.classes_],
        "blocks": list(Featuriser.BLOCKS),
        "extra_features": feat.extra,
        "threshold": threshold,
        "sha256": hashlib.sha256((out / "model.npz").read_bytes()).hexdigest(),
        **extra_meta,
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")


def fit_pair(samples: list, c: float, max_features: int, folder: Path, threshold: float, extra_meta: dict):
    """Both sides' models fitted on ``samples`` and written under ``folder``; loaded back as the runtime sees them."""
    from sklearn.linear_model import LogisticRegression

    models = []
    for slot in (1, 2):
        feat = Featuriser(max_features)
        x = feat.fit_transform([s[0] for s in samples], [s[1] for s in samples])
        lr = LogisticRegression(C=c, max_iter=500)
        lr.fit(x, [s[1 + slot] for s in samples])
        write_model(folder / f"actor{slot}", feat, lr, slot, threshold, extra_meta)
        models.append(load_model_folder(folder / f"actor{slot}"))
    return models[0], models[1]


def names_accuracy(items: list[dict], kinds: ActorKinds | None, registry) -> dict[str, float]:
    n = ok1 = ok2 = 0
    for item in items:
        n += 1
        e = item["event"]
        if e is None:
            continue
        if kinds is not None:
            e = kinds.apply(e, item["row"]["notes"], registry, item["country"])
        got1 = acled_name(e.actor1) if e.actor1 else ""
        got2 = acled_name(e.actor2) if e.actor2 else ""
        ok1 += got1 == item["row"]["actor1"].strip()
        ok2 += got2 == item["row"]["actor2"].strip()
    return {"n": n, "actor1": ok1 / n, "actor2": ok2 / n}


def card(meta: dict, threshold: float, n_samples: int) -> str:
    cv = meta["threshold_cv"][str(threshold)]
    rules = meta["rules_only_tune"]
    return "\n".join([
        "# Data card: actor kinds (`actor_kinds/actor1`, `actor_kinds/actor2`)",
        "",
        "**What it does.** For the first and the second side of an event, which of ACLED's naming conventions",
        "applies: `protesters`, `rioters`, `civilians`, `uag` (Unidentified Armed Group), `uem`/`ucm`/`uclan`",
        "(unidentified ethnic/communal/clan militia), `umf` (Unidentified Military Forces), `military`, `police`,",
        "`named` (the group the text names) or `none` (no second side). The name itself is written by the actor",
        "registry with the event's country and year (`fogwatch.events.actor_kinds`), never by the model.",
        "",
        "**Model.** Per side a multinomial logistic regression (scikit-learn, exported to numpy: `model.npz`,",
        "`meta.json` with its SHA-256) over word 1-2-gram TF-IDF of the event's sentence and named features from",
        "the rules: the sub-event type, the rules' kinds of both sides, whether the event has a country.",
        f"Settings: C={meta['settings']['C']}, at most {meta['settings']['max_features']} n-grams.",
        f"It changes a side only at a probability of at least **{threshold}** (chosen by {meta['settings']['folds']}-fold",
        "cross-validation on the tune part, on the final measure: ACLED's names made from the kinds against ACLED's).",
        "",
        "**Data.** ACLED event notes with ACLED's own actor1/actor2 coding from `../shared/train/acled/`",
        "(Somalia 2025-26, Kenya 2004-19, Bangladesh 2022-24, South Asia 2015): the tune part only, one record per",
        "event (Bangladesh's export is monadic, one row per actor: an event's two rows are joined into actor1 and actor2,",
        "`fogwatch.events.evaluation.read_acled_events`),",
        f"{meta['training_rows']['acled_tune_notes']} notes, {n_samples} with an event the rules found. The held-out part",
        "(`fogwatch.events.evaluation.is_held_out(event_id_cnty)`, about a quarter) was never read here.",
        "Attribution: ACLED (Armed Conflict Location & Event Data), acleddata.com; the rows are not redistributed,",
        "and the artefact holds only n-gram weights.",
        "",
        "**Scores.** Actor names matching ACLED's exactly, tune part:",
        "",
        "| | actor1 | actor2 |",
        "|---|---:|---:|",
        f"| rules alone (all tune notes) | {rules['actor1']:.3f} | {rules['actor2']:.3f} |",
        f"| with the model, cross-validated (threshold {threshold}) | {cv['actor1']:.3f} | {cv['actor2']:.3f} |",
        "",
        "Held-out figures: `docs/benchmarks.md` (`benchmarks/eval_actors_acled.py`).",
        "",
        "**Limits.** Trained on ACLED's own notes (short, one event, ACLED's wording) from four countries: in",
        "news text it may pick a convention less reliably; it never invents a name, and the rules' actor stands",
        "below the threshold or where the convention needs a country the event lacks.",
        "",
        f"**Rebuild.** `{meta['command']}` (needs the `[train]` extra; about 5 minutes on two free cores, 20 on a busy machine).",
        "",
    ])


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--cache", type=Path, default=None, help="pickle of the pipeline's reading of the notes (made when absent)")
    ap.add_argument("--C", type=float, default=4.0)
    ap.add_argument("--max-features", type=int, default=40000)
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    t0 = time.time()
    registry = load_registry(use_env=False)
    if args.cache is not None and args.cache.is_file():
        items = pickle.loads(args.cache.read_bytes())
    else:
        rows = tune_rows(args.shared)
        print(f"{len(rows)} tune notes: running the pipeline (rules' actors)", flush=True)
        items = read_notes(rows)
        if args.cache is not None:
            args.cache.write_bytes(pickle.dumps(items))
    fold = [int(hashlib.sha1(it["row"]["event_id_cnty"].encode()).hexdigest()[:6], 16) % args.folds for it in items]
    # cross-validation: per threshold, ACLED's names on the held-back fold
    totals: dict[float, list[float]] = {t: [0.0, 0.0] for t in THRESHOLDS}
    rules = names_accuracy(items, None, registry)
    with tempfile.TemporaryDirectory() as tmp:
        for f in range(args.folds):
            train = [s for it, k in zip(items, fold) if k != f and (s := sample(it, registry)) is not None]
            test = [it for it, k in zip(items, fold) if k == f]
            m1, m2 = fit_pair(train, args.C, args.max_features, Path(tmp) / str(f), 0.5, {})
            for t in THRESHOLDS:
                acc = names_accuracy(test, ActorKinds((m1, m2), threshold=t), registry)
                totals[t][0] += acc["actor1"] * len(test)
                totals[t][1] += acc["actor2"] * len(test)
            print(f"  fold {f}: {len(train)} training events, {time.time() - t0:.0f} s", flush=True)
    n = len(items)
    cv = {str(t): {"actor1": round(a / n, 4), "actor2": round(b / n, 4)} for t, (a, b) in totals.items()}
    best = max(THRESHOLDS, key=lambda t: totals[t][0] + totals[t][1])
    print(json.dumps({"rules": rules, "cv": cv, "threshold": best}, indent=1))
    per_file = Counter(it["row"]["_file"] for it in items)
    meta = {
        "threshold_cv": cv,
        "rules_only_tune": {k: round(v, 4) for k, v in rules.items()},
        "training_rows": {"acled_tune_notes": n, "with_an_event": sum(1 for it in items if it["event"] is not None), "per_file": dict(per_file)},
        "settings": {"C": args.C, "max_features": args.max_features, "folds": args.folds},
        "command": "python scripts/train_actor_kinds.py",
        "data": "ACLED event notes and ACLED's own actor coding, tune part of ../shared/train/acled (acleddata.com)",
    }
    samples = [s for it in items if (s := sample(it, registry)) is not None]
    fit_pair(samples, args.C, args.max_features, args.out, best, meta)
    (args.out / "card.md").write_text(card(meta, best, len(samples)))
    print(f"wrote {args.out} (threshold {best}) in {time.time() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
