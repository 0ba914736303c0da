"""Sub-event types from trigger words: a lexicon, a few composition rules, and ACLED's precedence.

The phrases and cue word lists are data (``fogwatch/data/lexicon/*.yaml``, read by
:mod:`fogwatch.events.lexicon`); every function here takes an optional ``lexicon``
(default: the packaged one). One Aho-Corasick automaton finds every trigger phrase
in a folded text in a single pass, so the stage can skip sentences with no trigger at all. Each
trigger carries a sub-event type (or a pseudo-type the context resolves:
``territory`` becomes "Government regains territory" or "Non-state actor
overtakes territory" by who took it; ``protest`` becomes a peaceful protest,
a protest with intervention, excessive force or a violent demonstration by
what else the clause says; ``kill`` becomes an armed clash or an attack on
civilians by who died) and a *tier*:

- 3: a specific tactic or act ("airstrike", "suicide bomber", "arrested");
- 2: a battle or territory word ("clashes", "recaptured");
- 1: generic violence ("killed", "attacked"): it types an event only when
  nothing more specific is in the clause.

When tactics co-occur in one clause the most specific or severe sub-type wins
(:data:`PRECEDENCE`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fogwatch.events.lexicon import Lexicon, default_lexicon

# Most specific / most severe first: the winner when tactics co-occur in one clause.
PRECEDENCE: tuple[str, ...] = (
    "Chemical weapon",
    "Suicide bomb",
    "Sexual violence",
    "Excessive force against protesters",
    "Grenade",
    "Remote explosive/landmine/IED",
    "Air/drone strike",
    "Shelling/artillery/missile attack",
    "Abduction/forced disappearance",
    "Government regains territory",
    "Non-state actor overtakes territory",
    "Armed clash",
    "Mob violence",
    "Violent demonstration",
    "Protest with intervention",
    "Attack",
    "Peaceful protest",
    "Disrupted weapons use",
    "Looting/property destruction",
    "Arrests",
    "Headquarters or base established",
    "Agreement",
    "Non-violent transfer of territory",
    "Change to group/activity",
    "Other",
)
_RANK = {s: i for i, s in enumerate(PRECEDENCE)}
LOOTING = "Looting/property destruction"
# A grenade or a bomb that opens a fight the clause names: the fight is the event.
OPENING_EXPLOSIVES = frozenset({"Grenade", "Remote explosive/landmine/IED"})
ENGAGED = re.compile(r"(?:armed )?clash|engag|exchang\w* (?:of )?(?:gun)?fire|fire ?fight|gun ?fight|gun ?battle|shoot-?out", re.I)
# Violence against people that a theft or destruction in the same clause is part of, when people were hurt (ACLED's
# looting is property taken or destroyed where no other event type applies; an arson attack that hurt nobody stays one).
VIOLENCE_OVER_LOOTING = frozenset({"Attack", "Armed clash", "Mob violence", "Sexual violence", "Abduction/forced disappearance"})

_TERRITORY_OBJECT = re.compile(
    r"^(?:\s+on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|[a-z]+ \d+))?"
    r"(?:\s+(?:the|a|an|several|some|two|three|four|five|\d+|over|more than|at least|approximately|about|most of the|most of|parts of|part of|much of|all|several key))*"
    r"\s*(?:[a-z'\-()]+\s+){0,4}?(?:village|villages|town|towns|city|cities|area|areas|district|districts|neighbou?rhood|neighbou?rhoods|hill|hills|"
    r"region|settlement|settlements|base|airport|airbase|positions|position|territory|territories|control|locality|localities|province|"
    r"outskirts|road|highway|crossroads|junction|camp|checkpoint|quarter|suburb|suburbs|mountain|strongholds?|stronghold|bastion|capital|"
    r"farms|heights|valley|island|oil field|oilfield|border crossing|crossing|dam|bridge|square|compound|camps|port|ports|airfield|hilltop|"
    r"hilltops|fort|outpost|outposts|post|posts|headquarters|barracks|garrison|enclave|pocket|county|municipality|governorate)\b"
)


@dataclass(frozen=True, slots=True)
class Trigger:
    start: int  # relative to the searched string
    end: int
    kind: str  # a sub-event type or a pseudo-type (territory, protest, intervention, riot, kill, none)
    tier: int
    text: str


def find_triggers(
    folded: str, start: int = 0, end: int | None = None, original: str | None = None, lexicon: Lexicon | None = None
) -> list[Trigger]:
    """Trigger phrases in ``folded[start:end]`` (offsets relative to ``folded``), longest wins on overlap.

    ``original`` (the unfolded text, same offsets) lets "captured Saraqib" count as taking a place.
    """
    lex = lexicon or default_lexicon()
    automaton = lex.automaton
    end = len(folded) if end is None else end
    raw: list[Trigger] = []
    # iterate over a slice: pyahocorasick's iter(text, start, end) reads the whole string on every call,
    # which made one long document quadratic (one call per sentence)
    for last, (kind, tier, stem, length) in automaton.iter(folded[start:end]):
        last += start
        s, e = last - length + 1, last + 1
        if s > 0 and (folded[s - 1].isalnum() or folded[s - 1] == "-" and kind != "none"):
            continue
        if stem:
            while e < end and (folded[e].isalpha()):
                e += 1
        elif e < len(folded) and folded[e].isalnum():
            continue
        raw.append(Trigger(s, e, kind, tier, folded[s:e]))
    if "block" in folded[start:end]:
        # "residents blocked the Nkabune-Kathurine road": a named road blocked by a crowd is a protest (the lexicon's
        # "blocked the road" cannot name the road between; "blocked the main highway" after a protest is its violence)
        raw.extend(Trigger(m.start(), m.end(), "protest", 2, m.group(0)) for m in _ROAD_BLOCKED.finditer(folded, start, end)
                   if original is None or any(c.isupper() for c in original[m.start("name") : m.end("name")]))  # a road by its name
    segment = folded[start:end]
    for g in lex.gapped:  # "set two buses ablaze": a phrase with words between its own (the lexicon's "set ... ablaze")
        if g.first in segment:
            raw.extend(Trigger(m.start(), m.end(), g.kind, g.tier, m.group(0)) for m in g.pattern.finditer(folded, start, end))
    raw.sort(key=lambda t: (t.start, -(t.end - t.start)))
    # "backed by Russian air strikes": a supporting tactic, not the event the clause reports
    raw = [
        Trigger(t.start, t.end, t.kind, 1, t.text) if t.tier >= 2 and _SUPPORT_BEFORE.search(folded, max(0, t.start - 40), t.start) else t
        for t in raw
    ]
    out: list[Trigger] = []
    for t in raw:
        if out and t.start < out[-1].end:
            continue
        out.append(t)
    return _filter(folded, out, original, lex)


_ROAD_BLOCKED = re.compile(r"\bblock(?:ed|ing|aded|ading)\s+(?:access\s+(?:on|to)\s+)?(?:the\s+|a\s+)?(?:main\s+)?(?P<name>(?:[\w'\-]+\s+){0,4}?)"
                           r"(?:road|roads|highway|highways|street|streets|junction|roundabout)\b")
_SUPPORT_BEFORE = re.compile(r"\b(?:backed|supported|covered|aided|assisted|helped)(?:\s+up)?\s+by\s+(?:[\w\-']+\s+){0,4}$|\b(?:with the (?:support|help|backing) of|under (?:the )?cover of)\s+(?:[\w\-']+\s+){0,4}$")
_STRIKE_NOT_ATTACK = re.compile(r"(?:hunger|general|labou?r|workers'?|nationwide|transport|teachers'?|doctors'?|on)\s+$")
_SHELL_NOT_ATTACK = re.compile(r"^(?:shell company|shell companies|shell oil|shelled out|shell corporation)")
_AIRCRAFT = frozenset("drone drones helicopter helicopters chopper choppers jet jets warplane warplanes aircraft plane planes".split())
# A trigger that names who reports the event, not what happened: "the air force said", "according to the air force".
_SOURCE_AFTER = re.compile(r"(?:'s)?(?:\s+(?:spokes(?:man|woman|person)|command|commander|chief|statement))?\s+"
                           r"(?:said|says|say|told|stated|announced|reported|added|confirmed|claimed)\b(?!\s+to\b)")
_SOURCE_BEFORE = re.compile(r"(?:\b(?:the|an?)\s+$)")
_ACCORDING_BEFORE = re.compile(r"\b(?:according to|cited|citing|quoted|quoting)\s+(?:the\s+|an?\s+)?$")


_RELATIVE_BEFORE = re.compile(r"\b(?:who|which|that)\s+(?:had\s+|have\s+|has\s+)?(?:been\s+)?$")


def _filter(folded: str, triggers: list[Trigger], original: str | None = None, lexicon: Lexicon | None = None) -> list[Trigger]:
    """Drop readings the context rules out ("hunger strike" is no shelling, "captured" needs a place, "were seen"
    needs an armed side just before it)."""
    lex = lexicon or default_lexicon()
    sighting = lex.cue("sighting")
    out = []
    for t in triggers:
        if t.text in _GATHERED and _PROTEST_AIM.search(folded, t.end, t.end + 80):
            # "traders gathered outside the offices to demand lower fees": a crowd gathered to protest
            out.append(Trigger(t.start, t.end, "protest", 2, t.text))
            continue
        if sighting.fullmatch(t.text):
            near = folded[max(0, t.start - 80) : t.start]
            if not (lex.cue("nonstate").search(near) or lex.cue("state").search(near)) or _RELATIVE_BEFORE.search(near):
                continue  # ("groups of terrorists who had arrived from Iraq were destroyed": what they are, not the act)
        before = folded[max(0, t.start - 24) : t.start]
        if t.kind == "territory" and re.search(r"\b(?:to|attempts? to|attempting to|tried to|trying to|try to|aim(?:ed|ing)? to|bid to)\s+$", before):
            continue
        after = folded[t.end : t.end + 80]
        if t.text in ("strikes", "strike on", "strike against") and _STRIKE_NOT_ATTACK.search(before):
            continue
        if t.text.startswith("shell") and _SHELL_NOT_ATTACK.match(folded[t.start : t.start + 24]):
            continue
        if t.kind == "territory" and t.text not in ("fell into the hands", "fell to", "fallen to", "overran", "overrun", "under control", "full control"):
            if t.text.startswith(("captur", "seiz", "took over", "taken over", "take over", "stormed", "cleared", "liberat", "expelled", "drove", "driven", "pushed")):
                if not _TERRITORY_OBJECT.match(after) and not re.match(r"^\s+(?:the\s+)?[a-z\-']+\s+of\s+", after) and not _looks_like_place(original, t.end):
                    continue
        if t.text in ("established", "establish", "set up", "establishing") and not re.search(
            r"\b(?:camps?|bases?|posts?|headquarters|checkpoints?|outposts?|positions)\s+(?:\w+\s+)?(?:have|has|had|were|was)?\s*been\s+$", before
        ) and not re.match(
            r"^(?:\s+[\w'\-]+){0,4}?\s+(?:base|bases|post|posts|points?|positions?|headquarters|camp|camps|checkpoints?|outposts?|presence|garrison|barracks)\b", after
        ):
            continue
        if t.text in ("demonstrating", "demonstrated", "demonstrate", "demonstrates") and not re.match(
            r"^\s*(?:$|[,.;]|(?:against|in|outside|for|near|on|over|at|across|throughout|peacefully|again|today|yesterday|here)\b)", after
        ) and not _PROTEST_AIM.search(after[:60]):
            continue  # "demonstrating more desperation": showing, not protesting
        if t.text in ("hit",) and not re.match(r"^\s+(?:by|the|a|an|positions|targets|several)\b", after):
            continue
        if t.text in ("mines", "mine") and not re.search(r"(?:land|anti|explod|blast|planted|laid|killed|emplaced|went off|detonat|ground|wounded|hit a)", before + after[:30]):
            continue
        if _STRIKE_DAY.search(t.text) and _DURING.search(before):
            continue  # "during the ongoing nationwide blockade, rioters set fire to a bus": the day's context, not the act
        if t.text in _AIRCRAFT and re.search(r"(?:shot down|downed|intercept)", before + after[:20]):
            continue  # "shot down a government helicopter": the aircraft is the target, not the weapon
        out.append(t)
    sources = [t for t in out if _is_source(folded, t)]
    if sources and any(t.tier >= 3 for t in out if t not in sources):
        # "shot down 14 drones, the air force said": the source yields to the act; alone ("strikes hit the
        # depots, the air force said") it still says which force acted.
        out = [t for t in out if t not in sources]
    return out


def _is_source(folded: str, t: Trigger) -> bool:
    """Whether a trigger names who reports the event: "the air force said", "according to the air force"."""
    return bool(_ACCORDING_BEFORE.search(folded, max(0, t.start - 24), t.start) or (
        _SOURCE_BEFORE.search(folded, max(0, t.start - 5), t.start) and _SOURCE_AFTER.match(folded, t.end)))


# A general strike or blockade named as the time of another act ("during the hartal hours", "amid the blockade")
_STRIKE_DAY = re.compile(r"hartal|blockade")
_DURING = re.compile(r"\b(?:during|amid|amidst|throughout|ahead of|before|after|on the (?:\w+ )?day of)\s+(?:the\s+|a\s+|an\s+)?(?:[\w\-]+\s+){0,3}$")


# What a protest is for or against: after "demonstrated" it makes the word a protest ("demonstrated the headquarters demanding pensions").
_GATHERED = frozenset({"gathered", "were gathering", "was gathering", "assembled"})
_PROTEST_AIM = re.compile(r"\b(?:demand\w*|against|protest\w*|slogans?|condemn\w*|seeking|"
                          r"to (?:demand|denounce|oppose|call for|press for|push for|raise awareness|promote|express|show solidarity))\b")
_CAPITALISED = re.compile(r"\s+(?:the\s+)?(?:[A-Z][\w'’\-]+|al-[A-Z][\w'’\-]+)")
_NOT_PLACE_WORDS = frozenset("The He She They It We I A An In On At By".split())


def _looks_like_place(original: str | None, pos: int) -> bool:
    """After a verb: "liberated Humayra" (a capitalised name follows) in text that has capitals."""
    if original is None:
        return False
    m = _CAPITALISED.match(original, pos)
    return m is not None and m.group(0).split()[-1] not in _NOT_PLACE_WORDS


def clause_bounds(folded: str) -> list[tuple[int, int]]:
    """Clauses of a sentence: split at ';', ', and', ', but', ' while ', ' whereas ', ' and then '."""
    cuts = [0]
    for m in _CLAUSE_SPLIT.finditer(folded):
        cuts.append(m.start())
    cuts.append(len(folded))
    return [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1) if cuts[i + 1] > cuts[i]]


_CLAUSE_SPLIT = re.compile(r";|,\s+(?:and|but|while|whereas)\s|\s+(?:while|whereas|and then|and later|but)\s|\s+and\s+(?=(?:also\s+|later\s+|then\s+|even\s+)?[a-z]+(?:ed|ok|ew|ught|ain|ot|ade)\s+(?:the|a|an|by|in|on|at|to|from|with|over|into|\d|several|two|three|more|his|her|their|its|control|back|off|out|up|down|dozens|hundreds)\b)")


def resolve_kind(kind: str, clause: str, trig_pos: int, lexicon: Lexicon | None = None) -> str | None:
    """A pseudo-type in its clause -> an ACLED sub-event type (None: not an event)."""
    lex = lexicon or default_lexicon()
    nonstate_cues, state_cues = lex.cue("nonstate"), lex.cue("state")
    if kind == "territory":
        before, after = clause[:trig_pos], clause[trig_pos:]
        if re.search(r"\b(?:were|was|been|being)\s+$", before) and not re.match(r"^[a-z\-]+\s+by\b", after):
            # "the Nusra terrorists were pushed back": the subject lost the ground
            near = before[-40:]
            ns, st = nonstate_cues.search(near), state_cues.search(near)
            if ns and (not st or ns.start() < st.start()):
                return "Government regains territory"
            if st:
                return "Non-state actor overtakes territory"
        taker = re.match(r"^[a-z\-]*(?:\s+\w+){0,6}?\s+(?:by|into the hands of|to|of)\s+(?:the\s+)?(?:[\w\-']+\s+){0,2}", after)
        if taker:
            tail = after[taker.start() : taker.end() + 30]
            ns_after, st_after = nonstate_cues.search(tail), state_cues.search(tail)
            if re.search(r"\b(?:by|hands of|fell to|fallen to)\b", tail[:60]) and (ns_after or st_after):
                if ns_after and (not st_after or ns_after.start() < st_after.start()):
                    return "Non-state actor overtakes territory"
                return "Government regains territory"
        ns = nonstate_cues.search(before)
        st = state_cues.search(before)
        if ns and (not st or ns.start() < st.start()):
            return "Non-state actor overtakes territory"
        if st:
            return "Government regains territory"
        if nonstate_cues.search(after) and re.search(r"\bfrom\b", after):
            return "Government regains territory"
        if state_cues.search(after) and re.search(r"\bfrom\b", after):
            return "Non-state actor overtakes territory"
        return "Government regains territory"
    if kind == "protest":
        if lex.cue("lethal").search(clause):
            return "Excessive force against protesters"
        return "Peaceful protest"
    if kind == "kill":
        return "Attack" if _victims_civilian(clause, lex) else "Armed clash"
    if kind in ("intervention", "riot", "none", "weapon"):
        return None
    return kind


def _victims_civilian(clause: str, lex: Lexicon) -> bool:
    """Were the people hurt civilians? Look at who follows a killing verb ("killing 6 civilians") or precedes a passive one."""
    civilian_cues, combatant_cues = lex.cue("civilian"), lex.cue("combatant_victim")
    civ_votes = comb_votes = 0
    for m in lex.cue("harm_verbs").finditer(clause):
        after = clause[m.end() : m.end() + 50]
        before = clause[max(0, m.start() - 50) : m.start()]
        passive = re.search(r"\b(?:were|was|been|are|is)\s+$", before)
        window = before if passive else after
        c, k = civilian_cues.search(window), combatant_cues.search(window)
        if c and (not k or c.start() < k.start()):
            civ_votes += 1
        elif k:
            comb_votes += 1
    if civ_votes or comb_votes:
        return civ_votes >= comb_votes
    return bool(civilian_cues.search(clause)) and not combatant_cues.search(clause)


_WEAPONS = r"(?:weapons?|arms|guns?|firearms?|pistols?|rifles?|kalashnikovs?|ammunitions?|ammo|rounds|bullets|explosives?|explosive devices?|ieds?|vbieds?|(?:land)?mines|grenades?|rockets?|missiles?|bombs?|mortars|caches?|depots?|launchers?|detonators?|tnt|devices)"
_DISRUPT = re.compile(
    r"\b(?:seiz\w*|found|discover\w*|recover\w*|confiscat\w*|defus\w*|dismantl\w*|cleared|destroy\w*|intercept\w*|uncover\w*|unearth\w*|"
    r"identified|removed|haul|shot down|downed|neutrali[sz]\w*|captured)\b[^.;]{0,80}?\b" + _WEAPONS + r"\b|\b" + _WEAPONS +
    r"\b[^.;]{0,60}?\b(?:were|was|have been|had been|being)\s+(?:\w+\s+)?(?:seized|found|discovered|recovered|confiscated|defused|dismantled|"
    r"cleared|destroyed|intercepted|uncovered|captured|shot down)\b"
)
# A device that went off before its use, in its makers' hands: their weapons use was disrupted, whoever it killed
# ("an IED exploded while the militants were planting it", "a bomb detonated prematurely")
PREMATURE = re.compile(
    r"\b(?:exploded|detonated|went off|blew up)\s+(?:prematurely|accidentally)|\bpremature(?:ly)?\s+(?:explosion|detonation|blast)"
    r"|\b(?:exploded|detonated|went off)\s+while\s+(?:[\w'-]+\s+){0,6}?(?:was|were)\s+(?:planting|assembling|making|preparing|"
    r"transporting|handling|setting up|laying|burying)\b"
)
PROTESTER_VIOLENCE = re.compile(
    r"\b(?:threw|throwing|hurled|pelted|rocks|stones|bottles|projectiles|molotov\w*|petrol bombs?|set fire|light fires|lit fires|torched|"
    r"vandali[sz]\w*|smashed|looted|pull(?:ed)? down|tore down|removed the fences|stormed|clash\w*|turned violent|turn violent|violent clashes|"
    r"burn(?:t|ed|ing)? (?:\w+ )?tyres|burn(?:t|ed|ing)? (?:\w+ )?tires|bonfires|"
    r"violence (?:erupted|broke out)|(?:nights|days) of (?:street )?violence|street violence|rampag\w*|scuffles?|"
    r"barricad(?:ed|ing|es)|block(?:ed|ing) (?:\w+ )?(?:streets|roads|highways|the road|thoroughfares|traffic|railway|rail tracks))\b"
)
_INTERVENTION = re.compile(r"\b(?:arrest\w*|detain\w*|suppress\w*|pepper.spray\w*|dispers\w*|halt\w*|tear.?gas|water cannons?|batons?|police (?:fired|used|charged|beat))\b")


def combine(triggers: list[Trigger], clause: str, offset: int = 0, lexicon: Lexicon | None = None) -> list[tuple[str, Trigger]]:
    """The sub-event types one clause supports, best first, with the trigger that typed each.

    Composition: a protest with intervention words is a protest with intervention, with
    lethal force it is excessive force, with rioting it is a violent demonstration; riot
    words alone are a violent demonstration.
    """
    lex = lexicon or default_lexicon()
    triggers = _without_cause_of_clash(triggers, clause, offset)
    kinds = {t.kind for t in triggers}
    out: list[tuple[str, Trigger]] = []
    protest = next((t for t in triggers if t.kind == "protest"), None)
    riot = next((t for t in triggers if t.kind == "riot"), None)
    mob = next((t for t in triggers if t.kind == "Mob violence"), None)
    intervention = next((t for t in triggers if t.kind == "intervention" and disperses_crowd(t, clause, offset, lex)), None)
    if intervention is not None and all(t.kind in ("intervention", "none", "weapon") for t in triggers):
        # "Police fired tear gas to disperse party supporters": a gathering a force broke up is a protest with
        # intervention, though the text never says it protested (where the clause tells of no other act: "disperse
        # clashes between rival supporters" is the clash)
        out.append(("Protest with intervention", intervention))
    if anchor := protest or riot:
        # what the protest demands or condemns is not what happened at it ("demanding the release of students
        # detained by police" is no intervention)
        clause, kinds = _without_grievance(clause, anchor.start - offset, triggers, offset, lex)
        lethal = lex.cue("lethal").search(clause)
        if re.search(r"\battack\w*\s+(?:a|the|an)\s+(?:peaceful\s+)?(?:rally|protest|demonstration|march|sit-in)", clause) or mob:
            out.append(("Mob violence", anchor))
        elif (lethal and re.search(r"\b(?:police|security forces|troops|soldiers|army|forces|guards|gunfire|shot|bullets)\b", clause)) or (
            lex.cue("excessive_force").search(clause) and re.search(r"\b(?:police|security|forces|troops|soldiers|army|authorities|government|regime)\b", clause)
        ):
            out.append(("Excessive force against protesters", anchor))
        elif riot or PROTESTER_VIOLENCE.search(clause):
            out.append(("Violent demonstration", anchor))
        elif "intervention" in kinds or _INTERVENTION.search(clause):
            out.append(("Protest with intervention", anchor))
        else:
            out.append(("Peaceful protest", anchor))
    for t in triggers:
        if t.kind in ("protest", "riot", "intervention", "none", "weapon"):
            continue
        if t.kind == "Mob violence" and (protest or riot):
            continue
        if (protest or riot) and t.kind in ("Shelling/artillery/missile attack", "Grenade", "Air/drone strike", "kill"):
            continue  # "projectiles", "stun grenades", "rubber bullets" around a protest are its story, not another event
        sub = resolve_kind(t.kind, clause, t.start - offset, lex)
        if sub:
            out.append((sub, t))
    if _DISRUPT.search(clause) and not lex.cue("casualty").search(clause) and triggers and not any(
        t.kind == "Air/drone strike" and t.tier == 3 for t in triggers
    ):
        out.insert(0, ("Disrupted weapons use", triggers[0]))
        return [out[0]] + [o for o in out[1:] if o[0] != "Disrupted weapons use"]
    if any(sub == "Change to group/activity" for sub, _ in out) and lex.cue("change_context").search(clause) and not lex.cue("attack_verbs").search(clause):
        change = next(o for o in out if o[0] == "Change to group/activity")
        return [change] + [o for o in out if o is not change]
    if not out:
        return []
    if any(sub == LOOTING for sub, _ in out) and any(sub in VIOLENCE_OVER_LOOTING for sub, _ in out) and (lex.cue("casualty").search(clause) or any(
            sub in VIOLENCE_OVER_LOOTING and lex.cue("civilian").search(clause, max(0, t.end - offset)) for sub, t in out)):
        # "killed four herders and stole their cattle", "attack villagers and steal cattle" (people after the violence
        # word, not its subject: "locals vandalized a truck"): ACLED codes the violence; the theft is part of it
        out = [o for o in out if o[0] != LOOTING]
    if any(sub == "Armed clash" and engages(t, clause, offset) for sub, t in out) and any(sub in OPENING_EXPLOSIVES for sub, _ in out):
        # "engaged them in an armed clash after the militants threw a hand grenade": the fight is the event, the
        # grenade or bomb opened it (ACLED codes the clash)
        out = [o for o in out if o[0] not in OPENING_EXPLOSIVES]
    best_tier = max(_tier(sub, t) for sub, t in out)
    top = [(sub, t) for sub, t in out if _tier(sub, t) == best_tier]
    top.sort(key=lambda st: _RANK[st[0]])
    seen: set[str] = set()
    ordered = []
    for sub, t in top:
        if sub not in seen:
            seen.add(sub)
            ordered.append((sub, t))
    return ordered


_CROWD_CONTROL = re.compile(r"tear|water cannon|dispers|baton|lathi|rubber bullet|broke up|pepper|stun grenade|cane")


def disperses_crowd(t: Trigger, clause: str, offset: int, lex: Lexicon) -> bool:
    """Whether the intervention ``t`` is a crowd-control act (tear gas, a dispersal, batons: not an arrest or a crackdown)
    aimed at people gathered (the ``dispersed_crowd`` cues within five words after it: "dispersed Jubilee supporters",
    "fired tear gas at crowds of residents")."""
    if not _CROWD_CONTROL.match(t.text):
        return False
    after = clause[t.end - offset : t.end - offset + 60]
    m = lex.cue("dispersed_crowd").search(after)
    return m is not None and len(after[: m.start()].split()) <= 5 and not re.search(r"[.;:]", after[: m.start()])


# Where a protest's demand ends: a new clause ("..., demanding pay, and threw stones at the police").
_GRIEVANCE_END = re.compile(r"[;:]|\.\s|,\s+and\b|\b(?:but|while|when|where|whereupon|as|who|which|then|before|after|until)\b")
_GRIEVANCE_MAX = 100  # characters: a demand is a phrase, not the rest of a long sentence


# "over" and what a clash was fought over; not a time ("over the weekend", "over three days") or a place ("over the border")
_OVER = re.compile(r"\bover\b(?!\s+(?:the\s+)?(?:weekend|past|last|next|previous|coming|following|night|course|period|years?|months?|weeks?|days?|hours?"
                   r"|\d+|two|three|four|five|several|many|border|river|bridge|area|town|city|village|region|line)\b)")
_CAUSE_REACH = 60  # characters after a clash word where "over" says what it was fought over


def _without_cause_of_clash(triggers: list[Trigger], clause: str, offset: int) -> list[Trigger]:
    """``triggers`` less those in what a clash was fought over ("two groups clashed at the university over control of
    two rooms", "villagers clashed over the sexual harassment of a girl"): the cause, not another event."""
    clash = next((t for t in triggers if t.kind == "Armed clash" and t.text.startswith("clash")), None)
    if clash is None:
        return triggers
    over = _OVER.search(clause, clash.end - offset)
    if over is None or over.start() - (clash.end - offset) > _CAUSE_REACH or _GRIEVANCE_END.search(clause, clash.end - offset, over.start()):
        return triggers
    end = _GRIEVANCE_END.search(clause, over.end())
    stop = min(end.start() if end else len(clause), over.end() + _GRIEVANCE_MAX)
    return [t for t in triggers if not over.end() <= t.start - offset < stop]


_CONTEXT_BEFORE = re.compile(r"\b(?:during|amid|amidst|in the course of)\s+(?:[\w'\-]+\s+){0,3}$")


def engages(t: Trigger, text: str, offset: int = 0) -> bool:
    """Whether an armed-clash trigger reports the fight itself ("clashed with", "engaged them in an armed clash"), not
    the time of another act ("grenades were hurled during Friday's armed clashes"); ``text`` starts at ``offset``."""
    at = t.start - offset
    return bool(ENGAGED.match(t.text)) and not _CONTEXT_BEFORE.search(text[max(0, at - 60) : at])


def _without_grievance(clause: str, anchor: int, triggers: list[Trigger], offset: int, lex: Lexicon) -> tuple[str, set[str]]:
    """``clause`` with what a protest (its trigger at ``anchor``) demands or condemns blanked out (``grievance`` cue
    up to the next clause), and the kinds of the triggers left outside it."""
    spans: list[tuple[int, int]] = []
    for m in lex.cue("grievance").finditer(clause, max(0, anchor)):
        if spans and m.start() < spans[-1][1]:
            continue
        end = _GRIEVANCE_END.search(clause, m.end())
        spans.append((m.start(), min(end.start() if end else len(clause), m.end() + _GRIEVANCE_MAX)))
    if not spans:
        return clause, {t.kind for t in triggers}
    out = list(clause)
    for a, b in spans:
        out[a:b] = " " * (b - a)
    inside = lambda t: any(a <= t.start - offset < b for a, b in spans)
    return "".join(out), {t.kind for t in triggers if not inside(t)}


def _tier(sub: str, t: Trigger) -> int:
    if sub in ("Excessive force against protesters", "Violent demonstration", "Protest with intervention", "Peaceful protest", "Mob violence"):
        return 3
    return t.tier


# --- a snippet -> one label (the CASE 2021 evaluation) -------------------------------------


def classify_text(text: str, lexicon: Lexicon | None = None) -> tuple[str | None, float]:
    """The main sub-event type of a short report, or None when it reports no ACLED event.

    Scores each candidate over the whole snippet: tier first, then how often it is
    triggered, then precedence. Non-event words (disasters, crime, diplomacy) win only
    when nothing of tier 3 fires. ``lexicon``: the packaged one unless given (:func:`load_lexicon`).
    """
    from fogwatch.text.normalize import fold

    lex = lexicon or default_lexicon()
    casualty, air_attack, responsibility = lex.cue("casualty"), lex.cue("air_attack"), lex.cue("responsibility")
    folded = fold(text)
    triggers = find_triggers(folded, original=text, lexicon=lex)
    if not triggers:
        return None, 0.0
    scores: dict[str, float] = {}
    none_score = 0.0
    for start, end in clause_bounds(folded):
        clause_trigs = [t for t in triggers if start <= t.start < end]
        none_score += sum(1.0 for t in clause_trigs if t.kind == "none")
        for rank, (sub, t) in enumerate(combine(clause_trigs, folded[start:end], start, lex)):
            tier = _tier(sub, t)
            scores[sub] = scores.get(sub, 0.0) + tier * (1.0 if rank == 0 else 0.5)
    kinds = {t.kind for t in triggers}
    violent = kinds & {"kill", "Armed clash", "Air/drone strike", "Shelling/artillery/missile attack", "Suicide bomb",
                       "Remote explosive/landmine/IED", "Grenade", "Chemical weapon"}
    if "Non-violent transfer of territory" in kinds and not violent:
        # "entered the town after the YPG pulled out": ground changed hands without a fight
        scores["Non-violent transfer of territory"] = scores.get("Non-violent transfer of territory", 0.0) + 3.0
    whole = combine([t for t in triggers if t.kind != "none"], folded, 0, lex)
    if whole:
        sub, t = whole[0]
        scores[sub] = scores.get(sub, 0.0) + 1.5
    if _DISRUPT.search(folded) and not casualty.search(folded) and "Disrupted weapons use" not in scores:
        scores["Disrupted weapons use"] = 3.0
    if responsibility.search(folded):
        return None, 0.3
    if _DISRUPT.search(folded) and not casualty.search(folded) and not air_attack.search(folded):
        return "Disrupted weapons use", 0.6  # weapons found, seized, defused, destroyed in their caches
    if _DIPLOMACY.search(folded) and not casualty.search(folded):
        return None, 0.3  # sanctions, expulsions, appeals: CASE's DIPLO, no ACLED event
    if _ACCIDENT.search(folded) and scores and max(scores, key=lambda s: (scores[s], -_RANK[s])) in (
        "Remote explosive/landmine/IED", "Attack", "Armed clash", "Chemical weapon", "Non-violent transfer of territory", "Shelling/artillery/missile attack"
    ):
        return None, 0.3  # a claim of (or denial of) responsibility: CASE's ATTRIB, no ACLED event
    if not scores:
        return None, 0.0
    best = max(scores, key=lambda s: (scores[s], -_RANK[s]))
    if none_score >= 1.0 and best in ("Remote explosive/landmine/IED", "Attack", "Armed clash", "Chemical weapon") and scores[best] <= 3.0 * none_score:
        return None, 0.3  # an explosion at a plant, deaths from poisoning: accidents, not attacks
    if none_score >= 2.0 and scores[best] <= 1.5 * none_score:
        return None, 0.3
    return best, min(1.0, scores[best] / 6.0)


_DIPLOMACY = re.compile(r"\b(?:sanctions?|expell?(?:ed|s)? (?:\w+ )?diplomats|diplomats? (?:were |was )?expelled|foreign minister|urged? (?:his|her|the) counterpart|ambassadors?)\b")
_ACCIDENT = re.compile(
    r"\b(?:(?:chemical|fertili[sz]er|power|gas|oil|nuclear)\s+plant|factory|warehouse|refinery|transformer|propane|gas cylinders?|boiler|"
    r"crash\w*|collision|derail\w*|flood\w*|torrential|heavy rain\w*|earthquake\w*|landslide\w*|rubble|disaster|storm|cyclone|typhoon|wildfire)\b"
)
