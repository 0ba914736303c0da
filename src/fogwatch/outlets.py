"""The outlet registry: which ACLED source scale a report's outlet has, and which country it reports.

The registry is YAML (``fogwatch/data/outlets.yaml``, shipped with the package). Users add
their own files: every ``*.yaml`` file or directory named in ``FOGWATCH_OUTLETS``
(``os.pathsep``-separated) is loaded after the built-in one, and a later entry with the same
``name`` replaces an earlier one (its aliases and domains go with it).

A report's outlet is found by its name (folded, whole name: "reuters" matches "Reuters", not
"Reuters Institute blog"), else by its URL's domain when the URL is the outlet's own (not a
republisher's). An outlet the registry does not know adds no scale: ``Other`` is ACLED's
category for NGO and institutional sources, not "unknown".
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

import yaml

from fogwatch.errors import Code, UsageError
from fogwatch.registry_files import user_registry_texts
from fogwatch.text.normalize import fold

ENV_VAR = "FOGWATCH_OUTLETS"

# ACLED's base scales, in the order combined values are written: ACLED's non-media categories
# first, then media narrow to wide ("Local partner-Other", "New media-National", "National-International").
SCALES: tuple[str, ...] = ("Local partner", "Other", "New media", "Subnational", "National", "Regional", "International")
_SCALE_BY_FOLD = {s.lower(): s for s in SCALES}


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    scale: str  # one of SCALES: the outlet's scale for events in its own country
    country: str | None = None  # ISO code of the country it is based in
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    abroad: bool = False  # a national outlet that mostly reports other countries (a state wire service: Xinhua, TASS)

    @property
    def home_news(self) -> str | None:
        """The country whose news this outlet mostly reports: a national or local outlet's own, else None."""
        if self.abroad or self.scale not in ("Local partner", "Subnational", "National"):
            return None
        return self.country


def _key(name: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", fold(name)).split())


@dataclass(eq=False)
class OutletRegistry:
    outlets: dict[str, Outlet] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    _by_name: dict[str, str] | None = None
    _by_domain: dict[str, str] | None = None

    def add_file(self, text: str, origin: str) -> None:
        def bad(why: str) -> UsageError:
            return UsageError(f"outlet registry {origin}: {why}", Code.OUTLET_REGISTRY)

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise bad(f"not valid YAML ({str(exc).splitlines()[0]})") from None
        if not isinstance(data, dict) or not isinstance(data.get("outlets"), list):
            raise bad("expected a mapping with an `outlets:` list")
        for i, raw in enumerate(data["outlets"]):
            if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
                raise bad(f"outlet #{i + 1} needs a `name`")
            scale = _SCALE_BY_FOLD.get(str(raw.get("scale") or "").strip().lower())
            if scale is None:
                raise bad(f"outlet {raw['name']!r}: `scale` must be one of {', '.join(SCALES)}")
            country = raw.get("country")
            if country is not None and not (isinstance(country, str) and len(country) == 2 and country.isalpha()):
                raise bad(f"outlet {raw['name']!r}: `country` must be a two-letter ISO code")
            abroad = raw.get("abroad", False)
            if not isinstance(abroad, bool):
                raise bad(f"outlet {raw['name']!r}: `abroad` must be true or false")
            lists = {}
            for key in ("aliases", "domains"):
                value = raw.get(key) or []
                if not isinstance(value, list):
                    raise bad(f"outlet {raw['name']!r}: `{key}` must be a list")
                lists[key] = tuple(str(v).strip() for v in value if str(v).strip())
            outlet = Outlet(
                name=raw["name"].strip(), scale=scale, country=country.upper() if country else None,
                aliases=lists["aliases"], domains=tuple(d.lower().removeprefix("www.") for d in lists["domains"]), abroad=abroad,
            )
            self.outlets[outlet.name] = outlet
        self.sources.append(origin)
        self._by_name = self._by_domain = None

    def _build(self) -> None:
        by_name: dict[str, str] = {}
        by_domain: dict[str, str] = {}
        for o in self.outlets.values():  # later files win on a shared alias, as they do on a shared name
            for n in (o.name, *o.aliases):
                by_name[_key(n)] = o.name
            for d in o.domains:
                by_domain[d] = o.name
        self._by_name, self._by_domain = by_name, by_domain

    def by_name(self, name: str | None) -> Outlet | None:
        if not name:
            return None
        if self._by_name is None:
            self._build()
        hit = self._by_name.get(_key(name))  # type: ignore[union-attr]
        if hit is None and "." in name and " " not in name.strip():
            return self.by_url(name)  # an outlet given as its domain ("reuters.com")
        return self.outlets[hit] if hit else None

    def by_url(self, url: str | None) -> Outlet | None:
        if not url:
            return None
        if self._by_domain is None:
            self._build()
        try:
            host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower().removeprefix("www.")
        except ValueError:  # not a URL ("http://[x/"): no outlet
            return None
        while host:
            hit = self._by_domain.get(host)  # type: ignore[union-attr]
            if hit:
                return self.outlets[hit]
            host = host.partition(".")[2]  # "english.aawsat.com" -> "aawsat.com"
        return None

    def outlet_of(self, member: dict[str, Any]) -> Outlet | None:
        """The registry entry for a member report's outlet; its URL counts only when it is the outlet's own."""
        found = self.by_name(member.get("outlet"))
        if found is None and not member.get("republisher"):
            found = self.by_url(member.get("url"))
        return found


def scale_for(outlet: Outlet, event_country: str | None, region_of: Callable[[str], str]) -> str:
    """ACLED's scale of ``outlet`` for an event in ``event_country``.

    A country's own media are National/Subnational there; reporting another country's event
    they are Regional when both countries are in one ACLED region, else International.
    """
    if outlet.scale not in ("National", "Subnational") or not outlet.country or not event_country:
        return outlet.scale
    if outlet.country == event_country.upper():
        return outlet.scale
    home, there = region_of(outlet.country), region_of(event_country.upper())
    return "Regional" if home and home == there else "International"


def combine(scales: Iterable[str]) -> str:
    """Distinct scales in ACLED's hyphenated style, in :data:`SCALES` order ("National-International")."""
    got = set(scales)
    return "-".join(s for s in SCALES if s in got)


def _builtin_text() -> tuple[str, str]:
    return files("fogwatch").joinpath("data", "outlets.yaml").read_text(encoding="utf-8"), "fogwatch/data/outlets.yaml"


def load_outlets(extra_paths: Iterable[str] = (), use_env: bool = True) -> OutletRegistry:
    """The built-in registry, then ``$FOGWATCH_OUTLETS``, then ``extra_paths``."""
    registry = OutletRegistry()
    registry.add_file(*_builtin_text())
    for text, origin in user_registry_texts(ENV_VAR, extra_paths, use_env, "outlet registry", Code.OUTLET_REGISTRY):
        registry.add_file(text, origin)
    return registry


@lru_cache(maxsize=4)
def _cached(env_value: str | None) -> OutletRegistry:
    return load_outlets()


def outlets_from_env() -> OutletRegistry:
    """The registry for ``$FOGWATCH_OUTLETS`` as it is now (cached per value)."""
    return _cached(os.environ.get(ENV_VAR))


__all__ = ["ENV_VAR", "SCALES", "Outlet", "OutletRegistry", "combine", "load_outlets", "outlets_from_env", "scale_for"]
