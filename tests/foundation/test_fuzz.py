"""The fuzzing harness of issue 11 in CI size: `benchmarks/fuzz.py`, seeded, a few hundred inputs per target,
plus the inputs it found that broke a promise (each failed before its fix). Full size: docs/reliability.md."""

from __future__ import annotations

import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fogwatch.errors import Code, UsageError
from fogwatch.events.actors import load_registry
from fogwatch.events.lexicon import load_lexicon
from fogwatch.ingest.sources import ReadOptions, iter_documents

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("fogwatch_fuzz", REPO / "benchmarks" / "fuzz.py")
assert _spec and _spec.loader
fuzz = importlib.util.module_from_spec(_spec)
sys.modules["fogwatch_fuzz"] = fuzz  # dataclasses look their module up by name
_spec.loader.exec_module(fuzz)

PER_TARGET = {"extract_file": 200, "extract_stdin": 200, "actors": 150, "lexicon": 200, "gazetteer": 200}
SEED = 11  # fixed: a failure names its input (`benchmarks/fuzz.py --seed 11 --target T --first I --n 1`)


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    return fuzz.Harness(tmp_path_factory.mktemp("fuzz"))


@pytest.mark.parametrize("target", fuzz.TARGETS)
def test_hostile_inputs_give_codes_never_tracebacks(harness, target):
    before = fuzz.snapshot(fuzz.watched(harness.work))
    stats = harness.run(target, PER_TARGET[target], seed=SEED, budget_s=60)
    assert stats.inputs == PER_TARGET[target], "the time budget cut the run short"
    assert (stats.tracebacks, stats.oracle, stats.stage_failed) == (0, 0, 0), "\n\n".join(stats.failures[:5])
    assert fuzz.stray_writes(before, fuzz.snapshot(fuzz.watched(harness.work)), harness.work) == []
    if target.startswith("extract"):
        assert stats.records >= stats.inputs
    else:
        assert 0 < stats.refused < stats.inputs  # both kinds of input are generated: accepted and refused


def test_the_generator_is_deterministic():
    import random

    a = [fuzz.jsonl_bytes(random.Random(f"1:x:{i}")) for i in range(20)]
    b = [fuzz.jsonl_bytes(random.Random(f"1:x:{i}")) for i in range(20)]
    assert a == b


@settings(max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=400), published=st.one_of(st.none(), st.text(max_size=30), st.integers()))
def test_any_text_in_jsonl_gives_one_valid_record(harness, text, published):
    line = json.dumps({"id": "h", "text": text, "published": published}).encode()
    stats = fuzz.Stats()
    harness._extract(iter_documents(["-"], stdin=io.BytesIO(line + b"\n"), options=ReadOptions()), stats, "hypothesis")
    assert stats.records == 1 and (stats.oracle, stats.stage_failed) == (0, 0), stats.failures


# --- found by the fuzzer ----------------------------------------------------------------------


def test_deeply_nested_jsonl_line_is_a_coded_record_and_the_next_line_is_read():
    data = b"[" * 5000 + b"\n" + b'{"id": "ok", "text": "Shelling hit the town."}\n'  # RecursionError escaped before
    docs = list(iter_documents(["-"], stdin=io.BytesIO(data), options=ReadOptions()))
    assert [d.errors[0].code for d in docs[:1]] == [str(Code.NOT_JSON)]
    assert docs[1].doc_id == "ok" and not docs[1].errors


def test_deeply_nested_sidecar_is_ignored_with_a_code(tmp_path):
    (tmp_path / "a.txt").write_text("Shelling hit the town.")
    (tmp_path / "a.txt.meta.json").write_text("[" * 5000)
    (doc,) = iter_documents([str(tmp_path / "a.txt")], options=ReadOptions())
    assert doc.text and [e.code for e in doc.errors] == [str(Code.BAD_METADATA)]


@pytest.mark.parametrize("text", [
    "[" * 2000 + "]" * 2000,  # RecursionError before (and 30 s of parsing at 20,000 levels)
    "actors:\n  - name: X\n    inter: " + "9" * 5000 + "\n",  # ValueError: Python's 4,300-digit limit
])
def test_actor_registry_deep_nesting_and_huge_integers_are_coded(tmp_path, text):
    path = tmp_path / "actors.yaml"
    path.write_text(text)
    with pytest.raises(UsageError) as err:
        load_registry([str(path)], use_env=False)
    assert err.value.code == Code.ACTOR_REGISTRY


def test_lexicon_huge_integer_is_coded(tmp_path):
    path = tmp_path / "lex.yaml"
    path.write_text("triggers:\n  Air/drone strike:\n    3: [" + "9" * 5000 + "]\n")  # ValueError before
    with pytest.raises(UsageError) as err:
        load_lexicon([str(path)])
    assert err.value.code == Code.LEXICON


def test_lexicon_nested_100000_deep_is_coded_not_a_crash(tmp_path):
    # libyaml's composer recursed until the process died with SIGSEGV: run it where a crash cannot take pytest.
    path = tmp_path / "lex.yaml"
    path.write_text("[" * 100_000 + "]" * 100_000)
    code = ("import sys; from fogwatch.events.lexicon import load_lexicon; from fogwatch.errors import UsageError\n"
            "try:\n    load_lexicon([sys.argv[1]])\nexcept UsageError as e:\n    print(e.code.value)\n")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, str(Code.LEXICON)), done.stderr[-500:]


@pytest.mark.parametrize("gid, population", [("9900101", "9" * 30), ("9" * 30, "100")])
def test_geonames_row_with_a_number_too_large_for_sqlite_is_coded(tmp_path, gid, population):
    from fogwatch.places.gazetteer import ensure_index
    from fogwatch.places.sources import SourceError, add_source

    index = ensure_index(tmp_path / "gaz.sqlite", with_base=False)
    row = [gid, "Big Fixture", "Big Fixture", "", "35.8", "36.8", "P", "PPL", "SY", "", "07", "", "", "", population,
           "", "", "Asia/Damascus", "2024-01-01"]
    (tmp_path / "SY.txt").write_text("\t".join(row) + "\n")
    with pytest.raises(SourceError) as err:  # OverflowError from sqlite3 before
        add_source(index, str(tmp_path / "SY.txt"))
    assert err.value.code == Code.GAZETTEER_SOURCE


@pytest.mark.parametrize("text", ["[" * 2000 + "]" * 2000, "outlets:\n  - name: X\n    scale: " + "9" * 5000 + "\n"])
def test_outlet_registry_deep_nesting_and_huge_integers_are_coded(tmp_path, text):
    from fogwatch.outlets import load_outlets

    path = tmp_path / "outlets.yaml"
    path.write_text(text)
    with pytest.raises(UsageError) as err:  # RecursionError / ValueError before
        load_outlets([str(path)], use_env=False)
    assert err.value.code == Code.OUTLET_REGISTRY
