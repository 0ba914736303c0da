"""The two seed articles through the whole default pipeline into the store: their contradictions show in `claims --contested`.

Reads ../shared/corpus/seeds/seeds.jsonl (never copied into the repository).
"""

from __future__ import annotations

import json

import pytest


@pytest.fixture(scope="module")
def seeds_db(shared, tmp_path_factory, run_cli_module):
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    proc = run_cli_module("ingest", str(shared / "corpus" / "seeds" / "seeds.jsonl"), "--db", str(db), "-j", "1")
    assert proc.returncode == 0, proc.stderr.decode()
    return db


@pytest.fixture(scope="module")
def run_cli_module():
    import os
    import subprocess
    import sys
    from pathlib import Path

    exe = Path(sys.executable).with_name("fogwatch")

    def run(*args):
        return subprocess.run([str(exe), *args], capture_output=True, timeout=300, env={**os.environ, "COLUMNS": "250"})

    return run


def _contested(run, db):
    proc = run("claims", "--contested", "--db", str(db), "--format", "json")
    assert proc.returncode == 0, proc.stderr.decode()
    return json.loads(proc.stdout)


def _claims(event):
    return [(m["doc_id"][:3], c["figure"], c["claimant"], c["modality"], c["subject"] or "") for m in event["members"] for c in m["claims"]]


def test_turkish_dead_8_in_000_vs_at_least_6_per_the_ministry_in_003(seeds_db, run_cli_module):
    events = _contested(run_cli_module, seeds_db)
    turkish = [e for e in events if any("Turkish" in c[4] and c[1] == "at least 6" for c in _claims(e))]
    assert len(turkish) == 1, [_claims(e) for e in events]
    claims = _claims(turkish[0])
    assert ("003", "at least 6", "Turkish Defense Ministry", "reported") in [c[:4] for c in claims]
    assert ("000", "8", None, "asserted") in [c[:4] for c in claims]
    assert turkish[0]["contested"] and any("at least 6" in r and "Turkish Defense Ministry" in r for r in turkish[0]["discrepancy_reasons"])
    # 000 is South Front's own page, 003 Global Research's republication of South Front: one independent source.
    assert turkish[0]["n_documents"] == 2 and turkish[0]["n_sources"] == 1
    table = run_cli_module("claims", "--contested", "--db", str(seeds_db)).stdout.decode()
    assert "Turkish Defense Ministry" in table and "at least 6" in table


def _all_events(run, db):
    proc = run("claims", "--include-hedged", "--include-background", "--limit", "0", "--db", str(db), "--format", "json")
    assert proc.returncode == 0, proc.stderr.decode()
    return json.loads(proc.stdout)


def test_four_russians_asserted_in_000_and_a_doubted_pro_militant_claim_in_003_count_once(seeds_db, run_cli_module):
    """Issue 10: 003's "pro-militant sources reported 4 Russian service members killed ... If these claims are
    confirmed" is a party's claim the text doubts: kept as a claim, it sets no fatalities; 000's 4 count once."""
    events = _all_events(run_cli_module, seeds_db)
    russian = [(e, m, c) for e in events for m in e["members"] for c in m["claims"] if "Russian" in (c["subject"] or "")]
    assert {m["doc_id"][:3] for _, m, _ in russian} == {"000", "003"}
    doubted = next(c for _, m, c in russian if m["doc_id"].startswith("003"))
    assert doubted["claimant"] == "pro-militant sources" and doubted["modality"] in ("claimed", "hypothetical")
    assert doubted["counted"] is False and doubted["count_reason"].startswith("doubted")
    # one death is never counted twice: the events holding Russian dead add up to 000's 4
    holding = {e["event_id"]: e["fatalities_best"] or 0 for e, _, _ in russian}
    assert sum(holding.values()) == 4


def test_with_a_fuller_gazetteer_the_russians_fuse_on_the_listed_place(shared, tmp_path, run_cli_module):
    """`fogwatch gazetteer add` a place the default index lacks; the listed place then fuses by distance."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from fogwatch.places.gazetteer import default_index_path, ensure_index

    cache = tmp_path / "cache"
    cache.mkdir()
    shutil.copy(ensure_index(default_index_path()), cache / default_index_path().name)
    places = tmp_path / "places.csv"
    # Written for this test: Khan Tuman, about 12 km south-west of Aleppo's centre (approximate position).
    places.write_text("name,lat,lon,country,admin1,aliases\nKhan Tuman,36.12,37.05,SY,Aleppo,Khan Touman\n", encoding="utf-8")
    exe = str(Path(sys.executable).with_name("fogwatch"))
    env = {**os.environ, "FOGWATCH_CACHE_DIR": str(cache), "COLUMNS": "250"}
    db = tmp_path / "seeds.db"
    for args in (("gazetteer", "add", str(places)), ("ingest", str(shared / "corpus" / "seeds" / "seeds.jsonl"), "--db", str(db), "-j", "1")):
        proc = subprocess.run([exe, *args], capture_output=True, timeout=300, env=env)
        assert proc.returncode == 0, proc.stderr.decode()
    events = json.loads(subprocess.run([exe, "claims", "--include-hedged", "--include-background", "--limit", "0", "--db", str(db),
                                        "--format", "json"], capture_output=True, timeout=120, env=env, check=True).stdout)
    russians = [e for e in events if sum("Russian" in c[4] for c in _claims(e)) >= 2]
    assert len(russians) == 1
    assert {c[0] for c in _claims(russians[0]) if "Russian" in c[4]} == {"000", "003"}
    assert russians[0]["location_name"] in ("Khan Tuman", "Aleppo")
    # 4 asserted (000) and 4 only pro-militant sources claim, doubted (003): the dead count once, no disagreement
    assert russians[0]["fatalities_best"] == 4
