"""The corpus store: reports, their event mentions and claims, and the fused events, in SQLite or PostgreSQL.

>>> store = open_store("fogwatch.db")          # or "postgresql://user@host/db"
>>> store.add_batch([IncomingDocument.from_document(doc) for doc in docs])
>>> store.events(EventFilter(contested=True))
"""

from fogwatch.store.backend import DEFAULT_DB, BatchResult, IncomingDocument, Store, content_key, open_store
from fogwatch.store.query import BBox, EventFilter

__all__ = ["DEFAULT_DB", "BBox", "BatchResult", "EventFilter", "IncomingDocument", "Store", "content_key", "open_store"]
