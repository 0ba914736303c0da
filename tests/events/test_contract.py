"""Extract records with events validate against the contract schema; the stage reads only body text."""

import json
from dataclasses import replace

import jsonschema
import pytest

from fogwatch.contract import schema, to_record
from fogwatch.pipeline import default_pipeline, get_component
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


@pytest.fixture(scope="module", autouse=True)
def _gazetteer_ready():
    """Open (and, on a fresh clone, build) the places index in this process before any `fogwatch`
    child runs, so no child pays the one-off index build in time and memory."""
    default_pipeline()


def _jsonl(tmp_path, text, published="2023-05-10"):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "r1", "text": text, "published": published}) + "\n", encoding="utf-8")
    return path


def test_cli_extract_records_validate_and_user_actors_apply(tmp_path, run_cli):
    (tmp_path / "actors").mkdir()
    (tmp_path / "actors" / "extra.yaml").write_text(
        "actors:\n  - name: Wagner Group\n    inter: 8\n    aliases: [Wagner fighters, Wagner mercenaries]\n", encoding="utf-8"
    )
    text = "On Monday, Wagner fighters shot dead 12 villagers in Moura, local officials said. The army denied it."
    proc = run_cli("extract", "--jobs", "1", str(_jsonl(tmp_path, text)), env={"FOGWATCH_ACTORS": str(tmp_path / "actors")})
    assert proc.returncode == 0, proc.stderr.decode()
    record = json.loads(proc.stdout.decode().splitlines()[0])
    jsonschema.validate(record, schema())
    ev = record["events"][0]
    assert ev["sub_event_type"] == "Attack" and ev["actor1"]["name"] == "Wagner Group"
    assert ev["date"] == "2023-05-08" and ev["fatalities"] == 12
    assert ev["claims"][0]["claimant"] == "local officials" and ev["claims"][0]["modality"] == "reported"


def test_cli_bad_actor_registry_is_a_usage_error(tmp_path, run_cli):
    bad = tmp_path / "bad.yaml"
    bad.write_text("actors:\n  - inter: 3\n", encoding="utf-8")
    proc = run_cli("extract", "--jobs", "1", str(_jsonl(tmp_path, "Nothing happened.")), env={"FOGWATCH_ACTORS": str(bad)})
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "E601" in err and "Traceback" not in err
    assert proc.stdout == b""


def test_cli_document_without_events(tmp_path, run_cli):
    proc = run_cli("extract", "--jobs", "1", str(_jsonl(tmp_path, "The bakery on the corner sells bread every morning.")))
    assert proc.returncode == 0
    record = json.loads(proc.stdout.decode())
    assert record["events"] == [] and record["errors"] == []
