"""Derive data/gazetteer/syria_admin.tsv from OpenSyria's administrative units (issue 12).

    .venv/bin/python scripts/make_syria_admin.py [../shared/gazetteer/open-syria]

Source: ../shared/gazetteer/open-syria/{governorates,districts,subdistricts}.json, OpenSyria Data
Geography, CC BY 4.0 (attribution in data/gazetteer/NOTICE.md). Kept: level, OCHA p-code, parent
p-code, the GeoNames admin1 code of the governorate, the English name, Latin-script aliases, centroid,
area and GeoNames id: facts, not text.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "fogwatch" / "data" / "gazetteer" / "syria_admin.tsv"
# GeoNames admin1 codes of Syria's governorates, by GeoNames id (data/gazetteer/admin1.tsv).
HEADER = "# level\tpcode\tparent\tadmin1_code\tname\taliases (|)\tlat\tlon\tgeonameid\tarea_km2"


def _latin(value: str) -> bool:
    return all(ord(ch) < 0x0600 for ch in value)


def main() -> None:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / ".." / "shared" / "gazetteer" / "open-syria"
    admin1 = {}
    for line in (REPO / "src" / "fogwatch" / "data" / "gazetteer" / "admin1.tsv").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("SY.") and len(parts) >= 4:
            admin1[parts[3]] = parts[0]
    rows = [HEADER]
    gov_code: dict[str, str] = {}
    pcode_of: dict[str, str] = {}
    for level, name in (("governorate", "governorates"), ("district", "districts"), ("subdistrict", "subdistricts")):
        for unit in json.loads((src / f"{name}.json").read_text(encoding="utf-8")):
            ext = unit.get("externalIds") or {}
            pcode = ext.get("ochaPcode") or unit["id"]
            pcode_of[unit["id"]] = pcode
            if level == "governorate":
                gov_code[unit["id"]] = admin1.get(str(ext.get("geonames")), "")
                parent = ""
            elif level == "district":
                parent = pcode_of[unit["governorateId"]]
            else:
                parent = pcode_of[unit["districtId"]]
            code = gov_code.get(unit.get("governorateId") or unit["id"], "")
            aliases = sorted({a["value"] for a in unit.get("aliases") or () if _latin(a["value"]) and a["value"] != unit["name"]["en"]})
            centroid = unit.get("centroid") or {}
            area = (unit.get("area") or {}).get("value") or ""
            rows.append("\t".join(str(v) for v in (
                level, pcode, parent, code, unit["name"]["en"], "|".join(aliases),
                centroid.get("latitude", ""), centroid.get("longitude", ""), ext.get("geonames", ""), area,
            )))
    OUT.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"wrote {len(rows) - 1} units to {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
