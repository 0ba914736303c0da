"""The Python API as the README shows it: ``fogwatch.load()`` once, ``nlp(text)``, ``nlp.pipe``, ``acled_rows``."""

from __future__ import annotations

import fogwatch
from fogwatch.records import Document

# written for this test
TEXT = "Government forces shelled the town of Kafr Nabl in Idlib on Monday, killing three civilians, activists said."

# The public surface. Adding or removing a name is a decision about the API: update this list with it.
PUBLIC = {
    "Actor", "Claim", "Code", "DocError", "Document", "Event", "EventDate", "FogwatchError", "InputError", "Location",
    "Metadata", "ModelError", "Pipeline", "PipelineError", "Place", "Provenance", "Section", "Sentence", "SlantSpan", "Span",
    "UsageError", "acled_rows", "analyze_text", "component", "default_pipeline", "extract", "load", "to_record",
}


def test_all_is_the_public_surface_and_every_name_resolves():
    assert set(fogwatch.__all__) == PUBLIC
    assert sorted(fogwatch.__all__) == list(fogwatch.__all__)
    for name in fogwatch.__all__:
        assert getattr(fogwatch, name) is not None, name
    from fogwatch.events.model import Event
    from fogwatch.places.model import Place

    assert fogwatch.Event is Event and fogwatch.Place is Place


def test_version_comes_from_the_package_metadata():
    from importlib.metadata import version

    assert fogwatch.__version__ == version("fogwatch")


def test_load_once_then_texts_and_pipe():
    nlp = fogwatch.load()
    doc = nlp(TEXT, published="2016-02-15", source="Wire")
    assert isinstance(doc, fogwatch.Document)
    [event] = doc.events
    assert isinstance(event, fogwatch.Event) and event.date.date == "2016-02-15" and event.fatalities == 3
    assert all(isinstance(c, fogwatch.Claim) for c in event.claims)
    assert all(isinstance(p, fogwatch.Place) for p in doc.places)
    docs = list(nlp.pipe([TEXT, "Nothing happened here."]))
    assert [d.doc_id for d in docs] == ["text-1", "text-2"] and len(docs[0].events) == 1 and docs[1].events == ()


def test_load_takes_stages_and_config():
    nlp = fogwatch.load(["sections", "sentences"])
    assert nlp.names == ("sections", "sentences")
    without_events = fogwatch.load(exclude=["events"]).names
    assert "events" not in without_events and without_events[:3] == ("sections", "sentences", "places")
    doc = fogwatch.load(config={"events": {"use_model": False}})(TEXT)
    assert doc.events and all(e.type_reason == "rules" for e in doc.events)


def test_analyze_text_reuses_one_pipeline():
    from fogwatch.api import shared_pipeline

    first = shared_pipeline()
    fogwatch.analyze_text(TEXT, doc_id="a")
    fogwatch.analyze_text(TEXT, doc_id="b")
    assert shared_pipeline() is first


def test_acled_rows_without_a_store_match_a_store_holding_only_that_report(tmp_path):
    from fogwatch.export import ACLED_COLUMNS, iter_with_members
    from fogwatch.export import acled_row as store_row
    from fogwatch.store import EventFilter, open_store
    from fogwatch.store.ingest import ingest

    nlp = fogwatch.load()
    doc = nlp(Document(doc_id="wire-1", text=TEXT, metadata=fogwatch.Metadata(published="2016-02-15", source="Wire")))
    rows = fogwatch.acled_rows(doc)
    assert len(rows) == len(doc.events) == 1
    assert set(ACLED_COLUMNS) <= set(rows[0])
    assert rows[0]["event_id_cnty"] == doc.events[0].event_id and rows[0]["timestamp"] is None

    with open_store(str(tmp_path / "one.db")) as store:
        ingest(store, [Document(doc_id="wire-1", text=TEXT, metadata=fogwatch.Metadata(published="2016-02-15", source="Wire"))], nlp)
        stored = [store_row(e, ms) for e, ms in iter_with_members(store, EventFilter())]
    assert len(stored) == 1
    differ = {k for k in rows[0] if rows[0][k] != stored[0][k]}
    assert differ == {"event_id_cnty", "timestamp"}, {k: (rows[0][k], stored[0][k]) for k in differ}
    assert fogwatch.acled_rows(nlp("Nothing happened here.")) == []


def test_the_readme_example_runs(capsys):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    scope: dict[str, object] = {"texts": [TEXT, "Nothing happened here."]}
    exec(compile(code, "README.md", "exec"), scope)
    out = capsys.readouterr().out
    assert "Shelling/artillery/missile attack Kafranbel 2016-02-15 3" in out and "three killed activists reported" in out
    assert len(scope["rows"]) == 1 and len(scope["docs"]) == 2  # type: ignore[arg-type]
