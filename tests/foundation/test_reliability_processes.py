"""Worker processes (issue 11): they die with their parent, and a dead worker costs only its document.

Each test reproduced its defect against the code before the change: kill -9 or SIGTERM on `fogwatch extract -j 2`
left both workers alive under PID 1; a component calling os._exit lost every record (BrokenProcessPool).
Everything is bounded: at most 2 workers, every wait has a deadline. See docs/reliability.md.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from fogwatch import Document, Pipeline, component
from fogwatch.contract import to_json_line
from fogwatch.pipeline.parallel import pipe_parallel

FOGWATCH = str(Path(sys.executable).with_name("fogwatch"))
REPO = Path(__file__).resolve().parents[2]
CORPUS = (REPO / ".." / "shared" / "corpus" / "fakes" / "fakes.jsonl").resolve()


@component("test_exits_on_marker", requires=("sentences",), assigns=("slant",))
def _exits_on_marker(doc):
    """Kill the worker process outright on a marker: no exception, no cleanup (as a segfault or the OOM killer would)."""
    if "KILL-THE-WORKER" in doc.text:
        os._exit(3)
    once = os.environ.get("FOGWATCH_TEST_DIE_ONCE")
    if once and "DIE-ONCE" in doc.text and not os.path.exists(once):
        Path(once).write_text("died")
        os._exit(4)
    return replace(doc, slant=(len(doc.sentences),))


def _docs(n: int, markers: dict[int, str]) -> list[Document]:
    return [Document(f"d{i:03d}", f"Report {i} begins here. {markers.get(i, 'Nothing unusual.')} It ends here.") for i in range(n)]


def test_a_dead_worker_costs_only_its_document():
    """Before: one os._exit in a worker raised BrokenProcessPool and every record of the run was lost."""
    nlp = Pipeline(["sections", "sentences", "test_exits_on_marker"])
    docs = _docs(40, {5: "KILL-THE-WORKER", 23: "KILL-THE-WORKER"})
    started = time.monotonic()
    out = list(pipe_parallel(nlp, docs, jobs=2, batch_size=4))
    assert time.monotonic() - started < 120
    assert [d.doc_id for d in out] == [d.doc_id for d in docs]  # every document, in input order
    for i, doc in enumerate(out):
        if i in (5, 23):
            assert [e.code for e in doc.errors] == ["E205"] and doc.errors[0].stage == "parallel"
            assert doc.sentences == ()  # no analysis: the record says why
        else:
            assert doc.errors == () and doc.slant == (3,), (i, doc.errors)


def test_a_worker_that_dies_once_is_retried_and_the_document_analysed(tmp_path, monkeypatch):
    monkeypatch.setenv("FOGWATCH_TEST_DIE_ONCE", str(tmp_path / "died"))
    nlp = Pipeline(["sections", "sentences", "test_exits_on_marker"])
    docs = _docs(12, {7: "DIE-ONCE"})
    out = list(pipe_parallel(nlp, docs, jobs=2, batch_size=3, finish=to_json_line))
    assert (tmp_path / "died").exists()  # the worker did die
    assert len(out) == 12 and all('"errors":[]' in line for line in out), [l for l in out if '"errors":[]' not in l]


# --- workers die with their parent ------------------------------------------------------------------------------------

def _stat(pid: int) -> tuple[int, str] | None:
    """(ppid, state) of a process from /proc, None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = raw[raw.rindex(")") + 2:].split()
    return int(fields[1]), fields[0]


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            st = _stat(int(entry))
            if st and st[0] == pid and st[1] != "Z":
                found.append(int(entry))
    return found


def _alive(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        st = _stat(pid)
        if st is not None and st[1] != "Z":  # a zombie is dead; only its exit status waits for a reaper
            alive.append(pid)
    return alive


def _start_extract(tmp_path: Path) -> tuple[subprocess.Popen, list[int]]:
    if not CORPUS.exists():
        pytest.fail(f"missing {CORPUS}: tests expect ../shared beside the repository")
    proc = subprocess.Popen([FOGWATCH, "extract", str(CORPUS), "-j", "2", "--no-progress"], stdout=subprocess.DEVNULL,
                            stderr=open(tmp_path / "stderr.txt", "wb"), start_new_session=True)
    deadline = time.monotonic() + 180  # building the pipeline (the gazetteer index) comes first
    workers: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        if len(workers) >= 2:
            break
        time.sleep(0.2)
    if len(workers) < 2:
        proc.kill()
        pytest.fail(f"extract never started its 2 workers (exit {proc.poll()}): {(tmp_path / 'stderr.txt').read_text()[-2000:]}")
    time.sleep(1.0)  # let them take their first batches
    return proc, workers


def _assert_gone(workers: list[int], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while _alive(workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = _alive(workers)
    for pid in left:  # the test's own grandchildren: never leave them running
        os.kill(pid, signal.SIGKILL)
    assert not left, f"workers {left} outlived their parent"


def test_kill_9_on_extract_leaves_no_worker_behind(tmp_path):
    """Before: both pool workers (~105 MB each) lived on under PID 1."""
    proc, workers = _start_extract(tmp_path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    _assert_gone(workers, 5)


def test_sigterm_on_extract_stops_the_workers_and_exits_143(tmp_path):
    proc, workers = _start_extract(tmp_path)
    os.kill(proc.pid, signal.SIGTERM)
    try:
        rc = proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    _assert_gone(workers, 5)
    err = (tmp_path / "stderr.txt").read_text()
    assert rc == 143 and "Traceback" not in err, (rc, err[-2000:])


def test_the_watchdog_ends_a_worker_whose_parent_is_gone_without_prctl(tmp_path):
    """The portable fallback alone (prctl disabled): a worker re-parented to PID 1 exits within seconds."""
    pidfile = tmp_path / "grandchild"
    code = (
        "import os, sys, time\n"
        "import fogwatch.pipeline.parallel as par\n"
        "par.sys.platform = 'not-linux'\n"  # skip prctl: only the watchdog thread remains
        "parent = os.getpid()\n"
        "if os.fork() == 0:\n"
        "    par._init_worker(parent)\n"
        f"    open({str(pidfile)!r}, 'w').write(str(os.getpid()))\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        "time.sleep(1.5)\n"
        "os._exit(0)\n"  # the parent goes; the child is re-parented
    )
    subprocess.run([sys.executable, "-c", code], timeout=60, check=True)
    pid = int(pidfile.read_text())
    _assert_gone([pid], 5)
