"""Matching keys for place names: one key for every spelling of a name.

``name_key("Ma'arrat al-Nu'man") == name_key("Maarat an Numan")``. The key
folds case and diacritics (:func:`fogwatch.text.normalize.fold`), drops
apostrophes and hyphens, the Arabic article (al-/el-/ash-/ad-/as-…), and maps
transliteration variants onto one spelling: Tell/Tall/Tal, Sheikh/Shaykh,
Kafr/Kfar, Deir/Dayr, ou/oo→u, ee→i, q→k, doubled letters, a final -ah.
Both the gazetteer and the text go through the same function, so the index
needs one row per distinct key, not per spelling.
"""

from __future__ import annotations

import gzip

import re
from functools import lru_cache
from importlib.resources import files

from fogwatch.text.normalize import fold

# The Arabic definite article as transliterated, with sun-letter assimilation.
ARTICLES = frozenset(
    "al el il ul ash esh ad ed as es an en ar er at et az ez ath adh ak".split()
)
_TOKEN_MAP = {
    **dict.fromkeys(("tell", "tall", "tal", "tel", "til"), "tal"),
    **dict.fromkeys(("sheikh", "shaykh", "shaikh", "sheik", "shekh", "shaik", "cheikh", "sheyh"), "shaykh"),
    **dict.fromkeys(("kafr", "kfar", "kefr", "kafar", "kfr", "kufr"), "kafr"),
    **dict.fromkeys(("deir", "dayr", "dair", "der", "deyr"), "dayr"),
    **dict.fromkeys(("jabal", "jebel", "jabel", "jbel", "djebel", "jabl"), "jabal"),
    **dict.fromkeys(("ain", "ayn", "ein", "aïn", "ayin", "'ayn", "'ain"), "ayn"),
    **dict.fromkeys(("beit", "bayt", "bait", "beyt"), "bayt"),
    **dict.fromkeys(("khirbet", "khirbat", "khirbit", "kherbet"), "khirbat"),
    **dict.fromkeys(("saint", "st", "ste", "san"), "saint"),  # St. Louis / Saint Louis
    **dict.fromkeys(("fort", "ft"), "fort"),
    **dict.fromkeys(("mount", "mt"), "mount"),
}
_WORD = re.compile(r"[a-z0-9]+")
_APOSTROPHES = re.compile(r"['\u2018\u2019`\u02bf\u02be\u02bc]")
_DOUBLE = re.compile(r"([a-z])\1+")
_CHARS = (("ou", "u"), ("oo", "u"), ("ee", "i"), ("q", "k"), ("ck", "k"))


_AH_END = re.compile(r"\b([a-z0-9]{2,})ah\b")


@lru_cache(maxsize=262144)
def name_key(name: str) -> str:
    """The matching key of a place name ("" when nothing is left)."""
    words = _WORD.findall(_APOSTROPHES.sub("", fold(name)))
    if len(words) > 1:
        # The article is dropped before a following word ("al-Bab" → "bab"), never alone.
        words = [w for i, w in enumerate(words) if not (w in ARTICLES and i + 1 < len(words))] or words
    key = " ".join([_TOKEN_MAP.get(w, w) for w in words])
    # Character rules on the whole key at once (cheaper than word by word, same result:
    # none of them reaches across a space).
    for a, b in _CHARS:
        if a in key:
            key = key.replace(a, b)
    return _AH_END.sub(r"\1a", _DOUBLE.sub(r"\1", key))


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Frequent English words: a town named like one ("Post", "Hope") needs strong evidence."""
    text = files("fogwatch.data").joinpath("gazetteer/common_words.txt").read_text(encoding="utf-8")
    return frozenset(text.split()) | ARABIC_COMMON_NOUNS


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The 30,000 most frequent English words: one that matches a place only through an alternate name
    ("Voters", an alternate name of Walters) needs evidence before it counts as that place."""
    raw = files("fogwatch.data").joinpath("gazetteer/english_words.txt.gz").read_bytes()
    return frozenset(gzip.decompress(raw).decode("utf-8").split())


# Arabic common nouns that are whole town names in the gazetteer ("Bab" = gate,
# "Jisr" = bridge); alone they are part of a longer name far more often.
ARABIC_COMMON_NOUNS = frozenset(
    "bab jisr tal ayn bir wadi jabal nahr suq souq madina qasr mazraa khan"
    # adjectives that end village names ("Qurqur Jadid" = new Qurqur; kabir/saghir = big/small)
    " jadid jadida kabir kabira saghir saghira gharbi gharbiya sharqi sharqiya shamali janubi qadim fawqani tahtani".split()
)
