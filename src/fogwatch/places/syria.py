"""Syria's governorates, districts and sub-districts (OpenSyria, CC BY 4.0), issue 12.

``data/gazetteer/syria_admin.tsv`` (derived by ``scripts/make_syria_admin.py``) lists
14 governorates, 62 districts and 272 sub-districts with their OCHA p-codes, the
GeoNames admin1 code of their governorate, English names, Latin-script aliases,
centroids and areas. This module answers:

- :func:`units_named`: the districts/sub-districts a name (key) may mean ("Ein Issa",
  "Jisr al-Shughur"), for the fallback of a village the gazetteer lacks ("rural Ein Issa");
- :func:`subdistrict_at`: the sub-district a point lies in, approximated by the nearest
  centroid of the governorate within the unit's own radius;
- :func:`chain`: a unit's district and governorate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from fogwatch.places.keys import name_key

LEVELS = ("governorate", "district", "subdistrict")


@dataclass(frozen=True, slots=True)
class Unit:
    level: str  # governorate | district | subdistrict
    pcode: str  # OCHA p-code ("SY070400")
    parent: str | None  # the p-code of the district / governorate above it
    admin1_code: str  # GeoNames admin1 code of the governorate ("SY.12")
    name: str
    aliases: tuple[str, ...]
    latitude: float
    longitude: float
    geonameid: int | None
    area_km2: float

    @property
    def radius_km(self) -> float:
        """The radius of a disc of the unit's area: how far from its centroid a point may still lie in it."""
        return math.sqrt(self.area_km2 / math.pi) if self.area_km2 > 0 else 10.0


def _float(value: str, default: float = 0.0) -> float:
    try:
        return float(value)
    except ValueError:
        return default


@lru_cache(maxsize=1)
def units() -> tuple[Unit, ...]:
    text = files("fogwatch.data").joinpath("gazetteer/syria_admin.tsv").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        level, pcode, parent, code, name, aliases, lat, lon, gid, area = (line.split("\t") + [""] * 10)[:10]
        if level not in LEVELS or not lat or not lon:
            continue
        out.append(Unit(level, pcode, parent or None, code, name, tuple(a for a in aliases.split("|") if a),
                        float(lat), float(lon), int(gid) if gid.isdigit() else None, _float(area)))
    return tuple(out)


@lru_cache(maxsize=1)
def _by_pcode() -> dict[str, Unit]:
    return {u.pcode: u for u in units()}


@lru_cache(maxsize=1)
def _by_key() -> dict[str, tuple[Unit, ...]]:
    index: dict[str, list[Unit]] = {}
    for u in units():
        for name in (u.name, *u.aliases):
            key = name_key(name)
            for suffix in (" subdistrict", " district", " governorate"):
                if key.endswith(suffix):
                    key = key[: -len(suffix)]
            if key and u not in index.setdefault(key, []):
                index[key].append(u)
    return {k: tuple(v) for k, v in index.items()}


def units_named(key: str, levels: tuple[str, ...] = ("subdistrict", "district")) -> tuple[Unit, ...]:
    """Units whose name or an alias has this matching key, sub-districts first."""
    found = _by_key().get(key, ())
    return tuple(sorted((u for u in found if u.level in levels), key=lambda u: LEVELS.index(u.level), reverse=True))


def chain(unit: Unit) -> tuple[Unit | None, Unit | None, Unit | None]:
    """(governorate, district, sub-district) of ``unit`` (the levels above it filled in)."""
    found: dict[str, Unit] = {}
    u: Unit | None = unit
    while u is not None:
        found[u.level] = u
        u = _by_pcode().get(u.parent) if u.parent else None
    return found.get("governorate"), found.get("district"), found.get("subdistrict")


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dx = (lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 111.2 * math.hypot(dx, lat2 - lat1)


@lru_cache(maxsize=1)
def _subdistricts_by_admin1() -> dict[str | None, tuple[Unit, ...]]:
    out: dict[str | None, list[Unit]] = {None: []}
    for u in units():
        if u.level == "subdistrict":
            out[None].append(u)
            out.setdefault(u.admin1_code, []).append(u)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=65536)
def subdistrict_at(latitude: float, longitude: float, admin1_code: str | None = None) -> Unit | None:
    """The sub-district whose centroid is nearest the point (in the governorate, when given), if the point
    lies within that sub-district's radius (a disc of its area, at least 8 km); else ``None``. Cached: the
    same towns come back in every report."""
    best: tuple[float, Unit] | None = None
    for u in _subdistricts_by_admin1().get(admin1_code or None, ()):
        d = _km(latitude, longitude, u.latitude, u.longitude)
        if best is None or d < best[0]:
            best = (d, u)
    if best is None or best[0] > max(8.0, best[1].radius_km):
        return None
    return best[1]
