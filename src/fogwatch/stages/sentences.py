"""Sentence boundaries with offsets, for every section.

Rule-based and fast (regular expressions over each line):

- a line break always ends a sentence, so list-like lines, headings and
  comment lines each stand alone;
- ``. ! ? …`` followed by closing quotes/brackets, whitespace, and an opening
  quote, capital or digit ends a sentence, unless the word before is a known
  abbreviation ("Gen.", "Feb.", "No."), a single initial ("J."), or a dotted
  acronym ("U.S.") that is not followed by a typical sentence opener;
- a boundary inside an open double quote is skipped, so a quoted statement of
  several sentences stays with its "he said" (up to a length cap);
- a dateline ("DAMASCUS, Feb. 3 (Reuters) -") stays attached to the first
  sentence; the stage also assigns ``datelines``, the dateline spans opening
  the body sections, which the places and events stages read (never recompute).
"""

from __future__ import annotations

import re
from dataclasses import replace

from fogwatch.pipeline import component
from fogwatch.records import Document, Section, Sentence, Span

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col maj capt cpt sgt cpl pvt adm brig cmdr cdr gov sen rep rev hon pres
    st mt ft no nos vol fig art sec dept univ assn bros jr sr inc ltd co corp plc vs approx est ca cf al
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thurs fri sat sun
    km mi kg lb oz sq gov't govt""".split()
)
_SENTENCE_OPENERS = frozenset("the this that these those he she it they we i but and in on at a an after as his her its their".split())
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.']*)$")
_DOTTED_ACRONYM = re.compile(r"^(?:[A-Za-z]\.){2,}$")
_NEXT_WORD = re.compile(r"\s+[\"'“‘(\[]?([A-Za-z]+)")
_LIST_MARKER = re.compile(r"\s*(?:\d{1,3}|[ivxIVX]{1,4})\.\s*$")  # "3." opening a numbered line
_QUOTE_CAP = 1200  # a quote longer than this is probably an unbalanced quotation mark

_DATELINE = re.compile(
    r"\s*(?P<place>[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][A-Za-z .'-]{1,30})?)\s*"
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?))?\s*"
    r"(?:\((?P<agency>[A-Za-z .]{2,30})\))?\s*[-–—:]+\s*"
)


def find_dateline(text: str, start: int = 0) -> tuple[int, int] | None:
    """Span of a wire-style dateline at ``start`` ("BEIRUT (AP) —", "DAMASCUS, Feb 3 (Reuters) -")."""
    m = _DATELINE.match(text, start)
    if not m or not (m.group("agency") or m.group("date")):
        return None
    return (m.start("place"), m.end())


def _is_abbreviation(line: str, cut: int) -> bool:
    """Does the period at ``cut`` belong to an abbreviation rather than end a sentence?"""
    if line[cut] != ".":
        return False
    m = _WORD_BEFORE.search(line, max(0, cut - 40), cut)  # a window: searching from 0 is quadratic
    if not m:
        return False
    word = m.group(1)
    bare = word.rstrip(".").lower()
    if len(bare) == 1 and word[0].isupper():
        return True  # an initial: "J. Smith"
    if bare in _ABBREVIATIONS and not (m.start() > 0 and line[m.start() - 1] == "."):
        return True
    if _DOTTED_ACRONYM.match(word + "."):
        nxt = _NEXT_WORD.match(line, cut + 1)
        return not (nxt and nxt.group(1).lower() in _SENTENCE_OPENERS)
    return False


def _open_quote(fragment: str) -> bool:
    straight = fragment.count('"')
    curly_open, curly_close = fragment.count("“"), fragment.count("”")
    return straight % 2 == 1 or curly_open > curly_close


def split_line(line: str, offset: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(line):
        cut = m.start()
        end = m.end()
        if _is_abbreviation(line, cut) or _LIST_MARKER.match(line, start, end):
            continue
        if _open_quote(line[start:end]) and end - start < _QUOTE_CAP:
            continue
        spans.append((start, end))
        start = end
    spans.append((start, len(line)))
    out = []
    for s, e in spans:
        while s < e and line[s].isspace():
            s += 1
        while e > s and line[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((offset + s, offset + e))
    return out


def split_sentences(text: str, sections: tuple[Section, ...]) -> tuple[Sentence, ...]:
    out: list[Sentence] = []
    for sec in sections:
        pos = sec.start
        for line in text[sec.start : sec.end].split("\n"):
            if line.strip():
                out.extend(Sentence(s, e, sec.kind) for s, e in split_line(line, pos))
            pos += len(line) + 1
    return tuple(out)


def find_datelines(text: str, sections: tuple[Section, ...]) -> tuple[Span, ...]:
    """Dateline spans opening the body sections (the text's start when there is none), in text order."""
    starts = sorted({s.start for s in sections if s.kind == "body"} or {0})
    spans = []
    for start in starts:
        k = start
        while k < len(text) and text[k] in " \t\r\n":
            k += 1
        span = find_dateline(text, k)
        if span:
            spans.append(Span(*span))
    return tuple(spans)


@component("sentences", requires=("text", "sections"), assigns=("sentences", "datelines"))
def sentencizer(doc: Document) -> Document:
    """Sentence spans in every section, labelled with the section's kind; the body's datelines."""
    return replace(doc, sentences=split_sentences(doc.text, doc.sections), datelines=find_datelines(doc.text, doc.sections))
