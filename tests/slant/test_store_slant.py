"""Slant in the store (SQLite, real pipeline): rows per report, outlet profiles (`fogwatch sources`), claims' sentences."""

from __future__ import annotations

import json

import sqlalchemy as sa

from fogwatch.pipeline import Pipeline
from fogwatch.records import Document, Metadata
from fogwatch.store import IncomingDocument, open_store
from fogwatch.store.backend import _engine_for
from fogwatch.store.migrations import current_version, migrate

SPUN = (
    "Government airstrikes killed 12 civilians in Saraqib on Monday, and the so-called moderate rebels of the brutal "
    "terrorist gangs blamed the heroic army of the nation for everything, as usual! "
    "The barbaric thugs and their puppet masters are nothing but liars."
)
PLAIN = "Government airstrikes killed 3 people in Saraqib on Tuesday, a monitoring group said."


def _docs():
    nlp = Pipeline(["sections", "sentences", "places", "events", "slant"])
    return [
        nlp(Document(doc_id="spun", text=SPUN, metadata=Metadata(source="Outlet A", published="2020-02-04"))),
        nlp(Document(doc_id="plain", text=PLAIN, metadata=Metadata(source="Outlet B", published="2020-02-05"))),
    ]


def test_slant_spans_are_stored_profiled_and_shown_with_claims(tmp_path, run_cli):
    db = str(tmp_path / "s.db")
    docs = _docs()
    assert docs[0].slant and docs[0].events
    with open_store(db) as store:
        store.add_batch([IncomingDocument.from_document(d) for d in docs])
        with store.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT doc_key, span_start, span_end, technique, score, sentence_start, sentence_end, text FROM slant_spans")).all()
        assert len(rows) == len(docs[0].slant) + len(docs[1].slant)
        for _, start, end, technique, score, s_start, s_end, text in rows:
            assert s_start <= start < end <= s_end and 0 <= score <= 1 and text
        # the fused event view: each claim says whether its sentence carries slant
        events = store.events()
        members = store.members([e["event_id"] for e in events])
        claims = [(m["doc_id"], c) for ms in members.values() for m in ms for c in m["claims"]]
        assert claims and all("sentence_slant" in c for _, c in claims)
        assert any(doc_id == "spun" and c["sentence_slant"] for doc_id, c in claims)
        # slant never changes a figure: the same reports without slant fuse to the same events
    bare = str(tmp_path / "bare.db")
    nlp = Pipeline(["sections", "sentences", "places", "events"])
    with open_store(bare) as store:
        store.add_batch([IncomingDocument.from_document(nlp(Document(doc_id=d.doc_id, text=d.text, metadata=d.metadata))) for d in docs])
        assert [(e["fatalities_best"], e["sub_event_type"]) for e in store.events()] == [(e["fatalities_best"], e["sub_event_type"]) for e in events]

    result = run_cli("sources", "--db", db, "--format", "json")
    assert result.returncode == 0, result.stderr
    profile = {p["outlet"]: p for p in json.loads(result.stdout)}
    assert set(profile) == {"Outlet A", "Outlet B"}
    a = profile["Outlet A"]
    assert a["slant_spans"] == len(docs[0].slant) and a["words"] == len(SPUN.split())
    assert abs(a["per_1000_words"] - 1000 * a["slant_spans"] / a["words"]) < 0.01
    table = run_cli("sources", "--db", db)
    assert table.returncode == 0 and b"Outlet A" in table.stdout
    claims_csv = run_cli("claims", "--db", db, "--format", "csv")
    assert claims_csv.returncode == 0 and b"sentence_slant" in claims_csv.stdout.splitlines()[0]


def test_a_version_6_store_gains_the_slant_table(tmp_path):
    db = str(tmp_path / "old.db")
    engine = _engine_for(db)
    assert migrate(engine, target=6) == [1, 2, 3, 4, 5, 6]
    assert "slant_spans" not in sa.inspect(engine).get_table_names()
    engine.dispose()
    with open_store(db) as store:
        with store.engine.connect() as conn:
            assert current_version(conn) == 7
            assert "slant_spans" in sa.inspect(conn).get_table_names()
