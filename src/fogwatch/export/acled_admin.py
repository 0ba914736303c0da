"""ACLED's administrative names in exported rows (issue 12).

ACLED spells Syria's governorates its own way ("Idleb", "Dar'a", "Rural Damascus",
"Deir-ez-Zor"); GeoNames, and so the gazetteer, writes "Idlib", "Daraa",
"Rif-dimashq", "Deir ez-Zor". ``data/places/acled_admin.yaml`` maps GeoNames admin1
codes to ACLED's names (a bad file is ``E410``); the names an event carries are
matched to a code through GeoNames' names, OpenSyria's names and aliases and ACLED's own.

For Syria, ``admin2`` (district) and ``admin3`` (sub-district) come from OpenSyria's
units (``fogwatch.places.syria``): the sub-district the location's name is, else the one
whose centroid is nearest the point within the governorate (within the sub-district's
radius); its district fills ``admin2``. Elsewhere ``admin2`` stays as given and ``admin3`` empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from importlib.resources import files
from typing import Any

from fogwatch.places import syria
from fogwatch.places.acled_names import acled_admin1_names, parse_acled_admin
from fogwatch.places.keys import name_key

__all__ = ["acled_admin", "acled_admin1_names", "acled_admin_columns", "admin1_code", "parse_acled_admin"]


@lru_cache(maxsize=1)
def _admin1_codes() -> dict[tuple[str, str], str]:
    """(country, name key) -> GeoNames admin1 code, from every spelling we know."""
    codes: dict[tuple[str, str], str] = {}
    for line in files("fogwatch.data").joinpath("gazetteer/admin1.tsv").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and not line.startswith("#") and parts[0][:2] in acled_admin1_names():
            for name in parts[1:3]:
                codes[(parts[0][:2], name_key(name))] = parts[0]
    for unit in syria.units():
        if unit.level == "governorate" and unit.admin1_code:
            for name in (unit.name, *unit.aliases):
                codes.setdefault(("SY", name_key(name)), unit.admin1_code)
    for cc, table in acled_admin1_names().items():
        for code, name in table.items():
            codes[(cc, name_key(name))] = code
    return codes


def admin1_code(country_code: str | None, admin1: str | None) -> str | None:
    if not country_code or not admin1:
        return None
    return _admin1_codes().get((country_code, name_key(admin1)))


def acled_admin(
    country_code: str | None,
    admin1: str | None,
    admin2: str | None,
    location: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    precision: int | None = None,
) -> tuple[str | None, str | None, str | None]:
    """(admin1, admin2, admin3) as ACLED writes them, where the tables know; else as given.

    A point stands for a sub-district only at precision 1 or 2: at 3 it is a province's or a
    region's representative point, which says nothing about the district.
    """
    code = admin1_code(country_code, admin1)
    admin3 = None
    if country_code == "SY":
        sub = _syrian_subdistrict(code, location, latitude, longitude) if precision is None or precision < 3 else None
        if sub is not None:
            gov, district, _ = syria.chain(sub)
            code = code or (gov.admin1_code if gov else None)
            admin2 = district.name if district else admin2
            admin3 = sub.name
    if code and country_code:
        admin1 = acled_admin1_names().get(country_code, {}).get(code, admin1)
    return admin1, admin2, admin3


def _syrian_subdistrict(code: str | None, location: str | None, latitude: float | None, longitude: float | None) -> syria.Unit | None:
    if location:
        named = [u for u in syria.units_named(name_key(location), ("subdistrict",)) if code is None or u.admin1_code == code]
        if len(named) == 1:
            return named[0]
    if latitude is not None and longitude is not None:
        return syria.subdistrict_at(latitude, longitude, code)
    return None


def acled_admin_columns(event: Mapping[str, Any]) -> dict[str, Any]:
    """The ``admin1``/``admin2``/``admin3`` columns of an exported ACLED row for a fused event."""
    admin1, admin2, admin3 = acled_admin(
        event.get("country_code"), event.get("admin1"), event.get("admin2"),
        event.get("location_name"), event.get("latitude"), event.get("longitude"), event.get("geo_precision"),
    )
    return {"admin1": admin1, "admin2": admin2, "admin3": admin3 or event.get("admin3") or ""}
