"""Place roles (issue 12): demonyms, metonyms, organisations, and names inside other names."""

from __future__ import annotations

import pytest

from fogwatch.errors import FogwatchError
from fogwatch.places.roles import PlaceTablesError, load_roles, parse_roles


def _roles(places):
    return {p.text: p.role for p in places}


@pytest.mark.parametrize(
    "text, absent",
    [
        ("That view matches the line of the US State Department, which also blamed the regime.", {"US", "US State", "State"}),
        ("Turkey and Russia discussed the Astana agreement on Monday.", {"Astana"}),
        ("Observers called the offensive Aleppo 2.0 in their reports.", {"Aleppo"}),
        ("Delegates returned to the Geneva talks and the Sochi process.", {"Geneva", "Sochi"}),
        ("The New York Times reported it first.", {"New York"}),
    ],
)
def test_names_inside_organisation_and_event_names_are_not_places(geoparse, text, absent):
    assert not {p.text for p in geoparse(text)} & absent


@pytest.mark.parametrize(
    "text, name, role, country",
    [
        ("Russian jets struck the town.", "Russian", "demonym", "RU"),
        ("Palestinians gathered in the square.", "Palestinians", "demonym", "PS"),
        ("American officials declined to comment.", "American", "demonym", "US"),
        ("The EU announced new aid for the region.", "EU", "organisation", "BE"),
        ("Moscow denied the report on Tuesday.", "Moscow", "metonym", "RU"),
        ("Both Ankara and Washington did not address the fact.", "Ankara", "metonym", "TR"),
        ("Both Ankara and Washington did not address the fact.", "Washington", "metonym", "US"),
    ],
)
def test_roles_resolve_to_what_they_stand_for(geoparse, text, name, role, country):
    places = {p.text: p for p in geoparse(text)}
    assert places[name].role == role and places[name].country_code == country
    assert not places[name].locates and role in places[name].reason


def test_demonym_inside_a_place_name_is_the_place(geoparse):
    assert "Indian" not in {p.text for p in geoparse("Cyclones form over the Indian Ocean every year.")}


def test_washington_with_government_words_is_the_capital(geoparse):
    places = {p.text: p for p in geoparse("Officials in Washington said the talks with Ankara would resume.")}
    washington = places["Washington"]
    assert washington.feature == "town" and abs(washington.latitude - 38.9) < 0.1
    assert washington.role == "toponym"  # "officials in Washington": where they spoke
    assert "capital" in washington.reason


def test_a_capital_abroad_needs_the_documents_country(geoparse):
    # "Paris Police Department officials" in a Texas paper: no capital bonus for France.
    places = {p.text: p for p in geoparse("Paris Police Department officials in Texas said the rumor was false.")}
    assert all(p.country_code != "FR" for p in places.values())


def test_toponyms_locate_and_others_do_not(geoparse):
    places = geoparse("Moscow denied that Russian jets struck Idlib.")
    assert [p.text for p in places if p.locates] == ["Idlib"]


def test_packaged_tables_load():
    roles = load_roles()
    assert roles.demonyms["Ontarians"] == "Ontario" and roles.demonyms["Texans"] == "Texas"  # plurals added
    assert roles.organisation("European Union") is not None
    assert roles.name_after(" agreement was") == "agreement" and roles.name_after(" agreed") is None


@pytest.mark.parametrize(
    "text",
    [
        "demonyms: [a, b",  # not YAML
        "- a list",  # not a mapping
        "colours: [red]",  # unknown section
        "demonyms: {Martian: 3}",  # not a code or name
        "organisations: [{names: [EU]}]",  # stands for nothing
        "organisations: [{names: [EU], country: Belgium}]",  # not a code
        "metonym_after: said",  # not a list
    ],
)
def test_bad_roles_file_is_e410(text):
    with pytest.raises(PlaceTablesError) as info:
        parse_roles(text, "my.yaml")
    assert isinstance(info.value, FogwatchError) and info.value.code.value == "E410"
    assert "my.yaml" in str(info.value)


def test_unreadable_roles_file_is_e410(tmp_path):
    with pytest.raises(PlaceTablesError):
        load_roles(str(tmp_path / "missing.yaml"))


def test_seed_003_places(shared):
    """Seed 003: "US State Department" yields no place, "Washington" is the capital, and no event sits at a
    demonym, metonym or organisation."""
    from fogwatch.ingest.sources import ReadOptions, iter_documents
    from fogwatch.pipeline import Pipeline

    nlp = Pipeline(["sections", "sentences", "places", "events"])
    docs = {d.doc_id: d for d in nlp.pipe(iter_documents([str(shared / "corpus" / "seeds" / "seeds.jsonl")], options=ReadOptions()))}
    doc = next(d for k, d in docs.items() if k.startswith("003"))
    state = doc.text.index("US State Department")
    assert not [p for p in doc.places if p.start < state + 19 and state < p.end]
    washington = [p for p in doc.places if p.text == "Washington"]
    assert washington and all(abs(p.latitude - 38.9) < 0.1 and p.feature == "town" for p in washington)
    for d in docs.values():
        roles = {(p.start, p.end): p.role for p in d.places}
        assert set(roles.values()) >= {"toponym", "demonym"}
        for event in d.events:
            loc = event.to_contract()["location"]
            span = (loc or {}).get("evidence")
            if span:  # the mention an event's location came from is a toponym, never a demonym/metonym/organisation
                assert roles.get((span["start"], span["end"]), "toponym") == "toponym", loc


def test_a_name_inside_a_group_name_is_no_metonym(geoparse):
    # "al-Sham" (an alternate name of Damascus) inside "Hayat Tahrir al-Sham said" is the group, not the capital.
    assert "al-Sham" not in {p.text for p in geoparse("Hayat Tahrir al-Sham said its fighters held Saraqib in Idlib.")}
