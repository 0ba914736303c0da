"""``fogwatch extract``: the machine-readable contract (../shared/CONTRACT.md)."""

from __future__ import annotations

import gc
import os
import sys
from enum import Enum
from typing import Optional

import typer

from fogwatch.cli import app
from fogwatch.cli._progress import building, count_documents, progress_over
from fogwatch.contract import to_json_line
from fogwatch.errors import Code, UsageError
from fogwatch.ingest.repair import repair_document
from fogwatch.ingest.sources import DEFAULT_MAX_DOC_BYTES, ReadOptions, check_paths, iter_documents
from fogwatch.pipeline import Pipeline, default_pipeline
from fogwatch.pipeline.parallel import default_jobs, pipe_parallel


def build_pipeline(
    stages: str | None, lexicon: list[str] | None, rules_only: bool, actors: list[str] | None = None, country: str | None = None
) -> Pipeline:
    """The pipeline of ``--stages`` (default: every installed stage) with the events stage's settings as arguments."""
    names = [s.strip() for s in stages.split(",") if s.strip()] if stages else None
    events: dict[str, object] = {}
    if actors:
        for path in actors:
            if not os.path.exists(path):
                raise UsageError(f"actor registry {path}: no such file or directory", Code.ACTOR_REGISTRY)
        events["actor_paths"] = tuple(actors)
    if lexicon:
        for path in lexicon:
            if not os.path.exists(path):
                raise UsageError(f"event lexicon {path}: no such file or directory", Code.LEXICON)
        events["lexicon_paths"] = tuple(lexicon)
    if rules_only:
        events["use_model"] = False
    if country:
        events["default_country"] = country
    if events and names is not None and "events" not in names:
        raise UsageError("--actors, --lexicon, --rules-only and --country set the events stage, which --stages leaves out", Code.BAD_OPTION)
    config: dict[str, dict[str, object]] = {"events": events} if events else {}
    if names is None or "places" in names:
        places: dict[str, object] = {}
        if country:
            places["default_country"] = country
        if actors:
            places["actor_paths"] = tuple(actors)  # their country cues vote for a report's country
        if places:
            config["places"] = places
    return Pipeline(names, config or None) if names is not None else default_pipeline(config=config or None)


class OutputFormat(str, Enum):
    jsonl = "jsonl"


@app.command()
def extract(
    paths: Optional[list[str]] = typer.Argument(None, help="Files (.txt, .html/.htm, .jsonl), directories, or - for JSONL on standard input."),
    format: OutputFormat = typer.Option(OutputFormat.jsonl, "--format", help="Output format (the contract defines jsonl)."),
    stages: Optional[str] = typer.Option(None, "--stages", help="Comma-separated pipeline components to run (default: all installed)."),
    max_doc_mb: float = typer.Option(DEFAULT_MAX_DOC_BYTES / 2**20, "--max-doc-mb", min=0.001, help="Read at most this much of one document."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress", help="Progress bar on stderr (default: when stderr is a terminal)."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Worker processes (0: one per available core)."),
    actors: Optional[list[str]] = typer.Option(None, "--actors", help="An actor registry YAML file or folder to add (repeatable); see src/fogwatch/data/actors/README.md."),
    lexicon: Optional[list[str]] = typer.Option(None, "--lexicon", help="An event lexicon YAML file or folder to add (repeatable); see src/fogwatch/data/lexicon/README.md."),
    rules_only: bool = typer.Option(False, "--rules-only", help="Type events by the lexicon alone, without the trained sub-event model."),
    country: Optional[str] = typer.Option(None, "--country", help="ISO code of the country the input covers (a feed's): ambiguous place names lean to it, and reports naming no known place give their generic actors that country."),
) -> None:
    """Extract one JSON record per input document to standard output."""
    targets = list(paths or ["-"])
    if targets == ["-"] and sys.stdin.isatty():
        raise UsageError("no input: give a PATH, or pipe JSONL into standard input", Code.STDIN_IS_TTY)
    if jobs > 256:
        raise UsageError(f"--jobs {jobs} is too large; at most 256", Code.BAD_OPTION)
    check_paths(targets)
    nlp = building("loading the pipeline (first run: building the gazetteer index)",
                   lambda: build_pipeline(stages, lexicon, rules_only, actors, country), enabled=progress,
                   index=not stages or "places" in stages)
    # The pipeline's tables and models live as long as the process: frozen out of the cycle collector's scans,
    # and collections spaced for a batch (a document's objects are freed by reference counting; the collector
    # took 0.4 CPU s of an 18 s FA-KES run, 0.03 s so).
    gc.freeze()
    gc.set_threshold(20_000, 50, 1_000)
    skipped: list[str] = []
    opts = ReadOptions(max_doc_bytes=int(max_doc_mb * 2**20), on_skip=lambda p, why: skipped.append(p))
    # The same boundary repair as `fogwatch ingest`: unencodable characters become U+FFFD (E111), offsets unchanged.
    docs = map(repair_document, iter_documents(targets, stdin=sys.stdin.buffer, options=opts))
    out = sys.stdout
    try:
        lines = pipe_parallel(nlp, docs, jobs or default_jobs(), finish=to_json_line)
        total = count_documents(targets) if progress is not False else None
        for line in progress_over(lines, "extract", total=total, enabled=progress):
            out.write(line)
            out.write("\n")
        out.flush()
    except BrokenPipeError:  # `fogwatch extract … | head` is not an error
        sys.stderr.close()
        raise SystemExit(0) from None
    if skipped:
        print(f"fogwatch: skipped {len(skipped)} file(s) that are not .txt, .html or .jsonl (first: {skipped[0]})", file=sys.stderr)
