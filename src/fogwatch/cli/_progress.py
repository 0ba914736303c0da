"""Progress bars, always on standard error so standard output stays machine-readable."""

from __future__ import annotations

import os
from typing import Callable, Iterable, Iterator, TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

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


def building(label: str, build: Callable[[], T], enabled: bool | None = None) -> T:
    """``build()`` (a pipeline: the gazetteer index on first use, the registries, the models) under a spinner with the
    elapsed time on stderr, so a first run's half-minute index build is visibly at work. Transient: a quick build
    leaves nothing behind; messages logged meanwhile (the gazetteer's "building the offline index") print above it."""
    if enabled is None:
        enabled = stderr_console.is_terminal or os.environ.get("FOGWATCH_PROGRESS") == "1"
    if not enabled or stderr_console.quiet:
        return build()
    columns = [SpinnerColumn(), TextColumn("[bold]{task.description}"), TimeElapsedColumn()]
    with Progress(*columns, console=stderr_console, transient=True) as bar:
        bar.add_task(label, total=None)
        return build()
