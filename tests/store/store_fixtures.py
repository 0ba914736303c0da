"""Event records in the extract contract's shape, written for these tests.

They are modelled on what the two seed articles say (facts only, no text):
- 000 (South Front): 8 Turkish service members died in Syrian Army strikes
  (author's voice, asserted); one attack killed four Russian soldiers serving
  with Syrian units (asserted).
- 003 (Global Research republishing South Front): the Turkish Defense Ministry
  reported at least 6 Turkish personnel killed in Syrian Army shelling in Idlib
  on February 3; pro-militant sources reported 4 Russian service members killed
  in the February 1 clashes, conditional ("if these claims are confirmed").
"""

from __future__ import annotations

from fogwatch.store import IncomingDocument, content_key

SYRIA = "Military Forces of Syria (2000-)"
TURKEY = "Military Forces of Turkey (2016-)"
HTS = "Hayat Tahrir al-Sham"

IDLIB = {"name": "Idlib", "geonameid": 169389, "latitude": 35.93062, "longitude": 36.63393, "country_code": "SY",
         "admin1": "Idlib", "admin2": "Idlib District", "geo_precision": 3}
ALEPPO_SW = {"name": "Khan Tuman", "geonameid": 170012, "latitude": 36.1167, "longitude": 37.0500, "country_code": "SY",
             "admin1": "Aleppo", "admin2": "Jabal Saman", "geo_precision": 2}
ZAHRAA = {"name": "Al-Zahraa", "geonameid": None, "latitude": 36.2086, "longitude": 37.1000, "country_code": "SY",
          "admin1": "Aleppo", "admin2": "Jabal Saman", "geo_precision": 1}
SARAQIB = {"name": "Saraqib", "geonameid": 164816, "latitude": 35.86447, "longitude": 36.80591, "country_code": "SY",
           "admin1": "Idlib", "admin2": "Idlib District", "geo_precision": 1}
KOBANE = {"name": "Kobani", "geonameid": 171880, "latitude": 36.8907, "longitude": 38.3539, "country_code": "SY",
          "admin1": "Aleppo", "admin2": "Ayn al Arab", "geo_precision": 1}


def actor(name, inter, text=None):
    return {"name": name, "text": text or name, "inter": inter}


def claim(low, high, claimant, modality, subject, start=0, end=10, quantity="killed"):
    return {"quantity": quantity, "low": low, "high": high, "claimant": claimant, "modality": modality,
            "subject": subject, "evidence": {"start": start, "end": end}}


def event(eid, sub, etype, day, location, a1, a2, fatalities, claims, *, precision=1, modality="asserted", confidence=0.8, evidence=(0, 10)):
    return {
        "event_id": eid, "event_type": etype, "sub_event_type": sub, "date": day, "date_end": None,
        "time_precision": precision, "location": dict(location), "actor1": a1, "actor2": a2,
        "fatalities": fatalities, "claims": claims, "attribution": None, "modality": modality,
        "confidence": confidence, "evidence": [{"start": evidence[0], "end": evidence[1]}],
    }


def seed_000() -> IncomingDocument:
    text = ("[test text written for fogwatch, standing in for seed 000] Syrian Army strikes near Idlib; "
            "eight Turkish soldiers died. An attack by HTS near Khan Tuman killed four Russian soldiers. ") * 2
    events = (
        event("000-e1", "Shelling/artillery/missile attack", "Explosions/Remote violence", "2020-02-03", IDLIB,
              actor(SYRIA, 1, "Syrian Army"), actor(TURKEY, 8, "Turkish service members"), 8,
              [claim(8, 8, None, "asserted", "Turkish service members", 60, 95)], precision=2),
        event("000-e2", "Armed clash", "Battles", "2020-02-04", ALEPPO_SW,
              actor(HTS, 2), actor(SYRIA, 1, "Syrian troops"), 4,
              [claim(4, 4, None, "asserted", "Russian military personnel", 100, 160)], precision=2),
    )
    return IncomingDocument(doc_key=content_key(text), doc_id="000_test", text=text, published="2020-02-08",
                            source="South Front", outlet="South Front", url="https://southfront.example/idlib-week", events=events)


def seed_003() -> IncomingDocument:
    text = ("[test text written for fogwatch, standing in for seed 003] The Turkish Defense Ministry reported at least "
            "six Turkish personnel killed in Syrian Army shelling in Idlib. Pro-militant sources reported four Russian "
            "service members killed near al-Zahraa; if confirmed... Articles by: South Front.") * 2
    events = (
        event("003-e1", "Shelling/artillery/missile attack", "Explosions/Remote violence", "2020-02-03", IDLIB,
              actor(SYRIA, 1, "Syrian Army"), actor(TURKEY, 8, "Turkish personnel"), 6,
              [claim(6, None, "Turkish Defense Ministry", "reported", "Turkish personnel", 60, 140)]),
        event("003-e2", "Armed clash", "Battles", "2020-02-01", ZAHRAA,
              actor(HTS, 2), actor(SYRIA, 1, "army"), None,
              [claim(4, 4, "pro-militant sources", "hypothetical", "Russian service members", 141, 230)], modality="hypothetical"),
    )
    return IncomingDocument(doc_key=content_key(text), doc_id="003_test", text=text, published="2020-02-04",
                            source="Global Research", outlet="South Front", republisher="Global Research",
                            url="https://globalresearch.example/idlib", events=events)


def unrelated_report(n: int = 0) -> IncomingDocument:
    text = f"[test text written for fogwatch] A protest in Kobani on day {n}; no one was hurt. " * 3
    events = (
        event(f"x{n}", "Peaceful protest", "Protests", f"2020-03-{1 + n % 28:02d}", KOBANE,
              actor("Protesters (Syria)", 6), None, None, []),
    )
    return IncomingDocument(doc_key=content_key(text), doc_id=f"unrelated-{n}", text=text, source="Hawar News",
                            outlet="Hawar News", events=events)


def unplaced_report() -> IncomingDocument:
    """A report whose one event has a place name but no point (exports count it as unplaced)."""
    text = "[test text written for fogwatch] arrests somewhere in the countryside"
    loc = {"name": "the countryside", "geonameid": None, "latitude": None, "longitude": None, "country_code": "SY",
           "admin1": None, "admin2": None, "geo_precision": 3}
    return IncomingDocument(doc_key=content_key(text), doc_id="unplaced", text=text, outlet="Somewhere News", events=(
        event("u1", "Arrests", "Strategic developments", "2020-02-10", loc, actor(SYRIA, 1), None, None, []),))
