"""The slant part of ``fogwatch analyze``: body sentences that carry slant, spans highlighted, and a table of spans."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from fogwatch.records import Document, SlantSpan

HIGHLIGHT = "bold black on yellow"


def highlighted_sentence(text: str, start: int, end: int, spans: list[SlantSpan]) -> Text:
    """The sentence text[start:end] with each slant span inside it highlighted."""
    out = Text(text[start:end])
    for s in spans:
        a, b = max(s.start, start) - start, min(s.end, end) - start
        if b > a:
            out.stylize(HIGHLIGHT, a, b)
    return out


def render_slant(doc: Document) -> RenderableType | None:
    if not doc.slant:
        return None
    parts: list[RenderableType] = []
    sents = Table(title=f"Slant in the body ({len(doc.slant)} spans; highlighted)", expand=True, show_lines=True)
    sents.add_column("span", justify="right", style="dim")
    sents.add_column("sentence", ratio=1)
    for sent in doc.sentences:
        inside = [s for s in doc.slant if s.start < sent.end and sent.start < s.end]
        if inside:
            sents.add_row(f"{sent.start}-{sent.end}", highlighted_sentence(doc.text, sent.start, sent.end, inside))
    parts.append(sents)
    table = Table(title="Slant spans", expand=True)
    for col, kw in (("span", {"justify": "right", "style": "dim"}), ("technique", {}), ("score", {"justify": "right"}), ("text", {"ratio": 1})):
        table.add_column(col, **kw)
    for s in doc.slant:
        table.add_row(f"{s.start}-{s.end}", s.technique, f"{s.score:.2f}", Text(doc.text[s.start : s.end], style=HIGHLIGHT))
    parts.append(table)
    return Group(*parts)
