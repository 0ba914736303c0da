"""ACLED's kind of each side, learned from ACLED's own notes, with the rules as features and fallback.

ACLED names most actors by a convention, not as the text does: people protesting are
``Protesters (<country>)`` whoever they are (the party or union is an associated actor), a
mob is ``Rioters (<country>)``, the victims of an attack ``Civilians (<country>)``, unknown
gunmen an ``Unidentified Armed Group (<country>)``, a country's police ``Police Forces of
<country> (<era>)``. Which convention applies is a reading of the whole event, which the
rules get wrong often (a named party leading a protest, victims with no noun).

The n-gram model (``fogwatch/models/actor_kinds``, see its ``card.md``) reads the event's
sentence, its sub-event type and the rules' own kinds of both sides, and gives each side a
kind: one of ACLED's conventions (:data:`TEMPLATES`, ``military``, ``police``), ``named``
(the group the text names: the rules' actor stands) or ``none`` (no second actor). The name
is then made from the registry, the event's country and year, never from the model: the
model chooses a convention, the registry writes it. The model changes a side only when its
probability reaches the threshold stored with it (chosen by cross-validation on the tune part
of ``../shared/train/acled``); each changed actor says so in ``reason``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Any

from fogwatch.errors import ModelError
from fogwatch.events.actors import STATE_NAME, ActorMention, ActorRegistry
from fogwatch.events.model import Actor, Event
from fogwatch.events.taxonomy import EVENT_TYPE_OF
from fogwatch.learn import NgramModel, load_ngram_model

MODEL_NAME = "actor_kinds"

# ACLED's generic actors: kind -> (name before the country, inter); the country follows in brackets
TEMPLATES: dict[str, tuple[str, int]] = {
    "protesters": ("Protesters", 6),
    "rioters": ("Rioters", 5),
    "civilians": ("Civilians", 7),
    "uag": ("Unidentified Armed Group", 3),
    "uem": ("Unidentified Ethnic Militia", 4),
    "ucm": ("Unidentified Communal Militia", 4),
    "uclan": ("Unidentified Clan Militia", 4),
}
UNIDENTIFIED_MILITARY = "Unidentified Military Forces"  # ACLED's name for a state force nobody names, no country
RIOT = "Violent demonstration"  # a protest of rioters
MOB = "Mob violence"  # rioters' violence outside a demonstration
MOB_TYPES = frozenset({"Looting/property destruction", "Armed clash", "Attack", "Remote explosive/landmine/IED", "Grenade",
                       "Change to group/activity"})
KINDS = (*TEMPLATES, "umf", "military", "police", "named", "none")


def kind_of(name: str | None, country: str | None) -> str:
    """The kind of an actor name ("Protesters (Kenya)" -> protesters); ``country``: ACLED's name of the event's country.

    A state force of another country than the event's is ``named`` (the registry names it), as is any name
    that follows no convention.
    """
    if not name:
        return "none"
    if name == UNIDENTIFIED_MILITARY:
        return "umf"
    for kind, (base, _) in TEMPLATES.items():
        if name == base or name.startswith(base + " ("):
            return kind
    m = STATE_NAME.match(name)
    if m and (country is None or m.group(2) == country):
        return m.group(1).lower()
    return "named"


def features(sub_event_type: str | None, kind1: str, kind2: str, has_country: bool) -> dict[str, float]:
    """The rules' reading as the model's named extra features."""
    return {f"sub={sub_event_type or '(none)'}": 1.0, f"k1={kind1}": 1.0, f"k2={kind2}": 1.0, "has_country": 1.0 if has_country else 0.0}


def rioters_riot(event: Event, folded: str = "", program: re.Pattern[str] | None = None) -> Event:
    """ACLED's rioters riot: an event whose first side is rioters (the model's or the rules') is of the Riots type.

    A protest of rioters is a violent demonstration; a looting, clash, attack, bombing or change of activity by
    rioters is mob violence (:data:`MOB_TYPES`); other types (sexual violence, abduction, territory) stand. The typer
    and the actor kinds read the clause apart and disagree there; on the tune part's notes, the actor model
    cross-validated, ACLED coded 70 of 103 protests of the model's rioters as riots (61 violent demonstrations), and
    of 351 looting, clash, attack, bombing or change-of-activity events of rioters 262 as mob violence (36 violent
    demonstrations, 19 as they were typed). ``type_reason`` says what was typed and who made the rioters.

    Rioters whose sentence (in ``folded``, the folded document) names a demonstration they belong to (``program``,
    the lexicon's ``demonstration_program`` cues: "during the ongoing nationwide blockade", "blockaders torched a
    bus") are demonstrators: their mob violence is a violent demonstration. On the tune part's notes, 12 of 12 such
    events the rules typed mob violence were violent demonstrations in ACLED's coding (and 0 of 68 of those whose
    sentence names demonstrations only as their setting, "amid the ongoing demonstrations").
    """
    a1 = event.actor1
    if a1 is None or kind_of(a1.name, None) != "rioters":
        return event
    family = EVENT_TYPE_OF.get(event.sub_event_type)
    if family == "Protests":
        sub = RIOT
    elif event.sub_event_type in MOB_TYPES or event.sub_event_type == MOB:
        sub = MOB
    else:
        return event
    sentence = event.evidence[0] if event.evidence else None
    named = program.search(folded, sentence.start, sentence.end) if sub == MOB and program is not None and sentence is not None else None
    if named is not None:
        return _retyped(event, RIOT, f"rioters of a demonstration: '{named.group(0)}'; typed: {event.sub_event_type}")
    if event.sub_event_type == MOB:
        return event
    who = "the actor kinds'" if (a1.reason or "").startswith("model") else "the rules'"
    return _retyped(event, sub, f"{who} rioters riot; typed: {event.sub_event_type}")


def armed_groups_attack(event: Event) -> Event:
    """ACLED's mob violence is rioters' violence: mob violence the typer's model read (not a mob's own word: "a mob",
    "lynched", "crude bombs") whose first side is an armed group (a rebel group, an unidentified armed group, a
    militia: inter 2-4) is its attack (a clash where the second side is armed, by :func:`attack_or_clash`). On the
    tune part's notes, 24 of 26 such events were attacks in ACLED's coding, 2 armed clashes ("Al Shabaab assaulted a
    civilian pastoralist"); a state force's mob violence stands (the rioters are then often its second side)."""
    a1 = event.actor1
    if event.sub_event_type != MOB or a1 is None or a1.inter not in (2, 3, 4) or not event.type_reason.startswith("model"):
        return event
    return _retyped(event, "Attack", f"an armed group's violence, not rioters': typed {MOB}")


def protesters_protest(event: Event) -> Event:
    """ACLED's protesters protest: an event whose first side is protesters and whose type is neither a protest nor a
    riot is a peaceful protest (a protest with intervention where the second side is a state force). The typer read
    what the protest was about ("protested against the rape of a schoolgirl", "demanding the release of abducted
    students"); on the tune part's notes, the actor model cross-validated, ACLED coded 62 of 73 such events as peaceful
    protests (sexual violence 39 of 45, abduction 20 of 22). ``type_reason`` says what was typed."""
    a1, a2 = event.actor1, event.actor2
    if a1 is None or kind_of(a1.name, None) != "protesters" or EVENT_TYPE_OF.get(event.sub_event_type) in ("Protests", "Riots"):
        return event
    sub = "Protest with intervention" if a2 is not None and a2.inter == 1 else "Peaceful protest"
    why = f"protesters protest; typed: {event.sub_event_type} by '{event.trigger}'"
    return replace(_retyped(event, sub, why), trigger=a1.text or event.trigger)


def attack_or_clash(event: Event) -> Event:
    """ACLED's attack is violence against civilians, its armed clash a fight between armed, organised sides: the
    second side decides between them. An armed clash whose second side is civilians (inter 7) is an attack; an attack
    whose second side is a state force or an armed group (inter 1-4, 8) is an armed clash. On the tune part's notes,
    the actor model cross-validated, ACLED coded 87 of 143 such clashes as attacks (38 as clashes) and 48 of 62 such
    attacks as clashes (12 as attacks). ``type_reason`` says what was typed."""
    a1, a2 = event.actor1, event.actor2
    if a1 is None or a2 is None or a1.inter in (5, 6, 7):
        return event
    if event.sub_event_type == "Armed clash" and a2.inter == 7:
        sub = "Attack"
    elif event.sub_event_type == "Attack" and a2.inter in (1, 2, 3, 4, 8):
        sub = "Armed clash"
    else:
        return event
    return _retyped(event, sub, f"the second side, {a2.name}, makes it: typed {event.sub_event_type}")


def _retyped(event: Event, sub: str, why: str) -> Event:
    """``event`` of sub-event type ``sub`` (and its event type), ``why`` added to its ``type_reason``."""
    return replace(event, event_type=EVENT_TYPE_OF[sub], sub_event_type=sub, type_reason=f"{event.type_reason} ({why})")


@lru_cache(maxsize=2)
def _default_model(slot: int) -> NgramModel | ModelError:
    try:
        return load_ngram_model(f"{MODEL_NAME}/actor{slot}")
    except ModelError as exc:
        return exc


class ActorKinds:
    """Gives each event's sides ACLED's naming convention; ``use_model=False`` (or no artefact) leaves the rules' actors.

    ``models``: the two sides' models (actor1, actor2); None loads the packaged ones.
    """

    def __init__(self, models: tuple[NgramModel, NgramModel] | None = None, use_model: bool = True, threshold: float | None = None) -> None:
        self.models: tuple[NgramModel, NgramModel] | None = None
        self.error: ModelError | None = None
        if use_model:
            loaded = models if models is not None else (_default_model(1), _default_model(2))
            bad = next((m for m in loaded if isinstance(m, ModelError)), None)
            if bad is not None:
                self.error = bad
            else:
                self.models = loaded  # type: ignore[assignment]
        meta = self.models[0].meta if self.models is not None else {}
        self.threshold = float(meta.get("threshold", 1.01)) if threshold is None else threshold

    def kinds(self, event: Event, text: str, cname: str | None) -> tuple[tuple[str, str], tuple[tuple[str, float], tuple[str, float]]]:
        """The rules' kinds of both sides, and the models' best kind with its probability for each."""
        k1 = kind_of(event.actor1.name if event.actor1 else None, cname)
        k2 = kind_of(event.actor2.name if event.actor2 else None, cname)
        if self.models is None:
            return (k1, k2), ((k1, 0.0), (k2, 0.0))
        span = event.evidence[0] if event.evidence else None
        sentence = text[span.start : span.end][:600] if span is not None else ""
        extra = features(event.sub_event_type, k1, k2, cname is not None)
        best = []
        for model in self.models:
            proba = model.predict_proba(sentence, extra)
            top = max(proba, key=lambda c: proba[c])
            best.append((top, proba[top]))
        return (k1, k2), (best[0], best[1])

    def apply(self, event: Event, text: str, registry: ActorRegistry, country: str | None) -> Event:
        """``event`` with each side the models change renamed by ACLED's convention; ``text``: the document text,
        ``country``: ISO code of the document's country (the event's place's country comes first)."""
        if self.models is None:
            return event
        iso = (event.location.country_code if event.location is not None else None) or country
        cname = registry.countries.get(iso or "")
        year = int(event.date.date[:4]) if event.date.date else None
        (k1, k2), ((b1, p1), (b2, p2)) = self.kinds(event, text, cname)
        a1, a2 = event.actor1, event.actor2
        if (b1, b2) == (k2, k1) and k1 != k2 and min(p1, p2) >= self.threshold and not _acted_on(event.sub_event_type, a2):
            # the rules put the sides the wrong way round ("police dispersed protesters" read backwards)
            return replace(event, actor1=_why(a2, f"model (sides swapped; rules: {a1.name if a1 else 'none'})"),
                           actor2=_why(a1, f"model (sides swapped; rules: {a2.name if a2 else 'none'})"))
        if k1 == "named" and b1 not in _FROM_NAMED:
            b1 = k1
        if k2 == "named" and b2 not in _FROM_NAMED:
            b2 = k2
        made1: Any = self._make(b1, registry, iso, cname, year, a1, a2, event, text) if b1 != k1 and p1 >= self.threshold else _KEEP
        made2: Any = self._make(b2, registry, iso, cname, year, a2, a1, event, text) if b2 != k2 and p2 >= self.threshold else _KEEP
        if made1 is _KEEP and made2 is _KEEP:
            return event
        if made1 is not _KEEP and _acted_on(event.sub_event_type, made1):
            made1 = _KEEP  # "police arrested the crowd": the model's rioters are not the arresting side
        if _intervener_dropped(event.sub_event_type, a2, made2):
            made2 = _KEEP
        n1: Actor | None = a1 if made1 is _KEEP else made1
        n2: Actor | None = a2 if made2 is _KEEP else made2
        if n1 is None:
            return event  # an event always has a first side: the rules' stands
        if n2 is not None and (n2.name, n2.subunit) == (n1.name, n1.subunit):
            # the model's second side is the first one again: rioters fighting rioters are one side (ACLED's mob
            # violence), but a state force is never its own opponent ("police clashed with gunmen": the model expected
            # the gunmen first): there the rules' second side stands
            n2 = a2 if made2 is _KEEP or b2 in ("police", "military") else None
            if n2 is not None and (n2.name, n2.subunit) == (n1.name, n1.subunit):
                return event
        return replace(event, actor1=n1, actor2=n2)

    def _make(self, kind: str, registry: ActorRegistry, iso: str | None, cname: str | None, year: int | None,
              current: Actor | None, other: Actor | None, event: Event | None = None, document: str = "") -> Any:
        reason = f"model ({kind}; rules: {current.name if current else 'none'})"
        text = current.text if current is not None else None
        span = current.span if current is not None else None
        if kind == "named":
            if kind_of(current.name if current is not None else None, cname) not in _UNNAMED:
                return _KEEP  # a name, a state force or people named by what they do: the rules' stands
            # a group the text names, though not where the rules looked ("... Al Shabaab claimed responsibility"):
            # the first one in the event's sentence, else in the report, that is not the other side
            if event is None or not document:
                return _KEEP
            sentence = event.evidence[0] if event.evidence else None
            if sentence is None:
                return _KEEP
            taken = {other.name if other is not None else None, current.name if current is not None else None}
            # the event's sentence, then what follows it closely in its paragraph (a claim of responsibility)
            end = document.find("\n", sentence.end)
            after = (sentence.end, min(sentence.end + _AFTER, len(document) if end < 0 else end))
            for lo, hi in ((sentence.start, sentence.end), after):
                if lo == sentence.end and not _CLAIM_VERB.search(document, lo, hi):
                    break  # after the sentence only a claim of the act names its author
                for m in registry.find(document[lo:hi]):
                    if _registered_group(registry, m, taken):
                        named = registry.resolve(m, iso, year, lo, iso)
                        return Actor(named.name, named.text, named.inter, named.subunit, named.span, reason)
            return _KEEP
        if kind == "none":
            return None
        if kind == "umf":
            return Actor(UNIDENTIFIED_MILITARY, text, 8, None, span, reason)
        if kind in TEMPLATES:
            if cname is None:
                return _KEEP  # ACLED's generic names carry the country; without one, the rules' actor stands
            base, inter = TEMPLATES[kind]
            return Actor(f"{base} ({cname})", text, inter, None, span, reason)
        if kind in ("military", "police"):
            if iso is None:
                return _KEEP
            # the rules' own state force of the country, with its unit, when they found it on either side
            for found in (current, other):
                if found is not None and kind_of(found.name, cname) == kind:
                    return Actor(found.name, found.text, found.inter, found.subunit, found.span, reason)
            entry = registry.state_entry(iso, kind)
            if year is not None:
                entry = registry.for_year(entry, year)
            return Actor(entry.name, text, 1, None, span, reason)
        return _KEEP


_KEEP = object()
# ACLED's definitions fix a side in these types, whatever the model reads: the first side of an arrest is the force
# that arrests (rioters, protesters and civilians, inter 5-7, never are: every Arrests row of the tune part agrees), and
# a protest with intervention or with excessive force has the intervening force on one side (a state force there is
# never dropped: every such row of the tune part has one).
_ACTED_ON_TYPES = frozenset({"Arrests"})
_ACTED_ON_INTERS = frozenset({5, 6, 7})
_INTERVENED_TYPES = frozenset({"Protest with intervention", "Excessive force against protesters"})
# The reason the rules give a state force that met a riot in the riot's paragraph (``assemble._riot_met_by_force``):
# the model keeps it (a violent demonstration's police named only as context, "in response to clashes with police",
# the model may still drop).
MET_THE_RIOT = "rules (the state force that met the riot)"


def _acted_on(sub_event_type: str | None, actor: Actor | None) -> bool:
    """Whether ``actor`` cannot be the first side of an event of ``sub_event_type``."""
    return sub_event_type in _ACTED_ON_TYPES and actor is not None and actor.inter in _ACTED_ON_INTERS


def _intervener_dropped(sub_event_type: str | None, current: Actor | None, made: Any) -> bool:
    """Whether the model would drop the state force that intervened in a protest."""
    return (
        (sub_event_type in _INTERVENED_TYPES or (current is not None and (current.reason or "").startswith(MET_THE_RIOT)))
        and made is None and current is not None and current.inter == 1
    )
# A side the rules named (a group, a foreign force) changes only to the conventions that name people by what
# they do: a party's activists protesting are Protesters, its mob Rioters, its victims Civilians.
_FROM_NAMED = frozenset({"named", "protesters", "rioters", "civilians"})
# Kinds that say nobody was named: only these may become the group the text names near the event.
_UNNAMED = frozenset({"none", "uag", "uem", "ucm", "uclan"})
_AFTER = 300  # characters after the event's sentence where the group may be named ("Al Shabaab claimed responsibility")
# "Al Shabaab claimed responsibility", "... claimed the attack"
_CLAIM_VERB = re.compile(r"\bclaim(?:ed|s|ing)?\s+(?:responsibility|the (?:attack|killing|bombing|blast|assault|ambush))"
                         r"|\bresponsibility for\b", re.I)


def _registered_group(registry: ActorRegistry, m: ActorMention, taken: set[str | None]) -> bool:
    """Whether a mention is an armed group the registry names (inter 2-4; not a "<Word> militants" it does not know,
    a partisan label, a generic or a state force) and not one of the ``taken`` sides."""
    e = m.entry
    return registry.entries.get(e.name) is e and e.inter in (2, 3, 4) and not e.label and not e.localized and not e.role and e.name not in taken


def is_unnamed(name: str | None, country: str | None = None) -> bool:
    """Whether an actor name says nobody was named: none, or ACLED's unidentified placeholders."""
    return kind_of(name, country) in _UNNAMED


# "responsibility was claimed by the group"; suspicion names the author as ACLED codes it: "blamed on X", "police blame X", "believed to
# be X" (the group after), "X suspected.", "X are suspected of the attack" (the group before)
_CLAIMED_BY = re.compile(r"\b(?:responsibility|the attack)\s+(?:was|has been|had been)\s+claimed\s+by\s+"
                         r"|\b(?:blamed on|blames?|blamed|attributed to|(?:suspected|believed|said|thought) to (?:be|have been|belong to|be members of|be linked to)"
                         r"|(?:suspected|believed) (?:members|fighters|militants) of)\s+(?:the\s+)?", re.I)
_SUSPECTED = re.compile(r"\b(?:(?:is|are|was|were)\s+)?suspected(?=\s*(?:[.;]|$|,?\s+(?:as|of|in|behind|for)\b))", re.I)
_CLAIMANT_BEFORE = 60  # characters before the verb where its subject (the group) is named


def claimed_by(event: Event, document: str, registry: ActorRegistry, country: str | None) -> Event:
    """``event`` with its first side the group that claims the act, or that the report suspects or blames, when the
    rules found no named one (an unidentified group, or none): ACLED attributes a claimed attack to its claimant
    and a suspected one to the suspect. The claim is read in the
    event's sentence and what follows it in its paragraph (up to :data:`_AFTER` characters); the group is a
    registered armed group (inter 2-4) named just before the claim's verb or after "claimed by", not the other
    side. The actor's ``reason`` quotes the claim."""
    a1 = event.actor1
    iso = (event.location.country_code if event.location is not None else None) or country
    cname = registry.countries.get(iso or "")
    if not is_unnamed(a1.name if a1 is not None else None, cname) or not event.evidence:
        return event
    sentence = event.evidence[0]
    end = document.find("\n", sentence.end)
    hi = min(sentence.end + _AFTER, len(document) if end < 0 else end)
    other = event.actor2.name if event.actor2 is not None else None
    year = int(event.date.date[:4]) if event.date.date else None
    # (where the group may be named, start and end; the claim's verb, start and end; the group is the last one named)
    # (... and whether the words claim the act rather than suspect someone of it)
    windows = [(max(sentence.start, m.start() - _CLAIMANT_BEFORE), m.start(), m.start(), m.end(), True, verb is _CLAIM_VERB)
               for verb in (_CLAIM_VERB, _SUSPECTED) for m in verb.finditer(document, sentence.start, hi)]
    windows += [(m.end(), min(hi, m.end() + _CLAIMANT_BEFORE), m.start(), m.end(), False, "claim" in m.group(0).lower())
                for m in _CLAIMED_BY.finditer(document, sentence.start, hi)]
    for lo, up, verb_start, verb_end, closest_last, claims in windows:
        found = [m for m in registry.find(document[lo:up]) if _registered_group(registry, m, {other})]
        if found:
            m = max(found, key=lambda x: x.start) if closest_last else min(found, key=lambda x: x.start)
            named = registry.resolve(m, iso, year, lo, iso)
            claim = document[min(lo + m.start, verb_start):max(lo + m.end, verb_end)]
            return replace(event, actor1=Actor(named.name, named.text, named.inter, named.subunit, named.span,
                                               f"{'claimed' if claims else 'suspected of'} the act ('{claim[:80]}'); rules: {a1.name if a1 else 'none'}"))
    return event


def _why(actor: Actor | None, reason: str) -> Actor | None:
    return replace(actor, reason=reason) if actor is not None else None
