"""``fogwatch sources``: each outlet's slant profile from the store (spans per 1,000 words, by technique)."""

from __future__ import annotations

import json
import sys
from typing import Any

import typer

from fogwatch.cli import app
from fogwatch.cli.store import DB_HELP, ListFormat, check_db, db_default, open_db
from fogwatch.slant.model import TECHNIQUES

# Short column heads for the table (the JSON and CSV keep the contract's names).
SHORT = {
    "Appeal_to_Authority": "authority", "Appeal_to_fear-prejudice": "fear", "Bandwagon,Reductio_ad_hitlerum": "bandwagon",
    "Black-and-White_Fallacy": "black/white", "Causal_Oversimplification": "causal", "Doubt": "doubt",
    "Exaggeration,Minimisation": "exagg/minim", "Flag-Waving": "flag", "Loaded_Language": "loaded",
    "Name_Calling,Labeling": "labels", "Repetition": "repetition", "Slogans": "slogans",
    "Thought-terminating_Cliches": "cliches", "Whataboutism,Straw_Men,Red_Herring": "whatabout",
}


@app.command()
def sources(
    db: str = typer.Option(db_default(), "--db", help=DB_HELP),
    format: ListFormat = typer.Option(ListFormat.table, "--format", help="table, json or csv."),
    min_documents: int = typer.Option(1, "--min-documents", min=1, help="Only outlets with at least this many stored reports."),
) -> None:
    """Each outlet's slant: spans per 1,000 words of its stored reports, in all and by technique."""
    from fogwatch.store.slant import outlet_profiles

    check_db(db)
    with open_db(db, read_only=True) as store, store.engine.connect() as conn:
        profiles = [p for p in outlet_profiles(conn) if p.documents >= min_documents]
    rows: list[dict[str, Any]] = [
        {"outlet": p.outlet, "documents": p.documents, "words": p.words, "slant_spans": sum(p.spans.values()),
         "per_1000_words": round(p.per_1000_words(), 2), **{t: round(p.per_1000_words(t), 2) for t in TECHNIQUES}}
        for p in profiles
    ]
    if format == ListFormat.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return
    if format == ListFormat.csv:
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=["outlet", "documents", "words", "slant_spans", "per_1000_words", *TECHNIQUES])
        writer.writeheader()
        writer.writerows(rows)
        return
    from rich.console import Console
    from rich.table import Table

    used = [t for t in TECHNIQUES if any(r[t] for r in rows)]
    table = Table(title="Slant by outlet (spans per 1,000 words)", expand=False)
    for col in ("outlet", "reports", "words", "all", *(SHORT[t] for t in used)):
        table.add_column(col, justify="left" if col == "outlet" else "right")
    for r in rows:
        table.add_row(r["outlet"], str(r["documents"]), f"{r['words']:,}", f"{r['per_1000_words']:.1f}", *(f"{r[t]:.1f}" for t in used))
    Console().print(table)
