"""Stage settings are arguments of the pipeline, checked when it is built (no environment variables)."""

from __future__ import annotations

import json

import pytest

from fogwatch.errors import Code, PipelineError
from fogwatch.pipeline import Pipeline, default_pipeline
from fogwatch.records import Document

# written for this test
TEXT = "Warplanes bombed a market in the town of Maarat on Tuesday, killing nine people. A loitering munition slammed into a fuel depot near the port on Wednesday."


@pytest.mark.parametrize(
    "settings",
    [
        {"events": {"no_such_setting": 1}},  # a factory stage without that keyword
        {"sections": {"anything": True}},  # a stage that takes no settings at all
        {"slant-of-the-future": {"x": 1}},  # a stage the pipeline does not run
    ],
)
def test_bad_settings_stop_the_build_with_E206(settings):
    with pytest.raises(PipelineError) as err:
        Pipeline(["sections", "sentences", "places", "events"], settings)
    assert err.value.code == Code.STAGE_SETTINGS and "E206" in str(err.value)


def test_the_events_stage_without_the_model_is_the_rules_alone():
    nlp = default_pipeline(settings={"events": {"use_model": False}})
    doc = nlp(Document(doc_id="t", text=TEXT))
    assert doc.events and all(e.type_reason == "rules" for e in doc.events)


def test_extract_rules_only_and_lexicon_options(run_cli, tmp_path):
    src = tmp_path / "r.txt"
    src.write_text(TEXT)
    proc = run_cli("extract", "--rules-only", "--jobs", "1", str(src))
    assert proc.returncode == 0, proc.stderr
    events = json.loads(proc.stdout)["events"]
    assert events and {e["type_reason"] for e in events} == {"rules"}
    assert not any(span["start"] >= TEXT.index("A loitering") for e in events for span in e["evidence"])  # no rule knows the depot's weapon

    mine = tmp_path / "mine.yaml"
    mine.write_text("triggers:\n  Air/drone strike: {3: [loitering munition*]}\n")
    proc = run_cli("extract", "--lexicon", str(mine), "--jobs", "1", str(src))
    assert proc.returncode == 0, proc.stderr
    depot = TEXT.index("A loitering")
    strikes = [e for e in json.loads(proc.stdout)["events"] if e["sub_event_type"] == "Air/drone strike"]
    # through the user's phrase the depot sentence is an air strike too (undated and unplaced, it joins the market's event)
    assert any(span["start"] >= depot for e in strikes for span in e["evidence"])

    proc = run_cli("extract", "--lexicon", str(tmp_path / "missing.yaml"), str(src))
    assert proc.returncode == 2 and b"E602" in proc.stderr and b"Traceback" not in proc.stderr


def test_actor_files_are_a_setting_of_the_events_stage_not_an_environment_variable(tmp_path, monkeypatch):
    import os

    from fogwatch.cli.extract import build_pipeline

    monkeypatch.delenv("FOGWATCH_ACTORS", raising=False)
    registry = tmp_path / "mine.yaml"
    registry.write_text("actors:\n  - name: Northern Shield Brigade\n    inter: 3\n    aliases: [Northern Shield fighters]\n", encoding="utf-8")
    text = "Northern Shield fighters attacked an army checkpoint near Tal Tamr on 3 May 2021, killing two soldiers."
    before = dict(os.environ)
    nlp = build_pipeline(None, None, False, [str(registry)])
    assert dict(os.environ) == before  # nothing rewritten: settings travel as arguments
    assert nlp.config["events"] == {"actor_paths": (str(registry),)}
    names = {a.name for e in nlp(text).events for a in (e.actor1, e.actor2) if a}
    assert "Northern Shield Brigade" in names
    # a pipeline built without the setting does not know the actor: nothing leaked into the process
    plain = {a.name for e in default_pipeline()(text).events for a in (e.actor1, e.actor2) if a}
    assert "Northern Shield Brigade" not in plain
