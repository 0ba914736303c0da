"""Split a document into title, body, boilerplate and comments; find who published it.

Works on plain text, where trafilatura cannot help, by scoring each line:

- a *boilerplate* score from cues a republisher's or site's footer carries
  (share appeals, donation links, "Articles by:", disclaimers, fair-use and
  copyright notices, contact lines, "Read more", reference lists);
- a *comment* score from what reader comments look like and articles don't
  (first and second person, "!!", lower-case starts, no closing punctuation,
  "Reply", "3 hours ago", chat words), against long, formal paragraphs.

The non-article tail is the suffix of lines with the largest summed score
(a maximum-suffix-sum, so one article-like comment inside a thread does not
cut it), and each tail line is then labelled footer or comment by its
stronger score, smoothing lone lines into their neighbours. An explicit
marker ("12 Comments", "Leave a Reply", "References") starts a region
outright. Sections the HTML reader knew from markup are kept as they are.

The fallback chain for the title: an HTML hint, then the metadata title found
near the top of the text, then a short first line set off by a blank line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import cast

from fogwatch.pipeline import component
from fogwatch.records import Document, Provenance, Section, SectionKind, Span
from fogwatch.text.normalize import fold

# --- boilerplate cues --------------------------------------------------------------------------
# Literal cue phrases, matched in one Aho-Corasick pass over the lowercased line
# (a regex alternation of ~50 phrases costs ~1 MB/s in Python's re). A trailing
# "*" lets the phrase run on into a longer word ("donat*" -> "donations").
_CUE_PHRASES = (
    "articles by:", "article by:", "posts by:", "stories by:", "columns by:", "disclaimer", "all rights reserved",
    "©", "(c) 1*", "(c) 2*", "copyright*", "fair use", "media inquiries", "media enquiries", "press inquiries",
    "press contact", "media contact", "contact us", "share buttons", "share button", "share this", "share the article",
    "share the story", "crosspost*", "cross-post*", "forward this", "donat*", "paypal", "patreon", "support us",
    "support our work", "become a patron", "become a member", "become a subscriber", "subscribe*", "newsletter*",
    "sign up", "follow us", "like us on", "join us on", "join our", "read more", "read also", "read next",
    "related articles", "related posts", "related stories", "related news", "related content", "you may also like",
    "filed under", "originally published", "first published", "originally appeared", "first appeared", "republished",
    "reposted from", "reposted with", "the views expressed", "the opinions expressed", "do not necessarily reflect",
    "sole responsibility", "terms of use", "terms of service", "privacy policy", "cookie policy", "cookies policy",
    "reporting by", "editing by", "writing by", "[email protected]", "[email protected]", "http://*", "https://*", "www.*",
    "click here", "please click", "note to readers",
)


def _build_cues():
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for phrase in _CUE_PHRASES:
        open_end = phrase.endswith("*")
        key = phrase.rstrip("*")
        automaton.add_word(key, (key, open_end))
    automaton.make_automaton()
    return automaton


_CUES = _build_cues()
_TAGS_LINE = re.compile(r"^\s*tags?\s*:", re.IGNORECASE)


def _cue_hits(line: str) -> set[str]:
    low = " ".join(line.lower().split())
    found: set[str] = set()
    for end, (key, open_end) in _CUES.iter(low):
        start = end - len(key) + 1
        if key[0].isalnum() and start > 0 and low[start - 1].isalnum():
            continue  # inside a longer word
        if not open_end and key[-1].isalnum() and end + 1 < len(low) and low[end + 1].isalnum():
            continue
        found.add(key)
    if _TAGS_LINE.match(line):
        found.add("tags:")
    return found


# Run only on lines with an "@": scanning every word for an address is the slow part.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_SEPARATOR = re.compile(r"^[\s*\-_=~#•·.+]{1,80}$")
# A line that opens a region outright.
_BOILERPLATE_HEADER = re.compile(
    r"^\s*#*\s*(?:references|external\s+links|see\s+also|further\s+reading|notes|sources|bibliography|related(?:\s+\w+)?|more\s+from\s+\w+|share\s+this)\s*:?\s*$",
    re.IGNORECASE,
)
_COMMENT_HEADER = re.compile(
    r"^\s*(?:\d+\s+(?:comments?|responses?|replies)|comments?|reader\s+comments|(?:leave|post)\s+a\s+(?:reply|comment)|join\s+the\s+discussion|what\s+do\s+you\s+think\??|discussion)\s*:?\s*$",
    re.IGNORECASE,
)

# --- comment cues ------------------------------------------------------------------------------
# Word sets, looked up per token: far faster than \b-alternation regexes over every line.
_PERSON_WORDS = frozenset("I I'm Im I've I'd I'll me my mine you your you're ur u we're".split())
_CHAT_WORDS = frozenset("lol lmao rofl haha hahaha omg wtf thanks thank thx".split())
_REPORTING_WORDS = frozenset("said says according reported announced stated told".split())
_TOKEN = re.compile(r"[A-Za-z']+")
_CHAT = re.compile(
    r"\b(?:lol|lmao|rofl|haha+|omg|wtf|thanks?(?:\s+you)?|thx|love\s+(?:it|this|the)|god\s+(?:bless|speed)|well\s+said|great\s+(?:article|job|post)|nice\s+(?:article|one))\b|!!|\?\?|:\)|:\(|;\)|:D",
    re.IGNORECASE,
)
_COMMENT_META = re.compile(
    r"^\s*(?:reply|report|like|share|flag)(?:\s*[|·•]\s*(?:reply|report|like|share|flag))*\s*$|\bsays:\s*$|\b\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b|\blog\s+in\s+to\s+(?:reply|comment)\b|\bin\s+reply\s+to\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    end: int
    text: str
    blank_before: bool
    indented: bool  # a wrapped continuation (YAML, Markdown lists): layout, not a reader's voice


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    blank = False
    for raw in text.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            s = pos + lead
            out.append(_Line(s, s + len(stripped), stripped, blank, lead > 0))
            blank = False
        else:
            blank = True
        pos += len(raw)
    return out


def boilerplate_score(line: str) -> float:
    if _SEPARATOR.match(line):
        return 0.3
    if _BOILERPLATE_HEADER.match(line):
        return 3.0
    found = _cue_hits(line)
    if "@" in line and _EMAIL.search(line):
        found.add("@")
    cues = len(found)
    if cues == 0:
        return -1.0 if len(line) > 120 else -0.3
    # A long paragraph with one URL is an article paragraph citing a link.
    return min(cues, 3) * 1.5 - len(line) / 500


# Markdown/wiki layout: headings, list items, table rows. Never a reader's comment.
_STRUCTURAL = re.compile(r"^(?:#{1,6}\s|[*\-+•]\s|\d{1,3}[.)]\s|\||[\w-]{2,30}:\s)")


def comment_score(line: str) -> float:
    n = len(line)
    if n > 700:
        return -2.0
    low = line.lower()
    if (("ago" in low or "says:" in low or "reply" in low or "log in" in low or n < 40) and _COMMENT_META.search(line)) or (
        n < 60 and _COMMENT_HEADER.match(line)
    ):
        return 2.5
    if _STRUCTURAL.match(line):
        return -0.5
    score = 0.0
    tokens = _TOKEN.findall(line)
    persons = sum(map(_PERSON_WORDS.__contains__, tokens))
    score += min(persons, 3) * 0.6
    chat = sum(map(_CHAT_WORDS.__contains__, _TOKEN.findall(low))) + line.count("!!") + line.count("??")
    if chat == 0 and ("love" in low or "god " in low or "great " in low or "nice " in low or "well said" in low or ":" in line):
        chat = len(_CHAT.findall(line))
    score += min(chat, 2) * 0.9
    if line[:1].islower():
        score += 0.8
    if line[-1:] not in ".?!\"'”’)":
        score += 0.5
    if line.count("!") >= 1:
        score += 0.3
    if n < 120:
        score += 0.3
    if not _REPORTING_WORDS.isdisjoint(tokens):
        score -= 0.6
    if n > 250:
        score -= (n - 250) / 150
    if line[:1].isupper() and line[-1:] == "." and n > 150 and persons == 0:
        score -= 1.0
    return score - 0.6


def _tail_scores(lines: list[_Line], comments: bool = True) -> tuple[list[float], list[float], list[float]]:
    """Scores of the last lines, scanning backwards until the article is unmistakable.

    Once several consecutive lines read as article prose, no suffix that starts
    earlier can win, so the rest of a long document is never scanned.
    """
    b: list[float] = []
    c: list[float] = []
    prose_run, prose_sum = 0, 0.0
    for ln in reversed(lines[1:]):
        bs = boilerplate_score(ln.text)
        cs = comment_score(ln.text) if comments and not ln.indented else -1.0
        b.append(bs)
        c.append(cs)
        top = max(bs, cs)
        if top < 0:
            prose_run += 1
            prose_sum += top
            if prose_run >= 4 and prose_sum < -4.0:
                break
        else:
            prose_run, prose_sum = 0, 0.0
    b.reverse()
    c.reverse()
    return b, c, [max(x, y) for x, y in zip(b, c)]


def _tail_start(scores: list[float], min_total: float) -> int | None:
    """Start of the suffix with the largest score sum, if that sum is convincing."""
    best_sum, best_k, running = 0.0, None, 0.0
    for k in range(len(scores) - 1, -1, -1):
        running += scores[k]
        if running > best_sum:
            best_sum, best_k = running, k
    return best_k if best_k is not None and best_sum >= min_total else None


def _label_tail(lines: list[_Line], b: list[float], c: list[float]) -> list[str]:
    labels: list[str] = []
    mode = None  # an explicit header fixes the label of what follows
    for ln, bs, cs in zip(lines, b, c):
        if _COMMENT_HEADER.match(ln.text):
            mode = "comments"
        elif _BOILERPLATE_HEADER.match(ln.text):
            mode = "boilerplate"
        if mode:
            labels.append(mode)
        elif _SEPARATOR.match(ln.text):
            labels.append("")
        elif bs > 0 and bs >= cs:
            labels.append("boilerplate")
        elif cs > 0:
            labels.append("comments")
        else:
            labels.append("?")  # no signal of its own: it belongs with its neighbours
    # a line with no signal continues what precedes it; separators lead into what follows them
    prev = None
    for i, lab in enumerate(labels):
        if lab == "?":
            labels[i] = prev or "?"
        if labels[i] not in ("", "?"):
            prev = labels[i]
    nxt = "boilerplate"
    for i in range(len(labels) - 1, -1, -1):
        if labels[i] in ("", "?"):
            labels[i] = nxt
        nxt = labels[i]
    # a lone line between two of the other kind joins them unless its own signal is strong
    for i in range(1, len(labels) - 1):
        if labels[i - 1] == labels[i + 1] != labels[i]:
            own = c[i] if labels[i] == "comments" else b[i]
            if own < 2.0:
                labels[i] = labels[i - 1]
    return labels


# Inline tails of a one-paragraph text ("... said. Read Also", "... SSH 11").
_INLINE_TAIL = re.compile(
    r"(?:(?<=[.!?\"”])|(?<=^))\s+((?:Read\s+(?:Also|More)|Related(?:\s+(?:Articles?|News|Stories))?|Share\s+this|\(?(?:Reporting|Editing|Writing)\s+by\b[^\n]{0,200}|\(?Source\s*:[^\n]{0,120}|[A-Z]{1,4}(?:/[A-Z]{1,4})*\s+\d{1,3})\s*)$"
)


def split_sections(text: str, title: str | None = None, hints: tuple[Section, ...] = ()) -> tuple[Section, ...]:
    """Sections covering every non-blank line of ``text``, in order."""
    lines = _lines(text)
    if not lines:
        return ()
    labels = ["body"] * len(lines)
    reasons: list[str | None] = [None] * len(lines)

    # Lines inside a hint keep the hint's kind.
    hinted: list[Section | None] = [None] * len(lines)
    for i, ln in enumerate(lines):
        for h in hints:
            if h.start <= ln.start and ln.end <= h.end:
                hinted[i] = h
    free = [i for i in range(len(lines)) if hinted[i] is None]

    if len(free) > 1:
        idx = free
        fm = _front_matter(lines, idx)
        for k in range(fm):
            labels[idx[k]], reasons[idx[k]] = "boilerplate", "front matter"
        scan_end = _label_marked_regions(lines, idx, fm, labels, reasons)
        _label_tail_region(lines, idx[fm:scan_end], labels, reasons)
        # A header-like block at the top (navigation, share bar): the leading run of strong footer cues.
        head = fm
        while head < scan_end - 1 and labels[idx[head]] == "body" and boilerplate_score(lines[idx[head]].text) >= 1.5:
            labels[idx[head]] = "boilerplate"
            reasons[idx[head]] = "header cues"
            head += 1

    title_line = _title_line(lines, labels, title)
    sections: list[Section] = []
    kind: SectionKind
    for i, ln in enumerate(lines):
        hint = hinted[i]
        if hint is not None:
            kind, reason = hint.kind, hint.reason
        elif i == title_line:
            kind, reason = "title", "short first line set off by a blank line" if not title else "matches the metadata title"
        else:
            # By now every label is a section kind (the tail labeller's working marks are resolved).
            kind, reason = cast(SectionKind, labels[i]), reasons[i]
        if sections and sections[-1].kind == kind:
            last = sections[-1]
            sections[-1] = Section(last.start, ln.end, kind, last.reason or reason)
        else:
            sections.append(Section(ln.start, ln.end, kind, reason))

    sections = _split_inline_title(text, sections, title)
    return tuple(_split_inline_tail(text, sections))


def _front_matter(lines: list[_Line], idx: list[int]) -> int:
    """How many leading lines are a YAML front-matter block ("---" ... "---")."""
    if not idx or lines[idx[0]].text != "---":
        return 0
    for k in range(1, min(len(idx), 200)):
        if lines[idx[k]].text in ("---", "..."):
            return k + 1
    return 0


def _is_prose(line: _Line) -> bool:
    text = line.text
    return len(text) > 120 and text[-1:] in ".!?\"'”’)" and not _STRUCTURAL.match(text) and boilerplate_score(text) < 0


def _label_marked_regions(lines: list[_Line], idx: list[int], first: int, labels: list[str], reasons: list[str | None]) -> int:
    """From the first explicit marker ("## References", "12 Comments") on, lines follow the marker's kind.

    Article prose after a marker (a "Related" box in mid-article) returns to
    the body. Returns where the marked part begins: the free scan stops there.
    """
    start = None
    mode = None
    for k in range(max(first, 1), len(idx)):
        ln = lines[idx[k]]
        if _COMMENT_HEADER.match(ln.text):
            mode = "comments"
        elif _BOILERPLATE_HEADER.match(ln.text):
            mode = "boilerplate"
        elif mode and _is_prose(ln) and mode == "boilerplate":
            mode = None  # the article goes on after a mid-article box
        if mode:
            if start is None:
                start = k
            labels[idx[k]] = mode
            reasons[idx[k]] = "after a comments heading" if mode == "comments" else "after a footer heading"
    return start if start is not None else len(idx)


def _label_tail_region(lines: list[_Line], region: list[int], labels: list[str], reasons: list[str | None]) -> None:
    """Label the non-article tail of ``region`` (indices into ``lines``), if it has one.

    Comment labels need real evidence: without one clearly chatty line and a
    convincing total, the tail is searched again with footer cues alone.
    """
    if len(region) < 2:
        return
    region_lines = [lines[i] for i in region]
    for comments in (True, False):
        b, c, t = _tail_scores(region_lines, comments=comments)
        start = _tail_start(t, min_total=2.0)
        if start is None:
            continue
        off = len(region) - len(t)  # _tail_scores scored only the last len(t) lines
        start = max(start + off, 1)  # never the first line: a document is not all footer
        tail = list(range(start, len(region)))
        labelled = _label_tail([region_lines[k] for k in tail], [b[k - off] for k in tail], [c[k - off] for k in tail])
        chat = [c[k - off] for k, lab in zip(tail, labelled) if lab == "comments"]
        if comments and chat and (max(chat) < 1.0 or sum(x for x in chat if x > 0) < 2.0):
            continue
        for k, lab in zip(tail, labelled):
            labels[region[k]] = lab
            reasons[region[k]] = "footer cues" if lab == "boilerplate" else "comment cues"
        return


def _title_line(lines: list[_Line], labels: list[str], title: str | None) -> int | None:
    first = next((i for i, lab in enumerate(labels) if lab == "body"), None)
    if first is None or len(lines) < 2:
        return None
    ln = lines[first]
    if title and fold(ln.text).strip(" .") == fold(title).strip(" ."):
        return first
    nxt = lines[first + 1] if first + 1 < len(lines) else None
    if len(ln.text) <= 200 and ln.text[-1:] not in ".,;:" and nxt is not None and nxt.blank_before:
        return first
    return None


def _split_inline_title(text: str, sections: list[Section], title: str | None) -> list[Section]:
    """A one-paragraph text that opens with its metadata title: carve the title out."""
    if not title or not sections or sections[0].kind != "body" or any(s.kind == "title" for s in sections):
        return sections
    first = sections[0]
    window = fold(text[first.start : min(first.end, first.start + 300 + len(title))])
    key = fold(title).strip().rstrip(".")
    if len(key) < 8:
        return sections
    at = window.find(key)
    if at < 0:
        return sections
    t_start, t_end = first.start + at, first.start + at + len(key)
    if t_end < len(text) and text[t_end] == ".":
        t_end += 1
    out: list[Section] = []
    if t_start > first.start:
        out.append(Section(first.start, t_start - 1 if text[t_start - 1] == " " else t_start, "body", first.reason))
    out.append(Section(t_start, t_end, "title", "matches the metadata title"))
    rest = t_end
    while rest < first.end and text[rest].isspace():
        rest += 1
    if rest < first.end:
        out.append(Section(rest, first.end, "body", first.reason))
    return out + sections[1:]


def _split_inline_tail(text: str, sections: list[Section]) -> list[Section]:
    """A trailing "Read Also" or editor's initials glued to the last body paragraph."""
    body_idx = max((i for i, s in enumerate(sections) if s.kind == "body"), default=None)
    if body_idx is None:
        return sections
    sec = sections[body_idx]
    m = _INLINE_TAIL.search(text, max(sec.start, sec.end - 300), sec.end)
    if not m or m.start(1) <= sec.start:
        return sections
    cut = m.start(1)
    end_body = cut
    while end_body > sec.start and text[end_body - 1].isspace():
        end_body -= 1
    new = [Section(sec.start, end_body, "body", sec.reason), Section(cut, sec.end, "boilerplate", "inline footer cue")]
    return sections[:body_idx] + new + sections[body_idx + 1 :]


# --- provenance -------------------------------------------------------------------------------
_BY_LINE = re.compile(r"\b(?:articles?|posts?|stories|columns?)\s+by\s*:\s*(?P<name>[^\n|;,]{2,60}?)\s*$", re.IGNORECASE | re.MULTILINE)
_ORIGINALLY = re.compile(
    r"\b(?:(?:originally|first)\s+(?:published|appeared)|republished|re-?posted)\s+(?:(?:on|at|in|by|from|with\s+permission\s+(?:of|from))\s+)+(?P<name>(?:the\s+)?[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,5})"
)
_SOURCE_LINE = re.compile(r"^\s*\(?(?:source|via)\s*:\s*(?P<name>[A-Z][^\n()]{1,60}?)\)?\s*$", re.MULTILINE | re.IGNORECASE)
_DOMAIN = re.compile(r"\b(?:https?://)?(?:www\.)(?P<domain>[\w-]+)\.(?:[a-z]{2,12})(?:\.[a-z]{2})?\b", re.IGNORECASE)
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?P<name>[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,4})")


def _name_for_domain(domain: str, text: str) -> str | None:
    """"globalresearch" -> "Global Research", when the text spells the name out somewhere."""
    key = re.sub(r"[^a-z0-9]", "", domain.lower())
    if len(key) < 3:
        return None
    low = text.lower()
    for m in re.finditer(r"\b" + re.escape(key[:3]), low):
        if not text[m.start()].isupper():
            continue
        words = text[m.start() : m.start() + 3 * len(key)].split()
        acc = ""
        for j, word in enumerate(words):
            if not word[:1].isupper():
                break
            acc += re.sub(r"[^a-z0-9]", "", word.lower())
            if acc == key:
                return " ".join(words[: j + 1]).rstrip(".,;:!?)'\"’”")
            if not key.startswith(acc):
                break
    return None


_TRAILING_NOTE = re.compile(r"\s*\([^()]{12,}\)\s*$")  # long enough to be a remark, not "(UK)" or "(Arabic)"


def find_provenance(text: str, sections: tuple[Section, ...], source: str | None, url: str | None) -> Provenance:
    footer = [s for s in sections if s.kind == "boilerplate"]
    outlet: str | None = None
    site: str | None = None
    evidence: list[Span] = []
    reasons: list[str] = []
    for sec in footer:
        chunk = text[sec.start : sec.end]
        for rx, why in ((_BY_LINE, '"Articles by:" line'), (_ORIGINALLY, '"originally published" line'), (_SOURCE_LINE, '"Source:" line')):
            m = rx.search(chunk)
            if m and outlet is None:
                outlet = m.group("name").strip().rstrip(".")
                evidence.append(Span(sec.start + m.start("name"), sec.start + m.start("name") + len(outlet)))
                reasons.append(f"outlet from {why}")
        if site is None:
            for m in _DOMAIN.finditer(chunk):
                name = _name_for_domain(m.group("domain"), text)
                if name:
                    site = name
                    evidence.append(Span(sec.start + m.start(), sec.start + m.end()))
                    reasons.append("republisher from the domain its footer names")
                    break
        if site is None:
            m = _COPYRIGHT.search(chunk)
            if m:
                site = m.group("name").strip()
                evidence.append(Span(sec.start + m.start("name"), sec.start + m.end("name")))
                reasons.append("publisher from the copyright line")
    if site is None and source:
        # "South Front (article with reader comments appended)": a note about the document, not the outlet's name
        site = _TRAILING_NOTE.sub("", source).strip() or source
        reasons.append("publisher from the input metadata" + (" (its note in brackets left out)" if site != source.strip() else ""))
    if site is None and url:
        host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url).split("/")[0]
        if host:
            site = _name_for_domain(host.split(".")[0], text) or host
            reasons.append("publisher from the URL's host")
    if outlet and site and fold(outlet) != fold(site) and fold(outlet) not in fold(site).split(" (")[0]:
        return Provenance(outlet=outlet, republisher=site, url=url, evidence=tuple(evidence), reason="; ".join(reasons))
    return Provenance(outlet=outlet or site, republisher=None, url=url, evidence=tuple(evidence), reason="; ".join(reasons) or None)


@component("sections", requires=("text", "metadata", "hints"), assigns=("sections", "provenance"))
def sectioner(doc: Document) -> Document:
    """Title, body, boilerplate and comments; original outlet and republisher."""
    sections = split_sections(doc.text, doc.metadata.title, doc.hints)
    provenance = find_provenance(doc.text, sections, doc.metadata.source, doc.metadata.url)
    return replace(doc, sections=sections, provenance=provenance)
