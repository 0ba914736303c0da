"""``fogwatch demo``: fogwatch's main job on the bundled sample reports.

Runs with the embedded defaults and no server. Each document gets a summary
row (sections, outlet, republisher, sentences, and whatever later stages
found); the documents' details follow with ``--details``.
"""

from __future__ import annotations

from importlib.resources import as_file, files

import typer
from rich.console import Console
from rich.table import Table

from fogwatch.cli import app
from fogwatch.cli.analyze import render_document
from fogwatch.ingest.sources import ReadOptions, iter_documents
from fogwatch.pipeline import default_pipeline


@app.command()
def demo(details: bool = typer.Option(False, "--details", help="Also print every document's full report.")) -> None:
    """Analyse the bundled sample reports and print what fogwatch finds."""
    console = Console()
    nlp = default_pipeline()
    with as_file(files("fogwatch") / "samples") as sample_dir:
        docs = list(nlp.pipe(iter_documents([str(sample_dir)], options=ReadOptions())))
    console.rule(f"[bold]fogwatch demo[/] — {len(docs)} bundled sample reports, pipeline: {' → '.join(nlp.names)}")
    table = Table(expand=True)
    for col in ("document", "outlet", "republished by", "sections", "sentences (body)", "places", "events", "errors"):
        table.add_column(col)
    for doc in docs:
        kinds: dict[str, int] = {}
        for s in doc.sections:
            kinds[s.kind] = kinds.get(s.kind, 0) + (s.end - s.start)
        table.add_row(
            doc.doc_id,
            doc.provenance.outlet or "",
            doc.provenance.republisher or "",
            ", ".join(f"{k} {v}ch" for k, v in kinds.items()),
            f"{len(doc.sentences)} ({len(doc.body_sentences())})",
            str(len(doc.places)),
            str(len(doc.events)),
            ", ".join(e.code for e in doc.errors) or "-",
        )
    console.print(table)
    for doc in docs:
        not_article = [s for s in doc.sections if s.kind in ("boilerplate", "comments")]
        for s in not_article:
            console.print(f"[dim]{doc.doc_id}[/] [yellow]{s.kind}[/] {s.start}-{s.end}: {' '.join(doc.text[s.start:s.end].split())[:110]}")
    if details:
        for doc in docs:
            console.print(render_document(doc))
