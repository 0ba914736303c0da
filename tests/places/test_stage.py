"""The places stage in the pipeline and in `fogwatch extract` output (the contract)."""

from __future__ import annotations

import json

import jsonschema

from fogwatch.contract import schema
from fogwatch.pipeline import Pipeline
from fogwatch.places.model import Place
from fogwatch.records import Document, Metadata


def test_stage_fills_doc_places_sorted_and_in_body_only():
    nlp = Pipeline(["sections", "sentences", "places"])
    text = "Shells hit Saraqib in Idlib province, Syria, on Monday.\n\nComments\n\nI live in Aleppo and Homs."
    doc = nlp(Document(doc_id="t", text=text))
    assert all(isinstance(p, Place) for p in doc.places)
    assert [p.start for p in doc.places] == sorted(p.start for p in doc.places)
    names = {p.text for p in doc.places}
    assert "Saraqib" in names
    comment_starts = [s.start for s in doc.sections if s.kind == "comments"]
    if comment_starts:  # facts never come from reader comments
        assert all(p.start < comment_starts[0] for p in doc.places)


def test_place_record_validates_against_the_contract():
    place = Place(10, 17, "Saraqib", "Saraqib", 164816, 35.86447, 36.80591, "SY", "Idlib", None, 0.93, "town", 1, "only candidate")
    record = {"doc_id": "x", "sections": [], "places": [place.to_contract()], "events": [], "slant": [], "errors": []}
    jsonschema.validate(record, schema())
    assert place.to_contract()["precision"] == 1 and place.to_contract()["reason"] == "only candidate"


def test_extract_output_has_places_for_the_seeds(run_cli, shared):
    res = run_cli("extract", "--stages", "sections,sentences,places", str(shared / "corpus" / "seeds" / "seeds.jsonl"))
    assert res.returncode == 0, res.stderr.decode()
    records = [json.loads(line) for line in res.stdout.decode().splitlines()]
    assert len(records) == 2
    for rec in records:
        jsonschema.validate(rec, schema())
        by_name = {p["name"]: p for p in rec["places"] if p["name"]}
        assert "Saraqib" in by_name
        s = by_name["Saraqib"]
        assert abs(s["latitude"] - 35.864) < 0.01 and abs(s["longitude"] - 36.806) < 0.01 and s["admin1"] == "Idlib"
    unresolved = [p for rec in records for p in rec["places"] if p["feature"] == "unresolved"]
    assert unresolved, "places the gazetteer lacks are still reported"
    assert all(p["reason"] for rec in records for p in rec["places"])


def test_dateline_place_is_marked():
    nlp = Pipeline(["sections", "sentences", "places"])
    text = "BEIRUT (Reuters) - Government forces shelled Saraqib in Idlib province on Monday."
    doc = nlp(Document(doc_id="d", text=text))
    beirut = next(p for p in doc.places if p.text == "BEIRUT")
    assert beirut.country_code == "LB" and beirut.reason.startswith("dateline")
    assert not next(p for p in doc.places if p.text == "Saraqib").reason.startswith("dateline")


def test_long_document_stays_linear():
    """A 0.5 MB report with thousands of sentences, places and unresolved villages stays linear."""
    import time

    nlp = Pipeline(["sections", "sentences", "places"])
    para = "Shells hit Saraqib and the village of Rajm Judran in Idlib province. Rebels near Aleppo said all was quiet. "
    text = para * 5000
    t0 = time.process_time()
    doc = nlp(Document(doc_id="big", text=text))
    assert len(doc.places) > 15000
    assert sum(p.feature == "unresolved" for p in doc.places) == 5000
    assert time.process_time() - t0 < 30


# Sentences written for these tests.
FEED_CASES = [
    # (text, feed country, place kept: (text, country) or None)
    ("Teachers marched in Kisii on Monday to demand unpaid wages.", "KE", ("Kisii", "KE")),
    # the Kenyan Tigania (acled_places.tsv), not its namesake in Romania
    ("Residents blocked the main road at Tigania to protest a construction delay.", "KE", ("Tigania", "KE")),
    ("Residents blocked the main road at Bistrita to protest a construction delay.", "KE", None),  # only a town abroad
    ("Police dispersed a crowd in Mogadishu with tear gas.", "KE", ("Mogadishu", "SO")),  # a city abroad stays
    ("Shells hit Saraqib in Idlib province on Monday.", "KE", ("Saraqib", "SY")),  # the text's own context wins
]


def test_feed_country_is_a_focus_vote():
    import pytest

    for text, feed, expected in FEED_CASES:
        nlp = Pipeline(["sections", "sentences", "places"], {"places": {"default_country": feed}})
        doc = nlp(Document(doc_id="t", text=text))
        towns = [(p.text, p.country_code) for p in doc.places if p.feature != "admin1"]
        if expected is None:
            assert towns == [], (text, towns)
        else:
            assert expected in towns, (text, towns)
    from fogwatch.errors import UsageError

    with pytest.raises(UsageError) as err:
        Pipeline(["sections", "sentences", "places"], {"places": {"default_country": "Narnia"}})
    assert err.value.code.value == "E302"


def test_country_cues_vote_for_the_reports_country():
    """Sentence written for this test: "Punjab" is a province of India and of Pakistan; a report about the BJP (an
    Indian party, a country cue of the actor registry) means India's. The setting turns the votes off."""
    text = "Members of the Punjab unit of the BJP protested against the land bill."
    with_cues = Pipeline(["sections", "sentences", "places"])(Document(doc_id="t", text=text))
    assert [(p.text, p.country_code) for p in with_cues.places] == [("Punjab", "IN")]
    assert "document is about IN" in with_cues.places[0].reason
    without = Pipeline(["sections", "sentences", "places"], {"places": {"country_cues": False}})(Document(doc_id="t", text=text))
    assert "document is about IN" not in without.places[0].reason


def test_the_users_country_cues_reach_the_places_stage(tmp_path):
    """A cue in the user's registry file (passed as the events stage takes it) votes for the report's country too
    (sentence and party name invented for this test)."""
    reg = tmp_path / "cues.yaml"
    reg.write_text("countries:\n  IN:\n    name: India\n    cues: [Zorbaland Front]\n", encoding="utf-8")
    text = "Members of the Punjab unit of the Zorbaland Front protested against the land bill."
    doc = Pipeline(["sections", "sentences", "places"], {"places": {"actor_paths": [str(reg)]}})(Document(doc_id="t", text=text))
    assert [(p.text, p.country_code) for p in doc.places] == [("Punjab", "IN")]
