"""The root options every command shares: ``--version``, ``-v/--verbose``, ``-q/--quiet``.

fogwatch's modules log through :mod:`logging` under the ``fogwatch`` logger (the gazetteer's first
build, download retries, a stage failing on a document). The command line shows those records on
standard error:

- default: warnings and errors, one plain line each (``fogwatch: warning: ...``), progress bars on a terminal;
- ``-v``: also informational records, through rich's logging handler (time, level, logger name);
  ``-vv``: debugging records too, with the source line;
- ``-q``: errors only; no progress bars and no summaries (standard error stays empty on success).

The plain handler keeps ``fogwatch events`` from importing rich's logging machinery (about 50 ms) when
nobody asked for detail.
"""

from __future__ import annotations

import logging
import sys

LOGGER = "fogwatch"


class _PlainFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"fogwatch: {record.levelname.lower()}: {record.getMessage()}"


# -q: read by fogwatch.cli._progress when it makes its console (rich is imported only by commands that print).
QUIET = False


def setup_logging(verbose: int = 0, quiet: bool = False) -> logging.Handler:
    """Route the ``fogwatch`` logger to standard error at the level ``verbose``/``quiet`` ask for; returns the handler."""
    global QUIET
    QUIET = quiet
    progress = sys.modules.get("fogwatch.cli._progress")
    if progress is not None:
        progress.stderr_console.quiet = quiet  # progress bars and summaries go through this console
    level = logging.ERROR if quiet else logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler: logging.Handler
    if verbose:
        from rich.logging import RichHandler

        from fogwatch.cli._progress import stderr_console

        handler = RichHandler(console=stderr_console, show_path=verbose > 1, markup=False, rich_tracebacks=False,
                              log_time_format="%H:%M:%S")
        handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_PlainFormatter())
    logger = logging.getLogger(LOGGER)
    for old in list(logger.handlers):
        if getattr(old, "_fogwatch_cli", False):
            logger.removeHandler(old)
    setattr(handler, "_fogwatch_cli", True)  # marks the handler this module installed (replaced on a second call)
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    return handler


def print_version() -> None:
    import fogwatch

    print(f"fogwatch {fogwatch.__version__} (Python {sys.version.split()[0]})")
