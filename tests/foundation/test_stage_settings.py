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
