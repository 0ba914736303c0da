"""A linear-chain CRF run with numpy: emission scores from string attributes, Viterbi, marginals.

Trained with CRFsuite (``scripts/train_slant.py``) and exported to ``crf.npz``:
``attributes`` (the attribute strings), ``state`` (attributes x labels weights),
``transitions`` (labels x labels, from -> to) and ``labels``. The decoding is
CRFsuite's own (first-order, no start/end weights), so a test checks it
against CRFsuite's tagger when that is installed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, repeat

import numpy as np


@dataclass(frozen=True)
class LinearChainCRF:
    labels: tuple[str, ...]
    attributes: dict[str, int]
    state: np.ndarray  # (n_attributes, n_labels)
    transitions: np.ndarray  # (n_labels, n_labels), from -> to
    bias: np.ndarray | None = None  # (n_labels,) added to every token's scores (a decision shift chosen on validation data)

    def emissions(self, features: Sequence[Sequence[str]]) -> np.ndarray:
        """(n_tokens, n_labels) emission scores."""
        get = self.attributes.get
        n = len(features)
        scores = np.zeros((n, len(self.labels)), dtype=np.float64)
        rows: list[int] = []
        cols: list[int] = []
        for i, feats in enumerate(features):
            for j in map(get, feats):
                if j is not None:
                    rows.append(i)
                    cols.append(j)
        if cols:
            weights = self.state[cols]
            for k in range(len(self.labels)):  # one summation per label for the whole sentence
                scores[:, k] = np.bincount(rows, weights=weights[:, k], minlength=n)
        if self.bias is not None:
            scores += self.bias
        return scores

    def emissions_many(self, sentences: Sequence[Sequence[Sequence[str]]]) -> list[np.ndarray]:
        """:meth:`emissions` of several sentences at once (one lookup pass and one summation per label for them all).

        The same numbers as sentence by sentence: each token's weights are summed in the same order.
        """
        lengths = [len(s) for s in sentences]
        n = sum(lengths)
        per_token = [len(f) for s in sentences for f in s]
        flat = [a for s in sentences for f in s for a in f]
        cols = np.fromiter(map(self.attributes.get, flat, repeat(-1)), dtype=np.int64, count=len(flat))
        rows = np.repeat(np.arange(n, dtype=np.int64), per_token)
        known = cols >= 0
        return self._summed(rows[known], cols[known], lengths)

    def emissions_from_columns(self, sentences: Sequence[Sequence[Sequence[int]]]) -> list[np.ndarray]:
        """:meth:`emissions_many` from each token's known attribute columns, in its attributes' order
        (:func:`fogwatch.slant.features.token_columns`): the same numbers, summed in the same order."""
        lengths = [len(s) for s in sentences]
        n = sum(lengths)
        per_token = [len(f) for s in sentences for f in s]
        cols = np.fromiter(chain.from_iterable(chain.from_iterable(sentences)), dtype=np.int64, count=sum(per_token))
        rows = np.repeat(np.arange(n, dtype=np.int64), per_token)
        return self._summed(rows, cols, lengths)

    def _summed(self, rows: np.ndarray, cols: np.ndarray, lengths: list[int]) -> list[np.ndarray]:
        """Each token's (``rows``) state weights of its attribute columns (``cols``) summed per label, plus the
        bias, split back into sentences of ``lengths`` tokens."""
        n = sum(lengths)
        scores = np.zeros((n, len(self.labels)), dtype=np.float64)
        if len(cols):
            weights = self.state[cols]
            for k in range(len(self.labels)):
                scores[:, k] = np.bincount(rows, weights=weights[:, k], minlength=n)
        if self.bias is not None:
            scores += self.bias
        bounds = np.cumsum([0, *lengths])
        return [scores[bounds[i] : bounds[i + 1]] for i in range(len(lengths))]

    def viterbi_many(self, emissions: Sequence[np.ndarray]) -> list[list[int]]:
        """:meth:`viterbi` of several sentences at once, padded to the longest (the same paths, ties included)."""
        if not emissions:
            return []
        em, lengths = _padded(emissions, len(self.labels))
        m, longest = em.shape[0], em.shape[1]
        if longest == 0:
            return [[] for _ in emissions]
        # Past a sentence's end the recursion runs on over padding; its last real step's scores are kept.
        scores = np.empty_like(em)
        scores[:, 0] = em[:, 0]
        back = np.zeros(em.shape, dtype=np.int64)
        for i in range(1, longest):
            cand = scores[:, i - 1, :, None] + self.transitions  # sentence x from x to
            back[:, i] = cand.argmax(axis=1)
            scores[:, i] = cand.max(axis=1) + em[:, i]
        paths: list[list[int]] = []
        for s in range(m):
            n = int(lengths[s])
            if n == 0:
                paths.append([])
                continue
            path = [int(scores[s, n - 1].argmax())]
            for i in range(n - 1, 0, -1):
                path.append(int(back[s, i, path[-1]]))
            paths.append(path[::-1])
        return paths

    def viterbi(self, emissions: np.ndarray) -> list[int]:
        n = len(emissions)
        if n == 0:
            return []
        score = emissions[0].copy()
        back = np.zeros((n, len(self.labels)), dtype=np.int64)
        for i in range(1, n):
            cand = score[:, None] + self.transitions  # from x to
            back[i] = cand.argmax(axis=0)
            score = cand.max(axis=0) + emissions[i]
        path = [int(score.argmax())]
        for i in range(n - 1, 0, -1):
            path.append(int(back[i, path[-1]]))
        return path[::-1]

    def marginals(self, emissions: np.ndarray) -> np.ndarray:
        """(n_tokens, n_labels) posterior probability of each label at each token (forward-backward in log space)."""
        n, k = emissions.shape
        if n == 0:
            return np.zeros((0, k))
        alpha = np.zeros((n, k))
        beta = np.zeros((n, k))
        alpha[0] = emissions[0]
        for i in range(1, n):
            alpha[i] = emissions[i] + _logsumexp(alpha[i - 1][:, None] + self.transitions, axis=0)
        for i in range(n - 2, -1, -1):
            beta[i] = _logsumexp(self.transitions + (emissions[i + 1] + beta[i + 1])[None, :], axis=1)
        log_z = _logsumexp(alpha[-1], axis=0)
        return np.asarray(np.clip(np.exp(alpha + beta - log_z), 0.0, 1.0))

    def marginals_many(self, emissions: Sequence[np.ndarray]) -> list[np.ndarray]:
        """:meth:`marginals` of several sentences at once, padded to the longest."""
        k = len(self.labels)
        if not emissions:
            return []
        em, lengths = _padded(emissions, k)
        longest = em.shape[1]
        alpha = np.empty_like(em)
        beta = np.zeros_like(em)
        alpha[:, 0] = em[:, 0]
        for i in range(1, longest):
            alpha[:, i] = em[:, i] + _logsumexp(alpha[:, i - 1, :, None] + self.transitions, axis=1)
        # Each sentence's backward pass starts at its own last token (beta 0 there).
        last = (lengths - 1)[:, None] == np.arange(longest)[None, :]
        for i in range(longest - 2, -1, -1):
            step = _logsumexp(self.transitions + (em[:, i + 1] + beta[:, i + 1])[:, None, :], axis=2)
            beta[:, i] = np.where(last[:, i, None], 0.0, step)
        out = []
        for s in range(len(emissions)):
            n = int(lengths[s])
            if n == 0:
                out.append(np.zeros((0, k)))
                continue
            log_z = _logsumexp(alpha[s, n - 1], axis=0)
            out.append(np.asarray(np.clip(np.exp(alpha[s, :n] + beta[s, :n] - log_z), 0.0, 1.0)))
        return out


def _padded(emissions: Sequence[np.ndarray], k: int) -> tuple[np.ndarray, np.ndarray]:
    """(sentences, longest, labels) emissions padded with zeros, and each sentence's length."""
    lengths = np.array([len(e) for e in emissions], dtype=np.int64)
    em = np.zeros((len(emissions), int(lengths.max()) if len(lengths) else 0, k))
    for i, e in enumerate(emissions):
        em[i, : len(e)] = e
    return em, lengths


def _logsumexp(a: np.ndarray, axis: int) -> np.ndarray:
    m = a.max(axis=axis, keepdims=True)
    return np.asarray(np.log(np.exp(a - m).sum(axis=axis)) + np.squeeze(m, axis=axis))
