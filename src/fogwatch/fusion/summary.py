"""What a fused event says: its representative fields, fatalities range, sources and disagreements.

Figures are compared within *claim groups*: claims about the same quantity
("killed") of the same subject ("Turkish soldiers" ~ "Turkish servicemen"), so
4 Russians and 8 Turks in one event are two groups, not a 4-vs-8 dispute.

- ``fatalities_low``/``high``: per killed-group, the smallest and largest figure
  any report gives (denials excluded), summed over groups.
- ``fatalities_best``: ACLED's conservative figure, the lowest figure per group
  that a report commits to (asserted, reported or claimed; not hypothetical or
  denied), summed; without any claims, the lowest member ``fatalities``.
- ``contested``/``discrepancy``: contested means two *claimants* disagree about the same
  people (issue 10). Within a group, each claimant's latest figure stands: an earlier
  figure of the same claimant (the same registered source, or the same outlet's own
  voice) is an *update*, noted in the reasons but never a dispute. A subset ("6 women"
  beside "at least 23 civilians") is no disagreement and never adds to the toll.
  Between claimants, figures that differ score (max - min) / max; one claimant
  asserting what another only claims or puts conditionally scores 0.5, and a denial
  against another claimant's claim 1.0. The event's discrepancy is its worst group's
  score; contested when > 0, and each reason names the two claimants and their figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable

from fogwatch.fusion.model import Claim, Mention
from fogwatch.fusion.rules import date_window
from fogwatch.text.normalize import fold

COMMITTED_MODALITIES = frozenset({"asserted", "reported", "claimed"})
HEDGED_MODALITIES = frozenset({"claimed", "hypothetical"})

# A claim's subject is read as (kind, identity): "Turkish soldiers" is (combatant, {turk}), "9 people" is
# (civilian, {}), "Russians" is (None, {russ}). Kind words say what sort of people; identity words say whose.
_COMBATANT_WORDS = frozenset(
    "militant fighter soldier troop serviceman servicemen personnel militia militiamen jihadist gunman gunmen insurgent "
    "rebel terrorist member officer army force military commander guard police policeman policemen".split()
)
_CIVILIAN_WORDS = frozenset("civilian people person resident child children woman women villager worker student patient family passenger".split())
# Words that count part of a group ("6 women" among "23 civilians", "4 children" among "10 people"): a subset
_SUBSET_WORDS = frozenset("woman women child children kid kids boy boys girl girls baby babies infant infants minor minors elderly teenager teenagers".split())
_FILLER_WORDS = frozenset("the a an of and or at least some other others more than about around nearly service specialist men man".split())

# ACLED's sub-type precedence when members disagree and the vote ties: the battle that framed it comes first.
SUB_TYPE_PRECEDENCE = (
    "Armed clash", "Government regains territory", "Non-state actor overtakes territory", "Air/drone strike",
    "Shelling/artillery/missile attack", "Suicide bomb", "Remote explosive/landmine/IED", "Grenade", "Chemical weapon",
    "Attack", "Abduction/forced disappearance", "Sexual violence",
)


@dataclass(frozen=True, slots=True)
class DocSource:
    """Who stands behind a document, for counting independent sources."""

    source_key: str  # same key = not independent (same outlet, or a republication/near-copy of it)
    label: str  # outlet name shown to people
    published: date | None = None  # orders a claimant's figures: the latest one stands (an update)


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    quantity: str
    subject: str | None
    claims: tuple[Claim, ...]
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FusedSummary:
    event_type: str | None
    sub_event_type: str | None
    event_date: date | None
    date_start: date | None
    date_end: date | None
    time_precision: int | None
    location_name: str | None
    geonameid: int | None
    latitude: float | None
    longitude: float | None
    country_code: str | None
    admin1: str | None
    admin2: str | None
    geo_precision: int | None
    actor1: str | None
    actor1_inter: int | None
    actor2: str | None
    actor2_inter: int | None
    fatalities_low: int | None
    fatalities_best: int | None
    fatalities_high: int | None
    n_mentions: int
    n_documents: int
    n_sources: int
    sources: str
    contested: bool
    discrepancy: float
    reasons: tuple[str, ...]
    window_start: date | None = None  # union of the members' date windows (fusion.rules.date_window)
    window_end: date | None = None


def _stem(token: str) -> str:
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        token = token[:-1]
    return token[:4]  # "turk"/"turkish", "russ"/"russians", "syri"/"syrian": nationality nouns meet adjectives


SubjectKey = tuple[str | None, frozenset[str]]


def subject_key(subject: str | None) -> SubjectKey | None:
    if not subject:
        return None
    kind: str | None = None
    identity: set[str] = set()
    for word in re.findall(r"[a-z]+", fold(subject)):
        single = word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 3 else word
        if word in _FILLER_WORDS or single in _FILLER_WORDS:
            continue
        if word in _COMBATANT_WORDS or single in _COMBATANT_WORDS:
            kind = kind or "combatant"
        elif word in _CIVILIAN_WORDS or single in _CIVILIAN_WORDS:
            kind = kind or "civilian"
        else:
            identity.add(_stem(word))
    return kind, frozenset(identity)


def subjects_match(a: SubjectKey | None, b: SubjectKey | None) -> bool:
    """Whether two claims count the same people (so their figures can be compared)."""
    if a is None or b is None:
        return a is None and b is None
    (kind_a, ids_a), (kind_b, ids_b) = a, b
    if kind_a and kind_b:  # "Turkish soldiers" vs "soldiers": same kind, and whose does not contradict
        return kind_a == kind_b and (not ids_a or not ids_b or bool(ids_a & ids_b))
    if kind_a or kind_b:  # "Russians" vs "Russian service members": only a shared identity links them
        return bool(ids_a & ids_b)
    return bool(ids_a & ids_b) or (not ids_a and not ids_b)


def group_claims(claims: Iterable[Claim]) -> list[list[Claim]]:
    groups: list[tuple[str, SubjectKey | None, list[Claim]]] = []
    for c in sorted(claims, key=lambda c: c.claim_id):
        q = c.quantity or "other"
        key = subject_key(c.subject)
        for gq, gkey, members in groups:
            if gq == q and subjects_match(gkey, key):
                members.append(c)
                break
        else:
            groups.append((q, key, [c]))
    return [g[2] for g in groups]


def _voice(c: Claim, labels: dict[str, str]) -> str:
    who = c.claimant or f"{labels.get(c.doc_key, 'the author')} (author)"
    return f"{c.describe()} ({who}, {c.modality or 'unknown modality'})"


ClaimantKey = Callable[[str | None], str | None]


def _registry_key() -> ClaimantKey:
    """The claimant registry's canonical key (``fogwatch.events.claimants``), loaded on first use."""
    from fogwatch.events.claimants import claimants_from_env

    return claimants_from_env().key


def is_subset(subject: str | None) -> bool:
    """ "6 women", "4 children": a part of the victims another figure may count in full."""
    if not subject:
        return False
    words = re.findall(r"[a-z]+", fold(subject))
    words += [w[:-1] for w in words if len(w) > 3 and w.endswith("s") and not w.endswith("ss")]
    return any(w in _SUBSET_WORDS for w in words) and not any(
        w in _CIVILIAN_WORDS - _SUBSET_WORDS or w in _COMBATANT_WORDS for w in words
    )


def wholes(claims: list[Claim]) -> list[Claim]:
    """The claims that count the whole group: subsets ("6 women") drop out when a whole figure is there."""
    whole = [c for c in claims if not is_subset(c.subject)]
    return whole or claims


@dataclass(frozen=True, slots=True)
class _Voice:
    """Who stands behind a claim, for telling an update from a dispute."""

    key: str  # the claimant registry's canonical source, or "author:<source_key>" for an outlet's own voice
    order: tuple  # (published, doc_key, evidence_start): later is larger


def _voice_of(c: Claim, sources: dict[str, DocSource], key: ClaimantKey) -> _Voice:
    src = sources.get(c.doc_key)
    who = key(c.claimant) if c.claimant else None
    if who is None:
        who = "author:" + (src.source_key if src else c.doc_key)
    published = src.published if src and src.published else date.min
    return _Voice(who, (published, c.doc_key, c.evidence_start or 0))


def latest_per_claimant(
    claims: list[Claim], sources: dict[str, DocSource], key: ClaimantKey, labels: dict[str, str]
) -> tuple[list[Claim], list[str]]:
    """Each claimant's latest figure (earlier figures of the same claimant are updates), and the update notes."""
    by_voice: dict[str, list[tuple[tuple, Claim]]] = {}
    for c in claims:
        v = _voice_of(c, sources, key)
        by_voice.setdefault(v.key, []).append((v.order, c))
    kept: list[Claim] = []
    notes: list[str] = []
    for voice, items in by_voice.items():
        items.sort(key=lambda t: t[0])
        latest = items[-1][1]
        figured = [c for _, c in items if c.figure is not None and c.modality != "denied"]
        if latest.figure is None and figured:
            latest = figured[-1]  # "a number of people died" after "toll rises to 61": the figure stands
        kept.append(latest)
        for _, earlier in items:
            if earlier is not latest and earlier.figure != latest.figure and earlier.figure is not None and latest.figure is not None:
                way = "update" if latest.figure > earlier.figure else "revised down"
                notes.append(f"{way}, not a dispute: {_voice(latest, labels)} after {earlier.describe()} from the same claimant")
    kept.sort(key=lambda c: c.claim_id)
    return kept, notes


def score_group(
    claims: list[Claim], labels: dict[str, str], sources: dict[str, DocSource] | None = None, key: ClaimantKey | None = None
) -> ClaimGroup:
    """How much the claimants of one group (the same quantity of the same people) disagree, and why.

    Subsets never count against the whole; each claimant's latest figure stands for it; only figures
    of different claimants are compared.
    """
    q = claims[0].quantity or "other"
    subject = next((c.subject for c in claims if c.subject), None)
    what = f"{q} {subject}" if subject else q
    sources = sources or {}
    standing, notes = latest_per_claimant(wholes(claims), sources, key or _registry_key(), labels)
    score, reasons = 0.0, []
    figures = [(fig, c) for c in standing if (fig := c.figure) is not None and c.modality != "denied"]
    if figures:
        lo = min(figures, key=lambda t: t[0])
        hi = max(figures, key=lambda t: t[0])
        # "up to 10" and "at least 3" bound the same count from both sides: no disagreement. Only a ceiling can
        # be met this way; "8" against "at least 6" are still two different counts (the 6 vs 8).
        ceiling_only = hi[1].low is None and all(fig <= hi[0] for fig, _ in figures)
        if hi[0] > lo[0] and not ceiling_only:
            score = max(score, (hi[0] - lo[0]) / hi[0])
            reasons.append(f"{what}: {_voice(hi[1], labels)} vs {_voice(lo[1], labels)}")
    modalities = {c.modality for c in standing if c.modality}
    factual = {"asserted", "reported"} & modalities
    if "denied" in modalities and (modalities - {"denied"}):
        score = max(score, 1.0)
        denier = next(c for c in standing if c.modality == "denied")
        other = next(c for c in standing if c.modality != "denied")
        reasons.append(f"{what}: {_voice(other, labels)} vs denied by {denier.claimant or labels.get(denier.doc_key, 'the author')}")
    elif factual and HEDGED_MODALITIES & modalities:
        score = max(score, 0.5)
        firm = next(c for c in standing if c.modality in factual)
        hedged = next(c for c in standing if c.modality in HEDGED_MODALITIES)
        reasons.append(f"{what}: {_voice(firm, labels)} vs {_voice(hedged, labels)}")
    reasons.extend(f"{what}: {n}" for n in notes)
    return ClaimGroup(q, subject, tuple(claims), round(score, 4), tuple(reasons))


def _vote(values: Iterable[str | None], weights: Iterable[float], precedence: tuple[str, ...] = ()) -> str | None:
    tally: dict[str, float] = {}
    for v, w in zip(values, weights):
        if v:
            tally[v] = tally.get(v, 0) + w
    if not tally:
        return None
    rank = {name: i for i, name in enumerate(precedence)}
    return min(tally, key=lambda v: (-tally[v], rank.get(v, len(rank)), v))


def summarize(members: list[Mention], sources: dict[str, DocSource], claimant_key: ClaimantKey | None = None) -> FusedSummary:
    """The fused view of ``members`` (every mention of one event); ``sources`` maps doc_key to its source.

    ``claimant_key`` says which claimants are one (default: the claimant registry's canonical sources).
    """
    if not members:
        raise ValueError("a fused event needs at least one mention")
    members = sorted(members, key=lambda m: m.mention_id)
    labels = {k: v.label for k, v in sources.items()}
    weights = [m.confidence if m.confidence is not None else 0.5 for m in members]

    sub = _vote((m.sub_event_type for m in members), weights, SUB_TYPE_PRECEDENCE)
    typed = [m for m in members if m.sub_event_type == sub] if sub else members
    event_type = _vote((m.event_type for m in typed), weights) or _vote((m.event_type for m in members), weights)

    # The most precise account sets place and day.
    by_place = sorted(members, key=lambda m: (not m.has_point, m.geo_precision or 9, -(m.confidence or 0), m.mention_id))
    place = by_place[0]
    by_day = sorted((m for m in members if m.date_start), key=lambda m: (m.time_precision or 9, -(m.confidence or 0), m.mention_id))
    day = by_day[0] if by_day else None
    starts = [m.date_start for m in members if m.date_start]
    ends = [m.date_end or m.date_start for m in members if m.date_start]

    a1 = _vote((m.actor1 for m in members), weights)
    a2 = _vote((n for m in members for n in (m.actor2, m.actor1) if n and n != a1), [w for m, w in zip(members, weights) for _ in (0, 1)])
    inter: dict[str, int] = {}
    for m in members:
        for name, code in ((m.actor1, m.actor1_inter), (m.actor2, m.actor2_inter)):
            if name and code is not None:
                inter.setdefault(name, code)

    key = claimant_key or _registry_key()
    groups = [score_group(g, labels, sources, key) for g in group_claims(c for m in members for c in m.claims)]
    killed = [g for g in groups if g.quantity == "killed"]
    low = high = best = None
    if killed:
        lows: list[int] = []
        highs: list[int] = []
        bests: list[int] = []
        for g in killed:
            # the whole group's figures, each claimant's latest (a subset or an earlier figure of the same claimant never counts)
            standing, _ = latest_per_claimant(wholes(list(g.claims)), sources, key, labels)
            figs = [(fig, c) for c in standing if c.modality != "denied" and (fig := c.figure) is not None]
            if not figs:
                continue
            lows.append(min(fig for fig, _ in figs))
            highs.append(max(c.high if c.high is not None else fig for fig, c in figs))
            committed = [fig for fig, c in figs if (c.modality or "asserted") in COMMITTED_MODALITIES]
            if committed:
                bests.append(min(committed))
        if lows:
            low, high = sum(lows), sum(highs)
            best = sum(bests) if bests else None
    member_fatalities = [m.fatalities for m in members if m.fatalities is not None]
    if best is None and member_fatalities:
        best = min(member_fatalities)
    if low is None and member_fatalities:
        low, high = min(member_fatalities), max(member_fatalities)

    docs = sorted({m.doc_key for m in members})
    source_keys = {sources[d].source_key if d in sources else d for d in docs}
    outlet_labels = sorted({sources[d].label for d in docs if d in sources})
    score = max((g.score for g in groups), default=0.0)
    windows = [w for w in (date_window(m) for m in members) if w]
    reasons = tuple(r for g in groups for r in g.reasons)
    return FusedSummary(
        event_type=event_type,
        sub_event_type=sub,
        event_date=day.date_start if day else None,
        date_start=min(starts) if starts else None,
        date_end=max(ends) if ends else None,
        time_precision=day.time_precision if day else None,
        location_name=place.location_name,
        geonameid=place.geonameid,
        latitude=place.latitude,
        longitude=place.longitude,
        country_code=place.country_code,
        admin1=place.admin1,
        admin2=place.admin2,
        geo_precision=place.geo_precision,
        actor1=a1,
        actor1_inter=inter.get(a1) if a1 else None,
        actor2=a2,
        actor2_inter=inter.get(a2) if a2 else None,
        fatalities_low=low,
        fatalities_best=best,
        fatalities_high=high,
        n_mentions=len(members),
        n_documents=len(docs),
        n_sources=len(source_keys),
        sources="; ".join(outlet_labels),
        contested=score > 0,
        discrepancy=score,
        reasons=reasons,
        window_start=min(w[0] for w in windows) if windows else None,
        window_end=max(w[1] for w in windows) if windows else None,
    )
