"""fogwatch: conflict reports to verifiable, ACLED-typed event data with provenance.

The public API is small; everything in a module whose name starts with an
underscore, and every name not listed in ``__all__``, may change.

>>> import fogwatch
>>> doc = fogwatch.analyze_text("Shelling hit the town on Monday.", doc_id="x")
>>> [s.kind for s in doc.sections]
['body']
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any, Iterator, Sequence, Unpack

from fogwatch.errors import Code, FogwatchError, InputError, ModelError, PipelineError, UsageError

if TYPE_CHECKING:
    from fogwatch.contract import to_record
    from fogwatch.pipeline import Pipeline, component, default_pipeline
    from fogwatch.records import Document, Metadata, MetadataFields, Section, Sentence, Span

# Loaded on first use (PEP 562): `import fogwatch` must stay cheap for the query commands,
# which never touch the pipeline.
_LAZY = {
    "to_record": "fogwatch.contract",
    "Pipeline": "fogwatch.pipeline",
    "component": "fogwatch.pipeline",
    "default_pipeline": "fogwatch.pipeline",
    "Document": "fogwatch.records",
    "Metadata": "fogwatch.records",
    "Section": "fogwatch.records",
    "Sentence": "fogwatch.records",
    "Span": "fogwatch.records",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'fogwatch' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__version__ = "0.1.0"

__all__ = [
    "Code",
    "Document",
    "FogwatchError",
    "InputError",
    "Metadata",
    "ModelError",
    "Pipeline",
    "PipelineError",
    "Section",
    "Sentence",
    "Span",
    "UsageError",
    "analyze_text",
    "component",
    "default_pipeline",
    "extract",
    "to_record",
]


def analyze_text(
    text: str, doc_id: str = "doc", pipeline: Pipeline | None = None, **metadata: Unpack[MetadataFields]
) -> Document:
    """Run the pipeline over one text; ``metadata`` takes title, published, source, url, author."""
    from fogwatch.pipeline import default_pipeline
    from fogwatch.records import Document, Metadata

    nlp = pipeline or default_pipeline()
    return nlp(Document(doc_id=doc_id, text=text, metadata=Metadata(**metadata)))


def extract(paths: Sequence[str], pipeline: Pipeline | None = None, stdin: IO[bytes] | None = None) -> Iterator[Document]:
    """Read files, directories or ``"-"`` (JSONL on ``stdin``) and yield processed documents in input order."""
    from fogwatch.ingest.sources import check_paths, iter_documents
    from fogwatch.pipeline import default_pipeline

    check_paths(paths)
    nlp = pipeline or default_pipeline()
    return nlp.pipe(iter_documents(paths, stdin=stdin))
