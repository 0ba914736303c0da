"""`pip install .` from a clean checkout, without ./dev: the wheel holds what fogwatch needs at run time.

The checkout is ``git archive HEAD`` (what a clone gives: committed files only, no .venv, no caches, no
build outputs). The wheel is built offline with the pinned setuptools of the ``[test]`` extra
(``--no-build-isolation``), installed with ``--no-deps`` into a new virtual environment, and run from
there; the dependencies come from this environment's site-packages on ``PYTHONPATH`` (whose ``.pth``
files, among them the editable install of the working tree, are not read that way). docs/cli.md's
"Installing" section records the full ``pip install .`` with dependencies from PyPI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs a git checkout to archive")
    tmp = tmp_path_factory.mktemp("pkg")
    archive = tmp / "head.tar"
    subprocess.run(["git", "archive", "--format=tar", "-o", str(archive), "HEAD"], cwd=REPO, check=True)
    src = tmp / "checkout"
    with tarfile.open(archive) as tar:
        tar.extractall(src, filter="data")
    out = tmp / "dist"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w", str(out), str(src)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    [built] = out.glob("fogwatch-*.whl")
    return built


def test_the_wheel_holds_the_code_data_models_licence_and_type_marker(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("fogwatch/py.typed", "fogwatch/schema/extract-record.schema.json", "fogwatch/data/outlets.yaml",
                   "fogwatch/models/event_types/meta.json", "fogwatch/samples/01_wire_kafr_nabl.txt", "fogwatch/cli/__init__.py"):
        assert needed in names, needed
    assert any(n.endswith(".dist-info/licenses/LICENSE") or n.endswith(".dist-info/LICENSE") for n in names)
    meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel).read(meta).decode()
    assert "License-Expression: Apache-2.0" in text and "Requires-Python: >=3.11" in text


def test_installed_from_the_wheel_it_runs_without_the_working_tree(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q", str(wheel)],
                   check=True, capture_output=True)
    deps = sysconfig.get_paths()["purelib"]
    env = {**os.environ, "PYTHONPATH": deps, "FOGWATCH_CACHE_DIR": os.environ.get("FOGWATCH_CACHE_DIR", "")}
    env = {k: v for k, v in env.items() if v}
    where = subprocess.run([str(python), "-c", "import fogwatch; print(fogwatch.__file__, fogwatch.__version__)"],
                           capture_output=True, text=True, env=env, cwd=tmp_path, check=True).stdout
    assert where.startswith(str(env_dir)) and str(REPO) not in where
    from importlib.metadata import version

    assert where.split()[1] == version("fogwatch")
    sample = REPO / "src/fogwatch/samples/01_wire_kafr_nabl.txt"
    proc = subprocess.run([str(env_dir / "bin" / "fogwatch"), "extract", "--jobs", "1", str(sample)],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["events"] and record["places"]
