"""Run a pipeline over a document stream on several cores, in input order, with bounded memory.

Workers are forked after the pipeline is built, so an index or model a
component loaded is shared copy-on-write instead of loaded once per worker.
Documents travel in small batches; at most ``jobs * 4`` batches are in
flight, so a directory of 10,000 files or a huge JSONL file is never read
ahead into memory. Where fork is unavailable, or ``jobs <= 1``, it runs inline.

Workers never outlive the process that started them (docs/reliability.md):

- each worker asks the kernel for SIGKILL when its parent dies (Linux
  ``prctl(PR_SET_PDEATHSIG)``), and a watchdog thread in the worker exits it
  once ``os.getppid()`` changes (the portable fallback, within a second);
- SIGTERM in the parent becomes :class:`Terminated` (exit status 143) while a
  pool runs, and any exit from the pool's loop kills the workers before it
  returns, instead of waiting for the batches in flight;
- workers ignore SIGINT: Ctrl-C reaches the parent, which stops them.

A worker that dies (``os._exit`` in a component, a segfault, the OOM killer)
costs only the documents it was given: the pool is replaced, the failed
batch's documents are run again one at a time, and a document that kills its
worker a second time gets :data:`~fogwatch.errors.Code.WORKER_DIED` (E205) in
its record, without analysis. The other documents are analysed as usual.
"""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any, Callable, Generator, Iterable, TypeVar

from fogwatch.errors import Code
from fogwatch.pipeline.pipeline import Pipeline
from fogwatch.records import DocError, Document

T = TypeVar("T")

_WORKER_NLP: Pipeline | None = None
_WORKER_FINISH: Callable[[Document], object] | None = None

_PR_SET_PDEATHSIG = 1  # linux/prctl.h
WATCHDOG_SECONDS = 1.0


class Terminated(SystemExit):
    """SIGTERM arrived while a pool was running: unwind (closing the pool and the store) and exit 143."""

    def __init__(self) -> None:
        super().__init__(128 + signal.SIGTERM)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _run_batch(batch: list[Document]) -> list[object]:
    assert _WORKER_NLP is not None and _WORKER_FINISH is not None
    return [_WORKER_FINISH(doc) for doc in _WORKER_NLP.pipe(batch)]


def _identity(doc: Document) -> Document:
    return doc


# --- workers die with their parent ------------------------------------------------------------------------------------

def _init_worker(parent: int) -> None:
    """Pool initializer: tie the worker's life to ``parent``'s."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's Terminated handler, inherited through fork
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # no prctl in this libc: the watchdog alone
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="fogwatch-parent-watchdog", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(WATCHDOG_SECONDS)
        if os.getppid() != parent:  # re-parented: the process that started us is gone
            os._exit(1)


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Terminated()


def _install_sigterm() -> Any:
    """Turn SIGTERM into :class:`Terminated` while a pool runs; returns the handler to restore (None: untouched)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    previous = signal.getsignal(signal.SIGTERM)
    if previous not in (signal.SIG_DFL, None):
        return None  # someone else handles SIGTERM (a server, a test runner): leave it to them
    signal.signal(signal.SIGTERM, _on_sigterm)
    return previous


def _stop(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's workers now (no waiting for batches in flight) and reap them."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for proc in processes:
        try:
            proc.kill()
        except (OSError, ValueError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        try:
            proc.join(timeout=5)
        except (OSError, ValueError, AssertionError):
            pass


# --- the loop ---------------------------------------------------------------------------------------------------------

def worker_died_error(doc: Document) -> Document:
    """``doc`` without analysis, with E205: it killed the worker analysing it, twice."""
    return doc.with_error(DocError(
        str(Code.WORKER_DIED),
        "the worker process analysing this document died (crash, os._exit or killed), also when retried alone; "
        "the document has no analysis",
        "parallel",
    ))


def pipe_parallel(
    nlp: Pipeline,
    docs: Iterable[Document],
    jobs: int,
    finish: Callable[[Document], T] = _identity,  # type: ignore[assignment]
    batch_size: int = 16,
) -> Generator[T, None, None]:  # a generator: callers may close() it to stop the pool at once
    """Yield ``finish(nlp(doc))`` for each document, in input order.

    ``finish`` runs in the worker (e.g. serialising to a JSON line), so only
    its result crosses the process boundary.
    """
    global _WORKER_NLP, _WORKER_FINISH
    if jobs <= 1 or "fork" not in mp.get_all_start_methods():
        for doc in nlp.pipe(docs):
            yield finish(doc)
        return
    _WORKER_NLP, _WORKER_FINISH = nlp, finish
    parent = os.getpid()
    context = mp.get_context("fork")

    def new_pool(workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(parent,))

    iterator = iter(docs)
    pending: deque[tuple[list[Document], Future[list[object]]]] = deque()
    previous = _install_sigterm()
    pool = new_pool(jobs)

    def submit(batch: list[Document]) -> None:
        try:
            future = pool.submit(_run_batch, batch)
        except BrokenProcessPool as exc:  # broken before this batch got in: it fails with the others
            future = Future()
            future.set_exception(exc)
        pending.append((batch, future))

    finished = False
    try:
        while True:
            while len(pending) < jobs * 4:
                batch = list(islice(iterator, batch_size))
                if not batch:
                    break
                submit(batch)
            if not pending:
                break
            batch, future = pending.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                # A worker died. Every batch in flight failed with it, so the culprit is not known: the pool is
                # replaced, the batch at the head runs one document at a time, the others go back in as they were.
                rest = [b for b, _ in pending]
                pending.clear()
                _stop(pool)
                pool = new_pool(1)
                results = []
                for doc in batch:
                    try:
                        results.extend(pool.submit(_run_batch, [doc]).result())
                    except BrokenProcessPool:
                        _stop(pool)
                        pool = new_pool(1)
                        results.append(finish(worker_died_error(doc)))
                _stop(pool)
                pool = new_pool(jobs)
                for again in rest:
                    submit(again)
            for result in results:
                yield result  # type: ignore[misc]
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:  # an exception, SIGTERM, or the consumer stopped early: no waiting for batches in flight
            _stop(pool)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
