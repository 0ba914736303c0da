"""The event lexicon as data (fogwatch/data/lexicon): the case table, user files, and refusals with E602."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import yaml

from fogwatch.errors import Code, FogwatchError
from fogwatch.events.actors import load_registry
from fogwatch.events.assemble import extract_events
from fogwatch.events.classify import classify_text
from fogwatch.events.lexicon import CUE_NAMES, TRIGGER_KINDS, default_lexicon, load_lexicon, read_lexicon
from fogwatch.pipeline import get_component

from .helpers import make_doc, registry

CASES = yaml.safe_load((Path(__file__).with_name("lexicon_cases.yaml")).read_text(encoding="utf-8"))
LOITERING = "A loitering munition slammed into a fuel depot near the port overnight."


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_case_table(case):
    assert classify_text(case["text"])[0] == case["expect"]


def test_case_table_covers_every_sub_event_type_but_other():
    from fogwatch.events.taxonomy import SUB_EVENT_TYPES

    assert {c["expect"] for c in CASES} >= set(SUB_EVENT_TYPES) - {"Other"}


def _write(tmp_path: Path, text: str, name: str = "mine.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_user_file_adds_a_trigger_phrase(tmp_path):
    assert classify_text(LOITERING)[0] is None
    user = _write(tmp_path, "triggers:\n  Air/drone strike:\n    3:\n      - Loitering Munition*\n")
    lexicon = load_lexicon([user])
    assert classify_text(LOITERING, lexicon)[0] == "Air/drone strike"
    assert lexicon.sources[-1] == user
    assert classify_text(LOITERING)[0] is None  # the packaged lexicon is unchanged


def test_a_folder_of_user_files_and_cue_lists(tmp_path):
    _write(tmp_path, "cues:\n  nonstate: [mercenaries]\n", "a.yaml")
    _write(tmp_path, "triggers:\n  Air/drone strike: {3: [loitering munition*]}\n", "b.yml")
    lexicon = load_lexicon([str(tmp_path)])
    sentence = "Mercenaries captured the village on Monday."
    assert classify_text(sentence)[0] == "Government regains territory"
    assert classify_text(sentence, lexicon)[0] == "Non-state actor overtakes territory"
    assert classify_text(LOITERING, lexicon)[0] == "Air/drone strike"


def test_user_weak_triggers_and_group_heads_reach_event_assembly():
    lexicon = read_lexicon([*_packaged(), ("weak_triggers: [clashes]\ncues:\n  group_heads: [mercenaries]\n", "user.yaml")])
    clash = make_doc("Clashes broke out near Saraqib.")
    assert [e.sub_event_type for e in extract_events(clash, registry())] == ["Armed clash"]
    assert extract_events(clash, registry(), lexicon) == ()  # a weak word needs a date or a figure now
    shelled = make_doc("Zarqa mercenaries shelled Saraqib on Monday.")
    assert extract_events(shelled, registry())[0].actor1 is None
    events = extract_events(shelled, load_registry(use_env=False, lexicon=lexicon), lexicon)
    assert events[0].actor1 is not None and events[0].actor1.name == "Zarqa"


def _packaged() -> list[tuple[str, str]]:
    from importlib.resources import files

    folder = files("fogwatch").joinpath("data", "lexicon")
    return [(p.read_text(encoding="utf-8"), p.name) for p in sorted(folder.iterdir(), key=lambda p: p.name) if p.name.endswith(".yaml")]


def test_the_packaged_lexicon_loads_offline(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the lexicon must not touch the network")

    monkeypatch.setattr(socket, "socket", no_network)
    lexicon = read_lexicon(_packaged())
    assert list(lexicon.sources) == ["counting.yaml", "cues.yaml", "triggers.yaml", "weak_triggers.yaml"]
    assert set(lexicon.triggers) <= TRIGGER_KINDS and set(lexicon.cues) == set(CUE_NAMES)
    assert "airstrike*" in lexicon.triggers["Air/drone strike"][3] and "frontline" in lexicon.weak_triggers
    assert default_lexicon().sources == tuple(f"fogwatch/data/lexicon/{s}" for s in lexicon.sources)
    assert len(lexicon.automaton) == len(default_lexicon().automaton) > 700


def test_package_data_ships_the_lexicon():
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"data/**/*"' in pyproject


BAD_FILES = {
    "not valid YAML": "triggers:\n  Attack:\n    3: [shot\n",
    "must be a mapping": "triggers: [airstrike]\n",
    "expected a mapping": "- airstrike\n",
    "unknown section": "trigger:\n  Attack: {3: [x]}\n",
    "unknown trigger type": "triggers:\n  Drone swarm: {3: [swarm*]}\n",
    "tier 4 is not 1, 2 or 3": "triggers:\n  Attack: {4: [x]}\n",
    "12 is not a phrase": "triggers:\n  Attack: {3: [12, x]}\n",
    "None is not a phrase": "weak_triggers: [null]\n",
    "must be a list of phrases": "cues:\n  nonstate: mercenaries\n",
    "unknown cue list 'nonstat'": "cues:\n  nonstat: [x]\n",
    "'*' may only end a phrase": "triggers:\n  Attack: {3: [set* fire]}\n",
    "one gap between words": "triggers:\n  Attack: {3: [... fire]}\n",
    "trigger phrase's one gap": "cues:\n  nonstate: [set ... fire]\n",
    "anchors and aliases": "cues:\n  nonstate: &words [x, y]\n  state: *words\n",
    "appears twice": "triggers:\n  Attack: {3: [x]}\n  Attack: {3: [y]}\n",
}


@pytest.mark.parametrize("problem", BAD_FILES)
def test_a_malformed_file_stops_with_e602_naming_file_and_problem(tmp_path, problem):
    path = _write(tmp_path, BAD_FILES[problem], "broken.yaml")
    with pytest.raises(FogwatchError) as caught:
        load_lexicon([path])
    assert caught.value.code == Code.LEXICON == "E602"
    message = str(caught.value)
    assert message.startswith(f"[E602] lexicon {path}: ") and problem in message
    assert "Traceback" not in message


def test_the_anchor_check_also_guards_the_packaged_files():
    with pytest.raises(FogwatchError, match=r"E602.*anchors and aliases"):
        read_lexicon([("cues:\n  nonstate: &w [x]\n", "fogwatch/data/lexicon/cues.yaml")])


def test_a_missing_file_and_missing_cue_lists_are_e602(tmp_path):
    with pytest.raises(FogwatchError, match=r"E602.*no such file or directory"):
        load_lexicon([str(tmp_path / "nowhere.yaml")])
    with pytest.raises(FogwatchError, match=r"E602.*cue lists missing: .*nonstate"):
        read_lexicon([("triggers:\n  Attack: {3: [x]}\n", "alone.yaml")])


def test_the_events_stage_takes_lexicon_paths_as_an_argument(tmp_path):
    factory = get_component("events").func
    with pytest.raises(FogwatchError, match="E602"):
        factory(lexicon_paths=[_write(tmp_path, "triggers: 5\n")])
    assert callable(factory(lexicon_paths=[_write(tmp_path, "weak_triggers: [clashes]\n", "ok.yaml")]))


def test_a_sighting_needs_an_armed_side_before_it():
    """ "were seen" types a movement of forces only after an armed side (sentences written for this test)."""
    from fogwatch.events.classify import find_triggers
    from fogwatch.text.normalize import fold

    armed = fold("On 3 May about forty Al Shabaab fighters were seen near the well.")
    assert [t.kind for t in find_triggers(armed)] == ["Change to group/activity"]
    plain = fold("On 3 May two old friends were seen near the well.")
    assert find_triggers(plain) == []
    carried = fold("The militants, armed with heavy weapons, were sighted on 3 May.")
    assert [t.kind for t in find_triggers(carried)] == ["weapon", "Change to group/activity"]


def test_a_trigger_phrase_with_a_gap_holds_one_to_four_words_within_its_clause(tmp_path):
    from fogwatch.events.classify import find_triggers
    from fogwatch.text.normalize import fold

    def found(text: str, lexicon=None) -> list[tuple[str, str, int]]:
        return [(t.text, t.kind, t.tier) for t in find_triggers(fold(text), lexicon=lexicon)]

    assert ("set two buses on fire", "Looting/property destruction", 1) in found("Pickets set two buses on fire in Dhaka.")
    assert ("setting it alight", "Looting/property destruction", 1) in found("Youths attacked a bus, setting it alight.")
    assert found("Officials set the date of the old market's fire festival.") == []  # no "on fire" after 1-4 words
    assert found("Officials set the date. On fire safety, they said nothing.") == []  # never across punctuation
    user = _write(tmp_path, "triggers:\n  Air/drone strike:\n    3:\n      - loitering … struck*\n")  # (the ellipsis character too)
    lexicon = load_lexicon([user])
    assert found("A loitering Russian munition struck the depot.", lexicon)[0] == ("loitering russian munition struck", "Air/drone strike", 3)

