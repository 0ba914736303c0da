"""Fixtures for the workbench tests: stores built from the bundled samples (the real pipeline), a hostile
report store, a live uvicorn server on a free loopback port, and Debian's headless chromium."""

from __future__ import annotations

import os
import sys
from importlib.resources import as_file, files
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # serve_fixtures.py, under pytest's importlib import mode

from serve_fixtures import CHROMIUM, CHROMIUM_ARGS, hostile_documents  # noqa: E402



@pytest.fixture(scope="session")
def sample_documents():
    """The bundled sample reports through the real default pipeline, as the store receives them."""
    from fogwatch.ingest.sources import ReadOptions, iter_documents
    from fogwatch.pipeline import default_pipeline
    from fogwatch.store import IncomingDocument

    nlp = default_pipeline()
    with as_file(files("fogwatch") / "samples") as sample_dir:
        docs = list(nlp.pipe(iter_documents([str(sample_dir)], options=ReadOptions())))
    return [IncomingDocument.from_document(d) for d in docs if d.text]


def _fill(db: str, docs) -> str:
    from fogwatch.store import open_store

    with open_store(db) as store:
        store.add_batch(docs)
    return db


@pytest.fixture(scope="session")
def samples_db(tmp_path_factory, sample_documents) -> str:
    return _fill(str(tmp_path_factory.mktemp("serve") / "samples.db"), sample_documents)


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory, sample_documents) -> str:
    """The samples plus reports whose text, title, outlet and actors carry markup and script."""
    return _fill(str(tmp_path_factory.mktemp("serve") / "hostile.db"), [*sample_documents, *hostile_documents()])


@pytest.fixture(scope="session")
def samples_pg(pg_cluster, sample_documents) -> str:
    from fogwatch.store.pgtemp import create_database

    return _fill(create_database(pg_cluster, f"fogwatch_serve_{os.getpid()}"), sample_documents)


@pytest.fixture
def client(samples_db):
    from fastapi.testclient import TestClient

    from fogwatch.serve import create_app

    with TestClient(create_app(samples_db)) as c:
        yield c


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless, driven by Playwright (never a browser Playwright downloads)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `./dev sysdeps` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def artefacts(tmp_path_factory) -> Path:
    """Screenshots of the browser tests, kept under pytest's temporary folder (the path is printed on failure)."""
    return tmp_path_factory.mktemp("screenshots")
