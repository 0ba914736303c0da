"""Who says so, and how sure: the claimant and modality of a statement in a sentence.

- The claimant is the source the text names: "the Turkish Defense Ministry
  reported", "President Erdogan said", "according to sources loyal to Idlib
  groups", "Pro-militant sources reported", "militants claim", "local sources
  say". ``None`` is the author's own voice.
- The modality is ``asserted`` (the author's voice), ``reported`` (a named
  source, "reportedly"), ``claimed`` ("claim", "allegedly", or a report the text
  itself puts in doubt: "If these claims are confirmed"), ``denied``, or
  ``hypothetical`` (plans, threats, forecasts, conditions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SAY_VERBS = {
    "said": "reported", "says": "reported", "say": "reported", "reported": "reported", "reports": "reported", "report": "reported",
    "announced": "reported", "announces": "reported", "stated": "reported", "confirmed": "reported",
    "told": "reported", "added": "reported", "noted": "reported", "wrote": "reported", "tweeted": "reported", "cited": "reported",
    "quoted": "reported", "showed": "reported", "documented": "reported", "estimated": "reported", "estimates": "reported",
    "claimed": "claimed", "claims": "claimed", "claim": "claimed", "alleged": "claimed", "alleges": "claimed", "allege": "claimed",
    "insisted": "claimed", "insists": "claimed", "boasted": "claimed",
    "denied": "denied", "denies": "denied", "deny": "denied", "rejected": "denied",
}
_SAY_RE = re.compile(r"\b(" + "|".join(sorted(_SAY_VERBS, key=len, reverse=True)) + r")\b")
_ACCORDING = re.compile(r"\b(?:according to|citing|cited by|quoted by|as reported by|reported by)\s+(?:the\s+)?")
# Nouns that make a plausible source when written in lower case ("local sources say").
_SOURCE_NOUNS = frozenset(
    """sources source officials official ministry spokesman spokesperson spokeswoman activists activist residents witnesses observatory
    media agency tv television channel reports report statement medics doctors monitor monitors group groups army military police
    militants rebels government authorities commander commanders minister president leader leadership correspondent reporter
    journalists journalist outlet outlets news networks network opposition regime forces side website newspaper daily office
    pentagon ngo ngos un organization organisation committee council coalition command centre center agencies services analysts
    experts people people's source's the sources""".split()
)
_NP_STOP = frozenset(
    """that which who and but or as when while after before if because since so then also it they he she we i you this there
    has have had was were is are be been will would could may might can not no on in at by for with from to than into onto across
    near around through during over under toward towards within amid amidst despite monday tuesday wednesday thursday friday
    saturday sunday yesterday today tonight morning evening night overnight afternoon earlier later recently also""".split()
)
_PRONOUNS = frozenset("he she they it we".split())
_HYPOTHETICAL = re.compile(
    r"\b(?:if|unless|will|would|could|might|(?<!in )(?<!on )(?<!of )(?<!early )(?<!late )(?<!mid-)(?<!\d )may(?!\s*\d)|shall|going to|plans? to|planned to|planning to|plan|intends? to|intended to|aims? to|"
    r"expected to|expects? to|likely|unlikely|soon|threaten(?:s|ed|ing)?|warn(?:s|ed|ing)?|vow(?:s|ed)?|prepar(?:e|es|ed|ing) to|"
    r"ready to|seeks? to|wants? to|wanted to|possible|possibly|probably|potential|forecast|predict(?:s|ed)?|"
    r"in case|in the coming|next week|tomorrow|would-be|should|"
    r"provides? for|provided for|stipulat(?:es|ed|ing)|envisag(?:es|ed|ing)|"
    r"fear(?:s|ed|ing)? (?:more|further|new|renewed|another|fresh|possible|an?))\b"
)
_BRACKETED = re.compile(r"\([^()]{0,200}\)")
_REPORTEDLY = re.compile(r"\b(?:reportedly|reports? (?:appeared|emerged|said|say|indicate|suggest)|it was reported|is said to|are said to|were said to|was said to|purportedly|supposedly|unconfirmed)\b")
_ALLEGEDLY = re.compile(r"\b(?:allegedly|alleged|claimed to have)\b")
_NEGATION = re.compile(r"\b(?:did not|didn't|does not|doesn't|do not|don't|has not|hasn't|have not|haven't|had not|was not|wasn't|were not|weren't|never|no|nor|without|failed to|denied|denies|refuted|not)\b")
_DOUBT_NEXT = re.compile(r"^\W*(?:if|unless|should)\s+(?:these|those|the|such|this|that)\s+(?:claims?|reports?|figures?|allegations?|numbers?)\s+(?:are|is|were|was|be|get|prove)\b|^\W*(?:these|those|the|such)\s+(?:claims?|reports?|figures?)\s+(?:could|can|have)\s+not\s+(?:be(?:en)?\s+)?(?:independently\s+)?(?:verified|confirmed)")


@dataclass(frozen=True, slots=True)
class Attribution:
    claimant: str | None
    modality: str  # reported | claimed | denied
    start: int  # span of the attribution cue in the sentence (relative)
    end: int
    forward: bool = False  # governs only what follows it (", saying ..."): the clause before it is the author's


def claimant_before(original: str, folded: str, verb_start: int) -> tuple[str | None, int]:
    """The noun phrase right before a saying verb: "the Turkish Defense Ministry" in "... the Turkish Defense Ministry reported"."""
    words = list(re.finditer(r"[A-Za-z0-9][\w'’\-.]*", original[max(0, verb_start - 120) : verb_start]))
    base = max(0, verb_start - 120)
    picked: list[re.Match[str]] = []
    for w in reversed(words):
        gap = original[base + w.end() : (base + picked[-1].start()) if picked else verb_start]
        if any(ch in gap for ch in ",;:()\"“”") or (gap.strip() and gap.strip() not in ("-", "'s")):
            break
        low = folded[base + w.start() : base + w.end()]
        if low in ("for", "of") and picked and original[base + picked[-1].start()][:1].isupper():
            picked.append(w)  # "Syrian Observatory for Human Rights", "Ministry of Defence"
            continue
        if low in _NP_STOP and low not in ("the",):
            break
        if low in ("the", "a", "an"):
            picked.append(w)
            break
        if w.group(0)[:1].isdigit():
            break
        picked.append(w)
        if len(picked) >= 7:
            break
    if not picked:
        return None, verb_start
    picked.reverse()
    while picked and folded[base + picked[0].start() : base + picked[0].end()] in ("the", "a", "an", "of", "for"):
        picked = picked[1:]
    if not picked:
        return None, verb_start
    start, end = base + picked[0].start(), base + picked[-1].end()
    text = original[start:end].rstrip(".")
    folded_words = folded[start:end].split()
    if not folded_words:
        return None, verb_start
    # a lone capitalised word opening the sentence is no name ("Witnesses said"), unless it is an acronym ("SOHR said")
    has_name = any(w.group(0)[:1].isupper() for w in picked) and not (
        len(picked) == 1 and start == _sentence_start(original) and not (len(picked[0].group(0)) > 1 and picked[0].group(0).isupper())
    )
    head = folded_words[-1].rstrip(".")
    if head in _PRONOUNS:
        return folded_words[-1], start
    if not (has_name or head in _SOURCE_NOUNS):
        return None, verb_start
    return _tidy(text, start == _sentence_start(original)), start


def _sentence_start(original: str) -> int:
    return len(original) - len(original.lstrip())


def _tidy(text: str, at_sentence_start: bool) -> str:
    """Lower-case a sentence-initial common word ("Pro-militant sources" -> "pro-militant sources")."""
    words = text.split()
    if at_sentence_start and words and len(words) > 1 and all(not w[:1].isupper() for w in words[1:]) and words[0][:1].isupper():
        first = words[0]
        if first.lower().split("-")[0] in ("pro", "local", "security", "medical", "military", "opposition", "government", "rebel", "activist", "informed", "unnamed", "anonymous", "official", "several", "other", "some", "many", "two", "three", "witnesses", "residents", "sources", "activists", "officials", "militants", "rebels", "media", "state", "news", "eyewitnesses", "hospital", "army", "police", "humanitarian"):
            return first[0].lower() + first[1:] + " " + " ".join(words[1:])
    return text


_ASIDE_BEFORE = re.compile(r",\s*(?:which|who|whose)\b[^,;:]{1,140},\s*$")


def find_attributions(original: str, folded: str) -> list[Attribution]:
    """Every attribution cue in a sentence, left to right."""
    out: list[Attribution] = []
    for m in _ACCORDING.finditer(folded):
        rest = original[m.end() : m.end() + 120]
        stop = re.search(r"[,;:.()]|\s+(?:that|who|which)\s|\s+(?:on|in)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", rest)
        name = rest[: stop.start()] if stop else rest
        name = name.strip()
        if name:
            words = name.split()
            name = " ".join(words[:9])
            out.append(Attribution(name, "reported", m.start(), m.end() + len(name)))
    for m in _SAY_RE.finditer(folded):
        verb = m.group(1)
        # "Ankara calls the incident...", "the report" as a noun: only a verb after a noun phrase counts
        claimant, cstart = claimant_before(original, folded, m.start())
        if claimant is None:
            # "The Observatory, which relies on sources on the ground, said": the source before the aside
            aside = _ASIDE_BEFORE.search(folded, max(0, m.start() - 160), m.start())
            if aside is not None:
                claimant, cstart = claimant_before(original, folded, aside.start())
        if claimant is None:
            # "it was claimed", "militants claim" (lower case source noun handled in claimant_before)
            if verb in ("claimed", "alleged") and re.search(r"\b(?:it|was|were|is|are|been)\s+$", folded[max(0, m.start() - 12) : m.start()]):
                out.append(Attribution(None, "claimed", m.start(), m.end()))
            continue
        if verb in ("report", "reports", "claim", "claims", "estimates") and re.search(
            r"\b(?:the|a|of|amid|amidst|despite|following|after|official|unconfirmed|conflicting|contradictory|multiple|new|initial|media|press|news|these|those|such|no|earlier|recent|other|some|many|their|its|his|her)\s+$",
            folded[max(0, m.start() - 16) : m.start()],
        ):
            continue  # the noun, not the verb
        out.append(Attribution(claimant, _SAY_VERBS[verb], cstart, m.end()))
    # "<source> put the toll at 12" / "<source> put the toll higher": the figures that follow are the source's
    for m in _TOLL_VERB.finditer(folded):
        claimant, cstart = claimant_before(original, folded, m.start())
        if claimant is not None:
            out.append(Attribution(claimant, "reported", cstart, m.end()))
    # "<source> shelled the town/put the toll higher, saying 9 were killed": the subject of the clause says it
    for m in _PARTICIPLE_SAY.finditer(folded):
        claimant = _clause_subject(original, folded, m.start())
        if claimant is not None:
            out.append(Attribution(claimant, _SAY_VERBS.get(m.group(1), "reported"), m.start(), m.end(), forward=True))
    for m in _REPORTEDLY.finditer(folded):
        out.append(Attribution(None, "reported", m.start(), m.end()))
    for m in _ALLEGEDLY.finditer(folded):
        out.append(Attribution(None, "claimed", m.start(), m.end()))
    out.sort(key=lambda a: a.start)
    return out


_TOLL_VERB = re.compile(r"\b(?:put|puts|putting|placed|places|placing|gave|gives|giving|raised|raises|raising|set|sets|revised|revises)\s+(?:the\s+|a\s+|its\s+|their\s+)?(?:death\s+|casualty\s+|overall\s+|final\s+)?(?:toll|figure|number of (?:dead|deaths|victims|casualties))\b")
# a saying participle after a comma: its subject is the subject of the clause before it
_PARTICIPLE_SAY = re.compile(r",\s*(?:and\s+)?(saying|claiming|alleging|insisting|adding|noting|reporting|stating|denying|announcing)\b(?!\s+(?:to|up|fuel|insult)\b)")
_SAY_VERBS.update({"saying": "reported", "adding": "reported", "noting": "reported", "reporting": "reported", "stating": "reported",
                   "announcing": "reported", "claiming": "claimed", "alleging": "claimed", "insisting": "claimed", "denying": "denied"})
# heads that make a clause's subject a source only when it speaks ("Syrian troops ..., saying")
_SUBJECT_HEADS = frozenset("troops soldiers fighters residents witnesses doctors medics rescuers volunteers paramedics".split())
_NP_WORD = re.compile(r"[A-Za-z][\w'’\-.]*")
_NP_ADJECTIVES = frozenset(
    """local medical security military government opposition rebel activist informed unnamed anonymous official several other some many
    two three pro-government pro-regime pro-militant pro-opposition state news hospital humanitarian rights human civil defence defense
    syrian turkish russian""".split()
)
_ADVERBIAL_START = re.compile(
    r"^\W*(?:on|in|at|by|after|before|during|since|earlier|later|late|early|meanwhile|overnight|yesterday|today|last|this|separately|"
    r"however|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|"
    r"october|november|december)\b"
)


def _clause_subject(original: str, folded: str, comma: int) -> str | None:
    """The subject of the clause that ends at ``comma``: "Local activists" in "Local activists put the toll higher, saying ...".

    The clause is the stretch after the last ';' (or the sentence start); leading adverbial phrases
    set off by commas ("On Tuesday, ...") are skipped. The subject must look like a source: a named
    group or a source noun ("activists", "the ministry"), never a bare common noun ("the town").
    """
    start = max(folded.rfind(";", 0, comma) + 1, 0)
    piece_starts = [start] + [start + m.end() for m in re.finditer(r",", folded[start:comma])]
    for k, piece_start in enumerate(piece_starts):
        if k + 1 < len(piece_starts) and _ADVERBIAL_START.match(folded[piece_start:comma]):
            continue  # "On Tuesday," / "In southern Idlib,": not the subject
        words = list(_NP_WORD.finditer(original, piece_start, comma))
        picked: list[re.Match[str]] = []
        for w in words:
            low = folded[w.start() : w.end()].rstrip(".")
            if not picked and low in ("the", "a", "an"):
                continue
            if low in ("of", "for") and picked and original[picked[-1].start()][:1].isupper():
                picked.append(w)
                continue
            if w.group(0)[:1].isupper() or low in _SOURCE_NOUNS or low in _NP_ADJECTIVES or low in _SUBJECT_HEADS:
                if low in _NP_STOP:
                    break
                picked.append(w)
                if len(picked) >= 7:
                    break
                continue
            break
        while picked and folded[picked[-1].start() : picked[-1].end()] in ("of", "for"):
            picked.pop()
        if not picked:
            return None
        first_word = folded[picked[0].start() : picked[0].end()]
        if _ADVERBIAL_START.match(first_word):
            return None
        a, b = picked[0].start(), picked[-1].end()
        head = folded[picked[-1].start() : picked[-1].end()].rstrip(".")
        sentence_initial = not original[start:a].strip()
        named = any(w.group(0)[:1].isupper() for w in picked) and not (len(picked) == 1 and sentence_initial)
        if head in _PRONOUNS:
            return head
        if not (named or head in _SOURCE_NOUNS or head in _SUBJECT_HEADS):
            return None
        return _tidy(original[a:b].rstrip("."), a == _sentence_start(original))
    return None


def attribution_for(attributions: list[Attribution], position: int) -> Attribution | None:
    """The attribution governing a statement at ``position``: the nearest one before it, else the nearest after it."""
    before = [a for a in attributions if a.start <= position]
    if before:
        named = [a for a in before if a.claimant is not None]
        best = before[-1]
        if best.claimant is None and named:
            return Attribution(named[-1].claimant, best.modality if best.modality != "reported" else named[-1].modality, best.start, best.end)
        return best
    after = [a for a in attributions if a.start > position and not a.forward]
    return after[0] if after else None


def is_hypothetical(folded_clause_before: str) -> bool:
    """Does a plan, threat, condition or forecast govern what follows this text (the clause before a trigger)?"""
    # an aside in brackets ("(likely SNA, as in earlier attacks)") hedges who, not whether it happened
    return _HYPOTHETICAL.search(_BRACKETED.sub(" ", folded_clause_before)) is not None


def is_negated(folded_clause_before: str) -> bool:
    return _NEGATION.search(folded_clause_before) is not None


_DENIES_PREVIOUS = re.compile(
    r"\b(?:denied|deny|denies|disputed|dispute|disputes|rejected|rejects|contested|contradicted)\s+(?:the|these|those|this|that|such)\s+"
    r"(?:[\w'\-]+\s+){0,2}(?:account|accounts|claims?|reports?|figures?|version|statement|numbers|toll)\b"
)


def doubts_previous(folded_sentence: str) -> bool:
    """ "If these claims are confirmed, ..." / "Opposition sources denied the ministry's account": the previous report is disputed."""
    return _DOUBT_NEXT.search(folded_sentence) is not None or _DENIES_PREVIOUS.search(folded_sentence) is not None


def modality_of(attribution: Attribution | None, hypothetical: bool, negated: bool) -> str:
    if hypothetical:
        return "hypothetical"
    if negated:
        return "denied"
    if attribution is None:
        return "asserted"
    return attribution.modality
