"""The slant cue lists as data (``fogwatch/data/slant/*.yaml`` plus the user's files).

A file is a mapping ``cues: {name: [phrase, ...]}``. A phrase is one or more
lower-case words; a word ending in ``*`` matches any ending. User files only
add phrases (or new lists, which become new features only once a model is
trained with them). Anything else stops with ``E712`` naming the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any

import yaml

from fogwatch.errors import Code, UsageError
from fogwatch.registry_files import checked_yaml, user_registry_texts


@dataclass(frozen=True, slots=True)
class CueLexicon:
    """Cue name -> phrases, each a tuple of words (a word ending ``*`` is a prefix); and the cue rules."""

    cues: Mapping[str, tuple[tuple[str, ...], ...]]
    rules: tuple["CueRule", ...] = ()
    rule_only: frozenset[str] = frozenset()  # lists under rule_cues: read by rules, never tagger features

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self.cues))

    def index(self) -> "CueIndex":
        """The lists the tagger's features read (``rule_cues`` left out)."""
        return CueIndex.build(CueLexicon({k: v for k, v in self.cues.items() if k not in self.rule_only}))

    def rule_index(self) -> "CueIndex":
        """Every list, for the cue rules."""
        return CueIndex.build(self)


@dataclass(frozen=True, slots=True)
class CueIndex:
    """Phrases by first word (exact words) and by prefix (``barbar*``), for matching over tokens."""

    exact: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]]
    prefixes: tuple[tuple[str, str, tuple[str, ...]], ...]  # (prefix, cue, phrase) for phrases opening with a prefix
    # The same prefixes by their first three letters (shorter ones under ""), so a word is tried only against its own.
    by_head: Mapping[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = field(default_factory=dict)
    # a word -> the (cue, phrase) whose first word it matches, in matches()'s order (exact, then prefixes); made per
    # distinct word on first sight (cleared when full)
    _openers: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, lexicon: CueLexicon) -> "CueIndex":
        exact: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        prefixes: list[tuple[str, str, tuple[str, ...]]] = []
        for cue, phrases in lexicon.cues.items():
            for phrase in phrases:
                first = phrase[0]
                if first.endswith("*"):
                    prefixes.append((first[:-1], cue, phrase))
                else:
                    exact.setdefault(first, []).append((cue, phrase))
        by_head: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {}
        for entry in prefixes:
            by_head.setdefault(entry[0][:3] if len(entry[0]) >= 3 else "", []).append(entry)
        return cls({k: tuple(v) for k, v in exact.items()}, tuple(prefixes), {k: tuple(v) for k, v in by_head.items()})

    def names(self) -> frozenset[str]:
        """The cue lists this index holds."""
        return frozenset(cue for entries in self.exact.values() for cue, _ in entries) | frozenset(cue for _, cue, _ in self.prefixes)

    def matches(self, words: Sequence[str]) -> list[tuple[int, int, str]]:
        """(first token, end token exclusive, cue) of every phrase found in lower-cased ``words``."""
        found: list[tuple[int, int, str]] = []
        openers = self._openers
        for i, w in enumerate(words):
            entries = openers.get(w)
            if entries is None:
                entries = self._opening(w)
            for cue, phrase in entries:
                if len(phrase) == 1 or _match_at(words, i, phrase):  # a one-word phrase: its word is w
                    found.append((i, i + len(phrase), cue))
        return found

    def _opening(self, w: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The (cue, phrase) entries whose first word ``w`` matches, in :meth:`matches`'s order, kept for ``w``."""
        entries = tuple((cue, phrase) for cue, phrase in self.exact.get(w, ())) + tuple(
            (cue, phrase) for prefix, cue, phrase in (*self.by_head.get(w[:3], ()), *self.by_head.get("", ())) if w.startswith(prefix))
        if len(self._openers) >= 200_000:
            self._openers.clear()
        self._openers[w] = entries
        return entries


def _word_matches(word: str, pattern: str) -> bool:
    return word.startswith(pattern[:-1]) if pattern.endswith("*") else word == pattern


def _match_at(words: Sequence[str], i: int, phrase: tuple[str, ...]) -> bool:
    if i + len(phrase) > len(words):
        return False
    return all(_word_matches(words[i + k], p) for k, p in enumerate(phrase))


def _phrases(value: Any, origin: str, cue: str) -> list[tuple[str, ...]]:
    if not isinstance(value, list):
        raise UsageError(f"slant cue file {origin}: cue list {cue!r} must be a list of phrases", Code.SLANT_LEXICON)
    out = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise UsageError(f"slant cue file {origin}: cue list {cue!r} has {item!r}, not a phrase", Code.SLANT_LEXICON)
        out.append(tuple(item.lower().split()))
    return out


# libyaml's parser for the packaged files (a test checks it loads them as PyYAML's does); a user's files
# go through PyYAML's, as every registry's.
PACKAGED_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(text: str, origin: str, packaged: bool = False) -> Any:
    """One file's data, checked (:func:`fogwatch.registry_files.checked_yaml`) and loaded once; ``E712`` when it is not YAML."""
    ok, data = checked_yaml(text, origin, "slant cue file", Code.SLANT_LEXICON, PACKAGED_LOADER if packaged else yaml.SafeLoader)
    if not ok:
        try:
            data = yaml.safe_load(text)  # raises the loader's own message
        except yaml.YAMLError as exc:
            raise UsageError(f"slant cue file {origin} is not valid YAML: {exc}", Code.SLANT_LEXICON) from None
    return data


def parse_cues(text: str, origin: str, data: Any = None) -> dict[str, list[tuple[str, ...]]]:
    """The ``cues`` of one YAML file; ``E712`` when it is not YAML or has another shape.
    ``data``: the file already loaded by :func:`_load` (else it is checked and loaded here)."""
    if data is None:
        data = _load(text, origin)
    if data is None:
        return {}
    if not isinstance(data, dict) or set(data) - {"cues", "rules", "rule_cues"} or any(not isinstance(data.get(k) or {}, dict) for k in ("cues", "rule_cues")):
        raise UsageError(f"slant cue file {origin}: expected a mapping with cues/rule_cues: {{name: [phrases]}} and/or rules: [...]", Code.SLANT_LEXICON)
    out: dict[str, list[tuple[str, ...]]] = {}
    for cue, value in [*(data.get("cues") or {}).items(), *(data.get("rule_cues") or {}).items()]:
        if not isinstance(cue, str) or not cue.replace("_", "").isalnum():
            raise UsageError(f"slant cue file {origin}: cue name {cue!r} is not a word", Code.SLANT_LEXICON)
        out[cue] = _phrases(value, origin, cue)
    return out


@dataclass(frozen=True, slots=True)
class CueRule:
    """A span the tagger may miss: ``min_hits`` matches of the ``cues`` lists in one sentence, first to last."""

    name: str
    technique: str
    cues: frozenset[str]
    min_hits: int
    score: float
    extend: int = 0  # words after the last cue the span also covers (stops at punctuation)


_RULE_KEYS = {"name", "technique", "cues", "min_hits", "score", "extend"}


def parse_rules(text: str, origin: str, data: Any = None) -> list[CueRule]:
    """The ``rules`` of one YAML file (already checked by :func:`parse_cues`; ``data``: the file already
    loaded); ``E712`` for a bad rule."""
    from fogwatch.slant.model import TECHNIQUES

    data = (yaml.safe_load(text) if data is None else data) or {}
    rules = data.get("rules") or []
    if not isinstance(rules, list):
        raise UsageError(f"slant cue file {origin}: rules must be a list", Code.SLANT_LEXICON)
    out = []
    for r in rules:
        ok = isinstance(r, dict) and _RULE_KEYS - {"extend"} <= set(r) <= _RULE_KEYS and r["technique"] in TECHNIQUES and isinstance(r["name"], str)
        extend = r.get("extend", 0) if isinstance(r, dict) else 0
        ok = ok and isinstance(extend, int) and not isinstance(extend, bool) and 0 <= extend <= 10
        ok = ok and isinstance(r["cues"], list) and all(isinstance(c, str) for c in r["cues"])
        ok = ok and isinstance(r["min_hits"], int) and not isinstance(r["min_hits"], bool) and r["min_hits"] >= 1
        ok = ok and isinstance(r["score"], (int, float)) and not isinstance(r["score"], bool) and 0 <= r["score"] <= 1
        if not ok:
            raise UsageError(f"slant cue file {origin}: rule {r!r} needs name, technique (a PTC name), cues (list names), "
                             "min_hits (>= 1) and score (0..1); extend (0..10) is optional", Code.SLANT_LEXICON)
        out.append(CueRule(r["name"], r["technique"], frozenset(r["cues"]), r["min_hits"], float(r["score"]), extend))
    return out


def _packaged_texts() -> list[tuple[str, str]]:
    folder = files("fogwatch").joinpath("data", "slant")
    return [(f.read_text(encoding="utf-8"), f"fogwatch/data/slant/{f.name}") for f in sorted(folder.iterdir(), key=lambda f: f.name) if f.name.endswith(".yaml")]


def load_cues(extra_paths: Iterable[str] = ()) -> CueLexicon:
    """The packaged cue lists plus the user's files (files or folders of ``.yaml``)."""
    merged: dict[str, list[tuple[str, ...]]] = {}
    rules: list[CueRule] = []
    rule_only: set[str] = set()
    packaged = _packaged_texts()
    texts = packaged + list(user_registry_texts("", extra_paths, False, "slant cue file", Code.SLANT_LEXICON))
    for k, (text, origin) in enumerate(texts):
        data = _load(text, origin, k < len(packaged))  # once per file (checking and loading 100 kB of YAML was most of the start-up)
        for cue, phrases in parse_cues(text, origin, data).items():
            bucket = merged.setdefault(cue, [])
            bucket.extend(p for p in phrases if p not in bucket)
        rules.extend(parse_rules(text, origin, data))
        rule_only.update((data or {}).get("rule_cues") or {})
    unknown = sorted({c for r in rules for c in r.cues} - set(merged))
    if unknown:
        raise UsageError(f"slant cue rules name cue lists no file defines: {', '.join(unknown)}", Code.SLANT_LEXICON)
    return CueLexicon({k: tuple(v) for k, v in merged.items()}, tuple(rules), frozenset(rule_only))


@lru_cache(maxsize=1)
def default_cues() -> CueLexicon:
    return load_cues()
