"""Assemble ACLED events from a document's body sentences.

Per sentence with a trigger: split it into clauses, type each clause
(:func:`fogwatch.events.classify.combine`), drop negated ones ("no clashes
erupted"), mark plans, threats and forecasts ``hypothetical``, then give each
event its actors, location, date and claims. A sentence that only counts the
dead ("the president said that 20 to 25 enemy soldiers were killed") adds
its claims to the latest event of its paragraph instead of inventing a new
one. Events with the same sub-type, location, date and actor pair are merged
(ACLED's one-event rule). Fatalities are the lowest credible figure.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from itertools import takewhile
from datetime import date
from typing import Collection, Iterator, Sequence

from fogwatch.events.actor_kinds import MET_THE_RIOT, ActorKinds, armed_groups_attack, attack_or_clash, claimed_by, protesters_protest, rioters_riot
from fogwatch.events.actors import ActorMention, ActorRegistry, country_from_words
from fogwatch.events.claimants import ClaimantRegistry, ClaimantSource, claimants_from_env
from fogwatch.events.claims import (
    Attribution,
    claimant_before,
    attribution_for,
    doubts_previous,
    find_attributions,
    is_hypothetical,
)
from fogwatch.events.classify import LOOTING, OPENING_EXPLOSIVES, PREMATURE, PROTESTER_VIOLENCE, VIOLENCE_OVER_LOOTING, Trigger, clause_bounds, combine, disperses_crowd, engages, find_triggers
from fogwatch.events.dates import DateMention, anchor_from_text, date_matches, parse_iso, resolve_match
from fogwatch.events.counting import NO_FATALITY_TYPES, background_reason, conservative, judge_claim
from fogwatch.events.figures import count_casualties
from fogwatch.events.lexicon import Lexicon, default_lexicon
from fogwatch.events.model import Actor, AlternativePlace, Claim, Event, EventDate, Location
from fogwatch.events.taxonomy import EVENT_TYPE_OF, TAXONOMY
from fogwatch.events.typer import EventTyper
from fogwatch.places.model import Place
from fogwatch.places.outlet import outlet_country
from fogwatch.places.recognize import list_gap
from fogwatch.records import Document, Sentence, Span
from fogwatch.text.normalize import fold

# Sentences longer than this are read in windows of this size: a 2,000-word
# "sentence" (a table, a list of villages) costs no more than its length.
MAX_SENTENCE = 1500
_WAR_TOLL = re.compile(
    r"\b(?:war|conflict|civil war|uprising|revolution|crisis|insurgency)\b[^.;]{0,30}\b(?:has|have|had)\s+(?:so far\s+)?(?:killed|claimed|left)\b"
    r"|\bsince (?:the (?:start|beginning|outbreak) of the (?:war|conflict|uprising|crisis)|(?:it|the (?:war|conflict)) (?:began|started|erupted))"
    r"|\b(?:war|conflict|uprising|revolution|crisis)\s+(?:that|which)\s+(?:began|started|erupted|broke out)\b"
    r"|\bhas since (?:killed|claimed|left)\b"
)
_BIG_NUMBER = re.compile(r"\b(\d{1,3}(?:,\d{3}){1,}|\d{5,})\b|\b(?:tens of thousands|hundreds of thousands|thousands|millions|\d+ (?:thousand|million))\b")
_PERIOD_TOLL = re.compile(
    r"\b(?:since the start of the year|since the beginning of the year|so far this year|this year|last year|deadliest (?:month|week|year)|"
    r"in the past (?:year|years|months)|over the past (?:year|years|months)|since the (?:un|ceasefire|truce|resolution|security council))\b"
)
_DEATH_WORDS = re.compile(r"\b(?:killed|deaths?|death toll|died|dead|lives|toll)\b")


# How far a big number may stand from a death word to count the dead: before it ("10,000 people, most of them
# civilians, have been killed"), after it ("killed more than 10,000 people"), or after a toll ("put the death toll
# from the six-year conflict at more than 470000"). Farther, it counts something else: "thousands of students
# protested, demanding justice for the deaths"; "Last updated at Feb 042020 ... killed three".
_TOLL_NUMBER_BEFORE = 60
_TOLL_WORDS_BEFORE = 30  # for a number in words
_TOLL_NUMBER_AFTER = 40
_TOLL_NUMBER_AFTER_TOLL = 90
_MONTH_BEFORE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*$")  # "feb 042020": a date


def _is_cumulative_toll(sentence: str) -> bool:
    """A death count of ten thousand or more is a war's running total, never one ACLED event."""
    deaths = [(d.start(), d.end(), _TOLL_NUMBER_AFTER_TOLL if d.group().endswith("toll") else _TOLL_NUMBER_AFTER)
              for d in _DEATH_WORDS.finditer(sentence)]
    if not deaths:
        return False
    if _PERIOD_TOLL.search(sentence):
        return True  # "killed since the start of the year", "the deadliest month": a period's total
    for m in _BIG_NUMBER.finditer(sentence):
        if m.group(1) is not None and (int(m.group(1).replace(",", "")) < 10000 or _MONTH_BEFORE.search(sentence, max(0, m.start() - 12), m.start())):
            continue
        # a number in words ("thousands") is a toll only as the dead's own subject ("thousands of people have been
        # killed"), not a crowd a clause away from someone's death ("thousands of people, led by the daughter of an MP
        # killed in India, staged a protest")
        before = _TOLL_NUMBER_BEFORE if m.group(1) is not None else _TOLL_WORDS_BEFORE
        if any(0 <= start - m.end() <= before or 0 <= m.start() - end <= after for start, end, after in deaths):
            return True
    return False


_BACKGROUND_YEAR = re.compile(
    r"\b(?:began|begun|started|erupted|broke out|since|in|early|mid|late|until|from)\s+(?:early\s+|mid\s+|late\s+|mid-)?"
    r"(?:(?:january|february|march|april|may|june|july|august|september|october|november|december)\s+)?((?:19|20)\d\d)\b"
)
_CASUALTY_ONLY = frozenset("killed dead died death deaths wounded injured lives casualties fatalities victims bodies".split())
_EVENT_NEGATION = re.compile(
    r"(?:\b(?:did not|didn't|does not|doesn't|do not|don't|has not|hasn't|have not|haven't|had not|hadn't|never|failed to|not)\s+(?:\w+\s+){0,2}$"
    r"|\bno\s+(?:\w+\s+)?$|\bwithout\s+(?:any\s+)?$)"
)
_HABITUAL = re.compile(
    r"\b(?:has|have|had)\s+(?:been\s+)?(?:\w+\s+)?(?:repeatedly|regularly|frequently|routinely|constantly|often|almost daily|daily)\b"
    r"|\b(?:has|have)\s+been\s+\w+ed\s+(?:\w+\s+)?(?:many|several|countless|numerous)\s+times\b"
)
_VAC = ("Attack", "Abduction/forced disappearance", "Sexual violence")
_PROTEST_TYPES = ("Peaceful protest", "Protest with intervention", "Excessive force against protesters")
_RIOT_TYPES = ("Violent demonstration", "Mob violence")
_STRENGTH = {"asserted": 4, "reported": 3, "claimed": 2, "denied": 1, "hypothetical": 0}


@dataclass
class _Draft:
    sub: str
    trigger: Trigger
    sentence_index: int
    clause: tuple[int, int]  # absolute
    modality: str
    attribution: Attribution | None
    actor1: Actor | None = None
    actor2: Actor | None = None
    location: Location | None = None
    date: EventDate = field(default_factory=lambda: EventDate(None, None, None))
    claims: list[Claim] = field(default_factory=list)
    evidence: list[Span] = field(default_factory=list)
    tier: int = 1
    type_reason: str = "rules"
    background: str | None = None  # why the mention is background (counting.background_reason), None when news
    told: bool = False  # its clause names a taking (looting, abduction) that its violence took in: an act, not a bare noun


class DocContext:
    """What the assembly needs of one document, computed once."""

    def __init__(self, doc: Document, registry: ActorRegistry, lexicon: Lexicon | None = None, typer: EventTyper | None = None,
                 claimants: ClaimantRegistry | None = None, default_country: str | None = None) -> None:
        self.doc = doc
        self.claimants = claimants if claimants is not None else claimants_from_env()
        self.typer = typer
        self.text = doc.text
        self.folded = fold(doc.text)
        self.registry = registry
        self.lexicon = lexicon or default_lexicon()
        # Only a toponym locates an event: a demonym, a metonym ("Moscow denied") or an organisation never does (issue 12).
        self.places = tuple(p for p in doc.places if getattr(p, "role", "toponym") == "toponym")
        self.place_starts = [p.start for p in self.places]
        # A "place" that is a named group ("Al Shabaab", a village in Iran to the gazetteer) says nothing of the country.
        coded = [p for p in self.places if getattr(p, "country_code", None) and not self._names_a_group(p)]
        # towns and regions locate events; a country's name is often a topic ("in solidarity with Palestine", "against
        # India"): it counts only where the report names nothing smaller
        codes = Counter(p.country_code for p in ([p for p in coded if getattr(p, "feature", "town") != "country"] or coded))
        # Why the report's country is what it is when no place gives it (said on every actor named after it), else None.
        self.country_reason: str | None = None
        if codes:
            self.country = codes.most_common(1)[0][0]
        elif default_country is not None:  # the report names no place the gazetteer knows: the country its feed covers
            self.country = default_country
            self.country_reason = f"country from the events stage's default_country ({default_country}): the report names no place"
        else:  # ... nor does the analyst say: the report's own words may ("Kenyan teachers", "Awami League activists")
            demonyms = [(p.start, p.end, str(p.country_code)) for p in doc.places
                        if getattr(p, "role", "toponym") == "demonym" and getattr(p, "country_code", None)]
            self.country, words = country_from_words(registry, doc.text, demonyms, self.folded)
            if self.country:
                self.country_reason = f"country from the report's words ({', '.join(words)} -> {self.country}): the report names no place"
            elif (outlet := outlet_country(doc)) is not None:  # ... nor its words: a national outlet reports its own country
                self.country = outlet.iso
                self.country_reason = f"country from {outlet.describe()}: the report names no place and no country"
        self.dateline: tuple[int, int] | None = None  # set by _anchor; its date is the report's, not an event's
        self.anchor = self._anchor()
        self._dates: dict[int, list[re.Match[str]]] = {}
        self._in_actor: dict[tuple[int, int], bool] = {}
        self._named_sources: list[tuple[int, ClaimantSource]] | None = None

    def sources_before(self, at: int) -> list[ClaimantSource]:
        """The registered sources the document names by name before ``at``, in reading order ("the monitor" is the latest)."""
        if self._named_sources is None:
            self._named_sources = self.claimants.named_in(self.text)
        return [s for pos, s in self._named_sources if pos < at]

    def _anchor(self) -> date | None:
        body = next((s for s in self.doc.sections if s.kind == "body"), None)
        start = body.start if body else 0
        # the dateline opening the first body section (the sentences stage found every one)
        first = next((d for d in self.doc.datelines if start <= d.start < start + 300), None)
        self.dateline = (first.start, first.end) if first else None
        published = parse_iso(self.doc.metadata.published)
        if published:
            return published
        if self.dateline:
            found = anchor_from_text(self.folded[self.dateline[0] : self.dateline[1]])
            if found:
                return found
        return anchor_from_text(self.folded[start : start + 60])

    @cached_property
    def named_mentions(self) -> list[tuple[int, ActorMention]]:
        """(document offset, mention) of every named group in the report, in order: what a partisan label may designate."""
        out: list[tuple[int, ActorMention]] = []
        for s in self.doc.sentences:
            out.extend((s.start + m.start, m) for m in self.named_groups(s.start, s.end))
        return out

    def named_groups(self, start: int, end: int) -> list[ActorMention]:
        """The named groups of ``text[start:end]`` (offsets relative to ``start``); an acronym of several actors names
        the one of the report's country ("SNA" in Somalia: its army, no group)."""
        out = []
        for m in self.registry.find(self.text[start:end], self.folded[start:end]):
            sense = self.registry.acronym_sense(m.text, self.country) if self.country and m.text in self.registry.acronym_senses else None
            if sense is not None and sense != m.entry.name:
                m = ActorMention(m.start, m.end, m.text, self.registry.entries[sense], subunit=m.subunit)
            if _named_group(m.entry):
                out.append(m)
        return out

    def _names_a_group(self, place) -> bool:
        """Is this place mention a registered non-state group's name, or inside one ("Al Shabaab", "Hayat Tahrir al-Sham")?"""
        words = self.folded[place.start : place.end].split()
        if not words or not all(w in self.registry.alias_words() or w in self.registry.aliases for w in words):
            return False
        return any(
            a <= place.start and place.end <= b and m.entry.role is None and m.entry.country is None
            for a, b, m in self._mentions_around(place)
        )

    def _mentions_around(self, place) -> list[tuple[int, int, ActorMention]]:
        """(start, end, mention) of the registry's actors within 40 characters of a place mention (document offsets)."""
        lo, hi = max(0, place.start - 40), min(len(self.text), place.end + 40)
        return [(m.start + lo, m.end + lo, m) for m in self.registry.find(self.text[lo:hi], self.folded[lo:hi])]

    def inside_actor(self, place) -> bool:
        """Is this place mention part of an actor's name ("Tahrir" in "Hay'at Tahrir al-Sham")? Cached per place."""
        key = (place.start, place.end)
        words = self.folded[place.start : place.end].split()
        if not any(w in self.registry.alias_words() for w in words):
            return False
        if key not in self._in_actor:
            self._in_actor[key] = any(
                a <= place.start and place.end <= b and (b - a) > (place.end - place.start) for a, b, _ in self._mentions_around(place)
            )
        return self._in_actor[key]

    def places_in(self, start: int, end: int) -> tuple:
        """The places (toponyms) whose mention starts in ``[start, end)``, in text order."""
        return self.places[bisect.bisect_left(self.place_starts, start) : bisect.bisect_left(self.place_starts, end)]

    def towns_in(self, start: int, end: int) -> list:
        """The towns among :meth:`places_in` (not a region or a country)."""
        return [p for p in self.places_in(start, end) if getattr(p, "feature", "town") == "town"]

    def date_spans(self, index: int, sentence: Sentence) -> list[re.Match[str]]:
        """Date spans of a sentence (unresolved; offsets into the document text), the dateline's excluded."""
        if index not in self._dates:
            end = min(sentence.end, sentence.start + MAX_SENTENCE * 4)
            found = date_matches(self.folded, sentence.start, end)
            if self.dateline is not None:
                found = [m for m in found if not (self.dateline[0] <= m.start() < self.dateline[1])]
            self._dates[index] = found
        return self._dates[index]

    def resolve(self, match: re.Match[str]) -> DateMention | None:
        return resolve_match(match, self.anchor)


def _paragraph(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos)


def _windows(sentence: Sentence) -> list[tuple[int, int]]:
    if sentence.end - sentence.start <= MAX_SENTENCE:
        return [(sentence.start, sentence.end)]
    return [(s, min(s + MAX_SENTENCE, sentence.end)) for s in range(sentence.start, sentence.end, MAX_SENTENCE)]


def extract_events(
    doc: Document,
    registry: ActorRegistry,
    lexicon: Lexicon | None = None,
    typer: EventTyper | None = None,
    actor_kinds: ActorKinds | None = None,
    default_country: str | None = None,
) -> tuple[Event, ...]:
    """The events of a document's body sentences; ``lexicon``: the packaged one unless given.

    ``typer``: the trained sub-event model that may retype a clause the rules typed (None: the rules alone).
    ``actor_kinds``: the trained model of ACLED's naming conventions that may rename a side (None: the rules' names).
    ``default_country``: ISO code of the country a feed covers, for a report that names no place the gazetteer
    knows: its generic actors ("Protesters", "Police Forces") take that country, and say so in their ``reason``;
    no event is located by it.
    """
    ctx = DocContext(doc, registry, lexicon, typer, default_country=default_country)
    body = [s for s in doc.body_sentences() if s.section == "body"]
    drafts = _drafts_for(ctx, body)
    if not drafts:
        title = [s for s in doc.body_sentences() if s.section == "title"]
        drafts = _drafts_for(ctx, title)
    events = _merge(ctx, drafts)
    if actor_kinds is not None:
        events = [actor_kinds.apply(e, ctx.text, registry, ctx.country) for e in events]
    events = [claimed_by(e, ctx.text, registry, ctx.country) for e in events]
    events = [_within_one_side(_named_after_place(e, registry, ctx.country), ctx) for e in events]
    if ctx.country_reason:
        events = [_country_said(e, registry, ctx.country, ctx.folded, ctx.country_reason) for e in events]
    program = ctx.lexicon.cue("demonstration_program")
    events = [armed_groups_attack(rioters_riot(e, ctx.folded, program)) for e in events]
    # (the other side of a riot once the riots are typed: "supporters of two candidates clashed")
    events = [_civilians_attacked(attack_or_clash(protesters_protest(_other_side_of_a_clash(e, ctx))), ctx) for e in events]
    events.sort(key=lambda e: (-e.confidence, e.evidence[0].start))
    return tuple(events)


_SUFFIXED = re.compile(r"(?P<base>.+) \((?P<country>[^()]+)\)")


def _named_after_place(event: Event, registry: ActorRegistry, doc_country: str | None = None) -> Event:
    """The event's place decides whose generic actors they are: a localized generic name ("Civilians (Yemen)",
    "Opposition Rebels (United States)") carrying another country than the event's place's, which an earlier
    event of the paragraph or the report's other country gave it, takes the place's country, unless the actor's
    own words name that other country ("Turkish civilians" killed in Syria stay Civilians (Turkey)); a state
    force the report's country made foreign (inter 8) is at home (inter 1) where the event is in its own country;
    a unit named only by its generic name ("special forces") is the place's country's, not another state's unit of
    that name; and an acronym that names several actors ("SNA") names the one of the event's country (its place's, else
    the report's: ``doc_country``)."""
    iso = event.location.country_code if event.location is not None else None
    here = registry.countries.get(iso or "")
    where = iso if here else doc_country
    if not here and not where:
        return event

    def fix(actor: Actor | None) -> Actor | None:
        if actor is not None and actor.text in registry.acronym_senses and where:
            sense = registry.acronym_sense(actor.text, where)
            if sense is not None and sense != actor.name:
                entry = registry.entries[sense]
                why = f"'{actor.text}' names {sense} in {registry.countries.get(where, where)}, not {actor.name}"
                actor = replace(actor, name=sense, inter=entry.inter, reason=f"{actor.reason}; {why}" if actor.reason else why)
        if not here:
            return actor
        home = registry.state_of(actor.name) if actor is not None else None
        if (
            actor is not None and iso and home is not None and home != iso and actor.subunit and actor.text
            and fold(actor.text).strip() == fold(actor.subunit).strip()
        ):
            # "special forces" in Syria: a unit's generic name is not Somalia's unit of that name abroad
            role = registry.entries[actor.name].role if actor.name in registry.entries else None
            if role:
                entry = registry.state_entry(iso, role)
                if event.date.date:
                    entry = registry.for_year(entry, int(event.date.date[:4]))
                why = f"'{actor.text}' is a unit's generic name: the forces of the event's place ({here}), not {actor.name}"
                return replace(actor, name=entry.name, inter=1, subunit=None, reason=f"{actor.reason}; {why}" if actor.reason else why)
        if actor is not None and actor.inter == 8 and registry.state_of(actor.name) == iso:
            # the report's country made it "abroad", but the event happened in the force's own country
            why = f"inter 1: a state force in its own country ({here})"
            return replace(actor, inter=1, reason=f"{actor.reason}; {why}" if actor.reason else why)
        m = _SUFFIXED.fullmatch(actor.name) if actor is not None else None
        if actor is None or m is None or m["country"] == here or not _localized(registry, m["base"]):
            return actor
        other = registry.country_code(m["country"])
        if other is None:
            return actor
        words = set(re.findall(r"[\w'-]+", fold(actor.text or "")))
        if any(registry.country_words.get(w) == other for w in words):
            return actor
        why = f"country of the event's place ({here}), not {m['country']}"
        base, inter = m["base"], actor.inter
        if registry.names_rebels(actor.text):  # unnamed rebels: the name ACLED gives them in the place's country
            base, inter = registry.rebels_of(iso)
        return replace(actor, name=f"{base} ({here})", inter=inter, reason=f"{actor.reason}; {why}" if actor.reason else why)

    a1, a2 = fix(event.actor1), fix(event.actor2)
    if _restated(a1, a2):
        a2 = None  # "government security forces (SNA)": once the acronym's sense is known, one actor named twice
    return event if (a1, a2) == (event.actor1, event.actor2) else replace(event, actor1=a1, actor2=a2)


def _restated(a1: Actor | None, a2: Actor | None) -> bool:
    """Whether the second side is the first one named again in brackets right after it: the same actor and unit."""
    return (
        a1 is not None and a2 is not None and (a1.name, a1.subunit) == (a2.name, a2.subunit)
        and a1.span is not None and a2.span is not None and 0 <= a2.span.start - a1.span.end <= 3
    )


_RIOTS = ("Mob violence", "Violent demonstration")


def _civilians_attacked(event: Event, ctx: DocContext) -> Event:
    """ACLED's attack is violence against civilians: one whose target the text does not name as an actor ("a lawyer
    was killed at her home by unknown gunmen", "raiders attacked a farm, burning 30 houses") has civilians, of the
    event's place's country (else the report's), as its second side."""
    if event.sub_event_type != "Attack" or event.actor2 is not None:
        return event
    name = "Civilians" + _country_suffix(ctx.registry, event.location, ctx.country)
    return replace(event, actor2=Actor(name, None, 7, reason="ACLED's attack targets civilians: the text names no other target"))


def _other_side_of_a_clash(event: Event, ctx: DocContext) -> Event:
    """A riot the text calls a clash ("supporters of two candidates clashed", "students clashed with members of
    the ruling party") has two sides; when the text names no second one, it is rioters too, of the event's
    place's country (else the report's): ACLED's convention for mob violence and violent demonstrations."""
    if event.actor2 is not None or event.actor1 is None or event.sub_event_type not in _RIOTS or not event.evidence:
        return event
    sentence = ctx.folded[event.evidence[0].start : event.evidence[0].end]
    word = next((m for m in ctx.lexicon.cue("two_sided").finditer(sentence) if not _clash_in_grievance(sentence, m.start(), ctx.lexicon)), None)
    if word is None:
        return event
    name = "Rioters" + _country_suffix(ctx.registry, event.location, ctx.country)
    why = f"the other side of a clash ('{word.group(0)}'): rioters, as ACLED codes a riot whose second side the text does not name"
    return replace(event, actor2=Actor(name, None, 5, reason=why))


_EARLIER_CLASH = re.compile(r"\b(?:prior|previous|earlier|past|recent)\s+$")
_GRIEVANCE_REACH = 40  # characters before a clash word where a protest's grievance may name it


def _clash_in_grievance(sentence: str, at: int, lexicon: Lexicon) -> bool:
    """Whether the clash word at ``at`` is what the riot is about, not how it was fought: an earlier clash ("during
    their blockade against the prior clashes between opposition parties and police") or a protest's grievance
    ("demanding justice for the clashes") names another event."""
    before = sentence[max(0, at - _GRIEVANCE_REACH) : at]
    if _EARLIER_CLASH.search(before):
        return True
    last = None
    for last in lexicon.cue("grievance").finditer(before):
        pass
    return last is not None and not re.search(r"[,;]", before[last.end() :])


# Fighting within one side: "2 groups of government soldiers clashed", "two factions of the militia exchanged gunfire",
# "a soldier shot dead a fellow soldier"
_WITHIN_ONE_SIDE = re.compile(r"\b(?:(?:2|two|rival) (?:groups|factions|units|sections|wings|camps) of|(?:2|two) (?:rival )?(?:groups|factions)\b)")
_AGAINST_ONE_OF_THEIR_OWN = re.compile(r"\b(?:shot|killed|attacked|opened fire on|stabbed)\b(?:\s+\w+){0,3}?\s+(?:(?:a|his|their)\s+)?(?:another|fellow)"
                                       r"(?:\s+\w+)?\s+(?:soldiers?|officers?|policem[ae]n|fighters?|militants?|members?|guards?|commanders?|comrades?|troops)\b")
_FOUGHT = re.compile(r"\bexchang\w*\s+(?:gun)?fire\b|\bexchang\w*\s+(?:of\s+)?gunfire\b|\bfought\b")
_ONE_SIDE_TYPES = ("Armed clash", "Attack", "Mob violence")


def _within_one_side(event: Event, ctx: DocContext) -> Event:
    """A fight within one side (two groups of its soldiers, two factions of a militia) has that side on both sides,
    as ACLED codes it; the event's sentence says so ("2 groups of government soldiers clashed", "a soldier shot and
    killed a fellow soldier") and names no second actor."""
    a1 = event.actor1
    if a1 is None or event.actor2 is not None or event.sub_event_type not in _ONE_SIDE_TYPES or not event.evidence:
        return event
    ev = event.evidence[0]
    sentence = ctx.folded[ev.start : ev.end]
    two = _WITHIN_ONE_SIDE.search(sentence)
    fought = two is not None and (ctx.lexicon.cue("two_sided").search(sentence) or _FOUGHT.search(sentence))
    own = _AGAINST_ONE_OF_THEIR_OWN.search(sentence) if not fought and a1.inter in (1, 2, 4, 8) else None  # (not an unnamed group)
    if not fought and own is None:
        return event
    said = two.group(0) if fought and two is not None else own.group(0) if own is not None else ""
    return replace(event, actor2=replace(a1, reason=f"a fight within one side ('{said}'): that side on both sides, as ACLED codes it"))


def _localized(registry: ActorRegistry, base: str) -> bool:
    entry = registry.entries.get(base)
    return entry is not None and entry.localized


def _country_said(event: Event, registry: ActorRegistry, iso: str | None, folded: str, why: str) -> Event:
    """Say on each actor named after the report's country why it has that country when no place gave it (``why``:
    the events stage's ``default_country``, or the report's words), unless the event's own sentence names that
    country ("Kenyan teachers marched"); ``folded``: the folded text."""
    country = registry.countries.get(iso or "")
    if not country:
        return event
    own_words = {w for w, code in registry.country_words.items() if code == iso}
    sentence = folded[event.evidence[0].start : event.evidence[0].end] if event.evidence else ""
    if own_words & set(re.findall(r"[\w'-]+", sentence)):
        return event

    def mark(actor: Actor | None) -> Actor | None:
        if actor is None or country not in actor.name:
            return actor
        return replace(actor, reason=f"{actor.reason}; {why}" if actor.reason else why)

    return replace(event, actor1=mark(event.actor1), actor2=mark(event.actor2))


def _drafts_for(ctx: DocContext, sentences: list[Sentence]) -> list[_Draft]:
    drafts: list[_Draft] = []
    prev_claims: list[Claim] = []
    for index, sentence in enumerate(sentences):
        for w_start, w_end in _windows(sentence):
            window = Sentence(w_start, w_end, sentence.section)
            made, claims = _sentence_drafts(ctx, sentences, index, window, drafts)
            # "If these claims are confirmed": the previous sentence's report is put in doubt
            if doubts_previous(ctx.folded[w_start:w_end]) and prev_claims:
                _doubt(drafts, prev_claims, index)
            prev_claims = claims
            drafts.extend(made)
    return _lethal_takings(ctx, sentences, _protest_interventions(ctx, sentences, _dispersal_told_apart(ctx, sentences, drafts)))


def _dispersal_told_apart(ctx: DocContext, sentences: list[Sentence], drafts: list[_Draft]) -> list[_Draft]:
    """A crowd a force dispersed, with no protest word (classify.combine's protest with intervention anchored on the
    dispersal), is an event only where its paragraph tells of no other: beside a riot, a clash or a protest it is
    how that event ended ("Supporters of two candidates clashed at the tallying centre. Police fired tear gas to
    disperse them")."""
    if not any(d.trigger.kind == "intervention" for d in drafts):
        return drafts
    paragraph = {id(d): _paragraph(ctx.text, sentences[d.sentence_index].start) for d in drafts}
    told = {paragraph[id(d)] for d in drafts if d.trigger.kind != "intervention"}
    kept = []
    for d in drafts:
        if d.trigger.kind != "intervention" or paragraph[id(d)] not in told:
            kept.append(d)
            continue
        # "Police used teargas to disperse party members ... The protesters demanded ...": where the paragraph tells
        # of nothing but a peaceful protest, the dispersal is that protest's intervention
        others = [x for x in drafts if paragraph[id(x)] == paragraph[id(d)] and x.trigger.kind != "intervention"]
        if others and all(x.sub == "Peaceful protest" for x in others) and d.sub in _PROTEST_TYPES:
            protest = others[0]
            protest.sub, protest.type_reason = d.sub, "rules (a protest and its dispersal)"
            protest.evidence.extend(e for e in d.evidence if e not in protest.evidence)
            if protest.actor2 is None and d.actor2 is not None and d.actor2.inter == 1:
                protest.actor2 = d.actor2
    return kept


_AFTER_PROTEST = 2  # sentences after a protest's (or an event's) where its dispersal (or its arrests) may be told


def _protest_interventions(ctx: DocContext, sentences: list[Sentence], drafts: list[_Draft]) -> list[_Draft]:
    """A peaceful protest read with its own sentence and the next ones of its paragraph, as ACLED codes it: one whose
    crowd clashes or turns violent is a violent demonstration (:func:`_clashed_too`, :func:`_turned_violent`); one
    whose crowd police disperse or arrest is a protest with intervention, with lethal force by a state force
    excessive force against protesters (:func:`_dispersed`). The drafts those sentences told of the same crowd
    (its arrests, the clash) are the protest's, not events of their own; then :func:`_follow_up_arrests`."""
    by_sentence: dict[int, list[_Draft]] = defaultdict(list)
    for d in drafts:
        by_sentence[d.sentence_index].append(d)
    absorbed: set[int] = set()
    for p in drafts:
        if p.sub != "Peaceful protest" or id(p) in absorbed:
            continue
        here = _paragraph(ctx.text, sentences[p.sentence_index].start)
        for j in range(p.sentence_index, min(len(sentences), p.sentence_index + 1 + _AFTER_PROTEST)):
            own = j == p.sentence_index
            others = [d for d in by_sentence.get(j, []) if d is not p and id(d) not in absorbed]
            if not own and _paragraph(ctx.text, sentences[j].start) != here:
                break
            if own:
                clash = _clashed_too(ctx, p, others)
                if clash is not None:
                    absorbed |= {id(clash)} - {id(p)}
                    break  # a violent demonstration now: what follows does not make it a protest with intervention
            else:
                riot = _turned_violent(ctx, p, sentences[j], others)
                if riot is not None:
                    absorbed |= {id(d) for d in riot}
                    break
            outcome, taken = _dispersed(ctx, p, sentences[j], own, others, follows=j == p.sentence_index + 1)
            absorbed |= {id(d) for d in taken}
            if outcome != "none":  # "took": a protest with intervention now; "stop": another protest
                break
    for d in drafts:
        if (d.sub == "Violent demonstration" and (d.actor2 is None or d.actor2.inter in (5, 6)) and id(d) not in absorbed
                and (d.actor1 is None or d.actor1.inter != 1)):
            absorbed |= {id(x) for x in _riot_met_by_force(ctx, sentences, d, by_sentence)}
    kept = _follow_up_arrests(ctx, sentences, [d for d in drafts if id(d) not in absorbed])
    return _clash_won_ground(ctx, sentences, _how_the_clash_began(ctx, sentences, kept))


def _riot_met_by_force(ctx: DocContext, sentences: list[Sentence], p: _Draft, by_sentence: dict[int, list[_Draft]]) -> list[_Draft]:
    """A violent demonstration with no second side (or only the crowd again) whose own sentence (after its trigger) or
    the next one of its paragraph tells of a state force acting on the crowd ("... barricaded the highway before police
    fired tear gas"; "Riot police fired tear gas at the demonstrators") has that force as its second side, as ACLED
    codes a riot that a force met. The next sentence must name the crowd ("the demonstrators", "them") and no place or
    date of its own; its protest drafts (the same crowd, met) are the riot's: returned, to be absorbed."""
    crowd = ctx.lexicon.cue("crowd")
    here = _paragraph(ctx.text, sentences[p.sentence_index].start)
    # "... blocked the road. They used stones and burned tyres. Police dispersed the protesters.": the sentence after the
    # last one the riot already took in (its turn to violence) is the next one
    told = [k for k in range(p.sentence_index, min(len(sentences), p.sentence_index + 1 + _AFTER_PROTEST))
            if any(sentences[k].start <= e.start < sentences[k].end for e in p.evidence)]
    for j in (p.sentence_index, max(told, default=p.sentence_index) + 1):
        if j >= len(sentences) or _paragraph(ctx.text, sentences[j].start) != here:
            return []
        s, own = sentences[j], j == p.sentence_index
        lo = p.trigger.end if own else s.start
        if not own and (_own_setting(ctx, s.start, s.end) or not crowd.search(ctx.folded, s.start, s.end)):
            return []
        if not any(t.kind == "intervention" for t in find_triggers(ctx.folded, lo, s.end, ctx.text, ctx.lexicon)):
            continue
        force = next((m for m in ctx.registry.find(ctx.text[s.start : s.end], ctx.folded[s.start : s.end]) if m.entry.inter == 1), None)
        if force is None:
            continue
        p.actor2 = replace(ctx.registry.resolve(force, ctx.country, _draft_year(ctx, p), s.start), reason=MET_THE_RIOT)
        if own:
            return []
        p.evidence.append(Span(s.start, s.end))
        met = [d for d in by_sentence.get(j, []) if d is not p and d.sub in (*_PROTEST_TYPES, "Violent demonstration")]
        for d in met:
            p.claims.extend(c for c in d.claims if c not in p.claims)
        return met
    return []


def _draft_year(ctx: DocContext, d: _Draft) -> int | None:
    """The year of a draft's date, else the report's: it names a state force of its era ("Police Forces of Kenya (2002-2013)")."""
    return int(d.date.date[:4]) if d.date.date else (ctx.anchor.year if ctx.anchor else None)


def _as_rioters(p: _Draft, sub: str, reason: str) -> None:
    """``p`` retyped as a riot: its protesters become rioters ("Protesters (Kenya)" -> "Rioters (Kenya)")."""
    p.sub, p.type_reason = sub, reason
    if p.actor1 is not None and p.actor1.name.startswith("Protesters"):
        p.actor1 = replace(p.actor1, name="Rioters" + p.actor1.name[len("Protesters"):], inter=5)


def _turned_violent(ctx: DocContext, p: _Draft, s: Sentence, others: list[_Draft]) -> list[_Draft] | None:
    """A later sentence whose subject is the crowd and that tells of rioting ("They burnt tyres and blocked the
    highway") makes ``p`` a violent demonstration; returns the drafts of that sentence it takes (the riot, a clash
    with the police), or None when the sentence is no such thing."""
    if any(_elsewhere(d, p) for d in others):
        return None
    same: tuple[str, ...] = ("Violent demonstration", "Armed clash")  # "... before police repulsed them"
    if _CROWD_SUBJECT.match(ctx.folded, s.start):
        if not (PROTESTER_VIOLENCE.search(ctx.folded, s.start, s.end) or any(d.sub == "Violent demonstration" for d in others)):
            return None
    elif (ctx.lexicon.cue("protest_scene").search(ctx.folded, s.start, s.end)
          and ctx.lexicon.cue("protest_damage").search(ctx.folded, s.start, s.end)):
        # "Several vehicles were reportedly burnt during the protest": damage the sentence puts on the protest, whose
        # mention there is the same protest
        same = (*same, *_PROTEST_TYPES)
    else:
        return None
    _as_rioters(p, "Violent demonstration", "rules (a protest whose crowd turned violent)")
    p.evidence.append(Span(s.start, s.end))
    taken = [d for d in others if d.sub in same]
    for d in taken:
        p.claims.extend(c for c in d.claims if c not in p.claims)
        p.actor2 = p.actor2 or d.actor2
    return taken


def _dispersed(ctx: DocContext, p: _Draft, s: Sentence, own: bool, others: list[_Draft], follows: bool = False) -> tuple[str, list[_Draft]]:
    """Whether the sentence ``s`` (``own``: the protest's own) tells of the protest's crowd dispersed, arrested or
    shot: then ``p`` becomes a protest with intervention or excessive force against protesters, and the result is
    ("took", the drafts of that sentence it takes); ("none", []) when the sentence tells of no such thing, ("stop", [])
    when it tells of another protest (a later sentence must name the crowd again: "the crowd", "the protesters", "them").
    The sentence right after the protest's (``follows``) need not name it again when a state force there acts on a crowd
    and it tells of no event of its own ("Teachers protested over pay. Police fired tear gas.")."""
    lex = ctx.lexicon
    crowd, lethal = lex.cue("crowd"), lex.cue("lethal")
    lo, hi = s.start, s.end
    # "Police shot dead two of the protesters": the same crowd's protest, now with force, unless elsewhere
    told = [d for d in others if d.sub in _PROTEST_TYPES]
    named_again = own or any(m.group(0).startswith(("the ", "them")) for m in crowd.finditer(ctx.folded, lo, hi))
    if any(d.sub == "Peaceful protest" or not named_again or _elsewhere(d, p) for d in told):
        return "stop", []
    outside = [(lo, p.clause[0]), (p.clause[1], hi)] if own else [(lo, hi)]
    intervened = any(t.kind == "intervention" and not (own and _is_grievance(ctx, p.trigger.start, t))
                     for a, b in outside if a < b for t in find_triggers(ctx.folded, a, b, ctx.text, lex))
    arrests = [d for d in others if d.sub == "Arrests" and (d.actor2 is None or d.actor2.inter in (5, 6, 7))]
    force = next((m for m in ctx.registry.find(ctx.text[lo:hi], ctx.folded[lo:hi]) if m.entry.inter == 1), None)
    arrest_ids = {id(a) for a in arrests}
    # "Police arrested 19 activists": people of a crowd's kind arrested right after the protest are its crowd
    gathered = lex.cue("dispersed_crowd")
    crowd_arrested = any(gathered.search(ctx.folded, a.clause[0], a.clause[1]) for a in arrests)
    unnamed = (follows and (intervened or crowd_arrested) and force is not None and all(id(d) in arrest_ids for d in others)
               and not _own_setting(ctx, lo, hi))
    if not (own or unnamed or crowd.search(ctx.folded, lo, hi)) or not (told or arrests or intervened):
        return "none", []
    killed = (lethal.search(ctx.folded, lo, hi) is not None and force is not None and not own) or any(
        d.sub == "Excessive force against protesters" for d in told)
    p.sub = "Excessive force against protesters" if killed else "Protest with intervention"
    p.type_reason = "rules (a protest and its dispersal)"
    if not own:
        p.evidence.append(Span(lo, hi))
    if p.actor2 is None:
        if arrests and arrests[0].actor1 is not None and arrests[0].actor1.inter == 1:
            p.actor2 = arrests[0].actor1
        elif force is not None:
            p.actor2 = ctx.registry.resolve(force, ctx.country, _draft_year(ctx, p), lo)
    taken = [*told, *arrests]
    for d in taken:
        p.claims.extend(c for c in d.claims if c not in p.claims)
        if p.actor2 is None and d.actor2 is not None and d.actor2.inter == 1:
            p.actor2 = d.actor2
    return "took", taken


# "marched to the square and clashed with riot police": the protest's own subject goes on to a clash
_AND_THEN = re.compile(r"^[\s,]*(?:and|before|then|and then|later)\s+(?:\w+\s+)?$")
# A later sentence whose subject is the protest's crowd ("They burnt tyres", "The protesters then stoned cars").
_CROWD_SUBJECT = re.compile(r"\s*(?:they|the (?:protesters|protestors|demonstrators|students|crowd|youths|marchers|mob))\b")
_AND_CLASHED = re.compile(r"[\s,]*(?:and|before|then|and then)\s+(?:later\s+|also\s+)?clash(?:ed|ing)\b")


def _clashed_too(ctx: DocContext, p: _Draft, others: list[_Draft]) -> _Draft | None:
    """The clash right after the protest's clause, by the same subject, that makes it a violent demonstration:
    ``p`` becomes one (its protesters named rioters), the clash's figures and other side go to it. Returns the clash's
    draft, or ``p`` itself when the clash's words went into the protest's own draft; None when there is no clash."""
    said = _AND_CLASHED.match(ctx.folded, p.clause[1])
    for d in [*others, None] if said else others:
        if d is not None and (d.sub != "Armed clash" or d.trigger.start < p.clause[1] or not _AND_THEN.match(ctx.folded[p.clause[1] : d.trigger.start])):
            continue
        _as_rioters(p, "Violent demonstration", "rules (a protest whose crowd clashed)")
        if d is None:  # "and clashed with police forces": the other side is the state force named after it
            end = ctx.folded.find(".", p.clause[1])
            hi = len(ctx.folded) if end < 0 else end
            force = next((m for m in ctx.registry.find(ctx.text[p.clause[1]:hi], ctx.folded[p.clause[1]:hi]) if m.entry.inter == 1), None)
            if p.actor2 is None and force is not None:
                p.actor2 = ctx.registry.resolve(force, ctx.country, _draft_year(ctx, p), p.clause[1])
            return p
        if p.actor2 is None:
            p.actor2 = d.actor2
        p.claims.extend(c for c in d.claims if c not in p.claims)
        return d
    return None


# Events whose paragraph may go on to tell of arrests made over them.
_ARRESTED_OVER = frozenset(_RIOT_TYPES + _PROTEST_TYPES) | frozenset(
    sub for t in ("Battles", "Explosions/Remote violence", "Violence against civilians") for sub in TAXONOMY[t]
) | {"Looting/property destruction"}


def _follow_up_arrests(ctx: DocContext, sentences: list[Sentence], drafts: list[_Draft]) -> list[_Draft]:
    """Arrests told with a riot, an attack or a protest (in its sentence, or up to :data:`_AFTER_PROTEST` sentences
    after it in its paragraph, at no other place or day) are its aftermath, as ACLED codes them, not an event of their
    own: "A crowd set fire to a lorry in the town. Police later detained four suspects." Their figures go to
    that event."""
    absorbed: set[int] = set()
    for i, d in enumerate(drafts):
        if d.sub != "Arrests" or d.modality == "hypothetical":
            continue
        # "police detained four youths as they were setting a lorry alight": the act of the same sentence comes first
        same = list(takewhile(lambda e: e.sentence_index == d.sentence_index, drafts[i + 1 :]))  # drafts come in sentence order
        for e in _told_before(ctx, sentences, drafts, i, absorbed, same):
            if e.sub not in _ARRESTED_OVER or e.modality == "hypothetical":
                continue
            if e.sentence_index != d.sentence_index and _elsewhere(d, e):  # one sentence, one scene
                break
            _fold_into(e, d, absorbed)
            break
    return [d for d in drafts if id(d) not in absorbed]


def _told_before(ctx: DocContext, sentences: list[Sentence], drafts: list[_Draft], i: int, absorbed: set[int],
                 first: Sequence[_Draft] = ()) -> Iterator[_Draft]:
    """The drafts told before ``drafts[i]`` in its paragraph, latest first (after ``first``), up to
    :data:`_AFTER_PROTEST` sentences back; the walk stops at a draft already absorbed. (Drafts come in sentence order,
    so the first one of another paragraph ends it.)"""
    d = drafts[i]
    here = _paragraph(ctx.text, sentences[d.sentence_index].start)
    for e in [*first, *reversed(drafts[:i])]:
        if (d.sentence_index - e.sentence_index > _AFTER_PROTEST or id(e) in absorbed
                or _paragraph(ctx.text, sentences[e.sentence_index].start) != here):
            return
        yield e


def _fold_into(event: _Draft, told: _Draft, absorbed: set[int]) -> None:
    """``told`` is part of ``event``: its claims and evidence go to it, and it is marked absorbed."""
    event.claims.extend(c for c in told.claims if c not in event.claims)
    event.evidence.extend(x for x in told.evidence if x not in event.evidence)
    absorbed.add(id(told))


# "The clash was initiated with RPGs and mortar shells", "the fighting began with an IED blast"
_BEGAN_WITH = re.compile(r"\bthe\s+(?:clash|clashes|fighting|battle|assault|attack|offensive)\s+(?:was\s+|were\s+)?(?:\w+\s+){0,2}?"
                         r"(?:initiated|started|began|opened|launched|triggered|preceded|sparked)\s+(?:\w+\s+){0,2}?(?:with|by|when)\b")
_REMOTE = frozenset(TAXONOMY["Explosions/Remote violence"])


def _how_the_clash_began(ctx: DocContext, sentences: list[Sentence], drafts: list[_Draft]) -> list[_Draft]:
    """A sentence that tells how a clash already told began ("The clash was initiated with mortar shells") is that
    clash's, not a shelling of its own (as ACLED codes it): its remote-violence draft joins the latest armed clash up
    to :data:`_AFTER_PROTEST` sentences before it in its paragraph, with its figures. So does a shelling by one of the
    clash's sides whose sentence names no other place or day ("They clashed with Al Shabaab near Cadale. The forces
    fired mortar shells.")."""
    absorbed: set[int] = set()
    for i, d in enumerate(drafts):
        if d.sub not in _REMOTE:
            continue
        began = _BEGAN_WITH.search(ctx.folded, sentences[d.sentence_index].start, sentences[d.sentence_index].end) is not None
        if not began and d.sub != _SHELLING:
            continue
        for c in _told_before(ctx, sentences, drafts, i, absorbed):
            if c.sub != "Armed clash" or c.sentence_index == d.sentence_index:
                continue
            if began or (not _own_place_or_day(d, c) and _one_of_its_sides(d, c)):
                _fold_into(c, d, absorbed)
            break
    return [d for d in drafts if id(d) not in absorbed]


_TAKINGS = frozenset({LOOTING, "Abduction/forced disappearance"})
_VIOLENCE_OVER_TAKING = frozenset({"Attack", "Armed clash", "Mob violence"})


def _lethal_takings(ctx: DocContext, sentences: list[Sentence], drafts: list[_Draft]) -> list[_Draft]:
    """A looting or an abduction told beside violence against people is part of that violence, as ACLED codes an event
    by its gravest act ("6 killed in cattle raid. 1000 cattle stolen.", "Raiders attack village, steal cattle"): its
    draft joins the attack, clash or mob violence of its own sentence, else of the sentence before or after it in its
    paragraph, unless either names a place or day of its own that the other does not share. One whose own figures
    count people killed, with no such draft beside it ("A man is abducted and beheaded"), is an attack (the actor
    kinds then make it a clash where its second side is armed)."""
    absorbed: set[int] = set()
    for d in drafts:
        if d.sub not in _TAKINGS or d.modality == "hypothetical" or id(d) in absorbed:
            continue
        here = _paragraph(ctx.text, sentences[d.sentence_index].start)
        near = [c for c in drafts if c is not d and id(c) not in absorbed and c.sub in _VIOLENCE_OVER_TAKING and _lethal(ctx, c)
                and c.modality != "hypothetical" and abs(c.sentence_index - d.sentence_index) <= 1
                and _paragraph(ctx.text, sentences[c.sentence_index].start) == here and not _elsewhere(c, d)]
        host = min(near, key=lambda c: (c.sentence_index != d.sentence_index, c.sentence_index > d.sentence_index), default=None)
        if host is not None:
            _fold_into(host, d, absorbed)
            if Span(*d.clause) not in host.evidence:
                host.evidence.append(Span(*d.clause))
            host.tier = max(host.tier, d.tier)
        elif _killed(d):
            d.type_reason = f"rules (a taking that killed; typed: {d.sub})"
            d.sub = "Attack"
    return [d for d in drafts if id(d) not in absorbed]


def _killed(d: _Draft) -> bool:
    """Whether a draft's own figures count people killed."""
    return any(c.quantity == "killed" and (c.low or 0) > 0 for c in d.claims)


def _lethal(ctx: DocContext, d: _Draft) -> bool:
    """Whether a draft tells of an attack (the lexicon's `attack_words`) or of people killed (not a fire that hurt
    people: "sustained burn injuries as assailants set afire a bus" is the arson's own story)."""
    return _killed(d) or ctx.lexicon.cue("attack_words").fullmatch(d.trigger.text) is not None


_SHELLING = "Shelling/artillery/missile attack"


def _own_place_or_day(d: _Draft, c: _Draft) -> bool:
    """Whether ``d``'s sentence names a place or a day of its own other than ``c``'s ("On February 6, Turkish
    artillery shelled the army near Saraqib" is another event than the clash told before it)."""
    place = d.location is not None and _in_own_sentence(d, d.location.span) and (c.location is None or d.location.name != c.location.name)
    return place or (_in_own_sentence(d, d.date.span) and d.date.date != c.date.date)


def _one_of_its_sides(d: _Draft, c: _Draft) -> bool:
    """Whether a shelling told after a clash is one side's fire in it ("The forces fired heavy mortar shells"): its
    shooter is one of the clash's sides, or unnamed, and its target no one else."""
    sides = {a.name for a in (c.actor1, c.actor2) if a is not None}
    return (d.actor1 is None or d.actor1.name in sides) and (d.actor2 is None or d.actor2.name in sides)


_GROUND = ("Government regains territory", "Non-state actor overtakes territory")
_NON_VIOLENT = "Non-violent transfer of territory"


def _clash_won_ground(ctx: DocContext, sentences: list[Sentence], drafts: list[_Draft]) -> list[_Draft]:
    """A clash whose side then took the place (in its sentence or up to :data:`_AFTER_PROTEST` sentences after it in
    its paragraph, at no other place or day: "Troops clashed with Al Shabaab in the village. The forces took control
    of it.") is one event, as ACLED codes it: the taking of territory, the clash's other side its second side, the
    clash's figures its own. The taker must be one of the clash's sides, or unnamed."""
    absorbed: set[int] = set()
    for i, t in enumerate(drafts):
        if t.sub not in (*_GROUND, _NON_VIOLENT) or t.modality == "hypothetical":
            continue
        if t.sub == _NON_VIOLENT and not ctx.lexicon.cue("taking_words").search(t.trigger.text):
            continue  # "Al Shabaab retreated from the position": who left, not who took it
        for c in _told_before(ctx, sentences, drafts, i, absorbed):
            if c.sub != "Armed clash" or c.modality == "hypothetical":
                continue
            if c.sentence_index != t.sentence_index and _elsewhere(t, c):
                break
            sides = [a for a in (c.actor1, c.actor2) if a is not None]
            # (a taking the typer read as non-violent was not, after a clash: its taker decides which ground type it is)
            state_took = t.sub == _GROUND[0] if t.sub != _NON_VIOLENT else t.actor1 is not None and t.actor1.inter in (1, 8)
            named = t.actor1 if t.actor1 is not None and (t.actor1.inter in (1, 8)) == state_took else None  # (not a stray fill)
            taker = next((a for a in sides if named is not None and a.name == named.name), None)
            if named is not None and taker is None:
                break  # another side took it: another story
            if taker is None:
                taker = next((a for a in sides if (a.inter in (1, 8)) == state_took), None)
            other = next((a for a in sides if a is not taker and (taker is None or a.name != taker.name)), None)
            t.actor1 = taker or t.actor1  # the clash's own words for the taker ("Jubaland security forces")
            if t.actor2 is None:
                t.actor2 = other
            t.claims.extend(x for x in c.claims if x not in t.claims)
            t.evidence = [*c.evidence, *(x for x in t.evidence if x not in c.evidence)]
            if t.sub == _NON_VIOLENT:
                t.type_reason = f"{t.type_reason}; typed: {t.sub}"
                t.sub = _GROUND[0] if state_took else _GROUND[1]
            t.type_reason = f"{t.type_reason} (a clash that won ground: '{c.trigger.text}' then '{t.trigger.text}')"
            absorbed.add(id(c))
            break
    return [d for d in drafts if id(d) not in absorbed]


def _own_setting(ctx: DocContext, lo: int, hi: int) -> bool:
    """Whether ``folded[lo:hi]`` names a place or a date of its own: the setting of another act than the one before."""
    return bool(ctx.places_in(lo, hi)) or any(True for _ in date_matches(ctx.folded, lo, hi))


def _elsewhere(d: _Draft, p: _Draft) -> bool:
    """Whether two drafts are at different places or on different days that each names in its own sentence ("in
    Nakuru on Tuesday"; a place or date taken from the report or an earlier sentence says nothing here)."""
    places = [x.location.name for x in (d, p) if x.location is not None and _in_own_sentence(x, x.location.span)]
    days = [x.date.date for x in (d, p) if _in_own_sentence(x, x.date.span)]
    return (len(places) == 2 and places[0] != places[1]) or (len(days) == 2 and days[0] != days[1])


def _in_own_sentence(x: _Draft, span: Span | None) -> bool:
    """Whether ``span`` (a draft's place or date) lies in the draft's own sentence, not taken from elsewhere."""
    return span is not None and any(e.start <= span.start < e.end for e in x.evidence[:1])


def _retype(
    ctx: DocContext, sub: str, tier: int, clause: tuple[int, int], s: Sentence, clauses: list[tuple[int, int]], triggers: list[Trigger]
) -> tuple[str, str]:
    """Let the trained model confirm or change the rules' type of one event clause.

    The model reads the whole sentence when this is its only clause with triggers (the
    context it was trained on), else the clause alone, so two events of one sentence
    are not forced to one type.
    """
    if ctx.typer is None:
        return sub, "rules"
    typed_clauses = sum(1 for a, b in clauses if any(a <= t.start < b for t in triggers))
    start, end = (s.start, s.end) if typed_clauses == 1 else clause
    # protest and riot types get tier 3 from the assembler, but telling them apart is where the rules are weak
    tactic = tier >= 3 and sub not in _PROTEST_TYPES + _RIOT_TYPES
    return ctx.typer.retype(ctx.text[start:end], sub, tactic)


def _doubt(drafts: list[_Draft], claims: list[Claim], index: int) -> None:
    ids = {id(c) for c in claims}
    for d in reversed(drafts):
        # the previous sentence's claims sit in drafts of the last few sentences: stop there (linear time)
        if index - d.sentence_index > 4:
            break
        holds_doubted = any(id(c) in ids for c in d.claims)
        for i, c in enumerate(d.claims):
            if id(c) in ids and c.modality in ("asserted", "reported"):
                d.claims[i] = replace(c, modality="claimed")
        if holds_doubted and d.modality in ("reported", "asserted") and d.attribution is not None:
            d.modality = "claimed"


class _SentenceCtx:
    """One sentence as the passes see it: its text, triggers and clauses; figures and attributions read on first use."""

    def __init__(self, ctx: DocContext, sentences: list[Sentence], index: int, s: Sentence, triggers: list[Trigger]) -> None:
        self.sentences, self.index, self.s, self.triggers = sentences, index, s, triggers
        self.sent_f, self.sent_o = ctx.folded[s.start : s.end], ctx.text[s.start : s.end]
        self.clauses = [(a + s.start, b + s.start) for a, b in clause_bounds(self.sent_f)]
        self.hypothetical = bool(re.match(r"\W*(?:if|unless|should)\b", self.sent_f))
        self.casualty_only = all(t.text in _CASUALTY_ONLY for t in triggers)
        self.lexicon = ctx.lexicon

    @cached_property
    def counts(self) -> list:
        lex = self.lexicon
        return count_casualties(self.sent_f, self.sent_o, lex.cue("victim_nouns"), lex.cue("unknown_number"))

    @cached_property
    def attributions(self) -> list[Attribution]:
        return find_attributions(self.sent_o, self.sent_f)


def _sentence_drafts(ctx: DocContext, sentences: list[Sentence], index: int, s: Sentence, earlier: list[_Draft]) -> tuple[list[_Draft], list[Claim]]:
    """One sentence's event drafts and its claims, in named passes.

    news triggers -> type clauses -> read claims -> (a casualty count extends the previous
    event) -> actors mentioned -> place, date and actors of each draft -> claims to drafts ->
    sides from the claims -> anaphora and unanchored drafts dropped.
    """
    triggers = _news_triggers(ctx, s)
    if not triggers:
        return [], []
    sc = _SentenceCtx(ctx, sentences, index, s, triggers)
    made = _type_clauses(ctx, sc)
    if not made and not (sc.casualty_only and earlier):
        return [], []
    claims = _judge_claims(ctx, sc, _read_claims(ctx, sc))
    plain_claims = [c for _, c in claims]
    if sc.casualty_only and claims and earlier and _extends_previous(ctx, sc, claims, plain_claims, earlier[-1]):
        return [], plain_claims
    if not made:
        return [], plain_claims
    mentions = _actor_mentions(ctx, sc)
    para_prev = _paragraph_drafts(ctx, sc, earlier)
    anaphors = _place_date_actors(ctx, sc, made, mentions, para_prev)
    _attach_claims(made, claims)
    _sides_from_claims(ctx, made)
    return _keep_anchored(ctx, sc, made, anaphors, earlier), plain_claims


def _news_triggers(ctx: DocContext, s: Sentence) -> list[Trigger]:
    """The sentence's triggers, or none when it cannot report this report's news."""
    folded, text = ctx.folded, ctx.text
    triggers = find_triggers(folded, s.start, s.end, text, ctx.lexicon)
    labels = [t for t in triggers if _LABEL_PREFIX.fullmatch(folded, s.start, t.start) and folded.startswith(":", t.end)]
    if labels and len(labels) < len(triggers):
        # "Looting: On 14 July, militants looted shops": a heading's word names the kind, the sentence tells the act
        triggers = [t for t in triggers if t not in labels]
    if not triggers or all(t.kind in ("none", "weapon", "intervention") for t in triggers) and not any(
            t.kind == "intervention" and disperses_crowd(t, folded[s.start : s.end], s.start, ctx.lexicon) for t in triggers):
        return []  # (a crowd a force dispersed is a protest with intervention: classify.combine)
    if _WAR_TOLL.search(folded, s.start, s.end) or _is_cumulative_toll(folded[s.start : s.end]):
        return []  # "the war has killed more than 400000 people since 2011": a running total, not an event
    if ctx.anchor is not None:
        for m in _BACKGROUND_YEAR.finditer(folded, s.start, s.end):
            if int(m.group(1)) < ctx.anchor.year and not _fronted_by_this_year(ctx, s, m.start()):
                return []  # "the war began in 2011 with protests": background, not this report's news
    return triggers


def _fronted_by_this_year(ctx: DocContext, s: Sentence, before: int) -> bool:
    """Whether the sentence opens on a date of the report's year, ahead of ``before`` ("On 7 May 2024, workers
    protested, demanding the dues owed since 2018"): the act is this year's news and the earlier year its background."""
    anchor = ctx.anchor
    if anchor is None:
        return False
    for m in date_matches(ctx.folded, s.start, min(before, s.start + _FRONTED)):
        mention = ctx.resolve(m)
        if mention is not None and mention.date.year == anchor.year:
            return True
    return False


def _type_clauses(ctx: DocContext, sc: _SentenceCtx) -> list[_Draft]:
    """One draft per clause that reports an event, typed by the rules (and the model, see :func:`_retype`)."""
    folded, s, index, triggers, clauses = ctx.folded, sc.s, sc.index, sc.triggers, sc.clauses
    made: list[_Draft] = []
    sentence_dates = ctx.date_spans(index, sc.sentences[index])
    for c_start, c_end in clauses:
        trigs = [t for t in triggers if c_start <= t.start < c_end]
        if not trigs:
            continue
        typed = combine(trigs, folded[c_start:c_end], c_start, ctx.lexicon)
        if not typed:
            continue
        sub, trig = typed[0]
        if sub in _REMOTE and PREMATURE.search(folded, s.start, s.end):
            sub = "Disrupted weapons use"  # "an IED exploded while the militants were planting it": in its makers' hands
        # (a theft or an abduction the clause's violence took in: its tactic word no longer ranks the clause, though
        # it still tells that something happened: "the orphanage was attacked and looted")
        ranked = [t for t in trigs if t.kind != "none" and not (t.kind in _TAKINGS and sub != t.kind)]
        tier = max(t.tier for t in ranked) if ranked else 1
        told = any(t.tier >= 3 for t in trigs if t.kind in _TAKINGS)
        if sub in _PROTEST_TYPES + _RIOT_TYPES:
            tier = 3
        if _EVENT_NEGATION.search(folded[max(c_start, trig.start - 40) : trig.start]):
            continue
        if _HABITUAL.search(folded, c_start, c_end):
            continue  # "the town has been shelled repeatedly since the ceasefire": background, not one event
        if all(t.text in ctx.lexicon.weak_triggers for t in trigs if t.kind != "none"):
            figures_here = any(c_start <= c.start + s.start < c_end for c in sc.counts)
            # a date in the clause, or one fronting the sentence before a specific act ("On 23 October, X and Y held
            # talks and reached an agreement": the date governs every clause after it)
            dated = any(c_start <= m.start() < c_end or tier >= 3 and m.start() < c_start and m.start() - s.start < _FRONTED
                        and not _SPAN_DATE.match(m.group(0)) for m in sentence_dates)
            targeted = any(re.match(r"\s+(?:on|against)\b", folded[t.end : t.end + 9]) for t in trigs if t.text in ("attack", "attacks"))
            if not (figures_here or dated or targeted or any(_verb_use(ctx, sc, t) or _fired_weapon(ctx, sc, t) for t in trigs)):
                continue  # "the frontline", "a ceasefire": named, not reported as happening
        protest_at = next((d.trigger.start for d in made if d.sub in _PROTEST_TYPES), None)
        if protest_at is not None and sub not in _PROTEST_TYPES + _RIOT_TYPES and _is_grievance(ctx, protest_at, trig):
            continue  # "rallied outside the court, demanding the release of detained colleagues": what it demands
        sub, type_reason = _retype(ctx, sub, tier, (c_start, c_end), s, clauses, triggers)
        clause_f = folded[c_start:c_end]
        hypothetical = sc.hypothetical or is_hypothetical(clause_f)
        attribution = attribution_for(sc.attributions, trig.start - s.start)
        modality = "hypothetical" if hypothetical else (attribution.modality if attribution else "asserted")
        # a generic word ("killed", "attack") in a clause next to a typed one belongs to that event
        if tier == 1 and made and made[-1].tier > 1:
            made[-1].evidence.append(Span(c_start, c_end))
            continue
        if made and made[-1].sub == sub:
            continue
        made.append(_Draft(sub, trig, index, (c_start, c_end), modality, attribution, tier=tier, type_reason=type_reason, told=told))
    return _explosive_opens_clash(ctx, _theft_in_violence(ctx, sc, made))


def _explosive_opens_clash(ctx: DocContext, made: list[_Draft]) -> list[_Draft]:
    """A grenade or bomb clause beside a fight the sentence names ("the militants threw a grenade at the checkpoint
    and engaged the soldiers in a gun battle") opened that fight: its clause becomes the clash's evidence."""
    clash = next((d for d in made if d.sub == "Armed clash" and engages(d.trigger, ctx.folded)), None)
    if clash is None or not any(d.sub in OPENING_EXPLOSIVES for d in made):
        return made
    clash.tier = max([clash.tier] + [d.tier for d in made if d.sub in OPENING_EXPLOSIVES])
    return _absorbed(clash, made, OPENING_EXPLOSIVES)


def _theft_in_violence(ctx: DocContext, sc: _SentenceCtx, made: list[_Draft]) -> list[_Draft]:
    """A looting clause beside a riot, or beside violence that hurt people, in one sentence is part of it ("a mob
    looted shops and torched a lorry", "an armed gang shot dead a priest ..., and stole donations"): its clause
    becomes that event's evidence."""
    if not any(d.sub == LOOTING for d in made):
        return made
    violent = next((d for d in made if d.sub in _RIOT_TYPES), None)
    if violent is None and ctx.lexicon.cue("casualty").search(ctx.folded, sc.s.start, sc.s.end):
        violent = next((d for d in made if d.sub in VIOLENCE_OVER_LOOTING), None)
    if violent is None:
        return made
    return _absorbed(violent, made, {LOOTING})


def _absorbed(into: _Draft, made: list[_Draft], subs: Collection[str]) -> list[_Draft]:
    """``made`` without its drafts of the types ``subs``, whose clauses become evidence of the draft ``into``."""
    into.evidence.extend(Span(*d.clause) for d in made if d.sub in subs)
    return [d for d in made if d.sub not in subs]


_SUBJECT_WINDOW = 80  # characters before a verb trigger where its actor is read
_LABEL_PREFIX = re.compile(r"\W*(?:[a-z]+\s+){0,2}")  # up to two words before a trigger that ends a heading ("Property destruction:")
_SPAN_DATE = re.compile(r"(?:since|from|between|until|throughout|over)\b")  # a period, not the day of one act
_FRONTED = 40  # characters from a sentence's start where its date fronts it ("On 23 October 2025, ...")


def _verb_use(ctx: DocContext, sc: _SentenceCtx, t: Trigger) -> bool:
    """Whether a weak trigger is the verb of an act whose subject is an actor right before it, as headlines and
    short notes tell one: "Raiders attack a village", "Police battle gunmen", "Pokot targeted police" (a
    `verb_triggers` word, an actor mention ending just before it, and no `noun_use` word after it: "Al-Shabaab
    attacks have risen" names attacks, it does not report one)."""
    lex = ctx.lexicon
    if not lex.cue("verb_triggers").fullmatch(t.text):
        return False
    folded, offset = ctx.folded, sc.s.start
    after = re.match(r"\s+([a-z][\w\-]*)", folded[t.end : t.end + 30])
    word = after.group(1) if after is not None else ""
    if not word or lex.cue("noun_use").fullmatch(word) or word.endswith("ed") and not lex.cue("adjective_participles").fullmatch(word):
        return False  # "the terrorist attack in ...", "militant attacks caused damage": a noun
    # the actor must end right before the trigger: the registry reads only the words before it
    lo = max(offset, t.start - _SUBJECT_WINDOW)
    if any(_SUBJECT_GAP_RE.fullmatch(folded, lo + m.end, t.start) for m in ctx.registry.find(ctx.text[lo : t.start], folded[lo : t.start])):
        return True
    if _coordinated_verb(ctx, sc, t):
        return True
    return _headline_subject(ctx, sc, t)


_AND_BEFORE = re.compile(r"\band\s+$")
_COORDINATED_GAP = 7  # words at most between a headline's subject and "and <verb>": "Gunmen storm polling stations and attack"


def _coordinated_verb(ctx: DocContext, sc: _SentenceCtx, t: Trigger) -> bool:
    """Whether a verb trigger is the second verb of a headline's subject ("Gunmen storm polling stations and attack
    civilians", "UPDF raids and attacks herders"): "and" right before it, and an actor opening the sentence a few words
    before, with no punctuation between (a clause of its own would name its own subject)."""
    folded, offset = ctx.folded, sc.s.start
    if not _AND_BEFORE.search(folded, max(offset, t.start - 6), t.start):
        return False
    for m in ctx.registry.find(ctx.text[offset : t.start], folded[offset : t.start]):
        gap = folded[offset + m.end : t.start]
        if m.start <= 4 and len(gap.split()) <= _COORDINATED_GAP and not re.search(r"[,;:.()]", gap):
            return True
    return False


# A headline's subject: up to five words (no verb or clause word among them) from the sentence's start, or from a
# heading's colon, to the verb; its last word is read against the lexicon's `headline_subjects`.
_HEADLINE_SUBJECT = re.compile(r"(?:[^:]{0,40}:)?\W*((?:[a-z][\w'\-]*\s+){0,4}([a-z][\w'\-]*))\s+")
_CLAUSE_WORD = re.compile(r"\b(?:is|are|was|were|be|been|has|have|had|will|would|can|could|may|might|must|should|do|does|did"
                          r"|said|says|say|that|which|who|when|while|after|before|as|if|than)\b")


def _headline_subject(ctx: DocContext, sc: _SentenceCtx, t: Trigger) -> bool:
    """Whether a verb trigger follows its headline's own subject, a group of people no registry actor names ("Prison
    warders attack a journalist", "Orma ethnic group attacks villages", "Members of a religious sect attack a woman"):
    short notes and headlines tell acts so, and the subject's last word says who could act ("Heart attack kills" and
    "Elephant attacks tourists" report no political violence)."""
    m = _HEADLINE_SUBJECT.fullmatch(ctx.folded, sc.s.start, t.start)
    if m is None or _CLAUSE_WORD.search(m.group(1)):
        return False
    # a people's bare name alone before the verb is the people acting ("Pokot attack Luhya farmers", "Maasai attack")
    return ctx.lexicon.cue("headline_subjects").fullmatch(m.group(2)) is not None or m.group(1) in ctx.registry.group_words


# between a subject and its verb: nothing, or where they came from ("Raiders from Ethiopia attack a village")
_SUBJECT_GAP_RE = re.compile(r"\s+(?:from\s+(?:the\s+)?[a-z][\w'\-]*(?:\s+[a-z][\w'\-]*)?\s+)?")


_FIRED_GAP = re.compile(r"\s+(?:(?:a|an|the|some|several|dozens of|[\w-]+)\s+){0,2}$")  # "fired four mortar", "launched a barrage of"


def _fired_weapon(ctx: DocContext, sc: _SentenceCtx, t: Trigger) -> bool:
    """Whether a weak weapon trigger is the object of a firing verb just before it ("troops fired four mortar shells
    at the village", "militants launched rockets"): the act is told, not only the weapon named."""
    if EVENT_TYPE_OF.get(t.kind) != "Explosions/Remote violence":
        return False
    lo = max(sc.s.start, t.start - 40)
    return any(_FIRED_GAP.fullmatch(ctx.folded, m.end(), t.start) for m in ctx.lexicon.cue("firing_verbs").finditer(ctx.folded, lo, t.start))


# Between a protest's demand and a later trigger: a new clause of its own, not the demand's object. (Within one clause
# `classify._without_grievance` blanks the demand instead; there ", and" ends it, here a state force as the trigger's
# subject does: "demanding pay, and police arrested five" is an event, "demanding justice for X, and release of Y" not.)
_GRIEVANCE_BREAK = re.compile(r"[;:]|\.\s|\b(?:but|while|when|whereupon|after|before|then|later|until)\b")
_SUBJECT_GAP = 20  # characters before a trigger where a state force names who did it ("police arrested")


def _is_grievance(ctx: DocContext, protest_at: int, trig: Trigger) -> bool:
    """Whether ``trig``, after a protest's trigger at ``protest_at`` in the same sentence, names what the protest
    demands or condemns (``grievance`` cue between them, no new clause since, no state force just before it)."""
    folded = ctx.folded
    cue = None
    for cue in ctx.lexicon.cue("grievance").finditer(folded, protest_at, trig.start):
        pass
    if cue is None or _GRIEVANCE_BREAK.search(folded, cue.end(), trig.start):
        return False
    return ctx.lexicon.cue("state").search(folded, max(cue.end(), trig.start - _SUBJECT_GAP), trig.start) is None


def _read_claims(ctx: DocContext, sc: _SentenceCtx) -> list[tuple[int, Claim]]:
    """Every figure of the sentence as a claim (its document offset, the claim), with claimant and modality."""
    folded, s, sent_f, sent_o, clauses = ctx.folded, sc.s, sc.sent_f, sc.sent_o, sc.clauses
    attributions = sc.attributions
    claims: list[tuple[int, Claim]] = []
    for c in sc.counts:
        attr = attribution_for(attributions, c.start)
        clause = next(((a, b) for a, b in clauses if a <= c.start + s.start < b), (s.start, s.end))
        hyp = sc.hypothetical or is_hypothetical(folded[clause[0] : clause[1]])
        modality = "hypothetical" if hyp else (attr.modality if attr else "asserted")
        if modality == "asserted" and re.search(r"\b(?:denied|denies|deny)\b", sent_f):
            modality = "denied"
        claimant, source = _claimant(ctx, sc, attr)
        claims.append(
            (
                c.start + s.start,
                Claim(
                    quantity=c.quantity,
                    low=c.figure.low,
                    high=c.figure.high,
                    claimant=claimant,
                    modality=modality,
                    subject=c.subject,
                    evidence=Span(c.start + s.start, c.end + s.start),
                    figure=sent_o[c.figure.start : c.figure.end],
                    source=source.name if source else None,
                    source_kind=source.kind if source else None,
                ),
            )
        )
    return claims


def _claimant(ctx: DocContext, sc: _SentenceCtx, attr: Attribution | None) -> tuple[str | None, ClaimantSource | None]:
    """The claimant of a claim, as the text names it, and its registered source; (None, None) when it is no source.

    The claimant registry cuts dates, adverbs and places ("Idleb Meanwhile civil sources" -> "civil sources")
    and refuses events and places ("Last month bombings"); a claimant the document's geoparser read as a
    place ("Paris", "rural Idlib") is no source either.
    """
    if attr is None or not attr.claimant or attr.claimant in _PRONOUN_CLAIMANTS:
        return (attr.claimant if attr else None), None
    at = sc.s.start + attr.start
    claimant, source = ctx.claimants.clean(attr.claimant, lambda: ctx.sources_before(at))
    if claimant is None or source is not None:
        return claimant, source
    found = ctx.text.find(claimant, at, at + 160)
    if found < 0:
        return claimant, None
    if re.search(r"\b[A-Z][\w'\-]*\s+(?:and|or)\s+$", ctx.text[max(sc.s.start, found - 40) : found]):
        return None, None  # "Washington and Paris say": half of a coordinated subject is not the source
    if _is_place(ctx, found, found + len(claimant)):
        # "Activists in Idlib said": the source is the phrase before the place, if there is one
        before = re.search(r"\s+(?:in|at|from|near)\s+$", ctx.text[max(sc.s.start, found - 12) : found])
        if before is None:
            return None, None
        cut = found - len(before.group(0))
        lo = sc.s.start
        phrase, _ = claimant_before(ctx.text[lo:cut], ctx.folded[lo:cut], cut - lo)
        if phrase is None:
            return None, None
        return ctx.claimants.clean(phrase)
    return claimant, None


_PRONOUN_CLAIMANTS = frozenset("he she they it we".split())
_PLACE_FILLER = frozenset("rural eastern western northern southern central east west north south the of countryside countrys country's".split())


def _is_place(ctx: DocContext, start: int, end: int) -> bool:
    """Are the words of ``text[start:end]`` a place name (with compass words), as the geoparser or the country words read them?"""
    words = list(re.finditer(r"[\w'’\-]+", ctx.text[start:end]))
    if not words:
        return False
    # every place mention the geoparser found, metonyms included ("Paris said"): none of them is a source
    spans = [(p.start, p.end) for p in ctx.doc.places if p.start < end and p.end > start]
    for w in words:
        a, b = start + w.start(), start + w.end()
        word = ctx.folded[a:b]
        if word in _PLACE_FILLER or word in ctx.registry.country_words:
            continue
        if not any(pa <= a and b <= pb for pa, pb in spans):
            return False
    return True


def _judge_claims(ctx: DocContext, sc: _SentenceCtx, claims: list[tuple[int, Claim]]) -> list[tuple[int, Claim]]:
    """Which of the sentence's figures may set fatalities (:func:`fogwatch.events.counting.judge_claim`)."""
    s = sc.s
    return [(pos, judge_claim(c, sc.sent_f, c.evidence.start - s.start, ctx.lexicon, lambda who: _is_party(ctx, who))) for pos, c in claims]


def _is_party(ctx: DocContext, claimant: str) -> bool:
    """Does a claimant name a party to the fighting (a ``party`` cue, or an armed actor of the registry)?"""
    return bool(ctx.lexicon.cue("party").search(fold(claimant)) or any(m.entry.inter in (1, 2, 3, 4, 8) for m in ctx.registry.find(claimant)))


def _count_pass(ctx: DocContext, drafts: list[_Draft]) -> None:
    """Report-wide counting: background mentions, types without fatalities, the same dead in two events."""
    seen: set[tuple[str, str | None, int | None]] = set()
    for d in drafts:
        sentence = d.evidence[0] if d.evidence else Span(d.clause[0], d.clause[1])
        dated_here = d.date.span is not None and sentence.start <= d.date.span.start < sentence.end
        d.background = background_reason(ctx.folded[sentence.start : sentence.end], d.trigger.start - sentence.start, d.date, ctx.anchor,
                                         ctx.lexicon, dated_here)
        for i, c in enumerate(d.claims):
            if c.quantity != "killed" or not c.counted:
                continue
            if d.sub in NO_FATALITY_TYPES:
                d.claims[i] = replace(c, counted=False, count_reason=f"no fatalities in a {d.sub.lower()} by ACLED's definition")
                continue
            if c.modality == "claimed" and c.claimant and _is_party(ctx, c.claimant):
                # "claimed" is the text's own doubt ("claim", "allegedly", "if these claims are confirmed", read
                # after the sentence was judged); a party to the fighting as the only source: a claim, not a count
                d.claims[i] = replace(c, counted=False, count_reason=f"doubted: only {c.claimant}, a party to the fighting, claims it")
                continue
            key = (d.sub, _subject_key(ctx.registry, c.subject), c.low)
            if key in seen and not any(c is e for e in d.claims[:i]):
                d.claims[i] = replace(c, counted=False, count_reason="repeat: the same dead are counted in an earlier event of this report")
            seen.add(key)


def _extends_previous(ctx: DocContext, sc: _SentenceCtx, claims: list[tuple[int, Claim]], plain_claims: list[Claim], last: _Draft) -> bool:
    """A sentence that only counts casualties extends the latest event of its paragraph (True: it did)."""
    text, s, index, sentences = ctx.text, sc.s, sc.index, sc.sentences
    same_paragraph = _paragraph(text, sentences[last.sentence_index].start) == _paragraph(text, s.start)
    subjects = [ctx.registry.find(c.subject) for _, c in claims if c.subject]
    additional = any(c.subject and c.subject.lower().split()[0] in ("others", "another", "more") for _, c in claims)
    attacker_hit = last.actor1 is not None and any(
        ctx.registry.resolve(m, ctx.country, None).name == last.actor1.name for ms in subjects for m in ms
    )
    # wire copy puts one sentence per paragraph: the next paragraph still counts the same dead unless
    # it names a town or a date of its own
    towns = ctx.towns_in(s.start, s.end)
    own_town = bool(towns)
    own_date = bool(ctx.date_spans(index, sentences[index]))
    # "Gunmen abducted two aid workers in Mandera on Monday. In Garissa, militants killed three police officers on
    # Tuesday": a town and a day of its own, the town not the last event's place, tell of another event in its paragraph
    # too (a town alone is often a part of the last event's area: "Six children were among the dead in Eastern Ghouta")
    other_town = own_date and last.location is not None and last.location.geonameid is not None and any(
        p.geonameid is not None and p.geonameid != last.location.geonameid for p in towns)
    follows = (same_paragraph and not other_town) or (not own_town and not own_date)
    if follows and index - last.sentence_index <= 2 and not attacker_hit and not additional:
        last.claims.extend(plain_claims)
        last.evidence.append(Span(s.start, s.end))
        return True
    return False


def _actor_mentions(ctx: DocContext, sc: _SentenceCtx) -> list:
    """Actors named in the sentence, less the claimants' names and the denied participants."""
    sent_o, sent_f, attributions = sc.sent_o, sc.sent_f, sc.attributions
    mentions = ctx.registry.find(sent_o, sent_f)
    # a source word ("the ministry said"), or any speaker after the sentence's first trigger ("..., police said"):
    # who reports it, not a side (a speaker before the act, "Police said they arrested five", may be its side)
    first = min((t.start for t in sc.triggers), default=sc.s.end) - sc.s.start
    claimant_spans = [(a.start, a.end) for a in attributions if a.claimant and (_SOURCE_WORDS.search(a.claimant.lower()) or a.start > first)]
    mentions = [m for m in mentions if not any(a <= m.start < b for a, b in claimant_spans)]
    # "no civilians were harmed": a denied participant is no actor
    # "denied targeting civilians": the denied target is no actor either
    mentions = [
        m for m in mentions
        if not re.search(r"\b(?:no|not|without|nor)\s+$|\b(?:denied|denies|deny|denying)\s+(?:\w+ing\s+)?(?:any\s+)?$", sent_f[max(0, m.start - 30) : m.start])
    ]
    return mentions


def _paragraph_drafts(ctx: DocContext, sc: _SentenceCtx, earlier: list[_Draft]) -> list[_Draft]:
    """The drafts of up to three sentences back in the same paragraph, in order."""
    text, s, index, sentences = ctx.text, sc.s, sc.index, sc.sentences
    # the drafts of up to three sentences back in the same paragraph; drafts come in sentence order,
    # so walking back from the end stops early (a scan of all earlier drafts made long documents quadratic)
    para_prev: list[_Draft] = []
    here = _paragraph(text, s.start)
    for e in reversed(earlier):
        if index - e.sentence_index > 3:
            break
        if _paragraph(text, sentences[e.sentence_index].start) == here:
            para_prev.append(e)
    para_prev.reverse()
    return para_prev


def _place_date_actors(ctx: DocContext, sc: _SentenceCtx, made: list[_Draft], mentions: list, para_prev: list[_Draft]) -> list[_Draft]:
    """Each draft's location, date and actors; returns the anaphoric drafts ("the shelling" told again)."""
    s, index, sentences = sc.s, sc.index, sc.sentences
    actor_spans = [(m.start + s.start, m.end + s.start) for m in mentions]
    anaphors: list[_Draft] = []
    for d in made:
        d.location = _location(ctx, d, s, actor_spans)
        if d.location is not None and d.location.geo_precision in (2, 3) and d.location.span is not None:
            # "Troops shelled Kafr Nabl. The shelling in southern Idlib killed 7": the same event, in the town
            region = _place_at(ctx, d.location.span.start)
            for e in reversed(para_prev):
                if e.sub == d.sub and e.location is not None and e.location.geo_precision == 1 and e.location.span is not None:
                    town = _place_at(ctx, e.location.span.start)
                    if town is not None and region is not None and _lies_in(town, region):
                        d.location = e.location
                        break
        d.date = _date(ctx, sentences, index, d)
        year = _draft_year(ctx, d)
        # the document's main country decides who is "abroad"; one odd geoparse must not make the army foreign
        country = ctx.country or (d.location.country_code if d.location else None)
        d.actor1, d.actor2 = _actors(ctx, d, mentions, s, country, year)
        if d.actor1 is None and _anaphoric(ctx, d, s, index, sentences):
            anaphors.append(d)
        if d.actor1 is None:
            # "A car bomb went off in the market": no actor named, so the paragraph's last one
            prior = None
            state = (1, 8)
            for e in reversed(para_prev):
                a = e.actor1
                if a is None or (d.actor2 is not None and a.name == d.actor2.name):
                    continue
                # the other side: a state force attacks non-state actors and the reverse
                if d.actor2 is not None and (d.actor2.inter in state) == (a.inter in state):
                    continue
                prior = a
                break
            if prior is not None:
                d.actor1 = Actor(prior.name, prior.text, prior.inter, prior.subunit, None)
            else:
                d.actor1 = _default_actors(ctx, d, country)[0]  # ACLED's placeholders ("Unidentified Armed Group")
        d.evidence.insert(0, Span(s.start, s.end))
    return anaphors


def _attach_claims(made: list[_Draft], claims: list[tuple[int, Claim]]) -> None:
    """Each claim to the draft of its clause, else the nearest one."""
    for pos, claim in claims:
        best = min(made, key=lambda d: 0 if d.clause[0] <= pos < d.clause[1] else min(abs(pos - d.clause[0]), abs(pos - d.clause[1])))
        best.claims.append(claim)


def _sides_from_claims(ctx: DocContext, made: list[_Draft]) -> None:
    """A missing side named by the claims: the other side's dead, or the victims."""
    for d in made:
        year = int(d.date.date[:4]) if d.date.date else None  # a state force's name of the event's year, as its other side's
        if d.actor1 is None and d.actor2 is not None:
            # "14 militants were killed and 3 soldiers were wounded in clashes": the soldiers are the other side
            for c in d.claims:
                if c.subject:
                    found = ctx.registry.find(c.subject)
                    if found:
                        side = ctx.registry.resolve(found[0], ctx.country, year, c.evidence.start)
                        if side.name != d.actor2.name and side.inter != 7:
                            d.actor1 = Actor(side.name, c.subject, side.inter, side.subunit, None)
                            break
        if d.actor2 is None and d.actor1 is not None:
            # "8 Turkish service members ... died in Syrian Army strikes": the dead name the other side
            for c in d.claims:
                if c.quantity in ("killed", "injured", "captured") and c.subject:
                    found = ctx.registry.find(c.subject)
                    if found:
                        victim = ctx.registry.resolve(found[0], ctx.country, year, c.evidence.start)
                        if victim.name != d.actor1.name:
                            d.actor2 = Actor(victim.name, c.subject, victim.inter, victim.subunit, None)
                            break


def _keep_anchored(ctx: DocContext, sc: _SentenceCtx, made: list[_Draft], anaphors: list[_Draft], earlier: list[_Draft]) -> list[_Draft]:
    """Anaphoric drafts join the event they retell; bare event nouns with nothing to anchor them are dropped."""
    s, index = sc.s, sc.index
    places_here = bool(ctx.places_in(s.start, s.end))
    kept = []
    for d in made:
        if any(d is a for a in anaphors):
            # "Troops shelled Kafr Nabl. Residents said the shelling began at dawn": the same shelling, told again
            target = None
            for e in reversed(earlier):  # drafts are in sentence order: stop three sentences back
                if index - e.sentence_index > 3:
                    break
                if e.sub == d.sub and e.modality != "hypothetical":
                    target = e
                    break
            if target is None and (d.tier <= 1 and _AGENT_NOUN.fullmatch(d.trigger.text) or _GENERIC_ACT.fullmatch(d.trigger.text)
                                   or _IN_THE_ACT.match(ctx.folded, d.trigger.end)):
                # "Gunmen killed three officers. The attackers escaped.": the act's perpetrators told again; "Two
                # policemen were killed in the attack": the act told again by a word of any violence
                target = _perpetrators_of(d, index, earlier)
            if target is not None and d.modality != "hypothetical":
                target.evidence.extend(d.evidence)
                target.claims.extend(d.claims)
                if target.actor2 is None and d.actor2 is not None:
                    target.actor2 = d.actor2
                elif d.actor2 is not None and target.actor2 is not None and d.actor2.inter == target.actor2.inter == 1 and (
                        "security" in (target.actor2.text or "").lower()):
                    # "attacked Kenyan security forces ... Two police killed in the attack": the dead say which force
                    target.actor2 = d.actor2
                continue
        # "the importance of the ongoing clashes": a bare event noun with nothing that anchors it
        anchored = (d.tier >= 3 or d.told or d.actor1 is not None or d.actor2 is not None or d.claims or places_here
                    or d.date.span is not None and s.start <= d.date.span.start < s.end or _sides_follow(ctx.folded, d.trigger))
        if anchored or d.actor1 is not None:
            kept.append(d)
    return kept


# "Clashes between rival ethnic groups", "fighting among clans": the event's sides follow its noun
_BETWEEN_SIDES = re.compile(r"\s+(?:between|among|amongst)\s+(?:the\s+)?(?:two\s+|rival\s+|\w+\s+(?:and|&)\s+)?\w+")
_DEFINITE_BEFORE = re.compile(r"\b(?:the|these|those|such|its|their|his|her|our|this|that)\s+(?:[\w\-]+\s+)?$")


def _sides_follow(folded: str, trigger: Trigger) -> bool:
    """Whether an event noun is followed by its sides, as a headline tells one ("Clashes between rival ethnic groups
    over cattle", "Fighting among clans in Mandera"), not named as known ("the importance of the clashes between them")."""
    return bool(_BETWEEN_SIDES.match(folded, trigger.end)) and not _DEFINITE_BEFORE.search(folded, max(0, trigger.start - 30), trigger.start)


# A trigger that names who acted, not an act: "the attackers" retell the last act; "one of their attacks" is another.
_AGENT_NOUN = re.compile(r"attackers|assailants|gunmen|raiders|perpetrators")
# A word of any violence: "the attack", "the incident" retell the last violent act, whatever its type.
_GENERIC_ACT = re.compile(r"attack|assault|incident|violence")
# "killed in the attack": the dead of an act already told
_IN_THE_ACT = re.compile(r"\s+(?:in|during)\s+(?:the|that|this)\s+(?:\w+\s+)?(?:attack|ambush|assault|incident|raid|blast|explosion|clash|clashes|fighting)\b")
_VIOLENT = frozenset(sub for t in ("Battles", "Explosions/Remote violence", "Violence against civilians") for sub in TAXONOMY[t])


def _perpetrators_of(d: _Draft, index: int, earlier: list[_Draft]) -> _Draft | None:
    """The act an anaphoric draft typed only by its perpetrators ("the attackers", "the assailants") retells: the
    latest violent draft of up to three sentences back that is not hypothetical, whatever its type."""
    for e in reversed(earlier):
        if index - e.sentence_index > 3:
            return None
        if e.sub in _VIOLENT and e.modality != "hypothetical":
            return e
    return None


_DEFINITE_BEFORE = re.compile(r"\b(?:the|this|that|these|those|its|their)\s+(?:[a-z\-]+\s+)?$")
# A sentence that opens on sides already named: "The clan militia agreed ...", "They ..." (not "The army also shelled
# Kafr Nabl": a town of its own makes it another event, see _anaphoric)
_DEFINITE_SUBJECT = re.compile(r"\W*(?:the|they|these|those|both)\b")
_ANOTHER = re.compile(r"\b(?:also|another|other|separate|separately|elsewhere|further|fresh|new|again)\b")  # "airstrikes also killed seven"


def _anaphoric(ctx: DocContext, d: _Draft, s: Sentence, index: int, sentences: list[Sentence]) -> bool:
    """"the shelling", "the attack" with no attacker, town or date of its own: an event already told; so is a
    sentence about the same event's sides ("The clan militia agreed to support them", "They fired on the crowd")
    when it names no town or date of its own (the draft then joins an event of its type just before it)."""
    if not (_DEFINITE_BEFORE.search(ctx.folded[max(s.start, d.trigger.start - 25) : d.trigger.start]) or _IN_THE_ACT.match(ctx.folded, d.trigger.end)
            or _DEFINITE_SUBJECT.match(ctx.folded, s.start, d.trigger.start) and not _ANOTHER.search(ctx.folded, s.start, s.end)):
        return False
    if ctx.towns_in(s.start, s.end):
        return False
    return not ctx.date_spans(index, sentences[index])


def _place_at(ctx: DocContext, start: int):
    i = bisect.bisect_left(ctx.place_starts, start)
    return ctx.places[i] if i < len(ctx.places) and ctx.places[i].start == start else None


def _usable(ctx: DocContext, place, actor_spans: Sequence[tuple[int, int]]) -> bool:
    """Not a country other than the report's own, and not a word inside an actor's name ("Hayat Tahrir al-Sham")."""
    if any(a <= place.start < b for a, b in actor_spans):
        return False
    if not actor_spans and ctx.inside_actor(place):
        return False
    if getattr(place, "feature", "town") == "country" and ctx.country and getattr(place, "country_code", None) != ctx.country:
        return False
    return True


_REGION_FEATURES = ("admin1", "admin2", "region")


def _lies_in(town, region) -> bool:
    """Does a town mention lie in a province/district/region mention (same country, same admin area)?"""
    feature = getattr(region, "feature", "town")
    if feature not in _REGION_FEATURES or town is region:
        return False
    cc = getattr(region, "country_code", None)
    if cc is None or getattr(town, "country_code", None) != cc:
        return False
    if feature == "admin1":
        return getattr(region, "admin1", None) is not None and getattr(town, "admin1", None) == region.admin1
    if feature == "admin2":
        return getattr(region, "admin2", None) is not None and getattr(town, "admin2", None) == region.admin2
    return True  # a named region of the same country ("the Ghouta", "the north"): the town is the finer place


def _location(ctx: DocContext, d: _Draft, s: Sentence, actor_spans: Sequence[tuple[int, int]] = ()) -> Location | None:
    places = ctx.places
    if not places:
        return None
    lo = bisect.bisect_left(ctx.place_starts, s.start)  # the places before the sentence: places[:lo]
    candidates = [p for p in ctx.places_in(s.start, s.end) if _usable(ctx, p, actor_spans)]
    in_sentence = [p for p in candidates if getattr(p, "feature", "town") != "country"] or candidates
    # "Kafr Nabl in southern Idlib": the province qualifies the town; the event is in the town
    towns = [p for p in in_sentence if getattr(p, "feature", "town") == "town" and getattr(p, "precision", 1) == 1]
    if towns:
        in_sentence = [p for p in in_sentence if not any(_lies_in(t, p) for t in towns)]
    reason = "named in the event's sentence"
    place: Place | None
    if in_sentence:
        place = min(
            in_sentence,
            key=lambda p: (
                1 if ctx.country and getattr(p, "country_code", None) not in (ctx.country, None) else 0,
                0 if d.clause[0] <= p.start < d.clause[1] else 1,
                abs(p.start - d.trigger.start),
            ),
        )
    else:
        # the last usable earlier mention that is not a country, else the last usable country; walking back
        # from here stops at the first hit (filtering every earlier place per event made long documents quadratic)
        place = None
        fallback: Place | None = None
        place_i = -1
        for i in range(lo - 1, -1, -1):
            p = places[i]
            if not _usable(ctx, p, ()):
                continue
            if getattr(p, "feature", "town") != "country":
                place, place_i = p, i
                break
            if fallback is None:
                fallback = p
        place = place or fallback
        if place is None:
            return None
        if getattr(place, "feature", "town") in _REGION_FEATURES:
            # "Kafr Nabl in southern Idlib. ... the nearby village": near the town, not somewhere in the province
            for prev in reversed(places[max(0, place_i - 3) : max(0, place_i)]):
                if _usable(ctx, prev, ()) and getattr(prev, "feature", "town") == "town" and _lies_in(prev, place):
                    place = prev
                    break
        reason = "the nearest earlier place mention"
    listed = sorted([place, *_list_mates(ctx, place)], key=lambda p: p.start)
    if len(listed) > 1 and _pointless(place):
        known = [p for p in listed if not _pointless(p)]
        if known:  # ACLED codes the listed place it can find; the others stay as alternatives
            place = known[0]
            reason += "; the first place of its list that the gazetteer knows"
    alternatives = tuple(
        AlternativePlace(getattr(p, "name", None) or p.text, getattr(p, "geonameid", None), getattr(p, "latitude", None),
                         getattr(p, "longitude", None), Span(p.start, p.end))
        for p in listed if p is not place
    )
    if _pointless(place):
        return Location(name=getattr(place, "name", None) or place.text, country_code=getattr(place, "country_code", None),
                        admin1=getattr(place, "admin1", None), admin2=getattr(place, "admin2", None), geo_precision=None,
                        span=Span(place.start, place.end), reason=reason + " (not in the gazetteer)", alternatives=alternatives)
    precision = getattr(place, "precision", 1)
    if reason != "named in the event's sentence" and precision == 1:
        precision = 2  # the event is near, not necessarily in, the last named town
    if alternatives and precision == 1:
        precision = 2  # one of several listed places
    return Location(
        name=place.name,
        geonameid=place.geonameid,
        latitude=place.latitude,
        longitude=place.longitude,
        country_code=place.country_code,
        admin1=place.admin1,
        admin2=place.admin2,
        geo_precision=precision,
        span=Span(place.start, place.end),
        reason=reason,
        alternatives=alternatives,
    )


def _pointless(place) -> bool:
    return getattr(place, "feature", None) == "unresolved" or (getattr(place, "geonameid", None) is None and getattr(place, "latitude", None) is None)


def _list_mates(ctx: DocContext, place) -> list:
    """The other places of the list ``place`` is in ("near Saraqib, Rashidin 4 and Khan Touman"), in text order."""
    i = bisect.bisect_left(ctx.place_starts, place.start)
    if i >= len(ctx.places) or ctx.places[i] is not place:
        return []
    lo = hi = i
    text = ctx.doc.text
    while lo > 0 and list_gap(text[ctx.places[lo - 1].end : ctx.places[lo].start]) is not None:
        lo -= 1
    while hi + 1 < len(ctx.places) and list_gap(text[ctx.places[hi].end : ctx.places[hi + 1].start]) is not None:
        hi += 1
    return [p for p in ctx.places[lo : hi + 1] if p is not place and getattr(p, "feature", "town") not in ("country", "admin1")]


def _date(ctx: DocContext, sentences: list[Sentence], index: int, d: _Draft) -> EventDate:
    s = sentences[index]
    spans = [m for m in ctx.date_spans(index, s) if s.start <= m.start() < s.end]
    # the nearest date before the trigger, else the first after it
    ordered = [m for m in spans if m.start() <= d.trigger.start][::-1] + [m for m in spans if m.start() > d.trigger.start]
    for m in ordered:
        mention = ctx.resolve(m)
        if mention is not None:
            return _event_date(mention, "in the event's sentence: " + mention.reason)
    # the latest date of the same paragraph, up to three sentences back
    para = _paragraph(ctx.text, s.start)
    for j in range(index - 1, max(-1, index - 4), -1):
        prev = sentences[j]
        if _paragraph(ctx.text, prev.start) != para:
            break
        for m in reversed(ctx.date_spans(j, prev)):
            mention = ctx.resolve(m)
            if mention is not None:
                return _event_date(mention, "from an earlier sentence of the paragraph: " + mention.reason)
    # the time frame the report set earlier ("between February 1 and February 7"), known to the week at best
    for j in range(index - 1, max(-1, index - 40), -1):
        prev = sentences[j]
        for m in reversed(ctx.date_spans(j, prev)):
            mention = ctx.resolve(m)
            if mention is not None:
                coarse = DateMention(mention.start, mention.end, mention.date, mention.date_end, max(2, mention.precision), mention.reason)
                return _event_date(coarse, "the report's latest earlier date, to the week: " + mention.reason)
    if ctx.anchor is not None:
        return EventDate(ctx.anchor.isoformat(), None, 2, None, "no date in the text near it: the publication date, to the week")
    return EventDate(None, None, None, None, "no date and no publication date")


def _event_date(m: DateMention, reason: str) -> EventDate:
    return EventDate(m.date.isoformat(), m.date_end.isoformat() if m.date_end else None, m.precision, Span(m.start, m.end), reason)


_SOURCE_WORDS = re.compile(
    r"\b(?:ministry|sources?|officials?|spokes\w*|media|agency|statement|observatory|activists?|monitor|reports?|president|minister|leaders?|"
    r"residents|witnesses|eyewitnesses|locals|villagers|medics|doctors|rescuers|workers|council|defen[cs]e)\b"
)
_PATIENT_BEFORE = re.compile(
    r"(?:\b(?:against|on|(?:positions|points|strongholds|bases|posts|convoy|headquarters|territory|areas) of|at|targeting|targeted|hit|hitting|killing|killed|wounding|injuring|kidnapped|abducted|arrested|detained|captured|"
    r"attack(?:ed|ing)?|shell(?:ed|ing)|bomb(?:ed|ing)|struck|strik(?:e|ing)|from|break|stop|storm(?:ed|ing)?|ambush(?:ed|ing)?|repel(?:led)?|"
    r"raid(?:ed|ing)?|besieg(?:ed|ing)|surround(?:ed|ing)|defeat(?:ed)?|engag(?:ed|ing)|fought|fighting|clashed with|clashes with)\s+"
    r"(?:the\s+)?(?:positions\s+of\s+(?:the\s+)?)?$)"
)
_PASSIVE_AFTER = re.compile(
    r"\s*(?:\w+\s+){0,3}?(?:were|was|have been|has been|had been|are|is|got)\s+(?:\w+ly\s+)?(?:killed|injured|wounded|attacked|targeted|"
    r"hit|captured|arrested|detained|abducted|kidnapped|shelled|bombed|struck|ambushed|besieged|surrounded|shot|executed|expelled|defeated|repelled|"
    r"hacked|stabbed|beaten|lynched|murdered|assassinated|gunned down|stoned|assaulted|lured|overpowered|disarmed)\b"
)
# A headline's passive without its verb "to be": "Two Kenyan police killed in the attack" (a number before the side,
# the participle and then a preposition or the end after it; "Police killed two militants" is active)
_COUNTED_BEFORE = re.compile(r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|dozens of|scores of)\s+(?:[a-z\-]+\s+)?$")
_BARE_PASSIVE_AFTER = re.compile(r"\s*(?:(?:suspects?|members?|fighters?|militants?|supporters?)\s+)?(?:killed|injured|wounded|shot dead|hacked to death)\b"
                                 r"(?=\s*(?:[,.;]|$|in\b|as\b|when\b|during\b|after\b|by\b|on\b|at\b|near\b))")
_HELPER_BEFORE = re.compile(r"\b(?:backed|supported|led|accompanied|assisted|aided|joined|helped|reinforced|escorted)(?:\s+up)?\s+by\s+(?:the\s+)?$")
# "killed by X", "in X's strike", "at the hands of X", "clashes between X and ...", "an attack blamed on X" (ACLED codes the suspect)
_AGENT_BEFORE = re.compile(r"(?:\b(?:by|blamed on|attributed to)\s+(?:the\s+)?$|\bin\s+(?:a\s+|an\s+)?$|\bhands\s+of\s+(?:the\s+)?$|\bbetween\s+(?:the\s+)?$)")


_NOT_THE_HOLDER = re.compile(r"\b(?:is|was|were|are|been|being|of|for|against|after|on)\b")
_OBJECT_BEFORE = re.compile(r"\b(?:of|for|against|with|from|on|by)\s+(?:the\s+)?$")
_HELD_BY = re.compile(r"\b(?:arrested|detained|held|captured|rounded up|picked up)\s+by\b")


def _holds(before: str, between: str) -> bool:
    """Whether a side after ``before`` and followed by ``between`` and then an arrest verb is the verb's subject: a few
    words apart, no passive or preposition between ("militants detained", "militants reportedly detained"; not "a
    member of ... was", not "troops searching for Al Shabaab fighters")."""
    return len(between) <= 25 and not _NOT_THE_HOLDER.search(between) and not _OBJECT_BEFORE.search(before)


def _actors(ctx: DocContext, d: _Draft, mentions: list[ActorMention], s: Sentence, country: str | None, year: int | None) -> tuple[Actor | None, Actor | None]:
    if not mentions:
        if d.sub in _PROTEST_TYPES + _RIOT_TYPES:
            return _default_actors(ctx, d, country)
        return None, None
    in_clause = [m for m in mentions if d.clause[0] <= m.start + s.start < d.clause[1]]
    pool = in_clause or mentions
    folded = ctx.folded
    agents: list[ActorMention] = []
    patients: list[ActorMention] = []
    cued_patients: list[ActorMention] = []
    cued_agents: list[ActorMention] = []
    for m in pool:
        before = folded[max(s.start, m.start + s.start - 40) : m.start + s.start]
        after = folded[m.end + s.start : m.end + s.start + 50]
        if _AGENT_BEFORE.search(before) and not _HELPER_BEFORE.search(before):
            cued_agents.append(m)
        elif _PATIENT_BEFORE.search(before) or _PASSIVE_AFTER.match(after) or (_COUNTED_BEFORE.search(before) and _BARE_PASSIVE_AFTER.match(after)):
            cued_patients.append(m)
        elif ((m.start + s.start) < d.trigger.start or _names_the_side(d, m, s)) and not patients and not cued_patients:
            agents.append(m)
        else:
            patients.append(m)
    patients = cued_patients + patients
    agents = cued_agents + agents
    # passive clause: "X were killed in Y strikes" / "X were attacked by Y"
    if d.sub in _VAC:
        civilians = [m for m in pool if m.entry.inter == 7]
        others = [m for m in pool if m.entry.inter != 7]
        # an armed side the clause tells was struck ("two policemen were killed by gunmen", "1 Mungiki suspect killed
        # by police") is no perpetrator; the one the clause names as the doer ("by police") is
        struck = [m for m in others if m in cued_patients and m.entry.inter in (1, 2, 3, 4, 8)]
        others = [m for m in others if m not in struck]
        others = [m for m in others if m in cued_agents] + [m for m in others if m not in cued_agents]
        a1 = others[0] if others else None
        # a state force the act reaches after its verb ("MRC attacks police officers at their camp"): ACLED's attack is
        # on civilians, so attack_or_clash makes it a clash
        hit = [m for m in patients if m is not a1 and m.entry.inter in (1, 8) and m.start + s.start >= d.trigger.end]
        a2 = civilians[0] if civilians else struck[0] if struck else hit[0] if hit else None
    elif d.sub in _PROTEST_TYPES:
        prot = [m for m in pool if m.entry.inter == 6]
        force = [m for m in pool if m.entry.inter in (1, 8)]
        a1 = prot[0] if prot else None
        a2 = force[0] if force and d.sub != "Peaceful protest" else None
    elif d.sub == "Arrests":
        state = [m for m in pool if m.entry.inter in (1, 8)]
        # Without a state force, an armed side that is the verb's subject holds them ("Al Shabaab detained two
        # traders"); never one the text says was held ("an Al Shabaab member named X was arrested").
        holders = state or ([] if _HELD_BY.search(folded, d.clause[0], d.clause[1]) else [
            m for m in agents if m.entry.inter not in (6, 7) and _holds(folded[max(s.start, m.start + s.start - 12) : m.start + s.start],
                                                                        folded[m.end + s.start : d.trigger.start])])
        a1 = holders[0] if holders else None
        rest = [m for m in pool if m not in state and m is not a1]
        a2 = rest[0] if rest else None
    else:
        # civilians (and protesters) are victims, never the side that shells, bombs or fights
        victims = [m for m in agents if m.entry.inter in (6, 7)]
        agents = [m for m in agents if m.entry.inter not in (6, 7)]
        patients = patients + victims
        a1 = agents[0] if agents else None
        rest = [m for m in patients if m is not a1 and m.entry.name != (a1.entry.name if a1 else None)]
        if not rest and a1 is not None:
            # "Security forces killed two militants in a shootout": both before the trigger, the other side second
            rest = [m for m in agents[1:] if (m.entry.inter in (1, 8)) != (a1.entry.inter in (1, 8))]
        a2 = rest[0] if rest else None
        if d.sub == "Headquarters or base established":
            a2 = None
    place_country = d.location.country_code if d.location else None
    a1 = _designate(ctx, a1, a2, s) if a1 is not None else None
    a2 = _designate(ctx, a2, a1, s) if a2 is not None else None
    r1 = ctx.registry.resolve(a1, country, year, s.start, place_country) if a1 else None
    r2 = ctx.registry.resolve(a2, country, year, s.start, place_country) if a2 else None
    if r1 is not None and r2 is not None and r1.name == r2.name:
        r2 = None  # "regime" and "warplanes" in one phrase are one side, not both
    if r2 is not None and a2 is not None and r2.inter in (1, 8) and ctx.lexicon.cue("off_duty").search(ctx.folded, max(s.start, s.start + a2.start - 20), s.start + a2.end + 30):
        # "killed a government soldier (off-duty) in front of his house": ACLED codes off-duty forces as civilians
        name = "Civilians" + _country_suffix(ctx.registry, d.location, country)
        r2 = Actor(name, r2.text, 7, span=r2.span, reason=f"off duty: a civilian, as ACLED codes them (rules: {r2.name})")

    if r1 is None and d.sub in _PROTEST_TYPES + _RIOT_TYPES:
        r1 = _default_actors(ctx, d, country)[0]
    return r1, r2


def _names_the_side(d: _Draft, m: ActorMention, s: Sentence) -> bool:
    """ "Warplanes bombed the market": a remote-violence trigger that is itself an armed side's mention (warplanes,
    jets, drones, artillery) names who fired."""
    return m.start + s.start == d.trigger.start and EVENT_TYPE_OF.get(d.sub) == "Explosions/Remote violence" and m.entry.inter not in (5, 6, 7)


def _named_group(entry) -> bool:
    """A group the text names ("Jaish al-Islam", "HTS"), not a label, a generic or a state force."""
    return entry.inter in (2, 3, 4) and not entry.label and not entry.localized and not entry.role


def _designate(ctx: DocContext, m: ActorMention, other: ActorMention | None, s: Sentence) -> ActorMention:
    """A partisan label ("terrorists", "Takfiri militants") designates the group the text names: in the sentence,
    else the nearest one named before it in its paragraph (within 1,500 characters). The label stays as the text;
    without a named group the registry resolves the label to ACLED's generic rebels of the country."""
    if not m.entry.label:
        return m
    banned = other.entry.name if other is not None else None
    # a label for insurgents ("militants", "terrorists") designates a rebel group before a clan or communal militia
    # (inter 4) named beside it: "Al Shabaab attacked the army and the Abgal clan militia. The militants took the village."
    here = _rebels_first([x for x in ctx.named_groups(s.start, s.end) if x.entry.name != banned])
    if here:
        pick = min(here, key=lambda x: abs(x.start - m.start))
        return ActorMention(m.start, m.end, m.text, pick.entry, subunit=pick.subunit)
    at = s.start + m.start
    lo = max(at - 1500, _paragraph(ctx.text, s.start))  # the label's own paragraph: a group named further back is another story
    before = _rebels_first([x[1] for x in ctx.named_mentions if lo <= x[0] < s.start and x[1].entry.name != banned])
    if before:
        pick = before[-1]
        return ActorMention(m.start, m.end, m.text, pick.entry, subunit=pick.subunit)
    return m


def _rebels_first(mentions: list[ActorMention]) -> list[ActorMention]:
    """The rebel groups (inter 2) among ``mentions`` when there are any, else all of them (in order)."""
    rebels = [x for x in mentions if x.entry.inter == 2]
    return rebels or mentions


def _country_suffix(registry: ActorRegistry, location: Location | None, country: str | None) -> str:
    """The suffix of a generic actor's name (' (Kenya)'): the event's place's country, else ``country`` (the report's); '' without one."""
    here = location.country_code if location is not None and location.country_code else country
    cname = registry.countries.get(here or "")
    return f" ({cname})" if cname else ""


def _default_actors(ctx: DocContext, d: _Draft, country: str | None) -> tuple[Actor | None, Actor | None]:
    """ACLED's placeholders when the text names nobody: protesters protest, rioters riot (of the event's place's country)."""
    suffix = _country_suffix(ctx.registry, d.location, country)
    if d.sub in _PROTEST_TYPES:
        return Actor(f"Protesters{suffix}", None, 6), None
    if d.sub in _RIOT_TYPES:
        return Actor(f"Rioters{suffix}", None, 5), None
    if d.sub in _VAC or d.sub in ("Suicide bomb", "Remote explosive/landmine/IED", "Grenade"):
        return Actor(f"Unidentified Armed Group{suffix}", None, 3), None
    return None, None


def _subject_key(registry: ActorRegistry, subject: str | None) -> str | None:
    """ "Turkish personnel" and "Turkish soldiers" are one group of dead: the same canonical actor."""
    if not subject:
        return None
    return _subject_key_cached(registry, subject)


@lru_cache(maxsize=4096)
def _subject_key_cached(registry: ActorRegistry, subject: str) -> str:
    found = registry.find(subject)
    if found:
        return found[0].entry.name + "|" + (found[0].country or "")
    return subject.lower().split()[-1]


_GENERIC_DEAD = frozenset("people persons fighters individuals combatants victims men".split())


def _listed_together(text: str, a: Claim, b: Claim) -> bool:
    """Two figures of one claimant listed in one clause: different dead ("an army captain and two soldiers")."""
    gap = text[a.evidence.end : b.evidence.start]
    return a.claimant == b.claimant and 0 <= len(gap) < 40 and not re.search(r"[.;:]", gap) and bool(re.search(r"\b(?:and|plus|as well as)\b|,", gap))


def _fatalities(claims: list[Claim], registry: ActorRegistry, text: str | None = None) -> int | None:
    """ACLED's conservative count: per subject the lowest credible figure; distinct named subjects add up.

    A generic count ("dozens of fighters", "16 people", no subject) may include the named ones,
    so the total is the larger of the generic count and the sum of the named ones, never both added.
    """
    groups: dict[str | None, int] = {}
    generic_sources: set[str | None] = set()
    named_sources: set[str | None] = set()
    listed: dict[str | None, tuple[Claim, int]] = {}  # per key, the last claim and its running list total
    for c in sorted(claims, key=lambda c: c.evidence.start):
        if c.quantity != "killed" or c.low is None or c.modality in ("hypothetical", "denied") or not c.counted:
            continue
        generic = not c.subject or c.subject.lower().split()[-1] in _GENERIC_DEAD
        key = None if generic else _subject_key(registry, c.subject)
        low = conservative(c) or 0
        prev = listed.get(key)
        if prev is not None and text is not None and _listed_together(text, prev[0], c):
            # "1 Karachi policeman and 2 Rangers policemen were killed": one list of different dead, added up
            low += prev[1]
            groups[key] = low if groups.get(key) == prev[1] else min(groups[key], low)
        else:
            groups[key] = min(groups.get(key, low), low)
        listed[key] = (c, low)
        (generic_sources if generic else named_sources).add(c.claimant)
    if not groups:
        return None
    named = sum(v for k, v in groups.items() if k is not None)
    if None in groups and named and generic_sources.isdisjoint(named_sources):
        # "7 civilians" (the Observatory) and "9 people" (activists): two sources' tolls of the same dead,
        # so the lower one; only one source's own total may include its named dead
        return min(named, groups[None])
    return max(named, groups.get(None, 0))


def _confidence(d: _Draft) -> float:
    score = {3: 0.55, 2: 0.45, 1: 0.3}.get(d.tier, 0.3)
    score += 0.12 if d.actor1 else 0.0
    score += 0.05 if d.actor2 else 0.0
    score += 0.1 if d.location else 0.0
    score += 0.08 if d.date.span is not None else 0.0
    score += 0.05 if d.claims else 0.0
    factor = {"asserted": 1.0, "reported": 0.95, "claimed": 0.8, "denied": 0.4, "hypothetical": 0.35}[d.modality]
    return max(0.01, min(0.99, score * factor))


def _fill_unknown_actor2(drafts: list[_Draft]) -> None:
    """A draft that names no second actor is the same event as one that does, when all else agrees.

    "Troops shelled Kafr Nabl on Tuesday. The shelling killed 7 civilians": the first sentence names
    no victim, the second does; one event, not two (ACLED's one-event rule reads an unnamed side as unknown).
    Only when exactly one second actor is named for that sub-type, place, date and first actor.
    """
    named: dict[tuple, set[str]] = {}
    first: dict[tuple, Actor] = {}
    for d in drafts:
        if d.actor2 is not None:
            k = _partial_key(d)
            named.setdefault(k, set()).add(d.actor2.name)
            first.setdefault(k, d.actor2)
    if not named:
        return
    for d in drafts:
        if d.actor2 is None:
            k = _partial_key(d)
            if len(named.get(k, ())) == 1:
                d.actor2 = first[k]


def _partial_key(d: _Draft) -> tuple:
    return (d.sub, d.location.name if d.location else None, d.date.date, d.actor1.name if d.actor1 else None, d.modality == "hypothetical")


def _merge(ctx: DocContext, drafts: list[_Draft]) -> list[Event]:
    _fill_unknown_actor2(drafts)
    _count_pass(ctx, drafts)
    merged: dict[tuple, _Draft] = {}
    order: list[tuple] = []
    # sets beside the lists: a membership test per merged span/claim on a list made long documents quadratic
    seen_evidence: dict[tuple, set[Span]] = {}
    seen_claims: dict[tuple, set[Claim]] = {}
    for d in drafts:
        key = (
            d.sub,
            d.location.name if d.location else None,
            d.date.date,
            d.actor1.name if d.actor1 else None,
            d.actor2.name if d.actor2 else None,
            d.modality == "hypothetical",
        )
        if key in merged:
            m = merged[key]
            have_e, have_c = seen_evidence[key], seen_claims[key]
            for e in d.evidence:
                if e not in have_e:
                    have_e.add(e)
                    m.evidence.append(e)
            for c in d.claims:
                if c not in have_c:
                    have_c.add(c)
                    m.claims.append(c)
            if _STRENGTH[d.modality] > _STRENGTH[m.modality]:
                m.modality, m.attribution = d.modality, d.attribution
            if d.background is None:
                m.background = None  # told as news once: news
            m.tier = max(m.tier, d.tier)
        else:
            merged[key] = d
            order.append(key)
            seen_evidence[key] = set(d.evidence)
            seen_claims[key] = set(d.claims)
    events = []
    for key in order:
        d = merged[key]
        evidence = tuple(sorted(set(d.evidence), key=lambda sp: sp.start))
        digest = hashlib.sha1(f"{ctx.doc.doc_id}|{d.sub}|{evidence[0].start}|{d.trigger.start}".encode()).hexdigest()[:12]
        events.append(
            Event(
                event_id=f"ev-{digest}",
                event_type=EVENT_TYPE_OF[d.sub],
                sub_event_type=d.sub,
                date=d.date,
                location=d.location,
                actor1=d.actor1,
                actor2=d.actor2,
                fatalities=_fatalities(d.claims, ctx.registry, ctx.text),
                claims=tuple(d.claims),
                attribution=ctx.claimants.clean(d.attribution.claimant)[0] if d.attribution else None,
                modality=d.modality,
                confidence=_confidence(d),
                evidence=evidence,
                trigger=ctx.text[d.trigger.start : d.trigger.end],
                type_reason=d.type_reason,
                background=d.background is not None,
                background_reason=d.background,
            )
        )
    return events
