"""PTC articles, the fixed split, and the held-out scoring of a tagger (SI and TC, :mod:`fogwatch.slant.scoring`).

Reads ``../shared/eval/ptc-train`` (articles and the two label files). The split is by article,
on a stable hash of its id: two tenths held out (never trained on, never used for a choice),
two tenths of the rest validation (for settings), the remainder training.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from fogwatch.slant.scoring import si_score, tc_micro_f1

if TYPE_CHECKING:
    from fogwatch.slant.tagger import SlantTagger

Part = Literal["train", "validation", "held-out"]


def part_of(article_id: str) -> Part:
    """The article's part of the split: a stable hash, the same on every machine and run."""
    bucket = int(hashlib.sha256(f"ptc:{article_id}".encode()).hexdigest()[:8], 16) % 10
    return "held-out" if bucket < 2 else "validation" if bucket < 4 else "train"


@dataclass(frozen=True)
class Article:
    article_id: str
    text: str
    si: tuple[tuple[int, int], ...]
    tc: dict[tuple[int, int], tuple[str, ...]]  # gold span -> its techniques
    sentences: tuple[tuple[int, int], ...]  # fogwatch's sentences, every section
    body: tuple[tuple[int, int], ...] = field(default=())  # the sentences the slant stage reads

    def sentence_of(self, start: int, end: int) -> tuple[int, int]:
        starts = [s for s, _ in self.sentences]
        k = bisect.bisect_right(starts, start) - 1
        if k >= 0 and self.sentences[k][1] > start:
            return self.sentences[k]
        return (start, end)


def read_ptc(folder: Path) -> list[Article]:
    """Every article with its gold spans and fogwatch's sentences."""
    from fogwatch.pipeline import Pipeline
    from fogwatch.records import Document

    si: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for line in (folder / "train-task1-SI.labels").read_text(encoding="utf-8").splitlines():
        if line.strip():
            aid, s, e = line.split("\t")
            si[aid].append((int(s), int(e)))
    tc: dict[str, dict[tuple[int, int], list[str]]] = defaultdict(lambda: defaultdict(list))
    for line in (folder / "train-task2-TC.labels").read_text(encoding="utf-8").splitlines():
        if line.strip():
            aid, technique, s, e = line.split("\t")
            tc[aid][(int(s), int(e))].append(technique)
    nlp = Pipeline(["sections", "sentences"])
    out = []
    for path in sorted((folder / "articles").glob("article*.txt")):
        aid = path.stem.removeprefix("article")
        text = path.read_text(encoding="utf-8")
        doc = nlp(Document(doc_id=aid, text=text))
        out.append(
            Article(
                aid, text, tuple(si.get(aid, ())), {k: tuple(v) for k, v in tc.get(aid, {}).items()},
                tuple((s.start, s.end) for s in doc.sentences), tuple((s.start, s.end) for s in doc.sentences if s.section == "body"),
            )
        )
    return out


def evaluate(tagger: "SlantTagger", articles: Sequence[Article], body_only: bool = True) -> dict[str, dict[str, float | int]]:
    """SI over the spans the tagger finds (body sentences only, as the stage runs, or every sentence) and TC over the gold spans."""
    predicted, gold = {}, {}
    tc_pred: dict[tuple[str, int, int], list[str]] = {}
    tc_gold: dict[tuple[str, int, int], list[str]] = {}
    for a in articles:
        # The stage's own spans: the model's and the cue rules'.
        predicted[a.article_id] = [(s.start, s.end) for s in tagger(a.text, a.body if body_only else a.sentences)]
        gold[a.article_id] = list(a.si)
        lower = a.text.lower()
        for (s, e), techniques in a.tc.items():
            # The task lists a span once per gold label: one guess each, the head's top ones in order.
            ranked = tagger.techniques(a.text, s, e, a.sentence_of(s, e), lower)
            tc_gold[(a.article_id, s, e)] = list(techniques)
            tc_pred[(a.article_id, s, e)] = [ranked[k % len(ranked)][0] for k in range(len(techniques))]
    return {"si": si_score(predicted, gold).as_dict(), "tc": tc_micro_f1(tc_pred, tc_gold).as_dict()}
