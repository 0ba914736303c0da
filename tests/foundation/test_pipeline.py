from __future__ import annotations

import dataclasses
import datetime
from dataclasses import replace

import pytest

from fogwatch import Document, FogwatchError, Pipeline, PipelineError, analyze_text, component
from fogwatch.errors import Code


@component("test_needs_nothing_assigned", requires=("frobnications",), assigns=("events",))
def _needs_frobs(doc):  # pragma: no cover - refused at build time
    return doc


@component("test_explodes", requires=("sentences",), assigns=("events",))
def _explodes(doc):
    if "boom" in doc.text:
        raise RuntimeError("synthetic failure")
    return doc


@component("test_counts", requires=("sentences",), assigns=("slant",))
def _counts(doc):
    return replace(doc, slant=tuple(doc.sentences))


def test_pipeline_refuses_a_stage_whose_inputs_nothing_produces():
    with pytest.raises(PipelineError) as err:
        Pipeline(["sections", "test_needs_nothing_assigned"])
    assert err.value.code == Code.MISSING_REQUIREMENT
    assert "frobnications" in str(err.value) and "E202" in str(err.value)


def test_order_matters_for_requirements():
    with pytest.raises(PipelineError):
        Pipeline(["sentences", "sections"])
    assert Pipeline(["sections", "sentences"]).names == ("sections", "sentences")


def test_unknown_and_duplicate_stages_are_refused():
    with pytest.raises(PipelineError, match="E203"):
        Pipeline(["sections", "no_such_stage"])
    with pytest.raises(PipelineError, match="E204"):
        Pipeline(["sections", "sections"])


def test_a_failing_stage_records_a_coded_error_and_later_stages_still_run():
    nlp = Pipeline(["sections", "sentences", "test_explodes", "test_counts"])
    bad, good = nlp.pipe([Document("bad", "It went boom. Then quiet."), Document("good", "All calm. Nothing else.")])
    assert [e.code for e in bad.errors] == ["E201"] and bad.errors[0].stage == "test_explodes"
    assert "synthetic failure" in bad.errors[0].message
    assert len(bad.slant) == 2  # the stage after the failing one ran
    assert good.errors == () and len(good.slant) == 2


def test_records_are_frozen():
    doc = analyze_text("Shelling hit the town.", doc_id="x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.text = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.sections[0].kind = "comments"  # type: ignore[misc]


def test_describe_lists_requires_and_assigns():
    desc = Pipeline(["sections", "sentences"]).describe()
    assert desc[1]["name"] == "sentences" and desc[1]["requires"] == ["text", "sections"]


def test_parallel_run_keeps_input_order_and_matches_a_single_process():
    from fogwatch.contract import to_json_line
    from fogwatch.pipeline.parallel import pipe_parallel

    nlp = Pipeline(["sections", "sentences", "test_explodes"])
    docs = [Document(f"d{i}", f"Report {i}. It went boom." if i % 7 == 0 else f"Report {i}. Calm.") for i in range(120)]
    parallel = list(pipe_parallel(nlp, iter(docs), jobs=2, finish=to_json_line, batch_size=5))
    single = list(pipe_parallel(nlp, iter(docs), jobs=1, finish=to_json_line))
    assert parallel == single
    assert [line.split('"doc_id":"', 1)[1].split('"', 1)[0] for line in parallel] == [d.doc_id for d in docs]
    assert sum('"E201"' in line for line in parallel) == len(range(0, 120, 7))


def test_a_second_component_under_a_taken_name_is_refused():
    def other(doc):  # pragma: no cover - never registered
        return doc

    with pytest.raises(PipelineError, match="E204"):
        component("sections")(other)


def test_on_error_raise_lets_the_stage_exception_out_with_a_note():
    nlp = Pipeline(["sections", "sentences", "test_explodes"], on_error="raise")
    with pytest.raises(RuntimeError, match="synthetic failure") as err:
        nlp(Document("bad", "It went boom."))
    assert any("test_explodes" in note and "'bad'" in note for note in err.value.__notes__)
    assert nlp(Document("good", "All calm.")).errors == ()
    with pytest.raises(FogwatchError, match="E302"):
        Pipeline(["sections"], on_error="ignore")  # type: ignore[arg-type]


def test_a_pipeline_takes_plain_texts_with_metadata():
    nlp = Pipeline(["sections", "sentences"])
    doc = nlp("Shelling hit the town. Two died.", doc_id="a", published=datetime.date(2020, 2, 3), source="Wire")
    assert doc.doc_id == "a" and doc.metadata.published == "2020-02-03" and doc.metadata.source == "Wire"
    assert len(doc.sentences) == 2
    docs = list(nlp.pipe(["One. Two.", Document("mine", "Three.")]))
    assert [d.doc_id for d in docs] == ["text-1", "mine"] and len(docs[0].sentences) == 2
    # the readers' boundary checks apply to texts too: a lone surrogate is repaired (E111), a bad date flagged (E112)
    odd = nlp("Bad \ud83d char.", published="garbage")
    assert odd.text == "Bad \ufffd char." and [e.code for e in odd.errors] == ["E111", "E112"]
    with pytest.raises(FogwatchError, match="E302"):
        nlp("text", publisher="x")  # type: ignore[call-arg]
    with pytest.raises(FogwatchError, match="E302"):
        nlp(Document("d", "text"), published="2020-01-01")


def test_a_missing_built_in_stage_module_stops_the_build_with_E207(monkeypatch):
    import sys

    import fogwatch.pipeline.component

    registry = sys.modules["fogwatch.pipeline.component"]

    monkeypatch.setattr(registry, "_loaded", False)
    monkeypatch.setattr(registry, "_BUILTIN_MODULES", (*registry._BUILTIN_MODULES, "fogwatch.stages.no_such_stage_module"))
    with pytest.raises(PipelineError) as err:
        registry.get_component("sections")
    assert err.value.code == Code.STAGE_MODULE_MISSING and "fogwatch.stages.no_such_stage_module" in str(err.value)
    assert "fogwatch.stages.no_such_stage_module" not in sys.modules
    # a stage the design names but nobody has written yet is not an error
    monkeypatch.setattr(registry, "NOT_YET_WRITTEN", registry.NOT_YET_WRITTEN | {"fogwatch.stages.no_such_stage_module"})
    assert registry.get_component("sections").name == "sections"
