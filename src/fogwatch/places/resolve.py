"""Toponym resolution: pick one gazetteer entry per mention, and say why.

Each candidate gets a score from four kinds of evidence:

- a **population prior** (log of population; an admin1 counts its towns);
- the document's **focus country**, from country names, demonyms, unambiguous
  places and the outlet's country (places/outlet.py: its registry entry, name or domain);
- **admin context** in the text: "Saraqib in Idlib", "Saraqib, Idlib",
  "Alexandria, La.", "Dar'a province", or any admin1 the document names;
- **proximity** to the places already resolved with confidence (two passes).

One sense per discourse: every mention with the same key gets the same entry,
and the context of all of them counts. The winner's margin over the runner-up
gives the ``score``; its main reasons become ``reason``.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import replace as _replace
from functools import lru_cache

from fogwatch.geo import haversine_km
from fogwatch.places.gazetteer import Candidate, Entry, Gazetteer
from fogwatch.places.keys import name_key
from fogwatch.places.model import Place
from fogwatch.places import syria
from fogwatch.places.recognize import LISTED_NOTE, SYRIA_AREA_NOTE, US_STATE_ABBREVIATIONS, Mention, Recognition, RoleMention, list_gap
from fogwatch.places.roles import RoleTables, capital_keys, load_roles
from fogwatch.text.normalize import fold

_ABBREV_AFTER = re.compile(r"^, ((?:[NSWR]\. ?[A-Z][a-z]?)|[A-Z][a-z]{1,4})\.")
_CONTEXT_GAP = re.compile(
    r"^(?:,|'s|\u2019s)? ?(?:(?:a|an|the) (?:\w+ )?(?:town|city|village|district|suburb|neighbou?rhood|area) )?"
    r"(?:in |of |near |outside )?(?:the )?(?:(?:northern|southern|eastern|western|central|north|south|east|west)\S* )?$"
)
_INFIX_GAP = re.compile(r"^(?:'s|\u2019s) $")  # "Idlib's Saraqib": the admin comes first

W_POPULATION = 0.7
W_FOCUS = 0.5
# The country a feed covers, given by the analyst: a vote as strong as the country named once in the text.
W_FEED_COUNTRY = 2.0
# A name whose biggest reading is a city of this many inhabitants, this many times bigger than every namesake
# abroad, gives its whole 0.3 share of a vote to that city's country.
DOMINANT_POPULATION = 1_000_000
DOMINANT_RATIO = 50
# The votes (see FocusVotes) the rest of a text must cast for its leading country before a name abroad from it is
# dropped as a stray name: an ambiguous name's share spread over many countries (0.3 in all) is too little; a city
# that dwarfs its namesakes (0.3 to its country) or one unambiguous name (1) is enough.
MIN_FOCUS_EVIDENCE = 0.25
# A name that is only another name of towns this small (or of unknown population) votes FAINT_VOTE, not 1: alone it
# is less than MIN_FOCUS_EVIDENCE. (Districts and provinces, whose population GeoNames often leaves at 0, vote 1.)
FAINT_POPULATION = 1_000
FAINT_VOTE = 0.2
# A country named as a border ("near the border with Mali") says where a place is beside, not which country it is in.
_BORDER_WITH = re.compile(r"\bborders?\s+(?:with|of)\s+(?:the\s+)?$|\bbordering\s+(?:the\s+)?$", re.I)
W_LOCAL_ADMIN = 0.7
W_DOC_ADMIN = 0.25
W_PROXIMITY = 0.45
PROXIMITY_KM = 250.0
W_PRIMARY = 0.12
W_WORLD_CITY = 0.3
W_ALT_WHEN_PRIMARY = 0.3
# A national capital when the sentence speaks of governments ("Washington" with "officials", "talks").
W_CAPITAL = 0.6
FEATURE_PRIOR = {"country": 0.4, "admin1": 0.1, "admin2": -0.15, "town": 0.0, "region": -0.05}
ADMIN1_WORDS = frozenset("province governorate region state oblast prefecture muhafazah".split())
ADMIN2_WORDS = frozenset("district county parish subdistrict sub-district nahiya nahiyah municipality".split())
# A name listed with provinces or countries ("Washington, Pennsylvania and California";
# "Norway, Georgia and Italy") is read as one of their kind.
W_LISTED_WITH = 0.5
# A name the text calls a province elsewhere ("the province of Ontario"): its plain mentions lean to that province.
W_PROVINCE_ELSEWHERE = 0.4
# Weak mentions (a common word, part of a longer name) need at least this score to stay.
WEAK_FLOOR = 0.75
# Without any supporting evidence a one-word name needs this many inhabitants to be taken as a place.
FUZZY_FLOOR = 0.7


@dataclass(slots=True)
class _Choice:
    entry: Entry
    total: float
    margin: float
    reasons: list[str]
    primary: bool = True  # matched on the place's own name, not an alternate one


_POP_PRIOR: dict[int, float] = {}


def _pop_prior(pop: int) -> float:
    prior = _POP_PRIOR.get(pop)
    if prior is None:
        prior = _POP_PRIOR[pop] = min(1.0, math.log10(pop + 10) / 7.0)
    return prior


class FocusVotes:
    """Votes for the document's countries, kept per name so one name can be left out.

    Country names count 2, demonyms and single-country names 1, ambiguous names a
    population-weighted share of 0.3, the outlet's country (registry, name or domain) 1.5, the country the feed
    covers (``feed_country``: ``fogwatch extract --country KE``) 2, as a country named once (a country named as a
    border, "near the border with Mali", not at all), and each country cue of the text (``cue_countries``: a party, institution or people of one country, the actor
    registry's ``country_cues``) 1, as a demonym.
    """

    def __init__(self, recognition: Recognition, outlet_hint: str | None = None, feed_country: str | None = None,
                 cue_countries: Sequence[str] = (), text: str | None = None) -> None:
        # Votes are fractional (0.3 shares), so plain float tallies rather than Counter (int counts).
        self.total: defaultdict[str, float] = defaultdict(float)
        self.by_key: defaultdict[str, defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))
        for _s, _e, cc in recognition.demonyms:
            self.total[cc] += 1.0
        for cc in cue_countries:
            self.total[cc] += 1.0
        for m in recognition.mentions:
            if not m.candidates or m.weak:
                continue
            votes = self.by_key[m.key]
            countries = [c for c in m.candidates if c.entry.feature == "country" and c.primary]
            # "Georgia" is a country and a US state: such a name votes for neither outright.
            shared = any(c.entry.feature == "admin1" and c.primary for c in m.candidates)
            if countries and not shared:
                if text is not None and _BORDER_WITH.search(text, max(0, m.start - 30), m.start):
                    continue  # "near the border with Mali": beside that country, not in it: no vote for it
                votes[countries[0].entry.country_code or ""] += 2.0
                continue
            ccs = {c.entry.country_code for c in m.candidates}
            if len(ccs) == 1:
                # a hamlet's other name ("Anco", another name of a village of unknown size) is a faint vote
                faint = not any(c.primary or c.entry.population >= FAINT_POPULATION or c.entry.feature != "town" for c in m.candidates)
                cc = next(iter(ccs)) or ""
                if faint:
                    votes[cc] = max(votes[cc], FAINT_VOTE)  # once, however often it is repeated
                else:
                    votes[cc] += 1.0
            elif (big := _dominant_country(m.candidates)) is not None:
                votes[big] += 0.3  # "Dhaka": the city of millions, not the village of that name abroad
            else:
                weights = sum(_pop_prior(c.entry.population) for c in m.candidates) or 1.0
                for c in m.candidates:
                    votes[c.entry.country_code or ""] += 0.3 * _pop_prior(c.entry.population) / weights
        for votes in self.by_key.values():
            for cc, v in votes.items():
                self.total[cc] += v
        if outlet_hint:
            self.total[outlet_hint] += 1.5
        if feed_country:
            self.total[feed_country] += W_FEED_COUNTRY
        self._cache: dict[str | None, dict[str, float]] = {}

    def evidence(self, exclude_key: str | None = None) -> float:
        """The votes cast for the leading country, ``exclude_key``'s own left out: how much the weights rest on."""
        own: Mapping[str, float] = self.by_key.get(exclude_key, {}) if exclude_key is not None else {}
        return max((v - own.get(cc, 0.0) for cc, v in self.total.items() if cc), default=0.0)

    def weights(self, exclude_key: str | None = None) -> dict[str, float]:
        """A weight in [0, 1] per country; ``exclude_key``'s own votes left out, so a
        name cannot make its own country the focus ("Assads", repeated, is no evidence for Morocco)."""
        hit = self._cache.get(exclude_key)
        if hit is not None:
            return hit
        votes = defaultdict(float, self.total)
        if exclude_key is not None and exclude_key in self.by_key:
            for cc, v in self.by_key[exclude_key].items():
                votes[cc] -= v
        votes.pop("", None)
        positive = {cc: v for cc, v in votes.items() if v > 1e-9}
        top = max(positive.values(), default=0.0)
        result = {cc: v / top for cc, v in positive.items()} if top else {}
        self._cache[exclude_key] = result
        return result


def _dominant_country(candidates: Sequence[Candidate]) -> str | None:
    """The country of a name's big city when it dwarfs every namesake abroad (a town of DOMINANT_POPULATION
    inhabitants and DOMINANT_RATIO times the largest namesake of any other country), else None."""
    towns = [c.entry for c in candidates if c.primary and c.entry.feature == "town"]
    if not towns:
        return None
    city = max(towns, key=lambda e: e.population)
    rest = max((c.entry.population for c in candidates if c.entry.country_code != city.country_code), default=0)
    if city.population >= DOMINANT_POPULATION and city.population >= DOMINANT_RATIO * max(rest, 1):
        return city.country_code
    return None


def focus_countries(recognition: Recognition, outlet_hint: str | None = None, feed_country: str | None = None) -> dict[str, float]:
    """A weight in [0, 1] per country code: how much the document is about it."""
    return FocusVotes(recognition, outlet_hint, feed_country).weights()


def _local_admin_context(mentions: list[Mention], text: str) -> dict[int, set[str]]:
    """Admin codes (country "SY" or admin1 "SY.12") the text attaches to each mention."""
    out: dict[int, set[str]] = defaultdict(set)
    for idx, m in enumerate(mentions):
        abbrev = _ABBREV_AFTER.match(text[m.end : m.end + 12])
        if abbrev:
            state = US_STATE_ABBREVIATIONS.get(re.sub(r"[^a-z]", "", abbrev.group(1).lower()))
            if state:
                out[idx].update({"US", f"US.{state}"})
        # A name is no context for itself, and a weak one ("Georgia's Green Party") for no other.
        if idx + 1 < len(mentions) and mentions[idx + 1].key != m.key:
            nxt = mentions[idx + 1]
            gap = text[m.end : nxt.start]
            if len(gap) <= 40 and _CONTEXT_GAP.match(gap) and not nxt.weak:
                out[idx].update(_admin_codes(nxt))
            elif _INFIX_GAP.match(gap) and not m.weak:
                out[idx + 1].update(_admin_codes(m))
    return out


def _admin_codes(m: Mention) -> set[str]:
    codes: set[str] = set()
    for c in m.candidates:
        e = c.entry
        if e.feature == "country" and e.country_code:
            codes.add(e.country_code)
        elif e.feature in ("admin1", "admin2") and e.admin1_code:
            codes.add(e.admin1_code)
            if e.country_code:
                codes.add(e.country_code)
    return codes


def _list_context(mentions: list[Mention], text: str) -> dict[int, set[tuple[str, str | None]]]:
    """For a name in a list of names ("A, B and C"), the kinds of the others whose kind is certain.

    A listed name whose own-name readings are all provinces of one country gives
    ("admin1", that country); all countries gives ("country", None).
    """
    out: dict[int, set[tuple[str, str | None]]] = {}
    chain: list[int] = []

    def kind(m: Mention) -> tuple[str, str | None] | None:
        own = [c.entry for c in m.candidates if c.primary]
        if m.weak or not own:
            return None
        if all(e.feature == "country" for e in own):
            return ("country", None)
        if all(e.feature == "admin1" for e in own):
            ccs = {e.country_code for e in own}
            return ("admin1", next(iter(ccs))) if len(ccs) == 1 else None
        return None

    def close() -> None:
        if len(chain) >= 2:
            kinds = {i: kind(mentions[i]) for i in chain}
            for i in chain:
                others = {k for j, k in kinds.items() if j != i and k is not None}
                if others:
                    out[i] = others
        chain.clear()

    for idx, m in enumerate(mentions):
        if chain and list_gap(text[mentions[chain[-1]].end : m.start]) is None:
            close()
        chain.append(idx)
    close()
    return out


def _doc_admins(mentions: list[Mention]) -> set[str]:
    """Admin1 codes that the document names unambiguously enough.

    An admin1 with one candidate ("Texas"), or a county/district the text calls one
    ("Cooke County") whose candidates all lie in one admin1.
    """
    out: set[str] = set()
    for m in mentions:
        if m.weak:
            continue
        admins = [c.entry for c in m.candidates if c.entry.feature == "admin1"]
        if len(admins) == 1 and admins[0].admin1_code:
            out.add(admins[0].admin1_code)
        elif m.admin_suffix in ADMIN2_WORDS or m.text.rsplit(" ", 1)[-1].lower() in ADMIN2_WORDS:
            codes = {c.entry.admin1_code for c in m.candidates if c.entry.feature == "admin2"}
            if len(codes) == 1 and (code := next(iter(codes))) is not None:
                out.add(code)
    return out


def _score(
    cand: Candidate,
    group: list[Mention],
    focus: dict[str, float],
    local: set[str],
    doc_admins: set[str],
    anchors: list[tuple[str, Entry]],
    own_key: str,
    sibling_town_admins: set[str],
    any_primary: bool = False,
    primary_countries: frozenset[str] = frozenset(),
    capital_cue: str | None = None,
    listed_with: frozenset[tuple[str, str | None]] = frozenset(),
    province_elsewhere: frozenset[str] = frozenset(),
) -> tuple[float, list[str]]:
    e = cand.entry
    reasons: list[str] = []
    score = W_POPULATION * _pop_prior(e.population)
    if province_elsewhere and e.admin1_code in province_elsewhere and e.feature != "country":
        # "the province of Ontario … in Ontario": one sense per document; the province's own town keeps its chance.
        score += W_PROVINCE_ELSEWHERE
        reasons.append("the text names the province elsewhere")
    if listed_with and cand.primary and e.feature in ("admin1", "country") and (
        (e.feature, None) in listed_with or (e.feature, e.country_code) in listed_with
    ):
        score += W_LISTED_WITH
        reasons.append("listed with other " + ("provinces" if e.feature == "admin1" else "countries"))
    if capital_cue and e.feature == "town" and cand.primary and is_capital(e) and (
        capital_cue == "metonym" or focus.get(e.country_code or "", 0.0) > 0
    ):
        # Only a capital of a country the document speaks of ("Paris" police in a Texas paper is not France's).
        score += W_CAPITAL
        reasons.append(f"the national capital ('{capital_cue}' beside it)")
    if e.feature == "town" and e.population >= 1_000_000 and cand.primary:
        score += W_WORLD_CITY  # "Paris" in a Texas paper is still usually the French one
    score += FEATURE_PRIOR.get(e.feature, 0.0)
    if cand.primary:
        score += W_PRIMARY
    elif any_primary:
        # "Mexico" is the country's own name and only an alternate name of Mexico City.
        score -= W_ALT_WHEN_PRIMARY
    suffixes = {m.admin_suffix for m in group if m.admin_suffix}
    parts = {m.part for m in group if m.part}
    if suffixes:
        if e.feature == "admin1" and suffixes & ADMIN1_WORDS:
            score += 0.7
            reasons.append(f"'{'/'.join(sorted(suffixes))}' names a province")
        elif e.feature == "admin2" and suffixes & ADMIN2_WORDS:
            score += 0.7
            reasons.append(f"'{'/'.join(sorted(suffixes))}' names a district")
        elif e.feature == "admin1":
            score += 0.2
    elif e.feature == "admin1" and e.admin1_code in sibling_town_admins and not parts:
        # "in Idlib" means the town; "Idlib province", "southern Idlib" the province.
        score -= 0.35
    if e.feature == "admin1" and not suffixes and e.country_code in primary_countries:
        score -= 0.3  # "Mexico" is the country before it is the State of México
    if parts and e.feature in ("admin1", "country", "region"):
        score += 0.3
    if e.feature == "admin2" and not suffixes:
        score -= 0.2
    f = focus.get(e.country_code or "", 0.0)
    if f:
        score += W_FOCUS * f
        if f >= 0.5:
            reasons.append(f"document is about {e.country_code}")
    if local:
        if e.admin1_code and e.admin1_code in local and e.feature != "admin1":
            score += W_LOCAL_ADMIN
            reasons.append("in the admin area the text names beside it")
        elif e.country_code in local and e.feature != "country":
            score += W_LOCAL_ADMIN * 0.6
            reasons.append("in the country the text names beside it")
    if e.admin1_code and e.admin1_code in doc_admins and e.feature not in ("admin1", "country"):
        score += W_DOC_ADMIN
        reasons.append("in a province the document names")
    if anchors and e.latitude is None and e.feature == "admin2":
        # A county without a point of its own: the state of the document's confident towns decides.
        states = {a.admin1_code for k, a in anchors if k != own_key}
        if e.admin1_code in states:
            score += W_DOC_ADMIN
            reasons.append("in the province of the document's other places")
    if anchors and e.latitude is not None and e.longitude is not None and e.feature not in ("country",):
        best_d, near_key = None, None
        lat, lon = e.latitude, e.longitude
        coslat = math.cos(math.radians(lat))
        for k, a in anchors:
            if k == own_key or a.latitude is None or a.longitude is None:
                continue
            # Equirectangular distance: exact enough where the bonus matters (under ~1,000 km).
            dx, dy = (a.longitude - lon) * coslat, a.latitude - lat
            d = 111.2 * math.sqrt(dx * dx + dy * dy)
            if best_d is None or d < best_d:
                best_d, near_key = d, a.name
        if best_d is not None:
            bonus = W_PROXIMITY * math.exp(-best_d / PROXIMITY_KM)
            score += bonus
            if bonus > 0.15:
                reasons.append(f"{best_d:.0f} km from {near_key}")
    return score, reasons


def _choose(
    group: list[Mention],
    focus: dict[str, float],
    local: set[str],
    doc_admins: set[str],
    anchors: list[tuple[str, Entry]],
    capital_cue: str | None = None,
    listed_with: frozenset[tuple[str, str | None]] = frozenset(),
    province_elsewhere: frozenset[str] = frozenset(),
) -> _Choice | None:
    cands = group[0].candidates
    if not cands:
        return None
    key = group[0].key
    # Provinces that have a town of the same name ("Idlib"); an alternate name does not count
    # ("New York" is the state; the city's own name is "New York City").
    town_admins = {c.entry.admin1_code for c in cands if c.entry.feature == "town" and c.entry.admin1_code and c.primary}
    any_primary = any(c.primary for c in cands)
    primary_countries = frozenset(c.entry.country_code for c in cands if c.primary and c.entry.feature == "country" and c.entry.country_code)
    scored = []
    for cand in cands:
        total, reasons = _score(cand, group, focus, local, doc_admins, anchors, key, town_admins, any_primary, primary_countries, capital_cue,
                                listed_with, province_elsewhere)
        scored.append((total, cand, reasons))
    scored.sort(key=lambda t: -t[0])
    best_total, best, reasons = scored[0]
    # The runner-up that is a different place (not the same town's district or province).
    runner = next(
        (t for t, c, _ in scored[1:] if c.entry.latitude is None or c.entry.longitude is None
         or best.entry.latitude is None or best.entry.longitude is None
         or haversine_km(c.entry.latitude, c.entry.longitude, best.entry.latitude, best.entry.longitude) > 50),
        None,
    )
    margin = best_total - runner if runner is not None else 1.0
    if len(cands) == 1:
        reasons.insert(0, "only candidate")
    elif not reasons:
        reasons.append(f"most populous of {len(cands)}")
    return _Choice(best.entry, best_total, margin, reasons, best.primary)


def resolve(
    recognition: Recognition,
    text: str,
    gazetteer: Gazetteer,
    outlet_country: str | None = None,
    roles: RoleTables | None = None,
    feed_country: str | None = None,
    cue_countries: Sequence[str] = (),
) -> tuple[Place, ...]:
    """The places of ``recognition``'s mentions. ``outlet_country``: the country of the outlet's domain;
    ``feed_country``: the country the analyst says the feed covers; both count as focus votes, so a lone
    small namesake abroad that nothing else in the text supports is dropped, as it is when the text
    names its country. ``cue_countries``: the country of each country cue in the text ("BJP", "upazila"),
    votes as demonyms are."""
    roles = roles or load_roles()
    mentions = recognition.mentions
    votes = FocusVotes(recognition, outlet_country, feed_country, cue_countries, text)
    focus = votes.weights()
    focus_by_key = votes.weights
    local_ctx = _local_admin_context(mentions, text)
    doc_admins = _doc_admins(mentions)
    list_ctx = _list_context(mentions, text)
    # One sense per discourse, per reading: "Idlib" and "Idlib province" are two senses of one key.
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for idx, m in enumerate(mentions):
        if m.candidates:
            groups[_sense(m)].append(idx)

    # The provinces a name is called elsewhere in the text ("the province of Ontario", "Idlib province").
    province_senses: dict[str, frozenset[str]] = {
        k: frozenset(e.admin1_code for e in _admin_entries(mentions[idxs[0]]) if e.feature == "admin1" and e.admin1_code)
        for (k, sense), idxs in groups.items() if sense == "admin1"
    }

    def run(anchors: list[tuple[str, Entry]], earlier: dict[tuple[str, str], _Choice] | None = None) -> dict[tuple[str, str], _Choice]:
        out: dict[tuple[str, str], _Choice] = {}
        for key, idxs in groups.items():
            if earlier is not None and key in earlier and len(mentions[idxs[0]].candidates) == 1:
                out[key] = earlier[key]  # nothing to choose between: the first pass stands
                continue
            focus = focus_by_key(key[0])
            local: set[str] = set()
            listed: set[tuple[str, str | None]] = set()
            for i in idxs:
                local |= local_ctx.get(i, set())
                listed |= list_ctx.get(i, set())
            cue = capital_cues.get(key[0]) if key[0] in capital_cues else _capital_cue(text, [mentions[i] for i in idxs], roles)
            capital_cues[key[0]] = cue
            choice = _choose(
                [mentions[i] for i in idxs], focus, local, doc_admins - {c.admin1_code for c in _admin_entries(mentions[idxs[0]])},
                anchors, cue, frozenset(listed), province_senses.get(key[0], frozenset()) if key[1] == "" else frozenset(),
            )
            if choice:
                out[key] = choice
        return out

    capital_cues: dict[str, str | None] = {}
    first = run([])
    anchors = [
        (k[0], c.entry)
        for k, c in first.items()
        if c.margin >= 0.25 and c.entry.feature in ("town", "admin2") and not all(mentions[i].weak for i in groups[k])
        and (not focus or focus.get(c.entry.country_code or "", 0.0) >= 0.1)  # no anchor abroad from a stray name
    ]
    chosen = run(anchors, first) if anchors else first

    places: list[Place] = []
    by_mention = {i: chosen[k] for k, idxs in groups.items() if k in chosen for i in idxs}
    resolved_towns: list[Entry] = [c.entry for c in chosen.values() if c.entry.feature == "town"]
    unresolved: list[Mention] = []
    for idx, m in enumerate(mentions):
        choice = by_mention.get(idx)
        if choice is None:
            if m.unresolved:
                unresolved.append(m)
            continue
        ctx = local_ctx.get(idx) or set()
        # The admin area the text puts beside the name agrees with the choice.
        ctx_ok = bool(ctx) and (choice.entry.admin1_code in ctx or choice.entry.country_code in ctx)
        # what the rest of the text says about countries; a few ambiguous names' shares ("St Mary": Jamaica, the
        # US, Antigua at 0.3 in all) say too little to outvote a name's own country
        own_focus = focus_by_key(m.key) if votes.evidence(m.key) >= MIN_FOCUS_EVIDENCE else {}
        in_focus = focus.get(choice.entry.country_code or "", 0.0)
        # Whether anything but the name itself points to its country (the far-away rules below).
        elsewhere = own_focus.get(choice.entry.country_code or "", 0.0)
        # "in X" supports a place in the document's country; abroad it takes a stronger cue.
        supported = (
            m.cue in ("strong", "near") or ctx_ok or m.admin_suffix is not None or m.part is not None
            or (m.cue == "locative" and (in_focus >= 0.5 or not m.weak))
        )
        confidence = _confidence(choice, m, supported, in_focus)
        if not (m.inner or m.weak or m.fuzzy) and _stands_for_government(text, m, choice.entry, roles):
            # "Ankara and Washington did not address": the government; kept (a place in the text), never a location.
            place = _place(m, choice, confidence, gazetteer, resolved_towns)
            places.append(_replace(place, role="metonym", reason=f"{place.reason}; metonym: the government, not the place"))
            continue
        if m.fuzzy and (confidence < FUZZY_FLOOR or in_focus < 0.5):
            if m.cue == "strong" or LISTED_NOTE in m.notes:
                unresolved.append(m)
            continue
        if m.inner and not (m.cue or ctx_ok):
            continue
        if choice.entry.feature == "country" and choice.primary and not m.weak and not m.fuzzy:
            # A country by its own name ("Nine countries: Australia, Brazil, Italy") needs no other support.
            places.append(_place(m, choice, confidence, gazetteer, resolved_towns))
            continue
        if m.weak and not supported and (confidence < WEAK_FLOOR or in_focus < 0.5):
            continue
        if m.weak and in_focus < 0.5 and m.cue not in ("strong", "near") and not m.admin_suffix:
            continue  # a first name or a word in a title, read as a far-away town
        if not supported and elsewhere < 0.1 and own_focus and confidence < 0.6 and choice.entry.population < 50_000:
            continue  # a far-away place nothing in the text supports
        e = choice.entry
        if m.admin_suffix and own_focus and elsewhere < 0.1 and e.feature in ("admin2", "region") and not ctx_ok:
            unresolved.append(m)  # "al-Zahraa district" of Aleppo, not a district of that name abroad
            continue
        if (
            own_focus and elsewhere < 0.1 and e.feature in ("town", "admin2") and not (e.population >= 100_000 and choice.primary)
            and m.cue not in ("strong", "near") and not ctx_ok and not m.admin_suffix
        ):
            continue  # a small town abroad that nothing in the text places there: a name, not a place
        listed = LISTED_NOTE in m.notes
        if (
            (m.cue == "strong" or listed) and own_focus and not ctx_ok and elsewhere < 0.5
            and (not choice.primary or choice.entry.population < 100_000)
        ):
            unresolved.append(m)  # "the villages of … Amiriyah" are not small namesakes abroad
            continue
        if not choice.primary and elsewhere < 0.1 and own_focus and not ctx_ok:
            continue  # "Assad" is an alternate name of a village abroad, and a person here
        only_in = m.cue == "locative" and not (ctx_ok or m.admin_suffix or m.part)
        # "in Dhaka": a city of millions beside small namesakes abroad needs no other support
        dominant = choice.primary and not m.weak and _dominant_country(m.candidates) == e.country_code
        if (not supported or only_in) and elsewhere < 0.1 and own_focus and confidence < 0.5 and not dominant:
            continue  # "in the Zawiyah …" of a Syrian report is not a Libyan town at 0.45
        places.append(_place(m, choice, confidence, gazetteer, resolved_towns))
    places += [p for r in recognition.roles if (p := _role_place(r, text, gazetteer)) is not None]
    places.sort(key=lambda p: (p.start, p.end))
    if unresolved:
        starts = [p.start for p in places]
        places += [_unresolved(m, places, starts, focus) for m in unresolved]
        places.sort(key=lambda p: (p.start, p.end))
    return tuple(places)


def is_capital(e: Entry) -> bool:
    """A national capital (GeoNames' country info names it), by the town's own name."""
    return e.feature == "town" and e.country_code is not None and _is_capital_name(e.country_code, e.name)


@lru_cache(maxsize=65536)
def _is_capital_name(country_code: str, name: str) -> bool:
    return (country_code, name_key(name)) in capital_keys()


def _sentence_window(text: str, start: int, end: int) -> str:
    """The folded text of the sentence around ``text[start:end]`` (at most 200 characters each side)."""
    lo = max(0, start - 200)
    cut = max(text.rfind(". ", lo, start), text.rfind("\n", lo, start))
    hi = min(len(text), end + 200)
    stop = [k for k in (text.find(". ", end, hi), text.find("\n", end, hi)) if k >= 0]
    return fold(text[(cut + 1 if cut >= 0 else lo) : (min(stop) if stop else hi)])


def _capital_cue(text: str, group: list[Mention], roles: RoleTables) -> str | None:
    """A government word in the sentence of any mention of a name that can be a capital (one sense per document)."""
    if not any(c.primary and is_capital(c.entry) for c in group[0].candidates):
        return None
    for m in group:
        if roles.metonym_after(fold(text[m.end : m.end + 40])):
            return "metonym"
        cue = roles.capital_context(_sentence_window(text, m.start, m.end))
        if cue:
            return cue
    return None


def _stands_for_government(text: str, m: Mention, e: Entry, roles: RoleTables) -> bool:
    """ "Moscow denied", "Ankara and Washington did not address": a country or capital as its government."""
    if m.cue is not None or (e.feature != "country" and not is_capital(e)):
        return False  # "officials in Washington said": the place where they spoke
    return roles.metonym_after(fold(text[m.end : m.end + 40]))


def _role_place(r: RoleMention, text: str, gazetteer: Gazetteer) -> Place | None:
    """A demonym or organisation, resolved to the country or place it stands for."""
    entry: Entry | None = None
    if r.place is not None:
        cands = [c.entry for c in gazetteer.lookup(name_key(r.place)) if r.country is None or c.entry.country_code == r.country]
        entry = next(iter(cands), None)
    elif r.country is not None:
        entry = gazetteer.country_entry(r.country)
    if entry is None:
        return None
    what = "a people or adjectival form" if r.role == "demonym" else "an organisation standing for a place"
    feature = entry.feature if entry.feature in ("town", "admin1", "admin2", "country") else "region"
    admin1 = entry.name if entry.feature == "admin1" else gazetteer.admin_name(entry.admin1_code)
    return Place(
        start=r.start, end=r.end, text=text[r.start : r.end], name=entry.name, geonameid=entry.geonameid, latitude=entry.latitude,
        longitude=entry.longitude, country_code=entry.country_code, admin1=admin1, admin2=None, score=0.9,
        feature=feature, precision=3, reason=f"{r.role}: {what} ({entry.name}); never an event's location", role=r.role,
    )


def _sense(m: Mention) -> tuple[str, str]:
    if m.admin_suffix in ADMIN1_WORDS:
        return (m.key, "admin1")
    if m.admin_suffix in ADMIN2_WORDS:
        return (m.key, "admin2")
    if m.part is not None:
        return (m.key, "part")
    return (m.key, "")


def _admin_entries(m: Mention) -> list[Entry]:
    return [c.entry for c in m.candidates if c.entry.feature == "admin1"]


def _confidence(choice: _Choice, m: Mention, supported: bool, in_focus: float) -> float:
    value = 0.3 + 0.45 * math.tanh(1.6 * max(choice.margin, 0.0)) + 0.1 * in_focus + (0.1 if supported else 0.0)
    if m.weak:
        value -= 0.1
    if m.fuzzy:
        value -= 0.15
    return round(max(0.05, min(0.99, value)), 2)


def precision_of(m: Mention, feature: str) -> int:
    """ACLED geo_precision: 1 the town, 2 near it or part of a region, 3 only the region."""
    if feature == "town":
        return 2 if (m.cue == "near" or m.part in ("countryside", "front")) else 1
    if feature in ("admin1", "admin2", "region", "country"):
        if m.part is not None and feature != "country":
            return 2
        return 3
    return 3


def _place(m: Mention, choice: _Choice, confidence: float, gazetteer: Gazetteer, towns: list[Entry]) -> Place:
    e = choice.entry
    lat, lon = e.latitude, e.longitude
    reasons = list(choice.reasons[:3])
    if m.fuzzy:
        reasons.insert(0, "loose spelling match")
    if lat is None and e.feature == "admin2":
        inside = [(t.latitude, t.longitude) for t in towns
                  if t.admin1_code == e.admin1_code and t.latitude is not None and t.longitude is not None]
        if inside:
            lat = round(sum(p[0] for p in inside) / len(inside), 5)
            lon = round(sum(p[1] for p in inside) / len(inside), 5)
            reasons.append("point from the document's towns in that province")
        elif e.admin1_code:
            a1 = gazetteer.admin1_entry(e.admin1_code)
            if a1 is not None:
                lat, lon = a1.latitude, a1.longitude
                reasons.append("province point stands in")
    precision = precision_of(m, e.feature)
    if m.cue == "near" and e.feature == "town":
        reasons.append("near the town")
    elif m.part:
        reasons.append(f"part of the area ({', '.join(m.notes) or m.part})")
    feature = e.feature if e.feature in ("town", "admin1", "admin2", "country") else "region"
    admin1 = e.name if e.feature == "admin1" else gazetteer.admin_name(e.admin1_code)
    admin2 = e.name if e.feature == "admin2" else gazetteer.admin_name(e.admin2_code)
    admin3 = None
    if e.country_code == "SY" and e.feature in ("town", "admin2", "region"):
        admin2, admin3, why = _syrian_admin(m, e, lat, lon, admin2)
        if why:
            reasons.insert(0, why)
    return Place(
        start=m.start, end=m.end, text=m.text, name=e.name, geonameid=e.geonameid,
        latitude=lat, longitude=lon, country_code=e.country_code, admin1=admin1, admin2=admin2,
        score=confidence, feature=feature, precision=precision, reason="; ".join(reasons) or "best match", admin3=admin3,
    )


def _syrian_admin(m: Mention, e: Entry, lat: float | None, lon: float | None, admin2: str | None) -> tuple[str | None, str | None, str | None]:
    """(admin2, admin3, reason) of a Syrian place from OpenSyria's units: the sub-district or district the text
    names (a village the gazetteer lacks), else the sub-district a town's point lies in."""
    if SYRIA_AREA_NOTE in m.notes:
        level = "district" if e.feature == "admin2" else "subdistrict"
        unit = next((u for u in syria.units_named(name_key(e.name), (level,)) if u.admin1_code == e.admin1_code), None)
        if unit is not None:
            _, district, sub = syria.chain(unit)
            what = f"the sub-district {unit.name} of {district.name if district else '?'}" if sub else f"the district {unit.name}"
            return (district.name if district else admin2), (sub.name if sub else None), (
                f"not in the gazetteer as a town: {what} (OpenSyria) stands in")
    if e.feature == "town" and lat is not None and lon is not None:
        district_name, sub_name = _town_subdistrict(lat, lon, e.admin1_code)
        if sub_name is not None:
            return admin2 or district_name, sub_name, None
    return admin2, None, None


@lru_cache(maxsize=65536)
def _town_subdistrict(lat: float, lon: float, admin1_code: str | None) -> tuple[str | None, str | None]:
    """(district, sub-district) names of a Syrian town's point; cached, the same towns recur in every report."""
    sub = syria.subdistrict_at(lat, lon, admin1_code)
    if sub is None:
        return None, None
    _, district, _ = syria.chain(sub)
    return (district.name if district else None), sub.name


def _unresolved(m: Mention, places: list[Place], starts: list[int], focus: dict[str, float]) -> Place:
    """A place the text names but the gazetteer lacks: keep it, with the area the text gives.

    The area is the nearest resolved place after it in the same stretch of text ("the
    town of Rajm Judran … in western Aleppo"), else just before it, in the document's
    country.
    """
    def fits(p: Place) -> bool:
        return p.feature in ("town", "admin1", "admin2", "region") and (not focus or focus.get(p.country_code or "", 0.0) >= 0.5)

    # ``places`` is sorted by start: look only at the neighbourhood (a long text has many places).
    k = bisect_left(starts, m.end)
    after = []
    while k < len(starts) and places[k].start - m.end <= 160:
        if fits(places[k]):
            after.append(places[k])
            break
        k += 1
    k = bisect_left(starts, m.start) - 1
    before = []
    while k >= 0 and m.start - places[k].end <= 120:
        if places[k].end <= m.start and fits(places[k]):
            before.append(places[k])
            break
        k -= 1
    context = after[0] if after else (before[-1] if before else None)
    if context is not None and LISTED_NOTE in m.notes:
        # "near Saraqib, Rashidin 4 and Khan Touman": a list says the event is at one of them, not that they lie
        # near each other; keep the country, claim no point.
        return Place(
            start=m.start, end=m.end, text=m.text, name=None, geonameid=None, latitude=None, longitude=None,
            country_code=context.country_code, admin1=None, admin2=None, score=0.3, feature="unresolved", precision=3,
            reason=f"not in the gazetteer; listed with {context.name}, which says where the event was, not where this place lies",
        )
    if context is None:
        return Place(
            start=m.start, end=m.end, text=m.text, name=None, geonameid=None, latitude=None, longitude=None,
            country_code=None, admin1=None, admin2=None, score=0.3, feature="unresolved", precision=3,
            reason="not in the gazetteer; named by a place pattern",
        )
    near_town = context.feature == "town"
    where = f"near {context.name}" if near_town else f"in {context.name}" + (" province" if context.feature == "admin1" else "")
    return Place(
        start=m.start, end=m.end, text=m.text, name=None, geonameid=None,
        latitude=context.latitude, longitude=context.longitude, country_code=context.country_code,
        admin1=context.admin1, admin2=context.admin2 if context.feature != "admin1" else None,
        score=0.4, feature="unresolved", precision=2 if near_town else 3,
        reason=f"not in the gazetteer; the text places it {where}, whose point stands in",
    )
