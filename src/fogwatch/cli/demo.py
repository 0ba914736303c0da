"""``fogwatch demo``: fogwatch's main job on the bundled sample reports.

Ingests the bundled reports (src/fogwatch/samples/) into the embedded SQLite
store, then shows what the store made of them: one row per report (outlet,
republisher, near-copies), the fused events (one per real-world incident,
however many outlets told it), and the contested claims side by side.
Runs with the embedded defaults and no server. ``--db FILE`` keeps the store
for ``fogwatch events``/``claims``/``export`` or Datasette; otherwise it lives
in a temporary directory.
"""

from __future__ import annotations

import tempfile
from importlib.resources import as_file, files
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console, RenderableType

from fogwatch.cli import app
from fogwatch.cli.analyze import render_document
from fogwatch.ingest.sources import ReadOptions, iter_documents
from fogwatch.pipeline import Pipeline, default_pipeline
from fogwatch.records import Document
from fogwatch.store import EventFilter, IncomingDocument, open_store


@app.command()
def demo(
    details: bool = typer.Option(False, "--details", help="Also print every document's full report."),
    db: Optional[str] = typer.Option(None, "--db", help="Keep the demo store in this SQLite file (default: a temporary one)."),
    stages: Optional[str] = typer.Option(None, "--stages", help="Comma-separated pipeline components (default: all installed)."),
) -> None:
    """Ingest the bundled sample reports into the store; show the fused events and the contested claims."""
    from fogwatch.cli._listing import claims_views, events_view

    console = Console()
    from fogwatch.cli._progress import building

    nlp = building("loading the pipeline (first run: building the gazetteer index)",
                   lambda: Pipeline([s.strip() for s in stages.split(",") if s.strip()]) if stages else default_pipeline(),
                   index=not stages or "places" in stages)
    with as_file(files("fogwatch") / "samples") as sample_dir:
        docs = list(nlp.pipe(iter_documents([str(sample_dir)], options=ReadOptions())))
    with tempfile.TemporaryDirectory(prefix="fogwatch-demo-") as tmp:
        path = db or str(Path(tmp) / "fogwatch-demo.db")
        with open_store(path) as store:
            result = store.add_batch([IncomingDocument.from_document(d) for d in docs if d.text])
            stats = store.stats()
            console.rule(f"[bold]fogwatch demo[/] — {len(docs)} bundled sample reports → store ({'SQLite ' + path if db else 'temporary SQLite'})")
            console.print(
                f"pipeline: {' → '.join(nlp.names)}; stored {result.stored} new report(s) ({result.already_stored} already there), "
                f"{stats['near_duplicates']} near-copy link(s), {stats['mentions']} event mention(s) → "
                f"{stats['fused_events']} fused event(s), {stats['contested_events']} contested",
                highlight=False,
            )
            console.print(_documents_view(docs, console.width))
            events = store.events(EventFilter(), limit=None)
            if events:
                console.print(events_view(events, console.width, title="Fused events (one per incident, however many reports told it)"))
            else:
                console.print("[yellow]No events: the installed pipeline has no events stage yet, so there is nothing to fuse.[/]")
            contested = store.events(EventFilter(contested=True), limit=None)
            if contested:
                console.rule("[bold]Contested claims[/] — every source's figure, claimant and modality")
                for view in claims_views(store, contested, console.width):
                    console.print(view)
            elif events:
                console.print("No contested claims: the sources agree.")
    if details:
        for doc in docs:
            console.print(render_document(doc, width=console.width))


def _documents_view(docs: list[Document], width: int) -> RenderableType:
    """One row per report, or one card per report when the table would cut a word."""
    from rich.console import Group

    from fogwatch.cli._listing import card, fitted_table

    headers = ("document", "outlet", "republished by", "sentences (body)", "places", "events", "errors")
    rows = [
        (doc.doc_id, doc.provenance.outlet or doc.metadata.source or "", doc.provenance.republisher or "",
         f"{len(doc.sentences)} ({len(doc.body_sentences())})", len(doc.places), len(doc.events), ", ".join(e.code for e in doc.errors) or "-")
        for doc in docs
    ]
    table = fitted_table(headers, rows, width, title="Reports")
    if table is not None:
        return table
    return Group(*(card(str(row[0]), [(h, str(v)) for h, v in zip(headers[1:], row[1:])]) for row in rows))
