"""Near-duplicate reports (cross-posts, republications with a different footer) by MinHash LSH.

A report is shingled into overlapping word 4-grams of its folded text; two
reports whose estimated Jaccard similarity is at least ``THRESHOLD`` are
linked, and the later one counts as a copy of the earliest, not as another
independent source. Signatures are kept in the store so the LSH index is
rebuilt on the next run instead of re-reading every text.
"""

from __future__ import annotations

import re

import numpy as np
from datasketch import MinHash, MinHashLSH

from fogwatch.text.normalize import fold

NUM_PERM = 64
THRESHOLD = 0.6
SHINGLE_WORDS = 4
SCHEME = "affine32"  # explicit: stored signatures must be read back with the scheme that made them
_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[bytes]:
    words = _WORD.findall(fold(text))
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(text: str) -> MinHash:
    mh = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    grams = shingles(text)
    if grams:
        mh.update_batch(list(grams))
    return mh


def to_bytes(mh: MinHash) -> bytes:
    return np.asarray(mh.hashvalues, dtype=np.uint64).tobytes()


def from_bytes(data: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashvalues=np.frombuffer(data, dtype=np.uint64).copy())


class NearDuplicateIndex:
    """An in-memory LSH over the signatures of the documents seen so far."""

    def __init__(self) -> None:
        # 16 bands of 4 rows: a pair at the threshold is a candidate with p ~ 0.89, at 0.7 with p ~ 0.99;
        # candidates are then checked against THRESHOLD, so extra candidates cost only a comparison.
        self._lsh = MinHashLSH(num_perm=NUM_PERM, params=(16, 4))
        self._sigs: dict[str, MinHash] = {}

    def __len__(self) -> int:
        return len(self._sigs)

    def add(self, key: str, mh: MinHash) -> None:
        if key not in self._sigs:
            self._lsh.insert(key, mh)
            self._sigs[key] = mh

    def nearest(self, mh: MinHash) -> tuple[str, float] | None:
        """The most similar indexed document at or above the threshold, ties broken by key."""
        best: tuple[str, float] | None = None
        for key in self._lsh.query(mh):
            sim = mh.jaccard(self._sigs[key])
            if sim >= THRESHOLD and (best is None or sim > best[1] or (sim == best[1] and key < best[0])):
                best = (key, sim)
        return best
