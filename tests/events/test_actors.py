import pytest

from fogwatch.errors import UsageError
from fogwatch.events.actors import load_registry

from .helpers import registry


def resolved(sentence, country="SY", year=2020):
    r = registry()
    return [(r.resolve(m, country, year).name, r.resolve(m, country, year).inter, m.subunit) for m in r.find(sentence)]


@pytest.mark.parametrize(
    "phrase, name",
    [
        ("regime forces", "Military Forces of Syria (2000-)"),
        ("the Syrian Army", "Military Forces of Syria (2000-)"),
        ("SAA", "Military Forces of Syria (2000-)"),
        ("government troops", "Military Forces of Syria (2000-)"),
        ("HTS", "Hayat Tahrir al-Sham"),
        ("Hay'at Tahrir al-Sham", "Hayat Tahrir al-Sham"),
        ("the Turkistan Islamic Party", "Turkistan Islamic Party"),
        ("Horas al-Din", "Hurras al-Din"),
        ("the SDF", "Syrian Democratic Forces"),
        ("Turkish proxies", "Syrian National Army"),
        ("Turkish-backed forces", "Syrian National Army"),
        ("Russian forces", "Military Forces of Russia (2000-)"),
        ("Iranian forces", "Military Forces of Iran (1989-)"),
        ("Hezbollah", "Hezbollah"),
        ("unidentified warplanes", "Unidentified Military Forces"),
    ],
)
def test_registry_names(phrase, name):
    got = resolved(f"Yesterday {phrase} moved in.")
    assert got and got[0][0] == name


def test_subunits_are_noted():
    assert resolved("The Tiger Forces and the 4th Armoured Division advanced.") == [
        ("Military Forces of Syria (2000-)", 1, "Tiger Forces"),
        ("Military Forces of Syria (2000-)", 1, "4th Armoured Division"),
    ]


def test_turkey_in_syria_is_external():
    for phrase in ("Turkish military", "Turkish troops", "Turkish artillery"):
        assert resolved(f"The {phrase} fired.", country="SY")[0][:2] == ("Military Forces of Turkey (2016-)", 8)
    assert resolved("The Turkish troops fired.", country="TR")[0][:2] == ("Military Forces of Turkey (2016-)", 1)


def test_labels_are_kept_as_written():
    assert resolved("surrounded by al-Qaeda-linked militants")[0][:2] == ("al-Qaeda-linked militants", 2)


def test_generic_patterns_for_unknown_conflicts():
    assert resolved("Nigerian police arrested them.", country="NG") == [("Police Forces of Nigeria", 1, None)]
    assert resolved("the Malian army repelled them", country="ML") == [("Military Forces of Mali", 1, None)]
    assert resolved("Boko Haram militants attacked the town.", country="NG") == [("Boko Haram", 2, None)]
    assert resolved("the police fired tear gas", country="IN") == [("Police Forces of India", 1, None)]
    assert resolved("civilians fled", country="IN") == [("Civilians (India)", 7, None)]
    assert resolved("protesters gathered", country="SY") == [("Protesters (Syria)", 6, None)]


def test_validity_dates_pick_the_period():
    assert resolved("Syrian troops shelled it.", year=1995)[0][0] == "Military Forces of Syria (1971-2000)"


def test_users_extend_the_registry(tmp_path, monkeypatch):
    (tmp_path / "mine.yaml").write_text(
        "actors:\n  - name: Wagner Group\n    inter: 8\n    aliases: [Wagner mercenaries, Wagner]\n", encoding="utf-8"
    )
    monkeypatch.setenv("FOGWATCH_ACTORS", str(tmp_path))
    r = load_registry()
    got = r.find("Wagner mercenaries attacked the village.")
    assert r.resolve(got[0], "ML", 2022).name == "Wagner Group"
    assert "mine.yaml" in r.sources[-1]


def test_bad_registry_files_give_a_clear_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("actors:\n  - name: X\n    inter: 12\n", encoding="utf-8")
    with pytest.raises(UsageError, match="E601.*inter 12"):
        load_registry([str(bad)], use_env=False)
    bad.write_text("actors: [unclosed\n", encoding="utf-8")
    with pytest.raises(UsageError, match="not valid YAML"):
        load_registry([str(bad)], use_env=False)
    with pytest.raises(UsageError, match="no such file"):
        load_registry([str(tmp_path / "missing.yaml")], use_env=False)
