"""Sub-event typing by the trained model with the rules as features and fallback."""

from __future__ import annotations

import pytest

from fogwatch.errors import Code, ModelError
from fogwatch.events.classify import classify_text
from fogwatch.events.typer import NO_EVENT, EventTyper, direction_by_rules, may_become, rule_features, type_text

# written for these tests: clear cases any typer must get
CLEAR = [
    ("Warplanes bombed a market in the town on Tuesday, killing nine people.", "Air/drone strike"),
    ("Police arrested four men suspected of planning attacks in the capital.", "Arrests"),
    ("Hundreds of teachers marched peacefully to parliament to demand unpaid wages.", "Peaceful protest"),
    ("Gunmen abducted two aid workers from their car near the border crossing.", "Abduction/forced disappearance"),
    ("A roadside bomb exploded under a military truck, wounding three soldiers.", "Remote explosive/landmine/IED"),
]


@pytest.mark.parametrize("text,expected", CLEAR)
def test_clear_reports_are_typed(text, expected):
    decision = type_text(text)
    assert decision.label == expected, decision
    assert decision.reason in ("model", "rules (model below threshold)")
    assert decision.rules_label == classify_text(text)[0]


def test_a_missing_model_falls_back_to_the_rules_and_says_so():
    missing = ModelError("model artefact missing: /nowhere", Code.MODEL_MISSING)
    typer = EventTyper(use_model=True)
    typer.model, typer.error = None, missing
    text, expected = CLEAR[0]
    decision = typer(text)
    assert decision.label == classify_text(text)[0] == expected
    assert decision.reason.startswith("rules (model unavailable: [E701]")


def test_abstention_below_the_threshold_gives_the_rules_answer():
    typer = EventTyper(threshold=1.01)  # the model can never be that sure: it always abstains
    for text, _ in CLEAR:
        d = typer(text)
        assert d.reason == "rules (model below threshold)"
        assert d.label == classify_text(text)[0]


def test_rules_only_typer():
    d = EventTyper(use_model=False)(CLEAR[1][0])
    assert d.reason == "rules" and d.label == "Arrests"


def test_rule_features_name_the_rules_decision_and_the_trigger_tiers():
    feats = rule_features("Warplanes bombed a market.")
    assert feats["rule=Air/drone strike"] == 1.0
    assert any(k.startswith("trigger=Air/drone strike/3") for k in feats)
    assert rule_features("The weather was fine.") == {"rule=(none)": 1.0}


def test_every_extracted_event_says_what_typed_it():
    import fogwatch

    doc = fogwatch.analyze_text(
        "Warplanes bombed a market in the town of Maarat on Tuesday, killing nine people. "
        "Police arrested four men in the capital on Wednesday.",
        doc_id="t",
        published="2020-02-05",
    )
    assert doc.events
    for event in doc.events:
        assert event.type_reason in ("rules", "rules+model") or event.type_reason.startswith(("model (rules: ", "rules ("))
        assert event.to_contract()["type_reason"] == event.type_reason


def test_without_the_model_the_assembler_is_the_rules_alone():
    import fogwatch
    from fogwatch.events.actors import registry_from_env
    from fogwatch.events.assemble import extract_events

    text = "Warplanes bombed a market in the town of Maarat on Tuesday, killing nine people."
    doc = fogwatch.analyze_text(text, doc_id="t", published="2020-02-05")
    rules_only = extract_events(doc, registry_from_env(), None, None)
    assert rules_only and all(e.type_reason == "rules" for e in rules_only)
    with_model = extract_events(doc, registry_from_env(), None, EventTyper())
    assert with_model and {e.evidence[0].start for e in with_model} <= {e.evidence[0].start for e in rules_only}  # retypes, never adds


@pytest.fixture
def no_encoder(tmp_path, monkeypatch):
    """The packaged models folder without the encoder's artefact: a real missing file, not a stand-in."""
    import shutil

    import fogwatch.events.typer as typer_mod
    import fogwatch.learn.encoder as encoder_mod
    from fogwatch.learn.ngram import models_dir

    shutil.copytree(models_dir() / "event_types", tmp_path / "event_types")
    monkeypatch.setattr(encoder_mod, "models_dir", lambda: tmp_path)
    encoder_mod.load_encoder.cache_clear()
    typer_mod._default_encoder.cache_clear()
    yield
    encoder_mod.load_encoder.cache_clear()
    typer_mod._default_encoder.cache_clear()


def test_a_missing_encoder_leaves_the_ngram_model_and_the_rules(no_encoder):
    typer = EventTyper()
    assert typer.encoder is None and typer.encoder_error is not None and typer.encoder_error.code == Code.MODEL_MISSING
    assert typer.model is not None and typer.threshold == typer.model.meta["threshold"]
    for text, expected in CLEAR:
        d = typer(text)
        assert d.label == expected and d.reason in ("model", "rules (model below threshold)")


def test_the_shipped_typer_blends_the_encoder_with_the_ngram_model():
    typer = EventTyper()
    assert typer.encoder is not None, typer.encoder_error
    assert 0.0 <= typer.encoder_weight <= 1.0 and typer.threshold == typer.encoder.meta["blend"]["threshold"]
    text = CLEAR[0][0]
    blended = typer.probabilities(text, classify_text(text)[0])
    assert abs(sum(blended.values()) - 1.0) < 1e-6 and max(blended, key=lambda c: blended[c]) == CLEAR[0][1]


def test_a_tactic_word_keeps_the_rules_type_without_running_the_models():
    typer = EventTyper()
    calls = []
    typer.probabilities = lambda *a: calls.append(a) or {}  # type: ignore[method-assign]
    assert typer.retype("A roadside bomb exploded near the convoy.", "Remote explosive/landmine/IED", tactic=True) == (
        "Remote explosive/landmine/IED",
        "rules (tactic word)",
    )
    assert calls == []


def test_the_encoder_runs_only_where_it_could_change_the_type(shared):
    """retype skips the encoder when no other type could reach the bar for a change: same types as always running it."""
    import json
    import re

    from fogwatch.events.typer import direction_by_rules, may_become

    typer = EventTyper(change_threshold=0.35, encoder_gate=0.0)  # a low bar, so that many clauses could change; no gate
    assert typer.encoder is not None, typer.encoder_error
    clauses = _fakes_event_sentences(shared)
    got = [typer.retype(text, label) for text, label in clauses]
    calls = typer.encoder_calls
    assert 0 < calls < len(clauses)  # some clauses needed it, most did not
    for (text, label), (typed, _) in zip(clauses, got):
        blended = direction_by_rules(typer._blend(text, label, typer._ngram_proba(text, label)), label)  # the encoder always consulted
        best = max(blended, key=lambda c: blended[c])
        changes = may_become(label, best) and blended[best] >= max(typer.threshold, typer.change_threshold)
        assert typed == (best if changes else label), text


def _fakes_event_sentences(shared) -> list[tuple[str, str]]:
    """(sentence, the rules' type) of the first 30 FA-KES documents' sentences the rules type."""
    import json
    import re

    clauses = []
    with open(shared / "corpus" / "fakes" / "fakes.jsonl", encoding="utf-8") as fh:
        for line in list(fh)[:30]:
            for sentence in re.split(r"(?<=[.!?])\s+", json.loads(line)["text"]):
                label, _ = classify_text(sentence)
                if label:
                    clauses.append((sentence, label))
    assert len(clauses) >= 50
    return clauses


def test_the_encoder_gate_reads_only_clauses_the_ngram_model_doubts(shared):
    """With a gate, a clause whose n-gram probabilities give no type it may become the gate's probability keeps the
    type the n-gram model alone gives it (the encoder unread); every other clause is typed as without the gate."""
    from fogwatch.events.typer import may_become

    clauses = _fakes_event_sentences(shared)
    free, gated = EventTyper(change_threshold=0.35, encoder_gate=0.0), EventTyper(change_threshold=0.35, encoder_gate=0.2)
    assert gated.encoder is not None, gated.encoder_error
    unread = 0
    without_gate = [free.retype(text, label) for text, label in clauses]
    for (text, label), typed_freely in zip(clauses, without_gate):
        proba = gated._ngram_proba(text, label)
        below = not any(p >= 0.2 for c, p in proba.items() if may_become(label, c))
        calls = gated.encoder_calls
        typed, reason = gated.retype(text, label)
        if below:
            unread += 1
            assert gated.encoder_calls == calls and typed == label and reason in ("rules", "rules+model"), text
        else:
            assert (typed, reason) == typed_freely, text
    assert 0 < unread < len(clauses) and gated.encoder_calls < free.encoder_calls


# (rules' type, learned type, may the learned side change it in running text?)
MAY_BECOME = [
    ("Shelling/artillery/missile attack", "Armed clash", False),  # "killed in strikes" stays remote violence
    ("Shelling/artillery/missile attack", "Air/drone strike", True),  # within the family: the models may refine it
    ("Armed clash", "Attack", True),
    ("Peaceful protest", "Violent demonstration", True),
    ("Government regains territory", "Non-state actor overtakes territory", False),  # who took it: the rules' reading
    ("Armed clash", "Armed clash", False),
    ("Armed clash", NO_EVENT, False),
]


@pytest.mark.parametrize("rules_label,label,expected", MAY_BECOME)
def test_what_the_learned_side_may_change_in_running_text(rules_label, label, expected):
    assert may_become(rules_label, label) is expected


def test_territory_direction_stays_with_the_rules_and_its_probability_is_pooled():
    proba = {"Government regains territory": 0.3, "Non-state actor overtakes territory": 0.4, "Armed clash": 0.3}
    merged = direction_by_rules(proba, "Non-state actor overtakes territory")
    assert merged == {"Non-state actor overtakes territory": 0.7, "Armed clash": 0.3}
    assert direction_by_rules(proba, "Armed clash") == proba
    typer = EventTyper(change_threshold=0.35)
    assert typer._decide(merged, "Non-state actor overtakes territory") == ("Non-state actor overtakes territory", "rules+model")


def test_the_change_bar_is_a_setting():
    assert EventTyper(change_threshold=0.5).change_threshold == 0.5
    import fogwatch
    from fogwatch.errors import UsageError

    with pytest.raises(UsageError, match="retype_threshold"):
        fogwatch.load(config={"events": {"retype_threshold": 1.5}})


def test_the_encoder_gate_is_a_setting_and_the_packaged_one_comes_from_meta():
    import fogwatch
    from fogwatch.errors import UsageError

    typer = EventTyper()
    assert typer.encoder is not None, typer.encoder_error
    assert typer.encoder_gate == typer.encoder.meta["blend"].get("encoder_gate", 0.0)
    assert EventTyper(encoder_gate=0.3).encoder_gate == 0.3
    with pytest.raises(UsageError, match="encoder_gate"):
        fogwatch.load(config={"events": {"encoder_gate": -0.1}})
