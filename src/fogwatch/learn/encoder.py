"""A fine-tuned sentence encoder with a classification head, run by onnxruntime (no torch).

The artefact is a folder holding ``model.onnx.gz`` (the gzip-compressed int8-quantised graph: token ids and
attention mask in, class logits out; mean pooling and the linear head are inside the
graph), ``tokenizer.json`` (the encoder's WordPiece tokenizer, for ``tokenizers``) and
``meta.json`` (format, classes, maximum length, the SHA-256 of both files, how it was
built and how it scored). ``scripts/train_event_encoder.py`` builds it.

A missing folder or file raises :class:`ModelError` E701, a file that fails its checksum
or cannot be read E702, and onnxruntime or tokenizers not installed E703: the callers
then go on without it.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from fogwatch.checksum import sha256_file
from fogwatch.errors import Code, ModelError
from fogwatch.learn.ngram import models_dir

FORMAT = "fogwatch-encoder-onnx/1"
# The int8 graph, gzip-compressed (23 MB -> 15 MB in the repository); its SHA-256 in meta.json is the compressed file's.
GRAPH = "model.onnx.gz"


@dataclass(frozen=True)
class EncoderModel:
    """Class probabilities for short texts from an ONNX encoder + head; one onnxruntime thread by default."""

    name: str
    classes: tuple[str, ...]
    max_len: int
    meta: dict
    session: Any  # onnxruntime.InferenceSession
    tokenizer: Any  # tokenizers.Tokenizer, truncating to max_len and padding a batch to its longest

    def predict_proba_batch(self, texts: list[str]) -> np.ndarray:
        """(len(texts), n_classes) softmax probabilities."""
        if not texts:
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        encoded = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        logits = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0].astype(np.float64)
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def predict_proba(self, text: str) -> dict[str, float]:
        """Class -> probability for one text."""
        return {c: float(x) for c, x in zip(self.classes, self.predict_proba_batch([text])[0])}


@dataclass(frozen=True)
class ArtefactCodes:
    """The error codes an ONNX artefact's loader raises, and the command that rebuilds it (for the messages)."""

    missing: Code
    corrupt: Code
    runtime: Code
    rebuild: str


ENCODER_CODES = ArtefactCodes(Code.MODEL_MISSING, Code.MODEL_CORRUPT, Code.MODEL_RUNTIME, "python scripts/train_models.py --only encoder_val encoder_ship retype_bar encoder_gate")


def _read_meta(folder: Path, fmt: str, codes: ArtefactCodes) -> dict:
    names = ("meta.json", GRAPH, "tokenizer.json")
    missing = [n for n in names if not (folder / n).is_file()]
    if missing:
        raise ModelError(f"model artefact missing: {folder} needs {', '.join(missing)} (rebuild: {codes.rebuild})", codes.missing)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"model artefact {folder / 'meta.json'} is unreadable: {exc}", codes.corrupt) from None
    if not isinstance(meta, dict) or meta.get("format") != fmt:
        raise ModelError(f"model artefact {folder / 'meta.json'}: format is not {fmt}", codes.corrupt)
    for name, key in ((GRAPH, "sha256"), ("tokenizer.json", "tokenizer_sha256")):
        if meta.get(key) != sha256_file(folder / name):
            raise ModelError(f"model artefact {folder / name} fails its SHA-256 check (corrupt or replaced; rebuild it)", codes.corrupt)
    return meta


def open_onnx_artefact(folder: Path, fmt: str, codes: ArtefactCodes = ENCODER_CODES, threads: int = 1) -> tuple[dict, Any, Any]:
    """(meta, onnxruntime session, tokenizer) of an artefact folder (``meta.json``, ``model.onnx.gz``, ``tokenizer.json``):
    files present, format ``fmt``, checksums, then the graph and the tokenizer (truncating to ``meta["max_len"]``, padding
    a batch to its longest). Raises :class:`ModelError` with ``codes`` (missing, corrupt, no runtime)."""
    meta = _read_meta(folder, fmt, codes)
    try:
        import onnxruntime
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise ModelError(f"the encoder needs onnxruntime and tokenizers (pip install fogwatch's dependencies): {exc}", codes.runtime) from None
    try:
        max_len = int(meta["max_len"])
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        graph = gzip.decompress((folder / GRAPH).read_bytes())
        session = onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=max_len)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    except Exception as exc:  # onnxruntime and tokenizers raise their own exception types for a bad file
        raise ModelError(f"model artefact {folder} cannot be read: {type(exc).__name__}: {exc}", codes.corrupt) from None
    if [i.name for i in session.get_inputs()] != ["input_ids", "attention_mask"] or len(session.get_outputs()) != 1:
        raise ModelError(f"model artefact {folder}: the graph's inputs or outputs do not match its meta.json", codes.corrupt)
    return meta, session, tokenizer


def load_encoder_folder(folder: Path, threads: int = 1) -> EncoderModel:
    """Load and check one artefact folder; raises :class:`ModelError` (E701 missing, E702 corrupt, E703 no runtime)."""
    meta, session, tokenizer = open_onnx_artefact(folder, FORMAT, ENCODER_CODES, threads)
    try:
        classes = tuple(str(c) for c in meta["classes"])
    except (KeyError, TypeError) as exc:
        raise ModelError(f"model artefact {folder} cannot be read: {type(exc).__name__}: {exc}", Code.MODEL_CORRUPT) from None
    if session.get_outputs()[0].shape[-1] != len(classes):
        raise ModelError(f"model artefact {folder}: the graph's inputs or outputs do not match its meta.json", Code.MODEL_CORRUPT)
    return EncoderModel(str(meta.get("name", folder.name)), classes, int(meta["max_len"]), meta, session, tokenizer)


@lru_cache(maxsize=4)
def load_encoder(name: str, folder: str | None = None) -> EncoderModel:
    """The packaged artefact ``models/<name>/`` (or ``folder``), loaded once per process."""
    return load_encoder_folder(Path(folder) if folder else models_dir() / name)
