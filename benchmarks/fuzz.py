"""Fuzzing harness (issue 11): hostile inputs fed in-process to extract, the YAML registries and `gazetteer add`.

    .venv/bin/python benchmarks/fuzz.py --n 10000 [--seed 0] [--target NAME ...]

A bounded generator: input ``i`` of target ``t`` comes from ``random.Random(f"{seed}:{t}:{i}")``, so any
failure reproduces alone (``--target t --first i --n 1``). The targets, each called as its command calls it:

- ``extract_file``: a ``.txt``/``.html``/``.jsonl`` file (and sometimes a hostile sidecar) through
  ``iter_documents`` -> ``repair_document`` -> ``default_pipeline().pipe`` -> ``to_json_line``;
- ``extract_stdin``: JSONL bytes on standard input (``iter_documents(["-"], stdin=...)``), same path;
- ``actors``: an actor registry YAML file through ``load_registry`` (then ``find``, which builds the automaton, and
  ``country_from_words``, which builds the country cues' patterns);
- ``lexicon``: an event lexicon YAML file through ``load_lexicon`` (then its automaton and cue patterns);
- ``gazetteer``: a CSV (sometimes a GeoNames dump ``.txt``) through ``add_source`` into a temporary index.

The oracle: no exception but a ``FogwatchError`` escapes; every record is one JSON line; a document without
text carries a coded error; every code is one of ``fogwatch.errors.Code``; nothing is written outside the
temporary folder (a private parent folder, which Python's ``tempfile`` also uses during the run, the
gazetteer cache folder and the repository's ``git status --ignored`` are compared before and after).
Stage failures caught by the pipeline (``E201``) are counted and listed: they are coded, but each is a
bug in a stage. Exit status 1 when anything is found.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml

from fogwatch.errors import Code, FogwatchError

REPO = Path(__file__).resolve().parents[1]
TARGETS = ("extract_file", "extract_stdin", "actors", "lexicon", "gazetteer")
CODES = frozenset(c.value for c in Code)

# --- the generator --------------------------------------------------------------

WORDS = ("Shelling", "hit", "Saraqib", "Idlib", "Damascus", "killed", "civilians", "reportedly", "if confirmed",
         "regime", "forces", "airstrike", "on Monday", "the Observatory said", "3", "dozens", "al-Bab", "Kafr Nabl",
         "Wagner", "militants", "protesters", "yesterday", "near", "the village of", "north of", "Aleppo", "said")
ODD = ("\ud83d", "\udc00", "\x00", "\u200f", "\u202e", "\u202d", "\u200b", "\ufeff", "\u0301\u0301\u0301",
       "e\u0308\u0308\u0308\u0308", "\U0001f4a3", "\u0627\u0644\u0628\u0627\u0628", "\r", "\r\n", "\t", "\x0b", "\x1b[31m",
       "\u2028", "\u2029", "\ufffd", "\U000e0001", "\x85", "&#0;", "&amp;", "%s%n", "{0}", "\\", "'", '"', "<", ">",
       "\uffff", "\U0010ffff", "\u0000\u0000")
NUMBERS = ("0", "-1", "1e308", "1e999", "99999999999999999999", "9" * 400, "NaN", "-0", "0x1F", "1,000,000",
           "3.14159", "ten thousand", "10-20", "dozens", "12 to 15", "½", "٣", "1_000")
DATES = ("9999-12-31", "0001-01-01", "0000-00-00", "2024-02-30", "2024-13-01", "-1", "", "yesterday", "1e9",
         "2024-01-01T25:61:61Z", "10000-01-01", "1970-01-01", "31/12/9999", "Monday", "2016-06-01")


def _text(r: random.Random, long_ok: bool = True) -> str:
    """Unicode-heavy prose-like text; a 50k-character line now and then."""
    if long_ok and r.random() < 0.004:
        return r.choice(WORDS) * (50_000 // 6) + ("\n" if r.random() < 0.5 else "")
    parts: list[str] = []
    for _ in range(r.randint(0, 40)):
        x = r.random()
        if x < 0.55:
            parts.append(r.choice(WORDS))
        elif x < 0.75:
            parts.append(r.choice(ODD))
        elif x < 0.85:
            parts.append(r.choice(NUMBERS))
        elif x < 0.9:
            parts.append(r.choice(DATES))
        elif x < 0.95:
            parts.append(r.choice(".!?\n\n,;:\u2014\u00a0 "))
        else:
            parts.append("".join(chr(r.choice((r.randint(1, 0x2FF), r.randint(0x300, 0xFFFF), r.randint(0x10000, 0x10FFFF))))
                                 for _ in range(r.randint(1, 12))))
    return (" " if r.random() < 0.7 else "").join(parts)


def _html(r: random.Random) -> str:
    kind = r.randrange(5)
    body = _text(r, long_ok=False)
    if kind == 0:  # deep nesting
        depth = r.choice((50, 500, 3000))
        tag = r.choice(("div", "b", "span", "table", "p"))
        return f"<html><body>{('<' + tag + '>') * depth}{body}{('</' + tag + '>') * depth}</body></html>"
    if kind == 1:  # broken markup
        return (f"<html><head><title>{_text(r, False)}</title><body><p>{body}<p><div <a href='javascript:x'>"
                f"{_text(r, False)}</scr<script>ipt><!-- ")
    if kind == 2:
        return f"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a '{body}'>]><html>&a;&a;<body>{body}</body></html>"
    if kind == 3:
        return (f"<html><body><article><h1>{_text(r, False)}</h1><p>{body}</p>"
                f"<footer>{_text(r, False)}</footer></article></body></html>")
    return body


def _scalar(r: random.Random) -> Any:
    return r.choice((
        None, True, False, 0, -1, 2**63, 10**30, 1.5, float("inf"), "", "x" * r.choice((1, 100, 5000)),
        _text(r, long_ok=False), r.choice(DATES), r.choice(NUMBERS), [], {}, [1, [2, [3]]], {"a": {"b": None}},
    ))


def _json_line(r: random.Random) -> bytes:
    x = r.random()
    if x < 0.08:
        return r.choice((b"not json", b"[1,2,3]", b'"text"', b"null", b"{", b'{"id": 1,}', b"\xff\xfe\x00", b"",
                         b"   ", b'{"id": "a", "text": "b"} trailing', b"\xef\xbb\xbf{}", b"1e99999", b"[" * 5000))
    record: dict[str, Any] = {}
    if r.random() < 0.9:
        record["id"] = r.choice((_scalar(r), f"doc{r.randint(0, 9)}", "x" * 2000, "../../etc/passwd", "\ud800"))
    if r.random() < 0.85:
        record["text"] = _text(r) if r.random() < 0.85 else _scalar(r)
    if r.random() < 0.15:
        record["html"] = _html(r) if r.random() < 0.8 else _scalar(r)
    for key in ("published", "source", "url", "title", "author", "language", "extra"):
        if r.random() < 0.3:
            record[key] = r.choice((r.choice(DATES), _scalar(r), "javascript:alert(1)", "http://u:p@x.test/a",
                                    "file:///etc/passwd", "http://[::1", _text(r, long_ok=False)))
    return json.dumps(record, ensure_ascii=r.random() < 0.7).encode("utf-8", "surrogatepass")


def jsonl_bytes(r: random.Random) -> bytes:
    sep = r.choice((b"\n", b"\r\n", b"\n\n", b"\r"))
    return sep.join(_json_line(r) for _ in range(r.randint(1, 4))) + (sep if r.random() < 0.7 else b"")


def file_input(r: random.Random) -> tuple[str, bytes, bytes | None]:
    """(suffix, content, sidecar or None) for an extract input file."""
    suffix = r.choice((".txt", ".txt", ".html", ".htm", ".jsonl"))
    if suffix == ".jsonl":
        data = jsonl_bytes(r)
    else:
        text = _html(r) if suffix != ".txt" else _text(r)
        enc = r.choice(("utf-8", "utf-8", "utf-16", "cp1252", "latin-1"))
        data = text.encode(enc if enc != "utf-8" else "utf-8", "surrogatepass" if enc.startswith("utf") else "replace")
        if r.random() < 0.1:
            data = r.choice((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"")) + data
        if r.random() < 0.05:
            data = bytes(r.randrange(256) for _ in range(r.randint(0, 300)))
    sidecar = None
    if suffix != ".jsonl" and r.random() < 0.2:
        keys = ("id", "published", "source", "url", "title", "author", "bogus")
        meta = {k: _scalar(r) for k in r.sample(keys, r.randint(0, 4))}
        sidecar = r.choice((json.dumps(meta).encode(), b"[]", b"{", b"\xff", json.dumps({"published": r.choice(DATES)}).encode()))
    return suffix, data, sidecar


def _yaml_text(r: random.Random, data: Any) -> str:
    try:
        text = yaml.safe_dump(data, allow_unicode=r.random() < 0.5, default_flow_style=r.choice((None, True, False)))
    except (yaml.YAMLError, ValueError):
        text = "{}"
    x = r.random()
    if x < 0.06:
        return "a: &x [1, 2]\nb: *x\nactors: &y [{name: A}]\nmore: *y\n"
    if x < 0.1:
        return "[" * r.choice((100, 2000, 20000)) + "]" * r.choice((0, 100, 20000))
    if x < 0.14:
        return "actors:\n  - name: X\n    inter: " + "9" * r.choice((100, 5000)) + "\n"
    if x < 0.18:
        return r.choice(("!!python/object/apply:os.system ['true']\n", "actors: !!binary aGk=\n", "\t- bad: indent\n",
                         "actors:\n- name: A\n- name: A\nactors: []\n", "%YAML 9.9\n---\n{}\n", "--- \n...\n---\n[1]\n",
                         "? [a, b]\n: c\n", "x: \"\\ud800\"\n", "countries:\n  ? [SY]\n  : {name: Syria}\n"))
    if x < 0.25:
        cut = r.randint(0, len(text))
        return text[:cut] + r.choice(ODD) + text[cut:]
    return text


def actor_yaml(r: random.Random) -> str:
    def actor() -> Any:
        if r.random() < 0.1:
            return _scalar(r)
        a: dict[str, Any] = {"name": _text(r, False) if r.random() < 0.5 else r.choice(("Wagner Group", "X", _scalar(r)))}
        for key, good in (("inter", lambda: r.randint(1, 8)), ("country", lambda: r.choice(("SY", "RU", "ZZ"))),
                          ("role", lambda: r.choice(("military", "police", "navy"))),
                          ("valid", lambda: [r.randint(1, 9999), None]),
                          ("aliases", lambda: [_text(r, False) for _ in range(r.randint(0, 3))]),
                          ("acronyms", lambda: [r.choice(("PMC", "SDF", "", "A" * 3000))]),
                          ("subunits", lambda: [_text(r, False)]), ("label", lambda: r.random() < 0.5),
                          ("localized", lambda: r.random() < 0.5)):
            if r.random() < 0.4:
                a[key] = good() if r.random() < 0.7 else _scalar(r)
        return a

    data: dict[str, Any] = {}
    if r.random() < 0.7:
        data["actors"] = [actor() for _ in range(r.randint(0, 5))] if r.random() < 0.9 else _scalar(r)
    if r.random() < 0.4:
        data["countries"] = ({r.choice(("SY", "ZZ", "", "1")): (
            {"name": _scalar(r) if r.random() < 0.3 else "Syria", "words": [_text(r, False)] if r.random() < 0.7 else _scalar(r),
             **({"cues": [_text(r, False), r.choice(("BNP", "CPI(M)", "a|b", "(", ""))] if r.random() < 0.7 else _scalar(r)}
                if r.random() < 0.5 else {})}
            if r.random() < 0.9 else _scalar(r)) for _ in range(r.randint(0, 3))}
            if r.random() < 0.9 else _scalar(r))
    if r.random() < 0.1:
        data = r.choice(([data], _scalar(r), {"bogus": data}))
    return _yaml_text(r, data)


TRIGGER_TYPES = ("Air/drone strike", "Armed clash", "Shelling/artillery/missile attack", "territory", "kill", "Nonsense")


def lexicon_yaml(r: random.Random) -> str:
    data: dict[str, Any] = {}
    if r.random() < 0.8:
        data["triggers"] = {r.choice(TRIGGER_TYPES): {r.choice((1, 2, 3, 0, 99, "3", None)): (
            [r.choice(("loitering munition*", "*", "", " ", "a" * 3000, _text(r, False))) for _ in range(r.randint(0, 4))]
            if r.random() < 0.8 else _scalar(r)) for _ in range(r.randint(0, 3))} if r.random() < 0.9 else _scalar(r)
            for _ in range(r.randint(0, 3))}
    if r.random() < 0.3:
        section = r.choice(("cues", "weak", "bogus"))
        data[section] = {r.choice(("nonstate", "civilian", "nope")): [_text(r, False)]} if r.random() < 0.7 else _scalar(r)
    if r.random() < 0.1:
        data = r.choice(([data], _scalar(r)))
    return _yaml_text(r, data)


def gazetteer_input(r: random.Random) -> tuple[str, str]:
    """(suffix, content): mostly an analyst's CSV, now and then a GeoNames dump ``.txt``."""
    if r.random() < 0.15:
        rows = []
        for _ in range(r.randint(0, 4)):
            cols = [str(r.randint(-5, 10**12)), _text(r, False), _text(r, False), "", r.choice(("35.8", "-91", "x", "")),
                    r.choice(("36.8", "181", "nan", "")), r.choice("PAXH"), r.choice(("PPL", "ADM1", "")),
                    r.choice(("SY", "", "ZZZ")),
                    "", r.choice(("07", "")), "", "", "", r.choice(("0", "-1", "9" * 30, "x"))]
            cols = cols[: r.randint(0, 20)] if r.random() < 0.3 else cols + ["", "", "UTC", "2024-01-01"]
            rows.append("\t".join(c.replace("\t", " ").replace("\n", " ") for c in cols))
        return ".txt", "\n".join(rows) + "\n"
    header = r.choice(("name,lat,lon,country,admin1,aliases", "NAME, Lat ,LON", "name,lat", "", "lat,lon,name,extra,extra",
                       "name,lat,lon,country,admin1,aliases,name"))
    lines = [header]
    for _ in range(r.randint(0, 6)):
        def field() -> str:
            x = r.random()
            if x < 0.3:
                return r.choice(("35.86", "-90", "90.0001", "1e308", "nan", "inf", "-0", "", "36,8", "0x10"))
            if x < 0.35:
                return "y" * r.choice((1000, 131_073))
            if x < 0.45:
                return '"' + _text(r, False).replace('"', '""') + '"'
            if x < 0.5:
                return '"unterminated ' + _text(r, False)
            return _text(r, False).replace("\n", " ").replace("\r", " ")
        lines.append(",".join(field() for _ in range(r.choice((0, 1, 3, 6, 6, 6, 9)))))
    return ".csv", "\n".join(lines) + r.choice(("\n", "", "\r\n"))


# --- the harness ----------------------------------------------------------------


@dataclass
class Stats:
    inputs: int = 0
    records: int = 0
    refused: int = 0  # a FogwatchError: the coded refusal the command prints
    tracebacks: int = 0
    oracle: int = 0  # a broken promise without an exception (no code, an unknown code, not one JSON line)
    stage_failed: int = 0  # records with E201 (caught, coded, but a stage bug)
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)


class Harness:
    """One temporary folder, one pipeline and one empty gazetteer index for a run of all targets."""

    def __init__(self, workdir: Path) -> None:
        import fogwatch
        from fogwatch.places.gazetteer import ensure_index

        self.work = workdir
        self.nlp = fogwatch.default_pipeline()
        self.index = ensure_index(workdir / "gazetteer.sqlite", with_base=False)

    def _records(self, docs: Iterable[Any], stats: Stats, where: str) -> None:
        from fogwatch.contract import to_json_line

        for doc in docs:
            stats.records += 1
            line = to_json_line(doc)
            record = json.loads(line)
            if "\n" in line or not isinstance(record, dict):
                self._broken(stats, where, "not one JSON line")
            codes = [e["code"] for e in record.get("errors", [])]
            if not doc.text and not codes:
                self._broken(stats, where, f"document {doc.doc_id!r} has no text and no coded error")
            if any(c not in CODES for c in codes):
                self._broken(stats, where, f"unknown code in {codes}")
            if str(Code.STAGE_FAILED) in codes:
                stats.stage_failed += 1
                msgs = [e["message"] for e in record["errors"] if e["code"] == str(Code.STAGE_FAILED)]
                stats.failures.append(f"{where}: E201 {msgs[0][:200]}")

    @staticmethod
    def _broken(stats: Stats, where: str, what: str) -> None:
        stats.oracle += 1
        stats.failures.append(f"{where}: {what}")

    def _extract(self, docs: Iterable[Any], stats: Stats, where: str) -> None:
        from fogwatch.ingest.repair import repair_document

        self._records(self.nlp.pipe(map(repair_document, docs)), stats, where)

    def extract_file(self, r: random.Random, stats: Stats, where: str) -> None:
        from fogwatch.ingest.sources import ReadOptions, iter_documents

        suffix, data, sidecar = file_input(r)
        path = self.work / f"in{suffix}"
        path.write_bytes(data)
        meta = path.with_name(path.name + ".meta.json")
        if sidecar is not None:
            meta.write_bytes(sidecar)
        try:
            self._extract(iter_documents([str(path)], options=ReadOptions()), stats, where)
        finally:
            path.unlink()
            meta.unlink(missing_ok=True)

    def extract_stdin(self, r: random.Random, stats: Stats, where: str) -> None:
        from fogwatch.ingest.sources import ReadOptions, iter_documents

        self._extract(iter_documents(["-"], stdin=io.BytesIO(jsonl_bytes(r)), options=ReadOptions()), stats, where)

    def actors(self, r: random.Random, stats: Stats, where: str) -> None:
        from fogwatch.events.actors import country_from_words, load_registry

        path = self._yaml(actor_yaml(r))
        registry = load_registry([str(path)], use_env=False)
        probe = "Wagner Group fighters and Syrian army forces shelled the town; " + _text(r, long_ok=False)
        registry.find(probe)
        country_from_words(registry, probe)  # the country cues' patterns are built on first use

    def lexicon(self, r: random.Random, stats: Stats, where: str) -> None:
        from fogwatch.events.classify import classify_text
        from fogwatch.events.lexicon import load_lexicon

        path = self._yaml(lexicon_yaml(r))
        lexicon = load_lexicon([str(path)])
        classify_text("An airstrike killed 3 civilians near Saraqib. " + _text(r, long_ok=False), lexicon)

    def gazetteer(self, r: random.Random, stats: Stats, where: str) -> None:
        from fogwatch.places.sources import add_source

        suffix, content = gazetteer_input(r)
        path = self.work / f"places{suffix}"
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
        try:
            add_source(self.index, str(path))
        finally:
            path.unlink()

    def _yaml(self, text: str) -> Path:
        # A new name each time: load_lexicon caches per tuple of paths.
        self._n = getattr(self, "_n", 0) + 1
        path = self.work / "registry" / f"r{self._n}.yaml"
        path.parent.mkdir(exist_ok=True)
        for old in path.parent.iterdir():
            old.unlink()
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        return path

    def run(self, target: str, n: int, seed: int = 0, first: int = 0, budget_s: float = 3600.0) -> Stats:
        """Inputs ``first .. first+n-1`` of ``target``; stops early (and says so in ``inputs``) past ``budget_s``."""
        fn: Callable[[random.Random, Stats, str], None] = getattr(self, target)
        stats = Stats()
        t0 = time.perf_counter()
        for i in range(first, first + n):
            if time.perf_counter() - t0 > budget_s:
                break
            where = f"{target}#{i} (seed {seed})"
            stats.inputs += 1
            try:
                fn(random.Random(f"{seed}:{target}:{i}"), stats, where)
            except FogwatchError:
                stats.refused += 1
            except Exception:  # noqa: BLE001 - the finding this harness exists for
                stats.tracebacks += 1
                stats.failures.append(f"{where}: {traceback.format_exc(limit=-3)}")
        stats.seconds = time.perf_counter() - t0
        return stats


def snapshot(paths: Iterable[Path]) -> dict[str, Any]:
    """What could show a write outside the temporary folder: entries and mtimes of folders, and `git status`."""
    seen: dict[str, Any] = {}
    for folder in paths:
        if folder.is_dir():
            seen[str(folder)] = sorted((e.name, e.stat(follow_symlinks=False).st_mtime_ns) for e in os.scandir(folder))
    try:
        seen["git"] = subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=REPO, capture_output=True, text=True,
                                     timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        seen["git"] = None
    return seen


def watched(workdir: Path) -> list[Path]:
    from fogwatch.places.gazetteer import default_cache_dir

    return [workdir.parent, default_cache_dir()]


def stray_writes(before: dict[str, Any], after: dict[str, Any], workdir: Path) -> list[str]:
    """What changed between two snapshots, outside ``workdir`` (the inputs' own folder)."""
    out = []
    for key, old in before.items():
        new = after.get(key)
        if key == str(workdir.parent):  # our own folder changes; nothing beside it may appear
            old = [e for e in old if e[0] != workdir.name]
            new = [e for e in (new or []) if e[0] != workdir.name]
        if old != new:
            if key == "git":
                changed = sorted(set((old or "").splitlines()) ^ set((new or "").splitlines()))
            else:
                changed = sorted({e[0] for e in set(old or []) ^ set(new or [])})
            out.append(f"{key}: {', '.join(changed[:5])}")
    return out


def workspace() -> tuple[tempfile.TemporaryDirectory[str], Path]:
    """A private parent folder holding only ``work/`` (the inputs and the index); Python's tempfile also
    points there during the run, so a temporary file fogwatch leaves behind shows up beside ``work/``."""
    parent = tempfile.TemporaryDirectory(prefix="fogwatch-fuzz-")
    workdir = Path(parent.name) / "work"
    workdir.mkdir()
    return parent, workdir


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="inputs in all, shared across the targets (default 10,000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--first", type=int, default=0, help="index of the first input of each target (to reproduce one)")
    ap.add_argument("--target", action="append", choices=TARGETS, help="only these targets (repeatable)")
    ap.add_argument("--budget-s", type=float, default=1800.0, help="stop each target after this long")
    args = ap.parse_args(argv)
    targets = args.target or list(TARGETS)
    per = [args.n // len(targets) + (1 if k < args.n % len(targets) else 0) for k in range(len(targets))]
    total = Stats()
    t0 = time.perf_counter()
    parent, workdir = workspace()
    saved_tempdir, tempfile.tempdir = tempfile.tempdir, str(workdir.parent)
    try:
        harness = Harness(workdir)
        before = snapshot(watched(workdir))
        print(f"{'target':<14} {'inputs':>7} {'records':>8} {'refused':>8} {'tracebacks':>10} {'oracle':>7} {'E201':>5} "
              f"{'seconds':>8}")
        for target, n in zip(targets, per):
            s = harness.run(target, n, seed=args.seed, first=args.first, budget_s=args.budget_s)
            print(f"{target:<14} {s.inputs:>7} {s.records:>8} {s.refused:>8} {s.tracebacks:>10} {s.oracle:>7} "
                  f"{s.stage_failed:>5} {s.seconds:>8.1f}", flush=True)
            for name in ("inputs", "records", "refused", "tracebacks", "oracle", "stage_failed"):
                setattr(total, name, getattr(total, name) + getattr(s, name))
            total.failures.extend(s.failures)
        stray = stray_writes(before, snapshot(watched(workdir)), workdir)
    finally:
        tempfile.tempdir = saved_tempdir
        parent.cleanup()
    total.seconds = time.perf_counter() - t0
    print(f"{'total':<14} {total.inputs:>7} {total.records:>8} {total.refused:>8} {total.tracebacks:>10} {total.oracle:>7} "
          f"{total.stage_failed:>5} {total.seconds:>8.1f}")
    print(f"writes outside the temporary folder: {len(stray)}" + (f" ({'; '.join(stray)})" if stray else ""))
    for failure in total.failures[:20]:
        print("\n" + failure, file=sys.stderr)
    return 1 if total.tracebacks or total.oracle or total.stage_failed or stray else 0


if __name__ == "__main__":
    sys.exit(main())
