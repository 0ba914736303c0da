"""Build a pipeline from component names and run it over documents (or plain texts)."""

from __future__ import annotations

import logging
import time
from datetime import date
from itertools import count
from typing import Iterable, Iterator, Literal, Mapping, Sequence, Unpack

from fogwatch.errors import Code, PipelineError, UsageError
from fogwatch.pipeline.component import Component, StageFn, get_component
from fogwatch.records import DocError, Document, Metadata, MetadataFields

OnError = Literal["record", "raise"]
Config = Mapping[str, Mapping[str, object]]

log = logging.getLogger(__name__)

# What a Document has before any stage runs: the readers in fogwatch.ingest fill these.
READER_ASSIGNS: tuple[str, ...] = ("doc_id", "text", "metadata", "is_html", "origin", "hints")

# The default stage order. Every one is a built-in component (pipeline.component._BUILTIN_MODULES): one
# whose module is missing stops the build with E207 (see component._load_builtins), except a stage the
# design names that is not written yet (component.NOT_YET_WRITTEN), which `default_pipeline` leaves out.
DEFAULT_STAGES: tuple[str, ...] = ("sections", "sentences", "places", "events", "slant")


class Pipeline:
    """An ordered list of components, validated when built.

    >>> nlp = Pipeline(["sections", "sentences"])
    >>> doc = nlp(Document(doc_id="x", text="Hello."))
    >>> doc = nlp("Shelling hit the town on Monday.", published="2020-02-03")

    ``config``: component name -> keyword arguments of its factory, e.g. ``{"events": {"use_model": False}}``
    (E206 for a stage not in ``names`` or a keyword its factory does not take). ``settings`` is the same
    argument under its earlier name.

    ``on_error``: ``"record"`` (the default) turns an exception in a stage into a coded E201 entry in the
    document's ``errors`` and runs the later stages, so one bad document never stops a batch; ``"raise"``
    lets the exception out (with a note naming the stage and the document), for debugging and for callers
    that would rather fail.
    """

    def __init__(
        self,
        names: Sequence[str],
        config: Config | None = None,
        *,
        on_error: OnError = "record",
        settings: Config | None = None,
    ) -> None:
        if on_error not in ("record", "raise"):
            raise UsageError(f"on_error must be 'record' or 'raise', not {on_error!r}", Code.BAD_OPTION)
        if config is not None and settings is not None:
            raise UsageError("give the stages' settings once: config= (settings= is its earlier name)", Code.STAGE_SETTINGS)
        self.on_error: OnError = on_error
        self.components: tuple[Component, ...] = tuple(get_component(n) for n in names)
        self._check()
        settings = config if config is not None else (settings or {})
        self.config: dict[str, dict[str, object]] = {k: dict(v) for k, v in settings.items()}
        stray = sorted(set(settings) - set(self.names))
        if stray:
            raise PipelineError(f"settings for {', '.join(stray)}, which the pipeline does not run ({' -> '.join(self.names)})", Code.STAGE_SETTINGS)
        started = time.perf_counter()
        self._stages: tuple[tuple[Component, StageFn], ...] = tuple((c, c.build(settings.get(c.name))) for c in self.components)
        log.info("pipeline %s built in %.2f s", " -> ".join(self.names), time.perf_counter() - started)

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

    def __call__(self, doc: Document | str, *, doc_id: str | None = None, **metadata: Unpack[MetadataFields]) -> Document:
        """Run every stage over ``doc``: a :class:`Document`, or a text with ``doc_id`` and metadata keywords
        (``title``, ``published`` as ``YYYY-MM-DD`` or a :class:`datetime.date`, ``source``, ``url``, ``author``)."""
        if isinstance(doc, str):
            doc = make_document(doc, doc_id or "doc", **metadata)
        elif doc_id is not None or metadata:
            raise UsageError("doc_id and metadata keywords go with a text; a Document carries its own", Code.BAD_OPTION)
        return self._run(doc)

    def _run(self, doc: Document) -> Document:
        for comp, run in self._stages:
            try:
                doc = run(doc)
            except Exception as exc:  # one stage failing on one document must not stop the batch
                if self.on_error == "raise":
                    exc.add_note(f"fogwatch: in stage {comp.name!r} on document {doc.doc_id!r}")
                    raise
                log.debug("stage %s failed on %s", comp.name, doc.doc_id, exc_info=True)
                doc = doc.with_error(
                    DocError(
                        code=str(Code.STAGE_FAILED),
                        message=f"stage {comp.name!r} failed: {type(exc).__name__}: {exc}",
                        stage=comp.name,
                    )
                )
        return doc

    def pipe(self, docs: Iterable[Document | str]) -> Iterator[Document]:
        """Each document (or text: its ``doc_id`` is ``text-N``, counting from 1) processed, in input order, lazily."""
        numbers = count(1)
        for doc in docs:
            n = next(numbers)
            if isinstance(doc, str):
                doc = make_document(doc, f"text-{n}")
            yield self._run(doc) if not _unreadable(doc) else doc

    def describe(self) -> list[dict[str, object]]:
        return [
            {"name": c.name, "requires": list(c.requires), "assigns": list(c.assigns), "doc": c.doc}
            for c in self.components
        ]


def make_document(text: str, doc_id: str = "doc", **metadata: object) -> Document:
    """A :class:`Document` from a plain text, through the same boundary checks as the readers' documents
    (characters no store can hold become U+FFFD with E111; a ``published`` that is not a date gets E112)."""
    from fogwatch.ingest.repair import repair_document

    if not isinstance(text, str):
        raise UsageError(f"expected a text (str) or a Document, not {type(text).__name__}", Code.BAD_OPTION)
    unknown = sorted(set(metadata) - set(MetadataFields.__annotations__))
    if unknown:
        raise UsageError(f"unknown metadata {', '.join(unknown)} (known: {', '.join(MetadataFields.__annotations__)})", Code.BAD_OPTION)
    fields = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in metadata.items()}
    for key, value in fields.items():
        if value is not None and not isinstance(value, str):
            raise UsageError(f"metadata {key} must be text, not {type(value).__name__}", Code.BAD_OPTION)
    return repair_document(Document(doc_id=doc_id, text=text, metadata=Metadata(**fields)))  # type: ignore[arg-type]


def _unreadable(doc: Document) -> bool:
    """A document whose reader already failed (no text) skips the stages."""
    return not doc.text and bool(doc.errors)


def default_pipeline(
    exclude: Iterable[str] = (),
    settings: Config | None = None,
    *,
    config: Config | None = None,
    on_error: OnError = "record",
) -> Pipeline:
    """Every default stage but ``exclude``; ``config`` (or ``settings``) and ``on_error`` as for :class:`Pipeline`."""
    from fogwatch.pipeline.component import registered_components

    known = registered_components()  # E207 when a built-in stage's module is missing
    skip = set(exclude)
    unknown = sorted(skip - set(DEFAULT_STAGES))
    if unknown:
        raise PipelineError(f"cannot exclude {', '.join(unknown)}: not a default stage ({', '.join(DEFAULT_STAGES)})", Code.UNKNOWN_STAGE)
    return Pipeline([n for n in DEFAULT_STAGES if n in known and n not in skip], config, on_error=on_error, settings=settings)

