"""`fogwatch analyze --published DATE`: a plain text file gets the publication date its relative dates need."""

from __future__ import annotations

import re

# written for this test
TEXT = "Government forces shelled the town of Kafr Nabl in Idlib on Monday, killing three civilians, activists said.\n"


def test_published_anchors_relative_dates(run_cli, tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(TEXT, encoding="utf-8")
    undated = run_cli("analyze", "--no-sentences", str(report)).stdout.decode()
    dated = run_cli("analyze", "--no-sentences", "--published", "2016-02-17", str(report))
    assert dated.returncode == 0, dated.stderr.decode()
    out = dated.stdout.decode()
    assert "published: 2016-02-17" in out and "2016-02-15" in out  # "on Monday" before a Wednesday
    assert "2016-02-15" not in undated


def test_published_does_not_override_the_documents_own_date(run_cli, tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(TEXT, encoding="utf-8")
    (tmp_path / "r.txt.meta.json").write_text('{"published": "2016-02-10"}', encoding="utf-8")
    out = run_cli("analyze", "--no-sentences", "--published", "2016-02-17", str(report)).stdout.decode()
    assert "published: 2016-02-10" in out and "2016-02-08" in out


def test_a_bad_published_date_is_a_usage_error(run_cli, tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(TEXT, encoding="utf-8")
    proc = run_cli("analyze", "--published", "17/02/2016", str(report))
    assert proc.returncode == 2 and b"[E302] --published '17/02/2016' is not a date" in proc.stderr and b"Traceback" not in proc.stderr


def test_at_80_columns_events_and_places_are_cards_with_whole_words(run_cli):
    proc = run_cli("analyze", "--details", "--no-sentences", "src/fogwatch/samples/01_wire_kafr_nabl.txt", env={"COLUMNS": "80"})
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode()
    assert max(len(line) for line in out.splitlines()) <= 80
    flat = " ".join(out.split())
    assert "Events (1)" in flat and "evidence “BEIRUT, March 10 (Meridian Wire) - Government artillery shelled the town" in flat
    assert "at least 7 killed civilians, per Syrian Observatory for Human Rights, reported: “killing at least 7 civilians”" in flat
    assert "“Kafr Nabl” → Kafranbel [town, precision 1]" in flat
    assert "│ … │" not in out  # no column squeezed to an ellipsis
    wide = run_cli("analyze", "--details", "--no-sentences", "src/fogwatch/samples/01_wire_kafr_nabl.txt", env={"COLUMNS": "160"}).stdout.decode()
    assert "┃ resolved to" in wide  # the places table from 120 columns
    # the events stay cards at 160 too: the events table squeezed its evidence column to a few letters
    assert "evidence   “BEIRUT, March 10 (Meridian Wire) - Government artillery shelled the town" in wide
    assert "│ … │" not in wide and "Tahr…" not in wide


def _flat(text: str) -> str:
    return " ".join(text.split())


def _sentence_with(text: str, words: str) -> str:
    """The one sentence of ``text`` that contains ``words``."""
    found = [m.group(0) for m in re.finditer(r"[^.!?]*[.!?]", text) if words in m.group(0)]
    assert len(found) == 1, found
    return found[0].strip()


def test_the_short_report_shows_each_evidence_sentence_once_in_whole_words(run_cli, shared):
    """Seed 000 (58 sentences, 10 events, 50 places): the default report is a block per event, ~50 lines at 160
    columns (it was ~220 with every table; --details still prints them), and at 80 columns no word is cut."""
    seed = shared / "corpus/seeds/000_513aeec856fbd06a.txt"
    text = _flat(seed.read_text(encoding="utf-8"))
    for columns in (160, 80):
        proc = run_cli("analyze", str(seed), env={"COLUMNS": str(columns)})
        assert proc.returncode == 0, proc.stderr.decode()
        out = proc.stdout.decode()
        lines = out.splitlines()
        assert max(len(line) for line in lines) <= columns
        flat = _flat(out)
        assert "Events (10)" in flat and "Sentences: 58 (--sentences lists them)" in flat and "--details:" in flat
        assert "┃ sentence" not in out and "Slant spans" not in out  # no sentence table, no span table
        # each evidence sentence whole (never cut inside a word) and once
        # the seed's sentences with the Russian and the Turkish dead, read from ../shared (never copied here)
        russians, turks = (_sentence_with(text, figure) for figure in ("4 Russian", "8 Turkish"))
        for sentence in (russians, turks):
            assert flat.count(f"“{sentence}”") == 1
        assert "claim: 8 killed Turkish service members (per the author, asserted)" in flat
        assert flat.count(turks[:60]) == 1  # the claim does not repeat its sentence
        assert "Places (50 mentions of" in flat and "Slant (" in flat
        if columns == 160:
            assert len(lines) <= 80, len(lines)
    detailed = run_cli("analyze", "--details", str(seed), env={"COLUMNS": "160"}).stdout.decode()
    assert "Sentences (58)" in detailed and "Slant spans" in detailed and len(detailed.splitlines()) > 200
