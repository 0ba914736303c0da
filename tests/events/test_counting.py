"""Counting the dead by ACLED's rules (issue 10 items 1-3): the case table, background mentions, hedged events."""

from pathlib import Path

import pytest
import yaml

from fogwatch.events.counting import background_reason, conservative, judge_claim
from fogwatch.events.figures import count_casualties
from fogwatch.events.lexicon import default_lexicon
from fogwatch.events.model import Claim, EventDate, counts_by_default
from fogwatch.records import Span
from fogwatch.text.normalize import fold

from .helpers import events_of

CASES = yaml.safe_load(Path(__file__).with_name("fatalities_cases.yaml").read_text(encoding="utf-8"))


def counted_total(events):
    figures = [e.fatalities for e in events if counts_by_default(e) and e.fatalities is not None]
    return sum(figures) if figures else None


@pytest.mark.parametrize("case", CASES, ids=[c["rule"] + ": " + c["text"][:40] for c in CASES])
def test_case_table(case):
    events = events_of(case["text"], published=case.get("published", "2020-02-04"))
    assert counted_total(events) == case["fatalities"], [(e.sub_event_type, e.fatalities, e.modality, e.background_reason,
                                                          [(c.low, c.counted, c.count_reason) for c in e.claims]) for e in events]
    if "events" in case:
        assert sum(1 for e in events if counts_by_default(e)) == case["events"], [(e.sub_event_type, e.modality, e.background_reason) for e in events]


def counts(sentence):
    lex = default_lexicon()
    return [(c.quantity, c.figure.low, c.subject) for c in count_casualties(fold(sentence), sentence, lex.cue("victim_nouns"), lex.cue("unknown_number"))]


def test_singular_victims_are_one():
    assert counts("Gunmen shot dead a local council member.") == [("killed", 1, "local council member")]
    assert counts("A senior Al Shabaab member was killed.") == [("killed", 1, "senior Al Shabaab member")]
    assert counts("A councillor-elect was shot dead.") == [("killed", 1, "councillor-elect")]
    assert counts("A civilian car was hit.") == []  # no casualty word: no count


def test_to_death_gunned_down_succumbed():
    assert counts("A local leader was hacked to death by assailants.") == [("killed", 1, "local leader")]
    assert counts("A trader was gunned down at his shop.") == [("killed", 1, "trader")]
    assert counts("Two protesters succumbed to their injuries.") == [("killed", 2, "protesters")]
    assert counts("2 men were sentenced to death on Monday.") == []  # a sentence, not a killing


def test_unknown_numbers_and_asides():
    assert counts("An unknown number of militants were killed and wounded.") == [("killed", 10, "militants")]
    assert counts("Fatalities from both sides were reported.") == [("killed", 10, None)]
    assert counts("9 militants, including 1 senior, were killed.") == [("killed", 9, "militants"), ("killed", 1, "senior")]


def test_active_verbs_with_an_object_and_model_names():
    # "50 rivals" did not die: they killed a farmer
    assert counts("At least 50 rivals assaulted and killed a farmer.") == [("killed", 1, "farmer")]
    # "AK-47" is a rifle, not 47 people
    assert counts("A soldier armed with an AK-47 rifle shot and killed a civilian.") == [("killed", 1, "civilian")]


def claim(figure="over 150", low=151, modality="asserted", claimant=None, start=0, end=10):
    return Claim("killed", low, None, claimant, modality, "soldiers", Span(start, end), figure)


def test_judge_claim_reasons():
    lex = default_lexicon()
    never = lambda _: False  # noqa: E731
    s = fold("summing up the week, the rebels claim that over 90 troops were killed")
    at = s.index("over 90")
    assert judge_claim(claim(start=at, end=at + 30), s, at, lex, never).count_reason.startswith("summary")
    s = fold("the rebels claimed that 40 soldiers were killed, a figure that could not be verified")
    at = s.index("40")
    judged = judge_claim(claim("40", 40, "claimed", "The rebels", at, at + 20), s, at, lex, lambda c: True)
    assert not judged.counted and judged.count_reason.startswith("doubted")
    # the same figure from a monitor, not a party, still counts
    assert judge_claim(claim("40", 40, "claimed", "the monitor", at, at + 20), s, at, lex, never).counted
    s = fold("the two officers were on duty when they were killed")
    at = s.index("two")
    assert judge_claim(claim("two", 2, start=at, end=at + 12), s, at, lex, never).count_reason.startswith("repeat")


def test_more_than_n_counts_n():
    assert conservative(claim("more than 50", 51)) == 50
    assert conservative(claim("at least 6", 6)) == 6
    assert conservative(claim("over 1", 2)) == 1


def test_background_reasons():
    from datetime import date

    lex = default_lexicon()
    anchor = date(2020, 2, 4)
    old = EventDate("2013-08-21", None, 1, None, "in the sentence")
    assert background_reason("the attack", 4, old, anchor, lex).startswith("dated 2013-08-21")
    recent = EventDate("2020-02-03", None, 1, Span(0, 5), "in the sentence")
    assert background_reason("last year's attack and the attack on monday", 20, recent, anchor, lex, dated_here=True) is None
    fallback = EventDate("2020-02-04", None, 2, None, "publication date")
    assert "2013" in background_reason("residents recalled the 2013 chemical attack", 28, fallback, anchor, lex)
    assert "last year" in background_reason("last year, an airstrike killed 40", 20, fallback, anchor, lex)
    assert background_reason("an airstrike killed 40", 4, fallback, None, lex) is None


def test_background_and_hedged_events_are_in_the_record_but_do_not_count():
    events = events_of("On February 3, troops shelled Saraqib, killing 7 civilians. Two years ago, an airstrike on the same market killed 40 people.")
    background = [e for e in events if e.background]
    assert background and all(not counts_by_default(e) for e in background)
    record = background[0].to_contract()
    assert record["background"] is True and "years ago" in record["background_reason"] and record["fatalities"] == 40
    assert [e.fatalities for e in events if counts_by_default(e)] == [7]
    hedged = events_of("The army threatened to shell Saraqib and kill 20 fighters if they do not withdraw.")
    assert hedged and all(e.modality == "hypothetical" and not counts_by_default(e) for e in hedged)


def test_claims_say_whether_they_count():
    events = events_of("On February 3, troops clashed with rebels in Saraqib. 9 rebels, including 2 commanders, were killed.")
    claims = [c.to_contract() for e in events for c in e.claims]
    assert {c["low"]: (c["counted"], c["count_reason"]) for c in claims if c["quantity"] == "killed"} == {
        9: (True, None), 2: (False, "subset: part of a figure already counted")}
