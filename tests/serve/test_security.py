"""The workbench's guard: security headers, host check, size and time limits, the token on ingest, read-only reads."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient

from fogwatch.serve import create_app
from fogwatch.serve.guard import CSP, Guard, Limits

TOKEN = "t0ken-for-the-tests-0123456789"


def _code(r) -> str:
    return r.json()["error"]["code"]


def test_every_response_carries_a_strict_csp_and_no_sniffing(client):
    for path in ("/", "/api/events", "/api/nothing", "/static/app.js", "/static/basemap/admin1.json"):
        r = client.get(path)
        assert r.headers["content-security-policy"] == CSP, path
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
    assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP and "script-src 'self'" in CSP
    assert "frame-ancestors 'none'" in CSP and "default-src 'none'" in CSP


def test_the_page_has_no_inline_script_and_the_script_writes_no_markup():
    from fogwatch.serve.app import STATIC

    html = (STATIC / "index.html").read_text()
    assert not re.search(r"<script(?![^>]*\ssrc=)", html)  # every script is a file of the server's
    assert not re.search(r"<[^>]*\son\w+\s*=", html) and "style=" not in html  # no inline handlers or styles
    js = re.sub(r"/\*.*?\*/|//[^\n]*", "", (STATIC / "app.js").read_text(), flags=re.S)  # code, not comments
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in js, sink


def test_a_foreign_host_is_refused(samples_db):
    with TestClient(create_app(samples_db)) as c:
        r = c.get("/api/events", headers={"host": "attacker.example"})
        assert r.status_code == 400 and _code(r) == "E801"
        assert c.get("/api/events", headers={"host": "localhost:8765"}).status_code == 200
    with TestClient(create_app(samples_db, allowed_hosts=frozenset({"workbench.lan"}))) as c:
        assert c.get("/api/stats", headers={"host": "workbench.lan"}).status_code == 200


def test_bodies_over_the_limit_are_refused(samples_db):
    with TestClient(create_app(samples_db, token=TOKEN, limits=Limits(max_ingest_bytes=1000))) as c:
        r = c.post("/api/ingest", content=b"{" + b" " * 5000 + b"}", headers={"authorization": f"Bearer {TOKEN}",
                                                                              "content-type": "application/json"})
        assert r.status_code == 413 and _code(r) == "E805"
        r = c.post("/api/events", content=b"x" * 2_000_000)
        assert r.status_code == 413 and _code(r) == "E805"


def test_ingest_needs_the_token_and_a_server_without_one_is_read_only(samples_db):
    doc = {"documents": [{"id": "x", "text": "Shelling killed 3 people in Aleppo on Monday."}]}
    with TestClient(create_app(samples_db)) as c:
        r = c.post("/api/ingest", json=doc)
        assert r.status_code == 403 and _code(r) == "E804"
        assert c.get("/api/stats").json()["read_only"] is True
    with TestClient(create_app(samples_db, token=TOKEN)) as c:
        for auth in (None, "Bearer wrong-token-wrong-token", f"Basic {TOKEN}", TOKEN):
            r = c.post("/api/ingest", json=doc, headers={"authorization": auth} if auth else {})
            assert r.status_code == 401 and _code(r) == "E803" and r.headers["www-authenticate"] == "Bearer"
        r = c.post("/api/ingest", json={"documents": []}, headers={"authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 400 and _code(r) == "E801"


def test_reads_go_through_a_read_only_connection(samples_db):
    app = create_app(samples_db)
    store = app.app.state.fogwatch.store
    with store.engine.connect() as conn:
        with pytest.raises(Exception) as info:
            conn.exec_driver_sql("DELETE FROM fused_events")
    assert "readonly" in str(info.value).lower().replace("-", "")
    assert sqlite3.connect(samples_db).execute("SELECT count(*) FROM fused_events").fetchone()[0] > 0


def test_a_request_past_the_time_limit_is_a_503_and_the_server_goes_on():
    async def slow(scope, receive, send):
        if scope["type"] != "http":
            return
        await asyncio.sleep(2 if scope["path"] == "/slow" else 0)
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"ok"})

    guard = Guard(slow, Limits(request_seconds=0.2), frozenset({"testserver"}))

    async def run():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=guard), base_url="http://testserver") as c:
            late = await c.get("/slow")
            fine = await c.get("/fast")
        return late, fine

    # In a thread of its own: Playwright's sync API (the browser tests) may hold this thread's event loop.
    with ThreadPoolExecutor(1) as pool:
        late, fine = pool.submit(asyncio.run, run()).result()
    assert late.status_code == 503 and _code(late) == "E806"
    assert fine.status_code == 200 and fine.text == "ok" and fine.headers["content-security-policy"] == CSP


@pytest.mark.slow
def test_ingest_with_the_token_runs_the_real_pipeline(tmp_path, sample_documents):
    from fogwatch.store import open_store

    db = str(tmp_path / "w.db")
    with open_store(db) as store:
        store.add_batch(sample_documents[:1])
    text = ("ALEPPO, March 8 (Test Wire) - Government shelling killed 4 civilians in the town of Azaz on Monday, "
            "according to the Syrian Observatory for Human Rights.\n")
    with TestClient(create_app(db, token=TOKEN)) as c:
        before = c.get("/api/stats").json()["documents"]
        r = c.post("/api/ingest", json={"documents": [{"id": "wire-1", "text": text, "published": "2021-03-09", "source": "Test Wire"}]},
                   headers={"authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 200, r.text
        assert r.json()["stored"] == 1 and r.json()["failed"] == []
        assert c.get("/api/stats").json()["documents"] == before + 1  # the read-only connection sees the committed ingest
        again = c.post("/api/ingest", json={"documents": [{"id": "wire-1", "text": text}]}, headers={"authorization": f"Bearer {TOKEN}"})
        assert again.json()["already_stored"] == 1 and again.json()["stored"] == 0
