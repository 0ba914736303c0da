"""Slant: propaganda technique spans (SemEval-2020 Task 11 / PTC techniques) in body sections.

Layers, each its own module: ``lexicon`` (the cue lists, data in ``fogwatch/data/slant``),
``tokens`` (tokens with offsets), ``features`` (per-token CRF features and per-span technique
features), ``crf`` (a linear-chain CRF run with numpy: Viterbi and marginals), ``scoring``
(the task's SI and TC measures), ``tagger`` (spans + techniques for a document's sentences).
"""

from fogwatch.slant.model import TECHNIQUES, SlantSpan

__all__ = ["TECHNIQUES", "SlantSpan"]
