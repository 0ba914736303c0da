"""``fogwatch datasette-metadata``: Datasette metadata that labels a store's tables and hides its internals.

The labels, descriptions, facets and the hidden tables are data (``data/datasette/metadata.yaml``),
checked against the store's schema when loaded: a table or column the file names must be one of the
store's (or of its SQLite spatial index), E902 otherwise. A store table the file leaves out is shown
by Datasette as it is; ``tests/cli/test_datasette_metadata.py`` asks that every one be described or hidden.
Datasette keys metadata by the database's name, the file name without ``.db``, which ``--db`` gives.
"""

from __future__ import annotations

import json
import os
import sys
from importlib.resources import files
from pathlib import Path
from typing import Any

import typer

from fogwatch.cli import app
from fogwatch.errors import Code, FogwatchError, UsageError

# The SQLite R*Tree over fused_events and the tables SQLite keeps for it (not in the SQLAlchemy schema).
RTREE_TABLES = ("fused_events_rtree", "fused_events_rtree_node", "fused_events_rtree_parent", "fused_events_rtree_rowid")
TABLE_KEYS = {"title", "description", "label_column", "sort", "sort_desc", "facets", "columns"}
TOP_KEYS = {"title", "description", "about", "tables", "hidden"}


def store_tables() -> dict[str, set[str]]:
    """Table -> column names of the store (SQLAlchemy schema), plus the R*Tree tables (no columns listed)."""
    from fogwatch.store.schema import metadata

    tables = {t.name: {c.name for c in t.columns} for t in metadata.sorted_tables}
    tables.update({name: set() for name in RTREE_TABLES})
    return tables


def load_metadata_rules(text: str | None = None, origin: str = "fogwatch/data/datasette/metadata.yaml") -> dict[str, Any]:
    """The packaged rules (or ``text``), checked against the store's schema: E902 naming what is wrong."""
    import yaml

    if text is None:
        text = files("fogwatch").joinpath("data", "datasette", "metadata.yaml").read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FogwatchError(f"{origin}: not valid YAML ({exc})", Code.DATASETTE_METADATA) from None
    problem = _problem(data, store_tables())
    if problem:
        raise FogwatchError(f"{origin}: {problem}", Code.DATASETTE_METADATA)
    return data


def _problem(data: Any, tables: dict[str, set[str]]) -> str | None:
    if not isinstance(data, dict) or set(data) - TOP_KEYS:
        return f"expected a mapping with {', '.join(sorted(TOP_KEYS))}"
    described = data.get("tables") or {}
    hidden = data.get("hidden") or []
    if not isinstance(described, dict) or not isinstance(hidden, list):
        return "`tables` must be a mapping and `hidden` a list of table names"
    for name in [*described, *hidden]:
        if name not in tables:
            return f"table {name!r} is not one of the store's ({', '.join(sorted(tables))})"
    for name, info in described.items():
        if not isinstance(info, dict) or set(info) - TABLE_KEYS:
            return f"table {name!r}: expected some of {', '.join(sorted(TABLE_KEYS))}"
        named = [info.get("label_column"), info.get("sort"), info.get("sort_desc"), *(info.get("facets") or []), *(info.get("columns") or {})]
        for column in named:
            if column is not None and column not in tables[name]:
                return f"table {name!r} has no column {column!r}"
    return None


def undescribed_tables(rules: dict[str, Any]) -> list[str]:
    """The store's tables the rules neither describe nor hide (Datasette shows them unlabelled)."""
    return sorted(set(store_tables()) - set(rules.get("tables") or {}) - set(rules.get("hidden") or []))


def datasette_metadata(database: str, rules: dict[str, Any] | None = None) -> dict[str, Any]:
    """Datasette's metadata document for the store Datasette serves as ``database``."""
    rules = rules or load_metadata_rules()
    tables: dict[str, dict[str, Any]] = {}
    for name, info in (rules.get("tables") or {}).items():
        tables[name] = {k: v for k, v in info.items() if k != "columns"}
        if info.get("columns"):
            tables[name]["columns"] = dict(info["columns"])
    for name in rules.get("hidden") or []:
        tables[name] = {"hidden": True}
    return {
        "title": rules.get("title"),
        "description": rules.get("description"),
        "about": rules.get("about"),
        "databases": {database: {"tables": tables}},
    }


@app.command("datasette-metadata")
def datasette_metadata_command(
    db: str = typer.Option(os.environ.get("FOGWATCH_DB", "fogwatch.db"), "--db", help="The SQLite store Datasette will serve (its name is the file name without .db)."),
) -> None:
    """Print Datasette metadata (JSON) that labels the store's tables and hides its internals.

    fogwatch datasette-metadata --db fogwatch.db > metadata.json && datasette fogwatch.db --metadata metadata.json
    """
    if "://" in db:
        raise UsageError("--db: Datasette serves SQLite files; give the store's file name", Code.BAD_OPTION)
    json.dump(datasette_metadata(Path(db).stem), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
