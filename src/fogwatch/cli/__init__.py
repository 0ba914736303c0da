"""The ``fogwatch`` command line.

Each command lives in its own module and registers itself on :data:`app`;
later subsystems (gazetteer, store, server) add theirs the same way, by one
import line in :func:`_register`.
"""

from __future__ import annotations

import sys

import typer

from fogwatch.errors import FogwatchError, UsageError

app = typer.Typer(
    name="fogwatch",
    help="Turn conflict reporting into verifiable, ACLED-typed event data with provenance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _register() -> None:
    from fogwatch.cli import analyze, demo, extract  # noqa: F401  (each module registers its command)

    for optional in ("fogwatch.cli.gazetteer", "fogwatch.cli.store"):
        try:
            __import__(optional)
        except ModuleNotFoundError as exc:
            if exc.name != optional:
                raise


def main() -> None:
    """Entry point: run the app; usage errors exit 2 with one clear line, never a traceback."""
    _register()
    try:
        app()
    except UsageError as exc:
        print(f"fogwatch: error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    except FogwatchError as exc:
        print(f"fogwatch: error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        print("fogwatch: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
