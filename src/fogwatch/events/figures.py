"""Figures in text: numbers, number words, ranges and vague amounts, as ``low``/``high`` bounds.

:func:`find_figures` finds the figures of a (folded, lower-case) sentence;
:func:`find_counts` attaches each figure to what it counts: a quantity kind
(killed, injured, captured, missing, displaced, destroyed, other) and the
subject as written ("Turkish personnel"). The bounds follow the contract's
table and ACLED's convention for vague amounts ("a dozen"/"dozens" = 12,
"tens" = 10, "hundreds" = 100, "several"/"a number of" = 10).

Everything is linear in the sentence length: one regular expression pass for
figures, then a bounded look at a few tokens around each figure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_WORD_NUM = (
    r"(?:(?:" + "|".join(_TENS) + r")(?:[- ](?:" + "|".join(k for k in _UNITS if _UNITS[k] < 10) + r"))?"
    r"|" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r"|a|one)"
    r"(?:\s+(?:hundred|thousand)(?:\s+and\s+\w+)?)?"
)
# A bare number: digits (with thousands separators) or number words; "a" only before hundred/thousand.
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+|" + _WORD_NUM + r")"
_VAGUE: dict[str, tuple[int | None, int | None]] = {
    "a dozen": (12, 12), "one dozen": (12, 12), "two dozen": (24, 24), "three dozen": (36, 36), "dozens": (12, None),
    "tens of thousands": (10000, None), "hundreds of thousands": (100000, None), "tens": (10, None),
    "scores": (20, None), "hundreds": (100, None), "thousands": (1000, None), "millions": (1000000, None),
    "several": (10, None), "a number of": (10, None), "a few": (3, None), "many": (10, None), "numerous": (10, None),
}
_VAGUE_RE = "|".join(re.escape(k) for k in sorted(_VAGUE, key=len, reverse=True))
_LOWER_INCL = r"at least|no fewer than|no less than|a minimum of|not less than"
_LOWER_EXCL = r"more than|over|above|in excess of|upwards of"
_UPPER_INCL = r"up to|as many as|at most|no more than|nearly|almost|close to|not more than"
_UPPER_EXCL = r"less than|fewer than|under|below"
_APPROX = r"about|around|approximately|some|roughly|an estimated|estimated|nearly about|at|a total of|total of"

FIGURE_RE = re.compile(
    r"\b(?:"
    r"between\s+(?P<b1>" + _NUM + r")\s+and\s+(?P<b2>" + _NUM + r")"
    r"|from\s+(?P<f1>" + _NUM + r")\s+to\s+(?P<f2>" + _NUM + r")"
    r"|(?P<mod>" + "|".join((_LOWER_INCL, _LOWER_EXCL, _UPPER_INCL, _UPPER_EXCL, _APPROX)) + r")\s+(?P<mnum>" + _NUM + r"|" + _VAGUE_RE + r")"
    r"|(?P<r1>\d{1,3}(?:,\d{3})*|\d+)\s*(?:-|to|or)\s*(?P<r2>\d{1,3}(?:,\d{3})*|\d+)"
    r"|(?P<vague>" + _VAGUE_RE + r")"
    r"|(?P<num>" + _NUM + r")"
    r")\b"
)
_MONTHS = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_AFTER_MONTH = re.compile(_MONTHS + r"\s*$")
_NOT_A_COUNT_AFTER = re.compile(
    r"\s*(?:%|percent|per cent|km|kilomet|miles?\b|meters|metres|m\b|kg|tons|tonnes|am\b|pm\b|a\.m|p\.m|hours?\b|days?\b|weeks?\b|"
    r"months?\b|years?\b|year-old|-year|st\b|nd\b|rd\b|th\b|dollars|usd|euros?\b|million|billion|mm\b|sq|square|jan|feb|mar|apr|"
    r"may\b|jun|jul|aug|sep|oct|nov|dec|o'clock|:\d|/\d|\.\d)"
)


def _word_value(text: str) -> int | None:
    text = text.strip()
    if text.replace(",", "").isdigit():
        return int(text.replace(",", ""))
    total, current = 0, 0
    for word in re.split(r"[\s-]+", text):
        if word in ("a", "and"):
            current = current or (1 if word == "a" else current)
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "thousand":
            total += (current or 1) * 1000
            current = 0
        else:
            return None
    value = total + current
    return value or None


@dataclass(frozen=True, slots=True)
class Figure:
    start: int  # offsets relative to the string searched
    end: int
    low: int | None
    high: int | None
    vague: bool = False


def _bounds(m: re.Match[str]) -> tuple[int | None, int | None, bool] | None:
    g = m.groupdict()
    if g["b1"]:
        a, b = _word_value(g["b1"]), _word_value(g["b2"])
        return (a, b, False) if a is not None and b is not None else None
    if g["f1"]:
        a, b = _word_value(g["f1"]), _word_value(g["f2"])
        return (a, b, False) if a is not None and b is not None else None
    if g["r1"]:
        a, b = _word_value(g["r1"]), _word_value(g["r2"])
        if a is None or b is None or b <= a:
            return None
        return (a, b, False)
    if g["vague"]:
        if g["vague"] == "many" or g["vague"] == "numerous":
            return None  # too vague on its own; only counted next to a casualty word (see find_counts)
        low, high = _VAGUE[g["vague"]]
        return (low, high, True)
    if g["mod"]:
        raw = g["mnum"]
        mod = g["mod"]
        if raw in _VAGUE:
            low, high = _VAGUE[raw]
            vague = True
        else:
            value = _word_value(raw)
            if value is None:
                return None
            low = high = value
            vague = False
        if mod == "at" and vague:
            return None
        if re.fullmatch(_LOWER_INCL, mod):
            return (low, None, vague)
        if re.fullmatch(_LOWER_EXCL, mod):
            return ((low + 1) if low is not None else None, None, vague)
        if re.fullmatch(_UPPER_INCL, mod):
            return (None, low if not vague else None, vague)
        if re.fullmatch(_UPPER_EXCL, mod):
            return (None, (low - 1) if low is not None else None, vague)
        return (low, high, vague)
    value = _word_value(g["num"]) if g["num"] and g["num"] != "a" else None
    if value is None:
        return None
    return (value, value, False)


def find_figures(folded: str) -> list[Figure]:
    """Figures in a folded (lower-case) sentence, left to right, not overlapping."""
    out: list[Figure] = []
    for m in FIGURE_RE.finditer(folded):
        text = m.group(0)
        if text in ("a", "one", "at") or text.startswith("at ") and not text.startswith("at least ") and not any(ch.isdigit() for ch in text):
            # "a" and "one" alone are articles far more often than counts; "one" is kept
            # only when a casualty word follows (handled by find_counts' lone-word rule).
            if text == "one" and not _NOBODY_BEFORE.search(folded, max(0, m.start() - 8), m.start()):
                out.append(Figure(m.start(), m.end(), 1, 1))  # "no one was killed", "not one": nobody
            continue
        digits = m.group("num") or ""
        if digits.isdigit() and len(digits) == 4 and 1900 <= int(digits) <= 2099:
            continue  # a year
        if _AFTER_MONTH.search(folded, max(0, m.start() - 12), m.start()):
            continue  # "February 1"
        if _NOT_A_COUNT_AFTER.match(folded, m.end()):
            continue
        if m.start() > 0 and folded[m.start() - 1] in "$£€#":
            continue
        if m.start() > 1 and folded[m.start() - 1] == "-" and folded[m.start() - 2].isalpha():
            continue  # a model name: "AK-47", "F-16", "Su-24"
        bounds = _bounds(m)
        if bounds is None:
            continue
        low, high, vague = bounds
        out.append(Figure(m.start(), m.end(), low, high, vague))
    return out


# --- what a figure counts ---------------------------------------------------------------

QUANTITY_WORDS: dict[str, str] = {}
for _kind, _words in {
    "killed": "killed dead died deaths death fatalities slain perished martyred executed massacred murdered lives gunned succumbed",
    "injured": "injured wounded hurt injuries",
    "captured": "captured arrested detained abducted kidnapped seized taken held imprisoned jailed rounded",
    "missing": "missing disappeared unaccounted",
    "displaced": "displaced fled evacuated homeless uprooted refugees",
    "destroyed": "destroyed damaged burned burnt razed demolished torched downed",
}.items():
    for _w in _words.split():
        QUANTITY_WORDS[_w] = _kind
# The active forms that put the figure after the verb: "killing 6 civilians".
ACTIVE_WORDS: dict[str, str] = {
    "killed": "killed", "killing": "killed", "kill": "killed", "kills": "killed", "executed": "killed", "executing": "killed",
    "assassinated": "killed", "assassinating": "killed", "lynched": "killed", "lynching": "killed", "lynch": "killed",
    "dead": "killed", "death": "killed", "murdered": "killed", "massacred": "killed", "slaughtered": "killed", "beheaded": "killed", "murdering": "killed",
    "injured": "injured", "injuring": "injured", "wounded": "injured", "wounding": "injured", "injure": "injured",
    "captured": "captured", "capturing": "captured", "arrested": "captured", "arresting": "captured", "detained": "captured",
    "detaining": "captured", "abducted": "captured", "abducting": "captured", "kidnapped": "captured", "kidnapping": "captured",
    "displaced": "displaced", "displacing": "displaced", "destroyed": "destroyed", "destroying": "destroyed",
    "leaving": "?", "left": "?", "claimed": "killed?",
}
_AUX = frozenset("were was are is have has had been be being got get reportedly allegedly also later all both subsequently so far so reported said believed thought feared confirmed".split())
_SUBJECT_STOP = frozenset(
    """were was are is have has had been be being and or but in on at by from with during after before when while as that which who
    whom since until near into over under against for to of' it they he she we this these those there here than then not no
    reportedly allegedly also later said says say reported according came went got made took fell ran tried moved arrived
    returned left entered remained continued began started stayed sat stood came fled hid lay saw heard found""".split()
)
# What a figure with no casualty word may still count in a conflict report ("Up to 10 suicide bombers").
OTHER_HEADS = frozenset(
    """bombers attackers fighters militants soldiers troops airstrikes strikes raids sorties missiles rockets shells mortars bombs
    drones villages towns settlements localities targets vehicles tanks positions houses homes buildings checkpoints posts""".split()
)
EVENT_NOUNS = frozenset("attack attacks strike strikes airstrikes raid raids clashes explosions blasts bombings operations incidents shells".split())
_TOKEN = re.compile(r"[a-z0-9][a-z0-9'\-]*|[^\sa-z0-9]")
_TOLL_AT = re.compile(r"(?:death toll|toll|number of (?:the )?(?:dead|deaths|victims|fatalities))\s+$")
_TOLL = re.compile(r"(?:death toll|toll|number of (?:the )?(?:dead|deaths|victims|fatalities))\b[^.;]{0,30}?\b(?:rose|risen|climbed|reached|stands|stood|is|was|at|to|of|hit)\s*(?:to|at)?\s*$")


_COORDINATED = re.compile(r"\s*(?:,\s*)?(?:and|as well as|plus)\s+(?:at least\s+|some\s+|about\s+|around\s+|another\s+|up to\s+)?$")
# what a coordinated figure may not share a casualty verb with: things, not people
_THING_HEADS = frozenset(
    """villages towns settlements localities targets vehicles tanks positions houses homes buildings checkpoints posts airstrikes
    strikes raids sorties missiles rockets shells mortars bombs drones cars trucks shops days hours weeks months years times kilometres
    kilometers miles metres meters camels cattle cows goats sheep livestock bulls animals donkeys horses""".split()
)
_TO_DEATH = re.compile(r"\s+to\s+death\b")
_THEN_KILLED = re.compile(r"\s+and\s+(?:(?:later|then|subsequently|were|was|also|had|been)\s+){0,2}(?:killed|shot dead|executed|murdered|died|beheaded|hacked to death|burned to death|beaten to death)\b")
_OBJECT_AFTER = re.compile(r"\s+(?:\d|(?:the|a|an|him|them|his|her|their|its|two|three|four|five|six|seven|eight|nine|ten|one|several|dozens)\b)")


@dataclass(frozen=True, slots=True)
class Count:
    """A figure attached to what it counts."""

    figure: Figure
    quantity: str
    subject: str | None  # as written in the original text
    subject_span: tuple[int, int] | None
    start: int  # the evidence: figure through the casualty word
    end: int


def _tokens(folded: str, start: int, end: int, limit: int) -> list[tuple[int, int, str]]:
    out = []
    for m in _TOKEN.finditer(folded, start, end):
        out.append((m.start(), m.end(), m.group(0)))
        if len(out) >= limit:
            break
    return out


def _subject_after(folded: str, original: str, pos: int, end: int) -> tuple[list[tuple[int, int, str]], int]:
    """Up to five subject words after ``pos``; returns (subject tokens, index of next token in the scan)."""
    toks = _tokens(folded, pos, end, 16)
    subject: list[tuple[int, int, str]] = []
    i = 0
    if toks and toks[0][2] == "of":  # "a dozen of others", "five of them"
        i = 1
        if i < len(toks) and toks[i][2] in ("the", "them", "those", "these", "whom", "its", "their", "his", "her", "our"):  # "four of its troops"
            if toks[i][2] in ("them", "whom"):
                subject.append(toks[i])
                return subject, i + 1
            i += 1
    while i < len(toks) and len(subject) < 6:
        word = toks[i][2]
        if not word[0].isalnum() and word != "-":
            break
        if word in _SUBJECT_STOP or word in QUANTITY_WORDS or word in ACTIVE_WORDS or word.endswith("ly") and len(word) > 4:
            # "of" may join a subject ("units of military equipment") but not start the scan twice
            if word == "of" and subject and i + 1 < len(toks) and toks[i + 1][2] not in _SUBJECT_STOP:
                subject.append(toks[i])
                i += 1
                continue
            break
        if (word.endswith("ing") and len(word) > 5 or word.endswith("ed") and len(word) > 4) and subject:
            break  # "personnel embedded with", "vehicles belonging to"

        if word[0].isdigit():
            break
        subject.append(toks[i])
        i += 1
    return subject, i if subject or not toks else i


def _subject_text(original: str, toks: list[tuple[int, int, str]]) -> tuple[str | None, tuple[int, int] | None]:
    while toks and toks[-1][2] in ("of", "the", "-"):
        toks = toks[:-1]
    if not toks:
        return None, None
    return original[toks[0][0] : toks[-1][1]], (toks[0][0], toks[-1][1])


def find_counts(folded: str, original: str, figures: list[Figure] | None = None) -> list[Count]:
    """Each figure with the quantity it counts and its subject; figures that count nothing are dropped.

    ``folded`` and ``original`` are the same sentence (same length); offsets are relative to them.
    """
    if figures is None:
        figures = find_figures(folded)
    counts: list[Count] = []
    n = len(folded)
    for idx, fig in enumerate(figures):
        next_fig = figures[idx + 1].start if idx + 1 < len(figures) else n
        clause_end = n
        for stop in (".", ";", ":"):
            p = folded.find(stop, fig.end)
            if p != -1 and p < clause_end and not (stop == "." and p + 1 < n and folded[p + 1].isdigit()):
                clause_end = p
        # 1) the verb before the figure: "killing 6 civilians", "killed 4 Russian military personnel"
        before = folded[max(0, fig.start - 40) : fig.start]
        bm = re.search(r"([a-z]+)(?:\s+and\s+([a-z]+))?\s+(?:at least\s+|some\s+|about\s+)?$", before)
        subject_toks, _ = _subject_after(folded, original, fig.end, min(clause_end, next_fig))
        subject, subject_span = _subject_text(original, subject_toks)
        head = subject_toks[-1][2] if subject_toks else ""
        if head in EVENT_NOUNS or (subject_toks and subject_toks[0][2] in ("their", "his", "its", "our")):
            subject, subject_span, head = None, None, ""
            event_subject = True
        else:
            event_subject = False
        if bm:
            verb, verb2 = bm.group(1), bm.group(2)
            if verb2 is not None and (verb2 not in ACTIVE_WORDS or verb not in ACTIVE_WORDS):
                # "killed and another 20 wounded", "2 soldiers and wounding 5": the word right before the figure decides
                verb, verb2 = verb2, None
            elif verb2 is not None and ACTIVE_WORDS.get(verb) == "captured" and ACTIVE_WORDS.get(verb2) == "killed":
                verb, verb2 = verb2, None  # "kidnapped and killed 2 men": the same people, killed
            kind = ACTIVE_WORDS.get(verb)
            if kind == "?":
                # "left 5 dead", "leaving 7 injured": the casualty word follows the figure
                kind = None
                after = _tokens(folded, fig.end, min(clause_end, next_fig), 8)
                for t in after:
                    if t[2] in QUANTITY_WORDS:
                        kind = QUANTITY_WORDS[t[2]]
                        end = t[1]
                        break
                if kind:
                    counts.append(Count(fig, kind, subject, subject_span, fig.start, end))
                    continue
            elif kind == "killed?":
                kind = None  # "claimed 5 lives" is handled by the generic rule below
            elif kind:
                ev_start = fig.start - len(bm.group(0))
                ev_end = subject_span[1] if subject_span else fig.end
                if verb2 and ACTIVE_WORDS.get(verb2) and ACTIVE_WORDS.get(verb2) != kind:
                    # "killing and injuring dozens": neither part is known, only the total
                    counts.append(Count(Figure(fig.start, fig.end, None, fig.high, fig.vague), kind, subject, subject_span, ev_start, ev_end))
                    counts.append(Count(Figure(fig.start, fig.end, None, fig.high, fig.vague), ACTIVE_WORDS[verb2], subject, subject_span, ev_start, ev_end))
                else:
                    counts.append(Count(fig, kind, subject, subject_span, ev_start, ev_end))
                continue
        # 2) a death toll: "the death toll rose to 16"
        if toll := _TOLL.search(folded, max(0, fig.start - 60), fig.start) or (
            _TOLL_AT.search(folded, max(0, fig.start - 60), fig.start) if folded.startswith("at ", fig.start) else None
        ):  # "put the toll at 9": the figure holds the "at"
            counts.append(Count(fig, "killed", subject, subject_span, toll.start(), fig.end))
            continue
        # 3) the casualty word after the figure: "17 militants were captured", "two dead", "8 ... and died"
        scan_end = min(clause_end, next_fig)
        toks = _tokens(folded, subject_span[1] if subject_span else fig.end, scan_end, 14)
        found = None
        for j, (ts, te, word) in enumerate(toks):
            if word in QUANTITY_WORDS or word.isalpha() and word not in ("sentenced", "condemned") and _TO_DEATH.match(folded, te):
                kind = QUANTITY_WORDS.get(word, "killed")
                if _TO_DEATH.match(folded, te):
                    kind = "killed"  # "5 people were burned to death", "a leader was hacked to death"
                if j > 0 and word in ("killed", "injured", "wounded", "captured", "abducted", "kidnapped") and _OBJECT_AFTER.match(folded, te):
                    break  # "50 rivals assaulted and killed a farmer": an active verb with its own object
                if word == "taken" and not (j + 1 < len(toks) and toks[j + 1][2] in ("prisoner", "captive", "hostage", "into")):
                    continue
                if word in ("held", "seized", "rounded") and j > 0 and toks[j - 1][2] not in _AUX:
                    continue
                if word == "lives" and not (j > 0 and toks[j - 1][2] in ("their", "the")):
                    continue
                # headline style "16 killed" must not be an active verb with an object ("attacks killed 4")
                if j == 0 or toks[j - 1][2] in _AUX or j <= 1 or word in ("dead", "deaths", "fatalities", "injuries", "missing", "homeless", "refugees"):
                    # "... killed the driver", "four men shot dead a priest": an active verb with its object (read in
                    # the text: the object may open the next figure), the figure counts its agents
                    if word in ("killed", "injured", "wounded", "captured", "destroyed", "dead") and j == 0 and _OBJECT_AFTER.match(folded, te):
                        break
                    found = (kind, te)
                    break
                # a coordinated predicate: "8 Turkish service members ... and died in strikes"
                if toks[j - 1][2] in ("and", "that", "who", "which") or (j >= 2 and toks[j - 2][2] in ("and", "that", "who", "which") and toks[j - 1][2] in _AUX):
                    found = (kind, te)
                    break
                if j <= 3 and all(t[2] in _AUX for t in toks[max(0, j - 3) : j]):
                    found = (kind, te)
                    break
            elif word in (",",) and j > 0:
                break
        if found and not event_subject:
            counts.append(Count(fig, found[0], subject, subject_span, fig.start, found[1]))
            if found[0] != "killed" and (then := _THEN_KILLED.match(folded, found[1], scan_end)):
                # "3 labourers were kidnapped and shot dead", "were wounded and later died": the same people died
                counts.append(Count(fig, "killed", subject, subject_span, fig.start, then.end()))
            continue
        if found and event_subject and found[0] != "killed":
            continue
        # "killing 7 civilians and 3 soldiers": a figure coordinated with the previous count shares its verb
        if not found and not event_subject and subject and subject_span and counts and not any(t[2] in _THING_HEADS for t in subject_toks):
            # (not "3 herdsmen were killed and 100 camels stolen": animals and things are no dead)
            prev = counts[-1]
            if prev.quantity in ("killed", "injured", "captured", "missing") and prev.end <= fig.start and _COORDINATED.match(folded, prev.end, fig.start):
                counts.append(Count(fig, prev.quantity, subject, subject_span, fig.start, subject_span[1]))
                continue
        # 4) no casualty word: a count of a conflict noun ("Up to 10 suicide bombers")
        if head in OTHER_HEADS and not fig.vague or head in ("bombers", "airstrikes", "strikes", "villages", "settlements", "vehicles", "targets"):
            counts.append(Count(fig, "other", subject, subject_span, fig.start, subject_span[1] if subject_span else fig.end))
    return _resolve_others(counts)


def _resolve_others(counts: list[Count]) -> list[Count]:
    """ "7 others were injured": the subject is the previous count's subject."""
    out: list[Count] = []
    previous: str | None = None
    for c in counts:
        subject = c.subject
        if subject and subject.lower() in ("others", "other", "more", "them", "whom") and previous:
            subject = previous
        elif subject and subject.lower().startswith("others ") and previous:
            subject = previous
        if subject and subject.lower() not in ("others", "them", "whom"):
            previous = subject
        out.append(Count(c.figure, c.quantity, subject, c.subject_span, c.start, c.end) if subject != c.subject else c)
    return out


# --- counting by ACLED's rules: singular victims, unknown numbers, coordinated and interrupted subjects -------
# The cue words are data (``data/lexicon/counting.yaml``: ``victim_nouns``, ``unknown_number``); the
# patterns are built once per lexicon pattern and cached.

# (no article among the words between: "a mob killed a civilian" has its victim in the second "a ...")
_ARTICLE_BEFORE_NOUN = r"\b(?:a|an)\s+(?:(?!(?:and|or|but|with|in|on|at|by|who|which|that|was|were|is|are|of|to|from|a|an|the)\b)[a-z][a-z'\-]*\s+){0,3}?"
_DEATH_IN_PHRASE = re.compile(r"\b(?:fatalities|deaths|dead|killed)\b")
_COORD_BEFORE = re.compile(r"\s*(?:,\s*)?(?:and|as well as|plus)\s+$")
_ASIDE_WORDS = r"(?:including|among them|among whom|of whom|of them)"
_ASIDE = re.compile(
    r",\s*" + _ASIDE_WORDS + r"\s+[^,.;:()]{1,80}?(?:,|(?=\s+(?:were|was|have|has|had|are|is|died|killed)\b))"
)


@lru_cache(maxsize=16)
def _singular_re(nouns: re.Pattern[str]) -> re.Pattern[str]:
    inner = nouns.pattern[len(r"\b(?:") : -len(r")\b")]
    return re.compile(_ARTICLE_BEFORE_NOUN + r"(?:" + inner + r")(?:-[a-z]+)?\b")


@lru_cache(maxsize=16)
def _definite_re(nouns: re.Pattern[str]) -> re.Pattern[str]:
    inner = nouns.pattern[len(r"\b(?:") : -len(r")\b")]
    return re.compile(
        r"\bthe\s+(?:(?!(?:and|or|of|who|was|were)\b)[a-z][a-z'\-]*\s+){0,2}?(?:" + inner + r")(?:-[a-z]+)?\s+"
        r"(?:was|has been|had been)\s+(?:[a-z]+ly\s+)?(?:killed|shot dead|murdered|beheaded|lynched|executed|hacked to death|gunned down|found dead|stabbed to death)\b"
    )


def singular_figures(folded: str, nouns: re.Pattern[str]) -> list[Figure]:
    """ "a civilian", "an Al Shabaab member", "a senior commander": one person, a figure of 1 on the article.

    A definite singular victim that dies ("the driver was killed") is one person too; told after "a driver",
    the report-wide repeat rule counts it once.
    """
    out = []
    for m in _singular_re(nouns).finditer(folded):
        art_end = m.start() + (2 if folded.startswith("an", m.start()) and folded[m.start() + 2 : m.start() + 3].isspace() else 1)
        out.append(Figure(m.start(), art_end, 1, 1))
    for m in _definite_re(nouns).finditer(folded):
        out.append(Figure(m.start(), m.start() + 3, 1, 1))
    for m in _killed_one_re(nouns).finditer(folded):
        # "attacked a pastoralist and killed him", "shot and killed the deputy commissioner"
        out.append(Figure(m.start(1), m.end(1), 1, 1))
    return out


@lru_cache(maxsize=16)
def _killed_one_re(nouns: re.Pattern[str]) -> re.Pattern[str]:
    inner = nouns.pattern[len(r"\b(?:") : -len(r")\b")]
    return re.compile(
        r"\b(?:killed|killing|kills|murdered|executed|lynched|beheaded|assassinated|shot dead)\s+"
        r"(him|her|the(?=\s+(?:(?!(?:and|or|of|who|was|were)\b)[a-z][a-z'\-]*\s+){0,3}?(?:" + inner + r")(?:-[a-z]+)?\b))\b"
    )


def unknown_figures(folded: str, unknown: re.Pattern[str], given: list[Figure] | None = None) -> list[Figure]:
    """ "an unknown number of", "multiple", "fatalities from both sides": ACLED's unspecified count, 10; not where a
    figure the text gives stands just before in the same clause ("20 fighters were killed on both sides": 20)."""
    return [Figure(m.start(), m.end(), 10, None, True) for m in unknown.finditer(folded) if not _given_before(folded, m.start(), given or ())]


def _given_before(folded: str, pos: int, given: Sequence[Figure]) -> bool:
    """Whether the unknown-number phrase at ``pos`` is the verb of a figure the text gives just before it: "20 fighters
    were killed on both sides" (its subject and auxiliary between them), not "two clans clashed, with fatalities"."""
    return bool(_DEATH_FIRST.match(folded, pos)) and any(
        not f.vague and f.end <= pos and _SUBJECT_BETWEEN.fullmatch(folded, f.end, pos) for f in given)


# Between a figure and the unknown-number phrase that is its verb ("20 fighters were killed on both sides").
_SUBJECT_BETWEEN = re.compile(r"\s+(?:[a-z'\-]+\s+){0,3}?(?:(?:were|was|have been|had been|are|got)\s+)?")
_DEATH_FIRST = re.compile(r"killed|dead|died")
_NOBODY_BEFORE = re.compile(r"\b(?:no|not)\s+$")


def _merge_figures(base: list[Figure], extra: list[Figure]) -> list[Figure]:
    out = list(base)
    for f in extra:
        if not any(g.start < f.end and f.start < g.end for g in out):
            out.append(f)
    return sorted(out, key=lambda f: f.start)


def _mask_asides(folded: str, original: str) -> tuple[str, str, list[tuple[int, int]]]:
    """ "9 militants, including 1 senior, were killed": the aside blanked (same length), so the verb reaches its figure."""
    spans = [(m.start(), m.end()) for m in _ASIDE.finditer(folded)]
    if not spans:
        return folded, original, []
    f, o = list(folded), list(original)
    for a, b in spans:
        for i in range(a, b):
            f[i] = o[i] = " "
    return "".join(f), "".join(o), spans


def count_casualties(folded: str, original: str, nouns: re.Pattern[str], unknown: re.Pattern[str]) -> list[Count]:
    """:func:`find_counts` with ACLED's counting rules on top (docs/fatalities.md).

    - a singular victim ("killing a civilian", "a member of X was shot dead") is a figure of 1;
    - an unknown number ("an unknown number of", "multiple", "fatalities from both sides") is 10;
    - "9 militants, including 1 senior, were killed": the aside does not cut the figure from its verb,
      and the aside's figure is counted with the same quantity (a subset: the caller marks it);
    - "30 militants and 12 soldiers were killed": a figure coordinated before a count shares its quantity.
    """
    found = find_figures(folded)
    figures = _merge_figures(found, singular_figures(folded, nouns) + unknown_figures(folded, unknown, found))
    masked_f, masked_o, asides = _mask_asides(folded, original)
    if asides:
        outside = [f for f in figures if not any(a <= f.start < b for a, b in asides)]
        counts = find_counts(masked_f, masked_o, outside)
        counts += _aside_counts(folded, original, figures, asides, counts)
    else:
        counts = find_counts(folded, original, figures)
    coordinated = _coordinated_before(folded, original, figures, counts)
    if coordinated:
        starts = {c.figure.start for c in coordinated}
        counts = [c for c in counts if c.figure.start not in starts] + coordinated
    for m in unknown.finditer(folded):
        # a phrase that names the dead itself ("fatalities from both sides were reported")
        if _DEATH_IN_PHRASE.search(m.group(0)) and not any(c.figure.start == m.start() for c in counts) and not _given_before(folded, m.start(), found):
            counts.append(Count(Figure(m.start(), m.end(), 10, None, True), "killed", None, None, m.start(), m.end()))
    counts.sort(key=lambda c: (c.figure.start, c.quantity))
    return _resolve_others(_without_agents(folded, counts))


# An active verb between a counted subject and the counted object: "a gunman killed a civilian", "a soldier shot dead
# a protester" (the subject did it; only the object died).
_ACTIVE_BETWEEN = re.compile(
    r"\s*(?:[a-z'\-]+\s+){0,2}?(?:killed|shot dead|shot and killed|murdered|lynched|beheaded|executed|assassinated|stabbed|"
    r"hacked to death|beat to death|stabbed to death|wounded|injured|shot|dead)\s+$")


def _without_agents(folded: str, counts: list[Count]) -> list[Count]:
    """The counts less a singular subject that is the agent of an active verb whose object is counted too."""
    agents = set()
    for c1, c2 in zip(counts, counts[1:]):
        end = c1.subject_span[1] if c1.subject_span else c1.figure.end
        if c1.figure.low == 1 and c1.quantity == c2.quantity and end <= c2.figure.start and _ACTIVE_BETWEEN.fullmatch(folded, end, c2.figure.start):
            agents.add(id(c1))
    return [c for c in counts if id(c) not in agents]


def _aside_counts(folded: str, original: str, figures: list[Figure], asides: list[tuple[int, int]], counts: list[Count]) -> list[Count]:
    out = []
    for a, b in asides:
        main = next((c for c in reversed(counts) if c.figure.end <= a and a - c.figure.end < 60), None)
        if main is None:
            continue
        for f in figures:
            if a <= f.start < b:
                toks, _ = _subject_after(folded, original, f.end, b)
                subject, span = _subject_text(original, toks)
                out.append(Count(f, main.quantity, subject, span, f.start, span[1] if span else f.end))
    return out


def _coordinated_before(folded: str, original: str, figures: list[Figure], counts: list[Count]) -> list[Count]:
    out = []
    counted = {c.figure.start for c in counts if c.quantity != "other"}  # "30 militants" alone counts a noun, not yet the dead
    for i, f in enumerate(figures):
        if f.start in counted or f.low is None or i + 1 >= len(figures):
            continue
        nxt = figures[i + 1]
        follower = next((c for c in counts if c.figure.start == nxt.start and c.quantity in ("killed", "injured", "captured", "missing")), None)
        if follower is None:
            continue
        toks, _ = _subject_after(folded, original, f.end, nxt.start)
        subject, span = _subject_text(original, toks)
        if not subject or not span or toks[-1][2] in _THING_HEADS:
            continue
        if _COORD_BEFORE.fullmatch(folded, span[1], nxt.start) or _COORD_BEFORE.match(folded[span[1] : nxt.start]):
            out.append(Count(f, follower.quantity, subject, span, f.start, span[1]))
    return out
