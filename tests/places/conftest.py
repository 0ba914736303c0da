"""Fixtures for the places tests: the real default gazetteer (built once per machine)."""

from __future__ import annotations

import pytest

from fogwatch.places.gazetteer import Gazetteer, ensure_index


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return Gazetteer(ensure_index())


@pytest.fixture(scope="session")
def geoparse(gazetteer):
    """text -> tuple of Place, through recognition and resolution."""
    from fogwatch.places.recognize import recognize
    from fogwatch.places.resolve import resolve

    def run(text: str, outlet_country: str | None = None):
        return resolve(recognize(text, gazetteer), text, gazetteer, outlet_country)

    return run
