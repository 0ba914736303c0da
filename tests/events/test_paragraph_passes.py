"""Paragraph case table (paragraph_cases.yaml) through the whole pipeline, and the passes' own edges."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

CASES = yaml.safe_load(Path(__file__).with_name("paragraph_cases.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def analyze():
    import fogwatch

    return lambda text: fogwatch.analyze_text(text, doc_id="case", published="2024-03-06")


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:50] for c in CASES])
def test_paragraph_case(analyze, case):
    events = analyze(case["text"]).events
    got = [(e.sub_event_type, e.actor1.name if e.actor1 else None, e.actor2.name if e.actor2 else None, e.fatalities) for e in events]
    assert len(events) == len(case["events"]), got
    for event, want in zip(events, case["events"]):
        assert event.sub_event_type == want["sub"], got
        for key in ("actor1", "actor2"):
            if key in want:
                actor = getattr(event, key)
                assert (actor.name if actor else None) == want[key], got
        if "fatalities" in want:
            assert event.fatalities == want["fatalities"], got
        assert event.modality == want.get("modality", event.modality if event.modality != "hypothetical" else "?"), got


def test_a_protest_pass_says_it_changed_the_type(analyze):
    [event] = analyze(CASES[0]["text"]).events
    assert event.type_reason.startswith("rules (")
    assert len(event.evidence) == 2  # the protest's sentence and its dispersal's


def test_a_dispersal_names_the_force_of_the_protests_year():
    """The force that dispersed a protest is named for the protest's date, not today's ("(2002-2013)" in 2005)."""
    import fogwatch

    text = "Hundreds of students protested in Nairobi on Monday. Police fired tear gas to disperse the protesters."
    [event] = fogwatch.analyze_text(text, doc_id="case", published="2005-05-06").events
    assert event.actor2 is not None and event.actor2.name == "Police Forces of Kenya (2002-2013)"


def test_an_attack_with_no_target_named_is_on_civilians():
    """ACLED's attack is violence against civilians: the rules name civilians when the text names no target actor."""
    import fogwatch

    nlp = fogwatch.load(config={"events": {"use_actor_model": False}})
    [event] = nlp("Unknown gunmen killed a lawyer at her home in Nakuru on Monday.", published="2024-03-06").events
    assert event.sub_event_type == "Attack" and event.actor2 is not None
    assert event.actor2.name == "Civilians (Kenya)" and "targets civilians" in (event.actor2.reason or "")


def test_a_claimed_attack_quotes_the_claim():
    """Without the actor-kinds model (which may name the group first), the rule names the claimant and quotes it."""
    import fogwatch

    case = next(c for c in CASES if "claimed responsibility" in c["text"])
    nlp = fogwatch.load(config={"events": {"use_actor_model": False}})
    [event] = nlp(case["text"], published="2024-03-06").events
    assert event.actor1 is not None and event.actor1.name == "Al Shabaab"
    assert "Al-Shabaab claimed responsibility" in (event.actor1.reason or "")


def test_a_claim_about_another_report_names_no_actor(analyze):
    """The claim must follow the event in its paragraph: a claim in a later paragraph is no attribution."""
    text = ("A roadside bomb killed two soldiers near Kismayo on Sunday.\n\n"
            "In a separate statement, Al-Shabaab claimed responsibility for an attack in Baidoa last month.")
    events = analyze(text).events
    assert events and events[0].actor1 is not None and events[0].actor1.name != "Al Shabaab"
