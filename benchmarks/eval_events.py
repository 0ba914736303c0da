"""Score the events extractor on the dev sets in ../shared and print a Markdown report.

    .venv/bin/python benchmarks/eval_events.py            # CASE 2021 + IndiaPoliceEvents
    .venv/bin/python benchmarks/eval_events.py --errors   # also list the tune-part errors (never held-out items)
"""

from __future__ import annotations

import sys
import time

from _corpus import CASE_DEV, REPO, SHARED


def main(argv: list[str]) -> int:
    from fogwatch.events.evaluation import confusion_table, evaluate_case, evaluate_police

    t = time.perf_counter()
    case = CASE_DEV
    print("### CASE 2021 dev (sub-event type of a snippet; F1 over the 25 ACLED classes)\n")
    print("| typer | part | n | weighted F1 | macro F1 | accuracy (all 30 classes) |")
    print("|---|---|---|---|---|---|")
    results = {}
    for typer in ("rules", "model"):
        for part in ("all", "tune", "held-out"):
            scores, items = evaluate_case(case, part, typer=typer)
            results[typer, part] = (scores, items)
            note = " (trained on the tune part)" if typer == "model" and part != "held-out" else ""
            print(f"| {'rules + model' if typer == 'model' else 'rules alone'} | {part}{note} | {scores.n} | {scores.weighted_f1:.3f} | {scores.macro_f1:.3f} | {scores.accuracy:.3f} |")
    results["tune"] = results["rules", "tune"]
    scores = results["model", "held-out"][0]
    print(f"\nPer class, rules + model, held-out ({scores.n} rows; the support column says how thin each figure is):\n")
    print("| class | precision | recall | F1 | support |")
    print("|---|---|---|---|---|")
    for label, (p, r, f, n) in sorted(scores.per_class.items(), key=lambda kv: -kv[1][3]):
        print(f"| {label} | {p:.2f} | {r:.2f} | {f:.2f} | {n} |")
    print("\nMost frequent confusions (rules + model, held-out; `(none)` = no ACLED event predicted):\n")
    print(confusion_table(scores, 25))
    print("\n### IndiaPoliceEvents (sentence labels about police)\n")
    print("| part | label | precision | recall | F1 | positives |")
    print("|---|---|---|---|---|---|")
    folder = SHARED / "eval" / "india-police-events"
    for part in ("all", "held-out"):
        for label, v in evaluate_police(folder, part).items():
            print(f"| {part} | {label} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | {v['support']} |")
    if "--errors" in argv:
        print("\n### tune-part errors\n")
        for item_id, text, gold, pred in results["tune"][1]:
            if gold != pred:
                print(f"- [{gold} -> {pred}] {text[:160]}")
    print(f"\n({time.perf_counter() - t:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    raise SystemExit(main(sys.argv[1:]))
