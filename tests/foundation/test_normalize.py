from fogwatch.text.normalize import fold


def test_fold_keeps_length_and_offsets():
    for text in ["the \u0441entre of moderate rebels", "Ḥalab and Dar‘ā — İdlib", "Hay’at Tahrir al-Sham", "Москва", ""]:
        assert len(fold(text)) == len(text)


def test_cyrillic_lookalike_inside_a_latin_word_matches():
    text = "close to Idlib city, the \u0441entre of hope"
    assert "\u0441" in text  # a Cyrillic es, as published in seed 000
    at = fold(text).find("centre")
    assert at == text.index("\u0441entre")


def test_all_cyrillic_words_are_left_alone():
    assert fold("Москва") == "москва"


def test_quotes_dashes_and_diacritics_unify():
    assert fold("Hay’at Tahrir al‑Sham — Ma‘arrat Ḥarīm") == "hay'at tahrir al-sham - ma'arrat harim"
