"""The workbench end to end in a real headless Chromium (Debian's, driven by Playwright) against a real uvicorn server.

Screenshots go to pytest's temporary folder (``screenshots*``), kept as the run's artefacts.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from serve_fixtures import LiveServer
from fogwatch.serve import create_app

pytestmark = pytest.mark.slow


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 850})
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(url)
    page.wait_for_selector("body[data-map-ready]", timeout=20_000)
    return page, problems


def _click_an_event(page) -> None:
    """Zoom into clusters until single events show, then click one."""
    for _ in range(6):
        if page.locator("path.event-marker").count():
            break
        page.locator(".cluster").first.click()
        page.wait_for_timeout(400)
    page.locator("path.event-marker").first.click(force=True)


def test_map_timeline_and_the_evidence_of_a_clicked_event(browser, samples_db, artefacts):
    with LiveServer(create_app(samples_db)) as server:
        page, problems = _open(browser, server.url + "/")
        points = httpx.get(server.url + "/api/points").json()
        status = page.locator("#status").inner_text()
        assert f"{len(points['rows'])} events on the map" in status and f"{points['unplaced']} without a place" in status
        page.wait_for_function("() => document.querySelectorAll('#timeline svg rect').length >= 2", timeout=10_000)  # bars, and the brush
        _click_an_event(page)
        page.wait_for_selector("#panel mark", timeout=10_000)
        event_id = page.locator("#panel").get_attribute("data-event")
        assert parse_qs(urlparse(page.url).query)["event"] == [event_id]  # the view can be shared
        detail = httpx.get(f"{server.url}/api/events/{event_id}").json()
        marked = page.locator("#panel mark").all_inner_texts()
        expected = {p["text"][m["start"]:m["end"]] for mm in detail["members"] for p in mm["passages"] for m in p["marks"]}
        assert marked and all(any(" ".join(t.split()) in " ".join(e.split()) for e in expected) for t in marked)
        claims = detail["claims"]
        assert page.locator("#panel table.claims tr").count() == (len(claims) + 1 if claims else 0)  # a row per claim, side by side
        page.wait_for_function("() => [...document.querySelectorAll('#panel .analysis')].every((n) => !n.textContent.includes('reading'))",
                               timeout=30_000)  # each report's slant read from its text (or the coded reason it was not)
        page.screenshot(path=str(artefacts / "workbench.png"))
        assert problems == []


def test_a_hostile_report_executes_nothing(browser, hostile_db, artefacts):
    with LiveServer(create_app(hostile_db)) as server:
        events = httpx.get(server.url + "/api/events", params={"actor": "militia"}).json()["events"]
        hostile = next(e for e in events if e["latitude"] is not None)
        page, problems = _open(browser, f"{server.url}/?event={hostile['event_id']}")
        page.wait_for_selector("#panel mark", timeout=10_000)
        panel = page.locator("#panel")
        text = panel.inner_text()
        # The markup is shown as the text it is ...
        assert "<script>window.__pwned" in text and 'onerror="window.__pwned = 1' in text and "<svg onload=alert(2)>" in text
        # ... and none of it became an element, ran, or opened a dialog.
        assert panel.locator("script, img, svg, iframe").count() == 0
        assert page.evaluate("document.querySelectorAll('script').length") == 4  # the page's own four files
        assert page.evaluate("typeof window.__pwned") == "undefined"
        _click_an_event(page)  # the tooltips and the panel again, through a click
        page.wait_for_timeout(300)
        page.locator("path.event-marker").first.hover(force=True)
        page.wait_for_timeout(300)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator(".leaflet-tooltip img, .leaflet-tooltip svg, .leaflet-tooltip script").count() == 0
        page.screenshot(path=str(artefacts / "hostile.png"))
        assert problems == []


def test_filters_live_in_the_url_and_the_timeline_brushes_the_map(browser, samples_db):
    with LiveServer(create_app(samples_db)) as server:
        contested = httpx.get(server.url + "/api/points", params={"contested": "true"}).json()
        page, problems = _open(browser, server.url + "/?contested=true")
        assert page.locator("input[name=contested]").is_checked()
        assert page.locator("#status").inner_text().startswith(f"{len(contested['rows'])} events on the map")
        page.wait_for_function("() => document.querySelectorAll('#timeline svg rect').length >= 2", timeout=10_000)
        box = page.locator("#timeline svg").bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.7, box["y"] + box["height"] / 2, steps=5)
        page.mouse.up()
        page.wait_for_function("() => new URLSearchParams(location.search).has('since')", timeout=5_000)
        query = parse_qs(urlparse(page.url).query)
        assert query["contested"] == ["true"] and query["since"][0] <= query["until"][0]
        page.wait_for_timeout(300)
        expected = httpx.get(server.url + "/api/points", params={"contested": "true", "since": query["since"][0],
                                                                 "until": query["until"][0]}).json()
        assert page.locator("#status").inner_text().startswith(f"{len(expected['rows'])} events on the map")
        assert page.locator("input[name=since]").input_value() == query["since"][0]
        assert problems == []
