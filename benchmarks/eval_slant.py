"""Held-out quality of the packaged slant model on PTC, with SemEval-2020 Task 11's definitions.

    .venv/bin/python benchmarks/eval_slant.py                  # the stage as shipped (CRF + the static-vector tagger)
    .venv/bin/python benchmarks/eval_slant.py --contextual     # with the contextual cascade instead (models/slant_encoder)
    .venv/bin/python benchmarks/eval_slant.py --crf            # the CRF alone

Scores the fixed held-out fifth of ``../shared/eval/ptc-train`` (``fogwatch.slant.evaluate.part_of``;
never trained on, never used for a choice): SI over the spans the stage finds in body sentences and over
every sentence, TC micro-F1 over the gold spans, and TC per technique. Prints Markdown for docs/benchmarks.md.
"""

from __future__ import annotations

import sys
import time
from collections import Counter

from _corpus import SHARED


def main(argv: list[str]) -> int:
    from fogwatch.slant.evaluate import evaluate, part_of, read_ptc
    from fogwatch.slant.tagger import CONTEXTUAL_DEFAULT, STATIC_DEFAULT, stage_tagger

    contextual = True if "--contextual" in argv else False if "--crf" in argv else CONTEXTUAL_DEFAULT
    tagger, error = stage_tagger(contextual=contextual, static=False if "--crf" in argv else STATIC_DEFAULT)
    if error is not None:
        print(f"the second tagger did not load ({error}): scoring the CRF alone", file=sys.stderr)
    second = tagger.contextual
    print(f"tagger: {'CRF + ' + type(second).__name__ + ' (' + second.combine + ')' if second else 'CRF alone'}\n")
    held = [a for a in read_ptc(SHARED / "eval" / "ptc-train") if part_of(a.article_id) == "held-out"]
    t = time.perf_counter()
    body = evaluate(tagger, held, body_only=True)
    every = evaluate(tagger, held, body_only=False)
    print(f"PTC held-out: {len(held)} articles, {every['si']['n_gold']} gold SI spans (merged), {every['tc']['n_gold']} gold TC labels "
          f"({time.perf_counter() - t:.1f} s)\n")
    print("| measure | precision | recall | F1 |")
    print("|---|---:|---:|---:|")
    print(f"| SI, stage (body sentences) | {body['si']['precision']:.3f} | {body['si']['recall']:.3f} | {body['si']['f1']:.3f} |")
    print(f"| SI, every sentence | {every['si']['precision']:.3f} | {every['si']['recall']:.3f} | {every['si']['f1']:.3f} |")
    print(f"| TC micro | {every['tc']['precision']:.3f} | {every['tc']['recall']:.3f} | {every['tc']['f1']:.3f} |\n")
    gold: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for a in held:
        lower = a.text.lower()
        for (s, e), techniques in a.tc.items():
            ranked = [t for t, _ in tagger.techniques(a.text, s, e, a.sentence_of(s, e), lower)]
            guess = Counter(ranked[k % len(ranked)] for k in range(len(techniques)))
            gold.update(techniques)
            right.update((Counter(techniques) & guess).elements())
    print("| technique | gold | right | recall |")
    print("|---|---:|---:|---:|")
    for tech, n in gold.most_common():
        print(f"| {tech} | {n} | {right[tech]} | {right[tech] / n:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
