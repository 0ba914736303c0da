"""ACLED's naming conventions: registered units in brackets, named groups by word and head, the learned kinds (issue 10)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from fogwatch.errors import UsageError
from fogwatch.events.actor_kinds import ActorKinds, armed_groups_attack, attack_or_clash, kind_of, protesters_protest, rioters_riot
from fogwatch.events.actors import acled_name, load_registry
from fogwatch.events.lexicon import default_lexicon
from fogwatch.events.model import Actor, Event, EventDate, Location
from fogwatch.records import Span

from .helpers import registry


def found(sentence, country="SO", year=2025):
    r = registry()
    return [(acled_name(r.resolve(m, country, year)), m.text) for m in r.find(sentence)]


def test_a_unit_in_brackets_is_the_forces_unit_and_follows_its_name():
    assert found("Government security forces (NISA) clashed with Al Shabaab.") == [
        ("Military Forces of Somalia (2022-) National Intelligence and Security Agency", "Government security forces"),
        ("Al Shabaab", "Al Shabaab"),
    ]
    assert found("Somali soldiers (Gorgor and NISA) advanced.")[0][0] == "Military Forces of Somalia (2022-) Special Forces"
    # an acronym restating the actor in brackets is not a second actor
    assert found("Southwest Special Police Forces (SWSPF) clashed with Al Shabaab.") == [
        ("Police Forces of Somalia (2022-) Southwest Special Police Forces", "Southwest Special Police Forces"),
        ("Al Shabaab", "Al Shabaab"),
    ]
    # a unit's own spellings
    assert found("Puntland dervish forces clashed with ISSP.")[0][0] == "Military Forces of Somalia (2022-) Puntland Dervish Force"
    # outside brackets, a generic force stays generic and its unit-less name has nothing appended
    assert found("Police officers arrested 3 men.", country="KE", year=2015)[0] == ("Police Forces of Kenya (2013-)", "Police officers")


def test_eras_follow_the_date():
    assert found("Kenyan soldiers shot a man.", country="KE", year=2010)[0][0] == "Military Forces of Kenya (2002-2013)"
    assert found("Kenyan soldiers shot a man.", country="KE", year=2016)[0][0] == "Military Forces of Kenya (2013-)"
    assert found("Kenyan soldiers shot a man.", country="SO", year=2026)[0][0] == "Military Forces of Kenya (2022-)"


@pytest.mark.parametrize(
    "sentence, name",
    [
        ("Hawadle clan militia clashed with Al Shabaab.", "Hawiye-Hawadle Sub-Clan Militia (Somalia)"),
        ("Hawiye-Abgal sub-clan militia clashed with Al Shabaab.", "Hawiye-Abgal Sub-Clan Militia (Somalia)"),
        ("Pokot raiders stole 200 cattle.", "Pokot Ethnic Militia (Kenya)"),
        ("TTP militants attacked a check post.", "TTP: Tehreek-i-Taliban Pakistan"),
        ("Suspected Maoists blew up a bridge.", "CPI (Maoist): Communist Party of India (Maoist)"),
        ("International forces conducted an airstrike.", "Unidentified Military Forces"),
    ],
)
def test_named_groups_as_acled_names_them(sentence, name):
    assert found(sentence)[0][0] == name


def test_groups_by_word_and_head_and_bad_group_files(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("group_heads:\n  clan: [clan militia, militia]\ngroups:\n  - {name: Xyz Clan Militia (Somalia), inter: 4, heads: clan, words: [Xyz]}\n")
    r = load_registry([str(mine)], use_env=False)
    (m,) = r.find("Xyz militia fought.")
    assert (m.entry.name, m.entry.inter, m.text) == ("Xyz Clan Militia (Somalia)", 4, "Xyz militia")
    bad = tmp_path / "bad.yaml"
    bad.write_text("group_heads:\n  clan: [militia]\ngroups:\n  - {name: Xyz, heads: nope, words: [Xyz]}\n")
    with pytest.raises(UsageError) as err:
        load_registry([str(bad)], use_env=False)
    assert err.value.code.value == "E601"
    bad.write_text("actors:\n  - name: Xyz Army\n    subunits: [A]\n    subunit_aliases: {B: [b]}\n")
    with pytest.raises(UsageError):
        load_registry([str(bad)], use_env=False)


@pytest.mark.parametrize(
    "name, country, kind",
    [
        ("Protesters (Kenya)", "Kenya", "protesters"),
        ("Rioters (Bangladesh)", "Bangladesh", "rioters"),
        ("Civilians (Somalia)", "Somalia", "civilians"),
        ("Unidentified Armed Group (Kenya)", "Kenya", "uag"),
        ("Unidentified Clan Militia (Somalia)", "Somalia", "uclan"),
        ("Unidentified Military Forces", "Somalia", "umf"),
        ("Police Forces of Kenya (2013-)", "Kenya", "police"),
        ("Military Forces of India", "India", "military"),
        ("Military Forces of the United States (2025-)", "Somalia", "named"),  # a foreign force: the registry names it
        ("Al Shabaab", "Somalia", "named"),
        ("", "Somalia", "none"),
        (None, None, "none"),
    ],
)
def test_kinds_of_acled_names(name, country, kind):
    assert kind_of(name, country) == kind


class Stub:
    """A stand-in for the two n-gram models: fixed probabilities per side."""

    def __init__(self, proba):
        self.proba = proba
        self.meta = {"threshold": 0.6}

    def predict_proba(self, text, extra=None):
        return dict(self.proba)


def event(a1, a2, country="KE", date="2016-05-01", sub="Peaceful protest"):
    text = "Teachers of the KNUT union marched in Nairobi against the pay cut."
    loc = Location("Nairobi", country_code=country) if country else None
    return text, Event(
        event_id="x", event_type="Protests", sub_event_type=sub, date=EventDate(date, None, 1), location=loc, actor1=a1, actor2=a2,
        fatalities=None, claims=(), attribution=None, modality="asserted", confidence=0.5, evidence=(Span(0, len(text)),),
    )


def test_the_model_picks_the_convention_and_the_registry_writes_the_name():
    r = registry()
    union = Actor("KNUT", "KNUT union", 3, None, Span(13, 23))
    text, e = event(union, None)
    kinds = ActorKinds((Stub({"protesters": 0.9, "named": 0.1}), Stub({"none": 0.95, "police": 0.05})))
    got = kinds.apply(e, text, r, "KE")
    assert (got.actor1.name, got.actor1.inter, got.actor1.text) == ("Protesters (Kenya)", 6, "KNUT union")
    assert got.actor1.reason == "model (protesters; rules: KNUT)" and got.actor2 is None
    assert got.actor1.to_contract()["reason"] == got.actor1.reason
    # below the threshold the rules' actor stands, and says nothing
    weak = ActorKinds((Stub({"protesters": 0.55, "named": 0.45}), Stub({"none": 1.0})))
    assert weak.apply(e, text, r, "KE") is e
    # without a country ACLED's generic name cannot be written: the rules' actor stands
    text, e = event(union, None, country=None)
    assert kinds.apply(e, text, r, None) is e


def test_state_forces_get_the_era_and_the_rules_unit_and_sides_can_swap():
    r = registry()
    text, e = event(Actor("Protesters (Kenya)", "teachers", 6), None, date="2010-03-01", sub="Protest with intervention")
    kinds = ActorKinds((Stub({"protesters": 0.9}), Stub({"police": 0.9})))
    got = kinds.apply(e, text, r, "KE")
    assert got.actor1.name == "Protesters (Kenya)" and got.actor2.name == "Police Forces of Kenya (2002-2013)" and got.actor2.inter == 1
    # the rules read the sides backwards: the model swaps them
    police = Actor("Police Forces of Kenya (2013-)", "police", 1)
    prot = Actor("Protesters (Kenya)", "teachers", 6)
    text, e = event(police, prot, date="2016-03-01")
    swapped = ActorKinds((Stub({"protesters": 0.9}), Stub({"police": 0.9}))).apply(e, text, r, "KE")
    assert (swapped.actor1.name, swapped.actor2.name) == ("Protesters (Kenya)", "Police Forces of Kenya (2013-)")
    assert swapped.actor1.reason.startswith("model (sides swapped")
    # a unit the rules found on that side is kept
    nisa = Actor("Military Forces of Somalia (2022-)", "government security forces", 1, "National Intelligence and Security Agency")
    text, e = event(Actor("Al Shabaab", "Al Shabaab", 2), nisa, country="SO", date="2025-06-01", sub="Armed clash")
    same = ActorKinds((Stub({"named": 0.9}), Stub({"military": 0.9}))).apply(e, text, r, "SO")
    assert same is e


def test_armed_groups_attack_rioters_riot():
    """Mob violence by an armed group (inter 2-4) is its attack; rioters' and a state force's mob violence stand."""
    shabaab = Actor("Al Shabaab", "Al Shabaab", 2)
    civilians = Actor("Civilians (Somalia)", "a civilian", 7)
    text, e = event(shabaab, civilians, country="SO", sub="Mob violence")
    e = replace(e, type_reason="model (rules: Armed clash)")
    got = armed_groups_attack(e)
    assert (got.event_type, got.sub_event_type) == ("Violence against civilians", "Attack")
    assert got.type_reason.endswith("(an armed group's violence, not rioters': typed Mob violence)")
    for a1 in (Actor("Rioters (Somalia)", "a mob", 5), Actor("Police Forces of Somalia (2022-)", "police", 1), None):
        text, e = event(a1, civilians, country="SO", sub="Mob violence")
        assert armed_groups_attack(replace(e, type_reason="model (rules: Armed clash)")).type_reason == "model (rules: Armed clash)"
    # a mob's own word typed it (crude bombs are a mob's weapons): the rules' mob violence stands
    text, e = event(shabaab, civilians, country="SO", sub="Mob violence")
    e = replace(e, type_reason="rules (tactic word)")
    assert armed_groups_attack(e) is e
    text, e = event(shabaab, civilians, country="SO", sub="Attack")
    assert armed_groups_attack(e) is e


def test_rioters_riot_whoever_made_them():
    r = registry()
    prot = Actor("Protesters (Kenya)", "students", 6)
    text, e = event(prot, None, sub="Protest with intervention")
    got = rioters_riot(ActorKinds((Stub({"rioters": 0.9}), Stub({"none": 0.9}))).apply(e, text, r, "KE"))
    assert got.actor1.name == "Rioters (Kenya)"
    assert (got.event_type, got.sub_event_type) == ("Riots", "Violent demonstration")
    assert got.type_reason == "rules (the actor kinds' rioters riot; typed: Protest with intervention)"
    # the rules' rioters looting or fighting: mob violence
    mob = Actor("Rioters (Kenya)", "a mob", 5)
    for sub in ("Looting/property destruction", "Armed clash", "Attack"):
        text, e = event(mob, None, sub=sub)
        got = rioters_riot(e)
        assert (got.event_type, got.sub_event_type) == ("Riots", "Mob violence"), sub
        assert got.type_reason == f"rules (the rules' rioters riot; typed: {sub})"
    # a riot stays the riot it is; sexual violence, abduction, protesters' protests and a second side's rioters stand
    for a1, a2, sub in ((mob, None, "Mob violence"), (mob, None, "Sexual violence"), (mob, None, "Abduction/forced disappearance"),
                        (prot, None, "Peaceful protest"), (Actor("Police Forces of Kenya (2013-)", "police", 1), mob, "Attack")):
        text, e = event(a1, a2, sub=sub)
        assert rioters_riot(e) is e, sub
    # protesters the model keeps leave the protest a protest; and below the bar nothing changes
    text, e = event(Actor("KNUT", "KNUT union", 3), None)
    assert rioters_riot(ActorKinds((Stub({"protesters": 0.9}), Stub({"none": 0.9}))).apply(e, text, r, "KE")).sub_event_type == "Peaceful protest"
    text, e = event(prot, None, sub="Protest with intervention")
    assert ActorKinds((Stub({"rioters": 0.5, "protesters": 0.5}), Stub({"none": 0.9}))).apply(e, text, r, "KE") is e


def test_rioters_of_a_demonstration_programme_demonstrate():
    program = default_lexicon().cue("demonstration_program")
    mob = Actor("Rioters (Bangladesh)", "blockaders", 5)
    text, e = event(mob, None, country="BD", sub="Looting/property destruction")
    for folded, want in (("blockaders torched two buses in khulna.", "Violent demonstration"),
                         ("during the ongoing nationwide blockade, a mob torched a bus.", "Violent demonstration"),
                         ("a mob torched two buses after a dispute over fares.", "Mob violence")):
        e2 = replace(e, evidence=(Span(0, len(folded)),))
        got = rioters_riot(e2, folded, program)
        assert got.sub_event_type == want, folded
        assert ("rioters of a demonstration: 'blockade" in got.type_reason) == (want == "Violent demonstration")
    # the rules' mob violence too; other first sides and other types stand
    e3 = replace(e, sub_event_type="Mob violence", event_type="Riots", evidence=(Span(0, 20),))
    assert rioters_riot(e3, "blockaders torched a bus", program).sub_event_type == "Violent demonstration"
    assert rioters_riot(e3, "a mob torched a bus.", program) is e3
    civ = replace(e3, actor1=Actor("Unidentified Armed Group (Bangladesh)", "assailants", 3))
    assert rioters_riot(civ, "blockaders torched a bus", program) is civ


def test_protesters_protest():
    prot = Actor("Protesters (Kenya)", "protested", 6)
    for a2, want in ((None, "Peaceful protest"), (Actor("Police Forces of Kenya (2013-)", "police", 1), "Protest with intervention")):
        text, e = event(prot, a2, sub="Sexual violence")
        e = replace(e, event_type="Violence against civilians", trigger="rape")
        got = protesters_protest(e)
        assert (got.event_type, got.sub_event_type, got.trigger) == ("Protests", want, "protested")
        assert got.type_reason == "rules (protesters protest; typed: Sexual violence by 'rape')"
    # a protest or a riot of protesters, and other first sides, stand
    for a1, sub in ((prot, "Peaceful protest"), (prot, "Violent demonstration"), (Actor("Unidentified Armed Group (Kenya)", "gunmen", 3), "Sexual violence")):
        text, e = event(a1, None, sub=sub)
        assert protesters_protest(e) is e, sub


def test_the_second_side_makes_an_attack_or_an_armed_clash():
    gunmen = Actor("Unidentified Armed Group (Kenya)", "gunmen", 3)
    for a2, sub, want in (
        (Actor("Civilians (Kenya)", "traders", 7), "Armed clash", ("Violence against civilians", "Attack")),
        (Actor("Police Forces of Kenya (2013-)", "police", 1), "Attack", ("Battles", "Armed clash")),
        (Actor("Al Shabaab", "Al Shabaab", 2), "Attack", ("Battles", "Armed clash")),
    ):
        text, e = event(gunmen, a2, sub=sub)
        got = attack_or_clash(e)
        assert (got.event_type, got.sub_event_type) == want, a2.name
        assert got.type_reason == f"rules (the second side, {a2.name}, makes it: typed {sub})"
    # as typed: civilians attacked, forces fighting, no second side, or rioters, protesters or civilians as the first
    for a1, a2, sub in ((gunmen, Actor("Civilians (Kenya)", "traders", 7), "Attack"),
                        (gunmen, Actor("Police Forces of Kenya (2013-)", "police", 1), "Armed clash"),
                        (gunmen, None, "Attack"), (Actor("Rioters (Kenya)", "a mob", 5), Actor("Police Forces of Kenya (2013-)", "police", 1), "Attack")):
        text, e = event(a1, a2, sub=sub)
        assert attack_or_clash(e) is e, sub


def test_no_model_leaves_the_rules():
    r = registry()
    text, e = event(Actor("KNUT", "KNUT union", 3), None)
    assert ActorKinds(use_model=False).apply(e, text, r, "KE") is e


def test_the_packaged_model_loads_and_names_a_protest():
    kinds = ActorKinds()
    assert kinds.models is not None, kinds.error
    assert 0.0 < kinds.threshold <= 1.01
    assert set(kinds.models[0].classes) <= {"protesters", "rioters", "civilians", "uag", "uem", "ucm", "uclan", "umf", "military", "police", "named", "none"}


def test_a_named_side_is_the_group_the_report_names_elsewhere():
    r = registry()
    text = "Gunmen killed 3 people in Mandera. Al Shabaab claimed responsibility for the attack."
    e = Event(
        event_id="x", event_type="Violence against civilians", sub_event_type="Attack", date=EventDate("2016-05-01", None, 1),
        location=Location("Mandera", country_code="KE"), actor1=Actor("Unidentified Armed Group (Kenya)", "Gunmen", 3),
        actor2=Actor("Civilians (Kenya)", "people", 7), fatalities=3, claims=(), attribution=None, modality="asserted",
        confidence=0.5, evidence=(Span(0, 34),),
    )
    got = ActorKinds((Stub({"named": 0.9, "uag": 0.1}), Stub({"civilians": 0.9}))).apply(e, text, r, "KE")
    assert (got.actor1.name, got.actor1.text, got.actor2.name) == ("Al Shabaab", "Al Shabaab", "Civilians (Kenya)")
    assert text[got.actor1.span.start : got.actor1.span.end] == "Al Shabaab"


def test_the_force_that_met_a_riot_is_kept_whatever_a_later_pass_adds_to_its_reason():
    from fogwatch.events.actor_kinds import MET_THE_RIOT, _intervener_dropped

    police = Actor("Police Forces of Kenya (2013-)", "police", 1, reason=MET_THE_RIOT)
    assert _intervener_dropped("Violent demonstration", police, None)
    assert _intervener_dropped("Violent demonstration", replace(police, reason=f"{MET_THE_RIOT}; country from the outlet registry"), None)
    assert not _intervener_dropped("Violent demonstration", replace(police, reason=None), None)
    assert not _intervener_dropped("Violent demonstration", police, "uag")  # the model named another side: not dropped
