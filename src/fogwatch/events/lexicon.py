"""The event lexicon as data: trigger phrases, weak triggers and named cue lists (``fogwatch/data/lexicon/*.yaml``).

Every packaged ``*.yaml`` file is read in name order, then the user's files
(``extra_paths``: files or folders of ``.yaml`` files, read through
:func:`fogwatch.registry_files.user_registry_texts` like the actor registry).
A file is a mapping with any of three sections::

    triggers:        # sub-event type or pseudo-type -> tier (1..3) -> phrases
      Air/drone strike:
        3: [loitering munition*]
    weak_triggers: [frontline]       # trigger texts that need a date or figure in running text
    cues:            # named word lists (nonstate, civilian, ...): the names the rules read
      nonstate: [wagner]

User files only add phrases. A file that is not valid YAML, uses anchors or
aliases, has another shape, names an unknown type, tier or cue list, or
lists a phrase that is not a plain string stops with ``E602`` and a message
naming the file. The loader reads no environment variable: the paths are its
argument.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib.resources import files
from itertools import chain
from typing import Any

import ahocorasick
import yaml

from fogwatch.errors import Code, UsageError
from fogwatch.events.taxonomy import SUB_EVENT_TYPES
from fogwatch.registry_files import MAX_DEPTH, user_registry_texts
from fogwatch.text.normalize import fold

# Kinds a trigger may carry besides the 25 sub-event types; classify.resolve_kind reads them in their clause.
PSEUDO_TYPES: tuple[str, ...] = ("territory", "protest", "intervention", "riot", "kill", "weapon", "none")
TRIGGER_KINDS: frozenset[str] = frozenset(SUB_EVENT_TYPES) | frozenset(PSEUDO_TYPES)
TIERS: tuple[int, ...] = (1, 2, 3)
# The cue lists the rules read (classify.py, actors.py); the packaged cues.yaml defines each.
CUE_NAMES: tuple[str, ...] = (
    "nonstate", "state", "civilian", "combatant_victim", "harm_verbs", "lethal", "excessive_force",
    "casualty", "change_context", "attack_verbs", "air_attack", "responsibility", "group_heads", "sighting", "two_sided",
    # counting (figures and fatalities by ACLED's rules; docs/fatalities.md): read by events/figures.py and assemble.py
    "victim_nouns", "unknown_number", "summary_toll", "subset", "repeat", "doubt", "party", "background", "averted", "cause",
    # a protest's crowd named again in a later sentence (assemble._protest_interventions)
    "crowd", "grievance",
    # a demonstration its rioters belong to (actor_kinds.rioters_riot: their mob violence is a violent demonstration)
    "demonstration_program",
    # people a force disperses, with no protest word: a protest with intervention (classify.combine)
    "dispersed_crowd",
    # a later sentence that puts damage on the protest ("vehicles were burnt during the protest"): its turn to violence
    # (assemble._turned_violent)
    "protest_scene", "protest_damage",
    # the words a party's armed members go by in the actor registry ("BNP cadres"): "<Party> militants" is that militia
    # too (actors.ActorRegistry._known_group)
    "member_words",
    # weak triggers that report an act when a side stands just before them as their subject ("Raiders attack a
    # village", "Police battle gunmen"), and the words after a noun use of them ("attacks have risen")
    "verb_triggers", "noun_use", "adjective_participles",
    # the head of a headline's own subject that no registry actor names ("Prison warders attack a journalist")
    "headline_subjects",
    # verbs whose object is a weapon weak on its own ("fired mortar shells at the village", "launched rockets"): the
    # weapon word then reports an act (assemble._fired_weapon)
    "firing_verbs",
    # an attack named as such, words that take ground, forces off duty (assemble._lethal_takings, _clash_won_ground, _actors)
    "attack_words", "taking_words", "off_duty",
)
SECTIONS: tuple[str, ...] = ("triggers", "weak_triggers", "cues")
_WHAT = "lexicon"
_PHRASE = re.compile(r"[^*]*[^*\s]\*?")

TriggerValue = tuple[str, int, bool, int]  # (kind, tier, stem, key length): what the automaton finds
GAP = "..."  # a trigger phrase's gap: one to GAP_WORDS words the phrase holds ("set ... ablaze": set two buses ablaze)
GAP_WORDS = 4


@dataclass(frozen=True)
class GappedTrigger:
    """A trigger phrase with a gap (``set ... ablaze``), matched by a pattern over folded text, not by the automaton."""

    pattern: re.Pattern[str]
    first: str  # the phrase's first word: a clause without it cannot match
    kind: str
    tier: int


@dataclass(frozen=True, eq=False)  # identity-hashed: callers may cache on it
class Lexicon:
    """The merged lexicon: read-only, with its automaton and cue patterns built on first use."""

    triggers: Mapping[str, Mapping[int, tuple[str, ...]]]
    weak_triggers: frozenset[str]
    cues: Mapping[str, tuple[str, ...]]
    sources: tuple[str, ...] = ()

    @cached_property
    def automaton(self) -> Any:
        """One Aho-Corasick automaton over every trigger phrase: folded key -> :data:`TriggerValue`.

        A phrase listed twice keeps the higher tier; at the same tier, the first listed.
        """
        automaton = ahocorasick.Automaton()
        for kind, tiers in self.triggers.items():
            for tier, phrases in tiers.items():
                for phrase in phrases:
                    if GAP in phrase.split():
                        continue  # (``gapped``)
                    key = phrase.rstrip("*")
                    prev = automaton.get(key, None)
                    if prev is None or prev[1] < tier:
                        automaton.add_word(key, (kind, tier, phrase.endswith("*"), len(key)))
        automaton.make_automaton()
        return automaton

    @cached_property
    def gapped(self) -> tuple[GappedTrigger, ...]:
        """The trigger phrases with a gap, each as a pattern: the words around ``...`` with one to :data:`GAP_WORDS`
        words between them (never across punctuation), a trailing ``*`` any letters; the higher tier of a phrase
        listed twice."""
        best: dict[str, tuple[str, int]] = {}
        for kind, tiers in self.triggers.items():
            for tier, phrases in tiers.items():
                for phrase in phrases:
                    if GAP in phrase.split() and (phrase not in best or best[phrase][1] < tier):
                        best[phrase] = (kind, tier)
        out = []
        for phrase, (kind, tier) in best.items():
            before, after = (part.strip() for part in phrase.split(GAP, 1))
            end = re.escape(after[:-1]) + r"[^\W\d_]*" if after.endswith("*") else re.escape(after) + r"\b"
            gap = r"\s+(?:[\w'\-]+\s+){1,%d}?" % GAP_WORDS
            out.append(GappedTrigger(re.compile(r"\b" + re.escape(before) + gap + end), before.split()[0], kind, tier))
        return tuple(out)

    @cached_property
    def _patterns(self) -> dict[str, re.Pattern[str]]:
        return {name: cue_pattern(words) for name, words in self.cues.items()}

    def cue(self, name: str) -> re.Pattern[str]:
        """The cue list ``name`` as one whole-word pattern (``\\b(?:...)\\b``, in list order)."""
        return self._patterns[name]


def cue_pattern(words: Sequence[str]) -> re.Pattern[str]:
    """Whole-word alternation of ``words``; a trailing ``*`` is any run of word characters."""
    return re.compile(r"\b(?:" + "|".join(_word_regex(w) for w in words) + r")\b")


def _word_regex(word: str) -> str:
    return re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word)


# --- reading files ---------------------------------------------------------------------------


@dataclass
class _Builder:
    triggers: dict[str, dict[int, list[str]]] = field(default_factory=dict)
    weak: list[str] = field(default_factory=list)
    cues: dict[str, list[str]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)

    def add(self, data: Mapping[str, Any], origin: str) -> None:
        for kind, tiers in _mapping(data.get("triggers"), origin, "triggers").items():
            self._add_triggers(kind, tiers, origin)
        self.weak.extend(_phrases(data.get("weak_triggers"), origin, "weak_triggers", stems=False))
        for name, words in _mapping(data.get("cues"), origin, "cues").items():
            if name not in CUE_NAMES:
                raise _error(origin, f"unknown cue list {name!r}; known: {', '.join(CUE_NAMES)}")
            self.cues.setdefault(name, []).extend(_phrases(words, origin, f"cues.{name}", stems=True))
        self.sources.append(origin)

    def _add_triggers(self, kind: Any, tiers: Any, origin: str) -> None:
        if kind not in TRIGGER_KINDS:
            raise _error(origin, f"unknown trigger type {kind!r}: use a sub-event type of CONTRACT.md or one of {', '.join(PSEUDO_TYPES)}")
        for tier, phrases in _mapping(tiers, origin, f"triggers.{kind}").items():
            if isinstance(tier, bool) or tier not in TIERS:
                raise _error(origin, f"triggers.{kind}: tier {tier!r} is not 1, 2 or 3")
            self.triggers.setdefault(kind, {}).setdefault(tier, []).extend(_phrases(phrases, origin, f"triggers.{kind}.{tier}", stems=True))

    def build(self) -> Lexicon:
        missing = [name for name in CUE_NAMES if not self.cues.get(name)]
        if missing:
            raise _error(", ".join(self.sources) or "(no files)", f"cue lists missing: {', '.join(missing)}")
        return Lexicon(
            triggers={k: {t: tuple(p) for t, p in tiers.items()} for k, tiers in self.triggers.items()},
            weak_triggers=frozenset(self.weak),
            cues={name: tuple(words) for name, words in self.cues.items()},
            sources=tuple(self.sources),
        )


def _error(origin: str, message: str) -> UsageError:
    return UsageError(f"{_WHAT} {origin}: {message}", Code.LEXICON)


def _mapping(value: Any, origin: str, where: str) -> Mapping[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _error(origin, f"{where} must be a mapping, not {type(value).__name__}")
    return value


def _phrases(value: Any, origin: str, where: str, stems: bool) -> list[str]:
    """A list of phrases, folded and with single spaces; a trailing ``*`` only where ``stems``."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise _error(origin, f"{where} must be a list of phrases, not {type(value).__name__}")
    out = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise _error(origin, f"{where}: {item!r} is not a phrase (write words as a string)")
        phrase = " ".join(fold(item).replace("\u2026", GAP).split())
        if not _PHRASE.fullmatch(phrase) or (phrase.endswith("*") and not stems):
            raise _error(origin, f"{where}: {item!r}: '*' may only end a phrase" + ("" if stems else ", and not here"))
        words = phrase.split()
        if GAP in phrase and (not where.startswith("triggers.") or words.count(GAP) != 1 or words[0] == GAP or words[-1] == GAP
                              or any(GAP in w and w != GAP for w in words)):
            raise _error(origin, f"{where}: {item!r}: '{GAP}' is a trigger phrase's one gap between words ('set {GAP} ablaze')")
        out.append(phrase)
    return out


def parse_file(text: str, origin: str) -> Mapping[str, Any]:
    """One file's mapping, refusing invalid YAML, anchors and aliases, duplicate keys and unknown sections."""
    try:
        _refuse_anchors(yaml.parse(text, Loader=_LOADER), origin)
        _refuse_duplicate_keys(yaml.compose(text, Loader=_LOADER), origin)
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise _error(origin, f"not valid YAML ({exc})") from None
    except ValueError as exc:  # an integer of more than 4,300 digits (Python's limit on int from text)
        raise _error(origin, f"a value fogwatch cannot read ({exc})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise _error(origin, f"expected a mapping with any of {', '.join(SECTIONS)}")
    unknown = [str(k) for k in data if k not in SECTIONS]
    if unknown:
        raise _error(origin, f"unknown section {', '.join(unknown)}; known: {', '.join(SECTIONS)}")
    return data


_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _refuse_anchors(events: Iterable[yaml.Event], origin: str) -> None:
    """Anchors, aliases and nesting deeper than MAX_DEPTH (libyaml's composer, called next, recurses per
    level and crashes the process at about 100,000), found in the parser's events one at a time."""
    depth = 0
    for event in events:
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _error(origin, "YAML anchors and aliases (&, *) are not allowed; write each phrase out")
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _error(origin, f"nested more than {MAX_DEPTH} levels deep at line {event.start_mark.line + 1}")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def _refuse_duplicate_keys(node: yaml.Node | None, origin: str) -> None:
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            keys = [k.value for k, _ in current.value]
            dup = next((k for i, k in enumerate(keys) if k in keys[:i]), None)
            if dup is not None:
                raise _error(origin, f"key {dup!r} appears twice in one mapping (line {current.start_mark.line + 1})")
            stack.extend(v for _, v in current.value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def _builtin_texts() -> Iterator[tuple[str, str]]:
    folder = files("fogwatch").joinpath("data", "lexicon")
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith((".yaml", ".yml")):
            yield item.read_text(encoding="utf-8"), f"fogwatch/data/lexicon/{item.name}"


def read_lexicon(texts: Iterable[tuple[str, str]]) -> Lexicon:
    """A lexicon from ``(text, origin)`` pairs, in order (no packaged files unless given)."""
    builder = _Builder()
    for text, origin in texts:
        builder.add(parse_file(text, origin), origin)
    return builder.build()


def load_lexicon(extra_paths: Sequence[str] = ()) -> Lexicon:
    """The packaged lexicon plus the user's files or folders ``extra_paths`` (cached per tuple of paths)."""
    return _load(tuple(str(p) for p in extra_paths))


@lru_cache(maxsize=8)
def _load(extra_paths: tuple[str, ...]) -> Lexicon:
    user = user_registry_texts("", extra_paths, False, _WHAT, Code.LEXICON)
    return read_lexicon(chain(_builtin_texts(), user))


def default_lexicon() -> Lexicon:
    """The packaged lexicon alone."""
    return _load(())
