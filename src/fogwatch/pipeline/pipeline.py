"""Build a pipeline from component names and run it over documents."""

from __future__ import annotations

import logging
from typing import Iterable, Iterator, Mapping, Sequence

from fogwatch.errors import Code, PipelineError
from fogwatch.pipeline.component import Component, StageFn, get_component
from fogwatch.records import DocError, Document

log = logging.getLogger(__name__)

# What a Document has before any stage runs: the readers in fogwatch.ingest fill these.
READER_ASSIGNS: tuple[str, ...] = ("doc_id", "text", "metadata", "is_html", "origin", "hints")

# The default stage order. Stages that are not installed yet are skipped by
# `default_pipeline`, so the list can name the whole design.
DEFAULT_STAGES: tuple[str, ...] = ("sections", "sentences", "places", "events", "slant")


class Pipeline:
    """An ordered list of components, validated when built.

    >>> nlp = Pipeline(["sections", "sentences"])
    >>> doc = nlp(Document(doc_id="x", text="Hello."))
    """

    def __init__(self, names: Sequence[str], settings: Mapping[str, Mapping[str, object]] | None = None) -> None:
        """``settings``: component name -> keyword arguments of its factory (E206 for a stage not in ``names``)."""
        self.components: tuple[Component, ...] = tuple(get_component(n) for n in names)
        self._check()
        settings = settings or {}
        stray = sorted(set(settings) - set(self.names))
        if stray:
            raise PipelineError(f"settings for {', '.join(stray)}, which the pipeline does not run ({' -> '.join(self.names)})", Code.STAGE_SETTINGS)
        self._stages: tuple[tuple[Component, StageFn], ...] = tuple((c, c.build(settings.get(c.name))) for c in self.components)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.components)

    def _check(self) -> None:
        available = set(READER_ASSIGNS)
        seen: set[str] = set()
        for comp in self.components:
            if comp.name in seen:
                raise PipelineError(f"component {comp.name!r} appears twice in the pipeline", Code.DUPLICATE_STAGE)
            seen.add(comp.name)
            missing = [r for r in comp.requires if r not in available]
            if missing:
                raise PipelineError(
                    f"component {comp.name!r} requires {', '.join(missing)}, "
                    f"which no earlier component assigns (pipeline: {' -> '.join(self.names)})",
                    Code.MISSING_REQUIREMENT,
                )
            available.update(comp.assigns)

    def __call__(self, doc: Document) -> Document:
        for comp, run in self._stages:
            try:
                doc = run(doc)
            except Exception as exc:  # one stage failing on one document must not stop the batch
                log.debug("stage %s failed on %s", comp.name, doc.doc_id, exc_info=True)
                doc = doc.with_error(
                    DocError(
                        code=str(Code.STAGE_FAILED),
                        message=f"stage {comp.name!r} failed: {type(exc).__name__}: {exc}",
                        stage=comp.name,
                    )
                )
        return doc

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            yield self(doc) if not _unreadable(doc) else doc

    def describe(self) -> list[dict[str, object]]:
        return [
            {"name": c.name, "requires": list(c.requires), "assigns": list(c.assigns), "doc": c.doc}
            for c in self.components
        ]


def _unreadable(doc: Document) -> bool:
    """A document whose reader already failed (no text) skips the stages."""
    return not doc.text and bool(doc.errors)


def default_pipeline(exclude: Iterable[str] = (), settings: Mapping[str, Mapping[str, object]] | None = None) -> Pipeline:
    """Every installed default stage but ``exclude``; ``settings`` as for :class:`Pipeline`."""
    from fogwatch.pipeline.component import registered_components

    known = registered_components()
    skip = set(exclude)
    return Pipeline([n for n in DEFAULT_STAGES if n in known and n not in skip], settings)

