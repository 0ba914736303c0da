"""The assembler's named passes over one sentence, each on its own (sentences written for these tests)."""

from __future__ import annotations

from fogwatch.events.assemble import (
    DocContext,
    _SentenceCtx,
    _extends_previous,
    _keep_anchored,
    _news_triggers,
    _read_claims,
    _type_clauses,
)

from .helpers import make_doc, registry


def _ctx(text: str) -> tuple[DocContext, list]:
    doc = make_doc(text)
    sentences = list(doc.body_sentences())
    return DocContext(doc, registry()), sentences


def _sc(ctx: DocContext, sentences: list, index: int = 0) -> _SentenceCtx:
    s = sentences[index]
    return _SentenceCtx(ctx, sentences, index, s, _news_triggers(ctx, s))


def test_news_triggers_leave_out_running_totals_and_background_years():
    ctx, sentences = _ctx("The war has killed more than 400000 people since 2011. The war began in 2011 with protests. Troops shelled Saraqib on Monday.")
    assert _news_triggers(ctx, sentences[0]) == []
    assert _news_triggers(ctx, sentences[1]) == []
    assert _news_triggers(ctx, sentences[2])


def test_type_clauses_gives_one_draft_per_event_clause():
    ctx, sentences = _ctx("Warplanes bombed Saraqib on Monday, while rebels captured the village of Kafr Nabl.")
    drafts = _type_clauses(ctx, _sc(ctx, sentences))
    assert [d.sub for d in drafts] == ["Air/drone strike", "Non-state actor overtakes territory"]
    assert all(d.type_reason for d in drafts)


def test_type_clauses_skips_named_but_not_happening_events():
    ctx, sentences = _ctx("Both sides discussed the frontline near Saraqib.")
    assert _type_clauses(ctx, _sc(ctx, sentences)) == []


def test_read_claims_keeps_figure_claimant_and_modality():
    ctx, sentences = _ctx("The monitor said at least 6 soldiers were killed in Saraqib on Monday.")
    [(pos, claim)] = _read_claims(ctx, _sc(ctx, sentences))
    assert (claim.quantity, claim.low, claim.high) == ("killed", 6, None)
    assert claim.claimant and "monitor" in claim.claimant.lower()
    assert claim.modality in ("reported", "claimed")
    assert ctx.text[claim.evidence.start : claim.evidence.end].startswith("at least 6")


def test_a_casualty_count_extends_the_previous_event_of_its_paragraph():
    text = "Troops shelled Saraqib on Monday. Four civilians were killed."
    ctx, sentences = _ctx(text)
    [previous] = _type_clauses(ctx, _sc(ctx, sentences, 0))
    sc = _sc(ctx, sentences, 1)
    claims = _read_claims(ctx, sc)
    assert _extends_previous(ctx, sc, claims, [c for _, c in claims], previous)
    assert previous.claims and previous.evidence[-1].start == sentences[1].start


def test_keep_anchored_drops_a_bare_event_noun():
    ctx, sentences = _ctx("Analysts stressed the importance of the ongoing clashes.")
    sc = _sc(ctx, sentences)
    drafts = _type_clauses(ctx, sc)
    assert _keep_anchored(ctx, sc, drafts, [], []) == []
