"""The ``slant`` component: propaganda technique spans (PTC / SemEval-2020 Task 11) in the body.

Reads only sentences of body sections (never the title, boilerplate or reader
comments). The model (``models/slant``, see its ``card.md``) is loaded once, when
the pipeline is built. A missing or corrupt artefact (``E710``/``E711``) leaves
every document's ``slant`` empty with the coded error in its ``errors``; the
other stages run as usual. Slant is context: it never changes a place, an
event or a figure.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from fogwatch.errors import ModelError
from fogwatch.pipeline import component
from fogwatch.records import DocError, Document
from fogwatch.slant.tagger import SlantTagger, default_tagger, load_slant_tagger


def body_sentence_spans(doc: Document) -> list[tuple[int, int]]:
    """(start, end) of the sentences in body sections: where slant is looked for."""
    return [(s.start, s.end) for s in doc.sentences if s.section == "body" and s.end > s.start]


@component("slant", requires=("sentences",), assigns=("slant",), factory=True)
def make_slant_stage(model_dir: str | None = None):
    """Slant spans in the body sentences. ``model_dir``: another artefact folder than the packaged ``models/slant``."""
    loaded: SlantTagger | ModelError
    if model_dir is None:
        loaded = default_tagger()
    else:
        try:
            loaded = load_slant_tagger(Path(model_dir))
        except ModelError as exc:
            loaded = exc

    def slant_stage(doc: Document) -> Document:
        body = body_sentence_spans(doc)
        if not body:
            return replace(doc, slant=())
        if isinstance(loaded, ModelError):
            return replace(doc, slant=()).with_error(DocError(code=str(loaded.code), message=loaded.message, stage="slant"))
        return replace(doc, slant=tuple(loaded(doc.text, body)))

    return slant_stage
