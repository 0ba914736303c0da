"""ACLED's administrative names in exports and Syria's sub-districts (issue 12)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from fogwatch.export import export
from fogwatch.export.acled_admin import acled_admin, acled_admin1_names, parse_acled_admin
from fogwatch.places import syria
from fogwatch.places.keys import name_key
from fogwatch.places.roles import PlaceTablesError
from fogwatch.store import EventFilter, IncomingDocument, content_key, open_store

# ACLED's admin1 inventory for Syria (the names its exports use).
ACLED_SYRIA = {"Aleppo", "Al-Hasakeh", "Ar-Raqqa", "As-Sweida", "Damascus", "Dar'a", "Deir-ez-Zor", "Hama", "Homs",
               "Idleb", "Lattakia", "Quneitra", "Rural Damascus", "Tartous"}


def test_every_syrian_governorate_has_acleds_spelling():
    table = acled_admin1_names()["SY"]
    assert set(table.values()) == ACLED_SYRIA and len(table) == 14
    # every code is a GeoNames admin1 code of one of OpenSyria's governorates
    assert set(table) == {u.admin1_code for u in syria.units() if u.level == "governorate"}


@pytest.mark.parametrize(
    "admin1, acled",
    [("Idlib", "Idleb"), ("Daraa", "Dar'a"), ("Rif-dimashq", "Rural Damascus"), ("Damascus Countryside", "Rural Damascus"),
     ("Deir ez-Zor", "Deir-ez-Zor"), ("Dayr az-Zawr", "Deir-ez-Zor"), ("Latakia", "Lattakia"), ("Al-Hasakah", "Al-Hasakeh"),
     ("Ar-Raqqah", "Ar-Raqqa"), ("As-Suwayda", "As-Sweida"), ("Tartus", "Tartous"), ("Dimashq", "Damascus"),
     ("Idleb", "Idleb"), ("Hama", "Hama")],
)
def test_geonames_and_other_spellings_map_to_acleds(admin1, acled):
    assert acled_admin("SY", admin1, None)[0] == acled


def test_a_town_fills_district_and_subdistrict():
    admin1, admin2, admin3 = acled_admin("SY", "Idlib", None, "Saraqib", 35.86447, 36.80591, 1)
    assert admin1 == "Idleb" and admin2 == "Idlib" and name_key(admin3 or "").startswith("sarak")


def test_a_subdistrict_named_by_the_location_is_admin3():
    assert acled_admin("SY", "Ar-Raqqah", None, "Ein Issa", None, None, 2)[1:] == ("Tell Abyad", "Ein Issa")


def test_a_province_point_says_nothing_of_the_district():
    assert acled_admin("SY", "Idlib", "Idlib District", "Idlib", 35.93, 36.63, 3) == ("Idleb", "Idlib District", None)


@pytest.mark.parametrize(
    "cc, admin1, acled",
    [("SO", "Lower Shabeelle", "Lower Shabelle"), ("SO", "Galguduud", "Galgaduud"), ("SO", "Banaadir", "Banadir"),
     ("KE", "Nairobi Area", "Nairobi"), ("KE", "Elegeyo-Marakwet", "Elgeyo-Marakwet"), ("BD", "Rajshahi Division", "Rajshahi"),
     ("PK", "Islamabad", "Islamabad Capital Territory"), ("IN", "Tamil Nadu", "Tamil Nadu")],
)
def test_acleds_spellings_beyond_syria(cc, admin1, acled):
    """GeoNames' names of the provinces in ACLED's training rows export as ACLED writes them, so rows join."""
    assert acled_admin(cc, admin1, None)[0] == acled


def test_every_code_in_the_table_is_a_geonames_admin1_of_its_country():
    from importlib.resources import files

    codes = {line.split("\t")[0] for line in files("fogwatch.data").joinpath("gazetteer/admin1.tsv").read_text(encoding="utf-8").splitlines()}
    for cc, table in acled_admin1_names().items():
        assert set(table) <= codes, cc
        assert len(set(table.values())) == len(table), f"{cc}: two codes share one ACLED name"


def test_other_countries_pass_through():
    assert acled_admin("US", "Texas", "Dallas County", "Dallas", 32.78, -96.8, 1) == ("Texas", "Dallas County", None)


@pytest.mark.parametrize("text", ["[a", "- x", "sy: {admin1: {SY.01: A}}", "SY: {admin1: {XX.01: A}}", "SY: {admin1: {SY.01: ''}}", "SY: []"])
def test_bad_acled_admin_file_is_e410(text):
    with pytest.raises(PlaceTablesError) as info:
        parse_acled_admin(text, "mine.yaml")
    assert info.value.code.value == "E410" and "mine.yaml" in str(info.value)


def test_subdistrict_table_counts():
    levels = [u.level for u in syria.units()]
    assert (levels.count("governorate"), levels.count("district"), levels.count("subdistrict")) == (14, 62, 272)
    for u in syria.units():
        gov, district, sub = syria.chain(u)
        assert gov is not None and gov.admin1_code == u.admin1_code
        assert (district is not None) == (u.level != "governorate")


def test_acled_csv_of_a_syrian_event_uses_acleds_names(tmp_path):
    """The real export from a real SQLite store: ACLED's governorate spelling, district and sub-district."""
    text = "[test text written for fogwatch] Government shelling hit Saraqib on 3 February. " * 2
    location = {"name": "Saraqib", "geonameid": 164816, "latitude": 35.86447, "longitude": 36.80591, "country_code": "SY",
                "admin1": "Idlib", "admin2": None, "geo_precision": 1}
    ev = {"event_id": "e1", "event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack",
          "date": "2020-02-03", "date_end": None, "time_precision": 1, "location": location,
          "actor1": {"name": "Military Forces of Syria (2000-)", "text": "Government", "inter": 1}, "actor2": None,
          "fatalities": None, "claims": [], "attribution": None, "modality": "asserted", "confidence": 0.8,
          "evidence": [{"start": 0, "end": 10}]}
    doc = IncomingDocument(doc_key=content_key(text), doc_id="d1", text=text, outlet="Test", events=(ev,))
    with open_store(str(tmp_path / "s.db")) as store:
        store.add_batch([doc])
        buf = io.StringIO()
        export(store, "acled-csv", EventFilter(), out=buf)
    row = next(csv.DictReader(io.StringIO(buf.getvalue())))
    assert (row["admin1"], row["admin2"]) == ("Idleb", "Idlib") and row["admin3"].lower().startswith("sara")
    assert row["location"] == "Saraqib"
    json.dumps(row)


# --- Syria's sub-districts in the places stage ------------------------------------------------

def _unknown_subdistrict(gazetteer):
    return next(u for u in syria.units() if u.level == "subdistrict" and not gazetteer.lookup(name_key(u.name))
                and name_key(u.name) == name_key(u.name.split("|")[0]) and " " not in u.name)


@pytest.mark.parametrize("pattern", ["Clashes erupted in rural {}, Syria.", "Shelling hit the {} countryside in Syria.",
                                     "Syrian troops advanced on the {} front."])
def test_a_village_the_gazetteer_lacks_falls_back_to_its_subdistrict(geoparse, gazetteer, pattern):
    unit = _unknown_subdistrict(gazetteer)
    places = {p.text: p for p in geoparse(pattern.format(unit.name))}
    area = places[unit.name]
    assert area.precision == 2 and area.role == "toponym" and area.admin3 == unit.name
    assert area.admin2 == syria.chain(unit)[1].name and "sub-district" in area.reason
    assert (area.latitude, area.longitude) == (unit.latitude, unit.longitude)


def test_without_a_part_word_an_unknown_name_is_no_area(geoparse, gazetteer):
    unit = _unknown_subdistrict(gazetteer)
    assert unit.name not in {p.text for p in geoparse(f"{unit.name} said nothing about Syria.")}


def test_a_syrian_town_gets_its_subdistrict(geoparse):
    saraqib = next(p for p in geoparse("Shelling hit Saraqib in Idlib province.") if p.text == "Saraqib")
    assert saraqib.admin3 is not None and saraqib.admin3.lower().startswith("sara")
    assert saraqib.to_contract()["admin3"] == saraqib.admin3


def test_the_idlib_zone_is_part_of_the_province(geoparse):
    idlib = next(p for p in geoparse("Russian jets struck targets in the Idlib zone, Syria.") if p.text == "Idlib")
    assert idlib.feature == "admin1" and idlib.precision == 2 and "zone" in idlib.reason


@pytest.mark.parametrize("text, name, cc", [
    ("Al Shabaab fighters attacked a base in Lower Shabelle region.", "Lower Shabeelle", "SO"),
    ("Clashes in Galgaduud region left three people dead.", "Galguduud", "SO"),
])
def test_acleds_spelling_of_a_province_is_found_in_text(geoparse, text, name, cc):
    """Sentences written for this test: GeoNames spells these Somali regions otherwise; the table's ACLED spelling
    names the region in text too (only where no town of the country has that name)."""
    places = geoparse(text)
    assert [(p.name, p.country_code, p.feature) for p in places] == [(name, cc, "admin1")]
