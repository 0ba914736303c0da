"""The slant cue lists are data: loaded, validated (E712), extended by the user's files."""

from __future__ import annotations

import pytest

from fogwatch.errors import UsageError
from fogwatch.slant.lexicon import load_cues, parse_cues


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
