"""When two event mentions are the same real-world event.

All four must hold (the issue's definition, following ACLED's coding rules):
the sub-types are the same or compatible; the date windows overlap once time
precision is taken into account; the places are within 25 km (any of the
places a mention was listed at), or share an admin2 when one of them is only
known to precision 2-3; the actors fit one actor pair. A mention listed at
places the gazetteer lacks cannot be measured: it matches on the same death
toll for the same actor pair within one front's reach instead.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Iterable

from fogwatch.fusion.model import Mention
from fogwatch.geo import haversine_km
from fogwatch.text.normalize import fold

MAX_DISTANCE_KM = 25.0

# Sub-types that reports of one incident often disagree on. ACLED codes a clash
# with shelling at one place and day as one event; a strike that killed civilians
# is told as "an attack" by some outlets and "shelling" or "an air strike" by others.
COMPATIBLE_SUB_TYPES: tuple[frozenset[str], ...] = (
    frozenset({"Armed clash", "Government regains territory", "Non-state actor overtakes territory",
               "Shelling/artillery/missile attack", "Air/drone strike"}),
    frozenset({"Attack", "Shelling/artillery/missile attack", "Air/drone strike"}),
    frozenset({"Remote explosive/landmine/IED", "Suicide bomb", "Grenade", "Attack"}),
    frozenset({"Peaceful protest", "Protest with intervention", "Excessive force against protesters", "Violent demonstration"}),
    frozenset({"Violent demonstration", "Mob violence"}),
)


def sub_types_compatible(a: Mention, b: Mention) -> bool:
    if a.sub_event_type and b.sub_event_type:
        if a.sub_event_type == b.sub_event_type:
            return True
        return any(a.sub_event_type in g and b.sub_event_type in g for g in COMPATIBLE_SUB_TYPES)
    # A mention typed only to the event type matches any sub-type of it.
    return a.event_type is None or b.event_type is None or a.event_type == b.event_type


def date_window(m: Mention) -> tuple[date, date] | None:
    """The days the event may have happened on: exact (1), the week around the midpoint (2), the month (3)."""
    if m.date_start is None:
        return None
    lo, hi = m.date_start, m.date_end or m.date_start
    precision = m.time_precision or 1
    if precision == 2:
        lo, hi = lo - timedelta(days=3), hi + timedelta(days=3)
    elif precision >= 3:
        lo = lo.replace(day=1)
        hi = hi.replace(day=calendar.monthrange(hi.year, hi.month)[1])
    return lo, hi


def windows_overlap(a: Mention, b: Mention) -> bool:
    wa, wb = date_window(a), date_window(b)
    if wa is None or wb is None:
        return False  # an undated mention cannot be placed on the same day as anything
    return wa[0] <= wb[1] and wb[0] <= wa[1]


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b and fold(a).strip() == fold(b).strip())


def locations_compatible(a: Mention, b: Mention) -> bool:
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return True
    # A mention listed at several places ("near Saraqib, Rashidin 4 and Khan Touman") may be at any of them.
    for gid_a, lat_a, lon_a in a.points():
        for gid_b, lat_b, lon_b in b.points():
            if (gid_a is not None and gid_a == gid_b) or haversine_km(lat_a, lon_a, lat_b, lon_b) <= MAX_DISTANCE_KM:
                return True
    coarse = (a.geo_precision or 1) >= 2 or (b.geo_precision or 1) >= 2
    if coarse and _same(a.admin2, b.admin2) and (a.country_code == b.country_code or not a.country_code or not b.country_code):
        return True
    # Neither could be placed on the map: the same place name in the same country is all there is.
    if not a.has_point and not b.has_point and _same(a.location_name, b.location_name):
        return a.country_code == b.country_code or not a.country_code or not b.country_code
    return False


# How far apart the known places of one front can be ("near Saraqib, Rashidin 4 and Khan Touman" spans ~50 km).
MAX_LISTED_SPREAD_KM = 100.0


def same_toll_on_an_unmapped_list(a: Mention, b: Mention) -> bool:
    """The location rule for a mention listed at places the gazetteer lacks: where it was cannot be measured.

    "Counter-attacks near Saraqib, Rashidin 4 and Khan Touman ... killed 4 Russian military personnel" may be at
    an unmapped village far from Saraqib. Such a mention matches another when both give the same death toll for
    the same actor pair and their known places lie within one front's reach (``MAX_LISTED_SPREAD_KM``). The
    other three rules (sub-type, dates, actors) still apply.
    """
    if not (a.unplaced or b.unplaced):
        return False
    if not a.fatalities or a.fatalities != b.fatalities:
        return False
    pair_a, pair_b = actor_names([a]), actor_names([b])
    if len(pair_a) != 2 or pair_a != pair_b:
        return False
    if a.country_code != b.country_code or not a.country_code:
        return False
    return any(haversine_km(p[1], p[2], q[1], q[2]) <= MAX_LISTED_SPREAD_KM for p in a.points() for q in b.points())


def actor_key(name: str | None) -> str | None:
    return fold(name).strip() if name and name.strip() else None


def actor_names(mentions: Iterable[Mention]) -> set[str]:
    out: set[str] = set()
    for m in mentions:
        for name in (m.actor1, m.actor2):
            key = actor_key(name)
            if key:
                out.add(key)
    return out


def actors_compatible(m: Mention, members: Iterable[Mention]) -> bool:
    """One event has one actor pair: the named actors of the mention and the event together are at most two.

    Order does not matter (one outlet's "the army shelled the rebels" is another's "rebels clashed with the army").
    """
    return len(actor_names([m]) | actor_names(members)) <= 2


def same_event(m: Mention, other: Mention) -> bool:
    """The pairwise test without actors (actors are checked against the whole fused event)."""
    return (
        sub_types_compatible(m, other) and windows_overlap(m, other)
        and (locations_compatible(m, other) or same_toll_on_an_unmapped_list(m, other))
    )


def matches_event(m: Mention, members: list[Mention]) -> bool:
    """A mention joins a fused event when it is the same event as one member and fits the event's actor pair.

    Fusion works across reports: a report's own mentions are separate events by the extractor's decision, so a
    fused event holds at most one mention of each report.
    """
    if any(o.doc_key == m.doc_key for o in members):
        return False
    return any(same_event(m, o) for o in members) and actors_compatible(m, members)


def can_merge(a: list[Mention], b: list[Mention]) -> bool:
    """Two fused events that one mention bridges are one event only if they share no report and one actor pair."""
    return not ({o.doc_key for o in a} & {o.doc_key for o in b}) and len(actor_names(a) | actor_names(b)) <= 2


def preference(m: Mention, members: list[Mention]) -> tuple[int, int]:
    """Among events a mention matches, the best fit first: the same sub-type, then the same actors."""
    same_type = any(o.sub_event_type == m.sub_event_type for o in members)
    same_actors = actor_names([m]) <= actor_names(members)
    return (0 if same_type else 1, 0 if same_actors else 1)
