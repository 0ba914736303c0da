"""The ``slant`` component: propaganda technique spans (PTC / SemEval-2020 Task 11) in the body.

Reads only sentences of body sections (never the title, boilerplate or reader
comments). The model (``models/slant``, see its ``card.md``) is loaded once, when
the pipeline is built. A missing or corrupt artefact (``E710``/``E711``) leaves
every document's ``slant`` empty with the coded error in its ``errors``; the
other stages run as usual. The CRF's spans are joined by a second tagger's: the static-vector BiLSTM
(``static``, default :data:`fogwatch.slant.tagger.STATIC_DEFAULT`; artefact ``models/slant_static``) or,
with ``contextual`` on, the fine-tuned encoder (artefact ``models/slant_encoder``). A missing or corrupt
second artefact (``E713``-``E718``) leaves the CRF alone to tag: each document with body sentences
gets its spans and the coded error in its ``errors``. Slant is context: it never changes a place, an
event or a figure.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from fogwatch.errors import ModelError
from fogwatch.pipeline import component
from fogwatch.records import DocError, Document
from fogwatch.slant.tagger import SlantTagger, default_stage_tagger, stage_tagger


def body_sentence_spans(doc: Document) -> list[tuple[int, int]]:
    """(start, end) of the sentences in body sections: where slant is looked for."""
    return [(s.start, s.end) for s in doc.sentences if s.section == "body" and s.end > s.start]


@component("slant", requires=("sentences",), assigns=("slant",), factory=True)
def make_slant_stage(model_dir: str | None = None, contextual: bool | None = None, contextual_dir: str | None = None,
                     static: bool | None = None, static_dir: str | None = None):
    """Slant spans in the body sentences. ``model_dir``: another artefact folder than the packaged ``models/slant``;
    ``contextual``: run the contextual cascade (default: the packaged choice); ``contextual_dir``: another folder than
    ``models/slant_encoder``; ``static``: run the static-vector tagger when the contextual one is off (default: the
    packaged choice); ``static_dir``: another folder than ``models/slant_static``."""
    got: tuple[SlantTagger, ModelError | None] | ModelError
    if model_dir is None and contextual is None and contextual_dir is None and static is None and static_dir is None:
        got = default_stage_tagger()
    else:
        try:
            got = stage_tagger(Path(model_dir) if model_dir else None, contextual if contextual is not None or contextual_dir is None else True,
                               Path(contextual_dir) if contextual_dir else None,
                               static if static is not None or static_dir is None else True, Path(static_dir) if static_dir else None)
        except ModelError as exc:
            got = exc
    loaded: SlantTagger | ModelError = got if isinstance(got, ModelError) else got[0]
    fallback = None if isinstance(got, ModelError) or got[1] is None else got[1]
    fallback_error = None if fallback is None else DocError(code=str(fallback.code), message=f"{fallback.message}; the CRF alone tags", stage="slant")

    def slant_stage(doc: Document) -> Document:
        body = body_sentence_spans(doc)
        if not body:
            return replace(doc, slant=())
        if isinstance(loaded, ModelError):
            return replace(doc, slant=()).with_error(DocError(code=str(loaded.code), message=loaded.message, stage="slant"))
        out = replace(doc, slant=tuple(loaded(doc.text, body)))
        return out if fallback_error is None else out.with_error(fallback_error)

    return slant_stage
