#!/usr/bin/env python
"""Rebuild the slant model (src/fogwatch/models/slant/) from ../shared/eval/ptc-train.

    pip install -e '.[train]'
    nice python scripts/train_slant.py                  # writes crf.npz, technique/, meta.json, card.md; prints the scores
    nice python scripts/train_slant.py --validate       # only the validation run on the training part (no artefact)

Data: the Propaganda Techniques Corpus train split of SemEval-2020 Task 11 (371 articles,
``train-task1-SI.labels``, ``train-task2-TC.labels``). Split by article, once, on a stable hash
(:func:`fogwatch.slant.evaluate.part_of`): a held-out fifth is never used for training or for a
choice, and is scored once at the end; a validation fifth of the rest chooses the settings
(the CRF's regularisation and decision bias, the head's C), then the model is refit on the whole
training part.

Span tagger: a linear-chain CRF (CRFsuite) over BIO labels per sentence (fogwatch's own
sentencizer), features from :mod:`fogwatch.slant.features`. Technique head: multinomial logistic
regression (scikit-learn) over the span's TF-IDF word 1-2-grams and character 3-5-grams plus
named span features; exported to the numpy format of :mod:`fogwatch.learn.ngram`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from fogwatch.learn.ngram import FORMAT as NGRAM_FORMAT  # noqa: E402
from fogwatch.slant.crf import LinearChainCRF  # noqa: E402
from fogwatch.slant.evaluate import Article, evaluate, part_of, read_ptc  # noqa: E402
from fogwatch.slant.features import ArticleStats, span_features, token_features  # noqa: E402
from fogwatch.slant.lexicon import default_cues  # noqa: E402
from fogwatch.slant.tagger import FORMAT, SlantTagger, sentence_tokens  # noqa: E402

OUT = REPO / "src" / "fogwatch" / "models" / "slant"
HEAD_BLOCKS = ({"kind": "word", "min_n": 1, "max_n": 2}, {"kind": "char_wb", "min_n": 3, "max_n": 5})


# Span kinds of the typed BIO labels: techniques whose spans are mostly a few words (median <= 6 words in PTC)
# are "S", the clause-long rest "L". One CRF learns both kinds (B-S/I-S, B-L/I-L, O); the stage's spans are
# technique-agnostic (fogwatch.slant.tagger.bio_spans), and the kinds let validation set a decision bias per kind.
SHORT_TECHNIQUES = frozenset({"Loaded_Language", "Name_Calling,Labeling", "Repetition", "Slogans", "Thought-terminating_Cliches",
                              "Exaggeration,Minimisation", "Flag-Waving"})


def span_kind(techniques) -> str:
    return "L" if techniques and not any(t in SHORT_TECHNIQUES for t in techniques) else "S"


def bio_labels(article: Article, sent: tuple[int, int], toks) -> list[str]:
    """Typed BIO labels of a sentence's tokens from the article's gold spans (clipped to the sentence): long spans
    first, then short ones over them (a short span inside a long one keeps its own kind)."""
    labels = ["O"] * len(toks)
    spans = sorted(article.tc) if article.tc else sorted(article.si)
    for want in ("L", "S"):
        for gs, ge in spans:
            if span_kind(article.tc.get((gs, ge), ())) != want:
                continue
            prev_inside = False
            for i, t in enumerate(toks):
                inside = t.start < ge and gs < t.end
                if inside:
                    labels[i] = ("I-" if prev_inside else "B-") + want
                prev_inside = inside
    return labels


def crf_sequences(articles: list[Article], cues):
    for a in articles:
        toks = sentence_tokens(a.text, a.sentences)
        stats = ArticleStats.of([[t.lower for t in ts] for ts in toks])
        for sent, ts in zip(a.sentences, toks):
            if ts:
                yield token_features(ts, cues, stats), bio_labels(a, sent, ts)


def train_crf(articles: list[Article], cues, c1: float, c2: float, iterations: int, path: Path) -> LinearChainCRF:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in crf_sequences(articles, cues):
        trainer.append(xseq, yseq)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True})
    trainer.train(str(path))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    info = tagger.info()
    labels = tuple(sorted(tagger.labels()))
    attrs = sorted({a for a, _ in info.state_features})
    index = {a: i for i, a in enumerate(attrs)}
    state = np.zeros((len(attrs), len(labels)), dtype=np.float32)
    for (attr, label), w in info.state_features.items():
        state[index[attr], labels.index(label)] = w
    trans = np.zeros((len(labels), len(labels)), dtype=np.float64)
    for (a, b), w in info.transitions.items():
        trans[labels.index(a), labels.index(b)] = w
    tagger.close()
    return LinearChainCRF(labels, index, state, trans, np.zeros(len(labels)))


def head_rows(articles: list[Article], cues):
    texts, extras, labels = [], [], []
    for a in articles:
        lower = a.text.lower()
        for (s, e), techniques in a.tc.items():
            sent = a.sentence_of(s, e)
            for t in techniques:
                texts.append(a.text[s:e])
                extras.append(span_features(a.text, s, e, sent, cues, lower))
                labels.append(t)
    return texts, extras, labels


class Head:
    """TF-IDF blocks + named extra features + logistic regression, exported as an NgramModel."""

    def __init__(self, c: float) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.c = c
        self.blocks = [
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=2, sublinear_tf=True, dtype=np.float32),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=3, sublinear_tf=True, max_features=60_000, dtype=np.float32),
        ]
        self.extra: list[str] = []

    def _matrix(self, texts, extras, fit: bool):
        from scipy.sparse import csr_matrix, hstack

        xs = [b.fit_transform(texts) if fit else b.transform(texts) for b in self.blocks]
        if fit:
            counts: dict[str, int] = {}
            for e in extras:
                for k in e:
                    counts[k] = counts.get(k, 0) + 1
            self.extra = sorted(k for k, n in counts.items() if n >= 2)
        col = {k: i for i, k in enumerate(self.extra)}
        rows, cols, vals = [], [], []
        for r, e in enumerate(extras):
            for k, v in e.items():
                if k in col:
                    rows.append(r)
                    cols.append(col[k])
                    vals.append(v)
        return hstack([*xs, csr_matrix((vals, (rows, cols)), shape=(len(texts), len(self.extra)), dtype=np.float32)]).tocsr()

    def fit(self, texts, extras, labels) -> "Head":
        from sklearn.linear_model import LogisticRegression

        self.model = LogisticRegression(C=self.c, max_iter=2000)
        self.model.fit(self._matrix(texts, extras, True), labels)
        return self

    def write(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        arrays = {}
        for k, block in enumerate(self.blocks):
            arrays[f"vocabulary_{k}"] = np.array(sorted(block.vocabulary_, key=block.vocabulary_.get))
            arrays[f"idf_{k}"] = block.idf_.astype(np.float32)
        np.savez_compressed(out / "model.npz", weights=self.model.coef_.astype(np.float16), bias=self.model.intercept_.astype(np.float32), **arrays)
        meta = {
            "format": NGRAM_FORMAT,
            "name": "slant_technique",
            "classes": [str(c) for c in self.model.classes_],
            "blocks": list(HEAD_BLOCKS),
            "extra_features": self.extra,
            "sha256": hashlib.sha256((out / "model.npz").read_bytes()).hexdigest(),
            "settings": {"C": self.c},
        }
        (out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")

    def as_ngram(self, folder: Path):
        from fogwatch.learn.ngram import load_model_folder

        self.write(folder)
        return load_model_folder(folder)


def write_crf(crf: LinearChainCRF, out: Path, bias: dict[str, float], meta_extra: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    attrs = np.array(sorted(crf.attributes, key=crf.attributes.get))
    np.savez_compressed(out / "crf.npz", attributes=attrs, state=crf.state.astype(np.float16), transitions=crf.transitions.astype(np.float32), labels=np.array(crf.labels))
    meta = {"format": FORMAT, "name": "slant", "labels": list(crf.labels), "bias": bias,
            "crf_sha256": hashlib.sha256((out / "crf.npz").read_bytes()).hexdigest(), **meta_extra}
    (out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    (out / "card.md").write_text(card(meta))


def card(meta: dict) -> str:
    """The data card: what the model is, what it learned from, under which terms, how well it does held out."""
    sc = meta["scores"]
    body, every = sc["held_out_stage_body_only"], sc["held_out_all_sentences"]
    rows = meta["rows"]
    st = meta["settings"]
    val = sc["validation"]["chosen"]
    lines = [
        "# Slant model (models/slant)",
        "",
        "Finds propaganda technique spans in body text and names their technique, with the 14 techniques of the",
        "Propaganda Techniques Corpus (SemEval-2020 Task 11). Run by the `slant` stage (`fogwatch.stages.slant`);",
        "inference is numpy only (`fogwatch.slant.crf`, `fogwatch.learn.ngram`).",
        "",
        "## Parts",
        f"- `crf.npz`: a linear-chain CRF over typed BIO labels per sentence ({', '.join(meta.get('labels', []))}: S for the",
        "  techniques whose spans are mostly a few words (loaded language, name calling, repetition, slogans, clichés,",
        "  exaggeration, flag-waving), L for the clause-long rest; the stage's spans are technique-agnostic), trained with CRFsuite",
        f"  (L1 {st['c1']}, L2 {st['c2']}, {st['iterations']} L-BFGS iterations) on lexical features (`fogwatch.slant.features`:",
        "  words and neighbours, shape, suffix, the cue lists of `fogwatch/data/slant/cues.yaml` and the valence lists of",
        "  `valence.yaml` (from VADER's lexicon, MIT, C.J. Hutto), quotation, superlatives, repetition across the article,",
        f"  exclamation/question marks). Decision bias: {st['o_bias']} on O, {st['long_bias']} on the L labels (chosen on the validation part).",
        f"- `technique/`: multinomial logistic regression (scikit-learn, C={st['head_C']}) over the span's TF-IDF word 1-2-grams and",
        "  character 3-5-grams plus named span features (cue lists, repetition in the article, length, context words).",
        "",
        "## Data",
        "Propaganda Techniques Corpus, train split of SemEval-2020 Task 11 (Da San Martino et al., EMNLP-IJCNLP 2019 and",
        "SemEval 2020), read from `../shared/eval/ptc-train` (371 news articles with span and technique labels). The corpus",
        "is a research corpus distributed by its authors for research use; none of its text is in this repository. The",
        "artefact holds learned weights and the vocabulary of words and character n-grams (single words and short",
        "fragments, no sentences). Attribution: G. Da San Martino, S. Yu, A. Barrón-Cedeño, R. Petrov, P. Nakov,",
        "\"Fine-Grained Analysis of Propaganda in News Articles\", EMNLP-IJCNLP 2019; and SemEval-2020 Task 11.",
        "",
        "Split by article, once, on a SHA-256 of the article id (`fogwatch.slant.evaluate.part_of`): held-out 2/10,",
        "validation 2/10, training the rest. Settings were chosen on the validation part only; the final model was",
        f"refit on training + validation ({rows['train_articles']} articles). The held-out part ({rows['held_out_articles']} articles,",
        f"{rows['held_out_gold_si_spans']} gold SI spans after merging, {rows['held_out_gold_tc_labels']} gold TC labels) was scored once, at the end.",
        "",
        "## Held-out scores (the task's definitions, `fogwatch.slant.scoring`)",
        "| measure | precision | recall | F1 |",
        "|---|---:|---:|---:|",
        f"| SI, the stage as it runs (body sentences only) | {body['si']['precision']} | {body['si']['recall']} | {body['si']['f1']} |",
        f"| SI, every sentence (title and comments too) | {every['si']['precision']} | {every['si']['recall']} | {every['si']['f1']} |",
        f"| TC micro-F1 over the gold spans | {every['tc']['precision']} | {every['tc']['recall']} | {every['tc']['f1']} |",
        "",
        f"Validation at the chosen biases: SI F1 {val['si']['f1']}, TC {val['tc']['f1']}.",
        "Published SemEval-2020 test-set results for comparison (another split): best SI 0.52, best TC 0.62; baselines 0.008 / 0.26.",
        f"The issue's SI target (0.40) is {'reached' if body['si']['f1'] >= 0.40 else 'not reached'} (the stage as it runs). The stage also runs the cue rules of `data/slant/rules.yaml` (not",
        "trained; they add spans where the tagger found none): `benchmarks/eval_slant.py` scores the stage as shipped",
        "(docs/benchmarks.md).",
        "",
        "## Command",
        f"`{meta['command']}` (about {meta['seconds']} s on a shared 2-core machine; `--validate` scores settings only).",
        "Needs the `[train]` extra (scikit-learn, python-crfsuite).",
        "",
        f"Licence of the artefact: Apache-2.0 like fogwatch, with the attribution above. SHA-256 of crf.npz: `{meta['crf_sha256']}`.",
        "",
    ]
    return "\n".join(lines)


def bias_of(labels, o_bias: float, long_bias: float) -> dict[str, float]:
    """The decision bias per label: ``o_bias`` on O, ``long_bias`` on the long kind's labels."""
    return {label: o_bias if label == "O" else long_bias if label.endswith("-L") else 0.0 for label in labels}


def with_bias(crf: LinearChainCRF, o_bias: float, long_bias: float = 0.0) -> LinearChainCRF:
    bias = bias_of(crf.labels, o_bias, long_bias)
    return LinearChainCRF(crf.labels, crf.attributes, crf.state, crf.transitions, np.array([bias[label] for label in crf.labels]))


def si_grid(tagger: SlantTagger, articles: list[Article], grid) -> dict[str, dict]:
    """SI (every sentence, model + cue rules, as ``evaluate`` scores it) for each (O bias, long bias) of ``grid``: the
    emissions are computed once, each bias only decodes again."""
    from fogwatch.slant.scoring import si_score
    from fogwatch.slant.tagger import bio_spans

    crf = tagger.crf
    done = [(a, *tagger.sentence_emissions(a.text, a.sentences)) for a in articles]
    out = {}
    for o_bias, long_bias in grid:
        bias = np.array([bias_of(crf.labels, o_bias, long_bias)[label] for label in crf.labels])
        predicted, gold = {}, {}
        for a, read, emissions, rules in done:
            spans = []
            for (_, ts), path in zip(read, crf.viterbi_many([e + bias for e in emissions])):
                spans.extend((ts[i].start, ts[j - 1].end) for i, j in bio_spans([crf.labels[k] for k in path]))
            spans.extend((r.start, r.end) for r in rules if not any(s < r.end and r.start < e for s, e in spans))
            predicted[a.article_id], gold[a.article_id] = spans, list(a.si)
        out[f"{o_bias}/{long_bias}"] = si_score(predicted, gold).as_dict()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--validate", action="store_true", help="only score settings on the validation part; write nothing")
    ap.add_argument("--c1", type=float, default=0.01)
    ap.add_argument("--c2", type=float, default=0.05)
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--head-c", type=float, default=1.0)
    ap.add_argument("--o-bias", type=float, default=None, help="decision bias on the O label (default: chosen on validation, with --long-bias)")
    ap.add_argument("--long-bias", type=float, default=0.0, help="decision bias on the long span kind's labels, with --o-bias")
    ap.add_argument("--card-only", action="store_true", help="rewrite card.md from meta.json; train nothing")
    ap.add_argument("--rescore", action="store_true", help="score the packaged model on the held-out part again (no choice is made) "
                    "and rewrite the scores in meta.json and card.md; train nothing")
    args = ap.parse_args()
    if args.rescore:
        from fogwatch.slant.tagger import load_slant_tagger

        meta = json.loads((OUT / "meta.json").read_text())
        held = [a for a in read_ptc(args.shared / "eval" / "ptc-train") if part_of(a.article_id) == "held-out"]
        tagger = load_slant_tagger(OUT)
        meta["scores"]["held_out_stage_body_only"] = evaluate(tagger, held, body_only=True)
        meta["scores"]["held_out_all_sentences"] = evaluate(tagger, held, body_only=False)
        (OUT / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
        (OUT / "card.md").write_text(card(meta))
        print(json.dumps(meta["scores"]["held_out_stage_body_only"]), json.dumps(meta["scores"]["held_out_all_sentences"]))
        return 0
    if args.card_only:
        (OUT / "card.md").write_text(card(json.loads((OUT / "meta.json").read_text())))
        return 0
    t0 = time.time()
    articles = read_ptc(args.shared / "eval" / "ptc-train")
    train = [a for a in articles if part_of(a.article_id) != "held-out"]
    fit_part = [a for a in train if part_of(a.article_id) == "train"]
    val = [a for a in train if part_of(a.article_id) == "validation"]
    held = [a for a in articles if part_of(a.article_id) == "held-out"]
    print(f"articles: {len(articles)} (train {len(fit_part)} + validation {len(val)}; held-out {len(held)})", file=sys.stderr)
    lexicon = default_cues()
    cues, rules, rule_cues = lexicon.index(), lexicon.rules, lexicon.rule_index()
    tmp = REPO / ".cache" / "train-slant"
    tmp.mkdir(parents=True, exist_ok=True)

    # 1. settings on the validation part
    crf = train_crf(fit_part, cues, args.c1, args.c2, args.iterations, tmp / "val.crfsuite")
    print(f"CRF (validation fit): {len(crf.attributes)} attributes, {time.time() - t0:.0f} s", file=sys.stderr)
    head = Head(args.head_c).fit(*head_rows(fit_part, cues)).as_ngram(tmp / "val-head")
    grid = [(args.o_bias, args.long_bias)] if args.o_bias is not None else [
        (o, lb) for o in (-0.3, -0.35, -0.4, -0.45, -0.5, -0.55) for lb in (-0.3, -0.2, -0.1, 0.0, 0.1)]
    scores_val = si_grid(SlantTagger(crf, head, cues, rules, rule_cues), val, grid)
    for key, res in scores_val.items():
        print(f"validation o_bias/long_bias={key}: SI {res}", file=sys.stderr)
    best_key = max(scores_val, key=lambda k: scores_val[k]["f1"])
    o_bias, long_bias = (float(x) for x in best_key.split("/"))
    tc_val = evaluate(SlantTagger(with_bias(crf, o_bias, long_bias), head, cues, rules, rule_cues), val, body_only=False)
    scores_val = {"si_by_bias": scores_val, "chosen": tc_val}
    if args.validate:
        return 0

    # 2. refit on the whole training part; score the held-out part once
    crf = train_crf(train, cues, args.c1, args.c2, args.iterations, tmp / "final.crfsuite")
    head_model = Head(args.head_c).fit(*head_rows(train, cues))
    head_model.write(OUT / "technique")
    from fogwatch.learn.ngram import load_model_folder

    # Scored as shipped: the CRF's weights rounded to float16 as crf.npz stores them.
    shipped = LinearChainCRF(crf.labels, crf.attributes, crf.state.astype(np.float16).astype(np.float64), crf.transitions.astype(np.float32).astype(np.float64))
    tagger = SlantTagger(with_bias(shipped, o_bias, long_bias), load_model_folder(OUT / "technique"), cues, rules, rule_cues)
    held_body = evaluate(tagger, held, body_only=True)
    held_all = evaluate(tagger, held, body_only=False)
    settings = {"c1": args.c1, "c2": args.c2, "iterations": args.iterations, "head_C": args.head_c, "o_bias": o_bias, "long_bias": long_bias}
    meta = {
        "settings": settings,
        "rows": {"train_articles": len(train), "held_out_articles": len(held), "held_out_gold_si_spans": held_all["si"]["n_gold"], "held_out_gold_tc_labels": held_all["tc"]["n_gold"]},
        "scores": {"validation": {str(k): v for k, v in scores_val.items()}, "held_out_stage_body_only": held_body, "held_out_all_sentences": held_all},
        "command": "nice python scripts/train_slant.py",
        "seconds": round(time.time() - t0),
    }
    write_crf(crf, OUT, bias_of(crf.labels, o_bias, long_bias), meta)
    print(json.dumps(meta["scores"]["held_out_stage_body_only"]), json.dumps(meta["scores"]["held_out_all_sentences"]))
    print(f"done in {time.time() - t0:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
