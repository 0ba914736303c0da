#!/usr/bin/env python
"""Rebuild every sub-event typing artefact from ../shared in one command (issue 9).

    pip install -e '.[train]'          # torch==2.13.0: the CPU build
    python scripts/train_models.py     # n-gram model, then the encoder's validation run and its shipping step

1. ``scripts/train_event_types.py``: models/event_types (n-gram model; about a minute on 2 free cores).
2. ``scripts/train_event_encoder.py --mode val``: fine-tunes MiniLM without the validation fold, exports each epoch
   (about 3 minutes an epoch on 2 free cores; 55 on a shared, loaded machine).
3. ``scripts/train_event_encoder.py --mode ship --epoch N``: picks the blend on the validation fold, writes
   models/event_encoder (graph, tokenizer, meta.json, card.md) and scores the CASE held-out quarter once.
   The shipped artefact is epoch 1 (``--ship-epoch``, the run that built it stopped there); 0 picks the best epoch.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ship-epoch", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--cross-country", action="store_true", help="also the encoder's train-on-two-countries runs (three more fine-tunings)")
    args = ap.parse_args()
    steps = [
        [sys.executable, str(SCRIPTS / "train_event_types.py")],
        [sys.executable, str(SCRIPTS / "train_event_encoder.py"), "--mode", "val", "--epochs", str(args.epochs)],
    ]
    if args.cross_country:
        steps.append([sys.executable, str(SCRIPTS / "train_event_encoder.py"), "--mode", "cross-country", "--epochs", "3", "--cap", "100", "--max-len", "64", "--work", "build/encoder_cc"])
    steps.append([sys.executable, str(SCRIPTS / "train_event_encoder.py"), "--mode", "ship", "--epoch", str(args.ship_epoch)])
    for cmd in steps:
        print("+", " ".join(cmd[1:]), flush=True)
        subprocess.run(cmd, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
