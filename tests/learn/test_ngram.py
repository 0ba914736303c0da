"""The numpy inference of trained artefacts: features as scikit-learn makes them, loading, coded errors."""

from __future__ import annotations

import hashlib
import json
import math
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from fogwatch.errors import Code, ModelError
from fogwatch.learn.ngram import FORMAT, char_ngrams, load_model_folder, models_dir, ngrams


def test_word_ngrams_follow_scikit_learns_word_analyzer():
    # token pattern \b\w\w+\b: one-letter words are dropped, case is folded
    assert ngrams("A drone hit a Base, a drone!") == {"drone": 2, "hit": 1, "base": 1, "drone hit": 1, "hit base": 1, "base drone": 1}


def test_char_ngrams_follow_scikit_learns_char_wb_analyzer():
    grams = char_ngrams("Go  go", 3, 4)
    # " go " padded once per word; a word shorter than n is counted once, then longer n stop
    assert grams == {" go": 2, "go ": 2, " go ": 2}
    assert char_ngrams("raid", 3, 3) == {" ra": 1, "rai": 1, "aid": 1, "id ": 1}


_TEXTS = ["Go  go", "raid", "A drone hit a Base, a drone!", "x", "ab abc abcd abcde abcdef", "Al-Shabaab's IED: 3 killed (Mogadishu)", ""]


def test_char_and_word_ngrams_equal_scikit_learns_on_edge_cases():
    sklearn_text = pytest.importorskip("sklearn.feature_extraction.text")
    for text in _TEXTS:
        for lo, hi in ((3, 5), (2, 4), (3, 3)):
            want = sklearn_text.CountVectorizer(analyzer="char_wb", ngram_range=(lo, hi)).build_analyzer()(text)
            assert char_ngrams(text, lo, hi) == Counter(want), (text, lo, hi)
        want = sklearn_text.CountVectorizer(analyzer="word", ngram_range=(1, 2)).build_analyzer()(text)
        assert ngrams(text, 2) == Counter(want), text


def test_block_features_are_the_tfidf_of_its_grams():
    """The fast path (gram lists, np.unique) gives what the counted grams give."""
    model = load_model_folder(models_dir() / "event_types")
    for block in model.blocks:
        for text in _TEXTS:
            idx, vals = block.features(text)
            counts = {block.vocabulary[g]: c for g, c in block.grams(text).items() if g in block.vocabulary}
            want = {j: (1.0 + math.log(c)) * float(block.idf[j]) for j, c in counts.items()}
            norm = math.sqrt(sum(v * v for v in want.values())) or 1.0
            assert dict(zip(idx.tolist(), vals.tolist())) == pytest.approx({j: v / norm for j, v in want.items()}, abs=1e-12)


def _write_artefact(folder: Path, vocab: list[str], idf: list[float], weights: np.ndarray, bias: list[float], classes: list[str], extra: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        folder / "model.npz",
        vocabulary_0=np.array(vocab),
        idf_0=np.array(idf, dtype=np.float32),
        weights=weights.astype(np.float16),
        bias=np.array(bias, dtype=np.float32),
    )
    meta = {
        "format": FORMAT,
        "name": "tiny",
        "classes": classes,
        "blocks": [{"kind": "word", "min_n": 1, "max_n": 1}],
        "extra_features": extra,
        "threshold": 0.5,
        "sha256": hashlib.sha256((folder / "model.npz").read_bytes()).hexdigest(),
    }
    (folder / "meta.json").write_text(json.dumps(meta))


@pytest.fixture
def tiny(tmp_path) -> Path:
    folder = tmp_path / "tiny"
    weights = np.array([[2.0, 0.0, 1.0], [0.0, 1.0, -1.0]])  # columns: "drone", "march", extra "rule=x"
    _write_artefact(folder, ["drone", "march"], [1.5, 2.0], weights, [0.0, 0.25], ["strike", "protest"], ["rule=x"])
    return folder


def test_probabilities_are_the_softmax_of_sublinear_l2_normalised_tfidf(tiny):
    model = load_model_folder(tiny)
    p = model.predict_proba("drone drone march", {"rule=x": 1.0})
    tf_drone, tf_march = (1 + math.log(2)) * 1.5, 1.0 * 2.0
    norm = math.hypot(tf_drone, tf_march)
    s_strike = 2.0 * tf_drone / norm + 1.0
    s_protest = 1.0 * tf_march / norm - 1.0 + 0.25
    expected = math.exp(s_strike) / (math.exp(s_strike) + math.exp(s_protest))
    assert p["strike"] == pytest.approx(expected, rel=1e-3)
    assert sum(p.values()) == pytest.approx(1.0)
    # no known word and no extra feature: the biases alone decide
    q = model.predict_proba("nothing known here")
    assert q["protest"] == pytest.approx(math.exp(0.25) / (1 + math.exp(0.25)), rel=1e-3)


def test_missing_artefact_is_E701(tmp_path):
    with pytest.raises(ModelError) as err:
        load_model_folder(tmp_path / "nowhere")
    assert err.value.code == Code.MODEL_MISSING and "E701" in str(err.value)


@pytest.mark.parametrize("damage", ["truncate", "meta-garbage", "wrong-format", "shape"])
def test_corrupt_artefact_is_E702(tiny, damage):
    if damage == "truncate":
        data = (tiny / "model.npz").read_bytes()
        (tiny / "model.npz").write_bytes(data[: len(data) // 2])
    elif damage == "meta-garbage":
        (tiny / "meta.json").write_text("{not json")
    elif damage == "wrong-format":
        meta = json.loads((tiny / "meta.json").read_text())
        meta["format"] = "something-else/9"
        (tiny / "meta.json").write_text(json.dumps(meta))
    else:  # weights one column short, checksum made to match: the shape check must catch it
        _write_artefact(tiny, ["drone", "march"], [1.5, 2.0], np.zeros((2, 2)), [0.0, 0.0], ["strike", "protest"], ["rule=x"])
    with pytest.raises(ModelError) as err:
        load_model_folder(tiny)
    assert err.value.code == Code.MODEL_CORRUPT and "E702" in str(err.value)


def test_the_packaged_event_type_model_loads_offline_with_its_data_card():
    folder = models_dir() / "event_types"
    model = load_model_folder(folder)
    assert len(model.classes) == 26 and "(none)" in model.classes
    card = (folder / "card.md").read_text()
    for must in ("ACLED", "acleddata.com", "CASE 2021", "held-out", "python scripts/train_event_types.py"):
        assert must in card
    size = sum(p.stat().st_size for p in folder.iterdir())
    assert size < 30 * 2**20  # the budget for every committed artefact together


def test_a_copy_of_the_packaged_model_with_one_flipped_byte_is_refused(tmp_path):
    copy = tmp_path / "event_types"
    shutil.copytree(models_dir() / "event_types", copy)
    data = bytearray((copy / "model.npz").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (copy / "model.npz").write_bytes(bytes(data))
    with pytest.raises(ModelError) as err:
        load_model_folder(copy)
    assert err.value.code == Code.MODEL_CORRUPT
