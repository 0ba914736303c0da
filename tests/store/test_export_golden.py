"""The text exports stay byte for byte what they were before the export package was split (issue 15).

The golden files in ``golden/`` were written by the single-module ``fogwatch/export/__init__.py`` (before
the writer registry and ``export/acled.py``) from the small store below, with the store's clock fixed.
Deliberate changes since: a sub-unit of a side's force named by the members is written after the force in
actor1/actor2 (ACLED's form), no longer in assoc_actor_1/2 (issue 10; the SANA report's "Tiger Forces").
A deliberate change to an export format regenerates them: ``FOGWATCH_REGEN_GOLDEN=1 pytest tests/store/test_export_golden.py``
(then review the diff).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from fogwatch.export import export
from fogwatch.store import EventFilter, IncomingDocument, content_key, open_store
from store_fixtures import HTS, IDLIB, SYRIA, actor, claim, event, seed_000, seed_003, unrelated_report

GOLDEN = Path(__file__).parent / "golden"


def _docs() -> list[IncomingDocument]:
    unplaced_text = "[test text written for fogwatch] arrests somewhere in the countryside"
    loc = {"name": "the countryside", "geonameid": None, "latitude": None, "longitude": None, "country_code": "SY",
           "admin1": None, "admin2": None, "geo_precision": 3}
    unplaced = IncomingDocument(doc_key=content_key(unplaced_text), doc_id="unplaced", text=unplaced_text, outlet="Somewhere News",
                                events=(event("u1", "Arrests", "Strategic developments", "2020-02-10", loc, actor(SYRIA, 1), None, None, []),))

    def clash(doc_id: str, outlet: str, a1: dict, a2: dict, claims=(), url=None) -> IncomingDocument:
        text = f"[test text written for fogwatch] {doc_id}: a clash near Idlib on 5 February. " * 3
        return IncomingDocument(doc_key=content_key(text), doc_id=doc_id, text=text, outlet=outlet, source=outlet, url=url, events=(
            event(f"{doc_id}-e1", "Armed clash", "Battles", "2020-02-05", IDLIB, a1, a2, None, list(claims), confidence=0.9),))

    return [
        seed_000(), seed_003(), unrelated_report(1), unplaced,
        clash("reuters", "Reuters", actor(SYRIA, 1, "Syrian Army"), actor(HTS, 2),
              [claim(5, 5, None, "asserted", "civilians", quantity="injured")], url="https://user:pw@www.reuters.com/a"),
        clash("sana", "=SANA", actor(HTS, 2, "terrorists of HTS"), actor(SYRIA, 1, "Tiger Forces"),
              [claim(3, 3, "@monitor", "reported", "fighters", quantity="captured")], url="javascript:alert(1)"),
    ]


CASES = {
    "acled.csv": dict(fmt="acled-csv"),
    "events.geojson": dict(fmt="geojson"),
    "events-unplaced.geojson": dict(fmt="geojson", include_unplaced=True),
    "events.jsonl": dict(fmt="jsonl"),
}


@pytest.fixture
def golden_store(tmp_path, monkeypatch):
    monkeypatch.setattr("fogwatch.store.backend._now", lambda: "2026-01-02T03:04:05+00:00")
    monkeypatch.delenv("FOGWATCH_OUTLETS", raising=False)
    monkeypatch.delenv("FOGWATCH_ACTORS", raising=False)
    store = open_store(str(tmp_path / "golden.db"))
    store.add_batch(_docs())
    yield store
    store.close()


@pytest.mark.parametrize("name", sorted(CASES))
def test_text_exports_are_byte_identical_to_the_golden_files(golden_store, name):
    case = dict(CASES[name])
    buf = io.StringIO(newline="")
    export(golden_store, case.pop("fmt"), EventFilter(), out=buf, **case)
    got = buf.getvalue().encode("utf-8")
    path = GOLDEN / name
    if os.environ.get("FOGWATCH_REGEN_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(got)
    assert got == path.read_bytes()
