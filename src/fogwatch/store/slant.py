"""Slant in the store: the ``slant_spans`` rows of a report, outlet profiles, and claims whose sentence carries slant.

Each slant span of a stored report is one row (span, technique, score and the
sentence it lies in), so an analyst can ask which outlets spin most and how,
and whether the sentence a claim comes from is itself slanted. Slant is
context: nothing here touches mentions, claims or fused events.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from fogwatch.store import schema

S, D, C = schema.slant_spans, schema.documents, schema.claims


def slant_rows(doc_key: str, text: str, spans: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows for ``slant_spans`` from a report's contract slant records (with their ``sentence`` bounds)."""
    rows = []
    for n, s in enumerate(spans):
        start, end = int(s["start"]), int(s["end"])
        sent = s.get("sentence") or (start, end)
        rows.append({
            "slant_id": f"{doc_key[:24]}-s{n}", "doc_key": doc_key, "span_start": start, "span_end": end,
            "technique": str(s["technique"]), "score": float(s["score"]), "sentence_start": int(sent[0]), "sentence_end": int(sent[1]),
            "text": text[start:end],
        })
    return rows


@dataclass
class OutletProfile:
    outlet: str
    documents: int = 0
    words: int = 0
    spans: Counter[str] = field(default_factory=Counter)

    def per_1000_words(self, technique: str | None = None) -> float:
        n = sum(self.spans.values()) if technique is None else self.spans[technique]
        return 1000.0 * n / self.words if self.words else 0.0


def outlet_profiles(conn: Connection, page: int = 500) -> list[OutletProfile]:
    """Per outlet (provenance outlet, else the input's source, else "(unknown)"): reports, words, slant spans by technique.

    Words are counted over each stored report's whole text; near-duplicate copies count for the outlet that published them.
    """
    outlet_of: dict[str, str] = {}
    profiles: dict[str, OutletProfile] = {}
    last = ""
    while True:
        rows = conn.execute(
            sa.select(D.c.doc_key, D.c.outlet, D.c.source, D.c.text).where(D.c.doc_key > last).order_by(D.c.doc_key).limit(page)
        ).all()
        if not rows:
            break
        for key, outlet, source, text in rows:
            name = outlet or source or "(unknown)"
            outlet_of[key] = name
            p = profiles.setdefault(name, OutletProfile(name))
            p.documents += 1
            p.words += len(text.split())
        last = rows[-1][0]
    for key, technique, n in conn.execute(sa.select(S.c.doc_key, S.c.technique, sa.func.count()).group_by(S.c.doc_key, S.c.technique)):
        if key in outlet_of:
            profiles[outlet_of[key]].spans[technique] += int(n)
    return sorted(profiles.values(), key=lambda p: (-p.per_1000_words(), p.outlet))


def claim_sentence_slant(conn: Connection, claims: Sequence[tuple[str, str, int | None]]) -> dict[str, list[str]]:
    """claim id -> techniques of the slant spans in the sentence holding its evidence (empty: none), for (claim_id, doc_key, evidence_start)."""
    out: dict[str, list[str]] = {cid: [] for cid, _, _ in claims}
    by_doc: dict[str, list[tuple[str, int]]] = {}
    for cid, key, start in claims:
        if start is not None:
            by_doc.setdefault(key, []).append((cid, start))
    keys = sorted(by_doc)
    for i in range(0, len(keys), 500):
        q = sa.select(S.c.doc_key, S.c.sentence_start, S.c.sentence_end, S.c.technique).where(S.c.doc_key.in_(keys[i : i + 500]))
        for key, s_start, s_end, technique in conn.execute(q):
            for cid, start in by_doc[key]:
                if s_start <= start < s_end and technique not in out[cid]:
                    out[cid].append(technique)
    return out


def with_sentences(spans: Sequence[dict[str, Any]], sentences: Sequence[Any]) -> list[dict[str, Any]]:
    """Contract slant records with ``sentence``: the (start, end) of the sentence each lies in (its own span if none)."""
    out = []
    for s in spans:
        sent = next(((x.start, x.end) for x in sentences if x.start <= s["start"] < x.end), (s["start"], s["end"]))
        out.append({**s, "sentence": sent})
    return out


STORED_REASON = "stored with the report (slant_spans)"


def report_slant(conn: Connection, doc_key: str) -> list[dict[str, Any]] | None:
    """A stored report's slant spans in the contract's shape (``reason``: that they were stored), by offset.

    ``None`` when the store holds none for it: a store from before migration 7 (no table), a report
    stored before it, or one in whose body the slant stage found nothing.
    """
    if not sa.inspect(conn).has_table(S.name):
        return None
    rows = conn.execute(
        sa.select(S.c.span_start, S.c.span_end, S.c.technique, S.c.score).where(S.c.doc_key == doc_key).order_by(S.c.span_start, S.c.span_end, S.c.slant_id)
    ).all()
    if not rows:
        return None
    return [{"start": int(s), "end": int(e), "technique": t, "score": round(float(sc), 4), "reason": STORED_REASON} for s, e, t, sc in rows]
