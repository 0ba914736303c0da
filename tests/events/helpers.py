"""Build documents for the events tests: real sectioner and sentencizer, hand-made places."""

from __future__ import annotations

import re
from dataclasses import replace

from fogwatch.events.actors import load_registry
from fogwatch.events.assemble import extract_events
from fogwatch.pipeline import Pipeline
from fogwatch.places.model import Place
from fogwatch.records import Document, Metadata

# Facts (GeoNames ids and coordinates) for the few places the tests name.
GAZETTEER = {
    "Saraqib": (164816, 35.86447, 36.80591, "SY", "Idlib", "town", 1),
    "Idlib": (169389, 35.93062, 36.63393, "SY", "Idlib", "town", 1),
    "al-Bab": (170017, 36.37051, 37.5157, "SY", "Aleppo", "town", 1),
    "Aleppo": (170063, 36.20124, 37.16117, "SY", "Aleppo", "town", 1),
    "Maiduguri": (2331447, 11.84692, 13.15712, "NG", "Borno", "town", 1),
    "Kafr Nabl": (169304, 35.6139, 36.5614, "SY", "Idlib", "town", 1),
    "Mogadishu": (53654, 2.03711, 45.34375, "SO", "Banaadir", "town", 1),
    "Manbij": (167357, 36.52815, 37.95495, "SY", "Aleppo", "town", 1),
}
_REGISTRY = None


def registry():
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = load_registry(use_env=False)
    return _REGISTRY


def places_for(text: str) -> tuple[Place, ...]:
    found = []
    for name, (gid, lat, lon, cc, a1, feature, precision) in GAZETTEER.items():
        for m in re.finditer(r"\b" + re.escape(name) + r"\b", text):
            found.append(Place(m.start(), m.end(), name, name, gid, lat, lon, cc, a1, None, 0.9, feature, precision, "test gazetteer"))
    found.sort(key=lambda p: p.start)
    kept = []
    for p in found:  # "Idlib" inside a longer name is not a second place
        if kept and p.start < kept[-1].end:
            continue
        kept.append(p)
    return tuple(kept)


def make_doc(text: str, published: str | None = "2020-02-04", doc_id: str = "t1", places: bool = True) -> Document:
    doc = Document(doc_id=doc_id, text=text, metadata=Metadata(published=published))
    doc = Pipeline(["sections", "sentences"])(doc)
    return replace(doc, places=places_for(text) if places else ())


def events_of(text: str, **kw):
    doc = make_doc(text, **kw)
    return extract_events(doc, registry())
