#!/usr/bin/env python
"""Choose the event encoder's training recipe by 5-fold cross-validation over the CASE tune rows; train what ships.

    python scripts/sweep_event_encoder.py pack                      # [train] extra and ../shared: writes build/sweep/
    python scripts/sweep_event_encoder.py run --out build/sweep/out # torch + transformers; CUDA when there is one
    python scripts/train_event_encoder.py --mode ship --sweep build/sweep/out   # the artefact from the run's choice

Why: the encoder's recipe (ACLED notes per class, how often the CASE tune rows repeat, learning rate, epochs) was
chosen on 76 validation rows (tune fold 0), too few to tell recipes apart. Here every one of the 377 tune rows is
scored once by a network that never trained on it (five folds, ``tune[k::5]``, the n-gram model's CV folds), for
every recipe of :data:`GRID` and every epoch; the recipe and epoch with the best cross-validated weighted F1 of the
learned side (encoder and n-gram model averaged, as the typer does; no rules: they were written on these rows) is
trained again on every tune row, and that network ships. The CASE held-out quarter is never read here.

``pack`` writes everything ``run`` needs and nothing that needs fogwatch or ../shared, so that ``run`` can go to a
machine with a GPU that cannot read ../shared: the texts as WordPiece ids (no text), the ACLED samples in
``train_event_types.balanced``'s per-class order (cap c = the first c of each class), the n-gram model's five-fold
probabilities on the tune rows, and the base weights: all-MiniLM-L6-v2 in fp16, the word-embedding rows that the
texts use in int8 per row (the word embeddings are frozen in training; the shipped graph has the genuine rows).
``run`` prints and writes ``results.json`` (the grid), ``cv_proba.npz`` (every recipe's out-of-fold probabilities)
and the trained network's weights in shards of at most 14 MB (``refit_*.npz``, fp16; no word embeddings).
On a 2-core CPU ``run`` takes many hours (``--grid baseline`` trains one recipe); on an H200 a few minutes.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
NO_EVENT = "(none)"
FOLDS = 5
MAX_LEN = 96
WORD = "encoder.embeddings.word_embeddings.weight"
# The recipes tried, fixed before any was run: ACLED notes per class, CASE tune repeats, learning rate, epochs of the
# schedule (each epoch is scored), batch size. The first is the recipe that shipped before the sweep (batch 16, its
# own 3-epoch schedule). The choice: the best cross-validated weighted F1 of the encoder alone (the n-gram model's
# five-fold figure is flattered: its features include the rules, written looking at these rows).
GRID: tuple[dict, ...] = (
    {"cap": 120, "case-repeat": 3, "lr": 8e-5, "epochs": 3, "batch": 16},
    *(
        {"cap": cap, "case-repeat": rep, "lr": lr, "epochs": 6, "batch": 32}
        for cap in (120, 400, 1000)
        for rep in (3, 8)
        for lr in (5e-5, 1e-4)
    ),
)


# ----------------------------------------------------------------------------------------------- pack (here) --


def pack(args) -> None:
    sys.path.insert(0, str(REPO / "src"))
    sys.path.insert(0, str(REPO / "scripts"))
    from safetensors.numpy import load_file

    from _minilm import base_model_dir, tokenizer
    from train_event_encoder import CLASSES, first_sentences, ngram_cv
    from train_event_types import balanced, case_rows, read_acled

    out = args.data
    out.mkdir(parents=True, exist_ok=True)
    tok = tokenizer(MAX_LEN)
    tok.no_padding()
    col = {c: i for i, c in enumerate(CLASSES)}
    acled = read_acled(args.shared)
    order = balanced(acled, 10**9)  # every tune note, per class in the fixed shuffled order: cap c = first c of a class
    rank, seen = [], {}
    for _, label in order:
        rank.append(seen.get(label, 0))
        seen[label] = rank[-1] + 1
    tune, _ = case_rows(args.shared)

    def ragged(texts):
        ids = [e.ids for e in tok.encode_batch(texts)]
        return np.concatenate([np.asarray(i, dtype=np.int32) for i in ids]), np.cumsum([0] + [len(i) for i in ids]).astype(np.int64)

    a_ids, a_off = ragged([first_sentences(t) for t, _ in order])
    c_ids, c_off = ragged([t for t, _ in tune])
    print(f"pack: {len(order)} ACLED notes, {len(tune)} CASE tune rows; n-gram model's five folds ...", flush=True)
    p_ng = ngram_cv(acled, tune)
    np.savez_compressed(
        out / "samples.npz",
        classes=np.asarray(CLASSES),
        acled_ids=a_ids, acled_off=a_off, acled_y=np.asarray([col[g] for _, g in order], dtype=np.int16), acled_rank=np.asarray(rank, dtype=np.int32),
        case_ids=c_ids, case_off=c_off, case_y=np.asarray([col[g] for _, g in tune], dtype=np.int16),
        case_fold=np.asarray([i % FOLDS for i in range(len(tune))], dtype=np.int8),
        ngram_cv=p_ng.astype(np.float32),
    )
    base = load_file(str(base_model_dir() / "model.safetensors"))
    used = np.unique(np.concatenate([a_ids, c_ids]))
    rows = base["embeddings.word_embeddings.weight"][used]
    scale = np.abs(rows).max(1, keepdims=True) / 127.0
    weights = {f"encoder.{k}": v.astype(np.float16) for k, v in base.items() if k != "embeddings.word_embeddings.weight" and v.dtype == np.float32}
    np.savez(out / "base.npz", word_ids=used.astype(np.int32), word_q=np.round(rows / scale).astype(np.int8), word_scale=scale.astype(np.float32),
             vocab=np.asarray(base["embeddings.word_embeddings.weight"].shape[0]), **weights)
    (out / "config.json").write_text((base_model_dir() / "config.json").read_text())
    size = sum(f.stat().st_size for f in out.iterdir() if f.is_file())
    print(f"pack: {len(used)} word-embedding rows used; {size / 1e6:.1f} MB in {out}", flush=True)


# ------------------------------------------------------------------------------- run (any machine with torch) --

_STATE: dict = {}


def weighted_f1(gold: np.ndarray, pred: np.ndarray, n_classes: int) -> float:
    """fogwatch.events.evaluation.score_labels' weighted F1 over the 25 ACLED classes (class 0, no event, is not one)."""
    total, support_all = 0.0, 0
    for c in range(1, n_classes):
        tp = int(((gold == c) & (pred == c)).sum())
        fp = int(((gold != c) & (pred == c)).sum())
        support = int((gold == c).sum())
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / support if support else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        total += f1 * support
        support_all += support
    return total / support_all if support_all else 0.0


def _load(data: Path) -> dict:
    if not _STATE:
        s = np.load(data / "samples.npz")
        _STATE.update({k: s[k] for k in s.files})
        b = np.load(data / "base.npz")
        _STATE["base"] = {k: b[k] for k in b.files}
        _STATE["config"] = json.loads((data / "config.json").read_text())
    return _STATE


def _texts(ids: np.ndarray, off: np.ndarray, idx) -> list[np.ndarray]:
    return [ids[off[i] : off[i + 1]] for i in idx]


def _model(torch, st: dict):
    from transformers import BertConfig, BertModel

    class Classifier(torch.nn.Module):  # train_event_encoder.build's network, from packed weights
        def __init__(self) -> None:
            super().__init__()
            self.encoder = BertModel(BertConfig.from_dict(st["config"]))
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(st["classes"]))

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return self.head(self.dropout(pooled))

    model = Classifier()
    base = st["base"]
    state = model.state_dict()
    for k, v in base.items():
        if k.startswith("encoder."):
            state[k] = torch.from_numpy(v.astype(np.float32))
    word = np.zeros((int(base["vocab"]), state[WORD].shape[1]), dtype=np.float32)
    word[base["word_ids"]] = base["word_q"].astype(np.float32) * base["word_scale"]
    state[WORD] = torch.from_numpy(word)
    missing = [k for k in model.state_dict() if k != WORD and not k.startswith("head.") and k not in base and "position_ids" not in k]
    if missing:
        raise SystemExit(f"packed weights lack {missing[:5]}")
    model.load_state_dict(state)
    model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    return model


def _batch(torch, seqs: list[np.ndarray], device):
    n = max(len(s) for s in seqs)
    ids = np.zeros((len(seqs), n), dtype=np.int64)
    mask = np.zeros((len(seqs), n), dtype=np.int64)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = s
        mask[i, : len(s)] = 1
    return torch.from_numpy(ids).to(device), torch.from_numpy(mask).to(device)


def _predict(torch, model, seqs, device) -> np.ndarray:
    model.eval()
    out = np.zeros((len(seqs), model.head.out_features), dtype=np.float32)
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    with torch.no_grad(), torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
        for s in range(0, len(order), 128):
            idx = order[s : s + 128]
            logits = model(*_batch(torch, [seqs[i] for i in idx], device)).float()
            out[idx] = torch.softmax(logits, -1).cpu().numpy()
    return out


def train_job(job: dict) -> dict:
    """One network: recipe ``job['recipe']``; CV fold ``job['fold']`` left out (its probabilities after every epoch)
    or, with fold None, every tune row in and the weights after ``job['stop']`` epochs."""
    import torch

    st = _load(Path(job["data"]))
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device.type == "cpu":
        torch.set_num_threads(job.get("threads", 2))
    torch.backends.cuda.matmul.allow_tf32 = True
    r, fold, seed = job["recipe"], job["fold"], job.get("seed", 0)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    a_idx = np.flatnonzero(st["acled_rank"] < r["cap"])
    c_in = np.flatnonzero(st["case_fold"] != fold) if fold is not None else np.arange(len(st["case_y"]))
    seqs = _texts(st["acled_ids"], st["acled_off"], a_idx) + _texts(st["case_ids"], st["case_off"], c_in) * r["case-repeat"]
    ys = list(st["acled_y"][a_idx]) + list(st["case_y"][c_in]) * r["case-repeat"]
    samples = list(zip(seqs, [int(y) for y in ys]))
    held_idx = np.flatnonzero(st["case_fold"] == fold) if fold is not None else np.zeros(0, dtype=int)
    held = _texts(st["case_ids"], st["case_off"], held_idx)
    model = _model(torch, st).to(device)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=r["lr"], weight_decay=0.01, **({"fused": True} if device.type == "cuda" else {}))
    batch = r["batch"]
    steps = r["epochs"] * ((len(samples) + batch - 1) // batch)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / (0.06 * steps)) * max(0.0, (steps - s) / steps))
    stop = job.get("stop") or r["epochs"]
    by_epoch, t0 = {}, time.time()
    for epoch in range(1, stop + 1):
        model.train()
        rng.shuffle(samples)
        for s in range(0, len(samples), batch):
            chunk = samples[s : s + batch]
            ids, mask = _batch(torch, [t for t, _ in chunk], device)
            y = torch.tensor([g for _, g in chunk], device=device)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
                logits = model(ids, mask)
            loss = torch.nn.functional.cross_entropy(logits.float(), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
        if held:
            by_epoch[epoch] = _predict(torch, model, held, device)
    out = {"recipe": r, "fold": fold, "rows": held_idx, "by_epoch": by_epoch, "samples": len(samples), "seconds": round(time.time() - t0, 1)}
    if fold is None:
        out["weights"] = {k: v.detach().float().cpu().numpy().astype(np.float16) for k, v in model.state_dict().items() if k != WORD and "position_ids" not in k}
    return out


def _pool(workers: int, jobs: list[dict], deadline: float):
    """The jobs' results as they finish; none is started (on one worker) or awaited after ``deadline``."""
    if workers <= 1:
        for job in jobs:
            if time.time() > deadline:
                return
            yield train_job(job)
        return
    import multiprocessing

    pool = multiprocessing.get_context("spawn").Pool(workers)
    it = pool.imap_unordered(train_job, jobs)
    try:
        for _ in jobs:
            try:
                yield it.next(timeout=max(1.0, deadline - time.time()))
            except multiprocessing.TimeoutError:
                print("  deadline reached: the recipes still training are left out", flush=True)
                return
    finally:
        pool.terminate()


def run(args) -> None:
    import torch

    st = _load(args.data)
    cuda = torch.cuda.is_available()
    workers = args.workers or (8 if cuda else 1)
    grid = {"all": GRID, "baseline": GRID[:1], "smoke": ({"cap": 2, "case-repeat": 1, "lr": 1e-4, "epochs": 2, "batch": 32},)}[args.grid]
    torch.backends.cuda.matmul.allow_tf32 = True
    gold, p_ng = st["case_y"].astype(int), st["ngram_cv"]
    n_cls = len(st["classes"])
    args.out.mkdir(parents=True, exist_ok=True)
    device = torch.cuda.get_device_name(0) if cuda else f"cpu ({torch.get_num_threads()} threads)"
    print(f"run: {len(grid)} recipes x {FOLDS} folds on {device}, {workers} workers", flush=True)
    t0 = time.time()
    jobs = [{"data": str(args.data), "recipe": r, "fold": k, "threads": args.threads} for r in grid for k in range(FOLDS)]
    proba: dict[tuple[int, int], np.ndarray] = {}
    folds_done: dict[int, int] = {}
    for res in _pool(workers, jobs, t0 + args.budget_s):
        i = grid.index(res["recipe"])
        folds_done[i] = folds_done.get(i, 0) + 1
        for e, p in res["by_epoch"].items():
            proba.setdefault((i, e), np.zeros((len(gold), n_cls), dtype=np.float32))[res["rows"]] = p
        print(f"  recipe {i} fold {res['fold']}: {res['samples']} samples, {res['seconds']} s ({time.time() - t0:.0f} s)", flush=True)
    table = []
    for (i, e), p in sorted(proba.items()):
        if folds_done[i] < FOLDS:
            continue
        enc = weighted_f1(gold, p.argmax(1), n_cls)
        blend = weighted_f1(gold, (0.5 * p + 0.5 * p_ng).argmax(1), n_cls)
        table.append({"recipe": i, **grid[i], "epoch": e, "encoder_alone": round(enc, 4), "blend": round(blend, 4)})
        print(f"  recipe {i} {grid[i]} epoch {e}: encoder alone {enc:.4f}, with the n-gram model {blend:.4f}", flush=True)
    if not table:
        raise SystemExit(f"no recipe finished its {FOLDS} folds within --budget-s {args.budget_s}")
    best = max(table, key=lambda row: (row["encoder_alone"], row["blend"], -row["epoch"]))
    ngram_alone = round(weighted_f1(gold, p_ng.argmax(1), n_cls), 4)
    print(f"choice: recipe {best['recipe']} {grid[best['recipe']]} epoch {best['epoch']} (blend {best['blend']}, encoder alone "
          f"{best['encoder_alone']}; n-gram model alone {ngram_alone}) ({time.time() - t0:.0f} s)", flush=True)
    np.savez_compressed(args.out / "cv_proba.npz", **{f"r{i}_e{e}": p.astype(np.float16) for (i, e), p in proba.items() if folds_done[i] == FOLDS})
    results = {"device": device, "recipes_finished": sorted(i for i, n in folds_done.items() if n == FOLDS), "folds": FOLDS, "rows": len(gold), "grid": [dict(r) for r in grid], "table": table,
               "ngram_alone": ngram_alone, "choice": best, "cv_seconds": round(time.time() - t0)}
    (args.out / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    if args.no_refit:
        return
    refit = train_job({"data": str(args.data), "recipe": grid[best["recipe"]], "fold": None, "stop": best["epoch"], "threads": args.threads})
    shard: dict[str, np.ndarray] = {}
    n = 0
    for k, v in refit["weights"].items():
        if shard and sum(x.nbytes for x in shard.values()) + v.nbytes > 14e6:
            np.savez(args.out / f"refit_{n}.npz", **shard)
            shard, n = {}, n + 1
        shard[k] = v
    np.savez(args.out / f"refit_{n}.npz", **shard)
    results["refit"] = {"samples": refit["samples"], "seconds": refit["seconds"], "shards": n + 1}
    (args.out / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    print(f"refit: {refit['samples']} samples, {refit['seconds']} s; {n + 1} shards in {args.out} ({time.time() - t0:.0f} s)", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=("pack", "run"))
    ap.add_argument("--data", type=Path, default=REPO / "build" / "sweep", help="pack's folder (written by pack, read by run)")
    ap.add_argument("--out", type=Path, default=REPO / "build" / "sweep" / "out", help="run's results and weights")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--grid", choices=("all", "baseline", "smoke"), default="all", help="run: every recipe of GRID, the first only, or a tiny check")
    ap.add_argument("--budget-s", type=float, default=1e9, help="run: seconds for the grid; recipes unfinished then are left out")
    ap.add_argument("--workers", type=int, default=0, help="run: networks trained at once (0: 8 on a GPU, 1 on a CPU)")
    ap.add_argument("--threads", type=int, default=2, help="run on a CPU: torch threads")
    ap.add_argument("--no-refit", action="store_true", help="run: the grid only")
    args = ap.parse_args()
    pack(args) if args.step == "pack" else run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
