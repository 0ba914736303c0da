"""ACLED exports are dyadic (actor1 + actor2 columns) or monadic (one row per actor); the evaluation and training
scripts read one event per dict either way (`read_acled_events`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fogwatch.events.evaluation import is_held_out, read_acled_events

MONADIC = (
    "\ufeffevent_id_cnty,event_date,sub_event_type,actor1,assoc_actor_1,inter1,interaction,notes,fatalities\n"
    'X1,4-Aug-24,Violent demonstration,Rioters (Bangladesh),Students (Bangladesh),Rioters,State forces-Rioters,"Students clashed with police.",0\n'
    'X1,4-Aug-24,Violent demonstration,Police Forces of Bangladesh (2009-2024),,State forces,State forces-Rioters,"Students clashed with police.",0\n'
    'X2,5-Aug-24,Peaceful protest,Protesters (Bangladesh),,Protesters,Protesters only,"Teachers marched.",0\n'
    'X3,5-Aug-24,Mob violence,Rioters (Bangladesh),,Rioters,Rioters-Civilians,"A mob beat a man to death.",1\n'
    'X3,5-Aug-24,Mob violence,Civilians (Bangladesh),,Civilians,Rioters-Civilians,"A mob beat a man to death.",1\n'
)

DYADIC = (
    "GWNO,EVENT_ID_CNTY,EVENT_DATE,ACTOR1,ALLY_ACTOR_1,INTER1,ACTOR2,ALLY_ACTOR_2,INTER2,NOTES,FATALITIES\n"
    '771,1BNG,01-January-2015,Rioters (Bangladesh),,5,Police Forces of Bangladesh,,1,"A crowd fought the police.",0\n'
    '771,2BNG,02-January-2015,Protesters (Bangladesh),,6,,,,"A sit-in.",0\n'
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_monadic_rows_join_into_one_event_actor1_first(tmp_path):
    events = read_acled_events(_write(tmp_path, "mono.csv", MONADIC))
    assert [e["event_id_cnty"] for e in events] == ["X1", "X2", "X3"]
    first, single, mob = events
    assert (first["actor1"], first["actor2"]) == ("Rioters (Bangladesh)", "Police Forces of Bangladesh (2009-2024)")
    assert (first["assoc_actor_1"], first["assoc_actor_2"], first["inter2"]) == ("Students (Bangladesh)", "", "State forces")
    assert (single["actor1"], single["actor2"], single["inter2"]) == ("Protesters (Bangladesh)", "", "")
    assert (mob["actor2"], mob["fatalities"]) == ("Civilians (Bangladesh)", "1")  # the event's fatalities once, not per row
    assert all(e["_file"] == "mono" for e in events)


def test_dyadic_rows_stay_as_they_are_with_lower_case_keys(tmp_path):
    events = read_acled_events(_write(tmp_path, "dy.csv", DYADIC))
    assert [(e["event_id_cnty"], e["actor1"], e["actor2"]) for e in events] == [
        ("1BNG", "Rioters (Bangladesh)", "Police Forces of Bangladesh"), ("2BNG", "Protesters (Bangladesh)", "")]


def test_a_third_row_of_one_monadic_event_is_an_error(tmp_path):
    extra = MONADIC + 'X3,5-Aug-24,Mob violence,Police Forces of Bangladesh (2009-2024),,State forces,Rioters-Civilians,"x",1\n'
    with pytest.raises(ValueError, match="more than two rows"):
        read_acled_events(_write(tmp_path, "bad.csv", extra))


def test_the_shared_exports_give_one_event_per_id_and_splits_never_cut_an_event(shared):
    acled = shared / "train" / "acled"
    for path in sorted(acled.glob("*.csv")):
        events = read_acled_events(path)
        ids = [e["event_id_cnty"] for e in events]
        assert len(ids) == len(set(ids)), path.name
        assert all("actor2" in e for e in events)
    bangladesh = read_acled_events(acled / "bangladesh-2022-12_2024-08.csv")
    assert sum(1 for e in bangladesh if e["actor2"]) > 1000  # the monadic file's two-actor events have their actor2
    assert {is_held_out(e["event_id_cnty"]) for e in bangladesh} == {True, False}
