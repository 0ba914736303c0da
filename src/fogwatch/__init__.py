"""fogwatch: conflict reports to verifiable, ACLED-typed event data with provenance.

The public API is small; everything in a module whose name starts with an
underscore, and every name not listed in ``__all__``, may change.

>>> import fogwatch
>>> nlp = fogwatch.load()                      # once: builds the stages (gazetteer, registries, model)
>>> doc = nlp("Shelling hit the town on Monday.", published="2016-02-15")
>>> [s.kind for s in doc.sections]
['body']
>>> rows = fogwatch.acled_rows(doc)            # ACLED's columns, one row per event, without a store
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any, Iterator, Sequence, Unpack

from fogwatch.errors import Code, FogwatchError, InputError, ModelError, PipelineError, UsageError

if TYPE_CHECKING:
    from fogwatch.api import acled_rows, load
    from fogwatch.contract import to_record
    from fogwatch.events.model import Actor, Claim, Event, EventDate, Location
    from fogwatch.pipeline import Pipeline, component, default_pipeline
    from fogwatch.places.model import Place
    from fogwatch.records import DocError, Document, Metadata, MetadataFields, Provenance, Section, Sentence, SlantSpan, Span

# Loaded on first use (PEP 562): `import fogwatch` must stay cheap for the query commands,
# which never touch the pipeline.
_LAZY = {
    "load": "fogwatch.api",
    "acled_rows": "fogwatch.api",
    "Actor": "fogwatch.events.model",
    "Claim": "fogwatch.events.model",
    "Event": "fogwatch.events.model",
    "EventDate": "fogwatch.events.model",
    "Location": "fogwatch.events.model",
    "Place": "fogwatch.places.model",
    "DocError": "fogwatch.records",
    "Provenance": "fogwatch.records",
    "to_record": "fogwatch.contract",
    "Pipeline": "fogwatch.pipeline",
    "component": "fogwatch.pipeline",
    "default_pipeline": "fogwatch.pipeline",
    "Document": "fogwatch.records",
    "Metadata": "fogwatch.records",
    "Section": "fogwatch.records",
    "Sentence": "fogwatch.records",
    "SlantSpan": "fogwatch.records",
    "Span": "fogwatch.records",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":  # on first use: importlib.metadata costs ~25 ms, which `fogwatch events` must not pay
        globals()[name] = _version()
        return globals()[name]
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'fogwatch' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | {"__version__"})


def _version() -> str:
    """The installed distribution's version: pyproject.toml's ``version`` is the one place it is written."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("fogwatch")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


if TYPE_CHECKING:
    __version__: str

# The public API; tests/foundation/test_api.py guards it (a name added or removed here is a decision).
__all__ = [
    "Actor",
    "Claim",
    "Code",
    "DocError",
    "Document",
    "Event",
    "EventDate",
    "FogwatchError",
    "InputError",
    "Location",
    "Metadata",
    "ModelError",
    "Pipeline",
    "PipelineError",
    "Place",
    "Provenance",
    "Section",
    "Sentence",
    "SlantSpan",
    "Span",
    "UsageError",
    "acled_rows",
    "analyze_text",
    "component",
    "default_pipeline",
    "extract",
    "load",
    "to_record",
]


def analyze_text(
    text: str, doc_id: str = "doc", pipeline: Pipeline | None = None, **metadata: Unpack[MetadataFields]
) -> Document:
    """Run the pipeline over one text; ``metadata`` takes title, published, source, url, author.

    Without ``pipeline`` it runs the default pipeline, built on the first call and reused after
    (``fogwatch.load()`` gives a pipeline of your own, with settings).
    """
    from fogwatch.api import shared_pipeline

    nlp = pipeline or shared_pipeline()
    return nlp(text, doc_id=doc_id, **metadata)


def extract(paths: Sequence[str], pipeline: Pipeline | None = None, stdin: IO[bytes] | None = None) -> Iterator[Document]:
    """Read files, directories or ``"-"`` (JSONL on ``stdin``) and yield processed documents in input order."""
    from fogwatch.api import shared_pipeline
    from fogwatch.ingest.sources import check_paths, iter_documents

    check_paths(paths)
    nlp = pipeline or shared_pipeline()
    return nlp.pipe(iter_documents(paths, stdin=stdin))
