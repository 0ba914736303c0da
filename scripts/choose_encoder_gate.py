#!/usr/bin/env python
"""Choose the typer's encoder gate on ACLED notes no model saw, and write it into the encoder's meta.json.

    python scripts/choose_encoder_gate.py --jobs 2            # about 20 minutes on 2 cores; prints the grid, writes blend.encoder_gate
    python scripts/choose_encoder_gate.py --jobs 2 --dry-run  # the grid only

In running text (``EventTyper.retype``) the fine-tuned encoder costs about 5 CPU ms a clause, a third of
``fogwatch extract``'s time over FA-KES. The gate makes the two typing models a cascade: the encoder reads an
event clause only where the n-gram model gives some type the rules' type may become (``may_become``) at
least the gate's probability; elsewhere the rules' type stands as it does when the encoder is skipped for
other reasons. The gate is chosen where the change bar was (``scripts/choose_retype_bar.py``, run first): the
same unseen tune-part ACLED notes, the whole default pipeline once per gate, the first event's sub-event type
against ACLED's, the mean of the three countries' accuracies. Chosen: the highest gate that loses nothing
against gate 0 (the encoder on every clause it could change). The held-out notes are not read.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "scripts"))

GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25)


def score_gate(gate: float, per_file: int) -> dict:
    """Accuracy, encoder reads and CPU seconds of the default pipeline with ``gate`` over the unseen notes."""
    import fogwatch
    from choose_retype_bar import running_text_accuracy, unseen_notes
    from fogwatch.learn.encoder import EncoderModel

    notes, per = unseen_notes(per_file)
    reads = Counter[str]()
    batch = EncoderModel.predict_proba_batch

    def counted(self: EncoderModel, texts: list[str]):  # the encoder's reads (the typer's cache misses)
        reads["texts"] += len(texts)
        return batch(self, texts)

    EncoderModel.predict_proba_batch = counted  # type: ignore[method-assign]
    nlp = fogwatch.load(config={"events": {"encoder_gate": gate}})
    t0 = time.process_time()
    mean, by_file = running_text_accuracy(nlp, notes, per)
    return {"gate": gate, "mean_accuracy": mean, "by_file": by_file, "encoder_reads": reads["texts"],
            "cpu_s": round(time.process_time() - t0, 1), "notes": dict(per)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-file", type=int, default=1000, help="unseen tune notes per country (the first in file order)")
    ap.add_argument("--meta", type=Path, default=REPO / "src" / "fogwatch" / "models" / "event_encoder" / "meta.json")
    ap.add_argument("--jobs", type=int, default=1, help="gates scored at once, one process each")
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args()

    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(score_gate, GRID, [args.per_file] * len(GRID)))
    grid = {r["gate"]: r for r in results}
    print(f"unseen tune notes: {results[0]['notes']}")
    for r in results:
        print(f"  gate {r['gate']}: mean accuracy {r['mean_accuracy']} {r['by_file']}, encoder reads {r['encoder_reads']}, {r['cpu_s']} CPU s")
    floor = grid[0.0]["mean_accuracy"]
    best = max(g for g in GRID if grid[g]["mean_accuracy"] >= floor)
    print(f"chosen: {best} (mean accuracy {grid[best]['mean_accuracy']}, gate 0: {floor})")
    if not args.dry_run:
        meta = json.loads(args.meta.read_text())
        meta["blend"]["encoder_gate"] = best
        meta.setdefault("scores", {})["encoder_gate"] = {
            "notes": results[0]["notes"],
            "grid": {str(r["gate"]): {k: r[k] for k in ("mean_accuracy", "by_file", "encoder_reads")} for r in results},
            "command": "python scripts/choose_encoder_gate.py --jobs 2",
        }
        step = "python scripts/choose_encoder_gate.py --jobs 2"
        if "command" in meta and step not in meta["command"]:  # the card's rebuild recipe names this step too
            meta["command"] += " && " + step
        args.meta.write_text(json.dumps(meta, indent=1) + "\n")
        if "case_held_out" in meta.get("scores", {}):  # the card of a shipped artefact shows the grid
            from train_event_encoder import card

            (args.meta.parent / "card.md").write_text(card(meta))
        print(f"wrote blend.encoder_gate {best} into {args.meta}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
