"""``fogwatch ingest``: read reports (paths, JSONL, URLs, feeds), run the pipeline, store and fuse in batches.

Documents are keyed by the SHA-256 of their text. Each batch is checked
against the store *before* the pipeline runs, so a rerun after a crash (or
re-ingesting the same corpus) skips stored reports at the cost of hashing them.
"""

from __future__ import annotations

import time
from contextlib import closing
from dataclasses import dataclass, field
from typing import IO, Iterable, Iterator, Sequence, TypeVar

from fogwatch.ingest.fetch import FetchOptions, is_url, iter_url_documents
from fogwatch.errors import Code
from fogwatch.ingest.repair import repair_document, repair_text
from fogwatch.ingest.sources import ReadOptions, check_paths, iter_documents
from fogwatch.pipeline import Pipeline
from fogwatch.pipeline.parallel import pipe_parallel
from fogwatch.records import Document
from fogwatch.store.backend import BatchResult, IncomingDocument, Store, content_key

DEFAULT_BATCH = 50


@dataclass
class IngestReport:
    read: int = 0
    stored: int = 0
    already_stored: int = 0
    near_duplicates: int = 0
    mentions: int = 0
    fused_events_touched: int = 0
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (doc_id, code, message)
    seconds: float = 0.0

    @property
    def docs_per_second(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0


def iter_inputs(inputs: Sequence[str], stdin: IO[bytes] | None = None, read_opts: ReadOptions | None = None,
                fetch_opts: FetchOptions | None = None) -> Iterator[Document]:
    """Documents from each input in the order given: files, directories, ``-``, URLs and feeds.

    Each passes :func:`~fogwatch.ingest.repair.repair_document`: characters no store can hold become U+FFFD (E111).
    """
    check_paths([p for p in inputs if not is_url(p)])
    opts = read_opts or ReadOptions()
    for item in inputs:
        if is_url(item):
            docs = iter_url_documents([item], fetch_opts, opts)
        else:
            docs = iter_documents([item], stdin=stdin, options=opts)
        for doc in docs:
            yield repair_document(doc)


_T = TypeVar("_T")


def _batches(docs: Iterable[_T], size: int) -> Iterator[list[_T]]:
    batch: list[_T] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _fresh(store: Store, docs: Iterable[Document], report: IngestReport, chunk: int) -> Iterator[Document]:
    """Documents whose text the store does not hold yet; unreadable ones are counted and dropped."""
    for batch in _batches(docs, chunk):
        report.read += len(batch)
        readable = []
        for doc in batch:
            if not doc.text and doc.errors:  # the reader or the fetcher could not get any text
                report.failed.append((doc.doc_id, doc.errors[0].code, doc.errors[0].message))
            else:
                readable.append(doc)
        known = store.known_keys(content_key(d.text) for d in readable)
        for d in readable:
            if content_key(d.text) in known:
                report.already_stored += 1
            else:
                yield d


def _refusal(exc: BaseException) -> str:
    """Why the database refused a value, in a line that quotes no report text."""
    if isinstance(exc, UnicodeError):
        return f"{type(exc).__name__}: {getattr(exc, 'reason', '')}".rstrip(": ")
    orig = getattr(exc, "orig", None)
    first = (str(orig) if orig is not None else str(exc)).strip().splitlines()
    return f"{type(orig or exc).__name__}: {first[0] if first else ''}".rstrip(": ")


def _store_isolated(store: Store, batch: list[IncomingDocument], report: IngestReport) -> list[BatchResult]:
    """Store ``batch`` in one transaction; if the database refuses a value, store its reports one by one.

    A report the database cannot hold (text the driver cannot encode, a value the server rejects) is
    rolled back alone and reported as E114; the rest of the batch is stored. The input boundary
    (:mod:`fogwatch.ingest.repair`) already removes the known causes, so this is the last line.
    """
    import sqlalchemy as sa

    try:
        return [store.add_batch(batch)]
    except (UnicodeError, sa.exc.DataError, sa.exc.StatementError) as exc:
        if isinstance(exc, sa.exc.DBAPIError) and not isinstance(exc, sa.exc.DataError):
            raise  # a connection or integrity problem is not about one report
        if len(batch) == 1:
            doc = batch[0]
            report.failed.append((repair_text(doc.doc_id)[0], str(Code.STORE_REFUSED),
                                  f"the store cannot hold this report ({_refusal(exc)}); not stored, the rest of its batch is"))
            return []
    results: list[BatchResult] = []
    for doc in batch:
        results.extend(_store_isolated(store, [doc], report))
    return results


def ingest(store: Store, docs: Iterable[Document], pipeline: Pipeline, batch_size: int = DEFAULT_BATCH, jobs: int = 1) -> IngestReport:
    """Run ``pipeline`` over the documents the store lacks and store them, one transaction per ``batch_size``."""
    report = IngestReport()
    started = time.perf_counter()
    size = max(1, batch_size)
    processed = pipe_parallel(pipeline, _fresh(store, docs, report, size), jobs, finish=IncomingDocument.from_document)
    # closing(): a store fault (E510) or an interrupt stops the pool's workers at once, not when the generator is collected.
    with closing(processed):
        for batch in _batches(processed, size):
            for result in _store_isolated(store, batch, report):
                report.stored += result.stored
                report.already_stored += result.already_stored  # the same text twice in one run
                report.near_duplicates += result.near_duplicates
                report.mentions += result.mentions
                report.fused_events_touched += len(result.fused_touched)
    report.seconds = time.perf_counter() - started
    return report
