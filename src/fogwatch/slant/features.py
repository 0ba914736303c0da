"""Features of the slant tagger (per token) and of the technique head (per span).

Token features are strings (a CRF attribute each): the word and its neighbours,
shape, suffix, the cue lists a phrase over the token belongs to
(:mod:`fogwatch.slant.lexicon`), being inside quotation marks, superlatives,
repetition of the word and of its bigram across the article, exclamation and
question marks in the sentence, and how many cues the sentence holds.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from fogwatch.slant.lexicon import CueIndex
from fogwatch.slant.tokens import QUOTES, Token

# Function words never count as repeated content.
STOPWORDS = frozenset(
    "the a an and or but if of to in on at by for with from as is are was were be been being it its this that these those "
    "he she they we you i his her their our your my them us him me not no so do does did has have had will would can could "
    "should may might must which who whom whose what when where why how than then there here also just about into over after "
    "before said says more most some any all one two".split()
)
_SUPERLATIVE = re.compile(r"[a-z]{3,}est$")
_NOT_SUPERLATIVE = frozenset({"west", "interest", "protest", "rest", "test", "arrest", "request", "suggest", "forest", "honest", "latest", "modest", "harvest", "contest", "manifest", "invest", "guest", "quest", "chest", "digest", "nest", "pest", "crest"})


@dataclass(frozen=True, slots=True)
class ArticleStats:
    """How often each content word and word bigram occurs in the whole article (for repetition)."""

    words: Counter[str]
    bigrams: Counter[tuple[str, str]]

    @classmethod
    def of(cls, sentences: Sequence[Sequence[str]]) -> "ArticleStats":
        words: Counter[str] = Counter()
        bigrams: Counter[tuple[str, str]] = Counter()
        for lw in sentences:
            words.update(w for w in lw if w not in STOPWORDS and w[0].isalnum())
            bigrams.update(zip(lw, lw[1:]))
        return cls(words, bigrams)


def _bucket(n: int) -> str:
    return "0" if n <= 0 else "1" if n == 1 else "2" if n == 2 else "3-5" if n <= 5 else "6+"


def quote_flags(tokens: Sequence[Token]) -> list[bool]:
    """Whether each token lies inside a pair of quotation marks of the sentence."""
    flags, inside = [], False
    for t in tokens:
        if t.text in QUOTES:
            inside = not inside
            flags.append(False)
        else:
            flags.append(inside)
    return flags


def cue_labels(lower: Sequence[str], cues: CueIndex, matches: Sequence[tuple[int, int, str]] | None = None) -> list[list[str]]:
    """For each token, the cue lists of the phrases that cover it (each once, sorted).

    ``matches``: ``cues.matches(lower)`` when the caller already has them.
    """
    labels: list[set[str]] = [set() for _ in lower]
    for s, e, cue in cues.matches(lower) if matches is None else matches:
        for k in range(s, e):
            labels[k].add(cue)
    return [sorted(c) if len(c) > 1 else list(c) for c in labels]


def is_superlative(words: Sequence[str], i: int) -> bool:
    w = words[i]
    return (bool(_SUPERLATIVE.match(w)) and w not in _NOT_SUPERLATIVE) or (i > 0 and words[i - 1] in ("most", "least") and w.isalpha())


def token_features(tokens: Sequence[Token], cues: CueIndex, stats: ArticleStats,
                   matches: Sequence[tuple[int, int, str]] | None = None, lower: Sequence[str] | None = None) -> list[list[str]]:
    """The CRF attributes of each token of one sentence (``matches``/``lower``: the sentence's cue matches and
    lower-cased words when the caller already has them)."""
    if lower is None:
        lower = [t.lower for t in tokens]
    n = len(tokens)
    cue = cue_labels(lower, cues, matches)
    quoted = quote_flags(tokens)
    has_excl = "!" in lower
    has_q = "?" in lower
    n_cues = sum(1 for c in cue if c)
    sent = [f"scue={_bucket(n_cues)}", f"slen={_bucket(n // 8)}"] + (["s!"] if has_excl else []) + (["s?"] if has_q else [])
    padded = ["<s>", "<s>", *lower, "</s>", "</s>"]
    out: list[list[str]] = []
    for i, tok in enumerate(tokens):
        w = lower[i]
        p1, p2, n1, n2 = padded[i + 1], padded[i], padded[i + 3], padded[i + 4]
        f = ["b", "w=" + w, "w-1=" + p1, "w+1=" + n1, "w-2=" + p2, "w+2=" + n2, "w-1w=" + p1 + "|" + w, "ww+1=" + w + "|" + n1, "suf=" + w[-3:], *sent]
        raw = tok.text
        if raw[:1].isupper():
            f.append("cap" if i else "cap0")
            if len(raw) > 1 and raw.isupper():
                f.append("allcap")
        if quoted[i]:
            f.append("q")
        if is_superlative(lower, i):
            f.append("sup")
        for c in cue[i]:
            f.append("c=" + c)
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < n:
                for c in cue[j]:
                    f.append(f"c{off:+d}={c}")
        if w not in STOPWORDS and w[:1].isalnum():
            f.append("rep=" + _bucket(stats.words[w]))
        if i and stats.bigrams[(lower[i - 1], w)] >= 2 and w[:1].isalnum():
            f.append("brep")
        if i == 0:
            f.append("bos")
        if i == n - 1:
            f.append("eos")
        out.append(f)
    return out


class AttributeColumns:
    """The CRF's column of each attribute string :func:`token_features` makes, found without making most of
    them: the six attributes of a word (``w=``, ``w-1=``, ``w+1=``, ``w-2=``, ``w+2=`` with it, ``suf=`` of it)
    are looked up once per distinct word. -1 for an attribute the CRF does not know."""

    _WORD_PREFIXES = ("w=", "w-1=", "w+1=", "w-2=", "w+2=")
    MAX_WORDS = 200_000  # words kept (cleared when full)

    def __init__(self, attributes: dict[str, int]) -> None:
        self.attributes = attributes
        self._words: dict[str, tuple[int, int, int, int, int, int]] = {}
        self.rep = {n: attributes.get("rep=" + _bucket(n), -1) for n in range(7)}  # rep= of a count (6+ alike)
        self._cues: dict[str, tuple[int, int, int, int, int]] = {}
        self._forms: dict[str, tuple[bool, bool, bool]] = {}
        self._pairs: dict[tuple[str, str], tuple[int, int]] = {}

    def cue(self, name: str) -> tuple[int, int, int, int, int]:
        """The columns of ``c=``, ``c-2=``, ``c-1=``, ``c+1=``, ``c+2=`` with a cue list's name."""
        cols = self._cues.get(name)
        if cols is None:
            get = self.attributes.get
            cols = self._cues[name] = (get("c=" + name, -1), *(get(f"c{off:+d}={name}", -1) for off in (-2, -1, 1, 2)))  # type: ignore[assignment]
        return cols  # type: ignore[return-value]

    def form(self, w: str) -> tuple[bool, bool, bool]:
        """A lower-cased word's (superlative by its form alone, content word: no stopword and starting with a letter
        or digit, starting with a letter or digit), kept per word."""
        got = self._forms.get(w)
        if got is None:
            if len(self._forms) >= self.MAX_WORDS:
                self._forms.clear()
            alnum = w[:1].isalnum()
            got = self._forms[w] = (bool(_SUPERLATIVE.match(w)) and w not in _NOT_SUPERLATIVE, alnum and w not in STOPWORDS, alnum)
        return got

    def pair(self, a: str, b: str) -> tuple[int, int]:
        """The columns of ``w-1w=a|b`` (b after a) and ``ww+1=a|b`` (a before b), kept per pair of words."""
        key = (a, b)
        cols = self._pairs.get(key)
        if cols is None:
            if len(self._pairs) >= self.MAX_WORDS:
                self._pairs.clear()
            get = self.attributes.get
            joined = a + "|" + b
            cols = self._pairs[key] = (get("w-1w=" + joined, -1), get("ww+1=" + joined, -1))
        return cols

    def word(self, w: str) -> tuple[int, int, int, int, int, int]:
        cols = self._words.get(w)
        if cols is None:
            if len(self._words) >= self.MAX_WORDS:
                self._words.clear()
            get = self.attributes.get
            a, b, c, d, e = (get(prefix + w, -1) for prefix in self._WORD_PREFIXES)
            cols = self._words[w] = (a, b, c, d, e, get("suf=" + w[-3:], -1))
        return cols


def token_columns(tokens: Sequence[Token], cues: CueIndex, stats: ArticleStats, columns: AttributeColumns,
                  matches: Sequence[tuple[int, int, str]] | None = None, lower: Sequence[str] | None = None) -> list[list[int]]:
    """The CRF columns of :func:`token_features`'s attributes, token by token in the same order (unknown ones
    left out): what the tagger sums, without building every attribute string (a test checks the two agree)."""
    if lower is None:
        lower = [t.lower for t in tokens]
    get = columns.attributes.get
    n = len(tokens)
    cue = cue_labels(lower, cues, matches)
    quoted = quote_flags(tokens)
    n_cues = sum(1 for c in cue if c)
    sent = [get(f"scue={_bucket(n_cues)}", -1), get(f"slen={_bucket(n // 8)}", -1)]
    if "!" in lower:
        sent.append(get("s!", -1))
    if "?" in lower:
        sent.append(get("s?", -1))
    padded = ["<s>", "<s>", *lower, "</s>", "</s>"]
    word_cols = [columns.word(w) for w in padded]
    forms = [columns.form(w) for w in lower]  # (superlative by its form, content word, starts with a letter or digit)
    rep = columns.rep
    b, cap, cap0, allcap, q, sup, brep, bos, eos = (get(a, -1) for a in ("b", "cap", "cap0", "allcap", "q", "sup", "brep", "bos", "eos"))
    # tokens with a cue list within two tokens: only they look at their neighbours' cues
    near_cue = {i for j, c in enumerate(cue) if c for i in range(j - 2, j + 3)}
    words_count, bigrams = stats.words.get, stats.bigrams.get
    pair = columns.pair
    out: list[list[int]] = []
    for i, tok in enumerate(tokens):
        w = lower[i]
        f = [b, word_cols[i + 2][0], word_cols[i + 1][1], word_cols[i + 3][2], word_cols[i][3], word_cols[i + 4][4],
             pair(padded[i + 1], w)[0], pair(w, padded[i + 3])[1], word_cols[i + 2][5], *sent]
        raw = tok.text
        if raw[:1].isupper():
            f.append(cap if i else cap0)
            if len(raw) > 1 and raw.isupper():
                f.append(allcap)
        if quoted[i]:
            f.append(q)
        superlative, content, alnum = forms[i]
        if superlative or (i > 0 and lower[i - 1] in ("most", "least") and w.isalpha()):  # is_superlative, its form cached
            f.append(sup)
        if i in near_cue:
            for c in cue[i]:
                f.append(columns.cue(c)[0])
            for k, off in enumerate((-2, -1, 1, 2), 1):
                j = i + off
                if 0 <= j < n:
                    for c in cue[j]:
                        f.append(columns.cue(c)[k])
        if content:
            f.append(rep[min(words_count(w, 0), 6)])
        if i and alnum and bigrams((lower[i - 1], w), 0) >= 2:
            f.append(brep)
        if i == 0:
            f.append(bos)
        if i == n - 1:
            f.append(eos)
        out.append([j for j in f if j >= 0])
    return out


def span_features(text: str, start: int, end: int, sentence: tuple[int, int], cues: CueIndex, article_lower: str) -> dict[str, float]:
    """Named extra features of a span for the technique head (beside its word and character n-grams)."""
    from fogwatch.slant.tokens import tokenize

    toks = tokenize(text, start, end)
    lower = [t.lower for t in toks]
    span_lower = text[start:end].lower()
    feats: dict[str, float] = {f"len={_bucket(len(toks) // 2)}": 1.0}
    for _, _, cue in cues.matches(lower):
        feats["c=" + cue] = 1.0
    repeats = article_lower.count(span_lower) if len(span_lower) > 3 else 0
    feats[f"rep={_bucket(repeats)}"] = 1.0
    if repeats >= 2:
        feats["rep_first" if article_lower.find(span_lower) == start else "rep_later"] = 1.0
    content = [w for w in lower if w not in STOPWORDS and w[:1].isalnum() and len(w) > 2]
    if content:
        most = max(article_lower.count(w) for w in content)
        feats[f"wrep={_bucket(most // 2)}"] = 1.0
    if start < 200:
        feats["lead"] = 1.0
    words = [w for w in lower if w[:1].isalnum()]
    if words:
        feats["fw=" + words[0]] = 1.0
        feats["lw=" + words[-1]] = 1.0
        feats["lsuf=" + words[-1][-3:]] = 1.0
        feats[f"ntok={min(len(words), 6)}"] = 1.0
    if toks and toks[0].text[:1].isupper():
        feats["cap0"] = 1.0
    if sum(1 for t in toks if t.text[:1].isupper()) >= 2:
        feats["caps"] = 1.0
    if any(is_superlative(lower, i) for i in range(len(lower))):
        feats["sup"] = 1.0
    s_start, s_end = sentence
    before, after = text[max(s_start, start - 2) : start], text[end : min(s_end, end + 2)]
    if any(q in before for q in QUOTES) or any(q in after for q in QUOTES):
        feats["quoted"] = 1.0
    if "!" in text[s_start:s_end]:
        feats["s!"] = 1.0
    if "?" in text[s_start:s_end]:
        feats["s?"] = 1.0
    if end - start >= 0.8 * (s_end - s_start):
        feats["whole_sentence"] = 1.0
    left = tokenize(text, max(s_start, start - 40), start)[-3:]
    for t in left:
        feats["l=" + t.lower] = 1.0
    right = tokenize(text, end, min(s_end, end + 40))[:2]
    for t in right:
        feats["r=" + t.lower] = 1.0
    return feats
