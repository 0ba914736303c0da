"""``fogwatch analyze FILE``: a human-readable report of one or more documents."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Callable, Optional

import typer
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from fogwatch.cli import app
from fogwatch.cli._progress import building
from fogwatch.errors import Code, UsageError
from fogwatch.ingest.repair import repair_document
from fogwatch.ingest.sources import ReadOptions, check_paths, iter_documents
from fogwatch.pipeline import default_pipeline
from fogwatch.records import Document

_KIND_STYLE = {"title": "bold cyan", "body": "green", "boilerplate": "yellow", "comments": "magenta"}

# Later stages append a renderer: (doc) -> a rich renderable or None.
RENDERERS: list[Callable[[Document], RenderableType | None]] = []

from fogwatch.events.render import render_events  # noqa: E402  (events and claims)

RENDERERS.append(render_events)
from fogwatch.places.render import render_places  # noqa: E402

RENDERERS.append(render_places)
from fogwatch.slant.render import render_slant  # noqa: E402  (slant spans highlighted)

RENDERERS.append(render_slant)


def _preview(text: str, width: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rsplit(" ", 1)[0] + " …"  # at a word boundary


def _narrow_renderers() -> dict[Callable[[Document], RenderableType | None], Callable[[Document], RenderableType | None]]:
    """Under CARD_WIDTH columns, these renderers' tables give way to cards (every value readable, no cut words)."""
    from fogwatch.cli._listing import document_event_cards, document_place_cards

    return {render_events: document_event_cards, render_places: document_place_cards}


def _card_renderers() -> dict[Callable[[Document], RenderableType | None], Callable[[Document], RenderableType | None]]:
    """At any width the events are cards: the events table's evidence column is squeezed to a few letters even at 160."""
    from fogwatch.cli._listing import document_event_cards

    return {render_events: document_event_cards}


def render_document(doc: Document, show_sentences: bool = True, width: int | None = None, details: bool = True) -> Group:
    """The report for ``doc``.

    ``details=False`` is ``analyze``'s default, the short report (:mod:`fogwatch.cli._report`): one block per event
    with each evidence sentence once, a line for the places and one for the slant. ``details=True`` prints every
    table: events as cards, places and slant as tables from ``width`` 120 columns (cards under that).
    """
    from fogwatch.cli._listing import CARD_WIDTH

    narrow = _narrow_renderers() if width is not None and width < CARD_WIDTH else _card_renderers() if width is not None else {}
    parts: list[RenderableType] = []
    meta = doc.metadata
    head = Text()
    head.append(doc.doc_id, style="bold")
    for label, value in (("title", meta.title), ("published", meta.published), ("source", meta.source), ("url", meta.url)):
        if value:
            head.append(f"\n{label}: ", style="dim")
            head.append(value)
    prov = doc.provenance
    if prov.outlet or prov.republisher:
        head.append("\noutlet: ", style="dim")
        head.append(prov.outlet or "?")
        if prov.republisher:
            head.append("  republished by: ", style="dim")
            head.append(prov.republisher, style="bold yellow")
        if prov.reason:
            head.append(f"  ({prov.reason})", style="dim italic")
    parts.append(Panel(head, title="document", expand=True))

    if not details:
        from fogwatch.cli._report import short_report

        sections_line, *rest, hint = short_report(doc)
        parts.append(sections_line)
        if show_sentences:
            parts.append(_sentences_table(doc))
        parts.extend([*rest, *_errors(doc), hint])
        return Group(*parts)

    sections = Table(title="Sections", expand=True, show_lines=False)
    for col, kw in (("kind", {}), ("start", {"justify": "right"}), ("end", {"justify": "right"}), ("why", {"style": "dim"}), ("text", {"ratio": 1})):
        sections.add_column(col, **kw)
    for s in doc.sections:
        sections.add_row(Text(s.kind, style=_KIND_STYLE.get(s.kind, "")), str(s.start), str(s.end), s.reason or "", _preview(doc.text[s.start : s.end]))
    parts.append(sections)

    if show_sentences:
        parts.append(_sentences_table(doc))

    for render in RENDERERS:
        extra = narrow.get(render, render)(doc)
        if extra is not None:
            parts.append(extra)

    parts.extend(_errors(doc))
    return Group(*parts)


def _sentences_table(doc: Document) -> Table:
    sents = Table(title=f"Sentences ({len(doc.sentences)})", expand=True)
    sents.add_column("#", justify="right")
    sents.add_column("section")
    sents.add_column("span", justify="right", style="dim")
    sents.add_column("sentence", ratio=1)
    for i, sent in enumerate(doc.sentences, 1):
        sents.add_row(str(i), Text(sent.section, style=_KIND_STYLE.get(sent.section, "")), f"{sent.start}-{sent.end}",
                      doc.text[sent.start : sent.end])
    return sents


def _errors(doc: Document) -> list[RenderableType]:
    if not doc.errors:
        return []
    errs = Table(title="Errors", expand=True, style="red")
    errs.add_column("code", no_wrap=True)
    errs.add_column("stage", no_wrap=True)
    errs.add_column("message", ratio=1)
    for e in doc.errors:
        errs.add_row(e.code, e.stage or "", e.message)
    return [errs]


def check_published_option(value: str | None) -> str | None:
    """``--published`` as an ISO date, or a usage error (E302) naming the expected form."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise UsageError(f"--published {value[:40]!r} is not a date: give YYYY-MM-DD, e.g. --published 2016-02-15", Code.BAD_OPTION) from None


def with_published(doc: Document, day: str | None) -> Document:
    """``doc`` with publication date ``day`` when its own metadata gives none."""
    if day is None or doc.metadata.published or not doc.text:
        return doc
    return replace(doc, metadata=replace(doc.metadata, published=day))


@app.command()
def analyze(
    paths: list[str] = typer.Argument(..., help="A report (.txt, .html, .jsonl) or a directory."),
    sentences: Optional[bool] = typer.Option(None, "--sentences/--no-sentences",
                                             help="List every sentence (default: only with --details)."),
    details: bool = typer.Option(False, "--details", "-d",
                                 help="Every table: each event's reasons (type, date, place), every claim's words, "
                                 "every place and slant span. Without it: a short report, one block per event."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Show at most this many documents."),
    published: Optional[str] = typer.Option(
        None, "--published", metavar="YYYY-MM-DD",
        help="Publication date for documents whose metadata gives none (a .txt without a sidecar): "
        "dates such as \"on Monday\" are read relative to it."),
) -> None:
    """Print a readable report of each document: its events (with their evidence sentences and claims), places and slant."""
    check_paths(paths)
    if "-" in paths:
        raise UsageError("analyze reads files; use `fogwatch extract -` for standard input", Code.BAD_OPTION)
    day = check_published_option(published)
    console = Console()
    nlp = building("loading the pipeline (first run: building the gazetteer index)", default_pipeline)
    docs = (repair_document(with_published(doc, day)) for doc in iter_documents(paths, options=ReadOptions()))
    for n, doc in enumerate(nlp.pipe(docs), 1):
        show = details if sentences is None else sentences
        console.print(render_document(doc, show_sentences=show, width=console.width, details=details))
        if limit and n >= limit:
            break
