"""The actor registry: what reporters write -> canonical ACLED-style actors with inter codes.

The registry is YAML (``fogwatch/data/actors/*.yaml``, shipped with the
package). Users add their own files: every ``*.yaml`` file or directory named
in the ``FOGWATCH_ACTORS`` environment variable (``os.pathsep``-separated) or
passed as ``extra_paths`` is loaded after the built-in ones, and a later entry
with the same ``name`` replaces an earlier one.

Matching runs on folded text (:func:`fogwatch.text.normalize.fold`) with one
Aho-Corasick automaton for all aliases, plus two generic patterns for
conflicts the registry does not know: "<Country> army/police/forces/..."
(state forces of that country) and "<Group> militants/fighters/rebels"
(the group, inter 2).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib.resources import files
from typing import Any, Iterable, Sequence

import ahocorasick
import yaml

from fogwatch.errors import Code, UsageError
from fogwatch.events.lexicon import Lexicon, default_lexicon
from fogwatch.events.model import Actor
from fogwatch.places.gazetteer import country_names
from fogwatch.records import Span
from fogwatch.registry_files import user_registry_texts
from fogwatch.text.normalize import fold

ENV_VAR = "FOGWATCH_ACTORS"


@dataclass(frozen=True, slots=True)
class ActorEntry:
    name: str
    inter: int | None
    country: str | None = None
    role: str | None = None  # military | police
    valid: tuple[int | None, int | None] = (None, None)
    label: bool = False
    localized: bool = False
    subunits: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ActorMention:
    start: int  # relative to the searched string
    end: int
    text: str
    entry: ActorEntry
    country: str | None = None  # for generic patterns: the country the words named
    subunit: str | None = None


@dataclass(eq=False)  # identity-hashed: caches key on the registry object
class ActorRegistry:
    entries: dict[str, ActorEntry] = field(default_factory=dict)
    aliases: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # folded alias -> (entry name, subunit)
    acronyms: dict[str, str] = field(default_factory=dict)  # case-sensitive; the last registered sense
    # every actor an acronym names, in load order ("SNA": Somalia's army and the Syrian National Army)
    acronym_senses: dict[str, list[str]] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)  # ISO -> name
    country_words: dict[str, str] = field(default_factory=dict)  # folded word -> ISO
    # words that place a report in a country when it names no place: parties, institutions ("Awami League", "upazila")
    country_cues: dict[str, str] = field(default_factory=dict)  # cue as written (acronyms) or folded -> ISO
    # ISO -> ACLED's name for an armed opposition nobody names there ("Opposition Rebels" in Syria); elsewhere
    # ACLED writes "Unidentified Armed Group" (countries: {SY: {rebels: ...}})
    generic_rebels: dict[str, str] = field(default_factory=dict)
    # ISO -> the periods of its governments ((start, end or None), in order): named forces for countries no file names
    state_periods: dict[str, tuple[tuple[int, int | None], ...]] = field(default_factory=dict)
    # a group's bare word -> its entry ("pokot" -> Pokot Ethnic Militia (Kenya)): two of them joined by "and" are both
    # groups ("clashes between the Pokot and Marakwet"); alone a bare word is a people, a county or a river
    group_words: dict[str, str] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    lexicon: Lexicon | None = None  # whose ``group_heads`` make "<Group> militants" an actor (None: the packaged lexicon)
    _automaton: Any = None
    _cue_res: tuple[re.Pattern[str] | None, re.Pattern[str] | None] | None = None
    _cue_spaced: dict[str, str] = field(default_factory=dict)  # a cue with its spaces and hyphens as one space -> the cue
    _generic_re: re.Pattern[str] | None = None
    _acronym_re: re.Pattern[str] | None = None
    _alias_words: frozenset[str] | None = None
    _country_automaton: Any = None

    # --- loading ---------------------------------------------------------------------------
    def add_file(self, text: str, origin: str, packaged: bool = False) -> None:
        """Add one registry file; ``packaged``: one of fogwatch's own files, read by libyaml's parser (a test checks it
        reads them as PyYAML's does; a user's file goes through PyYAML's)."""
        try:
            data = yaml.load(text, Loader=PACKAGED_LOADER) if packaged else yaml.safe_load(text)
            data = data or {}
        except yaml.YAMLError as exc:
            raise UsageError(f"actor registry {origin}: not valid YAML ({exc})", Code.ACTOR_REGISTRY) from None
        if not isinstance(data, dict):
            raise UsageError(f"actor registry {origin}: expected a mapping with `actors:` or `countries:`", Code.ACTOR_REGISTRY)
        for iso, info in (data.get("countries") or {}).items():
            if not isinstance(info, dict) or "name" not in info:
                raise UsageError(f"actor registry {origin}: country {iso!r} needs a `name`", Code.ACTOR_REGISTRY)
            self.countries[str(iso)] = str(info["name"])
            rebels = info.get("rebels")
            if rebels is not None:
                if not isinstance(rebels, str) or not rebels.strip():
                    raise UsageError(f"actor registry {origin}: country {iso!r}: `rebels` must be a name", Code.ACTOR_REGISTRY)
                self.generic_rebels[str(iso)] = rebels.strip()
            for word in info.get("words") or ():
                self.country_words[fold(str(word))] = str(iso)
            cues = info.get("cues") or []
            if not isinstance(cues, list) or not all(isinstance(c, str) and c.strip() for c in cues):
                raise UsageError(f"actor registry {origin}: country {iso!r}: `cues` must be a list of words", Code.ACTOR_REGISTRY)
            for cue in cues:
                self.country_cues[cue.strip() if _is_acronym(cue.strip()) else fold(cue.strip())] = str(iso)
        for iso, periods in (data.get("state_periods") or {}).items():
            self.state_periods[str(iso)] = _periods(periods, f"actor registry {origin}: state_periods {iso!r}")
        for i, raw in enumerate(data.get("actors") or ()):
            if not isinstance(raw, dict) or not raw.get("name"):
                raise UsageError(f"actor registry {origin}: actor #{i + 1} needs a `name`", Code.ACTOR_REGISTRY)
            inter = raw.get("inter")
            if inter is not None and (not isinstance(inter, int) or not 1 <= inter <= 8):
                raise UsageError(f"actor registry {origin}: actor {raw['name']!r} has inter {inter!r}; it must be 1..8", Code.ACTOR_REGISTRY)
            valid = raw.get("valid") or [None, None]
            entry = ActorEntry(
                name=str(raw["name"]),
                inter=inter,
                country=raw.get("country"),
                role=raw.get("role"),
                valid=(valid[0], valid[1] if len(valid) > 1 else None),
                label=bool(raw.get("label", False)),
                localized=bool(raw.get("localized", False)),
                subunits=tuple(str(s) for s in raw.get("subunits") or ()),
            )
            self.entries[entry.name] = entry
            for alias in raw.get("aliases") or ():
                self.aliases[fold(str(alias))] = (entry.name, None)
            for unit in entry.subunits:
                self.aliases[fold(unit)] = (entry.name, unit)
            spellings = raw.get("subunit_aliases") or {}
            if not isinstance(spellings, dict) or not all(isinstance(v, list) for v in spellings.values()):
                raise UsageError(
                    f"actor registry {origin}: actor {raw['name']!r}: `subunit_aliases` must map a subunit to a list of its spellings",
                    Code.ACTOR_REGISTRY,
                )
            for unit, words in spellings.items():
                if str(unit) not in entry.subunits:
                    raise UsageError(f"actor registry {origin}: actor {raw['name']!r}: {unit!r} in `subunit_aliases` is not one of its `subunits`",
                                     Code.ACTOR_REGISTRY)
                for word in words:
                    self.aliases[fold(str(word))] = (entry.name, str(unit))
            for acro in raw.get("acronyms") or ():
                self.acronyms[str(acro)] = entry.name
                senses = self.acronym_senses.setdefault(str(acro), [])
                if entry.name in senses:
                    senses.remove(entry.name)
                senses.append(entry.name)
        heads = data.get("group_heads") or {}
        groups = data.get("groups") or []
        if not isinstance(heads, dict) or not all(isinstance(v, list) for v in heads.values()) or not isinstance(groups, list):
            raise UsageError(f"actor registry {origin}: `group_heads` must map a name to a list of head words, `groups` be a list",
                             Code.ACTOR_REGISTRY)
        for i, raw in enumerate(groups):
            # a group named by a word and a head: {name: Pokot Ethnic Militia (Kenya), heads: ethnic, words: [Pokot]} -> "Pokot raiders"
            if not isinstance(raw, dict) or not raw.get("name") or raw.get("heads") not in heads or not isinstance(raw.get("words"), list):
                raise UsageError(f"actor registry {origin}: group #{i + 1} needs a `name`, `words` and `heads` named in `group_heads`",
                                 Code.ACTOR_REGISTRY)
            inter = raw.get("inter")
            if inter is not None and (not isinstance(inter, int) or not 1 <= inter <= 8):
                raise UsageError(f"actor registry {origin}: group {raw['name']!r} has inter {inter!r}; it must be 1..8", Code.ACTOR_REGISTRY)
            entry = ActorEntry(name=str(raw["name"]), inter=inter)
            self.entries[entry.name] = entry
            for word in raw["words"]:
                self.group_words[fold(str(word))] = entry.name
                for head in heads[raw["heads"]]:
                    self.aliases[fold(f"{word} {head}")] = (entry.name, None)
        self.sources.append(origin)
        self._automaton = None
        self._alias_words = None
        self._cue_res = None

    def add_state_periods(self) -> None:
        """Military and police entries, one per period of ``state_periods``, for each country and role no file names:
        "Military Forces of Nigeria (2015-2023)" valid 2015-2023, "(2023-)" from 2024 (a period's last year stays with it)."""
        named = {(e.country, e.role) for e in self.entries.values() if e.role and e.country}
        for iso, periods in self.state_periods.items():
            country = self.countries.get(iso, iso)
            article = "the " if country in _COUNTRIES_WITH_THE else ""
            for role, kind in (("military", "Military Forces"), ("police", "Police Forces")):
                if (iso, role) in named:
                    continue
                previous_end = None
                for start, end in periods:
                    name = f"{kind} of {article}{country} ({start}-{end if end is not None else ''})"
                    first = start + 1 if previous_end == start else start
                    self.entries[name] = ActorEntry(name=name, inter=1, country=iso, role=role, valid=(first, end))
                    previous_end = end

    def add_names_before_periods(self) -> None:
        """For each state's forces whose every name carries a period, the name without one for the years before the
        first ("Military Forces of Myanmar" in 2015, before "(2016-2021)"): which government's forces ACLED names
        then is not known here, and a later government's name would be wrong."""
        groups: dict[tuple[str, str], list[ActorEntry]] = {}
        for e in self.entries.values():
            if e.role and e.country and STATE_NAME.match(e.name):
                groups.setdefault((e.country, e.role), []).append(e)
        for group in groups.values():
            if any(e.valid[0] is None for e in group):
                continue
            first = min(group, key=lambda e: e.valid[0] or 0)
            plain = _PERIOD_SUFFIX.sub("", first.name)
            if plain != first.name and plain not in self.entries and first.valid[0] is not None:
                self.entries[plain] = replace(first, name=plain, valid=(None, first.valid[0] - 1))

    def alias_words(self) -> frozenset[str]:
        """Every word of a multi-word alias: a place named by one of them may be part of an actor's name."""
        if self._alias_words is None:
            self._alias_words = frozenset(w for alias in self.aliases if " " in alias or "-" in alias for w in re.split(r"[\s\-]+", alias))
        return self._alias_words

    def _build(self) -> None:
        automaton = ahocorasick.Automaton()
        for alias, value in self.aliases.items():
            automaton.add_word(alias, (len(alias), value))
        if len(automaton):
            automaton.make_automaton()
        self._automaton = automaton
        words = sorted(self.country_words, key=len, reverse=True)
        cw = "|".join(re.escape(w) for w in words)
        countries = ahocorasick.Automaton()
        for w in words:
            countries.add_word(w, len(w))
        if len(countries):
            countries.make_automaton()
        self._country_automaton = countries
        # anchored at a country word found by the automaton: one short match per hit, not a 200-way scan
        self._generic_re = re.compile(
            r"(?P<c1>" + cw + r")(?:\s+and\s+(?P<c2>" + cw + r"))?(?:'s)?\s+"
            r"(?P<role>(?:(?:armed|security|special|government|military|regular|national|federal|riot|state|border)\s+)?"
            r"(?:army|military|armed forces|forces|troops|soldiers|police|policemen|police officers|security forces|navy|air force|"
            r"warplanes|warplane|jets|aircraft|artillery|personnel|military personnel|service members|servicemen|gendarmerie|guards|drones|drone|helicopters|helicopter|"
            r"marines|commandos|officers|positions|targets|fighters|government|"
            # "Syrian shelling", "Russian airstrikes": the fire names who fired
            r"shelling|airstrikes|air strikes|air raids|strikes|bombardment|bombing|artillery fire|rocket fire))\b"
        )
        if self.acronyms:
            self._acronym_re = re.compile(r"\b(" + "|".join(re.escape(a) for a in sorted(self.acronyms, key=len, reverse=True)) + r")\b")

    def country_code(self, name: str) -> str | None:
        """The ISO code of a country by its name here ("Syria" -> "SY"), None when unknown."""
        return next((iso for iso, cname in self.countries.items() if cname == name), None)

    def acronym_sense(self, acronym: str, iso: str) -> str | None:
        """The actor an acronym names in country ``iso`` when it names several ("SNA" in Somalia: its army), else None."""
        senses = self.acronym_senses.get(acronym, ())
        if len(senses) < 2:
            return None
        return next((name for name in reversed(senses) if self.entries[name].country == iso), None)

    def state_of(self, name: str) -> str | None:
        """The ISO code of the state whose forces an actor's name says (a registered force, or ACLED's generic form)."""
        entry = self.entries.get(name)
        if entry is not None:
            return entry.country if entry.role else None
        m = STATE_NAME.match(name)
        return self.country_code(m.group(2)) if m else None

    # --- matching --------------------------------------------------------------------------
    def cue_hits(self, original: str, folded: str | None = None) -> list[tuple[int, str, str]]:
        """(offset, cue as written in the text, ISO) for each country cue of ``original`` (``countries: {XX: {cues: [...]}}``):
        acronyms ("BNP", "CPN-UML") as written, other cues ("Awami League", "upazila") in any case, whole words only."""
        if self._cue_res is None:
            acronyms = sorted((c for c in self.country_cues if _is_acronym(c)), key=len, reverse=True)
            words = sorted((c for c in self.country_cues if not _is_acronym(c)), key=len, reverse=True)

            def alternation(cues: list[str], plural: str = "") -> re.Pattern[str] | None:
                # a space of the cue may be written as a hyphen ("Jubo-League"); a cue may lead a compound ("BNP-led")
                # or follow "pro-"/"anti-" ("pro-BNP lawyers"); a word may take a plural or possessive ``plural``
                body = "|".join(re.escape(c).replace("\\ ", r"[ \-]+") for c in cues)
                return re.compile(r"(?<![\w-])(?:(?:[Pp]ro|[Aa]nti)-)?(" + body + r")" + plural + r"(?!\w|-(?!" + _CUE_COMPOUND + r"\b))") if cues else None

            # "Kikuyus", "Kibaki's", and "Kibakis" where the text lost its apostrophes
            self._cue_res = (alternation(acronyms), alternation(words, r"(?:['\u2019]?s)?"))
            self._cue_spaced = {_spaced(c): c for c in self.country_cues}
        folded = folded if folded is not None else fold(original)
        hits = []
        for pattern, text in zip(self._cue_res, (original, folded)):
            if pattern is not None:
                for m in pattern.finditer(text):
                    cue = m.group(1) if m.group(1) in self.country_cues else self._cue_spaced.get(_spaced(m.group(1)), "")
                    if cue:
                        hits.append((m.start(1), original[m.start(1) : m.end(1)], self.country_cues[cue]))
        return sorted(hits)

    def find(self, original: str, folded: str | None = None) -> list[ActorMention]:
        """Actor mentions in a sentence, longest first where they overlap, left to right."""
        if self._automaton is None:
            self._build()
        folded = fold(original) if folded is None else folded
        found: list[ActorMention] = []
        if len(self._automaton):
            for end_idx, (length, (name, subunit)) in self._automaton.iter(folded):
                start, end = end_idx - length + 1, end_idx + 1
                if not _boundary_before(folded, start) or not _boundary_after(folded, end):
                    continue
                found.append(ActorMention(start, end, original[start:end], self.entries[name], subunit=subunit))
                found.extend(self._coordinated(original, folded, start, end))
        starts: list[int] = []
        if self._generic_re is not None and len(self._country_automaton):
            for end_idx, length in self._country_automaton.iter(folded):
                start = end_idx - length + 1
                if (start == 0 or not folded[start - 1].isalnum()) and (not starts or starts[-1] != start):
                    starts.append(start)
        for start in sorted(set(starts)):
            m = self._generic_re.match(folded, start) if self._generic_re is not None else None
            if m is not None and m.group("role") == "fighters" and _NOT_STATE_BEFORE.search(folded, max(0, start - 30), start):
                m = None  # "US-backed Syrian fighters", "opposition Syrian fighters": not the state's
            if m is not None:
                role_words = m.group("role")
                role = "police" if "police" in role_words or "gendarm" in role_words else "military"
                for key in ("c1", "c2"):
                    word = m.group(key)
                    if not word:
                        continue
                    iso = self.country_words.get(word)
                    if iso is None:
                        continue
                    entry = self.state_entry(iso, role)
                    if m.group("c2"):
                        # "Syrian and Russian warplanes": two actors, each spanning its own country word
                        text = f"{original[m.start(key) : m.end(key)]} {original[m.start('role') : m.end('role')]}"
                        found.append(ActorMention(m.start(key), m.end(key), text, entry, country=iso))
                    else:
                        found.append(ActorMention(m.start(), m.end(), original[m.start() : m.end()], entry, country=iso))
        if self._acronym_re is not None:
            for m in self._acronym_re.finditer(original):
                if m.group(1) == "IS" and not re.match(r"\s+(?:militants|fighters|group|jihadists|extremists)\b", original[m.end() :]):
                    continue  # "IS" alone is too ambiguous
                found.append(ActorMention(m.start(), m.end(), m.group(1), self.entries[self.acronyms[m.group(1)]]))
        found.extend(self._bare_pair(original, folded))
        group_hint, group_re = _group_patterns(self.lexicon or default_lexicon())
        for m in (group_re.finditer(original) if group_hint.search(folded) else ()):
            named = self._group_mention(original, m)
            if named is not None:
                found.append(named)
        # longest-first, then drop mentions inside a longer one
        found.sort(key=lambda a: (a.start, -(a.end - a.start)))
        kept: list[ActorMention] = []
        for a in found:
            if kept and a.start < kept[-1].end:
                if (a.end - a.start) > (kept[-1].end - kept[-1].start):
                    kept[-1] = a
                continue
            # "government security forces (NISA)": a unit named in brackets after a state force is that force's unit
            bracketed = bool(kept) and _UNIT_IN_BRACKETS.fullmatch(folded[kept[-1].end : a.start]) is not None
            if bracketed and a.entry.name == kept[-1].entry.name and a.subunit == kept[-1].subunit:
                continue  # "Southwest Special Police Forces (SWSPF)": the same actor restated
            if bracketed and a.subunit and not kept[-1].subunit:
                prev = kept[-1]
                if prev.entry.role is not None and prev.entry.role == a.entry.role and (prev.entry.country in (None, a.entry.country)):
                    kept[-1] = ActorMention(prev.start, prev.end, prev.text, a.entry, country=a.entry.country, subunit=a.subunit)
                    continue
            kept.append(a)
        return kept

    def _group_mention(self, original: str, m: re.Match[str]) -> ActorMention | None:
        """ "<Group> militants" as an actor: leading dates and adverbs cut ("On Wednesday IS militants" -> IS),
        a name the registry knows resolved through it ("ISILs fighters" -> Islamic State), a partisan or
        descriptive adjective ("Takfiri", "US-backed") kept as a label, anything else a new group (inter 2)."""
        words = list(re.finditer(r"\S+", m.group("group")))
        while words and (fold(words[0].group(0)).strip(".,") in _LEADING_WORDS or words[0].group(0) == "of"):
            words = words[1:]  # ("Hundreds of Boko Haram fighters": the count and its "of" too)
        if not words or not re.fullmatch(_NAME_WORD, words[0].group(0)):
            return None
        start = m.start("group") + words[0].start()
        group = original[start : m.end("group")]
        key = fold(group)
        if key.split()[0] in _GROUP_STOP or key in self.country_words:
            return None
        text = original[start : m.end()]
        named = self._known_group(group)
        if named is None and len(key.split()) > 1 and _LABEL_GROUP.search(key.split()[0]):
            # "Takfiri ISIS terrorists": a partisan adjective before a name the registry knows; the name decides
            named = self._known_group(group.split(None, 1)[1])
        if named is not None:
            entry, subunit = named
            return ActorMention(start, m.end(), text, entry, subunit=subunit)
        if _LABEL_GROUP.search(key):
            return ActorMention(start, m.end(), text, ActorEntry(name=text, inter=2, label=True))
        return ActorMention(start, m.end(), text, ActorEntry(name=group, inter=2))

    def _known_group(self, group: str) -> tuple[ActorEntry, str | None] | None:
        """The registry's entry (and subunit) for a group's name as written: an acronym ("IS", "ISILs" -> ISIL) or an alias."""
        bare = group[:-1] if group.endswith("s") and group[:-1].isupper() else group  # "ISILs" -> "ISIL"
        for candidate in (bare, bare.upper() if len(bare) >= 3 and bare.isalpha() else None):
            if candidate and candidate in self.acronyms:  # "IS militants": the head word makes even "IS" safe
                return self.entries[self.acronyms[candidate]], None
        hit = self.aliases.get(fold(group)) or self.aliases.get(fold(bare))
        if hit is None:
            # "BNP militants": a party whose armed members the registry names by their other words ("BNP cadres")
            members = (self.lexicon or default_lexicon()).cues["member_words"]
            hit = next((h for w in members if (h := self.aliases.get(f"{fold(group)} {w}")) is not None), None)
        if hit is not None:
            return self.entries[hit[0]], hit[1]
        return None

    def _coordinated(self, original: str, folded: str, start: int, end: int) -> list[ActorMention]:
        """ "Garre and Degodia militias": the word before "and" with the matched name's head is an actor too, when
        the registry has that name ("Garre militias")."""
        matched = folded[start:end]
        m = _COORDINATED_BEFORE.search(folded, max(0, start - 60), start) if " " in matched else None
        if m is None:
            return []
        # the head is what follows the name: try each split of the matched alias ("habar yoonis clan militia" ->
        # "clan militia", then "militia"); the name before "and" may have up to three words ("Habar Jeclo and ...")
        words = matched.split(" ")
        for k in range(1, len(words)):
            head = " ".join(words[k:])
            names = m.group(1).split(" ")
            for n in range(min(3, len(names)), 0, -1):
                name_words = " ".join(names[-n:])
                hit = self.aliases.get(f"{name_words} {head}")
                if hit is not None:
                    at = m.end(1) - len(name_words)
                    entry_name, subunit = hit
                    return [ActorMention(at, m.end(1), original[at : m.end(1)], self.entries[entry_name], subunit=subunit)]
        return []

    def _bare_pair(self, original: str, folded: str) -> list[ActorMention]:
        """ "clashes between the Pokot and Marakwet", "Borana and Gabra clashed": two groups' bare words joined by "and"
        are both groups (their heads, "Pokot raiders", are found by the aliases); not where a place noun follows
        ("Turkana and Samburu counties")."""
        out: list[ActorMention] = []
        at = folded.find(" and ") if self.group_words else -1
        while at >= 0:
            # the word before " and " first (cheap): most sentences have no people's name there
            start = at
            while start > 0 and (folded[start - 1].isalnum() or folded[start - 1] in "'-"):
                start -= 1
            if folded[start:at] in self.group_words:
                m = _BARE_PAIR.match(folded, start)
                if m is not None:
                    first, second = self.group_words.get(m.group(1)), self.group_words.get(m.group(2))
                    if first is not None and second is not None and first != second:
                        for k, name in ((1, first), (2, second)):
                            out.append(ActorMention(m.start(k), m.end(k), original[m.start(k) : m.end(k)], self.entries[name]))
            at = folded.find(" and ", at + 5)
        return out

    def state_entry(self, iso: str, role: str) -> ActorEntry:
        dated = []
        for entry in self.entries.values():
            if entry.country == iso and entry.role == role:
                if entry.valid[1] is None:
                    return entry
                dated.append(entry)
        if dated:
            # only dated names ("... of the United States (2017-2021)"): the latest; resolve() picks the year's
            return max(dated, key=lambda e: e.valid[0] or 0)
        country = self.countries.get(iso, iso)
        kind = "Police Forces" if role == "police" else "Military Forces"
        article = "the " if country in _COUNTRIES_WITH_THE else ""
        return ActorEntry(name=f"{kind} of {article}{country}", inter=1, country=iso, role=role)

    def resolve(
        self, mention: ActorMention, event_country: str | None, year: int | None, span_offset: int = 0, place_country: str | None = None
    ) -> Actor:
        """The contract Actor for a mention in an event in ``event_country`` (ISO) and ``year``.

        ``place_country`` (the country of the event's location, when known) decides whose "government
        troops" or "regime forces" they are: a report mostly about France may tell of a strike in Syria.
        """
        entry = mention.entry
        if entry.role and not entry.country and event_country:
            entry = self.state_entry(event_country, entry.role)  # "government forces" in a Syrian report
        elif entry.role and entry.country and mention.country is None and _names_no_state(mention.text):
            # "regime forces" is in syria.yaml, but in a report about Myanmar it is Myanmar's army
            home = place_country or event_country
            if home and home != entry.country:
                entry = self.state_entry(home, entry.role)
        if year is not None and entry.country and entry.role:
            entry = self.for_year(entry, year)
        name = entry.name
        # where it happened decides whose civilians and rebels they are, and who is abroad; the report's country without a place
        home = place_country or event_country
        country = self.countries.get(home or "", None)
        inter = entry.inter
        if entry.label or (entry.name == GENERIC_REBELS and country):
            # a partisan label ("terrorists", "Takfiri militants") is no name, and "rebels" names nobody: ACLED's generic
            # rebels of the country, unless the text names the group (see events.assemble._designate); the words stay as
            # the actor's text
            name, inter = self.rebels_of(home) if country else (GENERIC_REBELS, 2)
            name = f"{name} ({country})" if country else name
        elif entry.localized and country:
            name = f"{entry.name} ({country})"
        if inter == 1 and entry.country and home and entry.country != home:
            inter = 8  # a state force acting abroad (Turkey's military in Syria)
        span = Span(mention.start + span_offset, mention.end + span_offset)
        return Actor(name=name, text=mention.text, inter=inter, subunit=mention.subunit, span=span)

    def rebels_of(self, iso: str | None) -> tuple[str, int]:
        """ACLED's name (without the country) and inter of an armed opposition nobody names in country ``iso``: the
        country's ``rebels`` ("Opposition Rebels" in Syria), else "Unidentified Armed Group" (inter 3), as ACLED codes
        unnamed militants in Kenya, Somalia and South Asia."""
        named = self.generic_rebels.get(iso or "")
        return (named, 2) if named else (UNIDENTIFIED_ARMED_GROUP, 3)

    def names_rebels(self, text: str | None) -> bool:
        """Whether ``text`` (an actor's words) names an armed opposition by no name: "rebels", "insurgents", a partisan
        label ("militants", "terrorists")."""
        return bool(text) and any(m.entry.label or m.entry.name == GENERIC_REBELS for m in self.find(str(text)))

    def for_year(self, entry: ActorEntry, year: int) -> ActorEntry:
        """The entry of the same state and role whose years (``valid``) hold ``year`` ("Police Forces of Kenya
        (2002-2013)" for 2010), else ``entry``."""
        lo, hi = entry.valid
        if (lo is None or year >= lo) and (hi is None or year <= hi):
            return entry
        for other in self.entries.values():
            if other.country == entry.country and other.role == entry.role:
                olo, ohi = other.valid
                if (olo is None or year >= olo) and (ohi is None or year <= ohi):
                    return other
        return entry


GENERIC_REBELS = "Opposition Rebels"
UNIDENTIFIED_ARMED_GROUP = "Unidentified Armed Group"
_PERIOD_SUFFIX = re.compile(r" \(\d{4}-(?:\d{4})?\)$")  # a state force's period: "Military Forces of Myanmar (2021-)"
# "Garre and Degodia militias": the first of two names that share the head after the second
_COORDINATED_BEFORE = re.compile(r"(?<![\w'\-])([\w'\-]+(?: [\w'\-]+){0,2})\s+(?:and|&|or)\s+$")
# two bare words joined by "and", no place noun after them ("Turkana and Samburu counties" are places)
_BARE_PAIR = re.compile(r"(?<![\w'\-])([\w'\-]+)\s+and\s+(?:the\s+)?([\w'\-]+)(?![\w'\-])(?!\s+(?:counties|county|districts?|regions?|"
                        r"provinces?|towns?|villages?|sub-counties|constituenc\w+|borders?|areas?|states?|rivers?|valleys?|lands?))")


def _spaced(cue: str) -> str:
    """A country cue with its spaces and hyphens as one space: "Jubo-League" and "Jubo League" meet."""
    return re.sub(r"[ \-]+", " ", cue)


# "BNP-led alliance", "AL-backed activists": a country cue leading a compound still names its party
_CUE_COMPOUND = r"(?:led|backed|linked|affiliated|allied|supported|sponsored|controlled|run|dominated|aligned|leaning)"
_UNIT_IN_BRACKETS = re.compile(r"\s*\(\s*(?:[\w'\-]+\s+){0,3}?")  # "forces (", "soldiers (the ", "forces (Gorgor and "


def acled_name(actor: Actor) -> str:
    """The actor's name as ACLED's exports write it: a registered subunit follows its force
    ("Military Forces of Somalia (2022-) Puntland Dervish Force")."""
    return f"{actor.name} {actor.subunit}" if actor.subunit else actor.name
_NOT_STATE_BEFORE = re.compile(r"(?:backed|led|allied|affiliated|opposition|rebel|anti-government|anti-regime|anti-assad)\s+$")
_COUNTRIES_WITH_THE = frozenset(
    ["United States", "United Kingdom", "Netherlands", "Philippines", "United Arab Emirates", "Democratic Republic of Congo",
     "Central African Republic", "Gambia", "Bahamas", "Comoros", "Maldives"]
)
# Words that open a "<Group> militants" match but are no part of a name: dates, adverbs, conjunctions, counts.
_LEADING_WORDS = frozenset(
    """on in at by after before during since until meanwhile earlier later lately recently reportedly allegedly apparently
    then also but and or yet so however moreover overnight
    yesterday today tonight last this next early late monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december dozens hundreds thousands tens numbers scores several many some
    one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen twenty thirty forty fifty the a an
    when while as if though although because""".split()
)
# A "<Group>" that describes instead of naming: a partisan or descriptive label ("Takfiri", "US-backed", "Sunni")
_LABEL_GROUP = re.compile(
    r"(?:^|\s)(?:takfiri|jihadist|jihadi|islamist|sunni|shiite|shia|salafist|salafi|wahhabi|extremist|radical|terrorist|kurd|kurdish"
    r"|muslim|islamic|hindu|christian|buddhist)s?$"
    r"|-(?:backed|linked|affiliated|allied|supported|sponsored|led)\b"
)
# Words that say "the state's forces" without saying which state: such a phrase belongs to the report's country.
_STATE_GENERIC_WORDS = frozenset(
    """the government regime junta loyalist loyalists pro-government pro-regime state national regular army military armed forces force
    troops soldiers soldier artillery warplanes jets aircraft helicopters drones tanks air security fighters government's regime's""".split()
)


def _names_no_state(text: str) -> bool:
    words = fold(text).split()
    return bool(words) and all(w in _STATE_GENERIC_WORDS for w in words)


def country_from_words(registry: ActorRegistry, original: str, demonyms: Sequence[tuple[int, int, str]] = (),
                       folded: str | None = None) -> tuple[str | None, tuple[str, ...]]:
    """The country a report's own words place it in when it names no place: (ISO, the words as written) or (None, ()).

    The words: the registry's country cues (parties, institutions: "Awami League", "upazila", "BJP") and the
    report's demonyms (``demonyms``: (start, end, ISO) of the places stage's demonym mentions, "Kenyan teachers"),
    except a demonym inside a state force's name ("Russian warplanes": whose forces, not where). One country must
    have more than half of the hits; a report whose words point several ways gets none."""
    folded = folded if folded is not None else fold(original)
    forces = [(m.start, m.end) for m in registry.find(original, folded) if m.entry.role]
    hits = [(start, original[start:end], iso) for start, end, iso in demonyms if not any(a <= start < b for a, b in forces)]
    hits += registry.cue_hits(original, folded)
    if not hits:
        return None, ()
    counts = Counter(iso for _, _, iso in hits)
    iso, n = counts.most_common(1)[0]
    if 2 * n <= len(hits):
        return None, ()
    words = dict.fromkeys(word for _, word, code in sorted(hits) if code == iso)
    return iso, tuple(words)[:3]


# ACLED's names of a state's forces: "Military Forces of Syria (2000-)", "Police Forces of the United States (2017-2021)"
STATE_NAME = re.compile(r"^(Military|Police) Forces of (?:the )?(.+?)(?: \(\d{4}-(?:\d{4})?\))?$")


def _is_acronym(cue: str) -> bool:
    """A cue written in capitals ("BNP", "CPN-UML", "JUI-F"): matched as written, never inside ordinary words."""
    return cue.upper() == cue and any(ch.isalpha() for ch in cue)


def _boundary_before(text: str, i: int) -> bool:
    """A word starts at ``i``: not inside "Nu'man" or "al-Bab" (an apostrophe or hyphen after a letter joins)."""
    if i == 0:
        return True
    c = text[i - 1]
    if c.isalnum():
        return False
    return not (c in "'-" and i >= 2 and text[i - 2].isalnum())


def _boundary_after(text: str, i: int) -> bool:
    if i >= len(text):
        return True
    c = text[i]
    if c.isalnum():
        return False
    return not (c == "-" and i + 1 < len(text) and text[i + 1].isalnum())


_GROUP_STOP = frozenset(
    """the some many other armed local foreign pro several two three four five these those their our his her its a an islamist
    moderate radical opposition rebel syrian kurdish all most more hundreds dozens thousands unidentified unknown suspected alleged
    masked allied backed pro-regime pro-government pro-assad pro-damascus""".split()
)
_NAME_WORD = r"[A-Z][\w'’\-]+|al-[A-Z][\w'’\-]+"


@lru_cache(maxsize=4)
def _group_patterns(lexicon: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """ "<Group> militants": a quick test for a head word anywhere, and the pattern; the heads are the lexicon's ``group_heads``."""
    heads = "|".join(re.escape(h) for h in lexicon.cues["group_heads"])
    group = r"(?P<group>(?:" + _NAME_WORD + r")(?:\s+(?:" + _NAME_WORD + r"|al|bin|of|ul|e)){0,3})"
    return re.compile(heads), re.compile(r"\b" + group + r"\s+(?:" + heads + r")\b")


# libyaml's parser for the packaged registry files (about 0.3 CPU s less per process than PyYAML's)
PACKAGED_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _builtin_texts() -> Iterable[tuple[str, str]]:
    folder = files("fogwatch").joinpath("data", "actors")
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith((".yaml", ".yml")):
            yield item.read_text(encoding="utf-8"), f"fogwatch/data/actors/{item.name}"


def load_registry(extra_paths: Iterable[str] = (), use_env: bool = True, lexicon: Lexicon | None = None) -> ActorRegistry:
    """The built-in registry, then ``$FOGWATCH_ACTORS``, then ``extra_paths``; ``lexicon`` gives the group head words."""
    registry = ActorRegistry(lexicon=lexicon)
    for text, origin in _builtin_texts():
        registry.add_file(text, origin, packaged=True)
    for text, origin in user_registry_texts(ENV_VAR, extra_paths, use_env, "actor registry", Code.ACTOR_REGISTRY):
        registry.add_file(text, origin)
    # Every other country by GeoNames' name, so that a force or a generic actor in a country the files do not list
    # is still named ("Police Forces of Italy", never "Police Forces of IT"); the files' names (ACLED's) come first.
    for iso, name in country_names().items():
        registry.countries.setdefault(iso, name)
    registry.add_state_periods()
    registry.add_names_before_periods()
    return registry


def _periods(raw: Any, where: str) -> tuple[tuple[int, int | None], ...]:
    """``[[2015, 2023], [2023, null]]`` -> ((2015, 2023), (2023, None)), checked: years in order, only the last open."""
    if not isinstance(raw, list) or not raw:
        raise UsageError(f"{where}: expected a list of [start, end] years", Code.ACTOR_REGISTRY)
    out: list[tuple[int, int | None]] = []
    for i, period in enumerate(raw):
        ok = isinstance(period, list) and len(period) == 2 and isinstance(period[0], int) and (period[1] is None or isinstance(period[1], int))
        if not ok or (period[1] is not None and period[1] < period[0]) or (out and (out[-1][1] is None or period[0] < out[-1][1])):
            raise UsageError(f"{where}: period #{i + 1} {period!r} must be [start, end or null], in order, only the last open",
                             Code.ACTOR_REGISTRY)
        out.append((period[0], period[1]))
    return tuple(out)


@lru_cache(maxsize=4)
def default_registry(env_value: str | None = None) -> ActorRegistry:
    """The registry for ``$FOGWATCH_ACTORS`` as it is now (cached per value)."""
    return load_registry()


def registry_from_env() -> ActorRegistry:
    return default_registry(os.environ.get(ENV_VAR))
