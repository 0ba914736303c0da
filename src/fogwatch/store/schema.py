"""The store's tables, as SQLAlchemy Core metadata shared by SQLite and PostgreSQL.

Names are meant to be read in Datasette or psql without a manual:

- ``documents``: one row per ingested report, keyed by the SHA-256 of its text
  (so re-ingesting the same text is a no-op), with the republication chain
  (``outlet``, ``republisher``, ``url``) and ``duplicate_of`` when MinHash LSH
  found it to be a near-copy of an earlier report.
- ``mentions``: one row per event a report mentions (the extract contract's
  event record, flattened), with ``fused_event_id`` pointing at its fused event.
- ``claims``: one row per casualty/figure claim inside a mention.
- ``fused_events``: one row per real-world event, fused across reports.
- ``schema_version``: which migrations have run.

Spatial indexing is added by migrations because it is dialect-specific: an
R*Tree virtual table kept in sync by triggers on SQLite, a PostGIS
``geometry(Point, 4326)`` column with a GiST index on PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("applied_at", sa.Text, nullable=False),  # ISO 8601 UTC
)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("doc_key", sa.String(64), primary_key=True),  # sha256 hex of the text
    sa.Column("doc_id", sa.Text, nullable=False),  # the id the input gave
    sa.Column("title", sa.Text),
    sa.Column("published", sa.Date),
    sa.Column("source", sa.Text),  # outlet/site as the input named it
    sa.Column("outlet", sa.Text),  # original outlet (provenance)
    sa.Column("republisher", sa.Text),  # who re-posted it, when it is a republication
    sa.Column("url", sa.Text),
    sa.Column("origin", sa.Text),  # file path / URL / "<stdin>:N" it was read from
    sa.Column("source_key", sa.Text, nullable=False),  # independent-source identity (see fusion.sources)
    sa.Column("duplicate_of", sa.String(64)),  # doc_key of the earlier near-duplicate, if any
    sa.Column("duplicate_similarity", sa.Float),  # estimated Jaccard similarity to it
    sa.Column("minhash", sa.LargeBinary),  # MinHash signature, to rebuild the LSH index on the next run
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("n_events", sa.Integer, nullable=False, server_default="0"),
    sa.Column("errors", sa.Text),  # JSON list of {code, message, stage}
    sa.Column("ingested_at", sa.Text, nullable=False),
)

mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("mention_id", sa.String(80), primary_key=True),  # "<doc_key[:24]>-<n>"
    sa.Column("doc_key", sa.String(64), sa.ForeignKey("documents.doc_key", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("event_index", sa.Integer, nullable=False),  # position in the document's events list
    sa.Column("contract_event_id", sa.Text),  # event_id as the extract contract gave it
    sa.Column("event_type", sa.Text),
    sa.Column("sub_event_type", sa.Text),
    sa.Column("date_start", sa.Date),
    sa.Column("date_end", sa.Date),
    sa.Column("time_precision", sa.Integer),
    sa.Column("location_name", sa.Text),
    sa.Column("geonameid", sa.BigInteger),
    sa.Column("latitude", sa.Float),
    sa.Column("longitude", sa.Float),
    sa.Column("country_code", sa.String(2)),
    sa.Column("admin1", sa.Text),
    sa.Column("admin2", sa.Text),
    sa.Column("geo_precision", sa.Integer),
    sa.Column("actor1", sa.Text),
    sa.Column("actor1_text", sa.Text),
    sa.Column("actor1_inter", sa.Integer),
    sa.Column("actor2", sa.Text),
    sa.Column("actor2_text", sa.Text),
    sa.Column("actor2_inter", sa.Integer),
    sa.Column("fatalities", sa.Integer),
    sa.Column("modality", sa.Text),
    sa.Column("attribution", sa.Text),
    sa.Column("confidence", sa.Float),
    sa.Column("evidence", sa.Text),  # JSON list of {start, end} into documents.text
    sa.Column("fused_event_id", sa.String(40), index=True),
    # The days the event may have happened on, widened by time precision (fusion.rules.date_window).
    sa.Column("window_start", sa.Date, info={"since": 3}),
    sa.Column("window_end", sa.Date, info={"since": 3}),
    # Other gazetteer places listed with the location (JSON [[geonameid, lat, lon], …]): fusion compares them too.
    sa.Column("location_alternatives", sa.Text, info={"since": 4}),
    # A mention of an earlier event (the contract's `background`): it joins that event, never counts alone.
    sa.Column("background", sa.Boolean, info={"since": 5}),
)

claims = sa.Table(
    "claims",
    metadata,
    sa.Column("claim_id", sa.String(90), primary_key=True),  # "<mention_id>-c<n>"
    sa.Column("mention_id", sa.String(80), sa.ForeignKey("mentions.mention_id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("doc_key", sa.String(64), nullable=False),
    sa.Column("quantity", sa.Text),  # killed | injured | captured | missing | displaced | destroyed | other
    sa.Column("low", sa.Integer),
    sa.Column("high", sa.Integer),
    sa.Column("claimant", sa.Text),  # None: the author's own voice
    sa.Column("modality", sa.Text),  # asserted | reported | claimed | denied | hypothetical
    sa.Column("subject", sa.Text),
    sa.Column("evidence_start", sa.Integer),
    sa.Column("evidence_end", sa.Integer),
    # Does the figure set fatalities (the contract's `counted`), and why not (a summary toll, a subset, a repeat).
    sa.Column("counted", sa.Boolean, info={"since": 5}),
    sa.Column("count_reason", sa.Text, info={"since": 5}),
)

fused_events = sa.Table(
    "fused_events",
    metadata,
    # Integer key for the SQLite R*Tree (which indexes integer ids); event_id is the public, stable id.
    sa.Column("event_pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(40), nullable=False, unique=True),
    sa.Column("event_type", sa.Text),
    sa.Column("sub_event_type", sa.Text),
    sa.Column("event_date", sa.Date),  # the representative day (most precise member)
    sa.Column("date_start", sa.Date, index=True),  # union of the members' date windows
    sa.Column("date_end", sa.Date, index=True),
    sa.Column("time_precision", sa.Integer),
    sa.Column("location_name", sa.Text),
    sa.Column("geonameid", sa.BigInteger),
    sa.Column("latitude", sa.Float),
    sa.Column("longitude", sa.Float),
    sa.Column("country_code", sa.String(2), index=True),
    sa.Column("admin1", sa.Text),
    sa.Column("admin2", sa.Text),
    sa.Column("geo_precision", sa.Integer),
    sa.Column("actor1", sa.Text),
    sa.Column("actor1_inter", sa.Integer),
    sa.Column("actor2", sa.Text),
    sa.Column("actor2_inter", sa.Integer),
    sa.Column("fatalities_low", sa.Integer),
    sa.Column("fatalities_best", sa.Integer),  # the conservative ACLED figure
    sa.Column("fatalities_high", sa.Integer),
    sa.Column("n_mentions", sa.Integer, nullable=False),
    sa.Column("n_documents", sa.Integer, nullable=False),
    sa.Column("n_sources", sa.Integer, nullable=False),  # independent sources; republications do not count
    sa.Column("sources", sa.Text),  # "; "-joined outlet names
    sa.Column("contested", sa.Boolean, nullable=False),
    sa.Column("discrepancy", sa.Float, nullable=False),  # 0 = sources agree, 1 = flat contradiction
    sa.Column("discrepancy_reasons", sa.Text),  # JSON list of human-readable reasons
    sa.Column("updated_at", sa.Text, nullable=False),
    # Union of the members' date windows: fusion looks for candidate events by these.
    sa.Column("window_start", sa.Date, info={"since": 3}),
    sa.Column("window_end", sa.Date, info={"since": 3}),
    # The strongest member modality, the highest member confidence, and whether every member is background:
    # `events`/`export` leave hedged (hypothetical, denied) and background events out unless asked.
    sa.Column("modality", sa.Text, info={"since": 5}),
    sa.Column("confidence", sa.Float, info={"since": 5}),
    sa.Column("background", sa.Boolean, info={"since": 5}),
)

# One row per slant span of a stored report (issue 13): context for analysts, never read by fusion.
# `fogwatch sources` profiles outlets from it; a claim's sentence carries slant when a span's sentence holds its evidence.
slant_spans = sa.Table(
    "slant_spans",
    metadata,
    sa.Column("slant_id", sa.String(90), primary_key=True),  # "<doc_key[:24]>-s<n>"
    sa.Column("doc_key", sa.String(64), sa.ForeignKey("documents.doc_key", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("span_start", sa.Integer, nullable=False),  # offsets into documents.text, end exclusive
    sa.Column("span_end", sa.Integer, nullable=False),
    sa.Column("technique", sa.Text, nullable=False),  # a PTC technique name (../shared/CONTRACT.md)
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("sentence_start", sa.Integer, nullable=False),  # the sentence the span lies in
    sa.Column("sentence_end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text),  # the span's text, for reading in Datasette
    info={"since": 7},
)

# Secondary indexes that filters use.
sa.Index("ix_fused_events_admin1", fused_events.c.admin1)
sa.Index("ix_fused_events_event_type", fused_events.c.event_type)
sa.Index("ix_documents_duplicate_of", documents.c.duplicate_of)
sa.Index("ix_fused_events_window_end", fused_events.c.window_end, info={"since": 3})
