"""GET /api/reports/{key}/analysis answers with the slant spans the store keeps (the slant stage does not run again),
and runs the slant stage only for a report without stored spans."""

from __future__ import annotations

import shutil

import sqlalchemy as sa


def _stored(db: str) -> dict[str, list[tuple[int, int, str]]]:
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT doc_key, span_start, span_end, technique FROM slant_spans ORDER BY span_start, span_end")).all()
    engine.dispose()
    out: dict[str, list[tuple[int, int, str]]] = {}
    for key, s, e, t in rows:
        out.setdefault(key, []).append((s, e, t))
    return out


def test_analysis_reads_the_stored_slant_spans(samples_db, tmp_path):
    from fastapi.testclient import TestClient

    from fogwatch.serve import create_app
    from fogwatch.store.slant import STORED_REASON

    stored = _stored(samples_db)
    assert stored, "the samples store keeps slant spans"
    key = next(iter(stored))
    with TestClient(create_app(samples_db)) as client:
        a = client.get(f"/api/reports/{key}/analysis").json()
    assert "slant" not in a["pipeline"] and "places" in a["pipeline"]
    assert [(s["start"], s["end"], s["technique"]) for s in a["slant"]] == stored[key]
    assert all(s["reason"] == STORED_REASON and 0.0 <= s["score"] <= 1.0 for s in a["slant"])

    # The same report with its stored spans removed: the slant stage reads the text again.
    db = str(tmp_path / "without.db")
    shutil.copy(samples_db, db)
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM slant_spans WHERE doc_key = :k"), {"k": key})
    engine.dispose()
    with TestClient(create_app(db)) as client:
        b = client.get(f"/api/reports/{key}/analysis").json()
    assert "slant" in b["pipeline"]
    assert all(s["reason"] != STORED_REASON for s in b["slant"])
    assert [(s["start"], s["end"], s["technique"]) for s in b["slant"]] == stored[key]  # the same model reads the same spans
