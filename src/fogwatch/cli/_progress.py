"""Progress bars, always on standard error so standard output stays machine-readable."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from fogwatch.cli import _logging

T = TypeVar("T")

# Quiet under -q (fogwatch.cli._logging.setup_logging): no progress bars, no summaries.
stderr_console = Console(stderr=True, quiet=_logging.QUIET)


def progress_over(items: Iterable[T], label: str, total: int | None = None, enabled: bool | None = None) -> Iterator[T]:
    """Yield ``items`` while a progress bar on stderr counts them.

    ``enabled=None`` shows it when stderr is a terminal or ``FOGWATCH_PROGRESS=1``.
    """
    if enabled is None:
        enabled = stderr_console.is_terminal or os.environ.get("FOGWATCH_PROGRESS") == "1"
    if not enabled or stderr_console.quiet:
        yield from items
        return
    columns = [SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=stderr_console, transient=False) as bar:
        task = bar.add_task(label, total=total)
        for item in items:
            yield item
            bar.advance(task)


# Counting the documents ahead of a run is worth it while it costs a fraction of the run: a walk of the
# folders and a pass over each JSONL file's bytes (about a second per GB), at most this much JSONL.
MAX_COUNT_BYTES = 2 * 2**30
_SUFFIXES = (".txt", ".html", ".htm", ".jsonl")


def count_documents(inputs: Iterable[str]) -> int | None:
    """How many documents ``inputs`` hold (the progress bar's total), or None when that is not known ahead:
    standard input, URLs and feeds, or more than :data:`MAX_COUNT_BYTES` of JSONL."""
    total, jsonl_bytes = 0, 0
    files: list[str] = []
    for raw in inputs:
        if raw == "-" or "://" in raw:
            return None
        if os.path.isdir(raw):
            for folder, dirs, names in os.walk(raw):
                dirs.sort()
                files.extend(os.path.join(folder, n) for n in names if n.lower().endswith(_SUFFIXES))
        else:
            files.append(raw)
    for path in files:
        if not path.lower().endswith(".jsonl"):
            total += 1
            continue
        try:
            jsonl_bytes += os.path.getsize(path)
            if jsonl_bytes > MAX_COUNT_BYTES:
                return None
            total += _count_lines(path)
        except OSError:
            return None
    return total


def _count_lines(path: str) -> int:
    """Non-blank lines (the JSONL reader skips blank ones)."""
    n = 0
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                n += 1
    return n


def building(label: str, build: Callable[[], T], enabled: bool | None = None, index: bool = True) -> T:
    """``build()`` (a pipeline: the gazetteer index on first use, the registries, the models) under a spinner with the
    elapsed time on stderr, so a first run's half-minute index build is visibly at work. Transient: a quick build
    leaves nothing behind; messages logged meanwhile (the gazetteer's "building the offline index") print above it.

    ``index=True`` (a pipeline with the places stage) builds a missing or stale default gazetteer index first, under
    a bar that counts the places written against their total (:func:`index_with_progress`)."""
    if enabled is None:
        enabled = stderr_console.is_terminal or os.environ.get("FOGWATCH_PROGRESS") == "1"
    if not enabled or stderr_console.quiet:
        return build()
    if index:
        from fogwatch.errors import FogwatchError

        try:
            index_with_progress()
        except FogwatchError:
            pass  # the pipeline meets the same fault while it is built, and reports it as it always has
    columns = [SpinnerColumn(), TextColumn("[bold]{task.description}"), TimeElapsedColumn()]
    with Progress(*columns, console=stderr_console, transient=True) as bar:
        bar.add_task(label, total=None)
        return build()


class _IndexBar:
    """The gazetteer build's bar, started on its first report only: a current index shows nothing."""

    def __init__(self) -> None:
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            columns = [SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                       TextColumn("places"), TimeElapsedColumn()]
            self.bar = Progress(*columns, console=stderr_console, transient=False)
            self.bar.start()
            self.task = self.bar.add_task("building the gazetteer index (first run only)", total=total)
        if self.task is not None:
            self.bar.update(self.task, completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def index_with_progress(path: Path | None = None, enabled: bool | None = None) -> Path:
    """Build the gazetteer index at ``path`` (default: the default index) when it is missing or stale, under a progress
    bar with the total on stderr (when ``enabled``: by default on a terminal or with ``FOGWATCH_PROGRESS=1``)."""
    from fogwatch.places.gazetteer import default_index_path, ensure_index

    if enabled is None:
        enabled = stderr_console.is_terminal or os.environ.get("FOGWATCH_PROGRESS") == "1"
    if not enabled or stderr_console.quiet:
        return ensure_index(path or default_index_path())
    bar = _IndexBar()
    try:
        return ensure_index(path or default_index_path(), progress=bar)
    finally:
        bar.close()
