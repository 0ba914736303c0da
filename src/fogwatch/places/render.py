"""``fogwatch analyze``: the places table (registered in fogwatch.cli.analyze.RENDERERS)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from fogwatch.records import Document

_PRECISION = {1: "1 town", 2: "2 near/part", 3: "3 region"}
_FEATURE_STYLE = {"unresolved": "bold red", "country": "cyan", "admin1": "magenta", "admin2": "magenta", "town": "green"}


def render_places(doc: Document) -> Table | None:
    if not doc.places:
        return None
    table = Table(title=f"Places ({len(doc.places)})", expand=True)
    for col, kw in (
        ("span", {"justify": "right", "style": "dim"}),
        ("text", {}),
        ("resolved to", {}),
        ("where", {}),
        ("precision", {}),
        ("score", {"justify": "right"}),
        ("why", {"ratio": 1, "style": "dim"}),
    ):
        table.add_column(col, **kw)
    for p in doc.places:
        name = p.name or "(not in gazetteer)"
        admin = ", ".join(x for x in (p.admin2, p.admin1, p.country_code) if x)
        where = f"{p.latitude:.4f}, {p.longitude:.4f}" if p.latitude is not None else "–"
        table.add_row(
            f"{p.start}-{p.end}",
            p.text,
            Text(f"{name} [{p.feature}]", style=_FEATURE_STYLE.get(p.feature, "")) + Text(f"\n{admin}" if admin else "", style="dim"),
            where,
            _PRECISION.get(p.precision, str(p.precision)),
            f"{p.score:.2f}",
            p.reason,
        )
    return table
