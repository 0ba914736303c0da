#!/usr/bin/env python
"""Rebuild every trained artefact under src/fogwatch/models from ../shared in one command.

    pip install -e '.[train]'          # torch==2.13.0: the CPU build
    python scripts/train_models.py     # every step below, in order (about an hour on 2 free cores)
    python scripts/train_models.py --only slant actor_kinds

Steps (each script's docstring says what it reads, how it splits and what it scores):

1. ``event_types``: ``scripts/train_event_types.py``, models/event_types (n-gram model; a few minutes).
2. ``encoder_val``: ``scripts/train_event_encoder.py --mode val``: fine-tunes MiniLM without the validation fold of
   the CASE tune rows, exports each epoch (about 5 minutes an epoch on 2 free cores).
3. ``encoder_ship``: ``scripts/train_event_encoder.py --mode ship --refit``: picks the epoch and the encoder's weight
   on the validation fold and the rules' threshold on unseen ACLED notes, trains again on every tune row, writes
   models/event_encoder (graph, tokenizer, meta.json, card.md) and scores the CASE held-out quarter once.
4. ``retype_bar``: ``scripts/choose_retype_bar.py``: the running-text change bar, on ACLED notes no model saw.
   ``encoder_gate``: ``scripts/choose_encoder_gate.py``: then the n-gram probability a clause needs before the
   encoder reads it, on the same notes (the highest gate that loses nothing there).
5. ``actor_kinds``: ``scripts/train_actor_kinds.py``, models/actor_kinds (ACLED's naming conventions).
6. ``slant``: ``scripts/train_slant.py``, models/slant (PTC span tagger and technique head).
7. ``slant_static``: ``scripts/train_slant_static.py``, models/slant_static (the BiLSTM over static word vectors that
   tags beside the CRF; its choices use a CRF trained on the train articles alone; about 15 minutes).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
# every folder under src/fogwatch/models and the step that rebuilds it (tests/learn/test_train_plan.py checks the list)
REBUILDS = {"event_types": "event_types", "event_encoder": "encoder_ship", "actor_kinds": "actor_kinds", "slant": "slant",
            "slant_static": "slant_static"}


def steps(epochs: int, cross_country: bool) -> list[tuple[str, list[str]]]:
    py = sys.executable
    out = [
        ("event_types", [py, str(SCRIPTS / "train_event_types.py")]),
        ("encoder_val", [py, str(SCRIPTS / "train_event_encoder.py"), "--mode", "val", "--epochs", str(epochs)]),
    ]
    if cross_country:
        out.append(("encoder_cross_country", [py, str(SCRIPTS / "train_event_encoder.py"), "--mode", "cross-country", "--epochs", "3",
                                              "--cap", "100", "--max-len", "64", "--work", "build/encoder_cc"]))
    out += [
        ("encoder_ship", [py, str(SCRIPTS / "train_event_encoder.py"), "--mode", "ship", "--refit"]),
        ("retype_bar", [py, str(SCRIPTS / "choose_retype_bar.py")]),
        ("encoder_gate", [py, str(SCRIPTS / "choose_encoder_gate.py"), "--jobs", "2"]),
        ("actor_kinds", [py, str(SCRIPTS / "train_actor_kinds.py")]),
        ("slant", [py, str(SCRIPTS / "train_slant.py")]),
        ("slant_static", [py, str(SCRIPTS / "train_slant_static.py")]),
    ]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=3, help="the encoder's validation run")
    ap.add_argument("--cross-country", action="store_true", help="also the encoder's train-on-two-countries runs (three more fine-tunings)")
    ap.add_argument("--only", nargs="+", default=None, help="run these steps only (names above)")
    args = ap.parse_args()
    plan = steps(args.epochs, args.cross_country)
    names = [n for n, _ in plan]
    if args.only and set(args.only) - set(names):
        ap.error(f"unknown step(s) {sorted(set(args.only) - set(names))}; the steps: {', '.join(names)}")
    for name, cmd in plan:
        if args.only and name not in args.only:
            continue
        print(f"+ [{name}]", " ".join(cmd[1:]), flush=True)
        subprocess.run(cmd, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
