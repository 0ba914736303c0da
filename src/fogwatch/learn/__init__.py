"""Trained components: small artefacts under ``fogwatch/models/``, loaded offline with numpy only.

Training lives in ``scripts/train_*.py`` (the ``[train]`` extra); inference here needs no
scikit-learn and no torch. A missing or corrupt artefact raises
:class:`fogwatch.errors.ModelError` (E701/E702) and the callers fall back to the rules.
"""

from __future__ import annotations

from fogwatch.learn.ngram import NgramModel, load_ngram_model, models_dir

__all__ = ["NgramModel", "load_ngram_model", "models_dir"]
