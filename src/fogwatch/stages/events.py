"""The ``events`` component: ACLED events with actors, dates, fatalities and claims.

Reads only ``doc.body_sentences()`` (never boilerplate or reader comments) and
the places found by the ``places`` stage. The actor registry and the event
lexicon are loaded once, when the pipeline is built: the built-in YAML files
plus ``$FOGWATCH_ACTORS`` plus ``actor_paths``, and the packaged lexicon plus ``lexicon_paths``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from fogwatch.errors import Code, UsageError
from fogwatch.events.actor_kinds import ActorKinds
from fogwatch.events.actors import load_registry, registry_from_env
from fogwatch.events.assemble import extract_events
from fogwatch.events.lexicon import load_lexicon
from fogwatch.events.typer import EventTyper
from fogwatch.pipeline import component
from fogwatch.records import Document


@component("events", requires=("sentences", "places"), assigns=("events",), factory=True)
def make_events_stage(
    lexicon_paths: Sequence[str] = (),
    use_model: bool = True,
    actor_paths: Sequence[str] = (),
    use_actor_model: bool | None = None,
    retype_threshold: float | None = None,
    encoder_gate: float | None = None,
    default_country: str | None = None,
):
    """ACLED events and claims from the body sentences, located on the places found.

    ``lexicon_paths``: the user's lexicon files or folders (``data/lexicon/README.md``), added to the packaged lexicon.
    ``actor_paths``: the user's actor registry files or folders (``data/actors/README.md``), added after the
    built-in registry and ``$FOGWATCH_ACTORS``.
    ``use_model``: let the trained sub-event model (``models/event_types``) confirm or change the rules'
    type of each event clause; a missing or corrupt artefact leaves the rules alone (each event's
    ``type_reason`` says which decided).
    ``use_actor_model``: let the trained model of ACLED's naming conventions (``models/actor_kinds``) rename
    a side ("Protesters (Kenya)" for a named union leading a protest); an actor it renamed says so in
    ``reason``. None: as ``use_model``.
    ``retype_threshold``: the learned probability needed to change the rules' type of an event clause
    (between 0 and 1; None: the packaged models' own bar, ``EventTyper.change_threshold``).
    ``encoder_gate``: the n-gram model's probability of another type a clause needs before the encoder reads
    it (between 0 and 1; 0: always; None: the packaged models' own gate, ``EventTyper.encoder_gate``).
    ``default_country``: the ISO 3166-1 code of the country a feed covers (``fogwatch extract --country KE``): a
    report that names no place the gazetteer knows gets that country for its generic actors, each saying so in
    its ``reason``; no event is located by it.
    """
    if retype_threshold is not None and not 0.0 <= retype_threshold <= 1.0:
        raise UsageError(f"events.retype_threshold must lie between 0 and 1, not {retype_threshold!r}", Code.BAD_OPTION)
    if encoder_gate is not None and not 0.0 <= encoder_gate <= 1.0:
        raise UsageError(f"events.encoder_gate must lie between 0 and 1, not {encoder_gate!r}", Code.BAD_OPTION)
    lexicon = load_lexicon(lexicon_paths)
    registry = load_registry(tuple(actor_paths), lexicon=lexicon) if lexicon_paths or actor_paths else registry_from_env()
    if default_country is not None and default_country.upper() not in registry.countries:
        raise UsageError(f"events.default_country: {default_country!r} is no ISO 3166-1 code the actor registry knows (e.g. KE, SY)", Code.BAD_OPTION)
    country = default_country.upper() if default_country else None
    typer = EventTyper(use_model=True, lexicon=lexicon, change_threshold=retype_threshold, encoder_gate=encoder_gate) if use_model else None
    kinds = ActorKinds() if (use_model if use_actor_model is None else use_actor_model) else None

    def events_stage(doc: Document) -> Document:
        return replace(doc, events=extract_events(doc, registry, lexicon, typer, kinds, default_country=country))

    return events_stage
