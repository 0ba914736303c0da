"""The claimant registry: spellings and descriptions -> one source with its kind; non-sources never emitted."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fogwatch.errors import Code, UsageError
from fogwatch.events.claimants import KINDS, load_claimants

from .helpers import events_of

CASES = yaml.safe_load((Path(__file__).parent / "claimant_cases.yaml").read_text(encoding="utf-8"))["cases"]


@pytest.fixture(scope="module")
def reg():
    return load_claimants(use_env=False)


@pytest.mark.parametrize(
    "spelling",
    ["monitor", "the monitor", "Observatory", "the Britain-based Observatory", "SOHR", "Syrian Observatory for Human Rights",
     "Britain-based Syrian Observatory for Human Rights monitor", "UK-based opposing Syrian Observatory", "war monitor",
     "Syrian Observatory for Human Rights monitoring group", "Observatory chief Rami Abdel Rahman", "so-called Syrian Observatory for Human Rights"],
)
def test_sohr_spellings_are_one_source(reg, spelling):
    found = reg.lookup(spelling)
    assert found is not None and found.name == "Syrian Observatory for Human Rights" and found.kind == "monitor"
    assert reg.key(spelling) == "Syrian Observatory for Human Rights"


@pytest.mark.parametrize("text", ["Last month bombings", "countrys eastern Deir ezzor province", "On Wednesday IS", "Idlib province"])
def test_non_sources_are_refused(reg, text):
    assert reg.clean(text) == (None, None)


@pytest.mark.parametrize(
    "text, kept",
    [("Idleb Meanwhile civil sources", "civil sources"), ("Activists in Idlib province", "Activists"), ("local sources", "local sources")],
)
def test_dates_adverbs_and_places_are_cut(reg, text, kept):
    assert reg.clean(text) == (kept, None)


@pytest.mark.parametrize("text", ["Turkish state media", "a Kurdish monitor", "Russian state television", "Iraqi rescue workers"])
def test_a_qualified_description_names_no_source(reg, text):
    assert reg.lookup(text) is None


def test_a_description_is_the_source_named_before_it(reg):
    snhr, reuters, sana = (reg.sources[n] for n in ("Syrian Network for Human Rights", "Reuters", "Syrian Arab News Agency"))
    assert reg.lookup("the monitor", [snhr, reuters]) == snhr
    assert reg.lookup("the monitor", lambda: [reuters]).name == "Syrian Observatory for Human Rights"  # no monitor named: the default
    assert reg.lookup("state media", [reuters]) == sana  # Reuters is media, but not one "state media" may be
    assert reg.key("the monitor") == "Syrian Observatory for Human Rights"  # without a document: the default


def test_named_in_finds_names_not_descriptions(reg):
    text = "SOHR said so. The monitor added that the Syrian Network for Human Rights agreed."
    assert [s.name for _, s in reg.named_in(text)] == ["Syrian Observatory for Human Rights", "Syrian Network for Human Rights"]


def test_every_kind_is_known(reg):
    assert reg.sources and all(s.kind in KINDS for s in reg.sources.values())


@pytest.mark.parametrize("case", CASES, ids=[c["sentence"][:40] for c in CASES])
def test_sentences(case):
    events = events_of(case["sentence"])
    claims = [c for e in events for c in e.claims]
    assert claims, "the sentence's figure is read"
    assert claims[0].claimant == case["claimant"]
    assert claims[0].source == case["source"]
    contract = claims[0].to_contract()
    assert contract["claimant"] == case["claimant"]
    assert (contract["claimant_source"] or {}).get("name") == case["source"]


def test_user_files_extend_the_registry(tmp_path, monkeypatch):
    (tmp_path / "mine.yaml").write_text(
        "claimants:\n  - name: Sinjar Monitor\n    kind: monitor\n    aliases: [the Sinjar watchers]\n"
        "not_sources:\n  heads: [parade]\n", encoding="utf-8")
    monkeypatch.setenv("FOGWATCH_CLAIMANTS", str(tmp_path))
    reg = load_claimants()
    assert reg.lookup("the Sinjar watchers").name == "Sinjar Monitor"
    assert reg.clean("the victory parade") == (None, None)
    assert reg.lookup("SOHR").name == "Syrian Observatory for Human Rights"  # the built-in ones stay


@pytest.mark.parametrize(
    "content, words",
    [
        ("claimants: 5\n", "must be a list"),
        ("claimants:\n  - kind: monitor\n", "needs a `name`"),
        ("claimants:\n  - name: X\n    kind: blogger\n", "`kind` must be one of"),
        ("claimants:\n  - name: X\n    kind: media\n    aliases: oops\n", "`aliases` must be a list"),
        ("not_sources: [a]\n", "`not_sources` must be a mapping"),
        ("claimants: [\n", "not valid YAML"),
        ("sources: []\n", "unknown key"),
        ("a: &x [1]\nb: *x\n", "alias"),
    ],
)
def test_malformed_files_stop_with_e603(tmp_path, content, words):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as err:
        load_claimants([str(path)], use_env=False)
    assert err.value.code == Code.CLAIMANT_REGISTRY and "E603" in str(err.value) and words in str(err.value) and "bad.yaml" in str(err.value)


def test_missing_file_is_e603(tmp_path):
    with pytest.raises(UsageError) as err:
        load_claimants([str(tmp_path / "nope.yaml")], use_env=False)
    assert err.value.code == Code.CLAIMANT_REGISTRY
