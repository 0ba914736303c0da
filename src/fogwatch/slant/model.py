"""The slant record: one span of the text and the propaganda technique it uses."""

from __future__ import annotations

from fogwatch.records import SlantSpan

__all__ = ["TECHNIQUES", "SlantSpan"]

# The 14 technique names of SemEval-2020 Task 11 (PTC), spelled as ../shared/CONTRACT.md spells them.
TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)
