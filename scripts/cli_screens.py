"""Regenerate the captured terminal output in docs/cli.md ("screenshots as text").

    .venv/bin/python scripts/cli_screens.py > /tmp/screens.md

Ingests the bundled sample reports into a temporary store (what `fogwatch demo --db` does) and runs
each command below through the installed `fogwatch` with COLUMNS=80 and COLUMNS=160, capturing
standard output and standard error as a user's terminal would show them (without colour). Paste the
result into docs/cli.md's "Captured output" section.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

FOGWATCH = Path(sys.executable).with_name("fogwatch")

SCREENS: list[tuple[str, list[str], tuple[int, ...]]] = [
    ("events", ["events", "--db", "{db}"], (80, 160)),
    ("claims of the contested event", ["claims", "--contested", "--db", "{db}"], (80, 160)),
    ("one report: the short report (the default)", ["analyze", "src/fogwatch/samples/01_wire_kafr_nabl.txt"], (80, 160)),
    ("one report with --details", ["analyze", "--details", "--no-sentences", "src/fogwatch/samples/01_wire_kafr_nabl.txt"], (80, 160)),
    ("the demo", ["demo"], (80, 160)),
    ("events as CSV", ["events", "--db", "{db}", "--format", "csv"], (80,)),
    ("a filter that matches nothing", ["events", "--db", "{db}", "--country", "IQ"], (80,)),
    ("a misspelt command", ["evnts"], (80,)),
    ("a database fogwatch cannot use", ["events", "--db", "mysql://db.example/news"], (80,)),
    ("the version", ["--version"], (80,)),
]


def run(args: list[str], columns: int) -> str:
    env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1", "TERM": "dumb"}
    proc = subprocess.run([str(FOGWATCH), *args], capture_output=True, text=True, env=env, cwd=Path(__file__).resolve().parents[1])
    # rich pads a wrapped cell with spaces to its column's width: trailing spaces say nothing on a page
    return "\n".join(line.rstrip() for line in (proc.stdout + proc.stderr).splitlines()).rstrip("\n")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "demo.db")
        subprocess.run([str(FOGWATCH), "demo", "--db", db], check=True, capture_output=True)
        for title, args, widths in SCREENS:
            shown = [a.replace("{db}", "demo.db") for a in args]
            for width in widths:
                out = run([a.replace("{db}", db) for a in args], width)
                print(f"### {title}, {width} columns\n\n```console\n$ COLUMNS={width} fogwatch {' '.join(shown)}\n{out}\n```\n")


if __name__ == "__main__":
    main()
