"""The records fusion reasons about: an event mention and its claims, as stored."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class Claim:
    """One figure a report gives for an event ("at least 6 killed, per the Turkish Defense Ministry")."""

    claim_id: str
    mention_id: str
    doc_key: str
    quantity: str | None
    low: int | None
    high: int | None
    claimant: str | None  # None: the author's own voice
    modality: str | None
    subject: str | None
    evidence_start: int | None = None
    evidence_end: int | None = None
    counted: bool = True  # may it set fatalities (docs/fatalities.md); a summary toll, subset or repeat does not
    count_reason: str | None = None

    @property
    def figure(self) -> int | None:
        """The single number the claim commits to: its lower bound, else its upper bound."""
        return self.low if self.low is not None else self.high

    def describe(self) -> str:
        if self.low is not None and self.high is not None:
            fig = str(self.low) if self.low == self.high else f"{self.low}-{self.high}"
        elif self.low is not None:
            fig = f"at least {self.low}"
        elif self.high is not None:
            fig = f"up to {self.high}"
        else:
            fig = "an unspecified number"
        return fig


@dataclass(frozen=True, slots=True)
class Mention:
    """One report's account of one event (a flattened extract-contract event record)."""

    mention_id: str
    doc_key: str
    event_index: int
    contract_event_id: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    date_start: date | None = None
    date_end: date | None = None
    time_precision: int | None = None
    location_name: str | None = None
    geonameid: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    country_code: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    geo_precision: int | None = None
    actor1: str | None = None
    actor1_text: str | None = None
    actor1_inter: int | None = None
    actor2: str | None = None
    actor2_text: str | None = None
    actor2_inter: int | None = None
    fatalities: int | None = None
    modality: str | None = None
    attribution: str | None = None
    confidence: float | None = None
    evidence: tuple[tuple[int, int], ...] = ()
    claims: tuple[Claim, ...] = ()
    # Other places listed with the location ("near Saraqib, Rashidin 4 and Khan Touman"): the event may be at
    # any of them. Only gazetteer places with a point: (geonameid, latitude, longitude).
    alternatives: tuple[tuple[int, float, float], ...] = ()
    unplaced: int = 0  # names listed with the location that the gazetteer lacks: the event may be there, unmapped
    background: bool = False  # a mention of an earlier event (contract extension): joins it, never founds a counted one

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def points(self) -> list[tuple[int | None, float, float]]:
        """The location's point, then its alternatives' points."""
        own: list[tuple[int | None, float, float]] = []
        if self.latitude is not None and self.longitude is not None:  # has_point
            own.append((self.geonameid, self.latitude, self.longitude))
        return own + list(self.alternatives)


def mention_id_for(doc_key: str, index: int) -> str:
    return f"{doc_key[:24]}-{index}"


def fused_event_id_for(founding_mention_id: str) -> str:
    """A fused event's public id: derived from the mention that founded it, so re-runs give the same id."""
    return "fw" + hashlib.sha256(founding_mention_id.encode()).hexdigest()[:14]


def _int(v: Any) -> int | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _float(v: Any) -> float | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if f == f else None  # NaN -> None


def _date(v: Any) -> date | None:
    if not isinstance(v, str) or len(v) < 10:
        return None
    try:
        return date.fromisoformat(v[:10])
    except ValueError:
        return None


def _str(v: Any) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def _span(v: Any) -> tuple[int, int] | None:
    if isinstance(v, dict) and _int(v.get("start")) is not None and _int(v.get("end")) is not None:
        return (int(v["start"]), int(v["end"]))
    return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def mention_from_contract(event: dict[str, Any], doc_key: str, index: int) -> Mention:
    """Flatten one extract-contract event record; unknown or malformed fields become None, never an error."""
    mid = mention_id_for(doc_key, index)
    loc = _dict(event.get("location"))
    a1 = _dict(event.get("actor1"))
    a2 = _dict(event.get("actor2"))
    claims = []
    for n, c in enumerate(event.get("claims") or ()):
        if not isinstance(c, dict):
            continue
        ev = _span(c.get("evidence"))
        claims.append(
            Claim(
                claim_id=f"{mid}-c{n}",
                mention_id=mid,
                doc_key=doc_key,
                quantity=_str(c.get("quantity")),
                low=_int(c.get("low")),
                high=_int(c.get("high")),
                claimant=_str(c.get("claimant")),
                modality=_str(c.get("modality")),
                subject=_str(c.get("subject")),
                evidence_start=ev[0] if ev else None,
                evidence_end=ev[1] if ev else None,
                counted=c.get("counted") is not False,
                count_reason=_str(c.get("count_reason")),
            )
        )
    start = _date(event.get("date"))
    end = _date(event.get("date_end"))
    if start and end and end < start:
        start, end = end, start
    return Mention(
        mention_id=mid,
        doc_key=doc_key,
        event_index=index,
        contract_event_id=_str(event.get("event_id")),
        event_type=_str(event.get("event_type")),
        sub_event_type=_str(event.get("sub_event_type")),
        date_start=start,
        date_end=end,
        time_precision=_int(event.get("time_precision")),
        location_name=_str(loc.get("name")),
        geonameid=_int(loc.get("geonameid")),
        latitude=_float(loc.get("latitude")),
        longitude=_float(loc.get("longitude")),
        country_code=(_str(loc.get("country_code")) or "").upper() or None,
        admin1=_str(loc.get("admin1")),
        admin2=_str(loc.get("admin2")),
        geo_precision=_int(loc.get("geo_precision")),
        actor1=_str(a1.get("name")),
        actor1_text=_str(a1.get("text")),
        actor1_inter=_int(a1.get("inter")),
        actor2=_str(a2.get("name")),
        actor2_text=_str(a2.get("text")),
        actor2_inter=_int(a2.get("inter")),
        fatalities=_int(event.get("fatalities")),
        modality=_str(event.get("modality")),
        attribution=_str(event.get("attribution")),
        confidence=_float(event.get("confidence")),
        evidence=tuple(s for s in (_span(e) for e in (event.get("evidence") or ())) if s),
        claims=tuple(claims),
        **alternatives_from_contract(loc.get("alternatives")),
        background=event.get("background") is True,
    )


def alternatives_from_contract(value: Any) -> dict[str, Any]:
    """Mention fields from a location's ``alternatives``: the gazetteer points (geonameid, lat, lon) to compare,
    and how many listed names the gazetteer lacks (no point to compare)."""
    points, unplaced = [], 0
    for a in value if isinstance(value, list) else ():
        if not isinstance(a, dict):
            continue
        gid, lat, lon = _int(a.get("geonameid")), _float(a.get("latitude")), _float(a.get("longitude"))
        if gid is None:
            unplaced += 1
        elif lat is not None and lon is not None:
            points.append((gid, lat, lon))
    return {"alternatives": tuple(points), "unplaced": unplaced}
