import re

from fogwatch.events.taxonomy import CASE_CODES, EVENT_TYPE_OF, EVENT_TYPES, SUB_EVENT_TYPES, TAXONOMY


def test_taxonomy_matches_the_contract_exactly(shared):
    contract = (shared / "CONTRACT.md").read_text(encoding="utf-8")
    section = contract.split("## ACLED taxonomy", 1)[1].split("###", 1)[0]
    parsed = {}
    for line in section.splitlines():
        m = re.match(r"- \*\*(.+?):\*\* (.+)$", line.strip())
        if m:
            parsed[m.group(1)] = tuple(s.strip() for s in m.group(2).split("·"))
    assert parsed == TAXONOMY
    assert len(EVENT_TYPES) == 6 and len(SUB_EVENT_TYPES) == 25


def test_case_codes_cover_every_sub_event_type_once():
    assert sorted(CASE_CODES.values()) == sorted(SUB_EVENT_TYPES)
    assert EVENT_TYPE_OF["Air/drone strike"] == "Explosions/Remote violence"
    assert EVENT_TYPE_OF["Arrests"] == "Strategic developments"
