"""``fogwatch analyze``'s short report (the default; ``--details`` prints every table).

One block per event: a headline (sub-type, place, date, dead, confidence), the actors and how firmly the report
tells it, each sentence of its evidence once (a claim's figure is inside a sentence already shown, so a claim is one
line: the figure, whose it is, how it is put), then one line for the places and one for the slant. Every line is
rich text that wraps between words at any width (a single word longer than the line is the only thing folded).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import RenderableType

    from fogwatch.records import Document

MAX_SENTENCES = 2  # evidence sentences shown per event; the rest are counted ("+1 more sentence")
MAX_PLACE_NAMES = 12


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _indented(lines: list[tuple[str, str]]) -> RenderableType:
    """Lines under an event's headline, indented so that a wrapped line stays under its own text."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, width=2)
    grid.add_column(ratio=1, overflow="fold")
    for style, value in lines:
        grid.add_row("", Text(value, style=style))
    return grid


def _evidence_sentences(doc: Document, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences the spans lie in, each once, in text order (a span outside every sentence stands for itself)."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        sent = next(((s.start, s.end) for s in doc.sentences if s.start <= start < s.end), (start, end))
        if sent not in out:
            out.append(sent)
    return sorted(out)


def event_blocks(doc: Document) -> list[RenderableType]:
    from rich.text import Text

    if not doc.events:
        return [Text("Events: none found", style="bold")]
    parts: list[RenderableType] = [Text(f"Events ({len(doc.events)})", style="bold underline")]
    for n, e in enumerate(doc.events, 1):
        where = "place ?"
        if e.location is not None:
            where = ", ".join(x for x in (e.location.name, e.location.admin1, e.location.country_code) if x) or "place ?"
        when = e.date.date or "date ?"
        if e.date.date_end:
            when += f" to {e.date.date_end}"
        head = Text(f"#{n} ", style="bold")
        head.append(e.sub_event_type or e.event_type, style="bold")
        head.append(f" · {where} · {when}")
        if e.fatalities is not None:
            head.append(f" · {e.fatalities} dead", style="bold red")
        head.append(f" · {e.confidence:.2f}", style="dim")
        if e.background:
            head.append(" · background", style="yellow")
        lines: list[tuple[str, str]] = []
        actors = " → ".join(a.name for a in (e.actor1, e.actor2) if a) or "no actor named"
        lines.append(("", f"{actors} · {e.modality}" + (f", per {e.attribution}" if e.attribution else "")))
        sentences = _evidence_sentences(doc, [(s.start, s.end) for s in e.evidence])
        for start, end in sentences[:MAX_SENTENCES]:
            lines.append(("dim", f"“{_flat(doc.text[start:end])}”"))
        if len(sentences) > MAX_SENTENCES:
            more = len(sentences) - MAX_SENTENCES
            lines.append(("dim", f"(+{more} more sentence{'s' if more != 1 else ''}: --details)"))
        for c in e.claims:
            figure = c.figure or (str(c.low) if c.low == c.high else f"{c.low}-{c.high}")
            what = " ".join(x for x in (c.quantity, c.subject) if x)
            note = "" if c.counted else f"; not counted: {c.count_reason}" if c.count_reason else "; not counted"
            lines.append(("", f"claim: {figure} {what} (per {c.claimant or 'the author'}, {c.modality}{note})"))
        parts.extend([head, _indented(lines)])
    return parts


def places_line(doc: Document) -> RenderableType | None:
    from rich.text import Text

    if not doc.places:
        return None
    counts = Counter(p.name or f"“{p.text}” (not in the gazetteer)" for p in doc.places)
    names = [f"{name} {k}" if k > 1 else name for name, k in counts.most_common(MAX_PLACE_NAMES)]
    rest = len(counts) - len(names)
    line = Text(f"Places ({_n(len(doc.places), 'mention')} of {len(counts)}): ", style="bold")
    line.append(", ".join(names) + (f" and {rest} more" if rest else ""), style="")
    return line


def slant_line(doc: Document) -> RenderableType | None:
    from rich.text import Text

    if not doc.slant:
        return None
    techniques = Counter(s.technique for s in doc.slant)
    inside = {sent for sent in doc.sentences for s in doc.slant if s.start < sent.end and sent.start < s.end}
    line = Text(f"Slant ({_n(len(doc.slant), 'span')} in {_n(len(inside), 'sentence')}): ", style="bold")
    line.append(", ".join(f"{t} {k}" if k > 1 else t for t, k in techniques.most_common()))
    return line


def short_report(doc: Document) -> list[RenderableType]:
    """The parts of the short report after the document's panel."""
    from rich.text import Text

    sections = Text("Sections: ", style="bold")
    sections.append("; ".join(f"{s.kind} {s.start}-{s.end}" + (f" ({s.reason})" if s.reason else "") for s in doc.sections) or "none")
    sections.append(f" · Sentences: {len(doc.sentences)} (--sentences lists them)")
    parts: list[RenderableType] = [sections, *event_blocks(doc)]
    for extra in (places_line(doc), slant_line(doc)):
        if extra is not None:
            parts.append(extra)
    parts.append(Text("--details: every sentence, each event's reasons, every place and slant span", style="dim italic"))
    return parts
