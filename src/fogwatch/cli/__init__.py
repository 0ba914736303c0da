"""The ``fogwatch`` command line.

Each command lives in its own module and registers itself on :data:`app`;
later subsystems (gazetteer, store, server) add theirs the same way, by one
line in :data:`COMMANDS`. :func:`main` imports only the module of the command
being run (``fogwatch events`` must not pay for the extraction pipeline's
imports); help and unknown commands import them all.
"""

from __future__ import annotations

import errno
import sys

import typer

from fogwatch.errors import Code, FogwatchError, UsageError
from fogwatch.redact import redact_text

app = typer.Typer(
    name="fogwatch",
    help="Turn conflict reporting into verifiable, ACLED-typed event data with provenance.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion (bash, zsh, fish, PowerShell)
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    suggest_commands=False,  # click already says "Did you mean ...?"; typer's own suggestion repeated it
)


# Command name -> the module that registers it, in the order of `fogwatch --help`.
COMMANDS = {
    "analyze": "fogwatch.cli.analyze",
    "demo": "fogwatch.cli.demo",
    "extract": "fogwatch.cli.extract",
    "ingest": "fogwatch.cli.store",
    "events": "fogwatch.cli.store",
    "claims": "fogwatch.cli.store",
    "export": "fogwatch.cli.store",
    "sources": "fogwatch.cli.slant",
    "gazetteer": "fogwatch.cli.gazetteer",
    "datasette-metadata": "fogwatch.cli.datasette",
    "serve": "fogwatch.cli.serve",
}
_OPTIONAL = {"fogwatch.cli.gazetteer", "fogwatch.cli.store"}


def _print_version(value: bool) -> None:
    if value:
        from fogwatch.cli._logging import print_version

        print_version()
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True, help="Print fogwatch's version and exit."),
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, show_default=False,
                                 help="More on standard error: -v progress messages, -vv debugging."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Errors only on standard error: no progress bars, warnings or summaries."),
) -> None:
    """Options before the command apply to every command: `fogwatch -v ingest ...`, `fogwatch -q extract ...`."""
    # The callback also keeps `app` a command group when only one command module is loaded
    # (Typer runs a lone command as the whole program otherwise).
    from fogwatch.cli._logging import setup_logging

    if verbose and quiet:
        raise UsageError("-v/--verbose and -q/--quiet contradict each other: give one", Code.BAD_OPTION)
    setup_logging(verbose, quiet)


def _import(module: str) -> None:
    try:
        __import__(module)
    except ModuleNotFoundError as exc:
        if not (module in _OPTIONAL and exc.name == module):
            raise


def _register(argv: list[str] | None = None) -> None:
    """Import the module of the command named in ``argv`` (all of them when there is none or it is unknown)."""
    # The command is the first argument that is not a root option (-v, -vv, -q, --verbose, --quiet).
    name = next((a for a in argv if not a.startswith("-")), None) if argv else None
    modules = [COMMANDS[name]] if name in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    for module in modules:
        _import(module)


# OSError numbers that mean the store's (or the output's) file system failed under the command.
_FS_FAULTS = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is exhausted",
              errno.EROFS: "the file system is read-only", errno.EIO: "an input/output error"}


def _database_error(exc: BaseException) -> bool:
    """An error raised by SQLAlchemy, sqlite3 or psycopg (only those already imported: the check imports nothing)."""
    classes = []
    if "sqlalchemy" in sys.modules:
        classes.append(sys.modules["sqlalchemy"].exc.SQLAlchemyError)
    if "sqlite3" in sys.modules:
        classes.append(sys.modules["sqlite3"].Error)
    if "psycopg" in sys.modules:
        classes.append(sys.modules["psycopg"].Error)
    return bool(classes) and isinstance(exc, tuple(classes))


def _fault_hint(reason: str) -> str:
    low = reason.lower()
    if "no such table" in low or "does not exist" in low or "no such column" in low:
        return "the store lacks part of its schema: restore it from a backup or ingest into a new store"
    if "malformed" in low or "not a database" in low or "corrupt" in low:
        return "the store file is damaged: restore it from a backup or ingest into a new store"
    if "readonly" in low or "read-only" in low or "read only" in low:
        return "the store cannot be written: check the file's and its folder's permissions"
    if "disk" in low and ("full" in low or "space" in low):
        return "free some space and run the command again; an ingest resumes where it stopped"
    if "disk i/o" in low or "input/output" in low:
        return "the store's disk is full or failing: free some space or check the disk, then run again; an ingest resumes where it stopped"
    if any(w in low for w in ("terminat", "server closed", "connection", "shutdown", "shutting down", "admin_shutdown")):
        return "the database server went away: start it and run the command again; an ingest resumes where it stopped"
    return "nothing of the failed transaction was kept; an ingest resumes where it stopped when run again"


def store_fault(exc: BaseException) -> FogwatchError | None:
    """E510 for a database or file-system failure under a command, in one line without SQL or parameters; else None."""
    if isinstance(exc, OSError) and exc.errno in _FS_FAULTS and not _database_error(exc):
        where = f" ({exc.filename})" if exc.filename else ""
        return FogwatchError(f"{_FS_FAULTS[exc.errno]}{where}: {_fault_hint('disk is full')}", Code.STORE_FAULT)
    if not _database_error(exc):
        return None
    orig = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's error; its text holds SQL and parameters
    lines = [line.strip() for line in str(orig).strip().splitlines() if line.strip()]
    reason = lines[0] if lines else type(orig).__name__
    if isinstance(orig, OSError) and orig.errno in _FS_FAULTS:
        reason = _FS_FAULTS[orig.errno]
    if len(reason) > 300:
        reason = reason[:300] + "…"
    return FogwatchError(f"the store failed: {type(orig).__name__}: {reason}; {_fault_hint(reason)}", Code.STORE_FAULT)


def _say(message: str) -> None:
    """One message on standard error. On a terminal it is wrapped between words at the terminal's width (its own
    wrapping would cut words); otherwise it stays one line, for programs and logs to read."""
    if sys.stderr.isatty():
        import shutil
        import textwrap

        width = max(40, shutil.get_terminal_size().columns)
        message = textwrap.fill(message, width=width, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False)
    print(message, file=sys.stderr)


def main() -> None:
    """Entry point: run the app; usage errors exit 2 with one clear line, never a traceback.

    Store faults (a missing table, a corrupt file, a read-only store, the server gone, a full disk) are E510, exit 1.
    """
    _register(sys.argv[1:])
    try:
        app()
    except UsageError as exc:
        _say(f"fogwatch: error: {redact_text(str(exc))}")
        raise SystemExit(2) from None
    except FogwatchError as exc:
        _say(f"fogwatch: error: {redact_text(str(exc))}")
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        print("fogwatch: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
    except Exception as exc:
        fault = store_fault(exc)
        if fault is None:
            raise
        _say(f"fogwatch: error: {redact_text(str(fault))}")
        raise SystemExit(1) from None
