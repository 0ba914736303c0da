"""Counting the dead by ACLED's rules (docs/fatalities.md): which figures may set an event's fatalities.

A figure is always kept as a claim; these rules only say whether it *counts*, and why not
(``Claim.counted`` / ``count_reason``, a contract extension):

- a toll over several days, places or events (``summary_toll`` cues: "summing up", "so far",
  "since December 19") is a summary, never one event's fatalities;
- a subset of a figure already counted ("including 1 senior commander", ``subset`` cues);
- the same dead told again ("the two officers", ``repeat`` cues; or the same figure for the same
  victims in an earlier event of the same sub-type in the report);
- deaths that caused the event told ("protested over two people being killed", ``cause`` cues) or
  that did not happen ("escaped death", "attempting to kill five children", ``averted`` cues);
- a figure only a party to the fighting claims and that the text itself doubts ("militants claim",
  "supposedly", "if confirmed": modality ``claimed`` with a party as claimant, ``doubt``/``party`` cues);
- deaths in an event type that has none by ACLED's definition (a peaceful protest, an agreement).

A mention is *background* (``Event.background``) when it is dated more than 30 days before the
report, names an earlier year just before its trigger ("the 2013 Ghouta attack"), or its sentence
has a ``background`` cue ("last year", "since the start of the war").

The cue words are data (``data/lexicon/counting.yaml``); this module holds the logic only.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Callable

from fogwatch.events.lexicon import Lexicon
from fogwatch.events.model import Claim, EventDate

BACKGROUND_DAYS = 30  # a mention dated more than this many days before the report is background
# ACLED codes no fatalities for these sub-event types: a death makes it another event.
NO_FATALITY_TYPES = frozenset({
    "Peaceful protest", "Protest with intervention", "Agreement", "Headquarters or base established",
    "Non-violent transfer of territory", "Change to group/activity",
})
_EXCLUSIVE_LOWER = re.compile(r"\s*(?:more than|over|above|in excess of|upwards of)\s", re.I)
_YEAR_BEFORE = re.compile(r"\b((?:19|20)\d\d)(?:'s)?\s+(?:[a-z\-']+\s+){0,3}$")


def judge_claim(claim: Claim, sentence: str, at: int, lexicon: Lexicon, is_party: Callable[[str], bool]) -> Claim:
    """The claim, marked not counted when one of the module's rules says so.

    ``sentence``: the folded sentence; ``at``: the claim's evidence start relative to it;
    ``is_party``: does a claimant name a party to the fighting.
    """
    if claim.quantity != "killed" or not claim.counted:
        return claim
    end = at + (claim.evidence.end - claim.evidence.start)
    before = sentence[max(0, at - 60) : at]
    reason = None
    if lexicon.cue("cause").search(before):
        reason = "cause: deaths that prompted the event told, not its own toll"
    elif lexicon.cue("averted").search(sentence, max(0, at - 40), end):
        reason = "averted: nobody died (escaped, survived or only attempted)"
    elif re.search(r"(?:" + lexicon.cue("subset").pattern + r")\s+(?:[a-z\-]+\s+)?$", sentence[max(0, at - 30) : at]):
        reason = "subset: part of a figure already counted"
    elif re.search(r"(?:" + lexicon.cue("repeat").pattern + r")\s+$", sentence[max(0, at - 8) : at]) and claim.figure[:1].isalnum() \
            and sentence.startswith(claim.figure.lower(), at):  # "the two officers"; not "the toll at 9" (the cue is the toll's)
        reason = "repeat: the same dead told again"
    elif m := lexicon.cue("summary_toll").search(sentence):
        reason = f"summary: a toll over several days, places or events ({m.group(0)!r})"
    elif claim.modality == "claimed" and claim.claimant and is_party(claim.claimant) and lexicon.cue("doubt").search(sentence):
        reason = f"doubted: only {claim.claimant}, a party to the fighting, claims it"
    return replace(claim, counted=False, count_reason=reason) if reason else claim


def conservative(claim: Claim) -> int | None:
    """The figure a claim gives for fatalities: its low bound, or N for "more than N" (ACLED codes the stated number)."""
    if claim.low is None:
        return None
    if _EXCLUSIVE_LOWER.match(claim.figure) and claim.low > 1:
        return claim.low - 1
    return claim.low


def background_reason(
    sentence: str, trigger_at: int, when: EventDate, anchor: date | None, lexicon: Lexicon, dated_here: bool = False
) -> str | None:
    """Why a mention is background (an event well before the report), or None.

    ``sentence``: the folded sentence; ``trigger_at``: the trigger's offset in it; ``anchor``: the report's date;
    ``dated_here``: the event's date was read in this sentence.
    """
    if anchor is None:
        return None
    last = when.date_end or when.date
    if last:
        try:
            day = date.fromisoformat(last)
        except ValueError:
            day = None
        if day is not None and (anchor - day).days > BACKGROUND_DAYS:
            return f"dated {last}, {(anchor - day).days} days before the report ({anchor.isoformat()})"
        if day is not None and dated_here and when.time_precision == 1:
            return None  # dated to the day in the text, and recent: this report's news whatever else it mentions
    year = _YEAR_BEFORE.search(sentence[max(0, trigger_at - 40) : trigger_at])
    if year and int(year.group(1)) < anchor.year:
        return f"{year.group(1)!r} before its trigger names an earlier year"
    if m := lexicon.cue("background").search(sentence):
        return f"{m.group(0)!r} places it before the report"
    return None
