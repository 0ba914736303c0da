"""End-to-end geoparsing scores on LGL and GeoVirus (../shared/eval/geoparsing).

Each article goes through the real pipeline (sections → sentences → places).
A gold toponym is *found* when a predicted place overlaps its span; it is
*correct* when the predicted point lies within 161 km (100 miles) of the gold
point, the usual measure. Reported:

- ``recall``: found gold toponyms / all gold toponyms;
- ``acc161_found``: correct / found (a found place without coordinates counts as wrong);
- ``acc161_all``: correct / all gold toponyms (end to end);
- ``mean_km``: mean error over found toponyms with coordinates;
- ``precision``: predicted places that overlap some gold toponym / predicted places
  (LGL and GeoVirus do not tag every place, so this is a lower bound);
- ``recall_places``: recall over gold toponyms that are not demonyms. LGL tags
  adjectives like "American" (7% of its toponyms); fogwatch reports them as places
  with ``role`` "demonym" (resolved to the country), which never locate an event.

Errors are counted per category (:data:`ERROR_CATEGORIES`), and every article has a
stable split (:func:`split_of`): tuning looks only at the "tune" part; "held-out" is
reported, never tuned on.
"""

from __future__ import annotations

import hashlib
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from fogwatch.geo import haversine_km
from fogwatch.records import Document

THRESHOLD_KM = 161.0
HELD_OUT_SHARE = 30  # percent of articles, by a stable hash of the article's text
# Why a gold toponym did not count, in the order they are printed.
ERROR_CATEGORIES: tuple[str, ...] = (
    "missed: demonym or adjective",  # "American", "Syrian": not found at all
    "missed: inside a longer name",  # the gold span sits in a capitalised run ("Ohio State", "US State Department")
    "missed: other",
    "found, no point",  # an unresolved place
    "wrong: span mismatch",  # the overlapping prediction names something else ("Danube Delta" -> "Delta", "Dar es Salaam" -> "Salem")
    "wrong: another place of that name",  # the wrong candidate: Georgia the US state for the country, a US town "Ontario"
    "wrong: area point convention",  # the right country, province or continent, its point > 161 km from the gold one
)
# An area (country, province, continent) whose point is this far from the gold point is counted
# as the right area under another point convention when the gold point lies inside it (the
# nearest town to the gold point is in that country / province); a continent within this distance.
REGION_CONVENTION_KM = 2500.0


def split_of(article: "GoldArticle") -> str:
    """``"tune"`` or ``"held-out"``, fixed once by a hash of the article's text (about 30% held out)."""
    digest = hashlib.sha256(article.text.encode("utf-8")).digest()
    return "held-out" if int.from_bytes(digest[:4], "big") % 100 < HELD_OUT_SHARE else "tune"


@dataclass(frozen=True, slots=True)
class GoldToponym:
    start: int
    end: int
    name: str
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class GoldArticle:
    doc_id: str
    text: str
    toponyms: tuple[GoldToponym, ...]


def _field(el: ET.Element, tag: str) -> str:
    """The text of a required child element (a gold file without it is malformed)."""
    value = el.findtext(tag)
    if value is None:
        raise ValueError(f"<{el.tag}> without <{tag}>")
    return value


def read_lgl(path: Path) -> list[GoldArticle]:
    out = []
    for n, art in enumerate(ET.parse(path).getroot().iter("article")):
        text = art.findtext("text") or ""
        tops = []
        for t in art.iter("toponym"):
            gaz = t.find("gaztag")
            if gaz is None or gaz.findtext("lat") is None:
                continue  # LGL leaves a few toponyms without a gazetteer entry
            tops.append(GoldToponym(int(_field(t, "start")), int(_field(t, "end")), t.findtext("phrase") or "",
                                    float(_field(gaz, "lat")), float(_field(gaz, "lon"))))
        out.append(GoldArticle(art.get("docid") or f"lgl-{n}", text, tuple(tops)))
    return out


def read_geovirus(path: Path) -> list[GoldArticle]:
    out = []
    for n, art in enumerate(ET.parse(path).getroot().iter("article")):
        text = art.findtext("text") or ""
        tops = []
        for loc in art.iter("location"):
            # GeoVirus offsets are one too high (both ends).
            s, e = int(_field(loc, "start")) - 1, int(_field(loc, "end")) - 1
            tops.append(GoldToponym(s, e, loc.findtext("name") or "", float(_field(loc, "lat")), float(_field(loc, "lon"))))
        out.append(GoldArticle(f"geovirus-{n}", text, tuple(tops)))
    return out


@dataclass(slots=True)
class Scores:
    gold: int = 0
    demonyms: int = 0
    found_demonyms: int = 0
    found: int = 0
    correct: int = 0
    with_coords: int = 0
    error_km: float = 0.0
    predicted: int = 0
    predicted_matching: int = 0
    chars: int = 0
    seconds: float = 0.0
    misses: list[tuple[str, str]] = field(default_factory=list)
    wrong: list[tuple[str, str, float]] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ERROR_CATEGORIES, 0))

    def as_dict(self) -> dict[str, float]:
        return {
            "gold": self.gold,
            "recall": self.found / self.gold if self.gold else 0.0,
            "recall_places": (self.found - self.found_demonyms) / (self.gold - self.demonyms) if self.gold > self.demonyms else 0.0,
            "acc161_found": self.correct / self.found if self.found else 0.0,
            "acc161_all": self.correct / self.gold if self.gold else 0.0,
            "mean_km": self.error_km / self.with_coords if self.with_coords else 0.0,
            "precision": self.predicted_matching / self.predicted if self.predicted else 0.0,
            "mb_per_s": self.chars / 1e6 / self.seconds if self.seconds else 0.0,
        }


def _inside_longer_name(text: str, start: int, end: int) -> bool:
    """Whether a capitalised word touches the span across one space ("US State Department")."""
    before = text[max(0, start - 30) : start]
    prev = before[:-1].split()[-1:] if before.endswith(" ") else []
    if prev and prev[0][:1].isupper() and not prev[0].endswith((".", ",", ";", ":", '"')):
        return True
    after = text[end : end + 30]
    return after.startswith(" ") and after[1:2].isupper()


_AREA_WORDS = frozenset({"province", "region", "district", "state", "county", "governorate", "prefecture", "city"})


def _norm(name: str) -> str:
    """A span's words without a leading "the" or a trailing area word ("Aceh province" = "Aceh")."""
    words = name.replace("\u2019", "'").lower().split()
    words = words[1:] if words[:1] == ["the"] else words
    while len(words) > 1 and words[-1] in _AREA_WORDS:
        words.pop()
    return " ".join(words)


class _NearestTown:
    """The gazetteer town nearest a point (for telling a point convention from a wrong candidate)."""

    def __init__(self) -> None:
        import numpy as np

        from fogwatch.places.gazetteer import Gazetteer

        gazetteer = Gazetteer.open_default()
        self._admin1_of = {r[0]: r[1] for r in gazetteer.conn.execute(
            "SELECT id, admin1 FROM place WHERE feature IN ('admin1', 'admin2')")}
        rows = gazetteer.conn.execute(
            "SELECT lat, lon, cc, admin1 FROM place WHERE feature = 'town' AND lat IS NOT NULL").fetchall()
        self._np = np
        self._lat = np.radians(np.array([r[0] for r in rows]))
        self._lon = np.radians(np.array([r[1] for r in rows]))
        self._codes = [(r[2], r[3]) for r in rows]

    def __call__(self, lat: float, lon: float) -> tuple[str | None, str | None]:
        np = self._np
        la, lo = np.radians(lat), np.radians(lon)
        h = np.sin((self._lat - la) / 2) ** 2 + np.cos(la) * np.cos(self._lat) * np.sin((self._lon - lo) / 2) ** 2
        return self._codes[int(np.argmin(h))]

    def admin1_code(self, geonameid: int | None) -> str | None:
        return self._admin1_of.get(geonameid) if geonameid is not None else None


def error_category(text: str, gold: GoldToponym, p, distance_km: float, nearest: _NearestTown) -> str:
    """Why a found toponym with a point > 161 km off is wrong (one of the "wrong: ..." categories)."""
    if (p.start, p.end) != (gold.start, gold.end) and _norm(p.text) != _norm(text[gold.start:gold.end]):
        return "wrong: span mismatch"
    if p.feature == "region" and distance_km <= REGION_CONVENTION_KM:
        return "wrong: area point convention"
    if p.feature in ("country", "admin1", "admin2"):
        cc, admin1 = nearest(gold.latitude, gold.longitude)
        if cc == p.country_code and (p.feature == "country" or admin1 == nearest.admin1_code(p.geonameid)):
            return "wrong: area point convention"
    return "wrong: another place of that name"


def score(articles: list[GoldArticle], nlp) -> Scores:
    from fogwatch.places.gazetteer import demonym_table
    from fogwatch.places.roles import load_roles

    demonym_names = set(demonym_table()) | set(load_roles().demonyms)  # the countries table's and the roles file's
    result = Scores()
    nearest: _NearestTown | None = None
    for art in articles:
        t0 = time.perf_counter()
        doc = nlp(Document(doc_id=art.doc_id, text=art.text))
        result.seconds += time.perf_counter() - t0
        result.chars += len(art.text)
        places = doc.places
        result.predicted += len(places)
        result.predicted_matching += sum(1 for p in places if any(p.start < g.end and g.start < p.end for g in art.toponyms))
        for g in art.toponyms:
            result.gold += 1
            demonym = g.name in demonym_names or g.name.rstrip("s") in demonym_names
            result.demonyms += demonym
            hits = [p for p in places if p.start < g.end and g.start < p.end]
            if not hits:
                result.misses.append((art.doc_id, g.name))
                category = "missed: demonym or adjective" if demonym else (
                    "missed: inside a longer name" if _inside_longer_name(art.text, g.start, g.end) else "missed: other")
                result.errors[category] += 1
                continue
            result.found += 1
            result.found_demonyms += demonym
            p = max(hits, key=lambda p: (p.latitude is not None, min(p.end, g.end) - max(p.start, g.start)))
            if p.latitude is None or p.longitude is None:
                result.wrong.append((art.doc_id, g.name, -1.0))
                result.errors["found, no point"] += 1
                continue
            d = haversine_km(p.latitude, p.longitude, g.latitude, g.longitude)
            result.with_coords += 1
            result.error_km += d
            if d <= THRESHOLD_KM:
                result.correct += 1
            else:
                if nearest is None:
                    nearest = _NearestTown()
                category = error_category(art.text, g, p, d, nearest)
                result.errors[category] += 1
                result.wrong.append((art.doc_id, f"{category}: {g.name} -> {p.text} = {p.name} {p.country_code} {p.feature}", round(d)))
    return result
