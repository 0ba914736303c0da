"""The ``events`` component: ACLED-typed events with actors, dates, fatalities and claims.

Reads only ``doc.body_sentences()`` (never boilerplate or reader comments) and
the places found by the ``places`` stage. The actor registry is loaded once,
when the pipeline is built: the built-in YAML files plus ``$FOGWATCH_ACTORS``.
"""

from __future__ import annotations

from dataclasses import replace

from fogwatch.events.actors import registry_from_env
from fogwatch.events.assemble import extract_events
from fogwatch.pipeline import component
from fogwatch.records import Document


@component("events", requires=("sentences", "places"), assigns=("events",), factory=True)
def make_events_stage():
    """ACLED events and claims from the body sentences, located on the places found."""
    registry = registry_from_env()

    def events_stage(doc: Document) -> Document:
        return replace(doc, events=extract_events(doc, registry))

    return events_stage
