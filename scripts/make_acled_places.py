"""Write ``src/fogwatch/data/gazetteer/acled_places.tsv``: the places ACLED coded that GeoNames' cities500 lacks.

    .venv/bin/python scripts/make_acled_places.py            # reads ../shared/train/acled (tune part only)

ACLED geocodes every event to a named location with coordinates. Many are villages, quarters and trading centres
too small for cities500 ("Likoni", "Kibera", "Mogadishu - Yaqshid"): a note about them gave no place, so its
generic actors had no country. This keeps, per country, each location name of the *tune* part of the project's
one ACLED split (``fogwatch.events.evaluation.is_held_out`` false; the held-out rows are never opened) whose name
the packaged gazetteer has in no place of that country within 50 km, with ACLED's most frequent point for it and
its first-level division mapped to GeoNames' admin1 code. A city quarter written "City - Quarter" is kept as the
quarter's name. Facts only (names, coordinates, codes); attribution to ACLED (acleddata.com) in NOTICE.md.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from fogwatch.events.evaluation import is_held_out, read_acled_events  # noqa: E402
from fogwatch.geo import haversine_km  # noqa: E402
from fogwatch.places.acled_names import acled_admin1_names  # noqa: E402
from fogwatch.places.gazetteer import Gazetteer, country_names, ensure_index, strip_admin_suffix  # noqa: E402
from fogwatch.places.keys import name_key  # noqa: E402

OUT = ROOT / "src" / "fogwatch" / "data" / "gazetteer" / "acled_places.tsv"
NEAR_KM = 50.0
HEADER = "# name\tcountry\tadmin1_code\tlat\tlon\tevents (tune-part ACLED events coded there)\n"


def place_name(location: str) -> str:
    """ACLED's location as a name the text would use: "Dhaka - Badda" -> "Badda"."""
    name = " ".join(location.replace("\xa0", " ").split())
    if " - " in name:
        name = name.rsplit(" - ", 1)[1]
    return name


def admin1_codes() -> dict[tuple[str, str], str]:
    """(country code, name key of an admin1 name) -> GeoNames admin1 code, ACLED's spellings included."""
    from importlib.resources import files

    out: dict[tuple[str, str], str] = {}
    for line in files("fogwatch.data").joinpath("gazetteer/admin1.tsv").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or line.startswith("#"):
            continue
        code = parts[0]
        for name in parts[1:3]:
            out.setdefault((code[:2], name_key(strip_admin_suffix(name))), code)
    for cc, table in acled_admin1_names().items():
        for code, name in table.items():
            out[(cc, name_key(strip_admin_suffix(name)))] = code
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    by_name = {name: cc for cc, name in country_names().items()}
    admins = admin1_codes()
    points: dict[tuple[str, str], Counter[tuple[str, float, float, str]]] = defaultdict(Counter)
    for path in sorted((args.shared / "train" / "acled").glob("*.csv")):
        for r in read_acled_events(path):
            if is_held_out(r["event_id_cnty"]):
                continue
            cc = by_name.get(r.get("country", "").strip())
            name = place_name(r.get("location", ""))
            if not cc or not name or any(ch.isdigit() for ch in name):
                continue
            try:
                lat, lon = round(float(r["latitude"]), 4), round(float(r["longitude"]), 4)
            except (KeyError, ValueError):
                continue
            admin1 = admins.get((cc, name_key(strip_admin_suffix(r.get("admin1", "").strip()))), "")
            points[(cc, name)][(name, lat, lon, admin1)] += 1
    gazetteer = Gazetteer(ensure_index(with_base=True))
    rows = []
    for (cc, _), seen in sorted(points.items()):
        (name, lat, lon, admin1), _n = seen.most_common(1)[0]
        # GeoNames' places only (positive ids): not these rows of an index built with them, nor an analyst's
        known = [c.entry for c in gazetteer.lookup(name_key(name)) if c.entry.country_code == cc and c.entry.id > 0]
        if any(e.latitude is None or haversine_km(lat, lon, e.latitude, e.longitude or 0.0) < NEAR_KM for e in known):
            continue  # the gazetteer has it already
        rows.append(f"{name}\t{cc}\t{admin1}\t{lat}\t{lon}\t{sum(seen.values())}\n")
    args.out.write_text(HEADER + "".join(rows), encoding="utf-8")
    print(f"{len(rows)} places of {len(points)} ACLED locations -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
