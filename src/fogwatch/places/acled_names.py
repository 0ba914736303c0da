"""ACLED's spellings of first-level divisions (``data/places/acled_admin.yaml``; a bad file is ``E410``).

Read by the gazetteer (a name ACLED writes that no GeoNames place has, such as "Lower Shabelle" or "Galgaduud", names
the division) and by the ACLED export (:mod:`fogwatch.export.acled_admin`: rows carry ACLED's admin1 names).
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import yaml

from fogwatch.places.roles import PlaceTablesError


def parse_acled_admin(text: str, where: str = "acled_admin.yaml") -> dict[str, dict[str, str]]:
    """country code -> {GeoNames admin1 code -> ACLED's admin1 name}; malformed files are E410."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PlaceTablesError(f"{where}: not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise PlaceTablesError(f"{where}: expected a mapping of country codes")
    out: dict[str, dict[str, str]] = {}
    for cc, body in data.items():
        if not (isinstance(cc, str) and len(cc) == 2 and cc.isupper()):
            raise PlaceTablesError(f"{where}: {cc!r} is not a 2-letter country code")
        table = body.get("admin1") if isinstance(body, dict) else None
        if not isinstance(table, dict) or not all(
            isinstance(k, str) and k.startswith(f"{cc}.") and isinstance(v, str) and v.strip() for k, v in table.items()
        ):
            raise PlaceTablesError(f"{where}: {cc}: 'admin1' must map codes like '{cc}.01' to names")
        out[cc] = dict(table)
    return out


@lru_cache(maxsize=1)
def acled_admin1_names() -> dict[str, dict[str, str]]:
    text = files("fogwatch.data").joinpath("places/acled_admin.yaml").read_text(encoding="utf-8")
    return parse_acled_admin(text, "data/places/acled_admin.yaml")
