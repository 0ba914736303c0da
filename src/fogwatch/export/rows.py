"""The rows every export writes: fused events read from the store in pages, each with its member mentions.

Members carry their own actor1/actor2 (which ``assoc_actor_*`` needs and :meth:`Store.members` leaves out),
and their URLs as exports show them (:func:`fogwatch.export.acled.safe_url`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from fogwatch.export.acled import safe_url
from fogwatch.store.query import EventFilter

if TYPE_CHECKING:
    from fogwatch.store import Store


# A member's own actors: Store.members() leaves them out, assoc_actor_* needs them.
_MEMBER_ACTOR_FIELDS = ("actor1", "actor1_text", "actor1_inter", "actor2", "actor2_text", "actor2_inter")


def add_member_actors(store: "Store", members: dict[str, list[dict[str, Any]]]) -> None:
    """Give each member dict its mention's actor1/actor2 (name, text as written, inter), in place."""
    import sqlalchemy as sa

    from fogwatch.store.schema import mentions as M

    want = sorted({m["mention_id"] for ms in members.values() for m in ms if any(k not in m for k in _MEMBER_ACTOR_FIELDS)})
    if not want:
        return
    rows: dict[str, Any] = {}
    with store.engine.connect() as conn:
        for i in range(0, len(want), 500):
            q = sa.select(M.c.mention_id, *(M.c[k] for k in _MEMBER_ACTOR_FIELDS)).where(M.c.mention_id.in_(want[i : i + 500]))
            rows.update({r["mention_id"]: r for r in conn.execute(q).mappings()})
    for ms in members.values():
        for m in ms:
            row = rows.get(m["mention_id"])
            for k in _MEMBER_ACTOR_FIELDS:
                m.setdefault(k, row[k] if row is not None else None)


def iter_with_members(store: "Store", filters: EventFilter, page: int = 500) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Every matching event (the store's stable export order) with its members, ``page`` events per query."""
    buf: list[dict[str, Any]] = []

    def flush() -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        members = store.members([e["event_id"] for e in buf])
        add_member_actors(store, members)
        for ms in members.values():
            for m in ms:
                m["url"] = safe_url(m.get("url"))
        for e in buf:
            yield e, members.get(e["event_id"], [])

    for e in store.iter_events(filters):
        buf.append(e)
        if len(buf) >= page:
            yield from flush()
            buf = []
    if buf:
        yield from flush()


__all__ = ["add_member_actors", "iter_with_members"]
