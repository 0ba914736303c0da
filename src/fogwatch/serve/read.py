"""What the API reads from the store, on top of the store's own query code.

The filters are :class:`fogwatch.store.query.EventFilter` and their SQL is
:func:`fogwatch.store.query.where_sql`, exactly as ``fogwatch events``/``claims``/``export`` use them;
lists come from :meth:`Store.events`/:meth:`Store.count_events`, members and claims from
:meth:`Store.members`, downloads from :mod:`fogwatch.export`. What is new here is only what no
command needed: the map's lean points, the timeline's counts, one report, and the evidence in its
sentence.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from typing import TYPE_CHECKING, Any, Iterable

from fogwatch.store.query import EventFilter, where_sql

if TYPE_CHECKING:
    from fogwatch.store import Store

# The map needs only these, a small fraction of an event row (10,000 events in ~0.8 MB of JSON); the panel
# fetches the rest of an event when it is clicked.
POINT_COLUMNS = ("event_id", "latitude", "longitude", "event_type", "event_date", "fatalities_best", "contested", "geo_precision")
BUCKETS = ("day", "week", "month")
CONTEXT_CHARS = 400  # at most this much of the report either side of the evidence, cut at sentence ends


def filter_fields() -> set[str]:
    """The filter names this fogwatch's store understands (a field added to EventFilter is passed through as is)."""
    return {f.name for f in dataclasses.fields(EventFilter)}


def _where(store: Store, f: EventFilter) -> tuple[str, dict[str, Any]]:
    conds, params = [], {}
    for sql, p in where_sql(f, store.dialect):
        conds.append(sql)
        params.update(p)
    return (" WHERE " + " AND ".join(conds)) if conds else "", params


def _execute(store: Store, sql: str, params: dict[str, Any]) -> list[Any]:
    import sqlalchemy as sa

    with store.engine.connect() as conn:
        return list(conn.execute(sa.text(sql), params))


def _fetch_raw(store: Store, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Rows straight from the DB-API cursor: for the map's thousands of rows, SQLAlchemy's Row objects cost more than
    the query (10,000 rows: ~70 ms against ~300 ms on the loaded benchmark machine)."""
    if store.dialect == "postgresql":
        sql = re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", sql)  # psycopg's named parameters, as store.query does
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(sql, params)
        return list(cur.fetchall())
    finally:
        raw.close()  # back to the pool, its transaction rolled back


def events_page(store: Store, f: EventFilter, limit: int, offset: int) -> dict[str, Any]:
    """``fogwatch events``' statement (store.query.events_sql, run as read_events runs it) with the number of all matches
    counted in the same pass (a window count): one walk over a box's candidates instead of two."""
    from fogwatch.store.query import event_dict, events_sql

    sql, params = events_sql(f, store.dialect, limit, offset)
    head = "SELECT "
    assert sql.startswith(head)
    sql = head + "count(*) OVER () AS q_total, " + sql[len(head):]
    rows = _fetch_raw_named(store, sql, params)
    if rows:
        total = int(rows[0].pop("q_total"))
        for r in rows[1:]:
            r.pop("q_total")
    else:
        total = store.count_events(f)  # past the end (or nothing matches): counted on its own
    return {"total": total, "limit": limit, "offset": offset, "events": [event_dict(r) for r in rows]}


def _fetch_raw_named(store: Store, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    if store.dialect == "postgresql":
        sql = re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", sql)
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]
    finally:
        raw.close()


def points(store: Store, f: EventFilter, limit: int) -> dict[str, Any]:
    """The map's view: placed events as compact rows (columns named once), and how many matching events have no point.

    Coordinates are rounded to 5 decimals (about a metre): the map needs no more, and 10,000 rows stay small.
    """
    where, params = _where(store, f)
    cols = ", ".join(f"fused_events.{c}" for c in POINT_COLUMNS)
    placed = (" AND " if where else " WHERE ") + "fused_events.latitude IS NOT NULL AND fused_events.longitude IS NOT NULL"
    sql = f"SELECT {cols} FROM fused_events{where}{placed} ORDER BY fused_events.event_pk LIMIT :p_limit"
    rows = _fetch_raw(store, sql, {**params, "p_limit": limit + 1})
    unplaced = 0  # an event without a point is never inside a box
    if f.bbox is None:
        unplaced_sql = (f"SELECT count(*) FROM fused_events{where}{' AND ' if where else ' WHERE '}"
                        "(fused_events.latitude IS NULL OR fused_events.longitude IS NULL)")
        unplaced = _fetch_raw(store, unplaced_sql, params)[0][0]
    out = [[eid, round(lat, 5), round(lon, 5), etype, day.isoformat() if isinstance(day, date) else day, dead, bool(contested), precision]
           for eid, lat, lon, etype, day, dead, contested, precision in rows[:limit]]
    return {"columns": list(POINT_COLUMNS), "rows": out, "truncated": len(rows) > limit, "unplaced": int(unplaced)}


def timeline(store: Store, f: EventFilter, bucket: str) -> list[dict[str, Any]]:
    """Event counts by period (the event's representative day) and event type, oldest first."""
    where, params = _where(store, f)
    day = "fused_events.event_date"
    if store.dialect == "postgresql":
        period = {"day": f"to_char({day}, 'YYYY-MM-DD')", "week": f"to_char(date_trunc('week', {day}), 'YYYY-MM-DD')",
                  "month": f"to_char({day}, 'YYYY-MM')"}[bucket]
    else:  # ISO text; weeks start on Monday as in PostgreSQL's date_trunc
        period = {"day": day, "week": f"date({day}, '-' || ((CAST(strftime('%w', {day}) AS INTEGER) + 6) % 7) || ' days')",
                  "month": f"substr({day}, 1, 7)"}[bucket]
    cond = (" AND " if where else " WHERE ") + f"{day} IS NOT NULL"
    sql = (f"SELECT {period} AS period, fused_events.event_type, count(*), coalesce(sum(fused_events.fatalities_best), 0)"
           f" FROM fused_events{where}{cond} GROUP BY 1, 2 ORDER BY 1, 2")
    return [{"period": str(p), "event_type": t, "events": int(n), "fatalities": int(k)} for p, t, n, k in _execute(store, sql, params)]


def undated(store: Store, f: EventFilter) -> int:
    where, params = _where(store, f)
    cond = (" AND " if where else " WHERE ") + "fused_events.event_date IS NULL"
    return int(_execute(store, f"SELECT count(*) FROM fused_events{where}{cond}", params)[0][0])


def one_event(store: Store, event_id: str) -> dict[str, Any] | None:
    import sqlalchemy as sa

    from fogwatch.store.query import EVENT_COLUMNS, event_dict

    cols = ", ".join(f"fused_events.{c}" for c in EVENT_COLUMNS)
    with store.engine.connect() as conn:
        row = conn.execute(sa.text(f"SELECT {cols} FROM fused_events WHERE fused_events.event_id = :eid"), {"eid": event_id}).mappings().first()
    return event_dict(dict(row)) if row else None


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentences around ``[start, end)``: back to the previous sentence end or line break, forward to the next."""
    lo = max(0, start - CONTEXT_CHARS)
    head = text[lo:start]
    cut = max([head.rfind("\n"), *(m.end() - 1 for m in re.finditer(r"[.!?][\"'”’)]?\s", head))])
    begin = lo + cut + 1 if cut >= 0 else lo
    hi = min(len(text), end + CONTEXT_CHARS)
    tail = text[end:hi]
    m = re.search(r"[.!?][\"'”’)]?(?=\s|$)|\n", tail)
    finish = end + m.end() if m else hi
    while begin < start and text[begin].isspace():
        begin += 1
    return begin, finish


def evidence_context(text: str, spans: Iterable[tuple[str, int | None, int | None]]) -> list[dict[str, Any]]:
    """Each evidence span in its sentence: the passage, and the highlighted ranges within it (offsets into the passage).

    ``spans`` are (kind, start, end) into the report's text; spans that overlap one passage share it.
    The passage is returned as plain text: the page puts it into text nodes, never into markup.
    """
    good = sorted((s, e, kind) for kind, s, e in spans if s is not None and e is not None and 0 <= s < e <= len(text))
    passages: list[dict[str, Any]] = []
    for s, e, kind in good:
        begin, finish = _sentence_bounds(text, s, e)
        if passages and begin < passages[-1]["end"]:
            p = passages[-1]
            p["end"] = max(p["end"], finish)
        else:
            p = {"start": begin, "end": finish, "marks": []}
            passages.append(p)
        p["marks"].append({"kind": kind, "start": s, "end": e})
    for p in passages:
        p["text"] = text[p["start"]:p["end"]]
        p["marks"] = [{"kind": m["kind"], "start": m["start"] - p["start"], "end": m["end"] - p["start"]} for m in p["marks"]]
    return passages


def _documents(store: Store, doc_keys: list[str], with_text: bool) -> dict[str, dict[str, Any]]:
    import sqlalchemy as sa

    from fogwatch.store import schema

    D = schema.documents
    cols = [D.c.doc_key, D.c.doc_id, D.c.title, D.c.published, D.c.source, D.c.outlet, D.c.republisher, D.c.url,
            D.c.duplicate_of, D.c.duplicate_similarity, D.c.n_events, D.c.errors, D.c.ingested_at]
    if with_text:
        cols.append(D.c.text)
    out = {}
    with store.engine.connect() as conn:
        for i in range(0, len(doc_keys), 500):
            for r in conn.execute(sa.select(*cols).where(D.c.doc_key.in_(doc_keys[i:i + 500]))).mappings():
                out[r["doc_key"]] = dict(r)
    return out


def event_detail(store: Store, event_id: str) -> dict[str, Any] | None:
    """One fused event, its member reports with their claims side by side, and each report's evidence in its sentence."""
    event = one_event(store, event_id)
    if event is None:
        return None
    members = store.members([event_id])[event_id]
    texts = _documents(store, sorted({m["doc_key"] for m in members}), with_text=True)
    for m in members:
        text = texts.get(m["doc_key"], {}).get("text") or ""
        spans = [("evidence", e["start"], e["end"]) for e in m["evidence"]]
        spans += [("claim", c["evidence"]["start"], c["evidence"]["end"]) for c in m["claims"]]
        m["passages"] = evidence_context(text, spans)
    claims = [{**c, "outlet": m["outlet"], "republisher": m["republisher"], "doc_key": m["doc_key"], "doc_id": m["doc_id"],
               "mention_id": m["mention_id"]} for m in members for c in m["claims"]]
    return {"event": event, "members": members, "claims": claims}


def report(store: Store, doc_key: str) -> dict[str, Any] | None:
    """One stored report: its metadata, text, errors, and the event mentions read from it with their fused events."""
    import sqlalchemy as sa

    from fogwatch.redact import is_web_url, strip_credentials
    from fogwatch.store import schema

    docs = _documents(store, [doc_key], with_text=True)
    if doc_key not in docs:
        return None
    d = docs[doc_key]
    M, C = schema.mentions, schema.claims
    with store.engine.connect() as conn:
        mentions = [dict(r) for r in conn.execute(sa.select(
            M.c.mention_id, M.c.event_index, M.c.fused_event_id, M.c.event_type, M.c.sub_event_type, M.c.date_start, M.c.location_name,
            M.c.latitude, M.c.longitude, M.c.geo_precision, M.c.actor1, M.c.actor2, M.c.fatalities, M.c.modality, M.c.confidence,
            M.c.evidence).where(M.c.doc_key == doc_key).order_by(M.c.event_index)).mappings()]
        claims = [dict(r) for r in conn.execute(sa.select(C).where(C.c.doc_key == doc_key).order_by(C.c.claim_id)).mappings()]
    by_mention: dict[str, list[dict[str, Any]]] = {}
    for c in claims:
        by_mention.setdefault(c["mention_id"], []).append(
            {k: c[k] for k in ("claim_id", "quantity", "low", "high", "claimant", "modality", "subject", "evidence_start", "evidence_end")})
    for m in mentions:
        m["date_start"] = m["date_start"].isoformat() if isinstance(m["date_start"], date) else m["date_start"]
        m["evidence"] = json.loads(m["evidence"] or "[]")
        m["claims"] = by_mention.get(m["mention_id"], [])
    published = d["published"]
    return {
        "doc_key": d["doc_key"], "doc_id": d["doc_id"], "title": d["title"],
        "published": published.isoformat() if isinstance(published, date) else published,
        "source": d["source"], "outlet": d["outlet"], "republisher": d["republisher"],
        "url": strip_credentials(d["url"]) if is_web_url(d["url"]) else None,
        "duplicate_of": d["duplicate_of"], "duplicate_similarity": d["duplicate_similarity"],
        "ingested_at": d["ingested_at"], "errors": json.loads(d["errors"]) if d["errors"] else [],
        "text": d["text"], "mentions": mentions,
    }


def reports(store: Store, limit: int, offset: int) -> dict[str, Any]:
    import sqlalchemy as sa

    from fogwatch.store import schema

    D = schema.documents
    with store.engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(D)).scalar_one()
        keys = list(conn.execute(sa.select(D.c.doc_key).order_by(D.c.ingested_at, D.c.doc_key).limit(limit).offset(offset)).scalars())
    docs = _documents(store, keys, with_text=False)
    rows = []
    for k in keys:
        d = docs[k]
        published = d["published"]
        rows.append({"doc_key": k, "doc_id": d["doc_id"], "title": d["title"],
                     "published": published.isoformat() if isinstance(published, date) else published,
                     "outlet": d["outlet"] or d["source"], "republisher": d["republisher"], "duplicate_of": d["duplicate_of"],
                     "n_events": d["n_events"]})
    return {"total": int(total), "limit": limit, "offset": offset, "reports": rows}
