"""Directory walking (issue 11): a FIFO never hangs `extract DIR`, an unreadable directory never vanishes.

Each test reproduced its defect before the change: `extract DIR` with a FIFO named stuck.txt blocked forever
(here: past the timeout); an unreadable subdirectory was dropped with exit 0 and "skipped 1 file(s) that are not
.txt, .html or .jsonl". See docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

FOGWATCH = str(Path(sys.executable).with_name("fogwatch"))
STAGES = ("--stages", "sections,sentences", "-j", "1")


def _records(proc: subprocess.CompletedProcess) -> list[dict]:
    err = proc.stderr.decode(errors="replace")
    assert "Traceback" not in err, err
    assert proc.returncode == 0, err
    return [json.loads(line) for line in proc.stdout.decode().splitlines()]


def _codes(record: dict) -> list[str]:
    return [e["code"] for e in record["errors"]]


def test_a_fifo_in_a_directory_is_a_coded_record_not_a_hang(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("The first report. It is short.")
    os.mkfifo(folder / "b-stuck.txt")
    (folder / "c.txt").write_text("The last report. It is short too.")
    (folder / "d.txt").write_text("A report with a FIFO for a sidecar.")
    os.mkfifo(folder / "d.txt.meta.json")
    proc = subprocess.run([FOGWATCH, "extract", str(folder), *STAGES], capture_output=True, timeout=60)
    records = _records(proc)
    assert [r["doc_id"] for r in records] == ["a", "b-stuck", "c", "d"]
    assert _codes(records[0]) == [] and _codes(records[2]) == []
    assert _codes(records[1]) == ["E108"] and "FIFO" in records[1]["errors"][0]["message"]
    assert _codes(records[3]) == ["E110"] and records[3]["sections"]  # the report is read, its FIFO sidecar is not



def test_an_unreadable_directory_is_a_coded_record_and_the_rest_goes_on(other_user):
    folder = Path(tempfile.mkdtemp(prefix="fogwatch-walk-"))
    locked = folder / "b-locked"
    try:
        (folder / "a.txt").write_text("The first report. It is short.")
        locked.mkdir()
        (locked / "hidden.txt").write_text("A report nobody may list.")
        (folder / "c.txt").write_text("The last report. It is short too.")
        for p in (folder / "a.txt", folder / "c.txt", locked / "hidden.txt"):
            p.chmod(0o644)
        folder.chmod(0o755)
        locked.chmod(0o000)
        env = {**os.environ, "HOME": str(folder)}
        proc = subprocess.run([*other_user, FOGWATCH, "extract", str(folder), *STAGES], capture_output=True, timeout=120, env=env)
        records = _records(proc)
        assert [r["doc_id"] for r in records] == ["a", "c", "b-locked"]  # files first, then subdirectories, as always
        assert _codes(records[2]) == ["E108"] and "cannot list directory" in records[2]["errors"][0]["message"]
        assert "not .txt, .html or .jsonl" not in proc.stderr.decode()  # the old, wrong message
        # The same directory given as the path itself: one record, exit 0 (the contract's "a document failed").
        proc = subprocess.run([*other_user, FOGWATCH, "extract", str(locked), *STAGES], capture_output=True, timeout=120, env=env)
        records = _records(proc)
        assert [(r["doc_id"], _codes(r)) for r in records] == [("b-locked", ["E108"])]
    finally:
        locked.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)
