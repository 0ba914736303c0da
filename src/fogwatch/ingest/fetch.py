"""Fetch reports over HTTP(S): a single article URL, or an RSS/Atom feed whose items are fetched in turn.

Real HTTP through :mod:`httpx` with connect/read timeouts, an overall deadline
per URL (every attempt, redirect and byte together), a bounded number of
retries with backoff for transient failures (connection errors, timeouts, 429
and 5xx), and a size cap enforced while streaming. Redirects are followed here,
at most ``max_redirects`` hops, each hop connecting through the address policy
of :mod:`fogwatch.ingest.netpolicy` (loopback, private, link-local, multicast,
reserved addresses refused unless ``allow_private``). A URL that cannot be
fetched becomes a Document carrying a coded error (``E504``, ``E513``-``E519``),
like an unreadable file, so one dead or hostile link never stops an ingest.
Credentials in a URL (``user:pass@``) are used for the request but never kept
in a document's id, origin, metadata or messages.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, Iterator
from xml.etree import ElementTree as ET

import httpx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from fogwatch.errors import Code
from fogwatch.ingest.netpolicy import AddressPolicy, BlockedAddress, Resolver, guarded_transport
from fogwatch.ingest.sources import DEFAULT_MAX_DOC_BYTES, ReadOptions, build_document
from fogwatch.records import DocError, Document, Metadata
from fogwatch.redact import mask_credentials, redact_text, strip_credentials

USER_AGENT = "fogwatch/0.1 (+https://github.com/fogwatch; conflict-report analysis)"
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")
HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


@dataclass(frozen=True, slots=True)
class FetchOptions:
    timeout: float = 15.0  # seconds, for connecting and for each read
    retries: int = 3  # extra attempts after the first, for transient failures only
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    max_bytes: int = DEFAULT_MAX_DOC_BYTES  # a body larger than this (after decompression) is refused (E515)
    max_feed_items: int = 500
    deadline: float = 60.0  # seconds of wall clock for one URL: every attempt, redirect and byte (E516)
    max_redirects: int = 5  # hops followed per attempt (E514 beyond)
    allow_private: bool = False  # fetch from loopback/private/link-local/... addresses too (E513 otherwise)
    resolver: Resolver | None = None  # host, port -> addresses; None: the system resolver (tests inject one)
    allow_networks: tuple[str, ...] = ()  # CIDR blocks fetched from although not public (without allowing every private address)


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects, without credentials
    content_type: str
    body: bytes


class FetchError(Exception):
    """A URL that cannot be fetched; ``code`` is the document error it becomes."""

    def __init__(self, message: str, code: Code = Code.FETCH_FAILED) -> None:
        super().__init__(message)
        self.code = code


class _Transient(Exception):
    """A failure worth another attempt (a timeout, a dropped connection, 429/5xx)."""


def _client(opts: FetchOptions) -> httpx.Client:
    return httpx.Client(
        transport=guarded_transport(AddressPolicy(allow_private=opts.allow_private, resolver=opts.resolver, allow_networks=opts.allow_networks)),
        timeout=httpx.Timeout(opts.timeout),
        follow_redirects=False,  # followed in fetch(), a bounded number of hops, each one checked
        headers={"User-Agent": USER_AGENT, "Accept": "text/html, application/rss+xml, application/atom+xml, text/plain;q=0.8, */*;q=0.5"},
    )


def _check_url(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise FetchError(f"invalid URL: {exc}", Code.FETCH_BAD_URL) from None
    if parsed.scheme not in ("http", "https"):
        raise FetchError(f"not an http(s) URL: {parsed.scheme or '(no scheme)'}:", Code.FETCH_BAD_URL)
    if not parsed.host:
        raise FetchError("URL without a host", Code.FETCH_BAD_URL)
    return parsed


def fetch(client: httpx.Client, url: str, opts: FetchOptions) -> Fetched:
    """GET ``url`` with retries, redirects and an overall deadline; raises :class:`FetchError` with a code and a one-line reason."""
    deadline = time.monotonic() + opts.deadline
    target = _check_url(url)
    delay = opts.backoff
    last = "no attempt"
    attempts = 0
    while attempts <= opts.retries:
        if attempts:
            if time.monotonic() + delay >= deadline:
                break
            time.sleep(delay)
            delay *= 2
        attempts += 1
        try:
            return _fetch_once(client, target, opts, deadline)
        except _Transient as exc:
            last = str(exc)
        except httpx.TimeoutException:
            last = f"timed out after {opts.timeout:g}s"
        except httpx.TransportError as exc:
            last = f"connection failed: {exc}" if str(exc) else f"connection failed: {type(exc).__name__}"
        except BlockedAddress as exc:
            raise FetchError(str(exc), Code.FETCH_BLOCKED) from None
        except httpx.DecodingError as exc:
            raise FetchError(f"the body cannot be decoded: {exc}", Code.FETCH_BAD_BODY) from None
        except httpx.TooManyRedirects as exc:
            raise FetchError(str(exc), Code.FETCH_REDIRECTS) from None
        except httpx.InvalidURL as exc:
            raise FetchError(f"invalid URL: {exc}", Code.FETCH_BAD_URL) from None
        except (httpx.HTTPError, httpx.StreamError) as exc:
            raise FetchError(f"{type(exc).__name__}: {exc}") from None
        if time.monotonic() >= deadline:
            raise FetchError(f"gave up at the {opts.deadline:g}s deadline ({last}; {attempts} attempt(s))", Code.FETCH_DEADLINE)
    raise FetchError(f"{last} ({attempts} attempts)")


def _remaining(deadline: float, opts: FetchOptions) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(f"not finished within the {opts.deadline:g}s deadline", Code.FETCH_DEADLINE)
    return left


def _fetch_once(client: httpx.Client, url: httpx.URL, opts: FetchOptions, deadline: float) -> Fetched:
    """One attempt: follow up to ``max_redirects`` redirects, then stream the body under the deadline and the size cap."""
    seen = {str(url)}
    for _hop in range(opts.max_redirects + 1):
        try:
            fetched = _one_hop(client, url, opts, deadline, seen)
        except httpx.InvalidURL as exc:  # the requested URL was parsed already: httpx refuses the Location it was sent to
            raise FetchError(f"redirect to an invalid URL: {exc}", Code.FETCH_REDIRECTS) from None
        if isinstance(fetched, Fetched):
            return fetched
        url = fetched
    raise FetchError(f"more than {opts.max_redirects} redirects", Code.FETCH_REDIRECTS)


def _one_hop(client: httpx.Client, url: httpx.URL, opts: FetchOptions, deadline: float, seen: set[str]) -> Fetched | httpx.URL:
    """The fetched body, or the URL a redirect points to."""
    left = _remaining(deadline, opts)
    with client.stream("GET", url, timeout=httpx.Timeout(min(opts.timeout, left))) as resp:
        if resp.status_code in REDIRECT_STATUS and resp.headers.get("location"):
            try:
                nxt = resp.url.join(resp.headers["location"])
            except (httpx.InvalidURL, ValueError) as exc:
                raise FetchError(f"redirect to an invalid URL: {exc}", Code.FETCH_REDIRECTS) from None
            if nxt.scheme not in ("http", "https"):
                raise FetchError(f"redirect to a non-HTTP URL ({nxt.scheme}:)", Code.FETCH_REDIRECTS)
            if str(nxt) in seen:
                raise FetchError(f"redirect loop at {mask_credentials(str(nxt))}", Code.FETCH_REDIRECTS)
            seen.add(str(nxt))
            return nxt
        if resp.status_code in RETRY_STATUS:
            raise _Transient(f"HTTP {resp.status_code}")
        if resp.status_code >= 400:
            raise FetchError(f"HTTP {resp.status_code} {resp.reason_phrase}")
        announced = resp.headers.get("content-length", "")
        if announced.isdigit() and int(announced) > opts.max_bytes and not resp.headers.get("content-encoding"):
            raise FetchError(f"response of {int(announced):,} bytes is larger than the {opts.max_bytes:,}-byte limit", Code.FETCH_TOO_LARGE)
        chunks, size = [], 0
        for chunk in resp.iter_bytes():
            size += len(chunk)
            if size > opts.max_bytes:
                raise FetchError(f"response larger than the {opts.max_bytes:,}-byte limit", Code.FETCH_TOO_LARGE)
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise FetchError(f"body not received within the {opts.deadline:g}s deadline ({size:,} bytes so far)", Code.FETCH_DEADLINE)
        ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
        return Fetched(strip_credentials(str(resp.url)), ctype, b"".join(chunks))


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
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()  # Atom: RFC 3339
    except (ValueError, OverflowError):
        return None


@dataclass(frozen=True, slots=True)
class FeedItem:
    title: str | None
    link: str | None
    published: str | None
    content: str | None  # the item's own HTML/text, used when there is no link to fetch


class FeedRefused(Exception):
    """An XML feed the defused parser will not read (entity declarations, external references)."""


def parse_feed(body: bytes) -> tuple[str | None, list[FeedItem]] | None:
    """(feed title, items) when ``body`` is RSS 0.9x/1.0/2.0 or Atom; None when it is not a feed.

    Parsed with defusedxml: a document declaring entities (billion laughs) or
    referring to external ones (XXE) raises :class:`FeedRefused`.
    """
    try:
        root = defused_fromstring(body)
    except DefusedXmlException as exc:
        raise FeedRefused(f"feed refused by the XML parser: {type(exc).__name__}") from None
    except (ET.ParseError, ValueError):
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


# Elements whose text is code or styling, never prose: dropped from a feed's inline HTML.
_NOT_TEXT = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math")


def _fragment_text(fragment: str) -> str:
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types on junk; what is left is stripped of markup below
        return _strip_tags(fragment)
    for el in list(root.iter(*_NOT_TEXT)):
        el.drop_tree()
    lxml.etree.strip_elements(root, lxml.etree.Comment, lxml.etree.ProcessingInstruction, with_tail=False)
    for br in root.iter("br", "p", "div", "li"):
        br.tail = "\n" + (br.tail or "")
    return "\n".join(line.strip() for line in root.text_content().splitlines() if line.strip())


def _strip_tags(fragment: str) -> str:
    import re

    fragment = re.sub(r"(?is)<(script|style|noscript|template)\b.*?(</\1\s*>|$)", " ", fragment)
    return re.sub(r"<[^>]*>", " ", fragment)


def _failed(url: str, code: Code, message: str, meta: Metadata | None = None) -> Document:
    safe = strip_credentials(url)
    return Document(doc_id=safe, text="", origin=safe, metadata=meta or Metadata(url=safe),
                    errors=(DocError(str(code), redact_text(message), "fetch"),))


def _to_document(fetched: Fetched, requested: str, fields: dict[str, str | None], read_opts: ReadOptions) -> Document:
    ctype = fetched.content_type
    requested = strip_credentials(requested)
    head = fetched.body[:512].lstrip().lower()
    looks_html = head.startswith((b"<!doctype html", b"<html")) or b"<html" in head
    if ctype in HTML_TYPES or (not ctype and looks_html) or (ctype in FEED_TYPES and looks_html):
        is_html = True
    elif ctype.startswith("text/") or not ctype:
        is_html = looks_html
    else:
        return _failed(requested, Code.FETCH_NOT_TEXT, f"{requested}: content type {ctype!r} is not HTML, text or a feed")
    clean = {k: (strip_credentials(v) if k == "url" else v) for k, v in fields.items() if v}
    clean.setdefault("url", fetched.url)
    return build_document(requested, requested, fetched.body, is_html, clean, read_opts)


def _fetch_document(client: httpx.Client, url: str, opts: FetchOptions, fields: dict[str, str | None], read_opts: ReadOptions,
                    what: str) -> tuple[Fetched | None, Document | None]:
    """(fetched, None), or (None, a failed Document) when ``url`` cannot be fetched; never raises for one bad URL."""
    meta_fields: dict[str, Any] = {k: (strip_credentials(v) if k == "url" and v else v) for k, v in fields.items()}
    meta = Metadata(**meta_fields) if fields else None
    try:
        return fetch(client, url, opts), None
    except FetchError as exc:
        return None, _failed(url, exc.code, f"cannot fetch {what}{mask_credentials(url)}: {exc}", meta)
    except Exception as exc:  # noqa: BLE001 - one URL must never stop the batch; the error is recorded, not raised
        return None, _failed(url, Code.FETCH_FAILED, f"cannot fetch {what}{mask_credentials(url)}: {type(exc).__name__}: {exc}", meta)


def _read_fetched(fetched: Fetched, requested: str, fields: dict[str, str | None], read_opts: ReadOptions) -> Document:
    """:func:`_to_document`, except that whatever a hostile body makes the readers raise becomes this URL's coded error."""
    try:
        return _to_document(fetched, requested, fields, read_opts)
    except Exception as exc:  # noqa: BLE001 - one body must never stop the batch
        return _failed(requested, Code.FETCH_BAD_BODY, f"{mask_credentials(requested)}: the body cannot be read: {type(exc).__name__}: {exc}")


def iter_url_documents(urls: list[str], opts: FetchOptions | None = None, read_opts: ReadOptions | None = None) -> Iterator[Document]:
    """Documents for each URL: the page itself, or every item of a feed. A URL that fails gives one coded Document."""
    opts = opts or FetchOptions()
    read_opts = read_opts or ReadOptions(max_doc_bytes=opts.max_bytes)
    with _client(opts) as client:
        for url in urls:
            got, failed = _fetch_document(client, url, opts, {}, read_opts, "")
            if got is None:
                yield failed  # type: ignore[misc]
                continue
            try:
                feed = parse_feed(got.body) if (got.content_type in FEED_TYPES or got.body[:200].lstrip().startswith(b"<?xml")) else None
            except FeedRefused as exc:
                yield _failed(url, Code.FEED_REFUSED, f"{mask_credentials(url)}: {exc}")
                continue
            if feed is None:
                yield _read_fetched(got, url, {}, read_opts)
                continue
            feed_title, items = feed
            for n, item in enumerate(items[: opts.max_feed_items]):
                fields = {"title": item.title, "published": item.published, "source": feed_title, "url": item.link}
                if item.link:
                    page, failed = _fetch_document(client, item.link, opts, fields, read_opts, "feed item ")
                    if page is None:
                        yield failed  # type: ignore[misc]
                        continue
                    yield _read_fetched(page, item.link, fields, read_opts)
                elif item.content:
                    ident = f"{strip_credentials(url)}#{item.title or n + 1}"
                    text = _fragment_text(item.content)  # a feed's inline body is an HTML fragment, too short for trafilatura
                    yield build_document(ident, strip_credentials(url), text.encode("utf-8"),
                                         False, {k: v for k, v in fields.items() if v}, read_opts)
