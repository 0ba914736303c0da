"""Incremental fusion: which fused event each new mention of one report joins (creating, joining or merging events).

The algorithm only decides; it never reads or writes a database. What it needs of the events already stored
comes through an :class:`EventLookup` (the store implements it in SQL; a test can implement it with a dict):

- ``candidates(mention, window)``: stored events that *could* hold a match (a superset: overlapping date
  window, same country, nearby), each with its age key (the database's row number), oldest first;
- ``members(event_ids)``: the members of stored events, with at least the fields :mod:`fogwatch.fusion.rules`
  reads;
- ``merged(into, other)``: a stored event ``other`` became part of ``into`` (the store moves its members and
  deletes it at once, so later candidate lookups no longer see it).

:func:`assign_mentions` returns each mention's event, the events it created (in creation order: the store
inserts them in that order, so the age that breaks ties in later batches does not depend on the batch size) and every
event it touched. :func:`event_summary` is what the store writes for each touched event.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Protocol, Sequence

from fogwatch.fusion.model import Mention, fused_event_id_for
from fogwatch.fusion.rules import can_merge, date_window, matches_event, preference
from fogwatch.fusion.summary import DocSource, FusedSummary, summarize

Window = tuple[date, date]


class EventLookup(Protocol):
    """The stored fused events, as fusion sees them (see the module docstring)."""

    def candidates(self, m: Mention, window: Window) -> list[tuple[str, int]]: ...

    def members(self, event_ids: list[str]) -> dict[str, list[Mention]]: ...

    def merged(self, into: str, other: str) -> None: ...


@dataclass
class Assignment:
    """What :func:`assign_mentions` decided."""

    events: dict[str, str] = field(default_factory=dict)  # mention_id -> fused event_id
    created: list[str] = field(default_factory=list)  # new event ids, in creation order (merged-away ones removed)
    touched: set[str] = field(default_factory=set)  # every event whose members changed (new ones included)


def union(a: Window | None, b: Window | None) -> Window | None:
    """The smallest window covering both (None counts as no window)."""
    if a is None or b is None:
        return a or b
    return (min(a[0], b[0]), max(a[1], b[1]))


def members_window(members: Sequence[Mention]) -> Window | None:
    """The union of the members' date windows."""
    out = None
    for m in members:
        out = union(out, date_window(m))
    return out


def assign_mentions(new: list[Mention], lookup: EventLookup) -> Assignment:
    """Attach each new mention (all from one report, or one at a time) to the fused event it matches.

    A mention matching no event founds one (its id comes from the mention's); matching several, it joins the
    best fit (:func:`fogwatch.fusion.rules.preference`, then the oldest) and bridges the others into it where
    :func:`fogwatch.fusion.rules.can_merge` allows (the oldest keeps its id). Events touched in this call are
    tracked here (members, date window), so they are compared from memory rather than looked up again.
    """
    members: dict[str, list[Mention]] = {}  # light members (fusion fields only) of every event looked at
    age: dict[str, tuple[int, int]] = {}  # the oldest event keeps its id: stored first (0, row number), then new (1, order)
    windows: dict[str, Window | None] = {}  # current date window of each touched event
    out = Assignment()
    assign, created, dirty = out.events, out.created, out.touched
    for m in same_type_first(new, lookup, members, age):
        window = date_window(m)
        candidates: list[str] = []
        if window is not None:
            for eid, pk in lookup.candidates(m, window):
                age.setdefault(eid, (0, pk))
                if eid not in dirty:
                    candidates.append(eid)
            candidates.extend(e for e in dirty if (w := windows.get(e)) and w[0] <= window[1] and window[0] <= w[1])
            _load(lookup, members, [e for e in candidates if e not in members])
        matched = sorted((e for e in candidates if matches_event(m, members[e])), key=lambda e: (preference(m, members[e]), age[e]))
        if not matched:
            eid = fused_event_id_for(m.mention_id)
            members[eid], age[eid], windows[eid] = [], (1, len(created)), None
            created.append(eid)
        else:
            eid = matched[0]
            if eid not in windows:
                windows[eid] = members_window(members[eid])
            for other in matched[1:]:  # the new mention bridges events: they were one, if they can be
                if not can_merge(members[eid], members[other]):
                    continue
                if other not in windows:
                    windows[other] = members_window(members[other])
                members[eid].extend(members.pop(other))
                windows[eid] = union(windows[eid], windows.pop(other))
                for mid, e in assign.items():
                    if e == other:
                        assign[mid] = eid
                if age[other][0] == 0:  # it is stored
                    lookup.merged(eid, other)
                else:
                    created.remove(other)
                dirty.discard(other)
        members[eid].append(m)
        windows[eid] = union(windows[eid], window)
        assign[m.mention_id] = eid
        dirty.add(eid)
    return out


def same_type_first(new: list[Mention], lookup: EventLookup, members: dict[str, list[Mention]],
                    age: dict[str, tuple[int, int]]) -> list[Mention]:
    """A report's mentions, those that match a stored event of their own sub-type first (otherwise in order).

    A fused event holds one mention per report: without this, "the area was recaptured by militants" (an
    overtaking) could take the stored clash's place and leave the report's own account of that clash alone.
    ``members`` and ``age`` are filled with what was looked up (:func:`assign_mentions` reuses them).
    """
    if len({m.doc_key for m in new}) != 1 or len(new) < 2:
        return new
    first: list[Mention] = []
    rest: list[Mention] = []
    for m in new:
        window = date_window(m)
        fits = False
        if window is not None:
            found = lookup.candidates(m, window)
            _load(lookup, members, [eid for eid, _ in found if eid not in members])
            for eid, pk in found:
                age.setdefault(eid, (0, pk))
            fits = any(matches_event(m, members[eid]) and preference(m, members[eid])[0] == 0 for eid, _ in found)
        (first if fits else rest).append(m)
    return first + rest


def _load(lookup: EventLookup, members: dict[str, list[Mention]], missing: list[str]) -> None:
    if missing:
        loaded = lookup.members(missing)
        for eid in missing:
            members[eid] = loaded.get(eid, [])


_MODALITY_RANK = {"asserted": 4, "reported": 3, "claimed": 2, "denied": 1, "hypothetical": 0}


def standing(members: Sequence[Mention]) -> dict[str, Any]:
    """A fused event's modality (its firmest member's), confidence (the highest) and background (every member is)."""
    modality = max((m.modality for m in members if m.modality), key=lambda x: _MODALITY_RANK.get(x, 0), default=None)
    confidence = max((m.confidence for m in members if m.confidence is not None), default=None)
    return {"modality": modality, "confidence": confidence, "background": all(m.background for m in members)}


def event_summary(members: Sequence[Mention], sources: dict[str, DocSource]) -> tuple[FusedSummary, dict[str, Any]]:
    """What a fused event says (:func:`fogwatch.fusion.summary.summarize` over the figures that count: a summary
    toll, a subset or a repeat never sets the fused fatalities) and its standing (:func:`standing`)."""
    counting = [replace(m, claims=tuple(c for c in m.claims if c.counted)) for m in members]
    return summarize(counting, sources), standing(members)
