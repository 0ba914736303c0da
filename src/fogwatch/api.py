"""The Python API for notebooks and scripts: load a pipeline once, run it over texts, get ACLED rows.

In the spirit of spaCy and httpx: building the pipeline (gazetteer index, actor registry, lexicon,
sub-event model) is the expensive part, so it happens once, in :func:`load`; running it is cheap::

    import fogwatch

    nlp = fogwatch.load()                                   # or load(config={"events": {"use_model": False}})
    doc = nlp("Shelling killed three people in Kafr Nabl on Monday.", published="2016-02-15")
    for event in doc.events:                                # fogwatch.Event records, frozen dataclasses
        print(event.sub_event_type, event.location and event.location.name, event.fatalities)
    rows = fogwatch.acled_rows(doc)                         # ACLED's columns, without a store
    docs = list(nlp.pipe(texts))                            # many texts, lazily, in order

This module sits above every other package (it is what ``fogwatch.<name>`` resolves to); nothing
inside fogwatch imports it.
"""

from __future__ import annotations

import threading
from dataclasses import fields
from datetime import date
from typing import TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:
    from fogwatch.pipeline import Pipeline
    from fogwatch.pipeline.pipeline import Config, OnError
    from fogwatch.records import Document

__all__ = ["acled_rows", "load", "shared_pipeline"]


def load(
    stages: Sequence[str] | None = None,
    *,
    exclude: Iterable[str] = (),
    config: Config | None = None,
    on_error: OnError = "record",
) -> Pipeline:
    """A ready pipeline: call it on a text (``nlp(text, published="2016-02-15")``) or ``nlp.pipe(texts)``.

    ``stages``: the components to run, in order (default: every default stage, less ``exclude``).
    ``config``: per-stage settings, e.g. ``{"events": {"use_model": False, "lexicon_paths": ["mine.yaml"],
    "actor_paths": ["actors.yaml"]}}``; checked when built (E206). ``on_error``: ``"record"`` keeps a failing
    stage's exception as a coded error in the document (E201); ``"raise"`` lets it out.
    """
    from fogwatch.pipeline import Pipeline, default_pipeline

    if stages is not None:
        skip = set(exclude)
        return Pipeline([s for s in stages if s not in skip], config, on_error=on_error)
    return default_pipeline(exclude, config=config, on_error=on_error)


_shared: Pipeline | None = None
_shared_lock = threading.Lock()


def shared_pipeline() -> Pipeline:
    """The default pipeline, built on first use and kept: what :func:`fogwatch.analyze_text` runs."""
    global _shared
    if _shared is None:
        with _shared_lock:
            if _shared is None:
                _shared = load()
    return _shared


def acled_rows(doc: Document) -> list[dict[str, Any]]:
    """One ACLED row per event of ``doc``: ACLED's columns (``fogwatch.export.acled.ACLED_COLUMNS``) and fogwatch's extras.

    Each event is taken as a fused event with one member (this report), the way a store that holds
    only this document would export it: the same mapping (:func:`fogwatch.export.acled.acled_row`), so
    ``n_sources`` is 1, ``contested`` is False and ``timestamp`` is empty (nothing was stored).
    ``event_id_cnty`` is the event's id in the extract record (``DOC_ID-eN``).
    """
    from fogwatch.contract import to_record
    from fogwatch.export.acled import acled_row, safe_url
    from fogwatch.fusion.model import mention_from_contract
    from fogwatch.fusion.summary import DocSource, summarize
    from fogwatch.fusion.incremental import standing

    record = to_record(doc)
    label = doc.provenance.outlet or doc.metadata.source or doc.doc_id
    doc_key = f"doc:{doc.doc_id}"
    sources = {doc_key: DocSource(source_key=doc_key, label=label)}
    url = safe_url(doc.provenance.url or doc.metadata.url)
    rows = []
    for index, event in enumerate(e for e in record["events"] if isinstance(e, dict)):
        mention = mention_from_contract(event, doc_key, index)
        summary = summarize([mention], sources)
        fused = {f.name: _plain(getattr(summary, f.name)) for f in fields(summary)}
        fused.update(standing([mention]))  # modality, confidence, background: as the store derives them
        fused.update(
            event_id=mention.contract_event_id or mention.mention_id,
            discrepancy_reasons=list(summary.reasons),
            updated_at=None,
        )
        member = {
            "mention_id": mention.mention_id, "doc_key": doc_key, "doc_id": doc.doc_id, "outlet": label, "url": url,
            "actor1": mention.actor1, "actor1_text": mention.actor1_text, "actor1_inter": mention.actor1_inter,
            "actor2": mention.actor2, "actor2_text": mention.actor2_text, "actor2_inter": mention.actor2_inter,
            "claims": [
                {"quantity": c.quantity, "low": c.low, "high": c.high, "figure": c.describe(), "claimant": c.claimant,
                 "modality": c.modality, "subject": c.subject}
                for c in mention.claims
            ],
        }
        rows.append(acled_row(fused, [member]))
    return rows


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
