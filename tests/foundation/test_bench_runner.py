"""`./dev bench` runs benchmarks/run_all.py: it lists every benchmark script, runs one by name, refuses an unknown one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RUNNER = REPO / "benchmarks" / "run_all.py"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(RUNNER), *args], capture_output=True, text=True, cwd=REPO, timeout=120)


def test_dev_bench_calls_the_runner():
    assert "benchmarks/run_all.py" in (REPO / "dev").read_text()


def test_it_lists_every_script_with_its_description():
    out = _run().stdout
    listed = {line.split()[0] for line in out.splitlines() if line.strip()}
    expected = {p.stem for p in (REPO / "benchmarks").glob("*.py") if not p.name.startswith("_") and p.name != "run_all.py"}
    assert listed == expected
    assert "(no description)" not in out  # every script says what it measures


def test_an_unknown_name_is_a_usage_error():
    proc = _run("bench_nothing")
    assert proc.returncode == 2 and "no benchmark named 'bench_nothing'" in proc.stderr


def test_the_shared_corpus_helper_reads_fakes():
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import _corpus
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    docs = _corpus.fakes_documents(2)
    assert [d.doc_id for d in docs] == ["0", "1"] and all(d.text and d.metadata.published for d in docs)
