"""Toponym recognition: gazetteer look-ups over capitalised chains, read in context.

No statistical NER: the text is cut into runs of capitalised words (with the
connectors place names contain: al-, de, of, upon…), each run is matched
longest-first against the gazetteer's name keys, and the words around a match
decide what it is:

- a locative cue before it ("near", "the outskirts of", "the village of",
  "east of", "in") and a part word after it ("countryside", "front") set the
  precision it supports;
- an actor word after it ("Idlib groups", "the Aleppo Front") or a "pro-"
  before it makes it an actor/adjective use, not a place;
- a demonym ("Syrian") is evidence for the document's country, never a place;
- a name that is also a common word ("Post", "Bab") or only part of a longer
  capitalised run needs that evidence before it counts;
- a capitalised run after a strong pattern ("the village of Rajm Judran",
  "the towns of X, Y and Z") that the gazetteer lacks is kept as unresolved.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from fogwatch.places import syria
from fogwatch.places.gazetteer import Candidate, Entry, Gazetteer, strip_admin_suffix
from fogwatch.places.keys import ARABIC_COMMON_NOUNS, ARTICLES, common_words, english_words, name_key
from fogwatch.places.roles import RoleTables, load_roles
from fogwatch.text.normalize import fold

MAX_NAME_WORDS = 6
# An English word (of the 30,000 most frequent) naming only places smaller than this needs evidence ("Congress", AZ).
SMALL_NAMESAKE = 10_000
_PLURAL_ACRONYM = re.compile(r"[A-Z]{2,5}s")  # "MPs", "IDPs": members of parliament, not Mount Pleasant
LISTED_NOTE = "listed with a known place"  # a name in a list that a known place with a weak cue opens

# A word, with inner apostrophes ("Dar'a", "Ma'arrat") but never a possessive "'s".
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:['\u2019\u2018\u02bf\u02be`](?!s\b)[^\W\d_]+)*")
# Words inside a place name that are not capitalised.
_CONNECTORS = ARTICLES | frozenset("of de del della la le les du des upon on am an der den di da do dos das y bin ibn bani en sur au aux".split())
_INITIALS_BEFORE = re.compile(r"((?:[A-Z][\w'\-]*\s+(?:(?:of|and|for|the|de|du|al)\s+)*){2,8})\(\s*$")


def _abbreviates_before(text: str, start: int, end: int, gazetteer: Gazetteer) -> bool:
    """Whether ``text[start:end]`` is an acronym in brackets made of the initials of the capitalised words just before
    it, and those words are no place: "Supreme Court (SC)", "Southern Railway Mazdoor Union (SRMU)" (but "Democratic
    Republic of Congo (DRC)" is the place again)."""
    acronym = text[start:end]
    if not (acronym.isupper() and 2 <= len(acronym) <= 8 and text[end : end + 1] == ")"):
        return False
    m = _INITIALS_BEFORE.search(text, max(0, start - 120), start)
    if m is None:
        return False
    words = m.group(1).split()
    initials = "".join(w[0] for w in words if w[0].isupper())
    if not initials.endswith(acronym.replace("-", "")):
        return False
    return not any(gazetteer.lookup(name_key(" ".join(words[k:]))) for k in range(len(words) - 1))


# Words after a place name that make an institution of it ("Alexandria City Council"): the place
# at the start of such a run is still a place; at the start of any other run it is probably a name.
_INSTITUTION_WORDS = frozenset(
    """county parish city town village police fire department sheriff sheriff's school schools high elementary
    middle university college hospital council board court courthouse airport library church park road street
    mayor public
    avenue boulevard highway river lake valley bay beach area region district state province governorate
    government army military forces officials times post herald tribune news daily journal gazette
    chamber commission authority center centre club stadium mall station international regional metropolitan"""
    .split()
)
_ORG_WORDS = frozenset("amnesty international human rights watch observatory organization organisation committee".split())
_DOTTED_PREFIXES = frozenset(("st", "mt", "ft", "ste", "pt"))  # "St. Petersburg", "Mt. Hood"
# Capitalised words that never start or make up a one-word place on their own.
_STOP = frozenset(
    """the a an and or but if in on at of to for from by with as this that these those it its he she they we you i
    his her their our my your there here when while after before since until during mr mrs ms dr gen col lt sgt
    president minister general king prince sheikh emir imam pope saint god allah jesus
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thurs
    fri sat sun sunni sunnis shia shiite shiites alawite alawites christian christians muslim muslims arab arabs
    kurd kurds druze islamic jewish jews levant
    north south east west northern southern eastern western central northeast northwest southeast southwest
    northeastern northwestern southeastern southwestern acting former
    said says according also however meanwhile today yesterday tomorrow"""
    .split()
)
# A name before these words names a group of people ("Idlib groups", "Daraa rebels"). A country's
# "officials", "forces" or "government" still mention the country, so those words are not here.
_ACTOR_AFTER = re.compile(
    r" (?:groups?|rebels?|militants?|fighters?|factions?|brigades?|battalions?|"
    r"militias?|jihadists?|insurgents?|operations room|military council|regime|gunmen|tribes?|clan)\b"
)
# "Idlib-backed" is an actor; "California-based", "Aleppo-born" keep their place.
_BASED_AFTER = re.compile(r"-(?:backed|led|controlled|held|allied|affiliated)\b")
_FRONT_AFTER = re.compile(r" front(?:line)?s?\b")
_LOCATIVE_FRONT_BEFORE = re.compile(r"\b(?:on|along|at|across|to|toward|towards|from) the $")
_PART_AFTER = re.compile(r" (?:countryside|outskirts|suburbs?|environs|surroundings|hinterland|periphery|plains?|desert|area|region|zone|pocket|enclave|front ?lines?)\b")
_ADMIN_AFTER = re.compile(r" (province|governorate|district|county|parish|region|state|oblast|prefecture|muhafazah|subdistrict|sub-district|nahiya|nahiyah|municipality)\b")
_ADMIN_OF_BEFORE = re.compile(r"\bthe (province|governorate|state|region|prefecture|county|district) of $")
_NEAR_BEFORE = re.compile(
    r"(?:\bnear(?:by)?|\bclose to|\boutskirts of|\bsuburbs? of|\bvicinity of|\bedges? of|\baround|\boutside(?: of)?|"
    r"\b(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?(?: outskirts)? of|"
    r"\bkm|\bkilomet(?:er|re)s?|\bmiles) (?:the )?(?:(?:town|city|village|district|area|province|region) of )?$"
)
# Nouns that announce a place name ("the village of", "towns, including", "the camp").
_STRONG_NOUNS = frozenset(
    """village villages town towns city cities hamlet hamlets neighborhood neighbourhood neighborhoods
    neighbourhoods district districts suburb suburbs municipality camp settlement hilltop hill hills
    township locality localities""".split()
)


def _strong_before(window: str) -> bool:
    """Whether ``window`` (folded text just before a name) ends with a strong place cue.

    Word checks instead of a regular expression: this runs once per capitalised run.
    """
    if not window.endswith(" "):
        return False
    words = window.split()[-3:]
    if not words:
        return False
    last = words[-1]
    if last in _STRONG_NOUNS:
        return True
    prev = words[-2].rstrip(",") if len(words) >= 2 else ""
    if last in ("of", "including", "namely") and prev in _STRONG_NOUNS:
        return True
    if len(words) == 3 and (words[-2], last) in (("such", "as"), ("among", "them")):
        return words[0].rstrip(",") in _STRONG_NOUNS
    return False


_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|from|into|to|toward|towards|across|near|outside|throughout|inside|entered|captured|seized|took|"
    r"shelled|bombed|struck|hit|stormed|besieged|retook|liberated|reached|attacked|targeted|around|via|between|"
    r"village|town|city|area) (?:the )?$"
)
_DIRECTION_BEFORE = re.compile(
    r"\b(north|south|east|west|northern|southern|eastern|western|north-?eastern|north-?western|south-?eastern|"
    r"south-?western|northeast|northwest|southeast|southwest|central|rural|upper|lower) $"
)
_PRO_BEFORE = re.compile(r"\b(?:pro|anti)-$")
# A person, not a place: "Harris said", "Sen. Clinton", "Officer Hope".
_PERSON_AFTER = re.compile(r"^(?:,? (?:said|says|told|added|explained|noted|stated|wrote|asked|replied|recalled|testified|argued)\b| and his\b| and her\b)")
_PERSON_BEFORE = re.compile(
    r"\b(?:mr|mrs|ms|miss|dr|sen|rep|gov|lt|sgt|capt|col|gen|cpl|officer|judge|justice|president|coach|deputy|"
    r"chief|sheriff|detective|agent|trooper|pastor|rev|father|sister|brother|uncle|aunt|mayor|councilman|"
    r"councilwoman|commissioner|secretary|senator|governor|superintendent|principal|professor|prof|attorney)\.? $"
)
_SURNAME_AFTER = re.compile(r" [A-Z][a-z]")  # a capitalised word right after a name: "Vladimir Putin"
_LIST_GAP = re.compile(r"^(?:, |,? and |,? or |, and )$")
# A list closes with "and"/"or" before the next capitalised name ("near Saraqib, Rashidin 4 and Khan
# Touman"): checked on the original text after a name, so a comma before a clause ("near Saraqib, Hayat
# Tahrir al-Sham fighters said") does not make a list.
_LIST_CLOSES = re.compile(
    r"^(?: \d{1,3}\b)?(?:, (?:(?:al|el|ad|an|ar|as|at|az|ash)-)?[A-Z][\w'’-]*(?: (?:[a-z]{1,3}[ -])?[A-Z0-9][\w'’-]*){0,4})*"
    r",? (?:and|or) (?:(?:al|el|ad|an|ar|as|at|az|ash)-)?[A-Z]"
)
# A district or block number that is part of a name ("Rashidin 4", "Project 1070" after a list cue).
_NUMBER_AFTER = re.compile(r"^ \d{1,4}\b(?![.,]\d)")


@dataclass(slots=True)
class Mention:
    """A place-like span and what its context says; :mod:`resolve` picks the entry."""

    start: int
    end: int
    text: str
    key: str
    candidates: tuple[Candidate, ...]
    cue: str | None = None  # "near" | "strong" | "locative" | None
    part: str | None = None  # "direction" | "countryside" | "front" | None: a part of the named area
    admin_suffix: str | None = None  # "province", "county", … when the text names the division type
    weak: bool = False  # common word, or part of a longer capitalised run: needs evidence
    inner: bool = False  # inside or at the end of a longer capitalised run: needs a cue or admin context
    fuzzy: bool = False  # matched on the loose skeleton key
    unresolved: bool = False  # a strong pattern named it, the gazetteer lacks it
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RoleMention:
    """A demonym ("Russian") or an organisation ("EU") and what it stands for: a country code or a place name."""

    start: int
    end: int
    role: str  # "demonym" | "organisation"
    country: str | None  # ISO code, when it stands for a country (or the place's country)
    place: str | None  # a gazetteer name, when it stands for a place that is not a country


@dataclass(slots=True)
class Recognition:
    mentions: list[Mention]
    demonyms: list[tuple[int, int, str]]  # (start, end, country code): focus evidence
    actor_uses: list[tuple[int, int, str]]  # (start, end, key): a place name used for an actor
    roles: list[RoleMention] = field(default_factory=list)  # demonyms and organisations, reported with their role
    not_places: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, why): names inside other names


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    cap: bool
    low: str  # folded


_UPPER = "".join(chr(c) for c in range(0x41, 0x2000) if chr(c).isupper() and chr(c).isalpha())
_LETTERS = r"[^\W\d_]"
_APOS = "['\u2019\u2018\u02bf\u02be`]"
# "People's" of an official name ("People's Republic of China") is the one possessive inside a name.
_CAPWORD = rf"(?:(?:[A-Z]\.){{2,}}|People{_APOS}s\b|[{_UPPER}]{_LETTERS}*(?:{_APOS}(?!s\b){_LETTERS}+)*)"
# Connectors that are also English words ("as", "an", "at", "on") join a name only with a hyphen
# ("as-Suwayda"), so "Foegler as Dublin" stays two runs.
_ENGLISH_LOOKING = frozenset("as an at ad ar on am do da en es et er ed y".split())
_CONN = (
    "(?:of the |(?:" + "|".join(sorted(_CONNECTORS - _ENGLISH_LOOKING, key=len, reverse=True)) + ")[ -]"
    "|(?:" + "|".join(sorted(_ENGLISH_LOOKING, key=len, reverse=True)) + ")-)"
)
# A run of capitalised words joined by a space or hyphen, with up to two lowercase connectors
# between them ("Maarat al-Numan", "Isla de la Juventud"), an article-hyphen start ("al-Bab"),
# and "St. " / "Mt. " / "Ft. " inside ("St. Petersburg").
# An elided French article before a capital inside a name ("Côte d'Ivoire", "Val d'Oise").
_ELIDED = rf"[dl]{_APOS}[{_UPPER}]{_LETTERS}*"
_ELIDED_TOKEN = re.compile(rf"^{_ELIDED}$")
_CHAIN = re.compile(
    rf"(?<![\w'])(?:(?:{'|'.join(sorted(ARTICLES, key=len, reverse=True))})-)?{_CAPWORD}"
    rf"(?:(?:[ -]|(?:(?<=\bSt)|(?<=\bMt)|(?<=\bFt)|(?<=\bPt))\. ){_CONN}{{0,2}}(?:{_CAPWORD}|{_ELIDED}))*"
)


def _chains(text: str, folded: str, gazetteer: Gazetteer | None = None) -> list[list[_Tok]]:
    """Runs of capitalised words (see ``_CHAIN``), each cut into its words.

    Two runs joined by a connector that is also an English word ("Rio Grande do Sul", "Dar es
    Salaam") become one when the gazetteer knows a name across the connector.
    """
    chains: list[list[_Tok]] = []
    for m in _CHAIN.finditer(text):
        cs = m.start()
        chain = [
            _Tok(cs + t.start(), cs + t.end(), (w := t.group(0))[0].isupper() or (w[0] in "dl" and _ELIDED_TOKEN.match(w) is not None),
                 folded[cs + t.start() : cs + t.end()])
            for t in _TOKEN.finditer(m.group(0))
        ]
        if gazetteer is not None and chains and (joined := _joined(text, folded, chains[-1], chain, gazetteer)) is not None:
            chains[-1] = joined
        else:
            chains.append(chain)
    return chains


def _joined(text: str, folded: str, left: list[_Tok], right: list[_Tok], gazetteer: Gazetteer) -> list[_Tok] | None:
    if right[0].start - left[-1].end > 4:
        return None
    gap = folded[left[-1].end : right[0].start]
    if len(gap) > 4 or gap[:1] != " " or gap[-1:] != " " or gap[1:-1] not in _ENGLISH_LOOKING:
        return None
    for a in range(max(0, len(left) - 3), len(left)):
        for b in range(min(len(right), 3), 0, -1):
            if gazetteer.lookup(name_key(text[left[a].start : right[b - 1].end])):
                conn = _Tok(left[-1].end + 1, right[0].start - 1, False, gap[1:-1])
                return [*left, conn, *right]
    return None


_FORMS: dict[tuple[int, int], tuple[Gazetteer, RoleTables, dict[str, str]]] = {}


def _demonym_forms(gazetteer: Gazetteer, roles: RoleTables) -> dict[str, str]:
    """Cached per (gazetteer, tables) pair: built once, read for every capitalised run."""
    hit = _FORMS.get((id(gazetteer), id(roles)))
    if hit is None or hit[0] is not gazetteer or hit[1] is not roles:  # the objects are kept, so an id is never reused
        hit = _FORMS[(id(gazetteer), id(roles))] = (gazetteer, roles, _build_demonym_forms(gazetteer, roles))
    return hit[2]


def _build_demonym_forms(gazetteer: Gazetteer, roles: RoleTables) -> dict[str, str]:
    """Every people/adjectival form: the countries table's and the roles file's (a code or a place name)."""
    forms = dict(gazetteer.demonyms)
    for form, code in gazetteer.demonyms.items():
        if form.endswith(("an", "i")) and " " not in form:
            forms.setdefault(form + "s", code)  # "Georgians", "Israelis"
    return {**forms, **roles.demonyms}


SPELLING_SIMILARITY = 80  # rapidfuzz ratio of two name keys above which one is a spelling of the other ("Naundero", "Naudero")
KNOWN_OTHER_NAME = 100_000  # a city this big is known by its other names too ("Pegu" for Bago, "Tuticorin" for Thoothukudi)


def _known_as(key: str, c: Candidate) -> bool:
    """Whether a place matched only through one of its other names may stand alone: the other name is a spelling of
    its own name, or the place is a city big enough to be known by it."""
    own = name_key(strip_admin_suffix(c.entry.name))  # "Rachuonyo District", "Kurram Agency"
    return c.entry.population >= KNOWN_OTHER_NAME or fuzz.ratio(key, own) >= SPELLING_SIMILARITY


def _is_code(target: str) -> bool:
    return len(target) == 2 and target.isupper()


def recognize(
    text: str, gazetteer: Gazetteer, ranges: list[tuple[int, int]] | None = None, roles: RoleTables | None = None,
) -> Recognition:
    """Find place mentions in ``text`` (only inside ``ranges`` when given)."""
    folded = fold(text)
    commons = common_words()
    english = english_words()
    roles = roles or load_roles()
    demonym_of = _demonym_forms(gazetteer, roles)
    mentions: list[Mention] = []
    demonyms: list[tuple[int, int, str]] = []
    actor_uses: list[tuple[int, int, str]] = []
    role_mentions: list[RoleMention] = []
    not_places: list[tuple[int, int, str]] = []
    list_cue_end = -1  # end of the last mention that a strong plural cue introduced
    weak_list_end = -1  # end of the last known place after "near"/"in": a list of places may follow
    weak_list_cue: str | None = None  # that place's cue, which the list's other names share
    weak_list_fronted = False  # that place opens its sentence ("In Chicago, …")
    mention: Mention | None

    spans = sorted(ranges) if ranges is not None else None
    span_starts = [s for s, _ in spans] if spans is not None else []

    def inside(pos: int) -> bool:
        # Binary search: a long document has thousands of sentences and more capitalised runs.
        if spans is None:
            return True
        k = bisect_right(span_starts, pos) - 1
        return k >= 0 and pos < spans[k][1]

    chains = _chains(text, folded, gazetteer)
    # The last word of a capitalised run of personal-name shape ("Chiquita Raquel Henry") is a
    # surname; alone later ("Henry said") it is the person, not a town called Henry.
    surnames = {
        c[-1].low for c in chains
        if 2 <= len(c) <= 3 and all(t.cap for t in c) and not gazetteer.lookup(name_key(text[c[0].start : c[-1].end]))
        and c[0].low not in _STOP and c[-1].low not in _INSTITUTION_WORDS
    }
    # A town of some size keeps its name ("Downtown Gainesville" does not make Gainesville a surname).
    surnames = {w for w in surnames if not any(c.primary and c.entry.population >= 10_000 for c in gazetteer.lookup(name_key(w)))}
    for chain in chains:
        if not inside(chain[0].start):
            continue
        n = len(chain)
        chain_start = chain[0].start
        if roles.group_names and folded[chain_start : chain[-1].end].strip() in roles.group_names:
            # "Al Shabaab attacked": the group, though a village in Iran has its name
            not_places.append((chain_start, chain[-1].end, "the name of an armed group"))
            continue
        if n == 1 and _abbreviates_before(text, chain_start, chain[0].end, gazetteer):
            # "the Supreme Court (SC)", "Kenya Defence Forces (KDF)": the name's initials, not a place
            not_places.append((chain_start, chain[0].end, "the initials of the name before it"))
            continue
        ending = roles.ends_name(text[chain_start : chain[-1].end]) if n > 1 else None
        if ending is not None:
            # "US State Department", "The New York Times", "Leeds United": an organisation's name, no place in it.
            not_places.append((chain_start, chain[-1].end, f"inside a name ending in '{ending}'"))
            continue
        # After "the village of" / "villages, including" / inside such a list, the whole run is
        # one name: matched whole, or kept as unresolved, never cut into smaller namesakes.
        listed = list_cue_end >= 0 and bool(_LIST_GAP.match(folded[list_cue_end:chain_start]))
        # "near Saraqib, Rashidin 4 and Khan Touman": names listed with a known place share its cue, and
        # the ones the gazetteer lacks are kept as unresolved (the event may be at any of them).
        gap = list_gap(folded[weak_list_end:chain_start]) if weak_list_end >= 0 else None
        weak_listed = (
            not listed and gap is not None
            and (" and " in gap or " or " in gap or bool(_LIST_CLOSES.match(text[chain[-1].end : chain[-1].end + 160])))
            # "In Chicago, Mayor Smith and …": a fronted place and its comma end the clause, and titles start names
            and not (gap == ", " and weak_list_fronted) and chain[0].low not in _TITLE_WORDS
        )
        if weak_list_end >= 0 and not weak_listed:
            weak_list_end = -1
        if chain[-1].cap and (listed or weak_listed or _strong_before(folded[max(0, chain_start - 48) : chain_start])):
            # The name runs until a weekday, title or organisation word ("Tokhar Amnesty International").
            words = []
            for t in chain[:MAX_NAME_WORDS]:
                if t.low in _STOP or t.low in _INSTITUTION_WORDS or t.low in _ORG_WORDS:
                    break
                words.append(t)
            while words and not words[-1].cap:
                words.pop()
            key = name_key(text[words[0].start : words[-1].end]) if words else ""
            s, e = (words[0].start, words[-1].end) if words else (0, 0)
            # A run that contains a well-known name ("Damascus Countryside …", "Syrias Aleppo") is
            # not one unknown village: read it word by word instead.
            known = any(
                text[t.start : t.end] in demonym_of
                or any(
                    c.primary and (c.entry.feature in ("country", "admin1") or c.entry.population >= 100_000)
                    for c in gazetteer.lookup(name_key(t.low))
                )
                for t in words
                if t.low not in ARABIC_COMMON_NOUNS
            ) if len(words) > 1 else False
            if len(key) > 2 and not known and not gazetteer.lookup(key) and not (weak_listed and _actor_like(folded, e)):
                fuzzy = gazetteer.lookup_skeleton(key) if len(key) >= 5 else ()
                mention = _read_context(text, folded, s, e, key, fuzzy) or Mention(s, e, text[s:e], key, ())
                number = _NUMBER_AFTER.match(text[mention.end : mention.end + 8]) if not fuzzy and (listed or weak_listed) else None
                if number:
                    mention.end += number.end()
                    mention.text = text[mention.start : mention.end]
                mention.fuzzy = bool(fuzzy)
                mention.unresolved = not fuzzy
                if weak_listed:
                    mention.cue = mention.cue or weak_list_cue
                    mention.notes.append(LISTED_NOTE)
                    weak_list_end = mention.end
                else:
                    mention.cue = "strong"
                    if listed:
                        mention.notes.append("listed after a place cue")
                    list_cue_end = mention.end
                mentions.append(mention)
                continue
        area = _syrian_area(text, folded, chain, gazetteer) if n <= 4 else None
        if area is not None:
            mentions.append(area)
            continue
        i = 0
        while i < n:
            matched = False
            for j in range(min(n, i + MAX_NAME_WORDS), i, -1):
                last = chain[j - 1]
                first = chain[i]
                if not last.cap or (not first.cap and not (first.low in ARTICLES and j - i > 1)):
                    continue
                if j - i == 1 and (first.low in _STOP or len(first.low) < 2 or first.low in ARTICLES):
                    continue
                s, e = first.start, last.end
                span_text = text[s:e]
                if j - i <= 2 and span_text in demonym_of and not (j < n and chain[j].low in roles.not_demonym_before):
                    if roles.owner_of(folded[e : e + 48]):
                        # "a South Korean firm", "British-owned": whose the business is, not where the report is
                        i = j
                        matched = True
                        break
                    target = demonym_of[span_text]
                    if _is_code(target):
                        demonyms.append((s, e, target))
                    if not roles.name_after(folded[e : e + 12]):
                        role_mentions.append(
                            RoleMention(s, e, "demonym", target if _is_code(target) else None, None if _is_code(target) else target)
                        )
                    i = j
                    matched = True
                    break
                org = roles.organisation(span_text) if j - i <= 3 else None
                if org is not None:
                    role_mentions.append(RoleMention(s, e, "organisation", org.country, org.place))
                    i = j
                    matched = True
                    break
                key = name_key(span_text)
                if not key:
                    continue
                cands = gazetteer.lookup(key)
                if not cands:
                    continue
                if j - i == 1 and first.low in ARABIC_COMMON_NOUNS and j < n:
                    # "Bab" in "Bab al-Hawa", "Jisr" in "Jisr al-Shughur": the head of a longer name.
                    i = j
                    matched = True
                    break
                event_word = roles.name_after(folded[e : e + 12]) if j == n else None
                mention = None if event_word else _read_context(text, folded, s, e, key, cands)
                if event_word:
                    not_places.append((s, e, f"names the {event_word}, not a place"))
                elif mention is None:
                    actor_uses.append((s, e, key))
                else:
                    # Words around the match that are not titles, months or connectors make it part of a longer name.
                    before_words = [t for t in chain[:i] if t.low not in _STOP and t.low not in _CONNECTORS]
                    after_words = [t for t in chain[j:] if t.low not in _STOP and t.low not in _CONNECTORS]
                    longer = bool(before_words or after_words)
                    one_word = j - i == 1
                    # A country or province keeps its place inside an organisation's name ("the Ohio
                    # Supreme Court", "U.S. Attorney"); a town after other names ("Hayat Tahrir al-Sham")
                    # needs a cue, and before them ("Paris Public Library") it needs the document's support.
                    big = any(c.entry.feature in ("country", "admin1") for c in cands)
                    # ("of the" joins a run too: "Lilly of the South Charleston Convention".)
                    k = i - 1 if i >= 3 and chain[i - 1].low == "the" else i
                    if before_words and k >= 2 and chain[k - 1].low == "of" and chain[k - 2].cap and mention.cue is None:
                        # "Edward Moayyad of Southlake", "the Mayor of Fargo": "of" puts the place after a name.
                        mention.cue = "locative"
                        mention.notes.append("'of' after a name")
                        before_words = []
                    if before_words and not big:
                        mention.weak = mention.inner = True
                        mention.notes.append("inside a longer name")
                    elif after_words and not big and one_word and after_words[0].low not in _INSTITUTION_WORDS:
                        # One word before other names may be a first name ("Paris Hilton"); "Laurel County
                        # Clerk" or "New York Times" are named after the place.
                        mention.weak = True
                        mention.notes.append("part of a longer name")
                    if one_word and (first.low in commons or len(key) <= 2) and not span_text.isupper() and not big:
                        mention.weak = True
                        mention.notes.append("also a common word")
                    elif one_word and first.low in english and not span_text.isupper() and not any(c.primary for c in cands):
                        mention.weak = True  # "Voters" is an alternate name of Walters (US)
                        mention.notes.append("an English word, and a place's alternate name only")
                    elif (
                        one_word and first.low in english and not span_text.isupper() and not big
                        and max((c.entry.population for c in cands if c.primary or mention.cue is not None), default=0) < SMALL_NAMESAKE
                    ):
                        # "Congress" is a town of 2,000 in Arizona; "Grenade" one of 6,000 in France (Granada's other
                        # name does not make the word a city)
                        mention.weak = True
                        mention.notes.append("an English word, and only small places' name")
                    elif one_word and not big and mention.cue is None and not any(c.primary or _known_as(key, c) for c in cands):
                        # "Ltd" is another name of Ghadames, "Kanu" of Cannes ("in Sopore", "Naundero" for Naudero, "Pegu"
                        # for Bago stay)
                        mention.weak = True
                        mention.notes.append("a place's alternate name only")
                    if (
                        one_word and (span_text.isupper() and len(span_text) <= 5 or _PLURAL_ACRONYM.fullmatch(span_text))
                        and not any(c.entry.feature in ("country", "admin1") for c in cands)  # "NSW" is New South Wales
                    ):
                        mention.weak = True  # "SANA", "AP", "MPs": an acronym far more often than a place
                        mention.notes.append("acronym")
                    if (
                        s == chain_start and _sentence_initial(text, s) and one_word and first.low in commons
                        and not any(c.entry.feature == "country" and c.primary for c in cands)  # "Turkey's first case"
                    ):
                        mention.weak = True
                    if one_word and first.low in surnames and not longer and not big and max(c.entry.population for c in cands) < 500_000:
                        mention.weak = mention.inner = True
                        mention.notes.append("a surname in this text")
                    if mention.cue is None and list_cue_end >= 0 and _LIST_GAP.match(folded[list_cue_end:s]):
                        mention.cue = "strong"
                        mention.notes.append("listed after a place cue")
                    if weak_listed and s == chain_start and mention.cue is None:
                        mention.cue = weak_list_cue
                        mention.notes.append(LISTED_NOTE)
                    if mention.cue == "strong":
                        list_cue_end = mention.end
                    elif mention.cue in ("near", "locative"):
                        if not weak_listed:
                            weak_list_fronted = _fronted(text, s)
                        weak_list_end, weak_list_cue = mention.end, mention.cue
                    mentions.append(mention)
                i = j
                matched = True
                break
            if not matched:
                i += 1
    _state_abbreviations(text, gazetteer, mentions, inside)
    mentions.sort(key=lambda m: m.start)
    role_mentions = [r for r in role_mentions if inside(r.start)]
    return Recognition(mentions, demonyms, actor_uses, role_mentions, not_places)


SYRIA_AREA_NOTE = "a Syrian sub-district or district (OpenSyria)"
# A part word or a division word after a name, or "front": the cues of the Syrian area fallback.
_AREA_AFTER = re.compile(_PART_AFTER.pattern + "|" + _ADMIN_AFTER.pattern + "|" + _FRONT_AFTER.pattern)


def _area_entry(unit: syria.Unit) -> Entry:
    """A gazetteer-like entry for an OpenSyria district (feature admin2) or sub-district (region)."""
    feature = "admin2" if unit.level == "district" else "region"
    ident = unit.geonameid if unit.geonameid else -(int(re.sub(r"\D", "", unit.pcode) or "0") + 1)  # stable: from the p-code
    return Entry(ident, unit.name, unit.latitude, unit.longitude, "SY", unit.admin1_code or None, None, 0, feature)


def _syrian_area(text: str, folded: str, chain: list[_Tok], gazetteer: Gazetteer) -> Mention | None:
    """ "rural Ein Issa", "the Jisr al-Shughur countryside", "the X front", "X sub-district": a name the gazetteer
    lacks that is one of Syria's sub-districts or districts, read as that area (precision 2 with a part word)."""
    s, e = chain[0].start, chain[-1].end
    area_after = _AREA_AFTER.match(folded, e)  # one look-up, no slicing, for the usual case: no part word at all
    if not area_after and not folded.endswith("rural ", 0, s):
        return None
    before = folded[max(0, s - 48) : s]
    if area_after and area_after.group(0).strip().startswith("front") and not _LOCATIVE_FRONT_BEFORE.search(before):
        return None
    key = name_key(text[s:e])
    if not key or gazetteer.lookup(key):
        return None
    found = syria.units_named(key)
    if not found:
        return None
    mention = _read_context(text, folded, s, e, key, tuple(Candidate(_area_entry(u), True) for u in found))
    if mention is None:
        return None
    if mention.part is None:
        mention.part = "countryside"  # "X sub-district": a part of the area stands in, never its centre as the place
    mention.notes.append(SYRIA_AREA_NOTE)
    return mention


# AP-style abbreviations of US states after a town ("Springfield, Ill.", "Wheeling, W. Va.").
US_STATE_ABBREVIATIONS = {
    "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "cal": "CA", "colo": "CO", "conn": "CT", "del": "DE",
    "fla": "FL", "ga": "GA", "ill": "IL", "ind": "IN", "kan": "KS", "kans": "KS", "ky": "KY", "la": "LA", "md": "MD",
    "mass": "MA", "mich": "MI", "minn": "MN", "miss": "MS", "mo": "MO", "mont": "MT", "neb": "NE", "nebr": "NE",
    "nev": "NV", "nh": "NH", "nj": "NJ", "nm": "NM", "ny": "NY", "nc": "NC", "nd": "ND", "okla": "OK",
    "ore": "OR", "pa": "PA", "ri": "RI", "sc": "SC", "sd": "SD", "tenn": "TN", "tex": "TX", "vt": "VT", "va": "VA",
    "wash": "WA", "wva": "WV", "wis": "WI", "wisc": "WI", "wyo": "WY",
}
# After "Town, " any AP abbreviation; anywhere, the dotted two-letter ones ("S.C.", "W.Va.", "N.Y.").
_STATE_ABBREV = re.compile(
    r"(?<=[A-Za-z], )((?:[NSWR]\. ?[A-Z][a-z]?\.)|(?:[A-Z][a-z]{1,4}\.))"
    r"|(?<![\w.])((?:[NSR]\.[A-Z]\.)|(?:W\. ?Va\.))"
)


def _state_abbreviations(text: str, gazetteer: Gazetteer, mentions: list[Mention], inside) -> None:
    for match in _STATE_ABBREV.finditer(text):
        group = 1 if match.group(1) else 2
        s, e = match.span(group)
        code = US_STATE_ABBREVIATIONS.get(re.sub(r"[^a-z]", "", match.group(group).lower()))
        if code is None or not inside(s):
            continue
        # The abbreviation wins over pieces of it read as names ("Va" in "W.Va.").
        mentions[:] = [m for m in mentions if not (m.start < e and s < m.end)]
        entry = gazetteer.admin1_entry(f"US.{code}")
        if entry is None:
            continue
        mention = Mention(s, e, text[s:e], name_key(entry.name), (Candidate(entry, True),))
        mention.admin_suffix = "state"
        mention.notes.append("US state abbreviation")
        mentions.append(mention)


_TITLE_WORDS = frozenset(
    """mr mrs ms miss dr sen rep gov governor mayor officer judge justice president coach deputy chief sheriff
    detective agent trooper pastor rev father sister brother commander colonel captain lieutenant sergeant
    spokesman spokeswoman minister secretary senator ambassador councilman councilwoman commissioner""".split()
)


def list_gap(between: str) -> str | None:
    """The separator of two names of one list (", ", " and ", ", or "), after an optional district number
    that ends the first name ("Rashidin 4 and"); ``None`` when ``between`` is not one."""
    number = _NUMBER_AFTER.match(between)
    gap = between[number.end() :] if number else between
    return gap if _LIST_GAP.match(gap) else None


def _fronted(text: str, pos: int) -> bool:
    """Whether the place at ``pos`` follows only a short cue at the start of its sentence ("In Chicago")."""
    k = pos - 1
    words = 0
    while k >= 0 and text[k] not in ".!?\n":
        if text[k] == " " and k + 1 < pos and text[k + 1] != " ":
            words += 1
            if words > 1:
                return False  # stop early: a long sentence without punctuation must not cost a scan per name
        k -= 1
    return words <= 1  # spaces between the words before the place: "In northern Aleppo" has one


def _actor_like(folded: str, end: int) -> bool:
    """A listed run followed by a group word ("… and Hurras al-Din fighters") names people, not a place."""
    return bool(_ACTOR_AFTER.match(folded[end : end + 40]))


def _sentence_initial(text: str, pos: int) -> bool:
    k = pos - 1
    while k >= 0 and text[k] in " \t\"'“‘(":
        k -= 1
    return k < 0 or text[k] in ".!?\n:"


def _read_context(text: str, folded: str, s: int, e: int, key: str, cands: tuple[Candidate, ...]) -> Mention | None:
    """The cues around ``text[s:e]``; ``None`` when the name is used for an actor, not a place."""
    before = folded[max(0, s - 48) : s]
    after = folded[e : e + 40]
    if _PRO_BEFORE.search(before) or _BASED_AFTER.match(after):
        return None
    # "a former resident of Lubbock told", "the district of Nairobi said": after "of" the name is where they are from.
    titled = _PERSON_BEFORE.search(before) is not None
    if (_PERSON_AFTER.match(after) and not _LOCATIVE_BEFORE.search(before) and not before.endswith(" of ")) or titled:
        # "Harris said" is a person; "… in Rome, explained" is still Rome.
        if not any(c.entry.feature in ("country", "admin1") for c in cands):
            return None
        if titled and _SURNAME_AFTER.match(text, e) and not any(c.entry.feature == "country" for c in cands):
            return None  # "President Vladimir Putin": a first name after a title, though a province shares it
    if _FRONT_AFTER.match(after):
        front_word = text[e + 1 : e + 6]
        if front_word[:1].isupper() or not _LOCATIVE_FRONT_BEFORE.search(before):
            return None  # "the Aleppo Front", "Idlib front commanders": an actor or adjective
    elif _ACTOR_AFTER.match(after) and not _LOCATIVE_BEFORE.search(before) and not _NEAR_BEFORE.search(before):
        return None
    mention = Mention(s, e, text[s:e], key, cands)
    admin = _ADMIN_AFTER.match(after)
    if admin:
        mention.admin_suffix = admin.group(1)
        mention.end = e + admin.end()
        mention.text = text[s : mention.end]
    elif before.endswith(" of ") and (admin := _ADMIN_OF_BEFORE.search(before)) is not None:
        mention.admin_suffix = admin.group(1)  # "the province of Ontario", "the state of Washington"
    if _NEAR_BEFORE.search(before):
        mention.cue = "near"
    elif _strong_before(before):
        mention.cue = "strong"
    elif _LOCATIVE_BEFORE.search(before):
        mention.cue = "locative"
    direction = _DIRECTION_BEFORE.search(before)
    if direction:
        mention.part = "countryside" if direction.group(1) == "rural" else "direction"
        if direction.group(1) == "rural":
            mention.notes.append("'rural'")
    part = _PART_AFTER.match(folded[mention.end : mention.end + 40])
    if part:
        word = part.group(0).strip()
        mention.part = "front" if word.startswith("front") else "countryside"
        mention.notes.append(f"'{word}'")
        if mention.cue is None:
            mention.cue = "locative"
    elif _FRONT_AFTER.match(after):
        mention.part = "front"
    return mention
