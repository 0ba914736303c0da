"""Run a pipeline over a document stream on several cores, in input order, with bounded memory.

Workers are forked after the pipeline is built, so an index or model a
component loaded is shared copy-on-write instead of loaded once per worker.
Documents travel in small batches; at most ``jobs * 4`` batches are in
flight, so a directory of 10,000 files or a huge JSONL file is never read
ahead into memory. Where fork is unavailable, or ``jobs <= 1``, it runs inline.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Callable, Iterable, Iterator, TypeVar

from fogwatch.pipeline.pipeline import Pipeline
from fogwatch.records import Document

T = TypeVar("T")

_WORKER_NLP: Pipeline | None = None
_WORKER_FINISH: Callable[[Document], object] | None = None


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


def pipe_parallel(
    nlp: Pipeline,
    docs: Iterable[Document],
    jobs: int,
    finish: Callable[[Document], T] = _identity,  # type: ignore[assignment]
    batch_size: int = 16,
) -> Iterator[T]:
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
    iterator = iter(docs)
    pending: deque[Future[list[object]]] = deque()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("fork")) as pool:
        while True:
            while len(pending) < jobs * 4:
                batch = list(islice(iterator, batch_size))
                if not batch:
                    break
                pending.append(pool.submit(_run_batch, batch))
            if not pending:
                break
            for result in pending.popleft().result():
                yield result  # type: ignore[misc]
