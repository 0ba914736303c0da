"""Hostile inputs at the boundary (issue 11): publication dates at the calendar's limits, registry files that
blow up or have the wrong shape. The real `fogwatch` command; see docs/reliability.md."""

from __future__ import annotations

import json
import sqlite3
import time

import pytest

from fogwatch.errors import Code
from fogwatch.ingest.repair import check_published, repair_document, repair_text
from fogwatch.records import Document, Metadata
from fogwatch.redact import is_web_url, redact_text, strip_credentials

# "on 3 February" has no year: it is placed relative to publication (anchor + 14 days overflowed at 9999-12-31);
# "yesterday" is publication - 1 day (overflowed at 0001-01-01).
REPORT = ("Syrian government forces shelled Saraqib on 3 February, killing four civilians, a monitor said. "
          "Yesterday rebels attacked an army checkpoint near Idlib.")


def _records(proc) -> list[dict]:
    err = proc.stderr.decode(errors="replace")
    assert proc.returncode == 0 and "Traceback" not in err, err
    return [json.loads(line) for line in proc.stdout.decode().splitlines()]


def test_extreme_publication_dates_keep_the_events(run_cli, tmp_path):
    """Before: published 9999-12-31 or 0001-01-01 lost every event of the report (OverflowError recorded as E201)."""
    corpus = tmp_path / "pub.jsonl"
    values = ["9999-12-31", "0001-01-01", "not a date", "2020-02-04"]
    corpus.write_text("".join(json.dumps({"id": f"d{i}", "text": REPORT, "published": v}) + "\n" for i, v in enumerate(values)))
    records = _records(run_cli("extract", str(corpus), "-j", "1"))
    by_value = dict(zip(values, records))
    for value, record in by_value.items():
        codes = [e["code"] for e in record["errors"]]
        assert "E201" not in codes, (value, record["errors"])
        assert record["events"], value  # the events are kept
        assert codes == ([] if value == "2020-02-04" else ["E112"]), (value, codes)
    # With a usable publication date the relative dates resolve; at the calendar's limit it is not used at all.
    assert "metadata" not in by_value["9999-12-31"] or "published" not in by_value["9999-12-31"]["metadata"]
    assert by_value["not a date"]["metadata"]["published"] == "not a date"  # an unparseable value is kept as given, and flagged
    dated = {e["date"] for e in by_value["2020-02-04"]["events"]}
    assert "2020-02-03" in dated


def test_extreme_publication_dates_are_stored_with_their_events(run_cli, tmp_path):
    corpus = tmp_path / "pub.jsonl"
    corpus.write_text(json.dumps({"id": "late", "text": REPORT, "published": "9999-12-31"}) + "\n")
    db = tmp_path / "s.db"
    proc = run_cli("ingest", str(corpus), "--db", str(db), "--no-progress", "-j", "1")
    assert proc.returncode == 0, proc.stderr.decode()
    conn = sqlite3.connect(db)
    n_events, errors = conn.execute("SELECT n_events, errors FROM documents").fetchone()
    conn.close()
    assert n_events > 0 and [e["code"] for e in json.loads(errors)] == ["E112"]


# --- actor registry files: wrong shapes and alias bombs ------------------------------------------------------------

@pytest.mark.parametrize("yaml_text, message", [
    ("countries: [SY]\n", "`countries` must be a mapping"),
    ("actors:\n  - name: X\n    inter: 2\n    aliases: 5\n", "`aliases` must be a list of names"),
    ("actors: {name: X}\n", "`actors` must be a list"),
    ("actors:\n  - name: X\n    valid: 2014\n", "`valid` must be [first year, last year or null]"),
    ("countries:\n  ML: {name: Mali, words: Malian}\n", "`words` must be a list"),
])
def test_actor_registry_with_wrong_types_is_a_coded_usage_error(run_cli, tmp_path, yaml_text, message):
    """Before: AttributeError / TypeError tracebacks from inside the loader."""
    path = tmp_path / "mine.yaml"
    path.write_text(yaml_text)
    proc = run_cli("extract", "-", "--actors", str(path), "-j", "1", stdin=b'{"id": "a", "text": "x"}\n')
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in err, err
    assert "[E601]" in err and str(path) in err and message in err, err


BILLION_LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([prev] * 9)}]\n"
    for name, prev in zip("abcdefghi", ['"lol"', "*a", "*b", "*c", "*d", "*e", "*f", "*g", "*h"])
)


def test_yaml_alias_bomb_is_refused_before_it_is_expanded(run_cli, tmp_path):
    """Before: a 411-byte actor file of nested aliases took 2.7 GB."""
    from fogwatch.store import open_store

    assert len(BILLION_LAUGHS.encode()) < 500
    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS)
    db = tmp_path / "empty.db"
    open_store(str(db)).close()
    runs = (
        (("extract", "-", "--actors", str(path), "-j", "1"), {}, Code.ACTOR_REGISTRY),
        (("extract", "-", "-j", "1"), {"FOGWATCH_ACTORS": str(path)}, Code.ACTOR_REGISTRY),
        (("export", "--format", "jsonl", "--db", str(db)), {"FOGWATCH_OUTLETS": str(path)}, Code.OUTLET_REGISTRY),
    )
    for args, env, code in runs:
        started = time.monotonic()
        proc = run_cli(*args, stdin=b'{"id": "a", "text": "x"}\n', env=env, timeout=120)
        err = proc.stderr.decode()
        assert time.monotonic() - started < 60, args
        assert proc.returncode == 2 and "Traceback" not in err, err
        assert f"[{code}]" in err and "YAML alias (*a) at line 2" in err, err


def test_registry_loader_refuses_aliases_for_every_registry(tmp_path, monkeypatch):
    from fogwatch.outlets import load_outlets
    from fogwatch.errors import UsageError

    path = tmp_path / "outlets.yaml"
    path.write_text(BILLION_LAUGHS)
    with pytest.raises(UsageError) as info:
        load_outlets([str(path)], use_env=False)
    assert info.value.code == Code.OUTLET_REGISTRY and "YAML alias" in str(info.value)


# --- the repair and redaction helpers ------------------------------------------------------------------------------

def test_repair_keeps_offsets_and_says_what_it_did():
    text = "a\ud83db\x00c"
    fixed, n = repair_text(text)
    assert (fixed, n) == ("a\ufffdb\ufffdc", 2) and len(fixed) == len(text)
    doc = repair_document(Document(doc_id="x\udc00", text=text, metadata=Metadata(title="t\x00", extra=(("k", ["v\ud800"]),))))
    assert doc.doc_id == "x\ufffd" and doc.metadata.title == "t\ufffd" and doc.metadata.extra == (("k", ["v\ufffd"]),)
    assert [e.code for e in doc.errors] == ["E111"]
    clean = Document(doc_id="y", text="fine")
    assert repair_document(clean) is clean
    assert check_published("2020-02-03T10:00:00Z") == ("2020-02-03T10:00:00Z", None)
    assert check_published("0001-01-01")[0] is None and check_published("0001-01-01")[1].code == "E112"


def test_redaction_helpers():
    assert redact_text("store postgresql://user:password@host/db: down") == "store postgresql://user:***@host/db: down"
    assert strip_credentials("https://user:pass@example.org/a?x=1") == "https://example.org/a?x=1"
    assert [is_web_url(u) for u in ("https://example.org/a", "http://x", "javascript:alert(1)", "data:text/html,hi",
                                     "file:///etc/passwd", "ftp://x/y", "", None)] == [True, True, False, False, False, False, False, False]
