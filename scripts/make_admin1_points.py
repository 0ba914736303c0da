"""Regenerate ``src/fogwatch/data/gazetteer/admin{1,2}_points.tsv``: a point for first- and second-level divisions.

    python scripts/make_admin1_points.py /path/to/iso3166_2/iso3166-2.json

GeoNames' admin1CodesASCII.txt (our ``admin1.tsv``) has no coordinates, so the gazetteer used to
derive a province's point from the towns inside it (the centre of their core extent). Towns
crowd into one part of a large province (southern Ontario, coastal New South Wales), so that
point sits far from the province's middle. The MIT-licensed ``iso3166-2`` package gives every
ISO 3166-2 subdivision a ``latLng``: the geographic centroid of its boundary polygon (derived
from OpenStreetMap's boundaries, © OpenStreetMap contributors). This script joins those points
to GeoNames' admin1 and admin2 codes by the subdivision's name inside its country (the same name
key the gazetteer uses, an admin suffix such as "Province" or "State" and a prefix such as
"Province of" dropped on both sides); a division without a one-to-one name match keeps the
town-derived point (admin1) or the point of its same-named town, or none (admin2). ISO 3166-2
lists second-level units for some countries only (the Philippines' provinces, England's counties).

Only facts (codes and coordinates) are written; see NOTICE.md beside the output. The package is
needed only here, not at run time:

    .venv/bin/pip download iso3166-2==1.8.4 --no-deps -d /tmp/facts && cd /tmp/facts && unzip -q -o 'iso3166_2-*.whl'
    # then: /tmp/facts/iso3166_2/iso3166-2.json
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import gzip  # noqa: E402

from fogwatch.places.gazetteer import strip_admin_prefix, strip_admin_suffix  # noqa: E402
from fogwatch.places.keys import name_key  # noqa: E402

FACTS = ROOT / "src" / "fogwatch" / "data" / "gazetteer"


def _keys(name: str) -> set[str]:
    bare = strip_admin_prefix(name)
    keys = {name_key(name), name_key(strip_admin_suffix(name)), name_key(bare), name_key(strip_admin_suffix(bare))}
    return {k for k in keys if k}


def main(iso_json: str) -> None:
    iso = json.loads(Path(iso_json).read_text(encoding="utf-8"))
    by_name: dict[tuple[str, str], set[str]] = defaultdict(set)
    points: dict[str, tuple[float, float]] = {}
    for cc, subdivisions in iso.items():
        for code, sub in subdivisions.items():
            lat_lng = sub.get("latLng")
            if not lat_lng or len(lat_lng) != 2:
                continue
            points[code] = (float(lat_lng[0]), float(lat_lng[1]))
            for name in (sub.get("name") or "").split(" / "):
                for key in _keys(name):
                    by_name[(cc, key)].add(code)
    admin1 = (FACTS / "admin1.tsv").read_text(encoding="utf-8")
    admin2 = gzip.decompress((FACTS / "admin2.tsv.gz").read_bytes()).decode("utf-8")
    for lines, out in ((admin1, FACTS / "admin1_points.tsv"), (admin2, FACTS / "admin2_points.tsv")):
        _write(lines, by_name, points, out)


def _write(lines: str, by_name: dict[tuple[str, str], set[str]], points: dict[str, tuple[float, float]], out: Path) -> None:
    rows = []
    taken: dict[str, int] = defaultdict(int)
    candidates: list[tuple[str, str]] = []
    for line in lines.splitlines():
        parts = line.split("\t")
        if len(parts) < 4 or line.startswith("#"):
            continue
        code, name, ascii_name = parts[0], parts[1], parts[2]
        cc = code.split(".")[0]
        matches = set().union(*(by_name.get((cc, k), set()) for k in _keys(name) | _keys(ascii_name)))
        if len(matches) == 1:
            iso_code = matches.pop()
            candidates.append((code, iso_code))
            taken[iso_code] += 1
    for code, iso_code in candidates:
        if taken[iso_code] != 1:
            continue  # two GeoNames divisions on one ISO name: neither is sure
        lat, lon = points[iso_code]
        rows.append(f"{code}\t{iso_code}\t{lat:.4f}\t{lon:.4f}")
    header = "# GeoNames admin code\tISO 3166-2 code\tlat\tlon (centroid of the boundary; iso3166-2 package, OpenStreetMap)\n"
    out.write_text(header + "\n".join(sorted(rows)) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} points to {out}")


if __name__ == "__main__":
    main(*sys.argv[1:])
