"""``fogwatch serve``: the workbench (map, timeline, evidence panel) and its HTTP API over a store."""

from __future__ import annotations

import os
import socket
import sys
from typing import Optional

import typer

from fogwatch.cli import app
from fogwatch.errors import Code, UsageError
from fogwatch.store.query import DEFAULT_DB

MIN_TOKEN_CHARS = 16


def _check_bind(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host.strip("[]"), port))
        except OSError as exc:
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}", Code.SERVE_OPTION) from None


@app.command()
def serve(
    db: str = typer.Option(os.environ.get("FOGWATCH_DB", DEFAULT_DB), "--db", help="Store: a SQLite file, or postgresql://user@host/db (env FOGWATCH_DB)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (default: this machine only)."),
    port: int = typer.Option(8765, "--port", min=0, max=65535, help="Port to listen on."),
    allowed_host: Optional[list[str]] = typer.Option(None, "--allowed-host", help="Another Host name the server answers to (repeatable; * for any)."),
    timeout: float = typer.Option(30.0, "--timeout", min=0.1, max=3600, help="Seconds a request may take before its response starts (503, E806)."),
) -> None:
    """Serve the workbench and its API over a store. Read-only unless FOGWATCH_TOKEN is set (then POST /api/ingest takes that bearer token)."""
    from fogwatch.serve.app import LOCAL_HOSTS, create_app
    from fogwatch.serve.guard import Limits

    token = os.environ.get("FOGWATCH_TOKEN") or None
    if token is not None and len(token) < MIN_TOKEN_CHARS:
        raise UsageError(f"FOGWATCH_TOKEN is {len(token)} characters long; use at least {MIN_TOKEN_CHARS} random ones", Code.SERVE_OPTION)
    _check_bind(host, port)
    hosts = set(LOCAL_HOSTS) | {host.lower()} | {h.lower() for h in allowed_host or ()}
    asgi = create_app(db, token=token, limits=Limits(request_seconds=timeout), allowed_hosts=frozenset(hosts))
    import uvicorn

    from fogwatch.redact import redact_url

    shown = f"[{host}]" if ":" in host else host
    print(f"fogwatch serve: {redact_url(db)} on http://{shown}:{port}/ "
          f"({'ingest takes the FOGWATCH_TOKEN bearer token' if token else 'read-only: set FOGWATCH_TOKEN to take ingests'}); Ctrl-C stops it",
          file=sys.stderr, flush=True)
    uvicorn.run(asgi, host=host.strip("[]"), port=port, log_level="warning", access_log=False, server_header=False,
                timeout_keep_alive=5, limit_concurrency=200, h11_max_incomplete_event_size=64 * 1024)
