"""The corpus store: reports, their event mentions and claims, and the fused events, in SQLite or PostgreSQL.

>>> store = open_store("fogwatch.db")          # or "postgresql://user@host/db"
>>> store.add_batch([IncomingDocument.from_document(doc) for doc in docs])
>>> store.events(EventFilter(contested=True))
"""

from typing import TYPE_CHECKING, Any

from fogwatch.store.query import DEFAULT_DB, BBox, EventFilter

if TYPE_CHECKING:
    from fogwatch.store.backend import BatchResult, IncomingDocument, Store, content_key, open_store

__all__ = ["DEFAULT_DB", "BBox", "BatchResult", "EventFilter", "IncomingDocument", "Store", "content_key", "open_store"]


def __getattr__(name: str) -> Any:
    # The backend (SQLAlchemy, fusion) loads on first use: `fogwatch events` reads through
    # fogwatch.store.query without it when the store is already at the current schema.
    if name in __all__ and name not in globals():
        from fogwatch.store import backend

        return getattr(backend, name)
    raise AttributeError(f"module 'fogwatch.store' has no attribute {name!r}")
