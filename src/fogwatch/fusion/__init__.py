"""Fusing event mentions from many reports into events, and flagging where sources disagree.

- :mod:`fogwatch.fusion.model`: the mention and claim records fusion works on.
- :mod:`fogwatch.fusion.rules`: when two mentions are one event (sub-type, date window, place, actors).
- :mod:`fogwatch.fusion.summary`: what a fused event says (fatalities low/best/high, independent
  sources, contested flag and discrepancy score).
- :mod:`fogwatch.fusion.neardup`: MinHash LSH near-duplicate detection for republications.

The store (:mod:`fogwatch.store`) applies these incrementally: a new report only
touches the fused events its mentions match.
"""
