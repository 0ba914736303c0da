"""Geoparsing quality, speed and memory of the places stage (issue 3).

    .venv/bin/python benchmarks/bench_places.py [--stride 1] [--repeat 3]

1. Quality, end to end (recognition + resolution, no gold toponyms given) on
   ../shared/eval/geoparsing/lgl.xml and GeoVirus.xml through the real pipeline
   (sections → sentences → places); see fogwatch.places.evaluate for the metrics. Each set
   is reported on its tune part, its held-out part (a stable 30% by hash of the article's
   text, never tuned on) and whole, with the error counts per category.
2. Speed of recognition + resolution alone, one process (one core), MB of text per
   second, wall clock and per CPU-second (the steadier figure on a shared machine):
   "cold" is the first pass with empty look-up caches, "warm" the best of --repeat
   later passes (a long-running extract is warm). The index load time and the peak
   resident memory of the process are printed too.
3. The seeds: every place found in ../shared/corpus/seeds, and where it resolved.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GEO = REPO / ".." / "shared" / "eval" / "geoparsing"
SEEDS = REPO / ".." / "shared" / "corpus" / "seeds" / "seeds.jsonl"


def quality(stride: int) -> list:
    from fogwatch.pipeline import Pipeline
    from fogwatch.places import evaluate as ev

    nlp = Pipeline(["sections", "sentences", "places"])
    print("| set | split | articles | gold toponyms | recall (found) | recall, demonyms left out | acc@161 km (found) | acc@161 km (all gold) | mean error km | precision (lower bound) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    all_articles = []
    errors = {}
    for name, reader in (("LGL", ev.read_lgl), ("GeoVirus", ev.read_geovirus)):
        articles = reader(GEO / ("lgl.xml" if name == "LGL" else "GeoVirus.xml"))[::stride]
        all_articles += articles
        for split in ("tune", "held-out", "all"):
            part = [a for a in articles if split == "all" or ev.split_of(a) == split]
            scores = ev.score(part, nlp)
            s = scores.as_dict()
            errors[(name, split)] = scores.errors
            print(f"| {name} | {split} | {len(part)} | {s['gold']} | {s['recall']:.3f} | {s['recall_places']:.3f} | {s['acc161_found']:.3f} | {s['acc161_all']:.3f} | {s['mean_km']:.0f} | {s['precision']:.3f} |")
    print()
    print("| error category | " + " | ".join(f"{n} {sp}" for n, sp in errors) + " |")
    print("|---|" + "---:|" * len(errors))
    for cat in ev.ERROR_CATEGORIES:
        print(f"| {cat} | " + " | ".join(str(e[cat]) for e in errors.values()) + " |")
    return all_articles


def speed(articles: list, repeat: int) -> None:
    from fogwatch.places.gazetteer import Gazetteer, ensure_index
    from fogwatch.places.recognize import recognize
    from fogwatch.places.resolve import resolve

    path = ensure_index()
    t0 = time.perf_counter()
    gazetteer = Gazetteer(path)
    load_s = time.perf_counter() - t0
    texts = [a.text for a in articles]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6

    def one_pass() -> tuple[float, float]:
        t, c = time.perf_counter(), time.process_time()
        for text in texts:
            resolve(recognize(text, gazetteer), text, gazetteer)
        return time.perf_counter() - t, time.process_time() - c

    cold_wall, cold_cpu = one_pass()
    warm = [one_pass() for _ in range(repeat)]
    warm_wall, warm_cpu = min(w for w, _ in warm), min(c for _, c in warm)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print("| what | MB of text | wall s | CPU s | MB/s (wall) | MB/s per CPU-second |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| recognition + resolution, cold caches | {mb:.2f} | {cold_wall:.2f} | {cold_cpu:.2f} | {mb / cold_wall:.2f} | {mb / cold_cpu:.2f} |")
    print(f"| recognition + resolution, warm (best of {repeat}) | {mb:.2f} | {warm_wall:.2f} | {warm_cpu:.2f} | {mb / warm_wall:.2f} | {mb / warm_cpu:.2f} |")
    print()
    print(f"index: {path} ({path.stat().st_size / 1e6:.0f} MB on disk), opened in {load_s * 1000:.0f} ms; "
          f"peak resident memory of this process (XML, articles and all): {rss_mb:.0f} MB")


def seeds() -> None:
    from fogwatch.ingest.sources import ReadOptions, iter_documents
    from fogwatch.pipeline import Pipeline

    nlp = Pipeline(["sections", "sentences", "places"])
    print()
    for doc in nlp.pipe(iter_documents([str(SEEDS)], options=ReadOptions())):
        resolved = [p for p in doc.places if p.feature != "unresolved"]
        unresolved = [p for p in doc.places if p.feature == "unresolved"]
        print(f"**{doc.doc_id}**: {len(doc.places)} place mentions, {len(resolved)} resolved, {len(unresolved)} unresolved\n")
        print("| mention | resolved to | feature | lat, lon | admin1 | precision | score | reason |")
        print("|---|---|---|---|---|---:|---:|---|")
        seen = set()
        for p in doc.places:
            key = (p.text, p.name, p.feature, p.precision)
            if key in seen:
                continue
            seen.add(key)
            where = f"{p.latitude:.4f}, {p.longitude:.4f}" if p.latitude is not None else "–"
            print(f"| {p.text} | {p.name or '–'} ({p.country_code or '?'}) | {p.feature} | {where} | {p.admin1 or '–'} | {p.precision} | {p.score} | {p.reason} |")
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stride", type=int, default=1, help="Score every Nth article (1: all).")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-seeds", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    articles = quality(args.stride)
    speed(articles, args.repeat)
    if not args.skip_seeds:
        seeds()


if __name__ == "__main__":
    main()
