"""On an 80-column terminal, fogwatch's own messages wrap between words (a terminal's own wrapping cuts words);
piped, each stays one line for programs to read (issue 15: nothing cut inside a word at 80 columns)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FOGWATCH = Path(sys.executable).with_name("fogwatch")


def _stderr_on_a_terminal(*args: str, columns: int = 80) -> str:
    """Run fogwatch with standard error on a pseudo-terminal of ``columns`` columns; what it wrote there."""
    master, slave = os.openpty()
    env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1", "TERM": "dumb"}
    proc = subprocess.Popen([str(FOGWATCH), *args], stdout=subprocess.DEVNULL, stderr=slave, env=env, cwd=REPO)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(master)
    return b"".join(chunks).decode().replace("\r\n", "\n")


def test_an_error_wraps_between_words_on_a_terminal_and_stays_one_line_in_a_pipe():
    args = ("events", "--db", "mysql://db.example/news")
    shown = _stderr_on_a_terminal(*args)
    lines = [line for line in shown.splitlines() if line.strip()]
    assert len(lines) > 1 and all(len(line) <= 80 for line in lines), lines
    assert lines[0].startswith("fogwatch: error: [E901]") and all(line.startswith("  ") for line in lines[1:])
    piped = subprocess.run([str(FOGWATCH), *args], capture_output=True, text=True, cwd=REPO, env={**os.environ, "COLUMNS": "80"})
    assert piped.returncode == 2 and len(piped.stderr.strip().splitlines()) == 1
    # the same words either way: nothing cut, nothing lost
    assert " ".join(shown.split()) == " ".join(piped.stderr.split())
