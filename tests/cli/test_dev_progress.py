"""`./dev`'s install step reports progress with counts (issue 15: the first `./dev demo` was silent for 15 s)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# pip's output lines as pip 24-25 prints them (package names are examples, written for this test)
PIP_OUTPUT = "\n".join(
    ["Obtaining file:///work/fogwatch"]
    + [f"Collecting pkg{i}==1.{i} (from fogwatch==0.1)" for i in range(41)]
    + ["  Downloading pkg1-1.1-py3-none-any.whl (10 kB)", "  Using cached pkg2-1.2-py3-none-any.whl (3 kB)",
       "Requirement already satisfied: setuptools in ./.venv/lib/python3.11/site-packages (from fogwatch==0.1) (75.0)",
       "Installing collected packages: " + ", ".join(f"pkg{i}" for i in range(41)) + ", fogwatch",
       "WARNING: the script fogwatch is installed in '/x/bin' which is not on PATH.",
       "Successfully installed fogwatch-0.1 " + " ".join(f"pkg{i}-1.{i}" for i in range(41))]
)


def _pip_progress(stdin: str) -> subprocess.CompletedProcess:
    dev = (REPO / "dev").read_text(encoding="utf-8")
    body = re.search(r"^pip_progress\(\) \{\n.*?^\}\n", dev, re.S | re.M)
    assert body, "dev defines pip_progress"
    script = body.group(0) + "pip_progress\n"
    return subprocess.run(["bash", "-c", script], input=stdin, capture_output=True, text=True, timeout=60)


def test_the_install_step_counts_what_pip_resolves_and_installs():
    proc = _pip_progress(PIP_OUTPUT)
    assert proc.returncode == 0 and proc.stdout == ""  # stderr only: stdout stays the command's
    lines = proc.stderr.splitlines()
    assert "dev:   resolving dependencies: 20 packages so far" in lines  # not on a terminal: every 20 packages
    assert "dev:   resolved 43 packages (1 downloaded); installing 42 of them (pip prints nothing until it is done) ..." in lines
    assert "dev:   installed 42/42 packages" in lines
    assert any(line.startswith("WARNING: the script fogwatch") for line in lines)  # warnings pass through whole
    assert not any("Using cached" in line or "Collecting" in line for line in lines)


def test_the_setup_step_names_its_steps():
    dev = (REPO / "dev").read_text(encoding="utf-8")
    assert "dev: [1/2] upgrading pip" in dev and "dev: [2/2] installing fogwatch" in dev
    assert "| pip_progress" in dev and "set -euo pipefail" in dev  # pip's failure still stops ./dev
