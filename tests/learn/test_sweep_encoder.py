"""scripts/sweep_event_encoder.py: the encoder's recipe sweep scores folds as the project's scorer does and starts
from the recipe that ships (its `run` needs torch and a GPU to be quick; these checks need neither)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from fogwatch.events.evaluation import NONE_LABEL, score_labels
from fogwatch.events.taxonomy import SUB_EVENT_TYPES
from fogwatch.learn.ngram import models_dir

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def _sweep():
    sys.path.insert(0, str(SCRIPTS))
    try:
        import sweep_event_encoder
    finally:
        sys.path.remove(str(SCRIPTS))
    return sweep_event_encoder


def test_fold_score_is_the_project_weighted_f1():
    sweep = _sweep()
    classes = (NONE_LABEL, *sorted(SUB_EVENT_TYPES))
    rng = np.random.default_rng(0)
    for _ in range(5):
        gold = rng.integers(0, len(classes), 300)
        pred = np.where(rng.random(300) < 0.6, gold, rng.integers(0, len(classes), 300))
        pred[:20] = 0  # no event predicted: an error for every ACLED class
        want = score_labels([classes[i] for i in gold], [classes[i] for i in pred]).weighted_f1
        assert abs(sweep.weighted_f1(gold, pred, len(classes)) - want) < 1e-12


def test_grid_starts_from_the_shipped_recipe_and_has_no_duplicates():
    sweep = _sweep()
    shipped = json.loads((models_dir() / "event_encoder" / "meta.json").read_text())["settings"]
    first = sweep.GRID[0]
    assert {k: first[k] for k in ("cap", "case-repeat", "lr", "epochs")} == {k: shipped[k] for k in ("cap", "case-repeat", "lr", "epochs")}
    assert first["batch"] == 16  # train_event_encoder.train's batch
    assert len({json.dumps(r, sort_keys=True) for r in sweep.GRID}) == len(sweep.GRID)
