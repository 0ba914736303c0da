"""`fogwatch extract` on the seeds: contract-valid records, comments and footer where they are."""

from __future__ import annotations

import json

import jsonschema
import pytest

from fogwatch.contract import schema


@pytest.fixture(scope="module")
def seed_records(shared, run_cli):
    proc = run_cli("extract", str(shared / "corpus" / "seeds" / "seeds.jsonl"))
    assert proc.returncode == 0, proc.stderr.decode()
    return {r["doc_id"]: r for r in map(json.loads, proc.stdout.decode().splitlines())}


@pytest.fixture(scope="module")
def seed_texts(shared):
    return {json.loads(line)["id"]: json.loads(line)["text"] for line in (shared / "corpus/seeds/seeds.jsonl").open(encoding="utf-8")}


def _kind_at(record, offset):
    for s in record["sections"]:
        if s["start"] <= offset < s["end"]:
            return s["kind"]
    return None


def test_records_validate_against_contract_schema(seed_records):
    validator = jsonschema.Draft202012Validator(schema())
    assert len(seed_records) == 2
    for record in seed_records.values():
        errors = sorted(validator.iter_errors(record), key=str)
        assert not errors, [e.message for e in errors]


def test_sections_cover_text_in_order_without_overlap(seed_records, seed_texts):
    for doc_id, record in seed_records.items():
        text = seed_texts[doc_id]
        spans = [(s["start"], s["end"]) for s in record["sections"]]
        assert spans == sorted(spans)
        for (s1, e1), (s2, _) in zip(spans, spans[1:]):
            assert e1 <= s2
        covered = sum(e - s for s, e in spans)
        assert covered >= len(text.strip()) * 0.98  # only blank lines between sections


def test_reader_comments_of_000_are_comments_and_article_is_body(seed_records, seed_texts):
    text, record = seed_texts["000_513aeec856fbd06a"], seed_records["000_513aeec856fbd06a"]
    last_article_line = text.index("Another factor is the increasing Turkish military presence")
    first_comment = text.index("good resumer!!")
    assert _kind_at(record, last_article_line) == "body"
    assert _kind_at(record, text.index("In the period between February 1 and February 7")) == "body"
    # every comment line, first to last, is a comment
    for line in text[first_comment:].splitlines():
        if line.strip():
            assert _kind_at(record, text.index(line)) == "comments", line
    assert _kind_at(record, first_comment - 2) == "body"


def test_republisher_footer_of_003_is_boilerplate(seed_records, seed_texts):
    text, record = seed_texts["003_f062418edb9b3e82"], seed_records["003_f062418edb9b3e82"]
    assert _kind_at(record, 0) == "title"
    assert _kind_at(record, text.index("On February 3, the Turkish Defense Ministry reported")) == "body"
    for marker in ("Note to readers", "Support South Front", "Articles by:", "Disclaimer:", "fair use", "For media inquiries"):
        assert _kind_at(record, text.index(marker)) == "boilerplate", marker
    assert not any(s["kind"] == "comments" for s in record["sections"])


def test_003_names_original_outlet_and_republisher(seed_records, seed_texts):
    prov = seed_records["003_f062418edb9b3e82"]["provenance"]
    assert prov["outlet"] == "South Front"
    assert prov["republisher"] == "Global Research"
    text = seed_texts["003_f062418edb9b3e82"]
    assert any(text[e["start"] : e["end"]] == "South Front" for e in prov["evidence"])
