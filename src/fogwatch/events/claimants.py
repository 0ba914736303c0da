"""The claimant registry: who a report says gave a figure -> one canonical source with its kind.

"the monitor", "the Britain-based Observatory", "SOHR" and "Syrian Observatory for Human Rights
monitoring group" are one source, the Syrian Observatory for Human Rights (a monitor). The
registry is YAML (``fogwatch/data/claimants/*.yaml``); users add files through the
``FOGWATCH_CLAIMANTS`` environment variable or ``extra_paths`` (the mechanism of the actor
registry, :mod:`fogwatch.registry_files`); a malformed file stops with ``E603``.

The registry also says what is *no* source: a claimant read as "<phrase> said" whose first word
is a date or adverb ("Last month bombings") or whose last word names a place or an event
("countrys eastern Deir ezzor province"). Such a claimant is never emitted.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any, Callable, Iterable, Sequence

import yaml

from fogwatch.errors import Code, UsageError
from fogwatch.registry_files import user_registry_texts
from fogwatch.text.normalize import fold

ENV_VAR = "FOGWATCH_CLAIMANTS"
KINDS = ("monitor", "government", "armed group", "media", "witness", "organisation")


@dataclass(frozen=True, slots=True)
class ClaimantSource:
    """One canonical source: "Syrian Observatory for Human Rights", a monitor."""

    name: str
    kind: str

    def to_contract(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind}


# the sources a document named before a claimant, in reading order (or a function giving them, computed on demand)
Context = Sequence[ClaimantSource] | Callable[[], Sequence[ClaimantSource]]


@dataclass(eq=False)  # identity-hashed: caches key on the registry object
class ClaimantRegistry:
    sources: dict[str, ClaimantSource] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # folded alias -> source name
    generic: dict[str, list[str]] = field(default_factory=dict)  # folded description ("monitor") -> sources it may be, default first
    acronyms: dict[str, str] = field(default_factory=dict)  # case-sensitive acronym -> source name
    first_words: set[str] = field(default_factory=set)
    heads: set[str] = field(default_factory=set)
    origins: list[str] = field(default_factory=list)
    _alias_re: re.Pattern[str] | None = None
    _acronym_re: re.Pattern[str] | None = None
    _generic_re: re.Pattern[str] | None = None

    # --- loading ---------------------------------------------------------------------------
    def add_file(self, text: str, origin: str) -> None:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise UsageError(f"claimant registry {origin}: not valid YAML ({exc})", Code.CLAIMANT_REGISTRY) from None
        problem = claimant_file_problem(data)
        if problem:
            raise UsageError(f"claimant registry {origin}: {problem}", Code.CLAIMANT_REGISTRY)
        data = data or {}
        for raw in data.get("claimants") or ():
            source = ClaimantSource(str(raw["name"]).strip(), str(raw["kind"]))
            self.sources[source.name] = source
            for alias in [source.name, *(raw.get("aliases") or ())]:
                key = _key(str(alias))
                if key:
                    self.aliases[key] = source.name
            for acro in raw.get("acronyms") or ():
                self.acronyms[str(acro)] = source.name
            for desc in raw.get("generic") or ():
                key = _key(str(desc))
                if key and source.name not in self.generic.setdefault(key, []):
                    self.generic[key].append(source.name)
        rules = data.get("not_sources") or {}
        self.first_words.update(_key(str(w)) for w in rules.get("first_words") or ())
        self.heads.update(_key(str(w)) for w in rules.get("heads") or ())
        self.origins.append(origin)
        self._alias_re = self._acronym_re = self._generic_re = None

    def _build(self) -> None:
        self._alias_re = _words_re(self.aliases, r"(?<![\w'\-])")
        self._acronym_re = _words_re(self.acronyms, r"(?<![\w\-])")
        self._generic_re = _words_re(self.generic, r"(?<![\w'\-])")

    # --- reading ---------------------------------------------------------------------------
    def lookup(self, text: str | None, context: Context = ()) -> ClaimantSource | None:
        """The registered source a claimant names: the longest alias or acronym inside it, as whole words.

        A description shared by many sources (a claimant's ``generic`` list: "the monitor", "state media")
        names one only when it stands alone: "Turkish state media" is not Syria's news agency. Alone, it is
        the latest source the document named before it (``context``, in reading order, or a function giving
        them) among those that list the description ("the Syrian Network for Human Rights ... the monitor
        said"), else the first source that lists it.
        """
        if not text:
            return None
        if self._alias_re is None and (self.aliases or self.acronyms or self.generic):
            self._build()
        folded = fold(text)
        best: tuple[int, str] | None = None
        for pattern, subject, table in ((self._alias_re, folded, self.aliases), (self._acronym_re, text, self.acronyms)):
            if pattern is None:
                continue
            for m in pattern.finditer(subject):
                name = table.get(m.group(0))
                if name and (best is None or len(m.group(0)) > best[0]):
                    best = (len(m.group(0)), name)
        if best:
            return self.sources[best[1]]
        return self._generic(folded, context)

    def _generic(self, folded: str, context: Context) -> ClaimantSource | None:
        found = self._generic_re.search(folded) if self._generic_re is not None else None
        if found is None:
            return None
        rest = (folded[: found.start()] + " " + folded[found.end() :]).replace("'s", " ")
        if any(w not in _BARE for w in re.findall(r"[\w\-]+", rest)):
            return None  # qualified: "Turkish state media", "a Kurdish monitor"
        names = self.generic[found.group(0)]
        earlier = [s for s in (context() if callable(context) else context) if s.name in names]
        return earlier[-1] if earlier else self.sources.get(names[0])

    def named_in(self, text: str) -> list[tuple[int, ClaimantSource]]:
        """Where a text names a registered source by a name or acronym (never by a description), in order."""
        if self._alias_re is None and (self.aliases or self.acronyms or self.generic):
            self._build()
        hits: list[tuple[int, ClaimantSource]] = []
        for pattern, subject, table in ((self._alias_re, fold(text), self.aliases), (self._acronym_re, text, self.acronyms)):
            if pattern is None:
                continue
            hits.extend((m.start(), self.sources[table[m.group(0)]]) for m in pattern.finditer(subject) if m.group(0) in table)
        return sorted(hits, key=lambda h: h[0])

    def not_a_source(self, text: str) -> str | None:
        """Why a claimant is no source (a date or adverb first, a place or an event last), or None."""
        words = [w for w in re.split(r"[\s,;:]+", fold(text).strip(" .'\"")) if w]
        if not words:
            return "empty"
        if words[0] in self.first_words:
            return f"starts with {words[0]!r}: a date, adverb or clause, not a source"
        if words[-1] in self.heads:
            return f"ends with {words[-1]!r}: a place or an event, not a source"
        return None

    def clean(self, text: str | None, context: Context = ()) -> tuple[str | None, ClaimantSource | None]:
        """A claimant as read -> (the claimant to emit, its registered source); (None, None) when it is no source.

        A registered source wins ("so-called Syrian Observatory" is the Observatory). Otherwise leading
        date words and adverbs are cut ("Idleb Meanwhile civil sources" -> "civil sources"), and so is a place
        after "in" ("Activists in Idlib province" -> "Activists"); what is left must not end in a place or an event.
        """
        if not text or not text.strip():
            return None, None
        found = self.lookup(text, context)
        if found is not None:
            return text, found
        words = text.split()
        folded = [_key(w).strip(".,'\"") for w in words]
        lead = 0
        while lead < len(folded) and folded[lead] in self.first_words:
            lead += 1
        # an adverb or date inside ("Idleb Meanwhile civil sources"): the source follows it
        cut = max((i + 1 for i, w in enumerate(folded) if w in self.first_words and w not in _PREPOSITIONS), default=lead)
        words, folded = words[max(lead, cut):], folded[max(lead, cut):]
        if "in" in folded[1:]:
            i = folded.index("in", 1)
            words, folded = words[:i], folded[:i]
        if not words:
            return None, None
        kept = " ".join(words)
        if self.not_a_source(kept):
            return None, None
        return kept, None

    def key(self, claimant: str | None) -> str | None:
        """What makes two claimants one: the canonical source's name, else the folded text; None for the author."""
        if not claimant:
            return None
        found = self.lookup(claimant)
        return found.name if found else " ".join(_key(claimant).split())

    def spellings_of(self, name: str, candidates: Iterable[str]) -> tuple[str, ...]:
        """The candidate spellings that name the same source as ``name`` (``claims --claimant``)."""
        want = self.key(name)
        return tuple(c for c in candidates if want is not None and self.key(c) == want)


_PREPOSITIONS = frozenset("in at on by since after before during".split())
# words that may stand beside a description without qualifying it ("the local monitor")
_BARE = frozenset("the a an local main same".split())


def _words_re(table: Iterable[str], lead: str) -> re.Pattern[str] | None:
    words = sorted(table, key=len, reverse=True)
    return re.compile(lead + "(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w\-])") if words else None


def _key(text: str) -> str:
    folded = fold(text).strip()
    return re.sub(r"^(?:the|a|an)\s+", "", folded)


_SCALAR = (str, int, float)


def _names(value: Any) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(v, _SCALAR) and not isinstance(v, bool) for v in value))


def claimant_file_problem(data: Any) -> str | None:
    """What is wrong with the shape of a claimant registry file (see data/claimants/README.md), or None."""
    if data is None:
        return None
    if not isinstance(data, dict):
        return "expected a mapping with `claimants:` or `not_sources:`"
    unknown = set(data) - {"claimants", "not_sources"}
    if unknown:
        return f"unknown key(s) {', '.join(sorted(map(str, unknown)))}; expected `claimants:` and `not_sources:`"
    claimants = data.get("claimants")
    if claimants is not None:
        if not isinstance(claimants, list):
            return f"`claimants` must be a list of sources, not {type(claimants).__name__}"
        for i, raw in enumerate(claimants):
            if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
                return f"claimant #{i + 1} needs a `name`"
            if raw.get("kind") not in KINDS:
                return f"claimant {raw['name']!r}: `kind` must be one of {', '.join(KINDS)}, not {raw.get('kind')!r}"
            for key in ("aliases", "acronyms", "generic"):
                if not _names(raw.get(key)):
                    return f"claimant {raw['name']!r}: `{key}` must be a list of names"
    rules = data.get("not_sources")
    if rules is not None:
        if not isinstance(rules, dict) or set(rules) - {"first_words", "heads"}:
            return "`not_sources` must be a mapping with `first_words:` and `heads:` lists"
        for key in ("first_words", "heads"):
            if not _names(rules.get(key)):
                return f"`not_sources.{key}` must be a list of words"
    return None


def _builtin_texts() -> Iterable[tuple[str, str]]:
    folder = files("fogwatch").joinpath("data", "claimants")
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith((".yaml", ".yml")):
            yield item.read_text(encoding="utf-8"), f"fogwatch/data/claimants/{item.name}"


def load_claimants(extra_paths: Iterable[str] = (), use_env: bool = True) -> ClaimantRegistry:
    """The built-in claimant registry, then ``$FOGWATCH_CLAIMANTS``, then ``extra_paths``."""
    registry = ClaimantRegistry()
    for text, origin in _builtin_texts():
        registry.add_file(text, origin)
    for text, origin in user_registry_texts(ENV_VAR, extra_paths, use_env, "claimant registry", Code.CLAIMANT_REGISTRY):
        registry.add_file(text, origin)
    return registry


@lru_cache(maxsize=4)
def default_claimants(env_value: str | None = None) -> ClaimantRegistry:
    """The claimant registry for ``$FOGWATCH_CLAIMANTS`` as it is now (cached per value)."""
    return load_claimants()


def claimants_from_env() -> ClaimantRegistry:
    return default_claimants(os.environ.get(ENV_VAR))
