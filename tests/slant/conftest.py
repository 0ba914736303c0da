"""Fixtures of the slant tests: a tiny contextual artefact (see :mod:`tiny_contextual`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .tiny_contextual import build_contextual_artefact


@pytest.fixture(scope="session")
def contextual_dir(tmp_path_factory) -> Path:
    """The folder of a tiny contextual artefact (built once per test session)."""
    return build_contextual_artefact(tmp_path_factory.mktemp("contextual") / "slant_encoder")
