"""The API's request and response shapes (pydantic: the API boundary only; the store hands out plain dicts).

Responses are written as JSON directly (10,000 map points are not validated one by one); these models
document them in the OpenAPI schema, and the OpenAPI-driven tests check real responses against them.
"""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict, Field


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorDetail(BaseModel):
    code: str = Field(description="fogwatch's numbered error code, E801-E819 for the server (docs/architecture.md)")
    status: int = Field(description="the HTTP status, repeated")
    message: str


class ErrorBody(BaseModel):
    """Every error the server answers, whatever went wrong."""

    error: ErrorDetail


class Event(_Open):
    """A fused event: one row of the store's fused_events (docs/store.md)."""

    event_id: str
    event_type: Optional[str]
    sub_event_type: Optional[str]
    event_date: Optional[str]
    date_start: Optional[str]
    date_end: Optional[str]
    time_precision: Optional[int]
    location_name: Optional[str]
    geonameid: Optional[int]
    latitude: Optional[float]
    longitude: Optional[float]
    country_code: Optional[str]
    admin1: Optional[str]
    admin2: Optional[str]
    geo_precision: Optional[int]
    actor1: Optional[str]
    actor1_inter: Optional[int]
    actor2: Optional[str]
    actor2_inter: Optional[int]
    fatalities_low: Optional[int]
    fatalities_best: Optional[int]
    fatalities_high: Optional[int]
    n_mentions: int
    n_documents: int
    n_sources: int
    sources: Optional[str]
    contested: bool
    discrepancy: float
    discrepancy_reasons: list[str]
    updated_at: str


class EventsPage(BaseModel):
    total: int = Field(description="matching events in all")
    limit: int
    offset: int
    events: list[Event]


class Points(BaseModel):
    """Placed events for the map, as rows of ``columns``; events without a point are counted in ``unplaced``."""

    columns: list[str]
    rows: list[list[Optional[str | float | int | bool]]]
    truncated: bool = Field(description="more placed events match than `limit`")
    unplaced: int = Field(description="matching events without coordinates (not drawn)")


class TimelineRow(BaseModel):
    period: str = Field(description="YYYY-MM-DD (day, or the Monday of a week) or YYYY-MM")
    event_type: Optional[str]
    events: int
    fatalities: int = Field(description="sum of the events' conservative fatality figures")


class Timeline(BaseModel):
    bucket: str
    rows: list[TimelineRow]
    undated: int = Field(description="matching events without a date (not counted in rows)")


class Span(_Open):
    start: Optional[int]
    end: Optional[int]
    text: Optional[str] = None


class Claim(_Open):
    quantity: Optional[str]
    low: Optional[int]
    high: Optional[int]
    figure: str
    claimant: Optional[str] = Field(description="null: the report's author asserts it")
    modality: Optional[str]
    subject: Optional[str]
    evidence: Span


class Mark(BaseModel):
    kind: str = Field(description="evidence (the event's) or claim (a figure's)")
    start: int
    end: int


class Passage(BaseModel):
    """A stretch of the report (whole sentences) with the evidence inside it, as offsets into ``text``."""

    start: int = Field(description="offset of the passage in the report's text")
    end: int
    text: str
    marks: list[Mark]


class Member(_Open):
    mention_id: str
    doc_key: str
    doc_id: Optional[str]
    title: Optional[str]
    published: Optional[str]
    outlet: Optional[str]
    republisher: Optional[str]
    url: Optional[str]
    duplicate_of: Optional[str]
    event_type: Optional[str]
    sub_event_type: Optional[str]
    date: Optional[str]
    location: Optional[str]
    fatalities: Optional[int]
    modality: Optional[str]
    confidence: Optional[float]
    evidence: list[Span]
    claims: list[Claim]
    passages: list[Passage] = []


class SideClaim(Claim):
    outlet: Optional[str]
    republisher: Optional[str]
    doc_key: str
    doc_id: Optional[str]
    mention_id: str


class EventDetail(BaseModel):
    event: Event
    members: list[Member]
    claims: list[SideClaim] = Field(description="every member's claims, side by side")


class EventWithMembers(Event):
    members: list[Member]


class ClaimsPage(BaseModel):
    total: int
    limit: int
    offset: int
    events: list[EventWithMembers]


class ReportSummary(_Open):
    doc_key: str
    doc_id: str
    title: Optional[str]
    published: Optional[str]
    outlet: Optional[str]
    republisher: Optional[str]
    duplicate_of: Optional[str]
    n_events: int


class ReportsPage(BaseModel):
    total: int
    limit: int
    offset: int
    reports: list[ReportSummary]


class Report(_Open):
    doc_key: str
    doc_id: str
    title: Optional[str]
    published: Optional[str]
    source: Optional[str]
    outlet: Optional[str]
    republisher: Optional[str]
    url: Optional[str]
    duplicate_of: Optional[str]
    duplicate_similarity: Optional[float]
    ingested_at: str
    errors: list[dict[str, Optional[str]]]
    text: str
    mentions: list[dict[str, object]]


class Analysis(BaseModel):
    """What the installed pipeline reads in a stored report's text (the extract contract's shapes)."""

    doc_key: str
    pipeline: list[str]
    note: str
    sections: list[dict[str, object]]
    places: list[dict[str, object]]
    slant: list[dict[str, object]] = Field(description="spans with a PTC technique and a score")
    events: list[dict[str, object]]
    errors: list[dict[str, object]]


class Stats(BaseModel):
    documents: int
    near_duplicates: int
    mentions: int
    claims: int
    fused_events: int
    contested_events: int
    backend: str = Field(description="sqlite or postgresql")
    read_only: bool = Field(description="true when the server was started without FOGWATCH_TOKEN: ingest is refused")
    filters: list[str] = Field(description="the event filters this store understands")


class IngestDocument(BaseModel):
    """A report, as one line of the extract contract's JSONL input."""

    id: str = Field(min_length=1, max_length=1000)
    text: Optional[str] = Field(default=None, max_length=10_000_000)
    html: Optional[str] = Field(default=None, max_length=10_000_000)
    published: Optional[str] = Field(default=None, max_length=100)
    source: Optional[str] = Field(default=None, max_length=1000)
    url: Optional[str] = Field(default=None, max_length=4000)
    title: Optional[str] = Field(default=None, max_length=4000)


class IngestRequest(BaseModel):
    documents: list[IngestDocument] = Field(default=[], max_length=1000)
    urls: list[str] = Field(default=[], max_length=100, description="http(s) articles or RSS/Atom feeds; public addresses only (E513)")


class IngestFailure(BaseModel):
    doc_id: str
    code: str
    message: str


class IngestResult(BaseModel):
    read: int
    stored: int
    already_stored: int
    near_duplicates: int
    mentions: int
    fused_events_touched: int
    failed: list[IngestFailure]
    seconds: float
