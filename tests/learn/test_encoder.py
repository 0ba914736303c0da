"""The ONNX sub-event encoder: it loads offline from the package, and a bad artefact is a coded error."""

from __future__ import annotations

import gzip
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from fogwatch.checksum import sha256_file
from fogwatch.errors import Code, ModelError
from fogwatch.learn.encoder import FORMAT, GRAPH, load_encoder, load_encoder_folder
from fogwatch.learn.ngram import models_dir

PACKAGED = models_dir() / "event_encoder"


@pytest.fixture
def copy(tmp_path) -> Path:
    folder = tmp_path / "event_encoder"
    shutil.copytree(PACKAGED, folder)
    return folder


def test_the_packaged_encoder_loads_offline_and_types_clear_reports(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # nothing is fetched: the graph and tokenizer ship in the package
    model = load_encoder("event_encoder")
    assert model.meta["format"] == FORMAT and len(model.classes) == 26 and "(none)" in model.classes
    p = model.predict_proba_batch(
        ["Warplanes bombed a market in the town, killing nine people.", "Police arrested four men suspected of planning attacks."]
    )
    assert p.shape == (2, 26) and np.allclose(p.sum(axis=1), 1.0)
    assert model.classes[int(p[0].argmax())] == "Air/drone strike"
    assert model.classes[int(p[1].argmax())] == "Arrests"
    assert model.predict_proba_batch([]).shape == (0, 26)


def test_the_artefacts_stay_small():
    total = sum(f.stat().st_size for f in models_dir().rglob("*") if f.is_file() and f.parent.name in ("event_encoder", "event_types"))
    assert total < 30 * 2**20
    assert (PACKAGED / GRAPH).stat().st_size < 20 * 2**20  # the graph ships gzip-compressed


def test_a_missing_file_is_E701(copy):
    (copy / GRAPH).unlink()
    with pytest.raises(ModelError) as err:
        load_encoder_folder(copy)
    assert err.value.code == Code.MODEL_MISSING and GRAPH in str(err.value)
    with pytest.raises(ModelError) as err:
        load_encoder_folder(copy.parent / "nowhere")
    assert err.value.code == Code.MODEL_MISSING


def test_a_changed_graph_fails_its_checksum_E702(copy):
    data = bytearray((copy / GRAPH).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (copy / GRAPH).write_bytes(bytes(data))
    with pytest.raises(ModelError) as err:
        load_encoder_folder(copy)
    assert err.value.code == Code.MODEL_CORRUPT and "SHA-256" in str(err.value)


@pytest.mark.parametrize("content", [gzip.compress(b"not an onnx graph"), b"not even gzip"], ids=["not-onnx", "not-gzip"])
def test_a_graph_onnxruntime_cannot_read_is_E702_even_with_a_matching_checksum(copy, content):
    (copy / GRAPH).write_bytes(content)
    meta = json.loads((copy / "meta.json").read_text())
    meta["sha256"] = sha256_file(copy / GRAPH)
    (copy / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError) as err:
        load_encoder_folder(copy)
    assert err.value.code == Code.MODEL_CORRUPT and "cannot be read" in str(err.value)


def test_a_meta_file_of_another_format_or_class_count_is_E702(copy):
    (copy / "meta.json").write_text("{not json")
    with pytest.raises(ModelError) as err:
        load_encoder_folder(copy)
    assert err.value.code == Code.MODEL_CORRUPT
    meta = json.loads((PACKAGED / "meta.json").read_text())
    meta["classes"] = meta["classes"][:3]
    (copy / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError) as err:
        load_encoder_folder(copy)
    assert err.value.code == Code.MODEL_CORRUPT and "do not match" in str(err.value)


def test_without_onnxruntime_the_encoder_is_E703(copy, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # what Python does for a package that is not installed
    with pytest.raises(ModelError) as err:
        load_encoder_folder(copy)
    assert err.value.code == Code.MODEL_RUNTIME
