"""Helpers of the workbench tests (a live uvicorn server, Debian's chromium) and hostile reports written for them:
markup and script in every text field the workbench shows.

Stored as the extract contract's records (the store's input), so the markup reaches the store unchanged,
as a hostile web page or JSONL line would bring it.
"""

from __future__ import annotations

import socket
import threading
import time

from fogwatch.store import IncomingDocument, content_key

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

SCRIPT = "<script>window.__pwned = (window.__pwned || 0) + 1; alert('xss')</script>"
IMG = '<img src=x onerror="window.__pwned = 1; alert(1)">'
SVG = "<svg onload=alert(2)>"
HOSTILE_TEXT = (
    f"ALEPPO - Shelling hit the old city on Monday, killing 5 people {SCRIPT} according to local medics {IMG}. "
    f"A second source {SVG} said at least 8 were killed. <iframe src=javascript:alert(3)></iframe>\n"
)
UNPLACED_TEXT = "Clashes were reported somewhere in the north on Sunday; 2 fighters were killed, a monitor said.\n"


def _event(eid, evidence, claims, location, day="2021-03-08", fatalities=5):
    return {
        "event_id": eid, "event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack",
        "date": day, "date_end": None, "time_precision": 1, "location": location,
        "actor1": {"name": f"Militia {IMG}", "text": f"gunmen {SCRIPT}", "inter": 3},
        "actor2": {"name": "Civilians (Syria)", "text": "people", "inter": 7},
        "fatalities": fatalities, "claims": claims, "attribution": None, "modality": "asserted", "confidence": 0.7,
        "evidence": [{"start": evidence[0], "end": evidence[1]}],
    }


def _claim(low, claimant, start, end):
    return {"quantity": "killed", "low": low, "high": low, "claimant": claimant, "modality": "reported", "subject": "people",
            "evidence": {"start": start, "end": end}}


def hostile_documents() -> list[IncomingDocument]:
    text = HOSTILE_TEXT
    first = text.index("Shelling")
    end = text.index(IMG) + len(IMG)
    second = text.index("A second source")
    aleppo = {"name": f"Aleppo {SVG}", "geonameid": 170063, "latitude": 36.20124, "longitude": 37.16117, "country_code": "SY",
              "admin1": "Aleppo", "admin2": None, "geo_precision": 1}
    doc = IncomingDocument(
        doc_key=content_key(text), doc_id=f"hostile-{IMG}", text=text, title=f"Title {SCRIPT}", published="2021-03-09",
        source=f"Outlet {IMG}", outlet=f"Outlet {IMG}", url="https://hostile.example/a?x=<script>", events=(
            _event("h-1", (first, end), [_claim(5, f"medics {SCRIPT}", first, end), _claim(8, f"source {SVG}", second, len(text) - 1)], aleppo),
        ))
    unplaced_loc = {"name": None, "geonameid": None, "latitude": None, "longitude": None, "country_code": "SY", "admin1": None,
                    "admin2": None, "geo_precision": 3}
    lost = IncomingDocument(
        doc_key=content_key(UNPLACED_TEXT), doc_id="unplaced-1", text=UNPLACED_TEXT, published="2021-03-08", source="Monitor",
        outlet="Monitor", events=(
            {**_event("u-1", (0, len(UNPLACED_TEXT) - 1), [_claim(2, "a monitor", 0, len(UNPLACED_TEXT) - 1)], unplaced_loc,
                      day="2021-03-07", fatalities=2), "sub_event_type": "Armed clash", "event_type": "Battles"},
        ))
    return [doc, lost]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """A real uvicorn server in a thread, on 127.0.0.1 and a free port."""

    def __init__(self, app) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)
