"""`fogwatch datasette-metadata`: a real `datasette serve` with it lists the store's tables labelled, without the internals."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import httpx
import pytest

from fogwatch.errors import Code, FogwatchError

DATASETTE = Path(sys.executable).with_name("datasette")


def test_the_packaged_rules_cover_every_store_table():
    from fogwatch.cli.datasette import load_metadata_rules, undescribed_tables

    rules = load_metadata_rules()
    missing = undescribed_tables(rules)
    assert not missing, f"describe or hide {missing} in src/fogwatch/data/datasette/metadata.yaml (a new store table)"
    assert {"fused_events_rtree", "fused_events_rtree_node", "schema_version"} <= set(rules["hidden"])


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("tables: {no_such_table: {title: x}}\nhidden: []\n", "'no_such_table' is not one of the store's"),
        ("tables: {claims: {label_column: nope}}\nhidden: []\n", "has no column 'nope'"),
        ("- a list\n", "expected a mapping"),
        ("tables: [\n", "not valid YAML"),
    ],
)
def test_bad_rules_are_E902(text, problem):
    from fogwatch.cli.datasette import load_metadata_rules

    with pytest.raises(FogwatchError) as err:
        load_metadata_rules(text, origin="mine.yaml")
    assert err.value.code == Code.DATASETTE_METADATA and problem in str(err.value) and "mine.yaml" in str(err.value)


@pytest.mark.skipif(not DATASETTE.exists() and shutil.which("datasette") is None, reason="datasette is not installed (pip install -e '.[test]')")
def test_datasette_hides_the_rtree_and_labels_the_tables(run_cli, tmp_path, datasette_server):
    db = tmp_path / "corpus.db"
    assert run_cli("ingest", "src/fogwatch/samples", "--db", str(db), "--no-progress", "--jobs", "1").returncode == 0
    proc = run_cli("datasette-metadata", "--db", str(db))
    assert proc.returncode == 0, proc.stderr.decode()
    meta = tmp_path / "metadata.json"
    meta.write_bytes(proc.stdout)
    assert set(json.loads(proc.stdout)["databases"]) == {"corpus"}

    with datasette_server(db, meta) as base:
        tables = {t["name"]: t for t in httpx.get(f"{base}/corpus.json", timeout=10).json()["tables"]}
        visible = {name for name, t in tables.items() if not t["hidden"]}
        assert {"claims", "documents", "fused_events", "mentions"} <= visible
        assert not {name for name in visible if "rtree" in name or name == "schema_version"}
        assert all(tables[name]["hidden"] for name in ("fused_events_rtree", "fused_events_rtree_node", "schema_version"))
        page = httpx.get(f"{base}/corpus/fused_events", timeout=10).text
        assert "Fused events (one per real-world incident)" in page
