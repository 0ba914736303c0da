"""Progress bars, always on standard error so standard output stays machine-readable."""

from __future__ import annotations

import os
from typing import Iterable, Iterator, TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

T = TypeVar("T")

stderr_console = Console(stderr=True)


def progress_over(items: Iterable[T], label: str, total: int | None = None, enabled: bool | None = None) -> Iterator[T]:
    """Yield ``items`` while a progress bar on stderr counts them.

    ``enabled=None`` shows it when stderr is a terminal or ``FOGWATCH_PROGRESS=1``.
    """
    if enabled is None:
        enabled = stderr_console.is_terminal or os.environ.get("FOGWATCH_PROGRESS") == "1"
    if not enabled:
        yield from items
        return
    columns = [SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=stderr_console, transient=False) as bar:
        task = bar.add_task(label, total=total)
        for item in items:
            yield item
            bar.advance(task)
