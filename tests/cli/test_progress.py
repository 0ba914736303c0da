"""Progress with totals for the gazetteer index build (issue 15: the first run showed one line for a 20 s build)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.slow


def test_the_index_build_counts_places_against_their_total(run_cli, tmp_path):
    env = {"FOGWATCH_CACHE_DIR": str(tmp_path), "FOGWATCH_PROGRESS": "1", "COLUMNS": "120"}
    proc = run_cli("gazetteer", "build", env=env, timeout=900)
    assert proc.returncode == 0, proc.stderr.decode()
    err = proc.stderr.decode()
    assert "building the gazetteer index (first run only)" in err
    done = re.findall(r"(\d+)/(\d+) places", err)
    assert done and done[-1][0] == done[-1][1] and int(done[-1][1]) > 100_000  # it ends at its total
    assert "gazetteer index at" in proc.stdout.decode()  # stdout stays the command's
    again = run_cli("gazetteer", "build", env=env)  # a current index: no bar at all
    assert again.returncode == 0 and "places" not in again.stderr.decode()
