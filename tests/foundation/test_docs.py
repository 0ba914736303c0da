"""Docs are checked by tests: the README's commands, CI's call, the documented error codes."""

from __future__ import annotations

import re
from pathlib import Path

from fogwatch.errors import Code

REPO = Path(__file__).resolve().parents[2]


def _readme_commands():
    readme = (REPO / "README.md").read_text()
    block = readme.split("## Quickstart", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].strip() for line in block.strip().splitlines()]


def test_readme_quickstart_has_two_self_installing_commands():
    demo, test = _readme_commands()
    assert (demo, test) == ("./dev demo", "./dev test")
    dev = (REPO / "dev").read_text()
    assert "python3" in dev and "-m venv .venv" in dev and "pip install" in dev


def test_ci_calls_the_readme_test_command_unchanged():
    _, test = _readme_commands()
    ci_lines = [line.strip() for line in (REPO / ".ci/run").read_text().splitlines()]
    assert test in ci_lines
    # .ci/run only calls it: no package installs of its own, so a fresh machine running
    # `./dev test` by hand gets exactly what CI gets
    code = [line for line in ci_lines if line and not line.startswith("#")]
    assert not any("apt-get" in line or "pip " in line for line in code), code


def test_dev_test_installs_the_system_packages_its_tests_need():
    dev = (REPO / "dev").read_text()
    test_line = next(line for line in dev.splitlines() if line.strip().startswith("test)"))
    assert "sysdeps" in test_line
    assert "apt-get install" in dev and "postgis" in dev


def test_every_error_code_is_documented():
    docs = "\n".join(p.read_text() for p in (REPO / "docs").glob("*.md"))
    documented = set(re.findall(r"\|\s*(E\d{3})\s*\|", docs))
    missing = sorted(c.value for c in Code if c.value not in documented)
    assert not missing, f"error codes without a row in a docs/*.md table: {missing}"


def test_benchmarks_doc_gives_the_commands_that_reproduce_it():
    text = (REPO / "docs/benchmarks.md").read_text()
    assert "benchmarks/bench_foundation.py" in text
    assert re.search(r"\d+(\.\d+)?\s*MB/s", text)
