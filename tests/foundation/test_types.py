"""The package type-checks: mypy over src/fogwatch finds nothing (issue 9 item 6, issue 15).

One mypy run, configured by ``[tool.mypy]`` in pyproject.toml (the files, the untyped
third-party packages); its cache in ``.mypy_cache/`` keeps a rerun to a second or two.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_mypy_finds_no_errors() -> None:
    assert importlib.util.find_spec("mypy") is not None, "mypy is not installed: pip install -e '.[test]'"
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, f"mypy found type errors (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}"
