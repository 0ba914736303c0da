"""Extract records with events validate against the contract schema; the stage reads only body text."""

import json
from dataclasses import replace

import jsonschema

from fogwatch.contract import schema, to_record
from fogwatch.pipeline import get_component
from fogwatch.records import Section, Sentence

from .helpers import make_doc

TEXT = (
    "Clashes in Idlib\n"
    "On March 9, the Turkish Defense Ministry said that at least 5 Turkish soldiers died and 4 others were wounded "
    "when Syrian Army artillery shelled a post near Saraqib. President Erdogan said that between 20 and 25 enemy soldiers were killed. "
    "Late on March 8, three airstrikes by unidentified jets struck Turkish-backed forces in al-Bab.\n"
    "Comments\n"
    "Great article! 500 terrorists were killed in airstrikes on Idlib yesterday!"
)


def _stage():
    return get_component("events").build()


def test_records_with_events_validate_against_the_contract_schema():
    doc = _stage()(make_doc(TEXT))
    record = json.loads(json.dumps(to_record(doc)))
    jsonschema.validate(record, schema())
    assert record["events"], "expected events"
    for ev in record["events"]:
        for claim in ev["claims"]:
            span = claim["evidence"]
            assert claim["figure"] in TEXT[span["start"] : span["end"]]
    confidences = [e["confidence"] for e in record["events"]]
    assert confidences == sorted(confidences, reverse=True)


def test_the_stage_never_reads_comments_or_boilerplate():
    doc = make_doc(TEXT)
    comment_start = TEXT.index("Comments")
    # mark the reader comments as such, the way the sectioner does for a comment block
    sections = tuple(s for s in doc.sections if s.end <= comment_start) + (Section(comment_start, len(TEXT), "comments"),)
    sentences = tuple(s for s in doc.sentences if s.end <= comment_start) + (
        Sentence(comment_start, comment_start + 8, "comments"),
        Sentence(comment_start + 9, len(TEXT), "comments"),
    )
    doc = replace(doc, sections=sections, sentences=sentences)
    out = _stage()(doc)
    for ev in out.events:
        for span in ev.evidence:
            assert span.end <= comment_start
        assert all(c.low != 500 for c in ev.claims)


def test_component_declaration():
    comp = get_component("events")
    assert comp.requires == ("sentences", "places") and comp.assigns == ("events",)
