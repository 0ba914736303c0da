"""The outlet's country (places/outlet.py): a country-code domain, or the one country an outlet's name names."""

from __future__ import annotations

import pytest

from fogwatch.places.outlet import domain_country, named_country, outlet_country
from fogwatch.records import Document, Metadata


@pytest.mark.parametrize(("value", "iso"), [
    ("https://sana.sy/en/?p=1", "SY"),
    ("www.dailystar.com.lb", "LB"),
    ("https://www.reuters.com/x", None),
    ("https://example.co/x", None),  # sold as a generic domain
    ("Star (Kenya)", None),  # a name, not an address
])
def test_domain_country(value: str, iso: str | None) -> None:
    assert domain_country(value) == iso


@pytest.mark.parametrize(("source", "iso"), [
    ("Star (Kenya)", "KE"),
    ("Kenya Standard", "KE"),
    ("United News of Bangladesh", "BD"),
    ("Xinhua; Daily Nation (Kenya)", "KE"),  # one outlet of several names a country
    ("Caasimada; Hiiraan (Somalia); Radio Kulmiye", "SO"),
    ("New Vision (Uganda); Daily Nation (Kenya)", None),  # two countries: no answer
    ("Reuters", None),
    ("Prothom Alo", None),
    ("Kenyan Digest", None),  # a demonym is no country name
    ("Voice of Congo", None),  # a name two countries share
])
def test_named_country(source: str, iso: str | None) -> None:
    assert named_country(source) == iso


def test_domain_comes_before_the_name() -> None:
    doc = Document(doc_id="x", text="", metadata=Metadata(url="https://sana.sy/en/?p=1", source="Daily Nation (Kenya)"))
    found = outlet_country(doc)
    assert found is not None and (found.iso, found.how) == ("SY", "domain")
    doc = Document(doc_id="x", text="", metadata=Metadata(url="https://www.reuters.com/x", source="Daily Nation (Kenya)"))
    found = outlet_country(doc)
    assert found is not None and (found.iso, found.how, found.evidence) == ("KE", "name", "Daily Nation (Kenya)")
    assert outlet_country(Document(doc_id="x", text="", metadata=Metadata(source="AFP"))) is None
