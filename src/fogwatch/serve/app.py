"""The workbench's HTTP API and page: :func:`create_app` over one store (SQLite or PostgreSQL).

Reads go through a read-only store (SQLite ``mode=ro``, PostgreSQL read-only transactions); the one
write, ``POST /api/ingest``, needs the bearer token the server was started with, and a server started
without one is read-only. Every error is ``{"error": {"code", "status", "message"}}``. The API is
documented at ``/api/openapi.json`` and in docs/api.md.
"""

from __future__ import annotations

import gzip
import hmac
import io
import json
import queue
import threading
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import IO, Annotated, Any, Iterator, Optional, cast

from fastapi import Depends, FastAPI, Header, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from fogwatch.errors import Code, FogwatchError, UsageError
from fogwatch.serve import models, read
from fogwatch.serve.guard import Guard, Limits, error_body
from fogwatch.store.query import EventFilter, parse_bbox, parse_country, parse_date

STATIC = Path(str(files("fogwatch") / "serve" / "static"))
MAX_TEXT = 1000  # filter text longer than this is a mistake (as on the command line)
MAX_OFFSET = 10**9
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1", "testserver"})


@dataclass
class ServerState:
    db: str
    token: str | None
    store: Any  # fogwatch.store.Store, read-only
    analyzer: Any = None  # serve.analysis.Analyzer: the pipeline, built on first use, shared by ingest and report analysis


class ApiError(Exception):
    def __init__(self, code: Code, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.code, self.status, self.message, self.headers = code, status, message, headers or {}


def _error(code: Code, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(error_body(code, status, message), status_code=status, media_type="application/json", headers=headers)


def _json(data: Any) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")
    return Response(body, media_type="application/json")


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": models.ErrorBody, "description": "a parameter the API refuses (E801)"},
    503: {"model": models.ErrorBody, "description": "the store failed (E807) or the request took too long (E806)"},
}


def open_read_store(db: str) -> Any:
    """The store, read-only; a store an older fogwatch wrote is migrated once first (as ``fogwatch events`` does)."""
    from fogwatch.store.backend import open_store

    # The first open migrates an older store (through a writable connection) or is read-only already; the second is
    # read-only in every case: the store is current by then.
    open_store(db, create=False, read_only=True).close()
    return open_store(db, create=False, read_only=True)


# --- filters -------------------------------------------------------------------------------------------------

Text = Annotated[Optional[str], Query(max_length=MAX_TEXT)]


def _text(value: str | None, name: str) -> str | None:
    if value is not None and (not value.strip() or "\x00" in value):
        raise ApiError(Code.API_BAD_REQUEST, 400, f"{name} is empty or holds a NUL character")
    return value


def event_filter(
    since: Annotated[Optional[str], Query(max_length=40, description="events on or after this day (YYYY-MM-DD)")] = None,
    until: Annotated[Optional[str], Query(max_length=40, description="events on or before this day (YYYY-MM-DD)")] = None,
    bbox: Annotated[Optional[str], Query(max_length=200, description="WEST,SOUTH,EAST,NORTH in degrees")] = None,
    country: Annotated[Optional[str], Query(max_length=100, description="ISO 3166 alpha-2 code or country name")] = None,
    admin1: Annotated[Optional[str], Query(max_length=MAX_TEXT, description="first-level division, exact name (any case)")] = None,
    type_: Annotated[Optional[str], Query(alias="type", max_length=MAX_TEXT, description="ACLED event type or sub-event type")] = None,
    actor: Annotated[Optional[str], Query(max_length=MAX_TEXT, description="part of an actor's name")] = None,
    contested: Annotated[Optional[bool], Query(description="true: only events whose sources disagree; false: only agreed ones")] = None,
    source: Annotated[Optional[str], Query(max_length=MAX_TEXT, description="part of a member report's outlet, republisher or URL")] = None,
    include_hedged: Annotated[Optional[bool], Query(description="also hedged events: every report hypothetical or denied (passed to the store's filter)")] = None,
    include_background: Annotated[Optional[bool], Query(description="also background events: every report mentions an earlier event (passed to the store's filter)")] = None,
    min_confidence: Annotated[Optional[float], Query(ge=0, le=1, description="only events at least this confident (passed to the store's filter)")] = None,
) -> EventFilter:
    """The query's filters as the store's EventFilter: the same parsing and the same SQL as ``fogwatch events``."""
    try:
        kwargs: dict[str, Any] = {
            "since": parse_date(since, "since"), "until": parse_date(until, "until"), "bbox": parse_bbox(bbox),
            "country": parse_country(_text(country, "country")), "admin1": _text(admin1, "admin1"), "event_type": _text(type_, "type"),
            "actor": _text(actor, "actor"), "contested": contested, "source": _text(source, "source"),
        }
    except UsageError as exc:
        raise ApiError(Code.API_BAD_REQUEST, 400, exc.message.replace("--", "")) from None
    for name, value in (("include_hedged", include_hedged), ("include_background", include_background), ("min_confidence", min_confidence)):
        if value is not None:
            kwargs[name] = value
    return EventFilter(**kwargs)


Filters = Annotated[EventFilter, Depends(event_filter)]
Limit = Annotated[int, Query(ge=1, le=1000, description="at most this many")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="skip this many first")]


# --- the app -------------------------------------------------------------------------------------------------

def create_app(db: str, token: str | None = None, limits: Limits = Limits(), allowed_hosts: frozenset[str] = LOCAL_HOSTS,
               store: Any = None) -> Any:
    """The ASGI application over the store at ``db``; ``token`` enables ``POST /api/ingest``."""
    from fogwatch.serve.analysis import Analyzer

    state = ServerState(db=db, token=token or None, store=store if store is not None else open_read_store(db), analyzer=Analyzer())
    api = FastAPI(
        title="fogwatch workbench API",
        version=_version(),
        description="Fused conflict events with their reports, claims and evidence, from a fogwatch store. "
                    "Errors are always `{\"error\": {\"code\", \"status\", \"message\"}}`. See docs/api.md.",
        openapi_url="/api/openapi.json", docs_url=None, redoc_url=None,
    )
    api.state.fogwatch = state
    _handlers(api)
    _routes(api, state)
    api.mount("/static", StaticFiles(directory=STATIC), name="static")
    return Guard(api, limits, allowed_hosts)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("fogwatch")
    except PackageNotFoundError:
        return "0"


def _handlers(api: FastAPI) -> None:
    @api.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> Response:
        return _error(exc.code, exc.status, exc.message, exc.headers)

    @api.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for e in exc.errors()[:5]:
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "body", "path"))
            parts.append(f"{where or 'request'}: {e.get('msg', 'invalid')}")
        return _error(Code.API_BAD_REQUEST, 400, "; ".join(parts) or "invalid request")

    @api.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return _error(Code.API_NOT_FOUND, 404, "no such route (the API is under /api/, its description at /api/openapi.json)")
        if exc.status_code == 405:
            return _error(Code.API_METHOD, 405, "this route does not take that method", dict(exc.headers or {}))
        return _error(Code.API_BAD_REQUEST, exc.status_code, str(exc.detail))

    @api.exception_handler(FogwatchError)
    async def _fogwatch(_request: Request, exc: FogwatchError) -> Response:
        if isinstance(exc, UsageError):
            return _error(Code.API_BAD_REQUEST, 400, exc.message)
        return _error(Code.API_STORE_FAULT, 503, f"[{exc.code}] {exc.message}")

    @api.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> Response:
        from fogwatch.cli import store_fault
        from fogwatch.redact import redact_text

        fault = store_fault(exc)
        if fault is not None:
            return _error(Code.API_STORE_FAULT, 503, redact_text(fault.message))
        return _error(Code.API_INTERNAL, 500, f"unexpected {type(exc).__name__} inside the server; the server goes on")


def _routes(api: FastAPI, state: ServerState) -> None:
    @api.get("/", include_in_schema=False)
    def index() -> Response:
        return HTMLResponse((STATIC / "index.html").read_bytes(), headers={"cache-control": "no-cache"})

    @api.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @api.get("/static/basemap/admin1.json", include_in_schema=False)
    def admin1(accept_encoding: Annotated[str, Header()] = "") -> Response:
        raw = (STATIC / "basemap" / "admin1.json.gz").read_bytes()
        if "gzip" in accept_encoding.lower():
            return Response(raw, media_type="application/json", headers={"content-encoding": "gzip", "cache-control": "max-age=86400"})
        return Response(gzip.decompress(raw), media_type="application/json")

    @api.get("/api/stats", response_model=None, responses={200: {"model": models.Stats}, **ERRORS}, tags=["store"])
    def stats() -> Response:
        """How much the store holds, its backend, whether the server takes ingests, and the filters it understands."""
        s = state.store.stats()
        return _json({**s, "backend": state.store.dialect, "read_only": state.token is None, "filters": sorted(read.filter_fields())})

    @api.get("/api/events", response_model=None, responses={200: {"model": models.EventsPage}, **ERRORS}, tags=["events"])
    def events(f: Filters, limit: Limit = 100, offset: Offset = 0) -> Response:
        """Fused events, newest first, with the filters of `fogwatch events`; `total` counts every match."""
        return _json(read.events_page(state.store, f, limit, offset))

    @api.get("/api/events/{event_id}", response_model=None,
             responses={200: {"model": models.EventDetail}, 404: {"model": models.ErrorBody, "description": "no such event (E802)"}, **ERRORS},
             tags=["events"])
    def event(event_id: Annotated[str, PathParam(max_length=100)]) -> Response:
        """One event: its fields, its member reports, every claim side by side, and each report's evidence in its sentence."""
        detail = read.event_detail(state.store, event_id)
        if detail is None:
            raise ApiError(Code.API_NOT_FOUND, 404, f"no event {event_id[:100]!r} in this store")
        return _json(detail)

    @api.get("/api/points", response_model=None, responses={200: {"model": models.Points}, **ERRORS}, tags=["map"])
    def points(f: Filters, limit: Annotated[int, Query(ge=1, le=100_000)] = 20_000) -> Response:
        """The map's events: placed events as compact rows, and the number of matching events without a point."""
        return _json(read.points(state.store, f, limit))

    @api.get("/api/timeline", response_model=None, responses={200: {"model": models.Timeline}, **ERRORS}, tags=["map"])
    def timeline(f: Filters, bucket: Annotated[str, Query(pattern="^(day|week|month)$")] = "day") -> Response:
        """Event counts (and fatalities) per day, week or month and event type, for the timeline."""
        return _json({"bucket": bucket, "rows": read.timeline(state.store, f, bucket), "undated": read.undated(state.store, f)})

    @api.get("/api/claims", response_model=None, responses={200: {"model": models.ClaimsPage}, **ERRORS}, tags=["events"])
    def claims(f: Filters, limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Offset = 0,
               claimant: Annotated[Optional[str], Query(max_length=MAX_TEXT, description="a claimant: its name or any spelling the claimant registry joins to it (\"SOHR\", \"the monitor\"), as `fogwatch claims --claimant`")] = None) -> Response:
        """Events with every member report's claims (figure, claimant, modality, evidence), as `fogwatch claims` shows them."""
        if claimant is not None:
            import dataclasses

            from fogwatch.events.claimants import claimants_from_env

            spellings = claimants_from_env().spellings_of(_text(claimant, "claimant") or "", state.store.claimant_names())
            f = dataclasses.replace(f, claimant_spellings=spellings)
        rows = state.store.events(f, limit=limit, offset=offset)
        total = state.store.count_events(f)
        members = state.store.members([e["event_id"] for e in rows])
        return _json({"total": total, "limit": limit, "offset": offset, "events": [{**e, "members": members[e["event_id"]]} for e in rows]})

    @api.get("/api/reports", response_model=None, responses={200: {"model": models.ReportsPage}, **ERRORS}, tags=["reports"])
    def reports(limit: Limit = 100, offset: Offset = 0) -> Response:
        """The stored reports, in the order they were ingested."""
        return _json(read.reports(state.store, limit, offset))

    @api.get("/api/reports/{doc_key}", response_model=None,
             responses={200: {"model": models.Report}, 404: {"model": models.ErrorBody, "description": "no such report (E802)"}, **ERRORS},
             tags=["reports"])
    def report(doc_key: Annotated[str, PathParam(max_length=100)]) -> Response:
        """One report: metadata, its text, its errors, and the event mentions (with claims and evidence offsets) read from it."""
        r = read.report(state.store, doc_key)
        if r is None:
            raise ApiError(Code.API_NOT_FOUND, 404, f"no report {doc_key[:100]!r} in this store")
        return _json(r)

    @api.get("/api/reports/{doc_key}/analysis", response_model=None,
             responses={200: {"model": models.Analysis}, 404: {"model": models.ErrorBody, "description": "no such report (E802)"}, **ERRORS},
             tags=["reports"])
    def analysis(doc_key: Annotated[str, PathParam(max_length=100)]) -> Response:
        """A report's sections and places (which the store does not keep) and events: the installed pipeline run again on the
        stored text, offsets into that text; its slant spans as the store keeps them (the slant stage runs again only for a
        report without stored spans). The first call builds the pipeline (seconds)."""
        from fogwatch.store.slant import report_slant

        r = read.report(state.store, doc_key)
        if r is None:
            raise ApiError(Code.API_NOT_FOUND, 404, f"no report {doc_key[:100]!r} in this store")
        with state.store.engine.connect() as conn:
            stored = report_slant(conn, doc_key)
        return _json(state.analyzer.analyse(r, stored))

    def _download(name: str, f: EventFilter) -> Response:
        """A registered export format's output as a download: a text format streamed as it is written, a file format
        (parquet) written to a temporary file first, which is removed once sent."""
        from fogwatch.export.registry import writers

        w = writers().get(name)
        if w is None:
            raise ApiError(Code.API_NOT_FOUND, 404, f"no export format {name[:40]!r} (known: {', '.join(writers())})")
        headers = {"content-disposition": f'attachment; filename="fogwatch-events{w.extension}"'}
        if w.target == "stream":
            return StreamingResponse(_export_stream(state.store, w.name, f), media_type=w.media_type, headers=headers)
        return _export_file(state.store, w.name, w.extension, w.media_type, f, headers)

    @api.get("/api/export.geojson", response_class=StreamingResponse, tags=["downloads"],
             responses={200: {"content": {"application/geo+json": {}}, "description": "an RFC 7946 FeatureCollection, streamed"}, **ERRORS})
    def export_geojson(f: Filters) -> Response:
        """The matching events as GeoJSON (as `fogwatch export --format geojson`), streamed."""
        return _download("geojson", f)

    @api.get("/api/export.csv", response_class=StreamingResponse, tags=["downloads"],
             responses={200: {"content": {"text/csv": {}}, "description": "ACLED's columns and fogwatch's extras, streamed"}, **ERRORS})
    def export_csv(f: Filters) -> Response:
        """The matching events as ACLED CSV (as `fogwatch export --format acled-csv`), streamed."""
        return _download("acled-csv", f)

    @api.get("/api/export/{format}", response_class=StreamingResponse, tags=["downloads"],
             responses={200: {"content": {"application/octet-stream": {}}, "description": "the events in that format"},
                        404: {"model": models.ErrorBody, "description": "no such export format (E802)"}, **ERRORS})
    def export_any(format: Annotated[str, PathParam(max_length=40)], f: Filters) -> Response:
        """The matching events in any format `fogwatch export --format` knows (acled-csv, geojson, jsonl, parquet, and
        formats installed plugins register): text formats streamed, parquet (GeoParquet) as a file."""
        return _download(format, f)

    @api.post("/api/ingest", response_model=None, tags=["write"],
              responses={200: {"model": models.IngestResult},
                         401: {"model": models.ErrorBody, "description": "no or a wrong bearer token (E803)"},
                         403: {"model": models.ErrorBody, "description": "the server is read-only: started without FOGWATCH_TOKEN (E804)"},
                         413: {"model": models.ErrorBody, "description": "the body is too large (E805)"}, **ERRORS})
    def ingest(body: models.IngestRequest, authorization: Annotated[Optional[str], Header()] = None) -> Response:
        """Ingest reports (JSON documents as the extract contract reads them, and http(s) URLs) into the store. Needs `Authorization: Bearer TOKEN`."""
        _check_token(state, authorization)
        return _json(_ingest(state, body))


def _check_token(state: ServerState, authorization: str | None) -> None:
    if state.token is None:
        raise ApiError(Code.API_READ_ONLY, 403, "this server is read-only: start it with FOGWATCH_TOKEN set to take ingests")
    given = (authorization or "").removeprefix("Bearer ").strip() if (authorization or "").startswith("Bearer ") else ""
    if not given or not hmac.compare_digest(given.encode(), state.token.encode()):
        raise ApiError(Code.API_UNAUTHORIZED, 401, "this endpoint needs the header Authorization: Bearer <FOGWATCH_TOKEN>",
                       {"www-authenticate": "Bearer"})


def _ingest(state: ServerState, body: models.IngestRequest) -> dict[str, Any]:
    """Run the real ingest (reader, pipeline, store, fusion) on a writable store, one ingest at a time."""
    from fogwatch.ingest.fetch import FetchOptions
    from fogwatch.store.backend import open_store
    from fogwatch.store.ingest import ingest as run_ingest, iter_inputs
    from fogwatch.store.lock import ingest_lock

    if not body.documents and not body.urls:
        raise ApiError(Code.API_BAD_REQUEST, 400, "nothing to ingest: give documents or urls")
    lines = [json.dumps(d.model_dump(exclude_none=True), ensure_ascii=False) for d in body.documents]
    stdin = io.BytesIO(("\n".join(lines) + "\n").encode("utf-8", errors="surrogatepass"))
    inputs = (["-"] if lines else []) + list(body.urls)
    with state.analyzer.lock:  # one pipeline, one user at a time
        nlp = state.analyzer.pipeline()
        with ingest_lock(state.db), open_store(state.db, create=False) as store:
            docs = iter_inputs(inputs, stdin=stdin, fetch_opts=FetchOptions())
            report = run_ingest(store, docs, nlp, jobs=1)
    return {"read": report.read, "stored": report.stored, "already_stored": report.already_stored, "near_duplicates": report.near_duplicates,
            "mentions": report.mentions, "fused_events_touched": report.fused_events_touched,
            "failed": [{"doc_id": d, "code": c, "message": m} for d, c, m in report.failed], "seconds": round(report.seconds, 3)}


class _QueueWriter(io.TextIOBase):
    """A text stream whose writes go, in chunks of about 64 KB, to a queue the response reads."""

    def __init__(self, q: queue.Queue[Any], stop: threading.Event) -> None:
        self.q, self.stop, self.size = q, stop, 0
        self.buf: list[str] = []

    def write(self, s: str) -> int:
        self.buf.append(s)
        self.size += len(s)
        if self.size >= 65536:
            self.flush()
        return len(s)

    def flush(self) -> None:
        if self.buf:
            self._put("".join(self.buf).encode("utf-8"))
            self.buf, self.size = [], 0

    def _put(self, item: Any) -> None:
        while not self.stop.is_set():
            try:
                self.q.put(item, timeout=0.5)
                return
            except queue.Full:
                continue
        raise BrokenPipeError("the client went away")


def _export_file(store: Any, fmt: str, extension: str, media_type: str, f: EventFilter, headers: dict[str, str]) -> Response:
    """A file format's export written to a temporary file, sent, then removed."""
    import os
    import tempfile

    from fastapi.responses import FileResponse
    from starlette.background import BackgroundTask

    from fogwatch.export import export

    fd, tmp = tempfile.mkstemp(prefix="fogwatch-export-", suffix=extension)
    os.close(fd)
    try:
        export(store, fmt, f, path=tmp)
    except BaseException:
        os.unlink(tmp)
        raise
    return FileResponse(tmp, media_type=media_type, headers=headers, background=BackgroundTask(os.unlink, tmp))


def _export_stream(store: Any, fmt: str, f: EventFilter) -> Iterator[bytes]:
    """The export module's writer run in a thread, its output streamed as it is written (flat memory for any size)."""
    from fogwatch.export import export

    q: queue.Queue[Any] = queue.Queue(maxsize=16)
    stop = threading.Event()
    done = object()

    def run() -> None:
        out = _QueueWriter(q, stop)
        try:
            export(store, fmt, f, out=cast(IO[str], out))
            out.flush()
        except BaseException as exc:  # noqa: BLE001 - handed to the response, which ends the stream
            try:
                out._put(exc)
            except BrokenPipeError:
                return
        try:
            out._put(done)
        except BrokenPipeError:
            pass

    thread = threading.Thread(target=run, name="fogwatch-export", daemon=True)
    thread.start()
    try:
        while True:
            item = q.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                return  # the status is sent already: the body ends short (a truncated download, never a traceback)
            yield item
    finally:
        stop.set()
