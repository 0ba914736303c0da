"""One storage layer for SQLite (embedded default) and PostgreSQL + PostGIS.

:func:`open_store` takes what ``--db`` takes: a file path (SQLite) or a
``postgresql://`` URL. Opening migrates the database to the current schema.

Writes happen in batches (:meth:`Store.add_batch`): each batch's documents,
mentions, claims and the fused events they touch are committed in one
transaction, so a killed ingest loses at most the batch in flight and the next
run skips every document already stored (keys are content hashes).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from itertools import groupby
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence, overload

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from fogwatch.errors import Code, FogwatchError, UsageError
from fogwatch.events.dates import parse_iso
from fogwatch.fusion.incremental import Window, assign_mentions, event_summary
from fogwatch.fusion.model import Claim, Mention, mention_from_contract
from fogwatch.fusion.rules import date_window
from fogwatch.fusion.summary import DocSource, FusedSummary
from fogwatch.redact import is_web_url, redact_text, redact_url, strip_credentials
from fogwatch.store import schema
from fogwatch.store.migrations import LATEST, migrate
from fogwatch.store.query import DEFAULT_DB, EventFilter, where_clauses
from fogwatch.store.slant import claim_sentence_slant, slant_rows, with_sentences
from fogwatch.text.normalize import fold

D, M, C, FE = schema.documents, schema.mentions, schema.claims, schema.fused_events

_CANDIDATE_DEGREES = 1.0  # ~110 km: far beyond the 25 km rule, for members placed away from the event's representative point


def content_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


@overload
def _strip_in(value: str) -> str: ...
@overload
def _strip_in(value: None) -> None: ...
def _strip_in(value: str | None) -> str | None:
    """A doc id or origin that is a URL (fetched reports) loses its ``user:password@`` too."""
    return strip_credentials(value) if value and "://" in value else value


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class IncomingDocument:
    """A processed report, ready to store: the pipeline's output reduced to what the store keeps."""

    doc_key: str
    doc_id: str
    text: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    outlet: str | None = None
    republisher: str | None = None
    url: str | None = None
    origin: str | None = None
    events: tuple[dict[str, Any], ...] = ()  # extract-contract event records
    errors: tuple[dict[str, Any], ...] = ()
    slant: tuple[dict[str, Any], ...] = ()  # contract slant records with their sentence bounds (store.slant)

    @classmethod
    def from_document(cls, doc: Any) -> "IncomingDocument":
        from fogwatch.contract import to_record

        record = to_record(doc)
        errors = list(record["errors"])
        # Stored URLs carry no credentials, and only http(s) links are kept (never javascript:, data:, file:).
        url = strip_credentials(doc.provenance.url or doc.metadata.url)
        if url and not is_web_url(url):
            errors.append({"code": str(Code.URL_DROPPED), "message": f"url {redact_text(url)[:80]!r} is not an http(s) link: not stored",
                           "stage": "store"})
            url = None
        return cls(
            doc_key=content_key(doc.text),
            doc_id=_strip_in(doc.doc_id),
            text=doc.text,
            title=doc.metadata.title,
            published=doc.metadata.published,
            source=doc.metadata.source,
            outlet=doc.provenance.outlet,
            republisher=doc.provenance.republisher,
            url=url,
            origin=_strip_in(doc.origin),
            events=tuple(e for e in record["events"] if isinstance(e, dict)),
            errors=tuple(errors),
            slant=tuple(with_sentences(record["slant"], getattr(doc, "sentences", ()))),
        )

    @property
    def label(self) -> str:
        return self.outlet or self.source or self.doc_id


def source_key_for(outlet: str | None, source: str | None, doc_key: str) -> str:
    """Reports from one outlet are one source; a report with no known outlet stands alone."""
    name = outlet or source
    return "outlet:" + " ".join(fold(name).split()) if name else "doc:" + doc_key[:24]


@dataclass
class BatchResult:
    stored: int = 0
    already_stored: int = 0
    near_duplicates: int = 0
    mentions: int = 0
    fused_touched: set[str] = field(default_factory=set)


def _sqlite_path(db: str) -> Path | None:
    if db.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        return None
    if db.startswith("sqlite:///"):
        return Path(db[len("sqlite:///"):])
    return None if db.startswith("sqlite:") else Path(db).expanduser()


def _engine_for(db: str, read_only: bool = False) -> Engine:
    if db.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        url = "postgresql+psycopg://" + db.split("://", 1)[1]
        if read_only:  # every transaction read-only: a query command cannot write, whatever it runs
            return sa.create_engine(url, pool_pre_ping=True, connect_args={"options": "-c default_transaction_read_only=on"})
        return sa.create_engine(url, pool_pre_ping=True)
    if db.startswith("sqlite:"):
        url = db
    else:
        path = Path(db).expanduser()
        if path.is_dir():
            raise UsageError(f"--db {db}: is a directory; give a file name such as {path / DEFAULT_DB}", Code.BAD_OPTION)
        if not path.parent.exists():
            raise UsageError(f"--db {db}: directory {path.parent} does not exist", Code.BAD_OPTION)
        url = f"sqlite:///{path.resolve()}"
    engine = sa.create_engine(url)

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        # WAL: a committed batch survives kill -9; NORMAL sync is crash-safe for processes (only power loss can roll back).
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    return engine


def open_store(db: str = DEFAULT_DB, *, upgrade: bool = True, create: bool = True, read_only: bool = False) -> "Store":
    """Open (and create/migrate) the store at ``db``: a SQLite file path or a postgresql:// URL.

    ``create=False`` refuses to create a missing SQLite file (the query commands: a typo must not make an empty store).
    ``read_only=True`` (the query commands) never writes: a database without fogwatch's ``schema_version`` table is
    refused with E507 instead of receiving the tables, and a current store is opened read-only (SQLite ``mode=ro``,
    so a store in a read-only folder can be read; PostgreSQL read-only transactions). Only a store an older
    fogwatch wrote is still migrated on open, as before.
    """
    path = _sqlite_path(db)
    if not create and path is not None and not path.exists():
        raise UsageError(f"no store at {db}: run `fogwatch ingest PATH --db {db}` first", Code.NO_SUCH_PATH)
    if read_only:
        store = _open_read_only(db, path)
        if store is not None:
            return store
    engine = _engine_for(db)
    try:
        if upgrade:
            migrate(engine)
        else:
            with engine.connect():
                pass
    except sa.exc.OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise FogwatchError(f"cannot open the store {_redact(db)}: {redact_text(reason)}", Code.STORE_UNREACHABLE) from None
    except sa.exc.DatabaseError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise _damaged(db, reason) or FogwatchError(f"{_redact(db)} is not a usable fogwatch store: {redact_text(reason)}",
                                                    Code.STORE_UNREACHABLE) from None
    return Store(engine, db)


def _damaged(db: str, reason: str) -> FogwatchError | None:
    """E510 for a SQLite store whose pages are corrupt ("malformed"), whichever page the open happened to read first:
    the same fault as when a command meets it later (a file that is no SQLite database at all stays E501)."""
    if "malformed" not in reason.lower():
        return None
    return FogwatchError(f"the store failed: {_redact(db)}: {redact_text(reason)}; the store file is damaged: "
                         "restore it from a backup or ingest into a new store", Code.STORE_FAULT)


def _not_a_store(db: str, tables: list[str]) -> UsageError:
    what = f"its tables: {', '.join(sorted(tables)[:8])}{' …' if len(tables) > 8 else ''}" if tables else "it is empty"
    return UsageError(f"{_redact(db)} is not a fogwatch store ({what}); read commands never add fogwatch's tables to it",
                         Code.NOT_A_STORE)


def _too_new(version: int) -> FogwatchError:
    return FogwatchError(f"this database is at schema version {version}, newer than this fogwatch knows ({LATEST}); upgrade fogwatch",
                         Code.STORE_TOO_NEW)


def _open_read_only(db: str, path: Path | None) -> "Store | None":
    """A read-only Store when ``db`` is a current fogwatch store; None when it needs migrating (the caller migrates)."""
    import sqlite3

    from fogwatch.store.query import connect_sqlite_read_only

    if path is not None and not db.startswith("sqlite:"):
        if path.is_dir():
            raise UsageError(f"--db {db}: is a directory; give a file name such as {path / DEFAULT_DB}", Code.BAD_OPTION)
        try:
            conn = connect_sqlite_read_only(path)
            try:
                tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
                version = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] if "schema_version" in tables else None
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            raise _damaged(db, str(exc)) or FogwatchError(f"{db} is not a usable fogwatch store: {exc}", Code.STORE_UNREACHABLE) from None
        if version is None:
            raise _not_a_store(db, tables)
        if version > LATEST:
            raise _too_new(version)
        if version < LATEST:
            return None
        resolved = path.resolve()
        engine = sa.create_engine(f"sqlite:///{resolved}", creator=lambda: connect_sqlite_read_only(resolved))
        return Store(engine, db)
    if path is None and db.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        engine = _engine_for(db, read_only=True)
        try:
            with engine.connect() as conn:
                inspector = sa.inspect(conn)
                if not inspector.has_table("schema_version"):
                    tables = inspector.get_table_names()
                    raise _not_a_store(db, tables)
                version = conn.execute(sa.select(sa.func.max(schema.schema_version.c.version))).scalar() or 0
        except sa.exc.DBAPIError as exc:
            engine.dispose()
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise FogwatchError(f"cannot open the store {_redact(db)}: {redact_text(reason)}", Code.STORE_UNREACHABLE) from None
        except BaseException:
            engine.dispose()
            raise
        if version == LATEST:
            return Store(engine, db)
        engine.dispose()
        if version > LATEST:
            raise _too_new(version)
    return None


def _redact(db: str) -> str:
    """Never echo a password from a URL into a message (fogwatch.redact, shared with the CLI and the fetchers)."""
    return redact_url(db)


class Store:
    def __init__(self, engine: Engine, db: str) -> None:
        self.engine = engine
        self.db = db
        self._index: Any = None  # fusion.neardup.NearDuplicateIndex, built on the first write
        self._candidate_sql: Any = None  # built once: a cached, compiled statement
        self._source_keys: dict[str, str] = {}  # doc_key -> source_key of every indexed document

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------

    def known_keys(self, keys: Iterable[str]) -> set[str]:
        keys = list(keys)
        found: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(keys), 500):
                found.update(conn.execute(sa.select(D.c.doc_key).where(D.c.doc_key.in_(keys[i : i + 500]))).scalars())
        return found

    def _near_dup_index(self, conn: Connection) -> Any:
        from fogwatch.fusion import neardup  # datasketch takes ~0.5 s to import; queries never need it

        if self._index is None:
            index = neardup.NearDuplicateIndex()
            keys: dict[str, str] = {}
            for key, sig, skey in conn.execute(sa.select(D.c.doc_key, D.c.minhash, D.c.source_key).order_by(D.c.ingested_at, D.c.doc_key)):
                keys[key] = skey
                if sig:
                    index.add(key, neardup.from_bytes(sig))
            self._index, self._source_keys = index, keys
        return self._index

    def add_batch(self, docs: Sequence[IncomingDocument]) -> BatchResult:
        """Store ``docs`` and fuse their events, all in one transaction."""
        result = BatchResult()
        try:
            with self.engine.begin() as conn:
                self._add_batch(conn, docs, result)
        except sa.exc.IntegrityError as exc:
            self._index = None  # the in-memory LSH may hold keys of the rolled-back batch
            # Never the statement or its parameters (they hold report texts): the database's one-line reason.
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
            raise FogwatchError(
                f"another process wrote the same reports to {_redact(self.db)} at the same time ({redact_text(reason)}); this batch "
                "was rolled back: run the ingest again, it skips what is stored", Code.STORE_BUSY) from None
        except sa.exc.OperationalError as exc:
            self._index = None
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
            if "locked" not in reason and "busy" not in reason:
                raise
            raise FogwatchError(f"the store {_redact(self.db)} stayed locked by another writer ({reason}); this batch was rolled back: "
                                "run the ingest again, it skips what is stored", Code.STORE_BUSY) from None
        except BaseException:
            self._index = None  # the in-memory LSH may hold keys of the rolled-back batch
            raise
        return result

    def _add_batch(self, conn: Connection, docs: Sequence[IncomingDocument], result: BatchResult) -> None:
        from fogwatch.fusion import neardup

        index = self._near_dup_index(conn)
        keys = [d.doc_key for d in docs]
        present: set[str] = set()
        for i in range(0, len(keys), 500):
            present.update(conn.execute(sa.select(D.c.doc_key).where(D.c.doc_key.in_(keys[i : i + 500]))).scalars())
        now = _now()
        doc_rows: list[dict[str, Any]] = []
        mention_rows: list[dict[str, Any]] = []
        claim_rows: list[dict[str, Any]] = []
        slant: list[dict[str, Any]] = []
        new_mentions: list[Mention] = []
        for doc in docs:
            if doc.doc_key in present:
                result.already_stored += 1
                continue
            present.add(doc.doc_key)
            sig = neardup.signature(doc.text)
            near = index.nearest(sig)
            source_key = source_key_for(doc.outlet, doc.source, doc.doc_key)
            duplicate_of = similarity = None
            if near is not None:
                duplicate_of, similarity = near
                source_key = self._source_keys.get(duplicate_of, source_key)  # a copy speaks for its original
                result.near_duplicates += 1
            else:
                index.add(doc.doc_key, sig)  # only originals are indexed: copies link to the earliest text
            self._source_keys[doc.doc_key] = source_key
            mentions = [mention_from_contract(e, doc.doc_key, n) for n, e in enumerate(doc.events)]
            doc_rows.append(
                {
                    "doc_key": doc.doc_key, "doc_id": doc.doc_id, "title": doc.title, "published": parse_iso(doc.published),
                    "source": doc.source, "outlet": doc.outlet, "republisher": doc.republisher, "url": doc.url,
                    "origin": doc.origin, "source_key": source_key, "duplicate_of": duplicate_of,
                    "duplicate_similarity": round(similarity, 4) if similarity is not None else None,
                    "minhash": neardup.to_bytes(sig), "text": doc.text, "n_events": len(mentions),
                    "errors": json.dumps(list(doc.errors), ensure_ascii=False) if doc.errors else None, "ingested_at": now,
                }
            )
            for m in mentions:
                mention_rows.append(_mention_row(m))
                claim_rows.extend(_claim_row(c) for c in m.claims)
            new_mentions.extend(mentions)
            slant.extend(slant_rows(doc.doc_key, doc.text, doc.slant))
            result.stored += 1
        if doc_rows:
            conn.execute(D.insert(), doc_rows)
        if mention_rows:
            conn.execute(M.insert(), mention_rows)
        if claim_rows:
            conn.execute(C.insert(), claim_rows)
        if slant:
            conn.execute(schema.slant_spans.insert(), slant)
        result.mentions = len(new_mentions)
        # Fused one report at a time, each seeing the events the reports before it left in the database: the same
        # steps as --batch-size 1, so the fused events do not depend on the batch size (docs/reliability.md).
        touched: set[str] = set()
        for _, doc_mentions in groupby(new_mentions, key=lambda m: m.doc_key):
            touched |= self._fuse(conn, list(doc_mentions))
        ids = sorted(touched)  # less those a later report's mention merged into another
        for i in range(0, len(ids), 500):
            result.fused_touched.update(conn.execute(sa.select(FE.c.event_id).where(FE.c.event_id.in_(ids[i : i + 500]))).scalars())

    # --- fusion (the algorithm is fogwatch.fusion.incremental; the store only looks up and writes) -----------

    def _fuse(self, conn: Connection, new: list[Mention]) -> set[str]:
        """Attach each new mention to the fused event it matches (fusion decides); write that and refresh those events.

        Merges hit the database at once (rare); the assignments and the touched events' summaries are written once
        at the end.
        """
        decided = assign_mentions(new, _StoredEvents(self, conn))
        if decided.events:
            conn.execute(
                M.update().where(M.c.mention_id == sa.bindparam("m_id")).values(fused_event_id=sa.bindparam("f_id")),
                [{"m_id": mid, "f_id": eid} for mid, eid in decided.events.items()],
            )
        # New events are inserted in the order they were created, so their event_pk (the age that breaks ties
        # between matches in later batches) is the same order as within this batch: --batch-size changes nothing.
        created = decided.created
        self._refresh_events(conn, [*created, *sorted(decided.touched - set(created))], new_ids=set(created))
        return decided.touched

    def _candidates(self, conn: Connection, m: Mention, window: tuple[date, date]) -> list[tuple[str, int]]:
        """Fused events that could hold a match: overlapping date window, same country, nearby (a superset, in SQL)."""
        if self._candidate_sql is None:
            b = sa.bindparam
            near = sa.or_(
                FE.c.latitude.is_(None),
                sa.and_(FE.c.latitude.between(b("lat_lo", type_=sa.Float), b("lat_hi", type_=sa.Float)),
                        FE.c.longitude.between(b("lon_lo", type_=sa.Float), b("lon_hi", type_=sa.Float))),
                FE.c.admin2 == b("admin2", type_=sa.Text),
                FE.c.geonameid == b("geonameid", type_=sa.BigInteger),
            )
            self._candidate_sql = (
                sa.select(FE.c.event_id, FE.c.event_pk)
                .where(FE.c.window_start <= b("w_hi", type_=sa.Date), FE.c.window_end >= b("w_lo", type_=sa.Date))
                .where(sa.or_(FE.c.country_code == b("cc", type_=sa.String), FE.c.country_code.is_(None), b("any_cc", type_=sa.Boolean)))
                .where(near)
                .order_by(FE.c.event_pk)
                .limit(1000)
            )
        params: dict[str, Any] = {"w_lo": window[0], "w_hi": window[1], "cc": m.country_code, "any_cc": m.country_code is None,
                                  "admin2": m.admin2, "geonameid": m.geonameid, "lat_lo": None, "lat_hi": None, "lon_lo": None, "lon_hi": None}
        points = m.points()  # the location and the places listed with it
        if points:
            lats, lons = [p[1] for p in points], [p[2] for p in points]
            dlon = _CANDIDATE_DEGREES / max(0.2, math.cos(math.radians(max(abs(x) for x in lats))))
            params.update(lat_lo=min(lats) - _CANDIDATE_DEGREES, lat_hi=max(lats) + _CANDIDATE_DEGREES,
                          lon_lo=min(lons) - dlon, lon_hi=max(lons) + dlon)
        return [(r[0], r[1]) for r in conn.execute(self._candidate_sql, params)]

    _MATCH_COLUMNS = ("mention_id", "doc_key", "event_index", "event_type", "sub_event_type", "date_start", "date_end",
                      "time_precision", "location_name", "geonameid", "latitude", "longitude", "country_code", "admin1",
                      "admin2", "geo_precision", "actor1", "actor2", "fatalities", "location_alternatives")

    def _match_members(self, conn: Connection, event_ids: list[str]) -> dict[str, list[Mention]]:
        """Members with only the fields the fusion rules read (no claims, no evidence): cheap to load many."""
        out: dict[str, list[Mention]] = {}
        cols = [M.c[c] for c in self._MATCH_COLUMNS]
        for i in range(0, len(event_ids), 500):
            q = sa.select(M.c.fused_event_id, *cols).where(M.c.fused_event_id.in_(event_ids[i : i + 500]))
            for row in conn.execute(q.order_by(M.c.mention_id)):
                fields = dict(zip(self._MATCH_COLUMNS, row[1:]))
                fields.update(_alternatives(fields.pop("location_alternatives")))
                out.setdefault(row[0], []).append(Mention(**fields))
        return out

    def _members(self, conn: Connection, event_ids: list[str], with_claims: bool = False) -> dict[str, list[Mention]]:
        if not event_ids:
            return {}
        out: dict[str, list[Mention]] = {}
        rows = conn.execute(sa.select(M).where(M.c.fused_event_id.in_(event_ids)).order_by(M.c.mention_id)).mappings().all()
        claims: dict[str, list[Claim]] = {}
        if with_claims and rows:
            ids = [r["mention_id"] for r in rows]
            for i in range(0, len(ids), 500):
                for c in conn.execute(sa.select(C).where(C.c.mention_id.in_(ids[i : i + 500])).order_by(C.c.claim_id)).mappings():
                    claims.setdefault(c["mention_id"], []).append(_claim_from_row(c))
        for r in rows:
            out.setdefault(r["fused_event_id"], []).append(_mention_from_row(r, tuple(claims.get(r["mention_id"], ()))))
        return out

    def _sources(self, conn: Connection, doc_keys: list[str]) -> dict[str, DocSource]:
        rows = conn.execute(sa.select(D.c.doc_key, D.c.source_key, D.c.outlet, D.c.source, D.c.doc_id, D.c.published).where(D.c.doc_key.in_(doc_keys)))
        return {r.doc_key: DocSource(r.source_key, r.outlet or r.source or r.doc_id, r.published) for r in rows}

    def _refresh_events(self, conn: Connection, event_ids: list[str], new_ids: set[str]) -> None:
        """Recompute and write the summaries of ``event_ids`` (inserting those in ``new_ids``), in a few statements."""
        now = _now()
        inserts, updates = [], []
        for i in range(0, len(event_ids), 500):
            chunk = event_ids[i : i + 500]
            members = self._members(conn, chunk, with_claims=True)
            sources = self._sources(conn, sorted({m.doc_key for ms in members.values() for m in ms}))
            for eid in chunk:
                if not members.get(eid):
                    continue
                summary, firmness = event_summary(members[eid], sources)
                values = {**_event_values(summary, now), **firmness}
                if eid in new_ids:
                    inserts.append({"event_id": eid, **values})
                else:
                    updates.append({"b_event_id": eid, **values})
        if inserts:
            conn.execute(FE.insert(), inserts)
        if updates:
            cols: dict[str, sa.BindParameter[Any]] = {k: sa.bindparam(k) for k in updates[0] if k != "b_event_id"}
            conn.execute(FE.update().where(FE.c.event_id == sa.bindparam("b_event_id")).values(cols), updates)

    # --- reading ----------------------------------------------------------------------------

    def events(self, filters: EventFilter = EventFilter(), limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        cols = [c for c in FE.c if c.name != "event_pk"]
        where = where_clauses(filters, self.dialect)
        # PostgreSQL sorts NULL first in a descending order; SQLite already puts it last (and NULLS LAST would
        # keep SQLite off the index).
        newest = FE.c.date_start.desc().nulls_last() if self.dialect == "postgresql" else FE.c.date_start.desc()
        q = sa.select(*cols).where(*where).order_by(newest, FE.c.event_id).offset(offset)
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [_event_dict(r) for r in conn.execute(q).mappings()]

    def iter_events(self, filters: EventFilter = EventFilter(), page: int = 2000) -> Iterator[dict[str, Any]]:
        """Every matching event in a stable order (keyset pages, so an export of millions stays flat in memory)."""
        cols = [c for c in FE.c if c.name != "event_pk"]
        last = None
        with self.engine.connect() as conn:
            while True:
                q = sa.select(*cols).where(*where_clauses(filters, self.dialect))
                if last is not None:
                    q = q.where(FE.c.event_id > last)
                rows = conn.execute(q.order_by(FE.c.event_id).limit(page)).mappings().all()
                if not rows:
                    return
                yield from (_event_dict(r) for r in rows)
                last = rows[-1]["event_id"]

    def count_events(self, filters: EventFilter = EventFilter()) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(FE).where(*where_clauses(filters, self.dialect))).scalar_one()

    def claimant_names(self) -> list[str]:
        """Every claimant spelling stored (the author's own voice, None, left out), for resolving a name through the registry."""
        with self.engine.connect() as conn:
            return sorted(r[0] for r in conn.execute(sa.select(C.c.claimant).where(C.c.claimant.is_not(None)).distinct()))

    def members(self, event_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """Each event's member mentions with their document (outlet, republisher, URL) and claims."""
        out: dict[str, list[dict[str, Any]]] = {eid: [] for eid in event_ids}
        if not event_ids:
            return out
        with self.engine.connect() as conn:
            for i in range(0, len(event_ids), 500):
                chunk = list(event_ids[i : i + 500])
                mentions = self._members(conn, chunk, with_claims=True)
                doc_keys = sorted({m.doc_key for ms in mentions.values() for m in ms})
                docs = {}
                for j in range(0, len(doc_keys), 500):
                    q = sa.select(
                        D.c.doc_key, D.c.doc_id, D.c.title, D.c.published, D.c.source, D.c.outlet, D.c.republisher, D.c.url,
                        D.c.duplicate_of, D.c.source_key, D.c.text,
                    ).where(D.c.doc_key.in_(doc_keys[j : j + 500]))
                    docs.update({r["doc_key"]: dict(r) for r in conn.execute(q).mappings()})
                # Does the sentence a claim comes from carry slant? (techniques; context, never a change to the figure)
                slanted = claim_sentence_slant(conn, [(c.claim_id, c.doc_key, c.evidence_start) for ms in mentions.values() for m in ms for c in m.claims])
                for eid, ms in mentions.items():
                    out[eid] = [_member_dict(m, docs.get(m.doc_key, {})) for m in ms]
                    for m, member in zip(ms, out[eid]):
                        for c, claim in zip(m.claims, member["claims"]):
                            claim["sentence_slant"] = slanted.get(c.claim_id, [])
        return out

    def stats(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            def n(q: Any) -> int:
                return conn.execute(q).scalar_one()

            return {
                "documents": n(sa.select(sa.func.count()).select_from(D)),
                "near_duplicates": n(sa.select(sa.func.count()).select_from(D).where(D.c.duplicate_of.is_not(None))),
                "mentions": n(sa.select(sa.func.count()).select_from(M)),
                "claims": n(sa.select(sa.func.count()).select_from(C)),
                "fused_events": n(sa.select(sa.func.count()).select_from(FE)),
                "contested_events": n(sa.select(sa.func.count()).select_from(FE).where(FE.c.contested.is_(True))),
                # hedged or background events: stored, but left out of events/claims/export by default (issue 10)
                "left_out_events": n(sa.select(sa.func.count()).select_from(FE)) - n(
                    sa.select(sa.func.count()).select_from(FE).where(*where_clauses(EventFilter(), self.dialect))),
            }

    # --- DataFrames (fogwatch.store.frame; pandas from the [pandas] extra, else E904) ---------------

    def events_frame(self, filters: EventFilter = EventFilter(), limit: int | None = None, offset: int = 0) -> Any:
        """:meth:`events` as a pandas DataFrame with typed columns (dates datetime64, counts Int64)."""
        from fogwatch.store.frame import events_frame

        return events_frame(self, filters, limit, offset)

    def claims_frame(self, filters: EventFilter = EventFilter(), limit: int | None = None, offset: int = 0) -> Any:
        """The matching events' claims as a pandas DataFrame, one row per claim, ``event_id`` joining it to :meth:`events_frame`."""
        from fogwatch.store.frame import claims_frame

        return claims_frame(self, filters, limit, offset)

    def event_records(self, filters: EventFilter = EventFilter(), limit: int | None = None, offset: int = 0) -> list[Any]:
        """:meth:`events` as typed, frozen records (:class:`fogwatch.store.records.StoredEvent`)."""
        from fogwatch.store.records import StoredEvent

        return [StoredEvent.from_dict(e) for e in self.events(filters, limit, offset)]


class _StoredEvents:
    """The store's fused events as :class:`fogwatch.fusion.incremental.EventLookup`: SQL inside one transaction."""

    def __init__(self, store: Store, conn: Connection) -> None:
        self.store, self.conn = store, conn

    def candidates(self, m: Mention, window: Window) -> list[tuple[str, int]]:
        return self.store._candidates(self.conn, m, window)

    def members(self, event_ids: list[str]) -> dict[str, list[Mention]]:
        return self.store._match_members(self.conn, event_ids)

    def merged(self, into: str, other: str) -> None:
        self.conn.execute(M.update().where(M.c.fused_event_id == other).values(fused_event_id=into))
        self.conn.execute(FE.delete().where(FE.c.event_id == other))


# --- row conversion -------------------------------------------------------------------------

def _mention_row(m: Mention) -> dict[str, Any]:
    window = date_window(m)
    return {
        "mention_id": m.mention_id, "doc_key": m.doc_key, "event_index": m.event_index, "contract_event_id": m.contract_event_id,
        "event_type": m.event_type, "sub_event_type": m.sub_event_type, "date_start": m.date_start, "date_end": m.date_end,
        "time_precision": m.time_precision, "location_name": m.location_name, "geonameid": m.geonameid,
        "latitude": m.latitude, "longitude": m.longitude, "country_code": m.country_code, "admin1": m.admin1,
        "admin2": m.admin2, "geo_precision": m.geo_precision, "actor1": m.actor1, "actor1_text": m.actor1_text,
        "actor1_inter": m.actor1_inter, "actor2": m.actor2, "actor2_text": m.actor2_text, "actor2_inter": m.actor2_inter,
        "fatalities": m.fatalities, "modality": m.modality, "attribution": m.attribution, "confidence": m.confidence,
        "evidence": json.dumps([{"start": s, "end": e} for s, e in m.evidence]), "fused_event_id": None,
        "window_start": window[0] if window else None, "window_end": window[1] if window else None,
        "location_alternatives": json.dumps([list(a) for a in m.alternatives] + [[None, None, None]] * m.unplaced)
        if m.alternatives or m.unplaced else None,
        "background": m.background,
    }


def _alternatives(value: str | None) -> dict[str, Any]:
    """Mention fields from the ``location_alternatives`` column: gazetteer points, and a null row per unplaced name."""
    rows = json.loads(value) if value else []
    return {"alternatives": tuple((int(g), float(lat), float(lon)) for g, lat, lon in rows if g is not None),
            "unplaced": sum(1 for g, _, _ in rows if g is None)}


def _event_values(s: FusedSummary, now: str) -> dict[str, Any]:
    return {
        "event_type": s.event_type, "sub_event_type": s.sub_event_type, "event_date": s.event_date,
        "date_start": s.date_start, "date_end": s.date_end, "time_precision": s.time_precision,
        "location_name": s.location_name, "geonameid": s.geonameid, "latitude": s.latitude, "longitude": s.longitude,
        "country_code": s.country_code, "admin1": s.admin1, "admin2": s.admin2, "geo_precision": s.geo_precision,
        "actor1": s.actor1, "actor1_inter": s.actor1_inter, "actor2": s.actor2, "actor2_inter": s.actor2_inter,
        "fatalities_low": s.fatalities_low, "fatalities_best": s.fatalities_best, "fatalities_high": s.fatalities_high,
        "n_mentions": s.n_mentions, "n_documents": s.n_documents, "n_sources": s.n_sources, "sources": s.sources,
        "contested": s.contested, "discrepancy": s.discrepancy,
        "discrepancy_reasons": json.dumps(list(s.reasons), ensure_ascii=False) if s.reasons else None,
        "window_start": s.window_start, "window_end": s.window_end, "updated_at": now,
    }


def _claim_row(c: Claim) -> dict[str, Any]:
    return {
        "claim_id": c.claim_id, "mention_id": c.mention_id, "doc_key": c.doc_key, "quantity": c.quantity, "low": c.low,
        "high": c.high, "claimant": c.claimant, "modality": c.modality, "subject": c.subject,
        "evidence_start": c.evidence_start, "evidence_end": c.evidence_end,
        "counted": c.counted, "count_reason": c.count_reason,
    }


def _claim_from_row(r: Any) -> Claim:
    return Claim(
        claim_id=r["claim_id"], mention_id=r["mention_id"], doc_key=r["doc_key"], quantity=r["quantity"], low=r["low"],
        high=r["high"], claimant=r["claimant"], modality=r["modality"], subject=r["subject"],
        evidence_start=r["evidence_start"], evidence_end=r["evidence_end"],
        counted=r["counted"] is not False and r["counted"] != 0, count_reason=r["count_reason"],
    )


def _mention_from_row(r: Any, claims: tuple[Claim, ...]) -> Mention:
    evidence = tuple((e["start"], e["end"]) for e in json.loads(r["evidence"] or "[]"))
    fields = {k: r[k] for k in Mention.__slots__ if k not in ("evidence", "claims", "alternatives", "unplaced")}
    return Mention(**fields, evidence=evidence, claims=claims, **_alternatives(r["location_alternatives"]))


def _event_dict(r: Any) -> dict[str, Any]:
    d = dict(r)
    for k in ("event_date", "date_start", "date_end", "window_start", "window_end"):
        if isinstance(d.get(k), date):
            d[k] = d[k].isoformat()
    d["contested"] = bool(d["contested"])
    d["discrepancy_reasons"] = json.loads(d["discrepancy_reasons"]) if d.get("discrepancy_reasons") else []
    d["background"] = bool(d.get("background"))
    return d


def _snippet(text: str, start: int | None, end: int | None, limit: int = 240) -> str | None:
    if not text or start is None or end is None or not (0 <= start <= end <= len(text)):
        return None
    s = " ".join(text[start:end].split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _member_dict(m: Mention, doc: dict[str, Any]) -> dict[str, Any]:
    text = doc.get("text") or ""
    published = doc.get("published")
    return {
        "mention_id": m.mention_id,
        "doc_key": m.doc_key,
        "doc_id": doc.get("doc_id"),
        "title": doc.get("title"),
        "published": published.isoformat() if isinstance(published, date) else published,
        "outlet": doc.get("outlet") or doc.get("source"),
        "republisher": doc.get("republisher"),
        "url": strip_credentials(doc.get("url")) if is_web_url(doc.get("url")) else None,  # stores written before issue 11 may hold either
        "duplicate_of": doc.get("duplicate_of"),
        "source_key": doc.get("source_key"),
        "event_type": m.event_type,
        "sub_event_type": m.sub_event_type,
        "date": m.date_start.isoformat() if m.date_start else None,
        "location": m.location_name,
        "fatalities": m.fatalities,
        "modality": m.modality,
        "confidence": m.confidence,
        "background": m.background,
        "evidence": [{"start": s, "end": e, "text": _snippet(text, s, e)} for s, e in m.evidence],
        "claims": [
            {
                "quantity": c.quantity, "low": c.low, "high": c.high, "figure": c.describe(), "claimant": c.claimant,
                "modality": c.modality, "subject": c.subject, "counted": c.counted, "count_reason": c.count_reason,
                "evidence": {"start": c.evidence_start, "end": c.evidence_end, "text": _snippet(text, c.evidence_start, c.evidence_end)},
            }
            for c in m.claims
        ],
    }
