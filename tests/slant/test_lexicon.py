"""The slant cue lists are data: loaded, validated (E712), extended by the user's files."""

from __future__ import annotations

import pytest

from fogwatch.errors import UsageError
from fogwatch.slant.lexicon import load_cues, parse_cues


def test_packaged_files_load_the_same_with_libyaml_as_with_pyyaml():
    """load_cues reads the packaged files with libyaml's parser (start-up time); a user's go through PyYAML's."""
    import yaml

    from fogwatch.slant.lexicon import PACKAGED_LOADER, _packaged_texts

    for text, origin in _packaged_texts():
        assert yaml.load(text, Loader=PACKAGED_LOADER) == yaml.safe_load(text), origin


def test_packaged_cues_load_and_match_phrases_and_prefixes():
    cues = load_cues()
    assert {"loaded", "name_calling", "flag_waving", "doubt", "intensifier", "minimisation"} <= set(cues.names)
    found = {(s, e, c) for s, e, c in cues.index().matches("a barbaric attack , so to speak , on our country".split())}
    assert (1, 2, "loaded") in found  # barbar*
    assert (9, 11, "flag_waving") in found  # a two-word phrase


@pytest.mark.parametrize(
    "text",
    [
        "cues: [a, b]",  # not a mapping of lists
        "cues:\n  loaded: [1, 2]",  # not phrases
        "cues:\n  loaded: evil",  # not a list
        "other: {}",  # unknown key
        "cues: {loaded: [evil]\n",  # not YAML
        "cues:\n  'bad name!': [x]",
    ],
)
def test_bad_cue_files_are_e712(text):
    with pytest.raises(UsageError) as err:
        parse_cues(text, "user.yaml")
    assert "E712" in str(err.value)


def test_user_file_adds_phrases(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("cues:\n  loaded:\n    - skulduggery\n  fresh_list: [hooey]\n", encoding="utf-8")
    cues = load_cues([str(path)])
    assert ("skulduggery",) in cues.cues["loaded"] and ("evil",) in cues.cues["loaded"]
    assert cues.cues["fresh_list"] == (("hooey",),)


def test_rule_cues_feed_rules_not_features(tmp_path):
    cues = load_cues()
    assert "denying_label" in cues.rule_only and "denying_label" in cues.cues
    words = "the so-called peaceful opposition".split()
    assert not any(c == "denying_label" for _, _, c in cues.index().matches(words))  # the tagger's features never see it
    assert (1, 2, "denying_label") in cues.rule_index().matches(words)
    assert {r.name for r in cues.rules} >= {"softened-blame", "denying-label", "atrocity-list"}


@pytest.mark.parametrize(
    "rule",
    [
        "{name: x, technique: Not_A_Technique, cues: [loaded], min_hits: 1, score: 0.5}",
        "{name: x, technique: Doubt, cues: [loaded], min_hits: 0, score: 0.5}",
        "{name: x, technique: Doubt, cues: [loaded], min_hits: 1, score: 1.5}",
        "{name: x, technique: Doubt, cues: [loaded], min_hits: 1, score: 0.5, extend: 99}",
        "{name: x, technique: Doubt, cues: loaded, min_hits: 1, score: 0.5}",
    ],
)
def test_bad_rules_are_e712(tmp_path, rule):
    path = tmp_path / "rules.yaml"
    path.write_text(f"rules:\n  - {rule}\n", encoding="utf-8")
    with pytest.raises(UsageError) as err:
        load_cues([str(path)])
    assert "E712" in str(err.value)


def test_a_rule_naming_an_unknown_list_is_e712(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - {name: x, technique: Doubt, cues: [nowhere], min_hits: 1, score: 0.5}\n", encoding="utf-8")
    with pytest.raises(UsageError, match="E712"):
        load_cues([str(path)])
