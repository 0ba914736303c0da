"""Where the benchmark scripts find ``../shared``, and FA-KES read one way for all of them.

The scripts run as ``python benchmarks/<name>.py`` (this folder is first on ``sys.path``), so they
import this module as ``from _corpus import FAKES, fakes_rows``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"
FAKES = SHARED / "corpus" / "fakes" / "fakes.jsonl"
CASE_DEV = SHARED / "eval" / "case2021" / "dev.tsv"


def fakes_rows(limit: int | None = None) -> list[dict[str, Any]]:
    """FA-KES's rows (``id``, ``text``, ``published``, ``source``, ...), the first ``limit`` when given."""
    rows: list[dict[str, Any]] = []
    with FAKES.open(encoding="utf-8") as fh:
        for line in fh:
            if limit is not None and len(rows) >= limit:
                break
            rows.append(json.loads(line))
    return rows


def published(row: dict[str, Any]) -> str | None:
    """A FA-KES row's publication date (``YYYY-MM-DD``), None when it has none."""
    value = row.get("published") or row.get("date")
    return str(value)[:10] if value else None


def fakes_documents(limit: int | None = None) -> list[Any]:
    """FA-KES's rows as fogwatch ``Document``s (ids ``"0"``, ``"1"``, ... in file order, with their publication dates)."""
    from fogwatch.records import Document, Metadata

    return [Document(doc_id=str(i), text=r["text"], metadata=Metadata(published=published(r))) for i, r in enumerate(fakes_rows(limit))]
