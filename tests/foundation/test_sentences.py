from __future__ import annotations

from fogwatch.records import Section
from fogwatch.stages.sentences import find_dateline, split_sentences


def sents(text):
    return [text[s.start : s.end] for s in split_sentences(text, (Section(0, len(text), "body"),))]


def test_abbreviations_and_initials_do_not_end_sentences():
    text = "Gen. Ali Hassan met U.S. envoy J. Smith on Feb. 3 in Ankara. The talks ended without a deal."
    assert sents(text) == ["Gen. Ali Hassan met U.S. envoy J. Smith on Feb. 3 in Ankara.", "The talks ended without a deal."]


def test_dotted_acronym_at_sentence_end_before_a_sentence_opener():
    assert sents("The aid came from the U.S. The convoy left at dawn.") == ["The aid came from the U.S.", "The convoy left at dawn."]


def test_quoted_statement_stays_with_its_attribution():
    text = '"We will not withdraw. Our posts will stay," the minister said. Fighting continued.'
    assert sents(text) == ['"We will not withdraw. Our posts will stay," the minister said.', "Fighting continued."]


def test_closing_quote_after_period_belongs_to_the_sentence():
    text = "He called it “a treacherous attack.” Ankara responded within hours."
    assert sents(text) == ["He called it “a treacherous attack.”", "Ankara responded within hours."]


def test_dateline_stays_with_first_sentence_and_is_found():
    text = "DAMASCUS, Feb. 3 (Reuters) - Syrian troops entered the town on Monday. Residents fled north."
    assert sents(text)[0].startswith("DAMASCUS, Feb. 3 (Reuters) - Syrian troops")
    span = find_dateline(text)
    assert span is not None and text[span[0] : span[1]].strip() == "DAMASCUS, Feb. 3 (Reuters) -"
    assert find_dateline("BEIRUT (AP) — Rockets hit the port.") is not None
    assert find_dateline("Syrian troops entered the town.") is None


def test_list_like_lines_are_each_a_sentence():
    text = "Villages taken:\n- Ain al-Ban\n- Muqah\n3. Amiriyah"
    assert sents(text) == ["Villages taken:", "- Ain al-Ban", "- Muqah", "3. Amiriyah"]


def test_offsets_point_into_the_original_text():
    text = "  First one.   Second one!\n\nThird?  "
    spans = split_sentences(text, (Section(0, len(text), "body"),))
    assert [text[s.start : s.end] for s in spans] == ["First one.", "Second one!", "Third?"]


def test_sentences_carry_their_section_kind():
    text = "Body sentence here.\nlol comment"
    out = split_sentences(text, (Section(0, 19, "body"), Section(20, len(text), "comments")))
    assert [(s.section, text[s.start : s.end]) for s in out] == [("body", "Body sentence here."), ("comments", "lol comment")]


def test_numbers_and_decimals_do_not_split():
    assert sents("The toll rose to 3.5 thousand by No. 4 camp. Aid arrived.") == ["The toll rose to 3.5 thousand by No. 4 camp.", "Aid arrived."]


def test_dateline_found_at_an_offset_after_a_title():
    text = "Shelling kills seven\n\nBEIRUT, March 10 (Meridian Wire) - Government artillery shelled the town."
    k = text.index("BEIRUT")
    span = find_dateline(text, k)
    assert span is not None and text[span[0] : span[1]].strip() == "BEIRUT, March 10 (Meridian Wire) -"


def test_the_sentences_stage_finds_the_datelines_once_for_every_later_stage():
    from fogwatch.pipeline import Pipeline
    from fogwatch.records import Document, Span

    text = "BEIRUT (AP) — Rockets hit the port on Monday.\n\nDAMASCUS, Feb 3 (Reuters) - Shelling resumed."  # written for this test
    doc = Pipeline(["sections", "sentences"])(Document(doc_id="d", text=text))
    assert doc.datelines and doc.datelines[0] == Span(0, text.index("Rockets"))
    assert all(text[d.start : d.end].strip()[0].isupper() for d in doc.datelines)


def test_events_and_places_import_nothing_from_the_stages_layer():
    """Imports go down the layers: stages use events and places, never the reverse."""
    import re
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src" / "fogwatch"
    for package in ("events", "places", "learn"):
        for path in (src / package).glob("*.py"):
            assert not re.search(r"^\s*(?:from|import) fogwatch\.stages\b", path.read_text(), re.M), path
