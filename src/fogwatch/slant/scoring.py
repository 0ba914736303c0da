"""The two measures of SemEval-2020 Task 11, as its scorers compute them.

**SI** (span identification, technique-agnostic). Spans are sets of character
offsets. The gold spans of an article are first merged where they overlap (the
scorer's ``merge_overlapping_spans``); predicted spans must not overlap (we merge
them too, as the scorer's option does). Every pair (predicted s, gold t) of an
article adds ``|s ∩ t| / |s|`` to the precision numerator and ``|s ∩ t| / |t|``
to the recall numerator; precision divides by the number of predicted spans,
recall by the number of gold spans; F1 is their harmonic mean (0 when both are 0).

**TC** (technique classification). Every gold span (article, start, end) gets
one predicted technique per gold label on it; micro-F1 over the gold spans. A
span gold-labelled with several techniques counts each, and is matched as
multisets, so predicting the same technique twice for it earns it once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

Interval = tuple[int, int]


def merge_overlapping(spans: Iterable[Interval]) -> list[Interval]:
    """Spans merged where they share at least one character (touching spans stay apart)."""
    merged: list[list[int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float
    f1: float
    n_predicted: int
    n_gold: int

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4), "n_predicted": self.n_predicted, "n_gold": self.n_gold}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def si_score(predicted: Mapping[str, Sequence[Interval]], gold: Mapping[str, Sequence[Interval]]) -> PRF:
    """SI precision, recall and F1 with partial-overlap credit over all articles (article id -> spans)."""
    prec_num = rec_num = 0.0
    n_pred = n_gold = 0
    for article in set(predicted) | set(gold):
        pred = merge_overlapping(predicted.get(article, ()))
        gold_spans = merge_overlapping(gold.get(article, ()))
        n_pred += len(pred)
        n_gold += len(gold_spans)
        for ps, pe in pred:
            for gs, ge in gold_spans:
                inter = min(pe, ge) - max(ps, gs)
                if inter > 0:
                    prec_num += inter / (pe - ps)
                    rec_num += inter / (ge - gs)
    p = prec_num / n_pred if n_pred else 0.0
    r = rec_num / n_gold if n_gold else 0.0
    return PRF(p, r, _f1(p, r), n_pred, n_gold)


def tc_micro_f1(predicted: Mapping[tuple[str, int, int], Sequence[str]], gold: Mapping[tuple[str, int, int], Sequence[str]]) -> PRF:
    """TC micro precision/recall/F1: (article, start, end) -> techniques, matched as multisets per gold span."""
    correct = n_pred = n_gold = 0
    for key, labels in gold.items():
        n_gold += len(labels)
        guess = predicted.get(key, ())
        n_pred += len(guess)
        correct += sum((Counter(labels) & Counter(guess)).values())
    p = correct / n_pred if n_pred else 0.0
    r = correct / n_gold if n_gold else 0.0
    return PRF(p, r, _f1(p, r), n_pred, n_gold)
