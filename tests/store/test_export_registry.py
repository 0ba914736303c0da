"""Export formats live in a registry (issue 15): fogwatch's own are registered as a plugin's would be, and a new format
is one registration, in-process or through an entry point, for `export()`, `fogwatch export` and the workbench alike."""

from __future__ import annotations

import csv
import io
import textwrap

import pytest

from fogwatch.errors import Code, UsageError
from fogwatch.export import FORMATS, export
from fogwatch.export.acled import acled_row
from fogwatch.export.registry import Writer, get, register, unregister, writers
from fogwatch.store import EventFilter, open_store
from store_fixtures import seed_000, unrelated_report


def test_fogwatchs_own_formats_are_registered_with_their_targets():
    known = writers()
    assert tuple(known)[:4] == FORMATS == ("acled-csv", "geojson", "jsonl", "parquet")
    assert [known[n].target for n in FORMATS] == ["stream", "stream", "stream", "file"]
    assert [known[n].extension for n in FORMATS] == [".csv", ".geojson", ".jsonl", ".parquet"]
    assert known["geojson"].options == {"include_unplaced"} and not known["acled-csv"].options


def _tsv(rows, out, *, counts):
    n = 0
    for e, members in rows:
        row = acled_row(e, members)
        out.write(f"{row['event_id_cnty']}\t{row['event_date']}\t{row['sub_event_type']}\n")
        n += 1
    return n


@pytest.fixture
def tsv():
    writer = register(Writer("tsv-test", _tsv, "stream", ".tsv", "text/tab-separated-values", "id, date, sub-event type"))
    yield writer
    unregister("tsv-test")


def test_a_registered_format_exports_through_the_same_function(store, tsv):
    store.add_batch([seed_000(), unrelated_report(1)])
    buf = io.StringIO()
    assert export(store, "tsv-test", EventFilter(), out=buf) == 3
    lines = [line.split("\t") for line in buf.getvalue().splitlines()]
    assert sorted(parts[0] for parts in lines) == sorted(e["event_id"] for e in store.events())
    assert get("tsv-test") is tsv


def test_registry_refusals(store, tsv):
    with pytest.raises(ValueError, match="registered already"):
        register(Writer("tsv-test", _tsv, "stream", ".tsv", "text/plain", "again"))
    with pytest.raises(UsageError) as err:
        get("xlsx")
    assert err.value.code == Code.BAD_OPTION and "acled-csv, geojson, jsonl, parquet" in str(err.value)
    with pytest.raises(UsageError) as err:
        export(store, "acled-csv", EventFilter(), out=io.StringIO(), include_unplaced=True)
    assert err.value.code == Code.BAD_OPTION and "include_unplaced" in str(err.value)
    with pytest.raises(UsageError) as err:
        export(store, "parquet", EventFilter(), out=io.StringIO())  # a file format without a path
    assert err.value.code == Code.BAD_OPTION


def _plugin(tmp_path, body: str) -> dict[str, str]:
    """A package installed the way pip leaves one (a .dist-info with entry_points.txt) on PYTHONPATH."""
    site = tmp_path / "site"
    (site / "fw_tsv-0.1.dist-info").mkdir(parents=True)
    (site / "fw_tsv-0.1.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: fw-tsv\nVersion: 0.1\n")
    (site / "fw_tsv-0.1.dist-info" / "entry_points.txt").write_text("[fogwatch.export]\ntsv = fw_tsv:WRITER\n")
    (site / "fw_tsv.py").write_text(textwrap.dedent(body))
    return {"PYTHONPATH": str(site)}


PLUGIN = """
    from fogwatch.export.acled import acled_row
    from fogwatch.export.registry import Writer

    def write(rows, out, *, counts):
        n = 0
        for e, members in rows:
            out.write(acled_row(e, members)["event_id_cnty"] + "\\t" + (e["sub_event_type"] or "") + "\\n")
            n += 1
        return n

    WRITER = Writer("tsv", write, "stream", ".tsv", "text/tab-separated-values", "event id and sub-event type")
"""


def test_an_installed_plugin_format_works_on_the_command_line(run_cli, tmp_path):
    db = str(tmp_path / "plugin.db")
    with open_store(db) as store:
        store.add_batch([seed_000(), unrelated_report(1)])
        ids = sorted(e["event_id"] for e in store.events())
    env = _plugin(tmp_path, PLUGIN)
    proc = run_cli("export", "--format", "tsv", "--db", db, env=env)
    assert proc.returncode == 0, proc.stderr.decode()
    assert sorted(line.split("\t")[0] for line in proc.stdout.decode().splitlines()) == ids
    assert "exported 3 event(s) as tsv" in proc.stderr.decode()
    # fogwatch's own formats are unchanged beside it
    proc = run_cli("export", "--format", "acled-csv", "--db", db, env=env)
    assert proc.returncode == 0 and len(list(csv.DictReader(io.StringIO(proc.stdout.decode())))) == 3


def test_a_broken_plugin_or_an_unknown_format_is_a_usage_error(run_cli, tmp_path):
    db = str(tmp_path / "plugin.db")
    open_store(db).close()
    proc = run_cli("export", "--format", "tsv", "--db", db, env=_plugin(tmp_path, "WRITER = 'not a writer'\n"))
    assert proc.returncode == 2 and "E903" in proc.stderr.decode() and "Traceback" not in proc.stderr.decode()
    proc = run_cli("export", "--format", "xlsx", "--db", db)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "E302" in err and "unknown export format 'xlsx'" in err and "Traceback" not in err
    proc = run_cli("export", "--format", "parquet", "--db", db)
    assert proc.returncode == 2 and "give --output FILE.parquet" in proc.stderr.decode()
