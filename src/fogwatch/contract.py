"""Serialise a Document to the extract contract (../shared/CONTRACT.md).

The contract's keys are fixed; fogwatch adds ``metadata`` and ``provenance``
(allowed: "more keys may be added"). Records that later stages put in
``places``, ``events`` and ``slant`` serialise themselves through a
``to_contract()`` method, so this module needs no change when they grow.
"""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

from fogwatch.records import Document

SCHEMA_RESOURCE = "extract-record.schema.json"


def _item(obj: Any) -> Any:
    if hasattr(obj, "to_contract"):
        return obj.to_contract()
    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    return obj


def to_record(doc: Document) -> dict[str, Any]:
    record: dict[str, Any] = {"doc_id": doc.doc_id}
    if doc.is_html:
        record["text"] = doc.text
    record["sections"] = [
        {"start": s.start, "end": s.end, "kind": s.kind, **({"reason": s.reason} if s.reason else {})} for s in doc.sections
    ]
    record["places"] = [_item(p) for p in doc.places]
    record["events"] = [_item(e) for e in doc.events]
    record["slant"] = [_item(s) for s in doc.slant]
    record["errors"] = [{"code": e.code, "message": e.message, **({"stage": e.stage} if e.stage else {})} for e in doc.errors]
    meta = {k: v for k, v in (("title", doc.metadata.title), ("author", doc.metadata.author), ("published", doc.metadata.published), ("source", doc.metadata.source), ("url", doc.metadata.url)) if v}
    if meta:
        record["metadata"] = meta
    prov = doc.provenance
    if prov.outlet or prov.republisher:
        record["provenance"] = {
            "outlet": prov.outlet,
            "republisher": prov.republisher,
            "evidence": [{"start": s.start, "end": s.end} for s in prov.evidence],
            "reason": prov.reason,
        }
    return record


def to_json_line(doc: Document) -> str:
    return json.dumps(to_record(doc), ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The JSON schema of one extract record, shipped with the package."""
    return json.loads(files("fogwatch.schema").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8"))
