"""Shared fixtures: where ../shared is, and a runner for the real `fogwatch` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
FOGWATCH = Path(sys.executable).with_name("fogwatch")


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared, the data beside the repository; its absence is a failure, never a skip."""
    if not (SHARED / "CONTRACT.md").exists():
        pytest.fail(f"missing {SHARED}: tests expect ../shared beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def run_cli():
    """Run the installed `fogwatch` entry point as a user would, capturing both streams."""

    def run(*args: str, stdin: bytes | None = None, timeout: float = 300, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        full_env = {**os.environ, "COLUMNS": "160", **(env or {})}
        return subprocess.run([str(FOGWATCH), *args], input=stdin, capture_output=True, timeout=timeout, env=full_env, cwd=REPO)

    return run
