"""The options before the command: --version, -v/-q with real logging, shell completion, one "Did you mean"."""

from __future__ import annotations

import os
from importlib.metadata import version

SAMPLE = "src/fogwatch/samples/01_wire_kafr_nabl.txt"


def test_version_is_the_package_version(run_cli):
    proc = run_cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.decode().startswith(f"fogwatch {version('fogwatch')} ")


def test_a_misspelt_command_suggests_once(run_cli):
    proc = run_cli("evnts")
    assert proc.returncode == 2
    assert proc.stderr.decode().count("Did you mean 'events'?") == 1


def test_verbose_logs_through_the_rich_handler_and_quiet_silences_stderr(run_cli, tmp_path):
    verbose = run_cli("-v", "extract", "--jobs", "1", SAMPLE)
    assert verbose.returncode == 0
    err = " ".join(verbose.stderr.decode().split())
    assert "INFO" in err and "fogwatch.pipeline.pipeline: pipeline sections -> sentences" in err
    plain = run_cli("extract", "--jobs", "1", SAMPLE)
    assert b"INFO" not in plain.stderr and plain.stdout == verbose.stdout

    db = tmp_path / "q.db"
    loud = run_cli("ingest", "--db", str(db), "--jobs", "1", SAMPLE, env={"FOGWATCH_PROGRESS": "1"})
    assert loud.returncode == 0 and b"ingested 1 new report" in loud.stderr and b"1/1" in loud.stderr  # a bar with its total
    quiet = run_cli("-q", "ingest", "--db", str(db), "--jobs", "1", SAMPLE, env={"FOGWATCH_PROGRESS": "1"})
    assert quiet.returncode == 0 and quiet.stderr == b""
    both = run_cli("-q", "-v", "events", "--db", str(db))
    assert both.returncode == 2 and b"E302" in both.stderr


def test_shell_completion_completes_commands_and_options(run_cli):
    proc = run_cli(env={"_FOGWATCH_COMPLETE": "complete_bash", "COMP_WORDS": "fogwatch ev", "COMP_CWORD": "1"})
    assert proc.stdout.decode().split() == ["events"]
    proc = run_cli(env={"_FOGWATCH_COMPLETE": "complete_bash", "COMP_WORDS": "fogwatch events --form", "COMP_CWORD": "2"})
    assert proc.stdout.decode().split() == ["--format"]
    # The shell named, not detected: without a terminal (a CI runner, a job started with setsid) typer's detection of
    # the parent shell fails and an unnamed shell is "not supported". typer's own switch makes the option take the name.
    script = run_cli("--show-completion", "bash", env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert script.returncode == 0 and b"_FOGWATCH_COMPLETE" in script.stdout, script.stderr
    assert os.environ.get("_FOGWATCH_COMPLETE") is None
