"""The input boundary's last check: characters no store can hold, and a publication date no one can compute with.

Every reader's Document passes through :func:`repair_document` before the
pipeline runs (``fogwatch extract`` and ``fogwatch ingest`` alike), so one bad
record never blocks a batch and both commands see the same text:

- a lone surrogate (``"\\ud83d"`` in JSON, or a file name that is not UTF-8) cannot
  be encoded as UTF-8, and NUL cannot be stored by PostgreSQL. Each such code point
  becomes U+FFFD, one code point for one, so every offset into the text stays
  valid; the document gets a warning ``E111`` naming the fields repaired;
- a ``published`` value that is not a date (``"garbage"``), or a date so close to
  the calendar's ends (year 1, year 9999) that dates relative to it ("yesterday",
  "on 3 February") cannot be computed, gets a warning ``E112``. The first kind is
  kept as given (nothing reads it as a date); the second is dropped, so the events
  are kept and relative dates simply get no anchor from publication.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from fogwatch.errors import Code
from fogwatch.records import DocError, Document

REPLACEMENT = "\ufffd"
_BAD = re.compile("[\x00\ud800-\udfff]")
# Publication years dates can be computed around: a margin of a year inside date.min..date.max.
MIN_YEAR, MAX_YEAR = date.min.year + 1, date.max.year - 1


def repair_text(value: str) -> tuple[str, int]:
    """``value`` with every lone surrogate and NUL replaced by U+FFFD, and how many were replaced."""
    if not _BAD.search(value):
        return value, 0
    return _BAD.subn(REPLACEMENT, value)


def _repair_any(value: Any) -> tuple[Any, int]:
    if isinstance(value, str):
        return repair_text(value)
    if isinstance(value, (list, tuple)):
        items = [_repair_any(v) for v in value]
        return type(value)(v for v, _ in items), sum(n for _, n in items)
    if isinstance(value, dict):
        out, total = {}, 0
        for k, v in value.items():
            k2, n1 = _repair_any(k)
            v2, n2 = _repair_any(v)
            out[k2] = v2
            total += n1 + n2
        return out, total
    return value, 0


def check_published(value: str | None) -> tuple[str | None, DocError | None]:
    """(the value to keep, a warning): unparseable values are kept and flagged; unusable dates are dropped and flagged."""
    if value is None or not value.strip():
        return value, None
    try:
        day = date.fromisoformat(value.strip()[:10])
    except ValueError:
        return value, DocError(str(Code.BAD_PUBLISHED),
                               f"published {value[:80]!r} is not a date (YYYY-MM-DD): ignored for dating events", "reader")
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        return None, DocError(
            str(Code.BAD_PUBLISHED),
            f"published {value[:80]!r} lies at the calendar's limit: ignored, so dates relative to publication are not resolved",
            "reader",
        )
    return value, None


def _repair_fields(record: object, names: tuple[str, ...], repaired: list[str]) -> dict[str, Any]:
    """The repaired values of ``record``'s string fields among ``names``; each repair noted in ``repaired``."""
    changes: dict[str, Any] = {}
    for name in names:
        value = getattr(record, name)
        if isinstance(value, str):
            fixed, n = repair_text(value)
            if n:
                changes[name] = fixed
                repaired.append(f"{name} ({n})")
    return changes


def repair_document(doc: Document) -> Document:
    """``doc`` made storable: see the module's docstring. A document needing nothing is returned as is."""
    repaired: list[str] = []
    changes = _repair_fields(doc, ("doc_id", "text", "origin"), repaired)
    meta = doc.metadata
    meta_changes = _repair_fields(meta, ("title", "author", "published", "source", "url", "language"), repaired)
    if meta.extra:
        extra, n = _repair_any(meta.extra)
        if n:
            meta_changes["extra"] = tuple(tuple(kv) for kv in extra)
            repaired.append(f"other fields ({n})")
    errors = [e if not _BAD.search(e.message) else replace(e, message=repair_text(e.message)[0]) for e in doc.errors]
    if repaired:
        what = ", ".join(repaired)
        errors.append(DocError(str(Code.CHARS_REPAIRED),
                               f"characters that cannot be stored (lone surrogates, NUL) replaced by U+FFFD in {what}", "reader"))
    published, warning = check_published(meta_changes.get("published", meta.published))
    if warning is not None:
        errors.append(warning)
        meta_changes["published"] = published
    if meta_changes:
        changes["metadata"] = replace(meta, **meta_changes)
    if tuple(errors) != doc.errors:
        changes["errors"] = tuple(errors)
    return replace(doc, **changes) if changes else doc


__all__ = ["REPLACEMENT", "check_published", "repair_document", "repair_text"]
