"""Frozen records of the events stage; each serialises itself to the extract contract."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fogwatch.records import Span


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical ACLED-style actor and the words the text used for it."""

    name: str  # "Military Forces of Syria (2000-)"
    text: str | None  # as written: "the Syrian Army"
    inter: int | None  # ACLED inter code, 1..8
    subunit: str | None = None  # "Tiger Forces", when the text named a unit
    span: Span | None = None
    reason: str | None = None  # contract extension (issue 10): which decided the name when a learned part did ("model (...)")

    def to_contract(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "text": self.text, "inter": self.inter}
        if self.subunit:
            out["subunit"] = self.subunit
        if self.span is not None:
            out["evidence"] = {"start": self.span.start, "end": self.span.end}
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True, slots=True)
class AlternativePlace:
    """Another place the event may be at: a name listed with the location ("near Saraqib, Rashidin 4 and Khan Touman")."""

    name: str  # the gazetteer's name, or the text's when the gazetteer lacks it
    geonameid: int | None
    latitude: float | None
    longitude: float | None
    span: Span

    def to_contract(self) -> dict[str, Any]:
        return {"name": self.name, "geonameid": self.geonameid, "latitude": self.latitude, "longitude": self.longitude,
                "evidence": {"start": self.span.start, "end": self.span.end}}


@dataclass(frozen=True, slots=True)
class Location:
    name: str | None
    geonameid: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    country_code: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    geo_precision: int | None = None
    span: Span | None = None  # the place mention it came from
    reason: str | None = None  # "in the sentence" / "nearest earlier mention"
    alternatives: tuple[AlternativePlace, ...] = ()  # the other names of a list the location came from

    def to_contract(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "geonameid": self.geonameid,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "country_code": self.country_code,
            "admin1": self.admin1,
            "admin2": self.admin2,
            "geo_precision": self.geo_precision,
        }
        if self.span is not None:
            out["evidence"] = {"start": self.span.start, "end": self.span.end}
        if self.reason:
            out["reason"] = self.reason
        if self.alternatives:
            out["alternatives"] = [a.to_contract() for a in self.alternatives]
        return out


@dataclass(frozen=True, slots=True)
class Claim:
    """One figure as somebody states it: "at least 6 Turkish personnel were killed"."""

    quantity: str  # killed | injured | captured | missing | displaced | destroyed | other
    low: int | None
    high: int | None
    claimant: str | None  # None: the author's own voice
    modality: str  # asserted | reported | claimed | denied | hypothetical
    subject: str | None
    evidence: Span  # contains the figure's text
    figure: str = ""  # the figure as written ("between 30 and 35")
    source: str | None = None  # the claimant registry's canonical source ("Syrian Observatory for Human Rights")
    source_kind: str | None = None  # its kind: monitor | government | armed group | media | witness | organisation
    counted: bool = True  # may it set its event's fatalities? (docs/fatalities.md)
    count_reason: str | None = None  # why not: a summary toll, a subset, the same dead told again, a doubted party claim

    def to_contract(self) -> dict[str, Any]:
        return {
            "quantity": self.quantity,
            "low": self.low,
            "high": self.high,
            "claimant": self.claimant,
            "modality": self.modality,
            "subject": self.subject,
            "evidence": {"start": self.evidence.start, "end": self.evidence.end},
            "figure": self.figure,
            # contract extension (issue 10): the registered source the claimant names, or null
            "claimant_source": {"name": self.source, "kind": self.source_kind} if self.source else None,
            # contract extension (issue 10, docs/fatalities.md): does the figure set fatalities, and why not
            "counted": self.counted,
            "count_reason": self.count_reason,
        }


@dataclass(frozen=True, slots=True)
class EventDate:
    date: str | None  # YYYY-MM-DD
    date_end: str | None
    time_precision: int | None  # 1 day, 2 week, 3 month
    span: Span | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    event_id: str
    event_type: str
    sub_event_type: str
    date: EventDate
    location: Location | None
    actor1: Actor | None
    actor2: Actor | None
    fatalities: int | None
    claims: tuple[Claim, ...]
    attribution: str | None  # who the event itself is attributed to (None: the author)
    modality: str
    confidence: float
    evidence: tuple[Span, ...]
    trigger: str = ""  # the words that typed the event ("shelled")
    type_reason: str = "rules"  # what decided sub_event_type: "rules", "rules+model" (they agree), "model (rules: <type>)", or "rules (<pass>)" when a pass over the paragraph changed it
    background: bool = False  # a mention of an event well before the report ("the 2013 Ghouta attack"): not its news
    background_reason: str | None = None

    def to_contract(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "date": self.date.date,
            "date_end": self.date.date_end,
            "time_precision": self.date.time_precision,
            "location": self.location.to_contract() if self.location else None,
            "actor1": self.actor1.to_contract() if self.actor1 else None,
            "actor2": self.actor2.to_contract() if self.actor2 else None,
            "fatalities": self.fatalities,
            "claims": [c.to_contract() for c in self.claims],
            "attribution": self.attribution,
            "modality": self.modality,
            "confidence": round(self.confidence, 3),
            "evidence": [{"start": s.start, "end": s.end} for s in self.evidence],
            "trigger": self.trigger,
            "type_reason": self.type_reason,
            "date_evidence": (
                {"start": self.date.span.start, "end": self.date.span.end} if self.date.span is not None else None
            ),
            "date_reason": self.date.reason,
            # contract extension (issue 10): a mention of an earlier event, kept out of counts by default
            "background": self.background,
            "background_reason": self.background_reason,
        }


HEDGED_MODALITIES = frozenset({"hypothetical", "denied"})


def counts_by_default(event: Event) -> bool:
    """Does the event count (in `events`, exports, totals) unless hedged ones are asked for?"""
    return event.modality not in HEDGED_MODALITIES and not event.background
