"""Fetch reports over HTTP(S): a single article URL, or an RSS/Atom feed whose items are fetched in turn.

Real HTTP through :mod:`httpx` with connect/read timeouts, a bounded number of
retries with backoff for transient failures (connection errors, timeouts, 429
and 5xx), and a size cap enforced while streaming. A URL that cannot be
fetched becomes a Document carrying an ``E504`` error, like an unreadable file,
so one dead link never stops an ingest.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Iterator

import httpx

from fogwatch.errors import Code
from fogwatch.ingest.sources import DEFAULT_MAX_DOC_BYTES, ReadOptions, build_document
from fogwatch.records import DocError, Document, Metadata

USER_AGENT = "fogwatch/0.1 (+https://github.com/fogwatch; conflict-report analysis)"
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")
HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


@dataclass(frozen=True, slots=True)
class FetchOptions:
    timeout: float = 15.0  # seconds, for connecting and for each read
    retries: int = 3  # extra attempts after the first, for transient failures only
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    max_bytes: int = DEFAULT_MAX_DOC_BYTES
    max_feed_items: int = 500


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    body: bytes


class FetchError(Exception):
    pass


def _client(opts: FetchOptions) -> httpx.Client:
    return httpx.Client(
        timeout=httpx.Timeout(opts.timeout),
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT, "Accept": "text/html, application/rss+xml, application/atom+xml, text/plain;q=0.8, */*;q=0.5"},
    )


def fetch(client: httpx.Client, url: str, opts: FetchOptions) -> Fetched:
    """GET ``url`` with retries; raises :class:`FetchError` with a one-line reason."""
    delay = opts.backoff
    last = "no attempt"
    for attempt in range(opts.retries + 1):
        if attempt:
            time.sleep(delay)
            delay *= 2
        try:
            with client.stream("GET", url) as resp:
                if resp.status_code in RETRY_STATUS:
                    last = f"HTTP {resp.status_code}"
                    continue
                if resp.status_code >= 400:
                    raise FetchError(f"HTTP {resp.status_code} {resp.reason_phrase}")
                chunks, size = [], 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > opts.max_bytes:
                        raise FetchError(f"response larger than the {opts.max_bytes:,}-byte limit")
                    chunks.append(chunk)
                ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                return Fetched(str(resp.url), ctype, b"".join(chunks))
        except httpx.TimeoutException:
            last = f"timed out after {opts.timeout:g}s"
        except httpx.TransportError as exc:
            last = f"connection failed: {exc}" if str(exc) else f"connection failed: {type(exc).__name__}"
        except httpx.InvalidURL as exc:
            raise FetchError(f"invalid URL: {exc}") from None
    raise FetchError(f"{last} ({opts.retries + 1} attempts)")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _child_text(el: ET.Element, *names: str) -> str | None:
    for child in el:
        if _local(child.tag) in names and (child.text or "").strip():
            return child.text.strip()  # type: ignore[union-attr]
    return None


def _iso_day(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).date().isoformat()  # RSS: RFC 822
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()  # Atom: RFC 3339
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class FeedItem:
    title: str | None
    link: str | None
    published: str | None
    content: str | None  # the item's own HTML/text, used when there is no link to fetch


def parse_feed(body: bytes) -> tuple[str | None, list[FeedItem]] | None:
    """(feed title, items) when ``body`` is RSS 0.9x/1.0/2.0 or Atom; None when it is not a feed."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None
    kind = _local(root.tag)
    if kind not in ("rss", "rdf", "feed"):
        return None
    items: list[FeedItem] = []
    if kind == "feed":  # Atom
        title = _child_text(root, "title")
        for entry in (e for e in root if _local(e.tag) == "entry"):
            link = None
            for el in entry:
                if _local(el.tag) == "link" and el.get("rel", "alternate") == "alternate" and el.get("href"):
                    link = el.get("href")
                    break
            items.append(FeedItem(_child_text(entry, "title"), link, _iso_day(_child_text(entry, "published", "updated")),
                                  _child_text(entry, "content", "summary")))
        return title, items
    channel = next((c for c in root if _local(c.tag) == "channel"), root)
    title = _child_text(channel, "title")
    for item in root.iter():
        if _local(item.tag) != "item":
            continue
        items.append(FeedItem(_child_text(item, "title"), _child_text(item, "link", "guid"),
                              _iso_day(_child_text(item, "pubdate", "date")), _child_text(item, "encoded", "description")))
    return title, items


def _fragment_text(fragment: str) -> str:
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types on junk; the raw string is the best text left
        return fragment
    for br in root.iter("br", "p", "div", "li"):
        br.tail = "\n" + (br.tail or "")
    return "\n".join(line.strip() for line in root.text_content().splitlines() if line.strip())


def _failed(url: str, code: Code, message: str, meta: Metadata | None = None) -> Document:
    return Document(doc_id=url, text="", origin=url, metadata=meta or Metadata(url=url), errors=(DocError(str(code), message, "fetch"),))


def _to_document(fetched: Fetched, requested: str, fields: dict[str, str | None], read_opts: ReadOptions) -> Document:
    ctype = fetched.content_type
    head = fetched.body[:512].lstrip().lower()
    looks_html = head.startswith((b"<!doctype html", b"<html")) or b"<html" in head
    if ctype in HTML_TYPES or (not ctype and looks_html) or (ctype in FEED_TYPES and looks_html):
        is_html = True
    elif ctype.startswith("text/") or not ctype:
        is_html = looks_html
    else:
        return _failed(requested, Code.FETCH_NOT_TEXT, f"{requested}: content type {ctype!r} is not HTML, text or a feed")
    clean = {k: v for k, v in fields.items() if v}
    clean.setdefault("url", fetched.url)
    return build_document(requested, requested, fetched.body, is_html, clean, read_opts)


def iter_url_documents(urls: list[str], opts: FetchOptions | None = None, read_opts: ReadOptions | None = None) -> Iterator[Document]:
    """Documents for each URL: the page itself, or every item of a feed."""
    opts = opts or FetchOptions()
    read_opts = read_opts or ReadOptions(max_doc_bytes=opts.max_bytes)
    with _client(opts) as client:
        for url in urls:
            try:
                got = fetch(client, url, opts)
            except FetchError as exc:
                yield _failed(url, Code.FETCH_FAILED, f"cannot fetch {url}: {exc}")
                continue
            feed = parse_feed(got.body) if (got.content_type in FEED_TYPES or got.body[:200].lstrip().startswith(b"<?xml")) else None
            if feed is None:
                yield _to_document(got, url, {}, read_opts)
                continue
            feed_title, items = feed
            for item in items[: opts.max_feed_items]:
                fields = {"title": item.title, "published": item.published, "source": feed_title, "url": item.link}
                if item.link:
                    try:
                        page = fetch(client, item.link, opts)
                    except FetchError as exc:
                        yield _failed(item.link, Code.FETCH_FAILED, f"cannot fetch feed item {item.link}: {exc}", Metadata(title=item.title, url=item.link, source=feed_title, published=item.published))
                        continue
                    yield _to_document(page, item.link, fields, read_opts)
                elif item.content:
                    ident = f"{url}#{item.title or len(items)}"
                    text = _fragment_text(item.content)  # a feed's inline body is an HTML fragment, too short for trafilatura
                    yield build_document(ident, url, text.encode("utf-8"), False, {k: v for k, v in fields.items() if v}, read_opts)
