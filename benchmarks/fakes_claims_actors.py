"""FA-KES in a fresh store: are contested events real disagreements, are claimants sources, are actors names? (issue 10 items 4-6)

    nice .venv/bin/python benchmarks/fakes_claims_actors.py                 # ingest ../shared/corpus/fakes/fakes.jsonl into a temporary SQLite store, then check
    nice .venv/bin/python benchmarks/fakes_claims_actors.py --db STORE.db   # check STORE.db (filled first if it does not exist)

Checks, printed as a Markdown table:

- contested events, and how many rest on a subset or an update: a contested event whose claim groups with
  differing figures hold fewer than two distinct claimants (the claimant registry's canonical source, or an
  outlet's own voice) once subsets ("6 women" beside "23 civilians") are left out;
- contested events with a single independent source (n_sources = 1), for comparison with the issue's 92 of 194;
- actor names (mentions and fused events) that start with a date word or an adverb, partisan labels used as
  names, generic actors named after a country other than the event's ("Rebels (United States)" at a Syrian place),
  Syria's state forces with inter 8 at a Syrian place;
- claimant spellings of the Syrian Observatory for Human Rights and how many canonical claimants they make;
- claimants that are no source by the registry's rules.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from _corpus import FAKES, REPO
DATE_OR_ADVERB = re.compile(
    r"^(?:on|in|at|meanwhile|earlier|later|then|after|before|yesterday|today|tonight|overnight|last|this|next|but|and|also|however|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|"
    r"november|december)\b",
    re.I,
)
LABEL_NAMES = re.compile(r"^(?:terrorists?|militants?|jihadists?|extremists?|takfiris?|regime|insurgents?|radicals?)$", re.I)
SOHR_LIKE = re.compile(r"observ|sohr|\bmonitor", re.I)


def ingest(db: str) -> float:
    t = time.perf_counter()
    subprocess.run([str(REPO / ".venv" / "bin" / "fogwatch"), "ingest", str(FAKES), "--db", db, "-j", "1"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def check(db: str) -> dict[str, object]:
    from fogwatch.events.claimants import load_claimants
    from fogwatch.fusion.summary import group_claims, is_subset
    from fogwatch.fusion.model import Claim

    reg = load_claimants(use_env=False)
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    out: dict[str, object] = {}
    events = con.execute("select * from fused_events").fetchall()
    out["fused events"] = len(events)
    contested = [e for e in events if e["contested"]]
    out["contested events"] = len(contested)
    out["contested, single independent source"] = sum(1 for e in contested if e["n_sources"] == 1)
    source_key = dict(con.execute("select doc_key, source_key from documents").fetchall())
    claims_by_event: dict[str, list[Claim]] = defaultdict(list)
    for r in con.execute(
        "select c.*, m.fused_event_id from claims c join mentions m on m.mention_id = c.mention_id join fused_events f on f.event_id = m.fused_event_id where f.contested"
    ):
        claims_by_event[r["fused_event_id"]].append(
            Claim(r["claim_id"], r["mention_id"], r["doc_key"], r["quantity"], r["low"], r["high"], r["claimant"], r["modality"], r["subject"])
        )

    def voice(c: Claim) -> str:
        return (reg.key(c.claimant) if c.claimant else None) or "author:" + source_key.get(c.doc_key, c.doc_key)

    one_voice = 0
    for e in contested:
        disputed = False
        for g in group_claims(claims_by_event.get(e["event_id"], [])):
            whole = [c for c in g if not is_subset(c.subject)] or list(g)
            figures = {c.figure for c in whole if c.figure is not None and c.modality != "denied"}
            voices = {voice(c) for c in whole}
            if len(voices) >= 2 and (len(figures) > 1 or {c.modality for c in whole} - {"asserted", "reported"}):
                disputed = True
        one_voice += not disputed
    out["contested events resting on a subset or an update (one claimant per disputed group)"] = one_voice

    names = Counter()
    for col in ("actor1", "actor2"):
        for (name,) in con.execute(f"select {col} from mentions where {col} is not null"):
            names[name] += 1
    out["actor mentions"] = sum(names.values())
    out["actor names starting with a date word or adverb (mentions)"] = sum(n for a, n in names.items() if DATE_OR_ADVERB.match(a))
    out["partisan labels used as actor names (mentions)"] = sum(n for a, n in names.items() if LABEL_NAMES.match(a))
    mism = 0
    country_name = {"SY": "Syria"}
    for col in ("actor1", "actor2"):
        for r in con.execute(f"select {col} a, country_code cc from mentions where {col} like '%(%)' and country_code = 'SY'"):
            inside = r["a"][r["a"].rfind("(") + 1 : -1]
            if not inside[:1].isdigit() and inside != country_name.get(r["cc"], r["cc"]):
                mism += 1
    out["generic actors named after another country than the event's (mentions at Syrian places)"] = mism
    out["Syria's state forces with inter 8 at a Syrian place (mentions)"] = sum(
        con.execute(
            f"select count(*) from mentions where country_code = 'SY' and {col} like '%Forces of Syria%' and {col}_inter = 8"
        ).fetchone()[0]
        for col in ("actor1", "actor2")
    )
    spellings = Counter(r[0] for r in con.execute("select claimant from claims where claimant is not null"))
    sohr = {s: n for s, n in spellings.items() if SOHR_LIKE.search(s)}
    keys = Counter()
    for s, n in sohr.items():
        keys[reg.key(s)] += n
    canonical = "Syrian Observatory for Human Rights"
    out["claimant spellings that look like SOHR (observ/monitor/SOHR)"] = len(sohr)
    out[f"... of them resolving to '{canonical}' (claims)"] = f"{sum(1 for s in sohr if reg.key(s) == canonical)} spellings, {keys[canonical]} claims"
    out["... canonical claimants they make"] = len(keys)
    out["distinct claimant spellings / canonical claimants"] = f"{len(spellings)} / {len({reg.key(s) for s in spellings})}"
    out["claimants that are no source by the registry's rules (claims)"] = sum(n for s, n in spellings.items() if reg.clean(s)[0] is None)
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="a SQLite store to check (FA-KES is ingested into it first when it does not exist)")
    args = ap.parse_args(argv)
    if args.db:
        seconds = ingest(args.db) if not Path(args.db).exists() else None
        results = check(args.db)
        if seconds is not None:
            results["ingest seconds"] = round(seconds, 1)
    else:
        with tempfile.TemporaryDirectory(prefix="fogwatch-fakes-") as tmp:
            db = str(Path(tmp) / "fakes.db")
            seconds = ingest(db)
            results = check(db)
            results["ingest seconds"] = round(seconds, 1)
    print("| check | value |\n|---|---|")
    for k, v in results.items():
        print(f"| {k} | {v} |")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    raise SystemExit(main(sys.argv[1:]))
