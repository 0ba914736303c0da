import time
import tracemalloc

from fogwatch.events.taxonomy import EVENT_TYPE_OF

from .helpers import events_of, make_doc, registry
from fogwatch.events.assemble import extract_events


def by_type(events):
    return {e.sub_event_type: e for e in events}


def test_several_events_in_one_sentence():
    events = events_of("On February 3, the Syrian Army shelled Saraqib and captured the village of Idlib.")
    subs = {e.sub_event_type for e in events}
    assert subs == {"Shelling/artillery/missile attack", "Government regains territory"}
    for e in events:
        assert e.event_type == EVENT_TYPE_OF[e.sub_event_type]
        assert e.date.date == "2020-02-03" and e.date.time_precision == 1
        assert e.actor1.name == "Military Forces of Syria (2000-)"


def test_most_specific_tactic_wins_in_one_clause():
    events = events_of("On February 3, Russian warplanes struck Saraqib, killing 6 civilians.")
    assert [e.sub_event_type for e in events] == ["Air/drone strike"]
    e = events[0]
    assert e.fatalities == 6
    assert e.location.name == "Saraqib" and e.location.geo_precision == 1 and e.location.geonameid == 164816
    assert e.actor1.name == "Military Forces of Russia (2000-)" and e.actor1.inter == 8  # abroad, in Syria


def test_victims_of_violence_against_civilians_are_actor2():
    events = events_of("On February 3, gunmen shot dead 4 civilians in Kafr Nabl.")
    e = by_type(events)["Attack"]
    assert e.actor2.name == "Civilians (Syria)" and e.actor2.inter == 7
    assert e.actor1.name.startswith("Unidentified Armed Group") and e.fatalities == 4


def test_plans_threats_and_forecasts_are_hypothetical_or_skipped():
    text = (
        "On February 2, Turkish troops reached Idlib. Residents say that a Turkish base will soon be established near the city. "
        "Next month, the army will probably launch an offensive toward the coast. "
        "On February 3, President Erdogan threatened to launch airstrikes on Saraqib if the army does not withdraw."
    )
    events = events_of(text)
    doc_text = make_doc(text).text
    for e in events:
        sentence = doc_text[e.evidence[0].start : e.evidence[0].end]
        if any(w in sentence for w in ("will", "threatened")):
            assert e.modality == "hypothetical", sentence
    hyp = [e for e in events if e.modality == "hypothetical"]
    assert hyp and all(e.confidence < 0.5 for e in hyp)
    assert any(e.sub_event_type == "Air/drone strike" for e in hyp)
    # hypothetical events come after the ones that happened
    assert [e.confidence for e in events] == sorted((e.confidence for e in events), reverse=True)


def test_negated_events_are_skipped():
    assert events_of("On February 2, after this no clashes erupted in al-Bab. The army did not attack Saraqib on Monday.") == ()


def test_conservative_fatalities_and_claims():
    text = (
        "On February 3, the Turkish Defense Ministry said that at least 6 Turkish soldiers died and 7 others were "
        "wounded by Syrian Army shelling near Idlib. Turkish media said 9 Turkish soldiers were killed."
    )
    events = events_of(text)
    shelling = by_type(events)["Shelling/artillery/missile attack"]
    assert shelling.actor1.name == "Military Forces of Syria (2000-)"
    assert shelling.actor2.name == "Military Forces of Turkey (2016-)" and shelling.actor2.inter == 8
    killed = [c for c in shelling.claims if c.quantity == "killed"]
    assert {(c.low, c.claimant) for c in killed} >= {(6, "Turkish Defense Ministry")}
    assert shelling.fatalities == 6  # the lowest credible figure; the 7 injured never count
    injured = [c for c in shelling.claims if c.quantity == "injured"]
    assert injured and injured[0].low == 7 and injured[0].modality == "reported"
    doc_text = make_doc(text).text
    for e in events:
        for c in e.claims:
            assert c.figure and c.figure in doc_text[c.evidence.start : c.evidence.end]
        for span in e.evidence:
            assert 0 <= span.start < span.end <= len(doc_text)


def test_doubted_reports_become_claimed():
    text = (
        "On February 1, clashes went on near Aleppo. Pro-militant sources reported that 4 Russian advisers died "
        "in the fighting. If these claims are confirmed, Moscow will likely respond."
    )
    claims = [c for e in events_of(text) for c in e.claims]
    c = next(c for c in claims if c.low == 4)
    assert c.claimant == "pro-militant sources" and c.modality == "claimed"


def test_unresolved_or_absent_places():
    events = events_of("On February 3, clashes erupted between the army and rebels.", places=False)
    assert events and events[0].location is None


def test_no_events_gives_an_empty_tuple():
    assert events_of("The weather was pleasant and the market reopened on Monday.") == ()
    assert events_of("") == ()


def _bounded(text, seconds=2.0, megabytes=60):
    tracemalloc.start()
    t = time.perf_counter()
    doc = make_doc(text, places=False)
    events = extract_events(doc, registry())
    elapsed = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    assert elapsed < seconds, elapsed
    assert peak < megabytes, peak
    return events


def test_a_2000_word_sentence_does_not_blow_up():
    words = ("the army shelled the village and killed 3 civilians while rebels captured the hill near the river " * 120).split()
    _bounded(" ".join(words[:2000]) + ".")


def test_a_table_of_numbers_does_not_blow_up():
    rows = "\n".join(" ".join(str((i * 37 + j) % 1000) for j in range(12)) for i in range(300))
    assert _bounded(rows) == ()


def test_a_list_of_300_village_names_does_not_blow_up():
    villages = ", ".join(f"Kafr Qasim {i}" for i in range(300))
    events = _bounded(f"On February 3, government forces captured the villages of {villages}.")
    assert len(events) <= 3


def test_a_denied_account_disputes_the_figures_and_names_the_other_side():
    text = (
        "On Tuesday, 14 militants were killed and 3 soldiers were wounded in clashes near Kafr Nabl, the ministry said. "
        "Opposition sources denied the ministry's account."
    )
    events = events_of(text, published="2021-03-10")
    clash = by_type(events)["Armed clash"]
    assert clash.actor2.name == "Opposition Rebels (Syria)" and clash.actor1.name == "Military Forces of Syria (2000-)"
    assert {c.modality for c in clash.claims} == {"claimed"}
    assert clash.fatalities == 14 and clash.date.date == "2021-03-09"


def test_denied_participants_and_names_inside_place_names_are_no_actors():
    events = events_of('On March 3, the army said its forces shelled armed groups near Kafr Nabl and that "no civilians were harmed".')
    e = by_type(events)["Shelling/artillery/missile attack"]
    assert e.actor2 is None or e.actor2.inter != 7
    assert registry().find("clashes in Ma'arrat al-Nu'man") == []


def test_running_totals_and_background_are_not_events():
    text = (
        "More than 300000 people have been killed and millions forced to flee their homes. "
        "The war began in 2011 with protests that were met with a crackdown. "
        "Fighting this year has killed at least 3000 people, the monitor said."
    )
    assert events_of(text, published="2016-10-11") == ()


def test_without_published_the_dateline_anchors_dates():
    text = "DAMASCUS, Feb. 4, 2020 (Reuters) - Russian warplanes struck Saraqib on Monday, killing 5 civilians."
    e = events_of(text, published=None)[0]
    assert e.date.date == "2020-02-03" and e.date.time_precision == 1


def test_without_any_anchor_yearless_dates_stay_unresolved():
    e = events_of("Russian warplanes struck Saraqib on Monday, killing 5 civilians.", published=None)[0]
    assert e.date.date is None and e.date.time_precision is None
    assert e.fatalities == 5 and e.location.name == "Saraqib"


def test_a_location_listed_with_other_places_keeps_them_as_alternatives():
    from fogwatch.pipeline import Pipeline
    from fogwatch.records import Document

    # Written for this test; the two villages are invented, so the gazetteer cannot know them.
    text = ("Rebels launched counter-attacks near Saraqib, Qaryat Zurnabil 4 and Tall Mushmushan in Syria on 3 February 2020. "
            "One of the attacks killed five Syrian soldiers, the rebels said.")
    doc = Pipeline(["sections", "sentences", "places", "events"])(Document(doc_id="t", text=text))
    located = [e.location for e in doc.events if e.location is not None]
    assert located
    for loc in located:
        assert loc.name == "Saraqib" and loc.geonameid == 164816 and loc.geo_precision == 2
        assert [a.name for a in loc.alternatives] == ["Qaryat Zurnabil 4", "Tall Mushmushan"]
        assert all(a.geonameid is None and a.latitude is None for a in loc.alternatives)
        alt = loc.to_contract()["alternatives"][0]
        assert text[alt["evidence"]["start"] : alt["evidence"]["end"]] == "Qaryat Zurnabil 4"
