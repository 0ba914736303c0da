"""The record types every stage reads and produces.

One frozen dataclass per record type. Stages never mutate a record: they
return a new one with :func:`dataclasses.replace`. Offsets are Python string
indices (code points) into ``Document.text``; ``end`` is exclusive.

Serialisation to the extract contract lives in :mod:`fogwatch.contract`, so
these types stay free of JSON concerns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypedDict

if TYPE_CHECKING:  # the record modules import this one: no import at run time
    from fogwatch.events.model import Event
    from fogwatch.places.model import Place

SectionKind = Literal["title", "body", "boilerplate", "comments"]
SECTION_KINDS: tuple[str, ...] = ("title", "body", "boilerplate", "comments")


@dataclass(frozen=True, slots=True)
class Span:
    """A character range into the document text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def text(self, source: str) -> str:
        return source[self.start : self.end]

    def contains(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Section:
    """A run of text with one role: the article's title, its body, or what is not the article."""

    start: int
    end: int
    kind: SectionKind
    # Why the sectioner decided this (a fallback rule, a marker line); None when trivially body.
    reason: str | None = None

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    section: SectionKind = "body"

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True, slots=True)
class SlantSpan:
    """A span using a propaganda technique (PTC names, ../shared/CONTRACT.md); context, never a change to a figure.

    ``score`` in [0, 1]: the tagger's mean token probability of propaganda times the technique head's
    probability of ``technique``. ``reason``: which model decided (assigned by the ``slant`` stage).
    """

    start: int
    end: int
    technique: str
    score: float
    reason: str = "model"

    def __post_init__(self) -> None:
        if self.start < 0 or self.end <= self.start:
            raise ValueError(f"invalid slant span [{self.start}, {self.end})")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"slant score {self.score} outside [0, 1]")

    def to_contract(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "technique": self.technique, "score": round(self.score, 4), "reason": self.reason}


@dataclass(frozen=True, slots=True)
class DocError:
    """A coded problem recorded on one document; the batch goes on."""

    code: str
    message: str
    stage: str | None = None


@dataclass(frozen=True, slots=True)
class Provenance:
    """Who published the text, and who wrote it first when it is a republication.

    Each value keeps where it came from: ``evidence`` spans point at the footer
    line that named the outlet, ``reason`` says which rule decided it.
    """

    outlet: str | None = None  # the original outlet ("South Front")
    republisher: str | None = None  # the site that re-posted it ("Global Research")
    url: str | None = None
    evidence: tuple[Span, ...] = ()
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Metadata:
    """Document metadata from the input (JSONL fields, a sidecar, or HTML)."""

    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    source: str | None = None  # outlet / site name as given
    url: str | None = None
    language: str | None = None
    # Input fields we do not interpret, kept so nothing the user gave is lost.
    extra: tuple[tuple[str, Any], ...] = ()


class MetadataFields(TypedDict, total=False):
    """The :class:`Metadata` fields a caller names as keywords (``fogwatch.analyze_text(text, title=...)``)."""

    title: str | None
    author: str | None
    published: str | None
    source: str | None
    url: str | None
    language: str | None


@dataclass(frozen=True, slots=True)
class Document:
    """One input report as it moves through the pipeline.

    ``text`` is the decoded text that every offset refers to. ``is_html`` tells
    the contract writer to echo ``text`` (the contract requires it for HTML).
    """

    doc_id: str
    text: str
    metadata: Metadata = field(default_factory=Metadata)
    is_html: bool = False
    origin: str | None = None  # file path or "<stdin>:LINE", for messages
    # Sections the reader knows for certain from markup (HTML title, comment
    # blocks); the sectioner keeps them and decides the rest.
    hints: tuple[Section, ...] = ()
    sections: tuple[Section, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    # Wire datelines ("BEIRUT (AP) —") opening the body sections: where and when the report was
    # filed, not an event's place or date. Found once, by the sentences stage.
    datelines: tuple[Span, ...] = ()
    provenance: Provenance = field(default_factory=Provenance)
    # Filled by later stages (places, events, slant); plain tuples of records.
    places: tuple[Place, ...] = ()
    events: tuple[Event, ...] = ()
    slant: tuple[SlantSpan, ...] = ()  # assigned by the slant stage, body sections only
    errors: tuple[DocError, ...] = ()

    def with_error(self, error: DocError) -> "Document":
        from dataclasses import replace

        return replace(self, errors=self.errors + (error,))

    def body_sentences(self) -> tuple[Sentence, ...]:
        """Sentences later stages may draw facts from: never boilerplate or comments."""
        return tuple(s for s in self.sentences if s.section in ("body", "title"))
