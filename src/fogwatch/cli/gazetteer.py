"""``fogwatch gazetteer build|add|info``: the offline gazetteer index."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from fogwatch.cli import app
from fogwatch.errors import Code, UsageError
from fogwatch.places.gazetteer import Gazetteer, default_index_path
from fogwatch.places.sources import GEONAMES_DUMP_URL, add_source

gazetteer_app = typer.Typer(
    help="The offline gazetteer: build it, add GeoNames dumps or your own places, see what is loaded.",
    no_args_is_help=True,
)
app.add_typer(gazetteer_app, name="gazetteer")

_INDEX_HELP = "The index file (default: $FOGWATCH_CACHE_DIR or ~/.cache/fogwatch, gazetteer.sqlite)."


def _index(index: Optional[Path]) -> Path:
    """The index, built first when missing or stale (a progress bar with the places' total on a terminal)."""
    from fogwatch.cli._progress import index_with_progress

    return index_with_progress(index or default_index_path())


@gazetteer_app.command("build")
def build(index: Optional[Path] = typer.Option(None, "--index", help=_INDEX_HELP)) -> None:
    """Build the default index now (it is otherwise built on first use)."""
    path = _index(index)
    info = Gazetteer(path).info()
    typer.echo(f"gazetteer index at {path}: {info['places']} places, {info['names']} names ({info['size_mb']} MB)")


@gazetteer_app.command("add")
def add(
    source: str = typer.Argument(..., help=f"A GeoNames dump (SY.zip, SY.txt, allCountries.zip), alternateNamesV2, a CSV (name,lat,lon,country,admin1,aliases), a URL to one, or a dump's name (SY, allCountries, alternateNamesV2) to download from {GEONAMES_DUMP_URL}"),
    sha256: Optional[str] = typer.Option(None, "--sha256", help="Refuse the file unless its SHA-256 is this."),
    index: Optional[Path] = typer.Option(None, "--index", help=_INDEX_HELP),
    replace: bool = typer.Option(False, "--replace", help="Apply rows that move a GeoNames id the index already has to another country or more than 25 km away (skipped and counted otherwise)."),
    max_download_mb: float = typer.Option(2048.0, "--max-download-mb", min=0.001, help="Refuse a download larger than this (E405)."),
) -> None:
    """Add places (or alternate names) to the gazetteer index."""
    if sha256 is not None and (len(sha256) != 64 or any(c not in "0123456789abcdefABCDEF" for c in sha256)):
        raise UsageError("--sha256 takes 64 hexadecimal digits", Code.BAD_OPTION)
    path = _index(index)
    result = add_source(path, source, sha256=sha256, replace=replace, max_download_bytes=int(max_download_mb * 1024 * 1024))
    if result.kind == "alternate-names":
        typer.echo(f"added {result.names} alternate names from {result.source}")
    else:
        typer.echo(f"added {result.places} places ({result.names} names) from {result.source} [{result.kind}]")
    if result.moved_skipped:
        typer.echo(f"skipped {result.moved_skipped} row(s) that would move a GeoNames id the index already has to another "
                   f"country or more than 25 km away [{Code.GAZETTEER_MOVED_ID}]; give --replace to apply them")


@gazetteer_app.command("info")
def info(
    as_json: bool = typer.Option(False, "--json", help="Print the facts as JSON."),
    top: int = typer.Option(25, "--top", min=1, help="Show this many countries."),
    index: Optional[Path] = typer.Option(None, "--index", help=_INDEX_HELP),
) -> None:
    """What the gazetteer holds: sources, features, places per country."""
    facts = Gazetteer(_index(index)).info()
    if as_json:
        typer.echo(json.dumps(facts, ensure_ascii=False, indent=1))
        return
    console = Console()
    console.print(f"[bold]gazetteer[/bold] {facts['path']} ({facts['size_mb']} MB), built {facts['meta'].get('built', '?')}")
    console.print(f"{facts['places']} places, {facts['names']} name keys")
    sources = Table(title="Sources")
    for col in ("source", "added", "places", "detail"):
        sources.add_column(col)
    for s in facts["sources"]:
        sources.add_row(s["name"], s["added"] or "", str(facts["by_source"].get(s["name"], 0)), s["detail"] or "")
    console.print(sources)
    console.print("features: " + ", ".join(f"{k} {v}" for k, v in facts["by_feature"].items()))
    countries = Table(title=f"Places per country (top {top} of {len(facts['by_country'])})")
    countries.add_column("country")
    countries.add_column("places", justify="right")
    for cc, n in list(facts["by_country"].items())[:top]:
        countries.add_row(cc, str(n))
    console.print(countries)
