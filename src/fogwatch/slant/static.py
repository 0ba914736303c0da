"""The static-vector span tagger: a bidirectional LSTM over static word vectors, run by onnxruntime (no torch).

The artefact folder ``fogwatch/models/slant_static`` (see its ``card.md``) holds ``model.onnx.gz`` (the network,
int8-quantised: word features and sentence lengths in, per-word logits over ``O``/``B``/``I`` out), ``vectors.npz`` (one static
vector per word-piece of all-MiniLM-L6-v2's vocabulary, distilled from the model's output for each word-piece alone,
stored as int8 with a scale per row), ``tokenizer.json`` (that vocabulary's WordPiece tokenizer) and ``meta.json``
(format, labels, the SHA-256 of each file, the decision threshold and the cascade's candidate bias and combination
chosen on validation articles). A word's features are the mean vector of its word-pieces and a few flags of its form
(:func:`word_flags`). A missing artefact is ``E716``, a corrupt one ``E717``, onnxruntime or tokenizers not
installed ``E718``; the stage then tags with the CRF alone.

It reads whole sentences, so, unlike the fine-tuned encoder of :mod:`fogwatch.slant.contextual` (about 5 CPU ms a
sentence), it can read every body sentence within the stage's budget: :class:`fogwatch.slant.tagger.SlantTagger`
runs it through the same cascade (``candidate_bias``: null in meta.json when it reads every body sentence, without the
CRF's candidate pass; ``combine``; ``crf_filter``, the mean inside probability below which a CRF span is dropped). The int8 graph quantises its inputs per run, so a sentence's probabilities move by
a few thousandths with its batch mates (the other sentences of its document, in a fixed order): a document always gets
the same spans, the same sentence in another document may differ at the threshold's edge. ``scripts/train_slant_static.py`` builds it.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from fogwatch.checksum import sha256_file
from fogwatch.errors import Code, ModelError
from fogwatch.learn.ngram import models_dir
from fogwatch.slant.contextual import softmax, spans_from_scores
from fogwatch.slant.tokens import QUOTES, Token

FORMAT = "fogwatch-slant-static-onnx/1"
MODEL_NAME = "slant_static"
LABELS = ("O", "B", "I")
COMBINE = ("cascade", "union")
GRAPH = "model.onnx.gz"
FILES = {GRAPH: "sha256", "vectors.npz": "vectors_sha256", "tokenizer.json": "tokenizer_sha256"}
N_FLAGS = 6
BATCH = 8  # sentences per onnxruntime run (sorted by length, each batch padded to its longest: less padding than larger batches)
CACHE_WORDS = 200_000  # written forms whose features are kept between documents (the table is emptied when it is full)
REASON = "slant model (CRF + a BiLSTM over static word vectors, models/slant_static)"


def word_flags(word: str) -> tuple[float, float, float, float, float, float]:
    """The form of a word beside its vector: capitalised, all capitals, punctuation, a quote mark, a digit, ! or ?."""
    first = word[:1]
    return (
        float(first.isupper()),
        float(len(word) > 1 and word.isupper()),
        float(not first.isalnum()),
        float(word in QUOTES or word in ("'", "’")),
        float(first.isdigit()),
        float(word in ("!", "?")),
    )


def dequantize(q: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """int8 rows times their scales: the float32 vectors (the same arithmetic in training and at run time)."""
    return q.astype(np.float32) * scale.astype(np.float32)[:, None]


@dataclass(frozen=True)
class StaticTagger:
    """Spans inside given sentences from the BiLSTM over static vectors; one onnxruntime thread by default."""

    session: Any  # onnxruntime.InferenceSession
    tokenizer: Any  # tokenizers.Tokenizer
    q: np.ndarray  # (vocabulary, dims) int8 vectors
    scale: np.ndarray  # (vocabulary,) their scales
    threshold: float
    candidate_bias: float | None  # added to the CRF's O score to pick candidate sentences; None: it reads every sentence
    combine: str  # "cascade": its spans alone in the candidates; "union": the CRF's spans plus its spans where none overlaps
    meta: dict
    crf_weight: float = 0.0  # the CRF marginals' share in a word's inside probability (cascade only)
    crf_filter: float = 0.0  # union only: a CRF span whose words' mean inside probability here is below this is dropped
    crf_filter_window: int = 0  # that mean over its best run of this many words (0: over the whole span)
    reason: ClassVar[str] = REASON
    # written form -> its row in the table of features (vector + flags), shared between documents under a lock
    _table: list[Any] = field(default_factory=lambda: [{}, np.zeros((0, 0), np.float32)], compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    @property
    def dims(self) -> int:
        return int(self.q.shape[1])

    def piece_ids(self, words: Sequence[str]) -> list[tuple[int, ...]]:
        """The word-piece ids of each written word (lower-cased; ’ read as ')."""
        encoded = self.tokenizer.encode_batch([w.lower().replace("’", "'") for w in words], add_special_tokens=False)
        return [tuple(enc.ids) for enc in encoded]

    def mean_vectors(self, pieces: Sequence[tuple[int, ...]]) -> np.ndarray:
        """(words, dims) float32: the mean of each word's word-piece vectors (zeros without any), all words at once."""
        counts = np.fromiter(map(len, pieces), np.int64, len(pieces))
        out = np.zeros((len(pieces), self.dims), np.float32)
        has = counts > 0
        if has.any():
            ids = np.fromiter(chain.from_iterable(pieces), np.int64, int(counts.sum()))
            starts = (np.cumsum(counts) - counts)[has]
            out[has] = np.add.reduceat(dequantize(self.q[ids], self.scale[ids]), starts, axis=0) / counts[has, None].astype(np.float32)
        return out

    def word_vectors(self, words: Sequence[str]) -> list[np.ndarray]:
        """The static vector of each written word: the mean of its word-pieces' vectors (zeros without any)."""
        return list(self.mean_vectors(self.piece_ids(words)))

    def features(self, tokens: Sequence[Token]) -> np.ndarray:
        """(words, dims + flags) float32: each word's vector and :func:`word_flags`. Each written form's row is made once
        and kept in a table shared between documents (emptied when it holds :data:`CACHE_WORDS` forms)."""
        words = [t.text for t in tokens]
        if not words:
            return np.zeros((0, self.dims + N_FLAGS), np.float32)
        with self._lock:
            index, table = self._table
            rows = [index.get(w) for w in words]
            if None in rows:
                missing = sorted({w for w, r in zip(words, rows) if r is None})
                if len(index) + len(missing) > CACHE_WORDS:  # full: start again with these words' forms
                    index, table = {}, np.zeros((0, 0), np.float32)
                    missing = sorted(set(words))
                fresh = np.concatenate([self.mean_vectors(self.piece_ids(missing)), np.array([word_flags(w) for w in missing], np.float32)], axis=1)
                used = len(index)
                if used + len(missing) > len(table):
                    grown = np.zeros((max(2 * len(table), used + len(missing), 4096), fresh.shape[1]), np.float32)
                    if used:
                        grown[:used] = table[:used]
                    table = grown
                table[used : used + len(missing)] = fresh
                index.update(zip(missing, range(used, used + len(missing))))
                self._table[:] = [index, table]
                rows = [index[w] for w in words]
            return table[rows]

    def probabilities(self, sentences: Sequence[Sequence[Token]], batch: int = BATCH) -> list[np.ndarray]:
        """Each sentence's (words, 3) probabilities over :data:`LABELS`; sentences of similar lengths run together."""
        out: list[np.ndarray | None] = [None] * len(sentences)
        order = sorted((k for k in range(len(sentences)) if sentences[k]), key=lambda k: len(sentences[k]))
        for k in range(len(sentences)):
            if not sentences[k]:
                out[k] = np.zeros((0, len(LABELS)))
        for s in range(0, len(order), batch):
            idx = order[s : s + batch]
            width = len(sentences[idx[-1]])
            rows = self.features([t for k in idx for t in sentences[k]])
            x = np.zeros((len(idx), width, self.dims + N_FLAGS), np.float32)
            at = 0
            for row, k in enumerate(idx):
                x[row, : len(sentences[k])] = rows[at : at + len(sentences[k])]
                at += len(sentences[k])
            lengths = np.array([len(sentences[k]) for k in idx], dtype=np.int32)
            probs = softmax(self.session.run(None, {"features": x, "lengths": lengths})[0].astype(np.float64))
            for row, k in enumerate(idx):
                out[k] = probs[row, : len(sentences[k])]
        return out  # type: ignore[return-value]

    def word_scores(self, text: str, sentences: Sequence[tuple[tuple[int, int], Sequence[Token]]]) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each (sentence, its tokens): its words' inside probability (``1 - P(O)``) and whether each starts a span (B)."""
        out = []
        for probs in self.probabilities([ts for _, ts in sentences]):
            begins = probs.argmax(axis=1) == 1 if len(probs) else np.zeros(0, dtype=bool)
            out.append((1.0 - probs[:, 0], begins))
        return out

    def spans(self, text: str, sentences: Sequence[tuple[tuple[int, int], Sequence[Token]]],
              crf_inside: Sequence[np.ndarray] | None = None) -> list[list[tuple[int, int, float]]]:
        """For each (sentence, its tokens): the spans found, as token ranges [i, j) with their mean inside probability;
        ``crf_inside``: the CRF's inside probability of each sentence's words, mixed in by ``crf_weight``."""
        return spans_from_scores(self.word_scores(text, sentences), self.threshold, self.crf_weight, crf_inside)


def _corrupt(message: str) -> ModelError:
    return ModelError(message, Code.SLANT_STATIC_CORRUPT)


def _read_meta(folder: Path) -> dict:
    if not (folder / "meta.json").is_file() or not all((folder / name).is_file() for name in FILES):
        raise ModelError(f"slant static tagger missing: {folder} needs meta.json, {', '.join(FILES)} "
                         "(rebuild: python scripts/train_slant_static.py)", Code.SLANT_STATIC_MISSING)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _corrupt(f"slant static tagger {folder / 'meta.json'} is unreadable: {exc}") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise _corrupt(f"slant static tagger {folder / 'meta.json'}: format is not {FORMAT}")
    for name, key in FILES.items():
        if meta.get(key) != sha256_file(folder / name):
            raise _corrupt(f"slant static tagger {folder / name} fails its SHA-256 check (corrupt or replaced; rebuild it)")
    return meta


def load_static_tagger(folder: Path | None = None, threads: int = 1) -> StaticTagger:
    """Load and check the artefact (``E716`` missing, ``E717`` corrupt, ``E718`` no runtime)."""
    folder = folder or models_dir() / MODEL_NAME
    meta = _read_meta(folder)
    try:
        import onnxruntime
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise ModelError(f"the static slant tagger needs onnxruntime and tokenizers (pip install fogwatch's dependencies): {exc}",
                         Code.SLANT_STATIC_RUNTIME) from None
    try:
        labels = tuple(str(x) for x in meta["labels"])
        threshold = float(meta["threshold"])
        candidate_bias = None if meta["candidate_bias"] is None else float(meta["candidate_bias"])
        combine = str(meta["combine"])
        crf_weight = float(meta.get("crf_weight", 0.0))
        crf_filter = float(meta.get("crf_filter", 0.0))
        crf_filter_window = int(meta.get("crf_filter_window", 0))
        with np.load(folder / "vectors.npz", allow_pickle=False) as z:
            q = np.ascontiguousarray(z["q"])
            scale = np.ascontiguousarray(z["scale"])
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        session = onnxruntime.InferenceSession(gzip.decompress((folder / GRAPH).read_bytes()), options, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.no_truncation()
        tokenizer.no_padding()
    except ModelError:
        raise
    except Exception as exc:  # numpy, onnxruntime and tokenizers raise their own exception types for a bad file
        raise _corrupt(f"slant static tagger {folder} cannot be read: {type(exc).__name__}: {exc}") from None
    inputs = [(i.name, i.shape[-1]) for i in session.get_inputs()]
    if (
        labels != LABELS or q.dtype != np.int8 or q.ndim != 2 or scale.shape != (q.shape[0],)
        or inputs[:1] != [("features", q.shape[1] + N_FLAGS)] or [i for i, _ in inputs] != ["features", "lengths"]
        or session.get_outputs()[0].shape[-1] != len(LABELS)
        or not 0.0 < threshold < 1.0 or combine not in COMBINE or not 0.0 <= crf_weight < 1.0 or not 0.0 <= crf_filter < 1.0
        or crf_filter_window < 0
    ):
        raise _corrupt(f"slant static tagger {folder}: labels, vectors, settings or the graph's inputs and outputs do not match")
    return StaticTagger(session, tokenizer, q, scale, threshold, candidate_bias, combine, meta, crf_weight, crf_filter, crf_filter_window)


@lru_cache(maxsize=1)
def default_static() -> StaticTagger | ModelError:
    try:
        return load_static_tagger()
    except ModelError as exc:
        return exc
