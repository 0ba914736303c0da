"""How ``fogwatch events`` and ``fogwatch claims`` (and the demo) print: a layout for the terminal's width, or CSV.

- At :data:`CARD_WIDTH` columns or more: one table, a row per event (``events``) or per claim (``claims``).
- Narrower (a laptop's 80-column terminal): one card per event, a label per line, so no column is squeezed
  to two letters; rich wraps between words and folds only a single word longer than the whole line.
- ``--format csv``: one row per event (``events``) or per claim (``claims``), a header first; a text cell
  a spreadsheet would run as a formula is neutralised as in the ACLED export
  (:func:`fogwatch.export.writers.csv_cell`).

Captured output at 80 and 160 columns is in docs/cli.md.
"""

from __future__ import annotations

import csv
from typing import IO, TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table

    from fogwatch.records import Document
    from fogwatch.store import Store

# Below this many columns the tables give way to cards.
CARD_WIDTH = 120

EVENT_CSV_COLUMNS: tuple[str, ...] = (
    "event_id", "event_date", "date_start", "date_end", "time_precision", "event_type", "sub_event_type",
    "location_name", "admin1", "admin2", "country_code", "latitude", "longitude", "geo_precision",
    "actor1", "actor1_inter", "actor2", "actor2_inter", "fatalities_low", "fatalities_best", "fatalities_high",
    "n_mentions", "n_documents", "n_sources", "sources", "contested", "discrepancy", "discrepancy_reasons",
)
CLAIM_CSV_COLUMNS: tuple[str, ...] = (
    "event_id", "event_date", "sub_event_type", "location_name", "admin1", "contested", "outlet", "republisher",
    "near_copy_of", "doc_id", "event_modality", "quantity", "subject", "figure", "low", "high", "claimant", "modality",
    "evidence_start", "evidence_end", "evidence", "sentence_slant",
)


def _cell(value: Any) -> Any:
    from fogwatch.export.writers import csv_cell

    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    return csv_cell(value)


def write_csv(rows: Iterable[dict[str, Any]], columns: tuple[str, ...], out: IO[str]) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    n = 0
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
        n += 1
    return n


def claim_rows(events: list[dict[str, Any]], members: dict[str, list[dict[str, Any]]]) -> Iterable[dict[str, Any]]:
    """One flat row per claim (a member report without a figure: one row with its modality, no claim)."""
    for e in events:
        for m in members.get(e["event_id"], []):
            base = {
                "event_id": e["event_id"], "event_date": e["event_date"], "sub_event_type": e["sub_event_type"] or e["event_type"],
                "location_name": e["location_name"], "admin1": e["admin1"], "contested": e["contested"],
                "outlet": m["outlet"] or m["doc_id"], "republisher": m["republisher"], "near_copy_of": m["duplicate_of"],
                "doc_id": m["doc_id"], "event_modality": m["modality"],
            }
            if not m["claims"]:
                yield base
            for c in m["claims"]:
                ev = c.get("evidence") or {}
                yield {**base, "quantity": c["quantity"], "subject": c["subject"], "figure": c["figure"], "low": c["low"],
                       "high": c["high"], "claimant": c["claimant"] or "(author)", "modality": c["modality"],
                       "evidence_start": ev.get("start"), "evidence_end": ev.get("end"), "evidence": ev.get("text"),
                       "sentence_slant": c.get("sentence_slant") or []}


# --- cards ------------------------------------------------------------------------------------------------------------

def _fatalities(e: dict[str, Any]) -> str:
    best = e["fatalities_best"]
    if e["fatalities_low"] is None and best is None:
        return "-"
    rng = f" (range {e['fatalities_low']}–{e['fatalities_high']})" if e["fatalities_low"] != e["fatalities_high"] else ""
    return f"{best if best is not None else '?'}{rng}"


def _reports(e: dict[str, Any]) -> str:
    n = e["n_sources"]
    return f"{e['n_documents']} ({n} source{'s' if n != 1 else ''})"


def card(title: str, fields: list[tuple[str, str]], note: str | None = None) -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for label, value in fields:
        grid.add_row(label, Text(value))
    parts: list[RenderableType] = [Text(title, style="bold"), grid] if title else [grid]
    if note:
        parts.append(Text(note, style="red"))
    return Group(*parts, Text(""))


def event_card(e: dict[str, Any]) -> RenderableType:
    place = ", ".join(x for x in (e["location_name"], e["admin1"], e["country_code"]) if x) or "?"
    actors = " · ".join(a for a in (e["actor1"], e["actor2"]) if a) or "-"
    contested = f"yes ({e['discrepancy']:.2f}): " + "; ".join(e["discrepancy_reasons"]) if e["contested"] else "no"
    return card(
        f"{e['event_id']}  {e['event_date'] or '?'}  {e['sub_event_type'] or e['event_type'] or '?'}",
        [("place", place), ("actors", actors), ("fatalities", _fatalities(e)),
         ("reports", f"{_reports(e)}: {e['sources'] or '-'}"), ("contested", contested)],
    )


def claims_card(e: dict[str, Any], members: list[dict[str, Any]]) -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    place = ", ".join(x for x in (e["location_name"], e["admin1"]) if x) or "?"
    flag = f"contested ({e['discrepancy']:.2f})" if e["contested"] else "agreed"
    head = Text(f"{e['event_id']}  {e['event_date'] or '?'}  {e['sub_event_type'] or e['event_type']}  {place}  ", style="bold")
    head.append(flag, style="red" if e["contested"] else "green")
    parts: list[RenderableType] = [head]
    for reason in e["discrepancy_reasons"]:
        parts.append(Text(f"  {reason}", style="red"))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for row in claim_rows([e], {e["event_id"]: members}):
        source = row["outlet"] + (f" (via {row['republisher']})" if row["republisher"] else "") + (" (near-copy)" if row["near_copy_of"] else "")
        if row.get("figure") is None:
            grid.add_row("•", Text(f"{source}: no figure ({row['event_modality'] or 'asserted'})"))
            continue
        what = " ".join(x for x in (row["quantity"], row["subject"]) if x)
        line = Text(f"{source}: {row['figure']} {what}, per {row['claimant']}, {row['modality'] or '-'}")
        if row["evidence"]:
            line.append(f"\n“{row['evidence']}”", style="dim")
        if row.get("sentence_slant"):
            line.append(f"\nslant in this sentence: {', '.join(row['sentence_slant'])}", style="yellow")
        grid.add_row("•", line)
    parts.append(grid)
    return Group(*parts, Text(""))


def _column_widths(rows: Sequence[Sequence[object]], headers: Sequence[str], width: int) -> list[int] | None:
    """Content widths for a table of ``rows`` in ``width`` columns, or None when it cannot fit without cutting a word.

    Each column gets at least its longest word; what is left is shared in proportion to how much more each
    column's longest cell would take. (Rich's own fitting can push a column under its longest word, which
    then breaks mid-word or overflows the line.)
    """
    cells = [[str(row[i]) for row in (*rows, headers)] for i in range(len(headers))]
    # a header stays on one line; a cell wraps between words
    least = [max(len(h), *(len(word) for cell in col for word in (cell.split() or [""]))) for h, col in zip(headers, cells)]
    most = [max(len(cell) for cell in col) for col in cells]
    room = width - 3 * len(headers) - 1  # "│ " + " " per column, and the last "│"
    if sum(least) > room:
        return None
    if sum(most) <= room:
        return most
    spare = room - sum(least)
    want = [m - lo for m, lo in zip(most, least)]
    total = sum(want) or 1
    widths = [lo + spare * w // total for lo, w in zip(least, want)]
    leftover = room - sum(widths)
    for i in sorted(range(len(widths)), key=lambda i: want[i], reverse=True)[:leftover]:
        widths[i] += 1
    return widths


def events_table(events: list[dict[str, Any]], width: int, title: str | None = None) -> Table | None:
    """One row per event in ``width`` columns, or None when that cannot be done without cutting a word
    ("Shelling/artillery/missile" is one word: the type column is at least that wide)."""
    rows = []
    for e in events:
        place = ", ".join(x for x in (e["location_name"], e["admin1"], e["country_code"]) if x) or "?"
        actors = " · ".join(a for a in (e["actor1"], e["actor2"]) if a) or "-"
        contested = f"yes {e['discrepancy']:.2f}" if e["contested"] else "no"
        rows.append((e["event_id"], e["event_date"] or "?", e["sub_event_type"] or e["event_type"] or "?", place, actors,
                     _fatalities(e).replace("range ", ""), _reports(e), e["sources"] or "", contested))
    headers = ("event", "date", "type", "place", "actors", "killed", "reports", "outlets", "contested")
    return fitted_table(headers, rows, width, title=title)


def fitted_table(headers: Sequence[str], rows: Sequence[Sequence[object]], width: int, title: str | None = None) -> Table | None:
    """A table of ``rows`` exactly ``width`` columns wide at most, or None when a column would have to cut a word."""
    from rich.table import Table

    widths = _column_widths(rows, headers, width)
    if widths is None:
        return None
    table = Table(title=title, show_lines=False)
    for header, w in zip(headers, widths):
        table.add_column(header, width=w, overflow="fold")
    for row in rows:
        table.add_row(*(str(cell) for cell in row))
    return table


def events_view(events: list[dict[str, Any]], width: int, title: str | None = None) -> RenderableType:
    """The events as a table (``width`` >= :data:`CARD_WIDTH`, when it fits without cutting a word) or one card per event."""
    from rich.console import Group
    from rich.text import Text

    table = events_table(events, width, title=title) if width >= CARD_WIDTH else None
    if table is not None:
        return table
    head: list[RenderableType] = [Text(title, style="bold italic")] if title else []
    return Group(*head, *(event_card(e) for e in events))


def claims_table(e: dict[str, Any], members: list[dict[str, Any]], width: int) -> RenderableType | None:
    """An event's claims as one table (a row per claim) in ``width`` columns, or None when a word would be cut."""
    from rich.console import Group
    from rich.text import Text

    place = ", ".join(x for x in (e["location_name"], e["admin1"]) if x) or "?"
    flag = f"contested {e['discrepancy']:.2f}" if e["contested"] else "agreed"
    rows = []
    for row in claim_rows([e], {e["event_id"]: members}):
        source = row["outlet"] + (f" (via {row['republisher']})" if row["republisher"] else "") + (" (near-copy)" if row["near_copy_of"] else "")
        what = " ".join(x for x in (row.get("quantity"), row.get("subject")) if x) or "-"
        rows.append((source, row["doc_id"], what, row.get("figure") or "-", row.get("claimant") or "(author)",
                     row.get("modality") or row["event_modality"] or "-",
                     (row.get("evidence") or "") + (f" [slant: {', '.join(row['sentence_slant'])}]" if row.get("sentence_slant") else "")))
    table = fitted_table(("source", "report", "claim", "figure", "claimant", "modality", "evidence"), rows, width)
    if table is None:
        return None
    head = Text(f"{e['event_id']} · {e['event_date'] or '?'} · {e['sub_event_type'] or e['event_type']} · {place} · ", style="bold")
    head.append(flag, style="red" if e["contested"] else "green")
    reasons = [Text(r, style="red") for r in e["discrepancy_reasons"]]
    return Group(head, table, *reasons, Text(""))


def claims_views(store: Store, events: list[dict[str, Any]], width: int) -> list[RenderableType]:
    """Per event, its claims: a table (``width`` >= :data:`CARD_WIDTH`, when it fits without cutting a word) or a card."""
    members = store.members([e["event_id"] for e in events])
    views = []
    for e in events:
        ms = members.get(e["event_id"], [])
        table = claims_table(e, ms, width) if width >= CARD_WIDTH else None
        views.append(table if table is not None else claims_card(e, ms))
    return views


# --- analyze: one document's events and places as cards (under CARD_WIDTH) -------------------------------------------

def _quote(text: str, start: int, end: int, limit: int = 400) -> str:
    flat = " ".join(text[start:end].split())
    if len(flat) > limit:  # cut at a word boundary, never inside a word
        flat = flat[:limit].rsplit(" ", 1)[0] + " …"
    return f"“{flat}”"


def document_event_cards(doc: Document) -> RenderableType | None:
    """``analyze``'s events and their claims, one card per event: every value on its own line, evidence in full words."""
    from rich.console import Group
    from rich.text import Text

    if not doc.sentences:
        return None
    parts: list[RenderableType] = [Text(f"Events ({len(doc.events)})", style="bold underline")]
    for n, e in enumerate(doc.events, 1):
        d = e.date
        when = (d.date or "?") + (f" to {d.date_end}" if d.date_end else "") + (f" (precision {d.time_precision})" if d.time_precision else "")
        if d.reason:
            when += f": {d.reason}"
        where = "-"
        if e.location is not None:
            loc = e.location
            where = ", ".join(x for x in (loc.name, loc.admin1, loc.country_code) if x) or "?"
            where += (f" (precision {loc.geo_precision})" if loc.geo_precision else "") + (f": {loc.reason}" if loc.reason else "")
        actors = " → ".join(f"{a.name} [inter {a.inter}] ({a.text})" if a.text and a.text != a.name else f"{a.name} [inter {a.inter}]"
                            for a in (e.actor1, e.actor2) if a) or "-"
        fields = [
            ("type", f"{e.event_type} / {e.sub_event_type} ({e.type_reason}; trigger “{e.trigger}”)" if e.trigger else f"{e.event_type} / {e.sub_event_type}"),
            ("date", when), ("place", where), ("actors", actors),
            ("fatalities", str(e.fatalities) if e.fatalities is not None else "-"),
            ("modality", e.modality + (f", per {e.attribution}" if e.attribution else "")),
            ("evidence", " ".join(_quote(doc.text, s.start, s.end) for s in e.evidence) or "-"),
        ]
        for c in e.claims:
            figure = c.figure or (str(c.low) if c.low == c.high else f"{c.low}-{c.high}")
            what = " ".join(x for x in (c.quantity, c.subject) if x)
            fields.append(("claim", f"{figure} {what}, per {c.claimant or '(author)'}, {c.modality}: "
                                    f"{_quote(doc.text, c.evidence.start, c.evidence.end)}"))
        parts.append(card(f"#{n}  {e.sub_event_type}  (confidence {e.confidence:.2f})", fields))
    return Group(*parts)


def document_place_cards(doc: Document) -> RenderableType | None:
    """``analyze``'s places, one line each: the text, what it resolved to, and why."""
    from rich.console import Group
    from rich.text import Text

    if not doc.places:
        return None
    rows = []
    for p in doc.places:
        name = p.name or "(not in the gazetteer)"
        where = ", ".join(x for x in (p.admin1, p.country_code) if x)
        rows.append((f"{p.start}-{p.end}", f"“{p.text}” → {name} [{p.feature}, precision {p.precision}]" + (f", {where}" if where else "")
                     + f"; {p.reason}"))
    return Group(Text(f"Places ({len(doc.places)})", style="bold underline"), card("", rows))
