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
from rich.console import Console
from rich.table import Table

from fogwatch.cli import app
from fogwatch.cli.analyze import render_document
from fogwatch.ingest.sources import ReadOptions, iter_documents
from fogwatch.pipeline import Pipeline, default_pipeline
from fogwatch.store import EventFilter, IncomingDocument, open_store


@app.command()
def demo(
    details: bool = typer.Option(False, "--details", help="Also print every document's full report."),
    db: Optional[str] = typer.Option(None, "--db", help="Keep the demo store in this SQLite file (default: a temporary one)."),
    stages: Optional[str] = typer.Option(None, "--stages", help="Comma-separated pipeline components (default: all installed)."),
) -> None:
    """Ingest the bundled sample reports into the store; show the fused events and the contested claims."""
    from fogwatch.cli.store import claims_tables, events_table

    console = Console()
    nlp = Pipeline([s.strip() for s in stages.split(",") if s.strip()]) if stages else default_pipeline()
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
            console.print(_documents_table(docs))
            events = store.events(EventFilter(), limit=None)
            if events:
                console.print(events_table(events, title="Fused events (one row per incident, however many reports told it)"))
            else:
                console.print("[yellow]No events: the installed pipeline has no events stage yet, so there is nothing to fuse.[/]")
            contested = store.events(EventFilter(contested=True), limit=None)
            if contested:
                console.rule("[bold]Contested claims[/] — every source's figure, claimant and modality")
                for table in claims_tables(store, contested):
                    console.print(table)
            elif events:
                console.print("No contested claims: the sources agree.")
    if details:
        for doc in docs:
            console.print(render_document(doc))


def _documents_table(docs: list) -> Table:
    table = Table(title="Reports", expand=True)
    for col in ("document", "outlet", "republished by", "sentences (body)", "places", "events", "errors"):
        table.add_column(col)
    for doc in docs:
        table.add_row(
            doc.doc_id,
            doc.provenance.outlet or doc.metadata.source or "",
            doc.provenance.republisher or "",
            f"{len(doc.sentences)} ({len(doc.body_sentences())})",
            str(len(doc.places)),
            str(len(doc.events)),
            ", ".join(e.code for e in doc.errors) or "-",
        )
    return table
