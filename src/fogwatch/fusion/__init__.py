"""Fusing event mentions from many reports into events, and flagging where sources disagree.

- :mod:`fogwatch.fusion.model`: the mention and claim records fusion works on.
- :mod:`fogwatch.fusion.rules`: when two mentions are one event (sub-type, date window, place, actors).
- :mod:`fogwatch.fusion.summary`: what a fused event says (fatalities low/best/high, independent
  sources, contested flag and discrepancy score).
- :mod:`fogwatch.fusion.incremental`: which fused event each new mention joins (creating, joining or
  merging events), and what the store writes for an event; it reads stored events only through an
  ``EventLookup`` (candidates, members, merged), so it never touches a database.
- :mod:`fogwatch.fusion.neardup`: MinHash LSH near-duplicate detection for republications.

The store (:mod:`fogwatch.store`) implements the lookup in SQL and applies the passes incrementally:
a new report only touches the fused events its mentions match.
"""
