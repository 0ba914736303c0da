"""A linear classifier over TF-IDF word n-grams plus named extra features, run with numpy alone.

The artefact is a folder holding ``model.npz`` (per block a vocabulary and its
idf; the weights) and ``meta.json`` (classes, the feature blocks, the names of
the extra features, the SHA-256 of ``model.npz``). Each block reproduces
scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` with ``analyzer="word"``
or ``"char_wb"`` exactly (token pattern, lower-casing, smoothed idf, L2 norm),
so a model trained there scores the same here; a test checks the probabilities
against scikit-learn's when it is installed.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from fogwatch.checksum import sha256_file
from fogwatch.errors import Code, ModelError

FORMAT = "fogwatch-ngram-linear/1"
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern


def models_dir() -> Path:
    """Where the packaged artefacts live (``src/fogwatch/models``)."""
    return Path(__file__).resolve().parent.parent / "models"


_SPACES = re.compile(r"\s\s+")


def ngrams(text: str, max_n: int = 2) -> Counter[str]:
    """Word 1..max_n-grams of lower-cased text, as scikit-learn's ``analyzer="word"`` makes them."""
    tokens = _TOKEN.findall(text.lower())
    grams: Counter[str] = Counter(tokens)
    for n in range(2, max_n + 1):
        grams.update(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def char_ngrams(text: str, min_n: int = 3, max_n: int = 5) -> Counter[str]:
    """Character n-grams inside word boundaries, as scikit-learn's ``analyzer="char_wb"`` makes them."""
    return Counter(_char_gram_list(text, min_n, max_n))


def _char_gram_list(text: str, min_n: int, max_n: int) -> list[str]:
    """``char_ngrams`` as a list with repeats. Per word padded with spaces: every n-gram for each n in
    ``min_n..max_n``; a padded word no longer than n counts once, as itself, and ends the word's n-grams
    (scikit-learn's loop breaks there)."""
    grams: list[str] = []
    for word in _SPACES.sub(" ", text.lower()).split():
        w = f" {word} "
        size = len(w)
        for n in range(min_n, max_n + 1):
            if size <= n:
                grams.append(w)
                break
            grams += [w[i : i + n] for i in range(size - n + 1)]
    return grams


def _word_gram_list(text: str, max_n: int) -> list[str]:
    tokens = _TOKEN.findall(text.lower())
    grams = list(tokens)
    for n in range(2, max_n + 1):
        grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return grams


@lru_cache(maxsize=64)
def _word_grams(text: str, max_n: int) -> tuple[str, ...]:
    """``_word_gram_list`` kept for the last few texts: the actor-kind models (one per side) and the
    events of one sentence ask for the same sentence's grams in turn."""
    return tuple(_word_gram_list(text, max_n))


_UNIQUE_FROM = 64  # hits above which np.unique counts them (measured: 61 -> 29 us for a clause's ~250 char n-grams)
_WORD_CACHE_SIZE = 100_000  # words whose char n-gram columns a block keeps (cleared when full)


@dataclass(frozen=True)
class TfidfBlock:
    """One TF-IDF feature block: ``kind`` "word" (1..max_n-grams) or "char_wb" (min_n..max_n characters)."""

    kind: str
    min_n: int
    max_n: int
    vocabulary: dict[str, int]
    idf: np.ndarray
    # char_wb: a lower-cased word -> its n-grams' columns (with repeats); words recur across texts
    _word_columns: dict[str, tuple[int, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def grams(self, text: str) -> Counter[str]:
        return ngrams(text, self.max_n) if self.kind == "word" else char_ngrams(text, self.min_n, self.max_n)

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(column indices, values) of the L2-normalised, sublinear TF-IDF vector of ``text``."""
        hits = self._word_hits(text) if self.kind == "word" else self._char_hits(text)
        if not hits:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        # the columns in ascending order with their counts: np.unique for the hundreds of a text's character n-grams,
        # a Counter for a few dozen words (np.unique's fixed cost is higher there); the same arrays either way
        if len(hits) > _UNIQUE_FROM:
            idx, counts = np.unique(np.array(hits, dtype=np.int64), return_counts=True)
        else:
            tally = Counter(hits)
            columns = sorted(tally)
            idx = np.array(columns, dtype=np.int64)
            counts = np.array([tally[j] for j in columns], dtype=np.int64)
        v = (1.0 + np.log(counts)) * self.idf[idx].astype(np.float64)
        norm = float(np.sqrt((v * v).sum()))
        return idx, (v / norm if norm else v)

    def _word_hits(self, text: str) -> list[int]:
        return [j for j in map(self.vocabulary.get, _word_grams(text, self.max_n)) if j is not None]

    def _char_hits(self, text: str) -> list[int]:
        """The columns of ``_char_gram_list(text)``'s grams, gathered per word (a word's grams never
        cross its padding, so the text's grams are its words' grams in turn)."""
        cache = self._word_columns
        hits: list[int] = []
        for word in _SPACES.sub(" ", text.lower()).split():
            cols = cache.get(word)
            if cols is None:
                if len(cache) >= _WORD_CACHE_SIZE:
                    cache.clear()
                grams = _char_gram_list(word, self.min_n, self.max_n)
                cols = cache[word] = tuple(j for j in map(self.vocabulary.get, grams) if j is not None)
            hits += cols
        return hits


@dataclass(frozen=True)
class NgramModel:
    """Multinomial logistic regression over TF-IDF n-grams and named extra features."""

    name: str
    classes: tuple[str, ...]
    extra_features: tuple[str, ...]
    blocks: tuple[TfidfBlock, ...]  # word and character n-gram blocks, in column order
    weights: np.ndarray  # (n_classes, sum of block sizes + n_extra)
    bias: np.ndarray  # (n_classes,)
    meta: dict
    # the weights as float64 rows per feature (n_features, n_classes), made once at load: a text's few
    # features then gather contiguous rows instead of converting scattered float16 columns on every call
    by_feature: np.ndarray = field(init=False, repr=False, compare=False)
    extra_index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_feature", np.ascontiguousarray(self.weights.T, dtype=np.float64))
        base = sum(len(b.vocabulary) for b in self.blocks)
        object.__setattr__(self, "extra_index", {name: base + k for k, name in enumerate(self.extra_features)})

    def predict_proba(self, text: str, extra: dict[str, float] | None = None) -> dict[str, float]:
        """Class -> probability; ``extra`` gives the named extra features (absent names are 0)."""
        scores = self.bias.astype(np.float64).copy()
        base = 0
        for block in self.blocks:
            idx, vals = block.features(text)
            if len(idx):
                scores += vals @ self.by_feature[base + idx]
            base += len(block.vocabulary)
        if extra:
            for name, value in extra.items():
                k = self.extra_index.get(name)
                if k is not None and value:
                    scores += self.by_feature[k] * value
        scores -= scores.max()
        p = np.exp(scores)
        p /= p.sum()
        return dict(zip(self.classes, p.tolist()))


def _read_meta(folder: Path) -> dict:
    meta_path, npz_path = folder / "meta.json", folder / "model.npz"
    if not meta_path.is_file() or not npz_path.is_file():
        raise ModelError(f"model artefact missing: {folder} needs meta.json and model.npz (rebuild: python scripts/train_event_types.py)", Code.MODEL_MISSING)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"model artefact {meta_path} is unreadable: {exc}", Code.MODEL_CORRUPT) from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelError(f"model artefact {meta_path}: format is not {FORMAT}", Code.MODEL_CORRUPT)
    if meta.get("sha256") != sha256_file(npz_path):
        raise ModelError(f"model artefact {npz_path} fails its SHA-256 check (corrupt or replaced; rebuild it)", Code.MODEL_CORRUPT)
    return meta


def load_model_folder(folder: Path) -> NgramModel:
    """Load and check one artefact folder; raises :class:`ModelError` (E701 missing, E702 corrupt)."""
    meta = _read_meta(folder)
    try:
        blocks = []
        with np.load(folder / "model.npz", allow_pickle=False) as npz:
            for k, spec in enumerate(meta["blocks"]):
                vocab = [str(x) for x in npz[f"vocabulary_{k}"]]
                idf = npz[f"idf_{k}"].astype(np.float32)
                if idf.shape != (len(vocab),):
                    raise ValueError(f"block {k}: idf and vocabulary sizes differ")
                blocks.append(TfidfBlock(str(spec["kind"]), int(spec["min_n"]), int(spec["max_n"]), {g: i for i, g in enumerate(vocab)}, idf))
            weights = npz["weights"]
            bias = npz["bias"].astype(np.float64)
        classes = tuple(str(c) for c in meta["classes"])
        extra = tuple(str(c) for c in meta.get("extra_features", []))
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
        raise ModelError(f"model artefact {folder} cannot be read: {exc}", Code.MODEL_CORRUPT) from None
    width = sum(len(b.vocabulary) for b in blocks) + len(extra)
    if any(b.kind not in ("word", "char_wb") for b in blocks) or weights.shape != (len(classes), width) or bias.shape != (len(classes),):
        raise ModelError(f"model artefact {folder}: blocks or array shapes do not match its meta.json", Code.MODEL_CORRUPT)
    return NgramModel(
        name=str(meta.get("name", folder.name)),
        classes=classes,
        extra_features=extra,
        blocks=tuple(blocks),
        weights=weights,
        bias=bias,
        meta=meta,
    )


@lru_cache(maxsize=8)
def load_ngram_model(name: str, folder: str | None = None) -> NgramModel:
    """The packaged artefact ``models/<name>/`` (or ``folder``), loaded once per process."""
    return load_model_folder(Path(folder) if folder else models_dir() / name)
