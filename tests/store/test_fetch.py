"""URL and RSS/Atom fetching against a real HTTP server on 127.0.0.1 (no network, no mocks)."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from fogwatch.ingest.fetch import FetchOptions, iter_url_documents, parse_feed

ARTICLE = """<!doctype html><html><head><title>Shelling in Kafr Nabl</title>
<meta property="og:site_name" content="Test Wire"></head><body><article><h1>Shelling in Kafr Nabl</h1>
<p>KAFR NABL, Syria, March 9 (Test Wire) - Shelling killed at least seven civilians in the town on Tuesday, a monitor said.
This paragraph was written for fogwatch's tests and describes an invented incident in enough words for extraction.</p>
<p>Residents said the shells fell on the market in the morning, and rescue workers searched the rubble until night.</p>
</article></body></html>"""

RSS = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test Wire feed</title>
<item><title>First</title><link>{base}/a1.html</link><pubDate>Tue, 09 Mar 2021 10:00:00 GMT</pubDate></item>
<item><title>Second</title><link>{base}/a2.html</link><pubDate>Wed, 10 Mar 2021 10:00:00 GMT</pubDate></item>
<item><title>Gone</title><link>{base}/missing.html</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title>
<entry><title>Atom one</title><link rel="alternate" href="{base}/a1.html"/><published>2021-03-11T08:00:00Z</published></entry>
<entry><title>Inline only</title><updated>2021-03-12T08:00:00Z</updated>
<content type="html">&lt;p&gt;An inline entry body written for fogwatch tests: protesters gathered in the square.&lt;/p&gt;</content></entry>
</feed>"""


class Handler(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def log_message(self, *args):  # keep pytest output clean
        pass

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        Handler.hits[self.path] = Handler.hits.get(self.path, 0) + 1
        if self.path in ("/a1.html", "/article.html"):
            self._send(200, ARTICLE.encode(), "text/html; charset=utf-8")
        elif self.path == "/a2.html":
            self._send(200, ARTICLE.replace("seven", "nine").replace("Kafr Nabl", "Kafranbel").encode(), "text/html")
        elif self.path == "/feed.rss":
            self._send(200, RSS.format(base=base).encode(), "application/rss+xml")
        elif self.path == "/atom.xml":
            self._send(200, ATOM.format(base=base).encode(), "application/atom+xml")
        elif self.path == "/flaky.txt":
            if Handler.hits[self.path] <= 2:
                self._send(503, b"busy", "text/plain")
            else:
                self._send(200, b"Plain text report written for fogwatch tests: clashes near Saraqib on Monday.", "text/plain")
        elif self.path == "/slow.html":
            time.sleep(1.5)
            self._send(200, ARTICLE.encode(), "text/html")
        elif self.path == "/blob.bin":
            self._send(200, b"\x00\x01\x02" * 100, "application/octet-stream")
        else:
            self._send(404, b"not here", "text/plain")


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


FAST = FetchOptions(timeout=0.5, retries=2, backoff=0.05, allow_private=True)  # the test server is on 127.0.0.1


def test_article_url_becomes_a_document(server):
    (doc,) = iter_url_documents([f"{server}/article.html"], FAST)
    assert not doc.errors and "at least seven civilians" in doc.text and doc.is_html
    assert doc.metadata.url == f"{server}/article.html" and doc.metadata.title == "Shelling in Kafr Nabl"


def test_rss_feed_items_are_fetched_with_feed_metadata(server):
    docs = list(iter_url_documents([f"{server}/feed.rss"], FAST))
    assert len(docs) == 3
    first, second, gone = docs
    assert first.metadata.published == "2021-03-09" and first.metadata.source == "Test Wire feed" and first.metadata.title == "First"
    assert "nine" in second.text and second.metadata.url == f"{server}/a2.html"
    assert gone.text == "" and gone.errors[0].code == "E504" and "404" in gone.errors[0].message


def test_atom_feed_links_and_inline_content(server):
    docs = list(iter_url_documents([f"{server}/atom.xml"], FAST))
    assert [d.metadata.published for d in docs] == ["2021-03-11", "2021-03-12"]
    assert "seven civilians" in docs[0].text and "protesters gathered" in docs[1].text


def test_transient_errors_are_retried(server):
    Handler.hits.pop("/flaky.txt", None)
    (doc,) = iter_url_documents([f"{server}/flaky.txt"], FAST)
    assert not doc.errors and "clashes near Saraqib" in doc.text and Handler.hits["/flaky.txt"] == 3


def test_timeouts_unreachable_hosts_and_binary_content_are_errors_not_crashes(server):
    started = time.perf_counter()
    slow, blob = iter_url_documents([f"{server}/slow.html", f"{server}/blob.bin"], FetchOptions(timeout=0.3, retries=1, backoff=0.05, allow_private=True))
    assert slow.errors[0].code == "E504" and "timed out" in slow.errors[0].message and "2 attempts" in slow.errors[0].message
    assert time.perf_counter() - started < 3.0
    assert blob.errors[0].code == "E505"
    (dead,) = iter_url_documents(["http://127.0.0.1:1/nothing"], FetchOptions(timeout=0.3, retries=0, allow_private=True))
    assert dead.errors[0].code == "E504" and "connection failed" in dead.errors[0].message


def test_parse_feed_rejects_non_feeds():
    assert parse_feed(b"<html><body>hi</body></html>") is None
    assert parse_feed(b"not xml at all <") is None


def test_cli_ingests_a_feed_into_the_store(server, run_cli, tmp_path):
    db = tmp_path / "feed.db"
    proc = run_cli("ingest", f"{server}/feed.rss", "--db", str(db), "--stages", "sections,sentences", "-j", "1", "--timeout", "10", "--retries", "0", "--allow-private")
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    assert "ingested 2 new report(s)" in err and "1 unreadable" in err and "E504" in err
    import sqlite3

    rows = sqlite3.connect(db).execute("SELECT url, source, published FROM documents ORDER BY url").fetchall()
    assert rows == [(f"{server}/a1.html", "Test Wire feed", "2021-03-09"), (f"{server}/a2.html", "Test Wire feed", "2021-03-10")]
    again = run_cli("ingest", f"{server}/feed.rss", "--db", str(db), "--stages", "sections,sentences", "-j", "1", "--retries", "0", "--allow-private")
    assert "ingested 0 new report(s) (2 already stored" in again.stderr.decode()
