"""``fogwatch ingest | events | claims | export``: the corpus store from the command line.

``--db`` takes a SQLite file (default ``fogwatch.db``, or ``$FOGWATCH_DB``) or a
``postgresql://`` URL. Tables go to standard output; progress and summaries to
standard error.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from enum import Enum
from typing import TYPE_CHECKING, Any, Optional

import typer

from fogwatch.cli import app
from fogwatch.errors import Code, UsageError
from fogwatch.store.query import DEFAULT_DB, EventFilter, parse_bbox, parse_country, parse_date, read_events

if TYPE_CHECKING:
    from rich.console import Console

    from fogwatch.store import Store

# Rich, SQLAlchemy (fogwatch.store.backend) and the pipeline are imported where they are used: `events
# --format json` over a current store needs none of them (see docs/benchmarks.md, Store).

DB_HELP = "Store: a SQLite file, or postgresql://user@host/db (env FOGWATCH_DB)."


def db_default() -> str:
    """``--db``'s default: ``$FOGWATCH_DB``, else fogwatch.db."""
    return os.environ.get("FOGWATCH_DB", DEFAULT_DB)


class ListFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


# URL schemes --db understands; anything else with "://" is refused (E901) instead of being taken for a file name.
_DB_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg", "sqlite")


def check_db(db: str) -> str:
    """``db`` when it names a store fogwatch can use: a SQLite file path, ``sqlite:///PATH`` or ``postgresql://``; else E901."""
    import re

    m = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*)://", db)
    if m and m.group(1).lower() not in _DB_SCHEMES:
        from fogwatch.redact import redact_url

        raise UsageError(
            f"--db {redact_url(db)}: the {m.group(1)!r} scheme is not supported; fogwatch stores into SQLite "
            "(a file path, or sqlite:///PATH) or PostgreSQL (postgresql://user@host/db)",
            Code.DB_SCHEME,
        )
    return db


def _nothing_matches(db: str, what: str, filtered: bool) -> str:
    """Why a listing is empty: the filters (the store holds events), or an empty store."""
    from fogwatch.redact import redact_url

    if filtered:
        with open_db(db, read_only=True) as store:
            total = store.count_events()
        if total:
            return f"no {what} match these filters (the store holds {total:,} fused event(s); fewer filters show more)"
    return f"the store {redact_url(db)} holds no events yet: run `fogwatch ingest PATH --db {redact_url(db)}`"


def _export_formats(incomplete: str) -> list[str]:
    """Shell completion for ``export --format``: every registered format, plugins' included."""
    from fogwatch.errors import FogwatchError
    from fogwatch.export.registry import writers

    try:
        names = list(writers())
    except FogwatchError:  # a broken plugin (E903): complete fogwatch's own formats; the command itself says what is wrong
        names = list(writers(plugins=False))
    return [name for name in names if name.startswith(incomplete)]


def _filters(since: str | None, until: str | None, bbox: str | None, country: str | None, admin1: str | None,
             type_: str | None, actor: str | None, contested: bool, source: str | None, include_hedged: bool = False,
             include_background: bool = False, min_confidence: float | None = None) -> EventFilter:
    for option, value in (("--since", since), ("--until", until), ("--bbox", bbox), ("--country", country), ("--admin1", admin1),
                          ("--type", type_), ("--actor", actor), ("--source", source)):
        if value is not None and len(value) > MAX_FILTER_CHARS:
            raise UsageError(f"{option} is {len(value):,} characters long; at most {MAX_FILTER_CHARS:,} are accepted", Code.BAD_OPTION)
    return EventFilter(
        since=parse_date(since, "--since"), until=parse_date(until, "--until"), bbox=parse_bbox(bbox),
        country=parse_country(country), admin1=admin1, event_type=type_, actor=actor,
        contested=True if contested else None, source=source,
        include_hedged=include_hedged, include_background=include_background, min_confidence=min_confidence,
    )


# Filter text longer than this is a mistake (SQLite refuses LIKE patterns over 50,000 bytes); counts beyond
# MAX_COUNT overflow the databases' integers.
MAX_FILTER_CHARS = 1000
MAX_COUNT = 10**12
MAX_JOBS = 256


def check_count(value: int, option: str, maximum: int = MAX_COUNT) -> int:
    """A usage error (exit 2, E302) for a count no database or machine can take (``--limit 99999999999999999999``)."""
    if value > maximum:
        raise UsageError(f"{option} {value} is too large; at most {maximum:,}", Code.BAD_OPTION)
    return value


# Filter options shared by events / claims / export.
SINCE = typer.Option(None, "--since", help="Events on or after this day (YYYY-MM-DD).")
UNTIL = typer.Option(None, "--until", help="Events on or before this day (YYYY-MM-DD).")
BBOX = typer.Option(None, "--bbox", help="WEST,SOUTH,EAST,NORTH in degrees, e.g. 36.4,35.7,36.9,36.1.")
COUNTRY = typer.Option(None, "--country", help="ISO 3166 alpha-2 code or country name.")
ADMIN1 = typer.Option(None, "--admin1", help="First-level division (governorate/province), exact name.")
TYPE = typer.Option(None, "--type", help="ACLED event type or sub-event type, exact name (any case).")
ACTOR = typer.Option(None, "--actor", help="Part of an actor's name.")
SOURCE = typer.Option(None, "--source", help="Part of a member report's outlet, republisher or URL.")
HEDGED = typer.Option(False, "--include-hedged", help="Also events that every report gives as hypothetical or denied (left out by default).")
BACKGROUND = typer.Option(False, "--include-background", help="Also events only mentioned as background: well before their reports (left out by default).")
MIN_CONFIDENCE = typer.Option(None, "--min-confidence", min=0.0, max=1.0, help="Only events whose most confident report reaches this (0-1).")


def open_db(db: str, create: bool = False, read_only: bool = False) -> Store:
    """The store at ``db`` for a command (SQLAlchemy imported here, not at the command's import)."""
    from fogwatch.store.backend import open_store

    return open_store(db, create=create, read_only=read_only)


def _stderr() -> Console:
    from fogwatch.cli._progress import stderr_console

    return stderr_console


@app.command()
def ingest(
    inputs: list[str] = typer.Argument(..., help="Files, directories, .jsonl, - (JSONL on stdin), http(s) URLs or RSS/Atom feeds."),
    db: str = typer.Option(db_default(), "--db", help=DB_HELP),
    batch_size: int = typer.Option(50, "--batch-size", min=1, help="Documents per committed transaction."),
    stages: Optional[str] = typer.Option(None, "--stages", help="Comma-separated pipeline components (default: all installed)."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Worker processes for extraction (0: one per available core)."),
    timeout: float = typer.Option(15.0, "--timeout", min=0.1, help="HTTP timeout in seconds (connect and each read)."),
    retries: int = typer.Option(3, "--retries", min=0, help="Retries for transient HTTP failures."),
    deadline: float = typer.Option(60.0, "--deadline", min=0.1, help="Overall seconds per fetched URL: every attempt, redirect and byte (E516 past it)."),
    max_fetch_mb: float = typer.Option(20.0, "--max-fetch-mb", min=0.001, help="Largest body fetched for one URL, in MB after decompression (E515 past it)."),
    allow_private: bool = typer.Option(False, "--allow-private", help="Also fetch from loopback, private, link-local and other non-public addresses (refused by default, E513)."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress", help="Progress bar on stderr (default: when stderr is a terminal)."),
) -> None:
    """Ingest reports into the store: extract events, link near-duplicates, fuse events across sources."""
    # Imported here: the readers and the pipeline are slow to import and the query commands never need them.
    from fogwatch.ingest.fetch import FetchOptions, is_url
    from fogwatch.ingest.sources import ReadOptions, check_paths
    from fogwatch.pipeline import Pipeline, default_pipeline
    from fogwatch.pipeline.parallel import default_jobs
    from fogwatch.cli._progress import building, count_documents, progress_over
    from fogwatch.store.ingest import ingest as run_ingest, iter_inputs

    check_db(db)
    if inputs == ["-"] and sys.stdin.isatty():
        raise UsageError("no input on standard input: give a PATH or URL, or pipe JSONL in", Code.STDIN_IS_TTY)
    check_count(batch_size, "--batch-size", 1_000_000)
    check_count(jobs, "--jobs", MAX_JOBS)
    check_count(retries, "--retries", 100)
    check_paths([p for p in inputs if not is_url(p)])  # usage errors before the pipeline loads its indexes
    from fogwatch.redact import redact_url
    from fogwatch.store.lock import ingest_lock

    def waiting() -> None:
        _stderr().print(f"another ingest is writing to {redact_url(db)}; waiting for it to finish (one ingest at a time per store)",
                        highlight=False, soft_wrap=True)

    with ingest_lock(db, on_wait=waiting), open_db(db, create=True) as store:
        nlp = building("loading the pipeline (first run: building the gazetteer index)",
                       lambda: Pipeline([s.strip() for s in stages.split(",") if s.strip()]) if stages else default_pipeline(),
                       enabled=progress, index=not stages or "places" in stages)
        docs = iter_inputs(inputs, stdin=sys.stdin.buffer, read_opts=ReadOptions(), fetch_opts=FetchOptions(
            timeout=timeout, retries=retries, deadline=deadline, max_bytes=int(max_fetch_mb * 1024 * 1024), allow_private=allow_private))
        total = count_documents(inputs) if progress is not False else None
        report = run_ingest(store, progress_over(docs, "ingest", total=total, enabled=progress), nlp, batch_size=batch_size,
                            jobs=jobs or default_jobs())
        stats = store.stats()
    _print_report(report, stats, db, nlp)


def _print_report(report: Any, stats: dict[str, int], db: str, nlp: Any) -> None:
    from rich.markup import escape

    from fogwatch.redact import redact_text, redact_url

    err = _stderr()
    for doc_id, code, message in report.failed[:20]:
        err.print(f"[yellow]skipped[/] {escape(redact_text(doc_id))}: [{code}] {escape(redact_text(message))}", markup=True, highlight=False)
    if len(report.failed) > 20:
        err.print(f"… and {len(report.failed) - 20} more unreadable inputs")
    err.print(
        f"ingested {report.stored} new report(s) ({report.already_stored} already stored, {report.near_duplicates} near-duplicate(s), "
        f"{len(report.failed)} unreadable) in {report.seconds:.1f}s ({report.docs_per_second:.0f} docs/s), "
        f"{report.mentions} event mention(s), {report.fused_events_touched} fused event(s) updated; pipeline: {' → '.join(nlp.names)}",
        highlight=False, soft_wrap=True,
    )
    err.print(
        f"store {redact_url(db)}: {stats['documents']} reports, {stats['mentions']} mentions, {stats['fused_events']} fused events "
        f"({stats['contested_events']} contested; {stats.get('left_out_events', 0)} hedged or background, left out of events/export by default)",
        highlight=False, soft_wrap=True,
    )


@app.command()
def events(
    db: str = typer.Option(db_default(), "--db", help=DB_HELP),
    since: Optional[str] = SINCE, until: Optional[str] = UNTIL, bbox: Optional[str] = BBOX, country: Optional[str] = COUNTRY,
    admin1: Optional[str] = ADMIN1, type_: Optional[str] = TYPE, actor: Optional[str] = ACTOR,
    contested: bool = typer.Option(False, "--contested", help="Only events whose sources disagree."),
    source: Optional[str] = SOURCE,
    limit: int = typer.Option(100, "--limit", min=0, help="At most this many events, newest first (0: all)."),
    format: ListFormat = typer.Option(ListFormat.table, "--format", help="table (cards under 120 columns), json (one array) or csv."),
    include_hedged: bool = HEDGED, include_background: bool = BACKGROUND, min_confidence: Optional[float] = MIN_CONFIDENCE,
) -> None:
    """List fused events, newest first."""
    check_db(db)
    check_count(limit, "--limit")
    flt = _filters(since, until, bbox, country, admin1, type_, actor, contested, source, include_hedged, include_background, min_confidence)
    # Straight to the database when the store is current; otherwise open_store migrates it or explains.
    rows = read_events(db, flt, limit=limit or None)
    if rows is None:
        with open_db(db, read_only=True) as store:
            rows = store.events(flt, limit=limit or None)
    if format == ListFormat.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return
    if format == ListFormat.csv:
        from fogwatch.cli._listing import EVENT_CSV_COLUMNS, write_csv

        write_csv(rows, EVENT_CSV_COLUMNS, sys.stdout)
        return
    if not rows:
        _stderr().print(_nothing_matches(db, "fused events", flt != EventFilter()), highlight=False,
                        soft_wrap=not _stderr().is_terminal)  # a terminal: wrapped between words
        return
    from rich.console import Console

    from fogwatch.cli._listing import events_view

    console = Console()
    console.print(events_view(rows, console.width))
    if limit and len(rows) == limit:
        _stderr().print(f"showing the first {limit}; --limit 0 shows all", highlight=False)


def with_claimant(store: Store, flt: EventFilter, name: str) -> EventFilter:
    """``flt`` narrowed to events where the claimant ``name`` gives a figure, by any spelling the claimant registry joins to it."""
    from fogwatch.events.claimants import claimants_from_env

    return dataclasses.replace(flt, claimant_spellings=claimants_from_env().spellings_of(name, store.claimant_names()))


@app.command()
def claims(
    db: str = typer.Option(db_default(), "--db", help=DB_HELP),
    contested: bool = typer.Option(False, "--contested", help="Only events whose sources disagree."),
    since: Optional[str] = SINCE, until: Optional[str] = UNTIL, bbox: Optional[str] = BBOX, country: Optional[str] = COUNTRY,
    admin1: Optional[str] = ADMIN1, type_: Optional[str] = TYPE, actor: Optional[str] = ACTOR, source: Optional[str] = SOURCE,
    limit: int = typer.Option(50, "--limit", min=0, help="At most this many events (0: all)."),
    format: ListFormat = typer.Option(ListFormat.table, "--format", help="table (cards under 120 columns), json, or csv (one row per claim)."),
    claimant: Optional[str] = typer.Option(
        None, "--claimant", help="Only events where this source gives a figure: its name or any spelling the claimant registry knows "
        "(\"SOHR\", \"the monitor\"); the other claimants' figures are shown beside it."),
    include_hedged: bool = HEDGED, include_background: bool = BACKGROUND, min_confidence: Optional[float] = MIN_CONFIDENCE,
) -> None:
    """Every source's figure for each event, with claimant and modality side by side."""
    check_db(db)
    check_count(limit, "--limit")
    flt = _filters(since, until, bbox, country, admin1, type_, actor, contested, source, include_hedged, include_background, min_confidence)
    with open_db(db, read_only=True) as store:
        if claimant:
            flt = with_claimant(store, flt, claimant)
        rows = store.events(flt, limit=limit or None)
        if format == ListFormat.json:
            members = store.members([e["event_id"] for e in rows])
            json.dump([{**e, "members": members[e["event_id"]]} for e in rows], sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
            return
        if format == ListFormat.csv:
            from fogwatch.cli._listing import CLAIM_CSV_COLUMNS, claim_rows, write_csv

            write_csv(claim_rows(rows, store.members([e["event_id"] for e in rows])), CLAIM_CSV_COLUMNS, sys.stdout)
            return
        if not rows:
            _stderr().print(_nothing_matches(db, "events", flt != EventFilter()), highlight=False,
                            soft_wrap=not _stderr().is_terminal)  # a terminal: wrapped between words
            return
        from rich.console import Console

        from fogwatch.cli._listing import claims_views

        console = Console()
        for view in claims_views(store, rows, console.width):
            console.print(view)


@app.command()
def export(
    format: str = typer.Option(..., "--format", help="acled-csv, geojson, jsonl, parquet (GeoParquet), or a format an installed "
                               "plugin registers (fogwatch.export.registry).", autocompletion=_export_formats),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="Output file (default: standard output; parquet needs a file)."),
    db: str = typer.Option(db_default(), "--db", help=DB_HELP),
    since: Optional[str] = SINCE, until: Optional[str] = UNTIL, bbox: Optional[str] = BBOX, country: Optional[str] = COUNTRY,
    admin1: Optional[str] = ADMIN1, type_: Optional[str] = TYPE, actor: Optional[str] = ACTOR,
    contested: bool = typer.Option(False, "--contested", help="Only events whose sources disagree."),
    source: Optional[str] = SOURCE,
    include_hedged: bool = HEDGED, include_background: bool = BACKGROUND, min_confidence: Optional[float] = MIN_CONFIDENCE,
    include_unplaced: bool = typer.Option(False, "--include-unplaced",
                                          help="GeoJSON: also write events without a location, with null geometry (RFC 7946)."),
) -> None:
    """Export fused events (ACLED CSV, GeoJSON, JSON lines or GeoParquet)."""
    from fogwatch.export import export as run_export
    from fogwatch.export.registry import get as get_writer

    check_db(db)

    flt = _filters(since, until, bbox, country, admin1, type_, actor, contested, source, include_hedged, include_background, min_confidence)
    writer = get_writer(format)
    if include_unplaced and "include_unplaced" not in writer.options:
        raise UsageError("--include-unplaced applies to --format geojson (the other formats write every event)", Code.BAD_OPTION)
    if writer.target == "file" and (not output or output == "-"):
        raise UsageError(f"--format {format} writes a binary file: give --output FILE{writer.extension}", Code.BAD_OPTION)
    to_file = bool(output and output != "-")
    if to_file:
        _check_output(output)  # type: ignore[arg-type]
    counts: dict[str, int] = {}
    with open_db(db, read_only=True) as store:
        if to_file:
            n = _export_atomically(output, lambda tmp, fh: run_export(store, format, flt, out=fh, path=tmp,  # type: ignore[arg-type]
                                                                       include_unplaced=include_unplaced, counts=counts),
                                   binary=writer.target == "file")
        else:
            n = run_export(store, format, flt, out=sys.stdout, include_unplaced=include_unplaced, counts=counts)
            sys.stdout.flush()
    said = f"exported {n} event(s) as {format}" + (f" to {output}" if output and output != "-" else "")
    if counts.get("unplaced"):
        left_out = "include_unplaced" in writer.options and not include_unplaced
        said += (f"; {counts['unplaced']} event(s) without a location left out (--include-unplaced writes them with null geometry)"
                 if left_out else f"; {counts['unplaced']} of them without a location, with null geometry")
    _stderr().print(said, highlight=False)


def _check_output(output: str) -> None:
    """Usage errors about ``--output`` before the store is opened: exit 2 with a code, never a traceback."""
    if os.path.isdir(output):
        raise UsageError(f"--output {output} is a directory", Code.BAD_OPTION)
    folder = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(folder):
        raise UsageError(f"--output {output}: folder {folder} does not exist", Code.NO_SUCH_PATH)


def _export_atomically(output: str, write: Any, binary: bool) -> int:
    """Write to a temporary file beside ``output`` and rename it over ``output`` only when complete.

    A failed export (an invalid registry file, a full disk, an interruption) leaves a previous ``output`` as it was.
    """
    import tempfile

    from fogwatch.errors import FogwatchError

    folder = os.path.dirname(os.path.abspath(output))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(output)}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise FogwatchError(f"cannot write --output {output}: {exc.strerror}", Code.EXPORT_WRITE) from None
    try:
        if binary:
            os.close(fd)
            n = write(tmp, None)
        else:
            with open(fd, "w", encoding="utf-8", newline="") as fh:
                n = write(tmp, fh)
        try:
            mode = os.stat(output).st_mode & 0o777 if os.path.exists(output) else 0o666 & ~_umask()
            os.chmod(tmp, mode)
        except OSError:
            pass
        os.replace(tmp, output)
    except OSError as exc:
        _unlink(tmp)
        raise FogwatchError(f"cannot write --output {output}: {exc.strerror or exc}; nothing was replaced", Code.EXPORT_WRITE) from None
    except BaseException:
        _unlink(tmp)
        raise
    return n


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
