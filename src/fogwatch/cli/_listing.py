"""How ``fogwatch events`` and ``fogwatch claims`` (and the demo) print: a layout for the terminal's width, or CSV.

- At :data:`CARD_WIDTH` columns or more: one table, a row per event (``events``) or per claim (``claims``).
- Narrower (a laptop's 80-column terminal): one card per event, a label per line, so no column is squeezed
  to two letters; rich wraps between words and folds only a single word longer than the whole line.
- ``--format csv``: one row per event (``events``) or per claim (``claims``), a header first; a text cell
  a spreadsheet would run as a formula is neutralised as in the ACLED export
  (:func:`fogwatch.export.csv_cell`).

Captured output at 80 and 160 columns is in docs/cli.md.
"""

from __future__ import annotations

import csv
from typing import IO, TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from rich.console import RenderableType

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
    "evidence_start", "evidence_end", "evidence",
)


def _cell(value: Any) -> Any:
    from fogwatch.export import csv_cell

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
                       "evidence_start": ev.get("start"), "evidence_end": ev.get("end"), "evidence": ev.get("text")}


# --- cards ------------------------------------------------------------------------------------------------------------

def _fatalities(e: dict[str, Any]) -> str:
    best = e["fatalities_best"]
    if e["fatalities_low"] is None and best is None:
        return "-"
    rng = f" (range {e['fatalities_low']}–{e['fatalities_high']})" if e["fatalities_low"] != e["fatalities_high"] else ""
    return f"{best if best is not None else '?'}{rng}"


def _card(title: str, fields: list[tuple[str, str]], note: str | None = None) -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for label, value in fields:
        grid.add_row(label, Text(value))
    parts: list[RenderableType] = [Text(title, style="bold"), grid]
    if note:
        parts.append(Text(note, style="red"))
    return Group(*parts, Text(""))


def event_card(e: dict[str, Any]) -> RenderableType:
    place = ", ".join(x for x in (e["location_name"], e["admin1"], e["country_code"]) if x) or "?"
    actors = " · ".join(a for a in (e["actor1"], e["actor2"]) if a) or "-"
    contested = f"yes ({e['discrepancy']:.2f}): " + "; ".join(e["discrepancy_reasons"]) if e["contested"] else "no"
    return _card(
        f"{e['event_id']}  {e['event_date'] or '?'}  {e['sub_event_type'] or e['event_type'] or '?'}",
        [("place", place), ("actors", actors), ("fatalities", _fatalities(e)),
         ("reports", f"{e['n_documents']} from {e['n_sources']} source(s): {e['sources'] or '-'}"), ("contested", contested)],
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
        grid.add_row("•", line)
    parts.append(grid)
    return Group(*parts, Text(""))


def events_view(events: list[dict[str, Any]], width: int, title: str | None = None) -> RenderableType:
    """The events as a table (``width`` >= :data:`CARD_WIDTH`) or as one card per event."""
    from rich.console import Group
    from rich.text import Text

    if width >= CARD_WIDTH:
        from fogwatch.cli.store import events_table

        return events_table(events, title=title)
    head: list[RenderableType] = [Text(title, style="bold italic")] if title else []
    return Group(*head, *(event_card(e) for e in events))


def claims_views(store: Store, events: list[dict[str, Any]], width: int) -> list[RenderableType]:
    """Per event, its claims: a table each (``width`` >= :data:`CARD_WIDTH`) or a card each."""
    if width >= CARD_WIDTH:
        from fogwatch.cli.store import claims_tables

        return list(claims_tables(store, events))
    members = store.members([e["event_id"] for e in events])
    return [claims_card(e, members.get(e["event_id"], [])) for e in events]
