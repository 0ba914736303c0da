"""The two seed articles through the whole pipeline (real places stage): the figures the issue names."""


import pytest

from fogwatch.ingest.sources import ReadOptions, iter_documents
from fogwatch.pipeline import default_pipeline


@pytest.fixture(scope="module")
def seeds(shared):
    nlp = default_pipeline()
    docs = {d.doc_id[:3]: d for d in nlp.pipe(iter_documents([str(shared / "corpus" / "seeds" / "seeds.jsonl")], options=ReadOptions()))}
    assert set(docs) == {"000", "003"}
    return docs


def claims(doc):
    return [(c, e) for e in doc.events for c in e.claims]


def find(doc, quantity, low, high):
    hits = [(c, e) for c, e in claims(doc) if c.quantity == quantity and c.low == low and c.high == high]
    assert hits, [(c.quantity, c.low, c.high, c.claimant) for c, _ in claims(doc)]
    return hits[0]


def test_003_claimants_and_modalities(seeds):
    doc = seeds["003"]
    c, e = find(doc, "killed", 6, None)
    assert c.claimant == "Turkish Defense Ministry" and c.modality == "reported" and c.subject == "Turkish personnel"
    injured, _ = find(doc, "injured", 7, 7)
    assert injured.claimant == "Turkish Defense Ministry"
    assert e.fatalities == 6  # injuries never count
    c, _ = find(doc, "killed", 30, 35)
    assert c.claimant == "President Erdogan" and c.subject == "Syrian soldiers"
    c, _ = find(doc, "killed", 4, 4)
    assert c.claimant == "pro-militant sources" and c.modality in ("claimed", "hypothetical", "reported")
    c, _ = find(doc, "killed", 151, None)
    assert c.claimant == "militants" and c.modality == "claimed"
    c, _ = find(doc, "captured", 17, None)
    assert c.claimant is None and c.subject == "militants"
    c, _ = find(doc, "killed", 12, 12)
    assert c.claimant is None and c.modality == "asserted"


def test_000_author_voice(seeds):
    doc = seeds["000"]
    c, e = find(doc, "killed", 4, 4)
    assert c.claimant is None and c.modality == "asserted" and c.subject == "Russian military personnel"
    c, e = find(doc, "killed", 8, 8)
    assert c.claimant is None and c.subject == "Turkish service members"
    assert e.actor1.name == "Military Forces of Syria (2000-)"
    c, e = find(doc, "other", None, 10)
    assert c.subject == "suicide bombers" and e.sub_event_type == "Suicide bomb"


def test_seed_events_are_typed_located_dated_and_never_from_comments(seeds):
    for doc in seeds.values():
        body_end = max(s.end for s in doc.sections if s.kind in ("body", "title"))
        assert doc.events
        for e in doc.events:
            assert all(span.end <= body_end for span in e.evidence)
            if e.modality != "hypothetical":
                assert e.date.date and e.date.date.startswith(("2019", "2020"))
    subs = {e.sub_event_type for e in seeds["003"].events}
    assert {"Shelling/artillery/missile attack", "Air/drone strike", "Government regains territory", "Suicide bomb"} <= subs
    airstrike = next(e for e in seeds["003"].events if e.sub_event_type == "Air/drone strike")
    assert airstrike.date.date == "2020-02-02" and airstrike.date.time_precision == 1
    assert airstrike.actor2.name == "Syrian National Army"
    turkish = next(e for e in seeds["003"].events if e.sub_event_type == "Headquarters or base established")
    assert turkish.actor1.inter == 8 and turkish.date.date == "2020-02-01" and turkish.date.date_end == "2020-02-02"
    # every claim's evidence holds its figure; event ids are unique
    for doc in seeds.values():
        ids = [e.event_id for e in doc.events]
        assert len(ids) == len(set(ids))
        for c, _ in claims(doc):
            assert c.figure in doc.text[c.evidence.start : c.evidence.end]
