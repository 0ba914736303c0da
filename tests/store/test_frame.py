"""Store queries as pandas DataFrames with typed columns (issue 15 item 2): Store.events_frame, Store.claims_frame."""

from __future__ import annotations

import datetime as dt

import pytest

from fogwatch.errors import Code, UsageError
from fogwatch.store import EventFilter
from fogwatch.store.frame import CLAIM_COLUMNS, event_dtypes
from store_fixtures import seed_000, seed_003, unplaced_report, unrelated_report

pd = pytest.importorskip("pandas")  # the [pandas] extra; in [test], so the suite runs this


def test_events_frame_is_store_events_with_typed_columns(store):
    store.add_batch([seed_000(), seed_003(), unrelated_report(1), unplaced_report()])
    events = store.events()
    frame = store.events_frame()
    assert list(frame.columns) == list(events[0]) == list(event_dtypes())
    assert list(frame["event_id"]) == [e["event_id"] for e in events]  # same rows, same order (newest first)
    dtypes = {c: str(t) for c, t in frame.dtypes.items()}
    assert dtypes["event_date"] == dtypes["date_start"] == "datetime64[s]"
    assert dtypes["fatalities_best"] == dtypes["n_sources"] == dtypes["geonameid"] == dtypes["time_precision"] == "Int64"
    assert dtypes["latitude"] == dtypes["confidence"] == "Float64" and dtypes["contested"] == "boolean"
    assert dtypes["event_type"] == "string" and dtypes["updated_at"] == "datetime64[s, UTC]"
    for i, e in enumerate(events):
        assert frame["event_date"].iloc[i] == pd.Timestamp(e["event_date"])
        for k in ("fatalities_best", "fatalities_low", "latitude", "actor2_inter"):  # unknown stays <NA>, not NaN or 0
            value = frame[k].iloc[i]
            assert (value is pd.NA) if e[k] is None else value == e[k]
        assert frame["contested"].iloc[i] == e["contested"] and frame["discrepancy_reasons"].iloc[i] == e["discrepancy_reasons"]
    assert frame["fatalities_best"].isna().any() and frame["latitude"].isna().any()  # the fixtures do have unknowns
    # the same filters as Store.events
    contested = store.events_frame(EventFilter(contested=True))
    assert list(contested["event_id"]) == [e["event_id"] for e in store.events(EventFilter(contested=True))]
    assert store.events_frame(limit=2, offset=1)["event_id"].tolist() == [e["event_id"] for e in events[1:3]]
    # numbers are numbers: a sum over Int64 counts the known figures
    assert frame["fatalities_best"].sum() == sum(e["fatalities_best"] or 0 for e in events)


def test_claims_frame_has_one_row_per_claim(store):
    store.add_batch([seed_000(), seed_003(), unrelated_report(1)])
    frame = store.claims_frame(EventFilter(contested=True))
    assert list(frame.columns) == list(CLAIM_COLUMNS)
    members = store.members([e["event_id"] for e in store.events(EventFilter(contested=True))])
    assert len(frame) == sum(len(m["claims"]) for ms in members.values() for m in ms) > 0
    turkish = frame[frame["claimant"] == "Turkish Defense Ministry"].iloc[0]
    assert turkish["low"] == 6 and pd.isna(turkish["high"]) and turkish["modality"] == "reported"
    assert turkish["published"] == pd.Timestamp("2020-02-04") and str(frame["low"].dtype) == "Int64"
    assert set(frame["event_id"]) <= set(store.events_frame(EventFilter(contested=True))["event_id"])


def test_an_empty_result_keeps_the_columns_and_types(store):
    frame = store.events_frame(EventFilter(since=dt.date(2099, 1, 1)))
    assert len(frame) == 0 and list(frame.columns) == list(event_dtypes())
    assert str(frame["event_date"].dtype) == "datetime64[s]" and str(frame["fatalities_best"].dtype) == "Int64"
    assert len(store.claims_frame()) == 0


def test_without_pandas_it_is_a_coded_error_with_the_install_command(store, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)  # as if not installed
    with pytest.raises(UsageError) as err:
        store.events_frame()
    assert err.value.code == Code.MISSING_EXTRA and "pip install 'fogwatch[pandas]'" in str(err.value)


def test_the_readmes_store_example_runs(tmp_path, monkeypatch, capsys):
    from pathlib import Path

    from fogwatch.store import open_store

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    code = next(block.split("```", 1)[0] for block in section.split("```python\n")[1:] if "events_frame" in block)
    monkeypatch.chdir(tmp_path)
    with open_store("fogwatch.db") as store:
        store.add_batch([seed_000(), seed_003(), unrelated_report(1)])
        contested, syrian = store.count_events(EventFilter(country="SY", contested=True)), store.count_events(EventFilter(country="SY"))
    scope: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), scope)
    assert len(scope["events"]) == contested > 0 and len(scope["frame"]) == syrian > contested  # type: ignore[arg-type]
    assert len(scope["claims"]) > 0 and len(scope["records"]) == syrian  # type: ignore[arg-type]
    assert "Shelling/artillery/missile attack" in capsys.readouterr().out and (tmp_path / "events.parquet").exists()


def test_event_records_are_typed_frozen_store_events(store):
    import dataclasses

    from fogwatch.store.records import FIELDS, StoredEvent

    store.add_batch([seed_000(), seed_003(), unplaced_report()])
    assert FIELDS == tuple(event_dtypes())  # one field per fused_events column, in the table's order
    events, records = store.events(), store.event_records()
    assert [r.event_id for r in records] == [e["event_id"] for e in events]
    for r, e in zip(records, events):
        assert isinstance(r, StoredEvent) and r.event_date == dt.date.fromisoformat(e["event_date"])
        assert r.fatalities_best == e["fatalities_best"] and r.latitude == e["latitude"] and r.contested is e["contested"]
        assert r.discrepancy_reasons == tuple(e["discrepancy_reasons"]) and isinstance(r.updated_at, dt.datetime)
    with pytest.raises(dataclasses.FrozenInstanceError):
        records[0].fatalities_best = 99  # type: ignore[misc]
    assert [r.event_id for r in store.event_records(EventFilter(contested=True))] == [
        e["event_id"] for e in store.events(EventFilter(contested=True))]
