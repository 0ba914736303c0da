"""Normalisation for *matching*, never for offsets.

:func:`fold` returns a string of exactly the same length as its input, with
one character replaced by one character, so an offset found in the folded
text is the same offset in the original. It:

- lowercases (only where lowercasing keeps the length: "İ" stays put);
- maps look-alikes from other scripts inside Latin words to Latin ("сentre"
  with a Cyrillic "с" matches "centre"), but leaves all-Cyrillic words alone;
- strips Latin diacritics ("Ḥalab" ~ "halab", "Dar'ā" ~ "dar'a");
- unifies apostrophes and quotes (’ ‘ ` ʿ ʾ ′ → '), dashes (– — ‑ → -), and
  exotic spaces (no-break, thin) → " ".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Cyrillic and Greek letters that render like Latin ones (the subset of
# Unicode's confusables.txt that matters for English news text).
_CONFUSABLES = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "һ": "h",
    "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J",
    "α": "a", "ο": "o", "ρ": "p", "ν": "v", "τ": "t", "ι": "i", "κ": "k", "υ": "u",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}
_CONFUSABLE_TABLE = str.maketrans(_CONFUSABLES)
_HAS_CONFUSABLE = re.compile("[" + "".join(_CONFUSABLES) + "]")
# A word that mixes look-alikes with ASCII letters: only these are remapped.
_MIXED_WORD = re.compile(r"\w*(?:[A-Za-z]\w*[" + "".join(_CONFUSABLES) + r"]|[" + "".join(_CONFUSABLES) + r"]\w*[A-Za-z])\w*")

_PUNCT = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "`": "'", "\u00b4": "'", "\u02bc": "'",
    "\u02bf": "'", "\u02be": "'", "\u02bb": "'", "\u2032": "'", "\u02b9": "'", "\u0060": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ",
    "\u00ad": "-",
}


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """Lowercase + strip diacritics, one character to one character."""
    table: dict[int, str] = {}
    for cp in range(0x00C0, 0x0250):  # Latin-1 Supplement and Latin Extended-A/B
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0].lower()
        if len(base) == 1 and base != ch:
            table[cp] = base
    for cp in range(0x1E00, 0x1F00):  # Latin Extended Additional (Ḥ, ṣ, ṭ used in transliteration)
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0].lower()
        if len(base) == 1 and base != ch:
            table[cp] = base
    for cp in range(ord("A"), ord("Z") + 1):
        table[cp] = chr(cp + 32)
    for src, dst in _PUNCT.items():
        table[ord(src)] = dst
    return table


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _lower_one(m: re.Match[str]) -> str:
    low = m.group(0).lower()
    return low if len(low) == 1 else m.group(0)


def unconfuse(text: str) -> str:
    """Map Cyrillic/Greek look-alikes inside Latin words to Latin; same length."""
    if not _HAS_CONFUSABLE.search(text):
        return text
    return _MIXED_WORD.sub(lambda m: m.group(0).translate(_CONFUSABLE_TABLE), text)


def fold(text: str) -> str:
    """The matching form of ``text``: same length, offsets unchanged."""
    folded = unconfuse(text).translate(_fold_table())
    if not folded.isascii():
        # Lowercase what the table does not cover, character by character, only
        # where that keeps one code point ("İ".lower() has two).
        folded = _NON_ASCII.sub(_lower_one, folded)
    assert len(folded) == len(text)
    return folded
