"""fogwatch: conflict reports to verifiable, ACLED-typed event data with provenance.

The public API is small; everything in a module whose name starts with an
underscore, and every name not listed in ``__all__``, may change.

>>> import fogwatch
>>> doc = fogwatch.analyze_text("Shelling hit the town on Monday.", doc_id="x")
>>> [s.kind for s in doc.sections]
['body']
"""

from __future__ import annotations

from typing import IO, Iterator, Sequence

from fogwatch.contract import to_record
from fogwatch.errors import Code, FogwatchError, InputError, PipelineError, UsageError
from fogwatch.pipeline import Pipeline, component, default_pipeline
from fogwatch.records import Document, Metadata, Section, Sentence, Span

__version__ = "0.1.0"

__all__ = [
    "Code",
    "Document",
    "FogwatchError",
    "InputError",
    "Metadata",
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


def analyze_text(text: str, doc_id: str = "doc", pipeline: Pipeline | None = None, **metadata: str) -> Document:
    """Run the pipeline over one text; ``metadata`` takes title, published, source, url, author."""
    nlp = pipeline or default_pipeline()
    return nlp(Document(doc_id=doc_id, text=text, metadata=Metadata(**metadata)))


def extract(paths: Sequence[str], pipeline: Pipeline | None = None, stdin: IO[bytes] | None = None) -> Iterator[Document]:
    """Read files, directories or ``"-"`` (JSONL on ``stdin``) and yield processed documents in input order."""
    from fogwatch.ingest.sources import check_paths, iter_documents

    check_paths(paths)
    nlp = pipeline or default_pipeline()
    return nlp.pipe(iter_documents(paths, stdin=stdin))
