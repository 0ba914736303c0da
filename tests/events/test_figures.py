import pytest

from fogwatch.events.figures import find_counts, find_figures
from fogwatch.text.normalize import fold


def counts(sentence):
    return [(c.quantity, c.figure.low, c.figure.high, c.subject, sentence[c.start : c.end]) for c in find_counts(fold(sentence), sentence)]


@pytest.mark.parametrize(
    "text, low, high",
    [
        ("at least 6", 6, None),
        ("between 30 and 35", 30, 35),
        ("over 150", 151, None),
        ("more than 1,200", 1201, None),
        ("up to 10", None, 10),
        ("a dozen", 12, 12),
        ("dozens", 12, None),
        ("tens of", 10, None),
        ("hundreds", 100, None),
        ("several", 10, None),
        ("a number of", 10, None),
        ("twenty-five", 25, 25),
        ("two hundred", 200, 200),
        ("30-35", 30, 35),
        ("fewer than 20", None, 19),
        ("about 40", 40, 40),
    ],
)
def test_figure_bounds_follow_the_contract_table(text, low, high):
    figs = find_figures(fold(text + " people were killed"))
    assert (figs[0].low, figs[0].high) == (low, high)


def test_kinds_subjects_and_others():
    s = "Officials said that at least 5 Turkish soldiers were killed and 8 others were injured by mortar fire."
    assert counts(s) == [
        ("killed", 5, None, "Turkish soldiers", "at least 5 Turkish soldiers were killed"),
        ("injured", 8, 8, "Turkish soldiers", "8 others were injured"),
    ]
    s = "Near the bridge at least 14 fighters were captured, and a dozen of others were shot dead."
    assert [(q, lo, hi, subj) for q, lo, hi, subj, _ in counts(s)] == [("captured", 14, None, "fighters"), ("killed", 12, 12, "fighters")]


def test_active_and_coordinated_forms():
    assert counts("One of the raids killed 4 Russian military personnel attached to local units.") == [
        ("killed", 4, 4, "Russian military personnel", "killed 4 Russian military personnel")
    ]
    got = counts("Regretfully, 8 Turkish service members came too close to the positions and died in strikes.")
    assert got[0][:4] == ("killed", 8, 8, "Turkish service members")
    got = counts("the rebels say that over 120 soldiers were killed and at least 11 pieces of heavy equipment were destroyed.")
    assert [(q, lo, subj) for q, lo, _, subj, _ in got] == [("killed", 121, "soldiers"), ("destroyed", 11, "pieces of heavy equipment")]
    assert counts("rioting left two dead and five injured.") == [("killed", 2, 2, None, "two dead"), ("injured", 5, 5, None, "five injured")]
    assert counts("officials said 73 people have died in police firing")[0][:3] == ("killed", 73, 73)
    assert counts("the death toll rose to 16 on Monday")[0][:3] == ("killed", 16, 16)
    assert counts("over 2,500 have been displaced")[0][:3] == ("displaced", 2501, None)
    assert counts("Up to 10 suicide bombers took part in the assault.") == [("other", None, 10, "suicide bombers", "Up to 10 suicide bombers")]


def test_killing_and_injuring_gives_no_split():
    got = counts("the jets hit depots, killing and injuring dozens of fighters.")
    assert {(q, lo) for q, lo, *_ in got} == {("killed", None), ("injured", None)}


@pytest.mark.parametrize(
    "sentence",
    [
        "On February 1 and 2, the army attacked near the M4 and M5 highways.",
        "Government forces have taken control over 1,200km2 since 2019.",
        "Clashes near Rashidin 4 and Khan Touman continued for 3 days.",
        "The 15-year-old boy was 30 percent of the way home at 5 pm.",
    ],
)
def test_dates_units_and_names_are_not_counts(sentence):
    assert counts(sentence) == []


def test_evidence_contains_the_figure():
    s = "Activists reported that 4 Iranian advisers were killed during the March 3 fighting."
    for c in find_counts(fold(s), s):
        assert s[c.figure.start : c.figure.end] in s[c.start : c.end]
