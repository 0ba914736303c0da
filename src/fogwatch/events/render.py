"""``fogwatch analyze``: events and every claim, readable (registered in fogwatch.cli.analyze.RENDERERS)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from fogwatch.records import Document

_MODALITY_STYLE = {"asserted": "green", "reported": "cyan", "claimed": "yellow", "denied": "red", "hypothetical": "magenta"}


def _flat(text: str, width: int = 110) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _bounds(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return str(low) if low == high else f"{low}-{high}"
    if low is not None:
        return f"≥{low}"
    if high is not None:
        return f"≤{high}"
    return "?"


def render_events(doc: Document) -> RenderableType | None:
    """Two tables: the events (type, date, place, actors, fatalities, modality) and the claims behind them."""
    if not doc.sentences:
        return None
    events = Table(title=f"Events ({len(doc.events)})", expand=True)
    for col, kw in (
        ("#", {"justify": "right"}),
        ("conf", {"justify": "right"}),
        ("type / sub-type", {}),
        ("date", {}),
        ("location", {}),
        ("actor1 → actor2", {}),
        ("dead", {"justify": "right"}),
        ("modality", {}),
        ("evidence", {"ratio": 1}),
    ):
        events.add_column(col, **kw)
    claims = Table(title="Claims (every figure, with who claims it)", expand=True)
    for col, kw in (("event", {"justify": "right"}), ("quantity", {}), ("figure", {"justify": "right"}), ("subject", {}),
                    ("claimant", {}), ("modality", {}), ("text", {"ratio": 1})):
        claims.add_column(col, **kw)
    for n, e in enumerate(doc.events, 1):
        d = e.date
        when = d.date or "?"
        if d.date_end:
            when += f" → {d.date_end}"
        if d.time_precision:
            when += f" (p{d.time_precision})"
        where = "—"
        if e.location is not None:
            where = f"{e.location.name or '?'}" + (f" (p{e.location.geo_precision})" if e.location.geo_precision else "")
        a1 = f"{e.actor1.name} [{e.actor1.inter}]" if e.actor1 else "—"
        a2 = f"{e.actor2.name} [{e.actor2.inter}]" if e.actor2 else "—"
        modality = Text(e.modality, style=_MODALITY_STYLE.get(e.modality, ""))
        if e.attribution:
            modality.append(f"\n{e.attribution}", style="dim")
        evidence = _flat(doc.text[e.evidence[0].start : e.evidence[0].end])
        events.add_row(str(n), f"{e.confidence:.2f}", f"{e.event_type}\n[bold]{e.sub_event_type}[/bold]", when, where,
                       f"{a1}\n→ {a2}", "" if e.fatalities is None else str(e.fatalities), modality, evidence)
        for c in e.claims:
            claims.add_row(str(n), c.quantity, _bounds(c.low, c.high), c.subject or "", c.claimant or "(author)",
                           Text(c.modality, style=_MODALITY_STYLE.get(c.modality, "")), _flat(doc.text[c.evidence.start : c.evidence.end], 80))
    if not doc.events:
        return Text("Events: none found in the body text.", style="dim")
    return Group(events, claims)
