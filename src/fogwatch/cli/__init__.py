"""The ``fogwatch`` command line.

Each command lives in its own module and registers itself on :data:`app`;
later subsystems (gazetteer, store, server) add theirs the same way, by one
line in :data:`COMMANDS`. :func:`main` imports only the module of the command
being run (``fogwatch events`` must not pay for the extraction pipeline's
imports); help and unknown commands import them all.
"""

from __future__ import annotations

import sys

import typer

from fogwatch.errors import FogwatchError, UsageError
from fogwatch.redact import redact_text

app = typer.Typer(
    name="fogwatch",
    help="Turn conflict reporting into verifiable, ACLED-typed event data with provenance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
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
    "gazetteer": "fogwatch.cli.gazetteer",
}
_OPTIONAL = {"fogwatch.cli.gazetteer", "fogwatch.cli.store"}


@app.callback()
def _root() -> None:
    # A callback keeps `app` a command group even when only one command module is loaded
    # (Typer runs a lone command as the whole program otherwise).
    pass


def _import(module: str) -> None:
    try:
        __import__(module)
    except ModuleNotFoundError as exc:
        if not (module in _OPTIONAL and exc.name == module):
            raise


def _register(argv: list[str] | None = None) -> None:
    """Import the module of the command named in ``argv`` (all of them when there is none or it is unknown)."""
    name = argv[0] if argv else None  # the root takes no options but --help, so a command comes first
    modules = [COMMANDS[name]] if name in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    for module in modules:
        _import(module)


def main() -> None:
    """Entry point: run the app; usage errors exit 2 with one clear line, never a traceback."""
    _register(sys.argv[1:])
    try:
        app()
    except UsageError as exc:
        print(f"fogwatch: error: {redact_text(str(exc))}", file=sys.stderr)
        raise SystemExit(2) from None
    except FogwatchError as exc:
        print(f"fogwatch: error: {redact_text(str(exc))}", file=sys.stderr)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        print("fogwatch: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
