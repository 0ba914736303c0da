"""Named pipeline components and the pipeline that runs them.

A component declares what it ``requires`` and what it ``assigns`` (names of
:class:`~fogwatch.records.Document` fields). :class:`Pipeline` checks at build
time that every requirement is assigned by the reader or an earlier stage,
the way spaCy checks ``requires``/``assigns`` in ``nlp.analyze_pipes``.
"""

from fogwatch.pipeline.component import Component, component, get_component, registered_components
from fogwatch.pipeline.pipeline import READER_ASSIGNS, Pipeline, default_pipeline

__all__ = [
    "Component",
    "Pipeline",
    "READER_ASSIGNS",
    "component",
    "default_pipeline",
    "get_component",
    "registered_components",
]
