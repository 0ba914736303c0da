"""The workbench API over a store built from the bundled samples (real pipeline, real SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import json

import pytest

from fogwatch.store import EventFilter, open_store
from fogwatch.store.query import BBox


def _error(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "status", "message"}
    assert body["error"]["code"] == code and body["error"]["status"] == status and body["error"]["message"]
    return body["error"]


FILTERS = [
    ({}, EventFilter()),
    ({"country": "SY"}, EventFilter(country="SY")),
    ({"country": "Syria"}, EventFilter(country="SY")),
    ({"contested": "true"}, EventFilter(contested=True)),
    ({"contested": "false"}, EventFilter(contested=False)),
    ({"type": "battles"}, EventFilter(event_type="battles")),
    ({"since": "2021-03-10"}, EventFilter(since=__import__("datetime").date(2021, 3, 10))),
    ({"bbox": "36.4,35.5,36.7,35.7"}, EventFilter(bbox=BBox(36.4, 35.5, 36.7, 35.7))),
    ({"actor": "syria"}, EventFilter(actor="syria")),
    ({"source": "wire"}, EventFilter(source="wire")),
]


@pytest.mark.parametrize("query,flt", FILTERS, ids=[json.dumps(q) for q, _ in FILTERS])
def test_events_are_the_stores_query_with_the_same_filters(client, samples_db, query, flt):
    with open_store(samples_db, read_only=True) as store:
        expected = store.events(flt)
    r = client.get("/api/events", params=query)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["events"] == expected and body["total"] == len(expected)


def test_events_page_and_total(client, samples_db):
    everything = client.get("/api/events").json()
    assert everything["total"] >= 4
    page = client.get("/api/events", params={"limit": 2, "offset": 1}).json()
    assert page["total"] == everything["total"] and page["events"] == everything["events"][1:3]


def test_event_detail_has_claims_side_by_side_and_evidence_in_its_sentence(client, samples_db):
    contested = client.get("/api/events", params={"contested": "true"}).json()["events"]
    assert contested, "the samples hold a contested event"
    d = client.get(f"/api/events/{contested[0]['event_id']}").json()
    assert d["event"] == contested[0]
    claimants = {c["claimant"] for c in d["claims"]}
    assert d["members"] and len(claimants) >= 2  # competing figures, side by side with their claimants
    with open_store(samples_db, read_only=True) as store:
        texts = {m["doc_key"]: store.engine.connect().exec_driver_sql("SELECT text FROM documents WHERE doc_key = ?", (m["doc_key"],)).scalar()
                 for m in d["members"]}
    for m in d["members"]:
        text = texts[m["doc_key"]]
        assert m["passages"]
        for p in m["passages"]:
            assert text[p["start"]:p["end"]] == p["text"]
            for mark in p["marks"]:
                assert 0 <= mark["start"] < mark["end"] <= len(p["text"]) and mark["kind"] in ("evidence", "claim")
        claim_texts = {c["evidence"]["text"] for c in m["claims"] if c["evidence"]["text"]}
        marked = {" ".join(p["text"][k["start"]:k["end"]].split()) for p in m["passages"] for k in p["marks"] if k["kind"] == "claim"}
        assert claim_texts <= marked


def test_points_timeline_and_unplaced_events(hostile_db):
    from fastapi.testclient import TestClient

    from fogwatch.serve import create_app

    with TestClient(create_app(hostile_db)) as c:
        total = c.get("/api/events").json()["total"]
        with open_store(hostile_db, read_only=True) as store:
            unplaced = sum(1 for e in store.events() if e["latitude"] is None)
        assert unplaced >= 1  # the hostile store holds an event without coordinates
        pts = c.get("/api/points").json()
        assert pts["unplaced"] == unplaced  # counted, not dropped
        assert len(pts["rows"]) + pts["unplaced"] == total and not pts["truncated"]
        cols = pts["columns"]
        assert all(-90 <= r[cols.index("latitude")] <= 90 for r in pts["rows"])
        assert len(c.get("/api/points", params={"limit": 1}).json()["rows"]) == 1
        assert c.get("/api/points", params={"limit": 1}).json()["truncated"] is True
        for bucket in ("day", "week", "month"):
            tl = c.get("/api/timeline", params={"bucket": bucket}).json()
            assert sum(r["events"] for r in tl["rows"]) + tl["undated"] == total
        day = c.get("/api/timeline", params={"since": "2021-03-09", "until": "2021-03-09"}).json()
        assert {r["period"] for r in day["rows"]} == {"2021-03-09"}
        assert c.get("/api/timeline", params={"bucket": "week"}).json()["rows"][0]["period"] == "2021-03-01"  # the Monday


def test_reports_and_one_report(client, samples_db):
    page = client.get("/api/reports").json()
    assert page["total"] == 4 and len(page["reports"]) == 4
    key = page["reports"][0]["doc_key"]
    r = client.get(f"/api/reports/{key}").json()
    assert r["doc_key"] == key and r["text"] and isinstance(r["mentions"], list)
    for m in r["mentions"]:
        assert all(0 <= e["start"] < e["end"] <= len(r["text"]) for e in m["evidence"])


def test_claims_endpoint_matches_the_store_members(client, samples_db):
    body = client.get("/api/claims", params={"contested": "true"}).json()
    with open_store(samples_db, read_only=True) as store:
        events = store.events(EventFilter(contested=True))
        members = store.members([e["event_id"] for e in events])
    assert body["total"] == len(events)
    assert [e["members"] for e in body["events"]] == [members[e["event_id"]] for e in events]


@pytest.mark.parametrize("fmt,path", [("acled-csv", "/api/export.csv"), ("geojson", "/api/export.geojson"),
                                      ("jsonl", "/api/export/jsonl"), ("geojson", "/api/export/geojson")])
def test_downloads_are_the_export_commands_output(client, samples_db, fmt, path):
    from fogwatch.export import export

    with open_store(samples_db, read_only=True) as store:
        out = io.StringIO()
        export(store, fmt, EventFilter(country="SY"), out=out)
    r = client.get(path, params={"country": "SY"})
    assert r.status_code == 200 and r.text == out.getvalue()
    assert "attachment" in r.headers["content-disposition"]


def test_a_file_format_downloads_whole_and_an_unknown_one_is_404(client, samples_db):
    """Every registered export format is a download (issue 15): parquet, a file format, comes as GeoParquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    r = client.get("/api/export/parquet", params={"country": "SY"})
    assert r.status_code == 200 and 'filename="fogwatch-events.parquet"' in r.headers["content-disposition"]
    table = pq.read_table(io.BytesIO(r.content))
    with open_store(samples_db, read_only=True) as store:
        assert table.num_rows == store.count_events(EventFilter(country="SY"))
    assert table.schema.field("event_date").type == pa.date32() and b"geo" in table.schema.metadata
    _error(client.get("/api/export/xlsx"), 404, "E802")


def test_errors_have_one_shape(client):
    _error(client.get("/api/events", params={"since": "2021-13-01"}), 400, "E801")
    _error(client.get("/api/events", params={"bbox": "1,2,3"}), 400, "E801")
    _error(client.get("/api/events", params={"limit": 0}), 400, "E801")
    _error(client.get("/api/events", params={"limit": 10**6}), 400, "E801")
    _error(client.get("/api/events", params={"country": "Atlantis"}), 400, "E801")
    _error(client.get("/api/events", params={"actor": "x" * 1001}), 400, "E801")
    _error(client.get("/api/timeline", params={"bucket": "year"}), 400, "E801")
    _error(client.get("/api/events/fw_no_such_event"), 404, "E802")
    _error(client.get("/api/reports/0000"), 404, "E802")
    _error(client.get("/api/nothing-here"), 404, "E802")
    _error(client.delete("/api/events"), 405, "E808")


def test_filters_issue_10_adds_are_passed_through(client, samples_db):
    for name, value in (("include_hedged", "true"), ("include_background", "true"), ("min_confidence", "0.5")):
        r = client.get("/api/events", params={name: value})
        assert r.status_code == 200
        flt = EventFilter(**{name: float(value) if name == "min_confidence" else True})
        with open_store(samples_db, read_only=True) as store:
            assert r.json()["events"] == store.events(flt)


def test_openapi_documents_every_api_route(client):
    spec = client.get("/api/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/stats", "/api/events", "/api/events/{event_id}", "/api/points", "/api/timeline", "/api/claims", "/api/reports",
            "/api/reports/{doc_key}", "/api/reports/{doc_key}/analysis", "/api/export.geojson", "/api/export.csv", "/api/export/{format}", "/api/ingest"} == paths
    for path, ops in spec["paths"].items():
        for op in ops.values():
            assert op.get("description") or op.get("summary"), path


def test_the_same_api_over_postgresql(samples_db, samples_pg):
    from fastapi.testclient import TestClient

    from fogwatch.serve import create_app

    with TestClient(create_app(samples_db)) as lite, TestClient(create_app(samples_pg)) as pg:
        for path, params in (("/api/events", {}), ("/api/events", {"bbox": "36.4,35.5,36.7,35.7"}), ("/api/timeline", {}),
                             ("/api/timeline", {"bucket": "week"}), ("/api/points", {}), ("/api/claims", {"contested": "true"})):
            a, b = lite.get(path, params=params).json(), pg.get(path, params=params).json()
            for body in (a, b):  # the time of fusion differs between the two stores
                for e in body.get("events", []):
                    e.pop("updated_at")
            assert a == b, path
        assert pg.get("/api/stats").json()["backend"] == "postgresql"


def test_report_analysis_reads_sections_places_and_slant_from_the_stored_text(client):
    key = client.get("/api/reports").json()["reports"][0]["doc_key"]
    text = client.get(f"/api/reports/{key}").json()["text"]
    a = client.get(f"/api/reports/{key}/analysis").json()
    assert a["doc_key"] == key and "places" in a["pipeline"] and "recomputed" in a["note"]
    assert a["sections"] and all(0 <= s["start"] <= s["end"] <= len(text) for s in a["sections"])
    for p in a["places"]:
        assert text[p["start"]:p["end"]] == p["text"]
    for s in a["slant"]:
        assert 0 <= s["start"] < s["end"] <= len(text) and s["technique"]
    # Without a slant stage or its model the answer has no spans (a missing model is a coded error), never a failed request.
    assert a["slant"] or "slant" not in a["pipeline"] or any(e["code"] in ("E710", "E711") for e in a["errors"])
    assert client.get(f"/api/reports/{key}/analysis").json() == a  # kept in memory
    assert client.get("/api/reports/nothing/analysis").json()["error"]["code"] == "E802"


def test_claims_by_claimant_through_the_registry(client, samples_db):
    """`claimant` is `fogwatch claims --claimant`: any spelling the registry joins to the source, counted and paged in SQL."""
    from fogwatch.events.claimants import claimants_from_env

    registry = claimants_from_env()
    by_acronym = client.get("/api/claims", params={"claimant": "SOHR"}).json()
    by_name = client.get("/api/claims", params={"claimant": "the Syrian Observatory for Human Rights"}).json()
    assert by_acronym["total"] >= 1 and by_acronym == by_name
    for e in by_acronym["events"]:
        assert any(registry.key(c["claimant"]) == registry.key("SOHR") for m in e["members"] for c in m["claims"] if c["claimant"])
    everything = client.get("/api/claims", params={"limit": 200}).json()
    assert by_acronym["total"] < everything["total"]  # the filter narrows; other events are left out
    nobody = client.get("/api/claims", params={"claimant": "a source no report cites"})
    assert nobody.status_code == 200 and nobody.json()["total"] == 0 and nobody.json()["events"] == []
