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


def _logsumexp(a: np.ndarray, axis: int) -> np.ndarray:
    m = a.max(axis=axis, keepdims=True)
    return np.asarray(np.log(np.exp(a - m).sum(axis=axis)) + np.squeeze(m, axis=axis))
