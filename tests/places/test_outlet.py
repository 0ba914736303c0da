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


def test_the_registry_then_the_name_then_the_address() -> None:
    doc = Document(doc_id="x", text="", metadata=Metadata(url="https://sana.sy/en/?p=1"))
    found = outlet_country(doc)
    assert found is not None and (found.iso, found.how) == ("SY", "registry")  # sana.sy is SANA's domain
    doc = Document(doc_id="x", text="", metadata=Metadata(url="https://www.example.sy/x"))
    found = outlet_country(doc)
    assert found is not None and (found.iso, found.how) == ("SY", "domain")
    doc = Document(doc_id="x", text="", metadata=Metadata(url="https://www.example.sy/x", source="Daily Nation"))
    found = outlet_country(doc)
    assert found is not None and (found.iso, found.how, found.evidence) == ("KE", "registry", "Daily Nation")
    assert found.describe() == "the outlet registry (Daily Nation -> KE)"
    doc = Document(doc_id="x", text="", metadata=Metadata(source="Weekly Courier (Kenya)"))
    found = outlet_country(doc)
    assert found is not None and (found.iso, found.how) == ("KE", "name")
    assert outlet_country(Document(doc_id="x", text="", metadata=Metadata(source="AFP"))) is None


@pytest.mark.parametrize(("source", "iso"), [
    ("The Hindu", "IN"),  # a national outlet the registry knows
    ("Xinhua", None),  # national, but mostly reports abroad
    ("Reuters", None),  # international
    ("Voice of America", None),  # named after a country, but a broadcaster for the world
    ("Xinhua; Star (Kenya)", "KE"),  # the wire service adds nothing
    ("Dawn; The Hindu", None),  # two countries
    ("Hiiraan Online; Daily Nation", None),
    ("thehindu.com", "IN"),  # an outlet given as its domain
    ("example.ke", "KE"),
])
def test_outlets_named_in_a_source(source: str, iso: str | None) -> None:
    found = outlet_country(Document(doc_id="x", text="", metadata=Metadata(source=source)))
    assert (found.iso if found else None) == iso


def test_a_user_registry_decides(tmp_path) -> None:
    from fogwatch.outlets import load_outlets

    (tmp_path / "mine.yaml").write_text("outlets:\n  - name: Kisumu Weekly\n    country: KE\n    scale: Subnational\n"
                                        "  - name: The Hindu\n    country: IN\n    scale: National\n    abroad: true\n")
    registry = load_outlets([str(tmp_path / "mine.yaml")], use_env=False)
    doc = Document(doc_id="x", text="", metadata=Metadata(source="Kisumu Weekly"))
    found = outlet_country(doc, registry)
    assert found is not None and found.iso == "KE"
    assert outlet_country(Document(doc_id="x", text="", metadata=Metadata(source="The Hindu")), registry) is None


def test_abroad_must_be_a_boolean() -> None:
    from fogwatch.errors import UsageError
    from fogwatch.outlets import OutletRegistry

    with pytest.raises(UsageError, match="abroad"):
        OutletRegistry().add_file("outlets:\n  - name: X\n    scale: National\n    abroad: sometimes\n", "test")


def test_a_broken_url_is_no_outlet() -> None:
    assert outlet_country(Document(doc_id="x", text="", metadata=Metadata(url="http://[x/", source="http://[y/"))) is None
