"""Claimants of "..., saying ..." and "put the toll at"; a province that qualifies a town; "government"/"regime" forces."""

from __future__ import annotations

import time
from dataclasses import replace

from fogwatch.events.assemble import extract_events
from fogwatch.events.claims import attribution_for, find_attributions
from fogwatch.text.normalize import fold

from .helpers import events_of, make_doc, registry


def _attributions(sentence):
    return [(a.claimant, a.modality) for a in find_attributions(sentence, fold(sentence))]


def test_saying_after_a_clause_credits_the_clause_subject():
    s = "Local activists put the toll higher, saying 9 people were killed and 20 injured."
    attrs = find_attributions(s, fold(s))
    governing = attribution_for(attrs, s.index("9 people"))
    # sentence-initial common words are lower-cased, as for "local sources say"
    assert governing is not None and governing.claimant == "local activists" and governing.modality == "reported"


def test_saying_skips_a_fronted_adverbial_and_keeps_named_sources():
    s = "On Wednesday, the Hama Health Directorate gave a toll of 11, adding that 30 people were hurt."
    assert {c for c, _ in _attributions(s)} == {"Hama Health Directorate"}
    s = "Late on Friday, Kurdish fighters repelled the raid, claiming 14 attackers died."
    attr = attribution_for(find_attributions(s, fold(s)), s.index("14"))
    assert attr.claimant == "Kurdish fighters" and attr.modality == "claimed"


def test_saying_with_no_source_subject_stays_the_author_voice():
    assert _attributions("The market was shelled at dawn, leaving 4 dead.") == []
    # a place or a thing is not a source: "the bridge ... saying" is no claimant
    assert _attributions("The bridge collapsed, saying nothing about the 5 missing.") == []
    # "adding to" is no saying verb
    assert _attributions("The army shelled the town, adding to the 5 dead of last week.") == []


def test_claims_in_events_carry_the_saying_claimant():
    text = "On February 3, the army shelled Saraqib. Local activists put the toll higher, saying 9 people were killed and 20 injured."
    (event,) = events_of(text)
    assert [(c.quantity, c.low, c.claimant, c.modality) for c in event.claims] == [
        ("killed", 9, "local activists", "reported"),
        ("injured", 20, "local activists", "reported"),
    ]


def _with_region(text: str, town: str, region: str):
    """The test gazetteer's places, with ``region`` as a province (admin1) that contains ``town``."""
    doc = make_doc(text)
    places = []
    for p in doc.places:
        if p.text == region:
            p = replace(p, feature="admin1", precision=3, admin1=region)
        places.append(p)
    return replace(doc, places=tuple(places))


def test_a_town_and_its_province_in_one_sentence_make_one_event_in_the_town():
    doc = _with_region("On February 3, Syrian shelling hit southern Idlib, killing at least 7 civilians in Kafr Nabl.", "Kafr Nabl", "Idlib")
    events = extract_events(doc, registry())
    assert len(events) == 1
    (e,) = events
    assert e.location.name == "Kafr Nabl" and e.location.geo_precision == 1
    assert e.actor1.name == "Military Forces of Syria (2000-)" and e.actor2.name == "Civilians (Syria)" and e.fatalities == 7


def test_a_province_in_the_next_sentence_refers_to_the_town_of_the_event():
    text = "On February 3, Syrian troops shelled Kafr Nabl. The shelling in southern Idlib killed 7 civilians."
    events = extract_events(_with_region(text, "Kafr Nabl", "Idlib"), registry())
    shelling = [e for e in events if e.sub_event_type == "Shelling/artillery/missile attack"]
    assert len(shelling) == 1
    assert shelling[0].location.name == "Kafr Nabl" and shelling[0].location.geo_precision == 1
    assert shelling[0].fatalities == 7 and shelling[0].actor2.name == "Civilians (Syria)"


def test_a_province_of_another_admin_area_is_not_swallowed():
    # Aleppo is not Kafr Nabl's province (Idlib): it stays a candidate of its own
    doc = make_doc("On February 3, troops shelled Kafr Nabl and clashed with rebels in Aleppo.")
    places = tuple(replace(p, feature="admin1", precision=3, admin1="Aleppo") if p.text == "Aleppo" else p for p in doc.places)
    events = extract_events(replace(doc, places=places), registry())
    assert {e.location.name for e in events} == {"Kafr Nabl", "Aleppo"}


def test_government_and_regime_forces_take_the_reports_country():
    (e,) = events_of("On February 3, government artillery shelled Kafr Nabl, killing 5 civilians.")
    assert e.actor1.name == "Military Forces of Syria (2000-)" and e.actor1.inter == 1
    # a report located in Nigeria: "regime forces" (listed in syria.yaml) and "government troops" are Nigeria's
    text = "On January 9, regime forces raided Maiduguri. Government troops shelled Maiduguri, killing 3 militants."
    events = events_of(text)
    assert events and all(e.actor1.name == "Military Forces of Nigeria (2015-2023)" and e.actor1.inter == 1 for e in events)


def test_one_phrase_is_never_both_sides():
    (e,) = events_of("On February 3, regime warplanes struck Saraqib.")
    assert e.actor1.name == "Military Forces of Syria (2000-)" and e.actor2 is None


def test_long_documents_cost_linear_time():
    paragraph = (
        "On February 3, Syrian troops shelled Saraqib, killing 4 civilians, activists said. "
        "Rebels attacked army positions near Idlib on Monday. The clashes left 6 fighters dead. "
        "If these claims are confirmed, the army will respond.\n\n"
    )

    def seconds(copies: int) -> float:
        doc = make_doc(paragraph * copies)
        t0 = time.perf_counter()
        extract_events(doc, registry())
        return time.perf_counter() - t0

    seconds(5)  # warm caches (dates, registry automaton)
    short = min(seconds(40) for _ in range(2))
    long = seconds(1300)  # 5,200 sentences: 32.5 times as long
    # linear: about 32x; quadratic would be ~1000x (the three-sentence version took 17 s against 0.03 s
    # before the fix). A wide margin for a shared, busy machine.
    assert long < short * 32.5 * 4 + 0.5, (short, long)


def test_phrases_naming_no_state_follow_the_place_of_the_event():
    reg = registry()
    (mention,) = reg.find("regime forces shelled the town")
    # a report mostly about France, an event located in Syria: the Syrian army
    assert reg.resolve(mention, "FR", 2015, 0, "SY").name == "Military Forces of Syria (2000-)"
    assert reg.resolve(mention, "FR", 2015).name == "Military Forces of France"
    # a phrase that names its state keeps it wherever the event is
    (named,) = reg.find("Syrian troops shelled the town")
    assert reg.resolve(named, "NG", 2015, 0, "NG").name == "Military Forces of Syria (2000-)"


def test_a_state_with_only_dated_names_gets_the_years_name():
    reg = registry()
    (mention,) = reg.find("US airstrikes hit the town")
    assert reg.resolve(mention, "SY", 2015).name == "Military Forces of the United States (2009-2017)"
    assert reg.resolve(mention, "SY", 2019).name == "Military Forces of the United States (2017-2021)"
    assert reg.resolve(mention, "SY", 2019).inter == 8


def test_a_source_before_an_aside_still_says_it():
    s = "The monitor, which counts the dead through contacts in the area, said 6 fighters were killed."
    attr = attribution_for(find_attributions(s, fold(s)), s.index("6 fighters"))
    assert attr is not None and attr.claimant == "monitor" and attr.modality == "reported"


def test_dateline_date_is_the_reports_not_the_events():
    # "ALEPPO, Feb. 5, 2020 (Agency) -" after a headline: the report's date; "on Monday" (February 3) is the event's
    text = "Rebels claim gains\n\nALEPPO, Feb. 5, 2020 (Test Agency) - Syrian troops shelled Saraqib on Monday, killing 3 civilians."
    events = events_of(text, published=None)
    assert events and events[0].date.date == "2020-02-03"


def test_a_denied_target_is_no_actor():
    (e,) = events_of("On February 3, the Syrian ministry denied targeting civilians and said its forces struck positions in Saraqib.")
    assert e.actor2 is None or e.actor2.inter != 7


def test_casualties_in_the_next_paragraph_join_the_event():
    text = (
        "On February 3, Syrian troops shelled Saraqib, killing 2 civilians.\n\n"
        "Rescuers from the civil defence said 11 people were wounded."
    )
    events = events_of(text)
    assert len(events) == 1
    assert {(c.quantity, c.low) for c in events[0].claims} == {("killed", 2), ("injured", 11)}


def test_casualties_with_their_own_town_stay_apart():
    text = "On February 3, Syrian troops shelled Saraqib, killing 2 civilians.\n\nIn Aleppo, 4 people were killed."
    events = events_of(text)
    assert {e.location.name for e in events} >= {"Saraqib", "Aleppo"}


def test_the_shelling_told_again_is_the_same_event():
    text = "On February 3, Syrian troops shelled Saraqib.\n\nResidents said the shelling began at dawn and lasted two hours."
    events = events_of(text)
    assert len(events) == 1 and events[0].location.name == "Saraqib"
    assert len(events[0].evidence) == 2


def test_habitual_background_is_no_event():
    assert events_of("The town has been shelled repeatedly since the ceasefire.", published="2021-03-10") == ()


def test_competing_tolls_from_two_sources_take_the_lower():
    text = (
        "On February 3, Syrian troops shelled Saraqib, killing at least 7 civilians, the monitor said. "
        "Local activists put the toll higher, saying 9 people were killed."
    )
    (e,) = events_of(text)
    assert e.fatalities == 7
    # one source's own total may include its named dead: the author's "7 civilians", then "12 people in all"
    (e,) = events_of("On February 3, Syrian troops shelled Saraqib, killing 7 civilians. In all 12 people were killed in the shelling.")
    assert e.fatalities == 12


def test_a_nearby_village_after_town_and_province_is_near_the_town():
    text = "On February 3, Syrian troops shelled Kafr Nabl in southern Idlib.\n\nThey also shelled the nearby village of Hass."
    doc = _with_region(text, "Kafr Nabl", "Idlib")
    events = extract_events(doc, registry())
    assert events and all(e.location.name == "Kafr Nabl" for e in events)


def test_what_comes_before_saying_stays_the_authors():
    s = "Syrian troops shelled Saraqib, saying 5 militants were killed."
    attrs = find_attributions(s, fold(s))
    assert attribution_for(attrs, s.index("shelled")) is None
    assert attribution_for(attrs, s.index("5 militants")).claimant == "Syrian troops"


def test_coordinated_figures_share_the_casualty_verb():
    from fogwatch.events.figures import find_counts

    def counts(s):
        return [(c.quantity, c.figure.low, c.subject) for c in find_counts(fold(s), s)]

    assert counts("Shells hit the market, killing 7 civilians and 3 rebels.") == [("killed", 7, "civilians"), ("killed", 3, "rebels")]
    assert counts("Gunmen attacked the post, killing 2 guards and wounding 5 others.") == [
        ("killed", 2, "guards"), ("injured", 5, "guards")
    ]
    # things are not killed: "3 houses" is no casualty
    assert ("killed", 3, "houses") not in counts("The raid killed 4 civilians and 3 houses were burned.")
    (e,) = events_of("On February 3, Syrian troops shelled Saraqib, killing 7 civilians and 3 rebels.")
    assert e.fatalities == 10


def test_doubt_touches_only_the_doubted_report():
    text = (
        "On February 3, Syrian troops shelled Saraqib, killing 3 civilians, the monitor said. "
        "On February 3, rebels attacked army posts in Aleppo, and activists said 5 soldiers were killed. "
        "If these claims are confirmed, the rebels will push on."
    )
    events = events_of(text)
    by_place = {e.location.name: e for e in events}
    assert by_place["Saraqib"].modality == "reported"
    assert all(c.modality == "reported" for c in by_place["Saraqib"].claims)
    assert any(c.modality == "claimed" and c.low == 5 for c in by_place["Aleppo"].claims)
