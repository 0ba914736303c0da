"""The "places" stage: recognise and resolve toponyms into ``doc.places``.

A factory component: the gazetteer index is opened (and built on first use)
once per pipeline, not per document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from fogwatch.errors import Code, UsageError
from fogwatch.events.actors import ActorRegistry, load_registry, registry_from_env
from fogwatch.pipeline import component
from fogwatch.places.gazetteer import Gazetteer, country_names
from fogwatch.places.outlet import outlet_country
from fogwatch.places.recognize import recognize
from fogwatch.places.resolve import resolve
from fogwatch.records import Document


def place_ranges(doc: Document) -> list[tuple[int, int]] | None:
    """Where facts may come from: body and title sentences (never boilerplate or comments)."""
    if not doc.sentences:
        return None
    return [(s.start, s.end) for s in doc.body_sentences()]


def cue_countries(doc: Document, registry: ActorRegistry, ranges: list[tuple[int, int]] | None) -> list[str]:
    """The country of each country cue ("BJP", "upazila", "Awami League") in the body and title sentences."""
    hits = registry.cue_hits(doc.text)
    if ranges is None:
        return [iso for _, _, iso in hits]
    return [iso for at, _, iso in hits if any(s <= at < e for s, e in ranges)]


def geoparse(doc: Document, gazetteer: Gazetteer, default_country: str | None = None, registry: ActorRegistry | None = None) -> Document:
    ranges = place_ranges(doc)
    recognition = recognize(doc.text, gazetteer, ranges)
    cues = cue_countries(doc, registry, ranges) if registry is not None else []
    outlet = outlet_country(doc)
    places = resolve(recognition, doc.text, gazetteer, outlet.iso if outlet else None, feed_country=default_country, cue_countries=cues)
    datelines = [(d.start, d.end) for d in doc.datelines]
    if datelines:
        # Where the report was filed, not where things happened: said so, for the events stage and readers.
        places = tuple(
            replace(p, reason=f"dateline (where the report was filed); {p.reason}")
            if any(s <= p.start < e for s, e in datelines) else p
            for p in places
        )
    return replace(doc, places=places)


@component("places", requires=("text", "sections", "sentences", "datelines"), assigns=("places",), factory=True)
def places_component(default_country: str | None = None, country_cues: bool = True, actor_paths: Sequence[str] = ()):
    """Toponyms resolved against the offline gazetteer, with ACLED precision and a reason.

    ``default_country``: the ISO 3166-1 code of the country a feed covers (``fogwatch extract --country KE``):
    it counts as the country named once in each report, so an ambiguous name leans to it ("Kisii" is Kenya's)
    and a lone small namesake abroad that nothing in the text supports is not taken ("Ekona").
    ``country_cues``: count the actor registry's country cues (parties, institutions, peoples of one country:
    ``data/actors/country_cues.yaml``, ``$FOGWATCH_ACTORS``' files and ``actor_paths``, the user's registry files
    as the events stage takes them) as votes for the report's country, as demonyms count ("Punjab" in a report
    about the BJP is India's).
    """
    country = None
    if default_country is not None:
        country = default_country.strip().upper()
        if country not in country_names():
            raise UsageError(f"places.default_country: {default_country!r} is no ISO 3166-1 code GeoNames knows (e.g. KE, SY)", Code.BAD_OPTION)
    gazetteer = Gazetteer.open_default()
    registry = (load_registry(tuple(actor_paths)) if actor_paths else registry_from_env()) if country_cues else None

    def run(doc: Document) -> Document:
        return geoparse(doc, gazetteer, country, registry)

    return run
