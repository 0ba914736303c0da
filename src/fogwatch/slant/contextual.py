"""The contextual span tagger: all-MiniLM-L6-v2 fine-tuned for BIO span tagging on PTC, run by onnxruntime (no torch).

The artefact folder ``fogwatch/models/slant_encoder`` (see its ``card.md``) holds ``model.onnx.gz`` (the int8 graph:
token ids and attention mask in, per-token logits over ``O``/``B``/``I`` out), ``tokenizer.json`` and ``meta.json``
(format, labels, maximum length, the SHA-256 of both files, the decision threshold and the cascade's candidate bias
chosen on validation data). It is loaded by :func:`fogwatch.learn.encoder.open_onnx_artefact`; a missing artefact is
``E713``, a corrupt one ``E714``, onnxruntime or tokenizers not installed ``E715``.

The tagger runs as a cascade after the CRF (:class:`fogwatch.slant.tagger.SlantTagger`): the CRF, at a lower decision
bias, picks the candidate sentences; this model reads each candidate sentence alone (one batch per document) and
decides the spans inside it. A word's probability of being inside a span is the mean over its sub-tokens of
``1 - P(O)``, mixed with the CRF's marginal ``1 - P(O)`` of the word by the artefact's ``crf_weight``; a span is a
maximal run of words at or above the threshold (a word whose most probable label is ``B`` starts a new one). ``scripts/train_slant_encoder.py`` builds the artefact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from fogwatch.errors import Code, ModelError
from fogwatch.learn.encoder import ArtefactCodes, open_onnx_artefact
from fogwatch.learn.ngram import models_dir
from fogwatch.slant.tokens import Token

FORMAT = "fogwatch-slant-encoder-onnx/1"
MODEL_NAME = "slant_encoder"
LABELS = ("O", "B", "I")
COMBINE = ("cascade", "union")
BATCH = 16  # sentences per onnxruntime run (of similar lengths)
REASON = "slant model (CRF candidates + contextual tagger, models/slant_encoder)"
CODES = ArtefactCodes(Code.SLANT_ENCODER_MISSING, Code.SLANT_ENCODER_CORRUPT, Code.SLANT_ENCODER_RUNTIME, "python scripts/train_slant_encoder.py")

# (sub-token character offsets into the sentence, (n_sub_tokens, 3) probabilities over LABELS) of one sentence
SubTokens = tuple[np.ndarray, np.ndarray]


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=-1, keepdims=True)


def word_probabilities(tokens: Sequence[Token], base: int, offsets: np.ndarray, probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per word (fogwatch token): the mean ``1 - P(O)`` of its sub-tokens and whether its first sub-token's most probable
    label is ``B``. ``offsets`` are the sub-tokens' (start, end) in the sentence that starts at ``base``; special and
    padding sub-tokens have an empty range. A word past the truncation has no sub-token: probability 0."""
    inside = np.zeros(len(tokens))
    begins = np.zeros(len(tokens), dtype=bool)
    if len(offsets) == 0:
        return inside, begins
    starts = offsets[:, 0] + base
    ends = offsets[:, 1] + base
    real = ends > starts
    p_in = 1.0 - probs[:, 0]
    is_b = probs.argmax(axis=1) == 1
    for k, t in enumerate(tokens):
        hit = np.flatnonzero(real & (starts < t.end) & (t.start < ends))
        if len(hit):
            inside[k] = float(p_in[hit].mean())
            begins[k] = bool(is_b[hit[0]])
    return inside, begins


def decode(inside: np.ndarray, begins: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Word ranges [i, j) of the runs at or above ``threshold``; a ``B`` word inside a run starts a new one."""
    spans: list[tuple[int, int]] = []
    start = None
    for k, p in enumerate(inside):
        if p >= threshold:
            if start is None:
                start = k
            elif begins[k]:
                spans.append((start, k))
                start = k
        elif start is not None:
            spans.append((start, k))
            start = None
    if start is not None:
        spans.append((start, len(inside)))
    return spans


@dataclass(frozen=True)
class ContextualTagger:
    """Spans inside given sentences, from the fine-tuned encoder; one onnxruntime thread by default."""

    session: Any  # onnxruntime.InferenceSession
    tokenizer: Any  # tokenizers.Tokenizer
    threshold: float
    candidate_bias: float | None  # added to the CRF's O score to pick candidate sentences; None: every sentence
    combine: str  # "cascade": its spans alone in the candidates; "union": the CRF's spans plus its spans where none overlaps
    meta: dict
    crf_weight: float = 0.0  # the CRF marginals' share in a word's inside probability (cascade only)
    crf_filter: float = 0.0  # union only: a CRF span whose words' mean inside probability here is below this is dropped
    crf_filter_window: int = 0  # that mean over its best run of this many words (0: over the whole span)
    reason: ClassVar[str] = REASON

    def sub_tokens(self, texts: list[str], batch: int = BATCH) -> list[SubTokens]:
        """Each text's sub-token offsets and label probabilities: the texts tokenised at once, then run in batches of
        similar lengths (padded to the longest of each batch, so short sentences do not pay for long ones)."""
        if not texts:
            return []
        encoded = self.tokenizer.encode_batch(texts)
        lengths = [sum(e.attention_mask) for e in encoded]
        order = sorted(range(len(texts)), key=lengths.__getitem__)
        out: list[SubTokens | None] = [None] * len(texts)
        for s in range(0, len(order), batch):
            idx = order[s : s + batch]
            width = lengths[idx[-1]]
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, k in enumerate(idx):
                ids[row, : lengths[k]] = encoded[k].ids[: lengths[k]]
                mask[row, : lengths[k]] = 1
            probs = softmax(self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0].astype(np.float64))
            for row, k in enumerate(idx):
                n = lengths[k]
                offsets = np.array(encoded[k].offsets[:n], dtype=np.int64).reshape(-1, 2)
                offsets[np.array(encoded[k].special_tokens_mask[:n], dtype=bool)] = 0
                out[k] = (offsets, probs[row, :n])
        assert all(x is not None for x in out)
        return out  # type: ignore[return-value]

    def word_scores(self, text: str, sentences: Sequence[tuple[tuple[int, int], Sequence[Token]]]) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each (sentence, its tokens): :func:`word_probabilities` (inside probability, B start) of its words."""
        return [word_probabilities(ts, s, offsets, probs)
                for ((s, _), ts), (offsets, probs) in zip(sentences, self.sub_tokens([text[s:e] for (s, e), _ in sentences]))]

    def spans(self, text: str, sentences: Sequence[tuple[tuple[int, int], Sequence[Token]]],
              crf_inside: Sequence[np.ndarray] | None = None) -> list[list[tuple[int, int, float]]]:
        """For each (sentence, its tokens): the spans found, as token ranges [i, j) with their mean inside probability;
        ``crf_inside``: the CRF's inside probability of each sentence's words, mixed in by ``crf_weight``."""
        return spans_from_scores(self.word_scores(text, sentences), self.threshold, self.crf_weight, crf_inside)


def spans_from_scores(scores: Sequence[tuple[np.ndarray, np.ndarray]], threshold: float, crf_weight: float = 0.0,
                      crf_inside: Sequence[np.ndarray] | None = None) -> list[list[tuple[int, int, float]]]:
    """For each sentence's (inside probability, B start) of its words: its spans as token ranges [i, j) with their mean
    inside probability (``crf_inside`` mixed in by ``crf_weight``). Shared by both second taggers."""
    out = []
    for k, (inside, begins) in enumerate(scores):
        if crf_inside is not None and crf_weight:
            inside = crf_weight * crf_inside[k] + (1.0 - crf_weight) * inside
        out.append([(i, j, float(np.clip(inside[i:j].mean(), 0.0, 1.0))) for i, j in decode(inside, begins, threshold)])
    return out


def load_contextual_tagger(folder: Path | None = None, threads: int = 1) -> ContextualTagger:
    """Load and check the artefact (``E713`` missing, ``E714`` corrupt, ``E715`` no runtime)."""
    folder = folder or models_dir() / MODEL_NAME
    meta, session, tokenizer = open_onnx_artefact(folder, FORMAT, CODES, threads)
    try:
        labels = tuple(str(x) for x in meta["labels"])
        threshold = float(meta["threshold"])
        candidate_bias = float(meta["candidate_bias"])
        combine = str(meta["combine"])
        crf_weight = float(meta.get("crf_weight", 0.0))
        crf_filter = float(meta.get("crf_filter", 0.0))
        crf_filter_window = int(meta.get("crf_filter_window", 0))
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"slant encoder {folder}/meta.json lacks a setting: {type(exc).__name__}: {exc}", Code.SLANT_ENCODER_CORRUPT) from None
    if (labels != LABELS or session.get_outputs()[0].shape[-1] != len(LABELS) or not 0.0 < threshold < 1.0 or combine not in COMBINE
            or not 0.0 <= crf_weight < 1.0 or not 0.0 <= crf_filter < 1.0 or crf_filter_window < 0):
        raise ModelError(f"slant encoder {folder}: labels, threshold, combination or the graph's output do not match", Code.SLANT_ENCODER_CORRUPT)
    return ContextualTagger(session, tokenizer, threshold, candidate_bias, combine, meta, crf_weight, crf_filter, crf_filter_window)


@lru_cache(maxsize=1)
def default_contextual() -> ContextualTagger | ModelError:
    try:
        return load_contextual_tagger()
    except ModelError as exc:
        return exc
