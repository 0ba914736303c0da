"""A tiny but real contextual slant artefact, built in a temporary folder: the cascade is tested without the 15 MB
fine-tuned MiniLM (``models/slant_encoder``, not packaged).

The graph is an ONNX model made with ``onnx.helper``: ``input_ids`` and ``attention_mask`` (int64, [batch, seq]) in,
``logits`` (float, [batch, seq, 3] over ``O``/``B``/``I``) out: a Gather from a hand-set embedding table over the
tokenizer's vocabulary, a MatMul to the three labels, times the attention mask. Every word-piece is ``O`` except a
few of :data:`tests.slant.test_stage.SPIN`'s: ``brutal``/``heroic``/``thugs`` are ``B``, ``regime``/``soldiers`` ``I``,
so the tagger's spans are known in advance. The graph is gzip-compressed, the tokenizer is the event encoder's
(the same all-MiniLM-L6-v2 WordPiece tokenizer) and meta.json carries what
:func:`fogwatch.slant.contextual.load_contextual_tagger` checks: format, labels, max_len, the SHA-256 of both files
(the compressed graph's), threshold, candidate bias, combination and the CRF's weight, as
``scripts/train_slant_encoder.py`` writes them.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import numpy as np

from fogwatch.learn.encoder import GRAPH
from fogwatch.learn.ngram import models_dir
from fogwatch.slant.contextual import FORMAT, LABELS

TOKENIZER = models_dir() / "event_encoder" / "tokenizer.json"
# all-MiniLM-L6-v2's WordPiece ids of SPIN's words the tiny graph tags (build_contextual_artefact checks them against the tokenizer)
B_PIECES = {"brutal": 12077, "heroic": 14779, "thugs": 24106}
I_PIECES = {"regime": 6939, "soldiers": 3548}
# The spans the tiny tagger finds in SPIN's sentences (those the CRF picks as candidates)
EXPECTED = {"brutal regime", "thugs", "heroic soldiers"}
SETTINGS = {"threshold": 0.5, "candidate_bias": -3.0, "combine": "cascade", "crf_weight": 0.0, "max_len": 128}


def tiny_graph(vocab_size: int) -> bytes:
    """The serialised ONNX graph: logits = (onehot-ish embedding[input_ids] @ 4·I) * attention_mask."""
    import onnx  # the [test] extra pins it (pyproject.toml): missing, these tests fail instead of skipping
    from onnx import TensorProto, helper, numpy_helper

    table = np.zeros((vocab_size, 3), dtype=np.float32)
    table[:, LABELS.index("O")] = 1.0
    for ids, label in ((B_PIECES, "B"), (I_PIECES, "I")):
        for piece in ids.values():
            table[piece] = 0.0
            table[piece, LABELS.index(label)] = 1.0
    head = (4.0 * np.eye(3, len(LABELS))).astype(np.float32)  # softmax([4, 0, 0]): 0.965 for the favoured label
    nodes = [
        helper.make_node("Gather", ["table", "input_ids"], ["embedded"], axis=0),
        helper.make_node("MatMul", ["embedded", "head"], ["scores"]),
        helper.make_node("Cast", ["attention_mask"], ["mask_f"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["mask_f", "last_axis"], ["mask_3d"]),
        helper.make_node("Mul", ["scores", "mask_3d"], ["logits"]),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny_slant_encoder",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "seq", len(LABELS)])],
        initializer=[numpy_helper.from_array(table, "table"), numpy_helper.from_array(head, "head"),
                     numpy_helper.from_array(np.array([-1], dtype=np.int64), "last_axis")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="fogwatch-tests")
    model.ir_version = 8  # read by every onnxruntime fogwatch pins
    onnx.checker.check_model(model, full_check=True)
    return model.SerializeToString()


def build_contextual_artefact(folder: Path, **settings) -> Path:
    """Write the tiny artefact (meta.json, model.onnx.gz, tokenizer.json) into ``folder``; ``settings`` override
    :data:`SETTINGS`."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(TOKENIZER))
    for piece, id_ in (B_PIECES | I_PIECES).items():
        assert tokenizer.token_to_id(piece) == id_, piece
    folder.mkdir(parents=True, exist_ok=True)
    data = gzip.compress(tiny_graph(tokenizer.get_vocab_size()), compresslevel=9, mtime=0)
    (folder / GRAPH).write_bytes(data)
    shutil.copy(TOKENIZER, folder / "tokenizer.json")
    chosen = SETTINGS | settings
    meta = {
        "format": FORMAT,
        "name": "slant_encoder",
        "labels": list(LABELS),
        "max_len": chosen["max_len"],
        "threshold": chosen["threshold"],
        "candidate_bias": chosen["candidate_bias"],
        "combine": chosen["combine"],
        "crf_weight": chosen["crf_weight"],
        "sha256": hashlib.sha256(data).hexdigest(),
        "tokenizer_sha256": hashlib.sha256((folder / "tokenizer.json").read_bytes()).hexdigest(),
        "settings": {"test_artefact": "tests/slant/conftest.py: a hand-set embedding table, not trained"},
    }
    (folder / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    return folder
