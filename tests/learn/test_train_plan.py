"""scripts/train_models.py: one command rebuilds every committed artefact."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fogwatch.learn.ngram import models_dir

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "train_models.py"


def _plan():
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import train_models
    finally:
        sys.path.remove(str(SCRIPT.parent))
    return train_models


def test_every_model_folder_has_a_step_that_rebuilds_it():
    plan = _plan()
    folders = {p.name for p in models_dir().iterdir() if p.is_dir() and not p.name.startswith(("_", "."))}
    assert folders == set(plan.REBUILDS), "a model folder without a rebuild step in scripts/train_models.py (or a stale entry)"
    steps = {name for name, _ in plan.steps(3, cross_country=False)}
    assert set(plan.REBUILDS.values()) <= steps
    for folder in folders:
        assert "scripts/" in (models_dir() / folder / "card.md").read_text(), f"{folder}'s data card names no rebuild command"


def test_an_unknown_step_is_a_usage_error():
    run = subprocess.run([sys.executable, str(SCRIPT), "--only", "no_such_step"], capture_output=True, text=True)
    assert run.returncode == 2 and "no_such_step" in run.stderr and "event_types" in run.stderr
