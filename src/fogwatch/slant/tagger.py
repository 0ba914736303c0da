"""Slant spans of a document: the CRF tagger finds spans, the technique head names them.

The artefact folder (``fogwatch/models/slant``, see its ``card.md``) holds
``meta.json`` (format, labels, the SHA-256 of each array file, the decision
bias chosen on validation data), ``crf.npz`` (the span tagger) and
``technique/`` (a :class:`fogwatch.learn.NgramModel` over the span's words and
characters plus named span features). A missing artefact is ``E710``, a
corrupt one ``E711``: the stage then records the error and the pipeline goes on.

With a second tagger (``contextual``: the :class:`fogwatch.slant.static.StaticTagger` by default, or the fine-tuned
:class:`fogwatch.slant.contextual.ContextualTagger`) the tagger is a cascade: the CRF, its O score shifted by the second
artefact's ``candidate_bias``, picks the candidate sentences (those where it finds a span) and the second tagger decides
the spans inside them (``combine="cascade"``), or adds its spans to the CRF's own (``combine="union"``: one of its
spans only where no CRF span overlaps it; with the artefact's ``crf_filter`` above 0, a CRF span whose words the second
tagger reads as plain, their mean inside probability below the filter, is dropped; with ``crf_filter_window`` the mean
of the span's best run of that many words, so that a long span keeps a slanted core).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from fogwatch.checksum import sha256_file
from fogwatch.errors import Code, ModelError
from fogwatch.learn.ngram import NgramModel, load_model_folder, models_dir
from fogwatch.records import SlantSpan
from fogwatch.slant.contextual import ContextualTagger, decode, load_contextual_tagger, spans_from_scores
from fogwatch.slant.crf import LinearChainCRF
from fogwatch.slant.features import ArticleStats, AttributeColumns, span_features, token_columns, token_features
from fogwatch.slant.lexicon import CueIndex, CueRule, default_cues
from fogwatch.slant.model import TECHNIQUES
from fogwatch.slant.static import StaticTagger, load_static_tagger
from fogwatch.slant.tokens import Token, tokenize

FORMAT = "fogwatch-slant/1"
MODEL_NAME = "slant"
REASON = "slant model (CRF spans + technique head, models/slant)"
# Whether the stage runs the contextual cascade (models/slant_encoder) by default: chosen on validation data
# (docs/benchmarks.md, the slant section).
CONTEXTUAL_DEFAULT = False
# Whether it runs the static-vector tagger (models/slant_static) by default, when the contextual one is off: chosen on
# validation data (docs/benchmarks.md, the slant section).
STATIC_DEFAULT = True


def sentence_tokens(text: str, sentences: Sequence[tuple[int, int]]) -> list[list[Token]]:
    return [tokenize(text, s, e) for s, e in sentences]


def bio_spans(path: Sequence[str]) -> list[tuple[int, int]]:
    """Token ranges [i, j) of the B/I runs of a BIO label path (an I after O starts a span too).

    Typed labels (``B-S``/``I-S``, ``B-L``/``I-L``: a span kind) count as B and I: a B of either kind starts a
    span, and an I of another kind than the one before it goes on with the span (spans are technique-agnostic).
    """
    inside = np.array([label != "O" for label in path], dtype=float)
    begins = np.array([label[0] == "B" for label in path], dtype=bool)
    return decode(inside, begins, 0.5)  # the contextual tagger's decoding, with certain labels


def valid_labels(labels: Sequence[str]) -> bool:
    """O plus B/I, or O plus typed pairs B-x/I-x (each kind with both)."""
    rest = set(labels) - {"O"}
    if "O" not in labels or len(set(labels)) != len(labels) or not rest:
        return False
    kinds = {label[1:] for label in rest}
    return all(k == "" or (k[0] == "-" and k[1:].isalnum()) for k in kinds) and rest == {p + k for p in "BI" for k in kinds}


@dataclass(frozen=True)
class SlantTagger:
    crf: LinearChainCRF
    head: NgramModel
    cues: CueIndex
    rules: tuple[CueRule, ...] = ()
    rule_cues: CueIndex | None = None  # every cue list, for the rules (default: ``cues``)
    contextual: ContextualTagger | StaticTagger | None = None  # the cascade's second tagger (None: the CRF alone)

    @cached_property
    def _feature_cues(self) -> frozenset[str]:
        """The cue lists the tagger's features read (the rules may read more)."""
        return self.cues.names()

    def _read(self, text: str, sentences: Sequence[tuple[int, int]]) -> list[tuple[tuple[int, int], list[Token], list[str], list[tuple[int, int, str]]]]:
        """Each non-empty sentence with its tokens, their lower-cased words and every cue match (features' and rules')."""
        index = self.rule_cues or self.cues
        out = []
        for sent in sentences:
            ts = tokenize(text, *sent)
            if ts:
                lower = [t.lower for t in ts]
                out.append((sent, ts, lower, index.matches(lower)))
        return out

    def raw_spans(self, text: str, sentences: Sequence[tuple[int, int]]) -> list[tuple[int, int, float, tuple[int, int]]]:
        """(start, end, propaganda probability, sentence) of every span the tagger finds."""
        return self._raw_spans(text, self._read(text, sentences))

    def _features(self, read) -> list[list[list[str]]]:
        stats = ArticleStats.of([lower for _, _, lower, _ in read])
        feature_cues = self._feature_cues
        return [token_features(ts, self.cues, stats, [m for m in matches if m[2] in feature_cues], lower) for _, ts, lower, matches in read]

    @cached_property
    def _columns(self) -> AttributeColumns:
        return AttributeColumns(self.crf.attributes)

    def _emissions(self, read) -> list[np.ndarray]:
        """The CRF's emissions of each read sentence (:meth:`_features`' attributes, summed by their columns)."""
        stats = ArticleStats.of([lower for _, _, lower, _ in read])
        feature_cues = self._feature_cues
        columns = self._columns
        return self.crf.emissions_from_columns(
            [token_columns(ts, self.cues, stats, columns, [m for m in matches if m[2] in feature_cues], lower) for _, ts, lower, matches in read])

    def sentence_emissions(self, text: str, sentences: Sequence[tuple[int, int]]) -> tuple[list[tuple[tuple[int, int], list[Token]]], list[np.ndarray], list[SlantSpan]]:
        """The document's non-empty sentences with their tokens, the CRF's emissions for each (its decision bias
        included) and the cue rules' spans: what a caller needs to decode the same document under other biases."""
        read = self._read(text, sentences)
        emissions = self._emissions(read) if read else []
        return [(sent, ts) for sent, ts, _, _ in read], emissions, self._rule_spans(read)

    def _raw_spans(self, text: str, read) -> list[tuple[int, int, float, tuple[int, int]]]:
        if not read:
            return []
        # Every sentence of the document at once: emissions, best paths, then marginals where a span was found.
        emissions = self._emissions(read)
        outside = self.crf.labels.index("O")
        ctx = self.contextual
        if ctx is not None and ctx.candidate_bias:
            # The CRF's own paths and the candidate pass's (its O score shifted) in one padded run: the same paths.
            shift = np.zeros(len(self.crf.labels))
            shift[outside] = ctx.candidate_bias
            both = self.crf.viterbi_many([*emissions, *(e + shift for e in emissions)])
            return self._cascade(text, read, emissions, both[: len(emissions)], ctx, both[len(emissions) :])
        paths = self.crf.viterbi_many(emissions)
        if ctx is not None:
            return self._cascade(text, read, emissions, paths, ctx)
        tagged = [k for k, path in enumerate(paths) if any(p != outside for p in path)]
        return self._crf_spans(read, emissions, paths, tagged)

    def _crf_spans(self, read, emissions, paths, tagged, inside: dict[int, np.ndarray] | None = None,
                   floor: float = 0.0, window: int = 0) -> list[tuple[int, int, float, tuple[int, int]]]:
        """The CRF's spans in the ``tagged`` sentences; with ``inside`` (a second tagger's inside probability of each
        tagged sentence's words), a span is dropped where :func:`supported` says the second tagger does not see it."""
        outside = self.crf.labels.index("O")
        spans = {k: [(i, j) for i, j in bio_spans([self.crf.labels[p] for p in paths[k]])
                     # a span the second tagger, reading the whole sentence, sees no propaganda in is dropped
                     if inside is None or supported(inside[k][i:j], floor, window)] for k in tagged}
        kept = [k for k in tagged if spans[k]]
        margs = dict(zip(kept, self.crf.marginals_many([emissions[k] for k in kept])))  # only where a span is left
        found = []
        for k in kept:
            sent, ts, marg = read[k][0], read[k][1], margs[k]
            for i, j in spans[k]:
                prob = float(np.clip(1.0 - marg[i:j, outside].mean(), 0.0, 1.0))
                found.append((ts[i].start, ts[j - 1].end, prob, sent))
        return found

    def _cascade(self, text: str, read, emissions, paths, ctx: ContextualTagger | StaticTagger,
                 candidate_paths: list[list[int]] | None = None) -> list[tuple[int, int, float, tuple[int, int]]]:
        """The contextual tagger's spans in the CRF's candidate sentences (and, for ``union``, the CRF's own spans);
        ``candidate_paths``: the candidate pass's paths when the caller has them."""
        outside = self.crf.labels.index("O")
        if ctx.candidate_bias is None:  # the second tagger reads every sentence: no candidate pass
            candidates = list(range(len(read)))
        else:
            if candidate_paths is None and ctx.candidate_bias:
                shift = np.zeros(len(self.crf.labels))
                shift[outside] = ctx.candidate_bias
                candidate_paths = self.crf.viterbi_many([e + shift for e in emissions])
            elif candidate_paths is None:
                candidate_paths = paths
            candidates = [k for k, path in enumerate(candidate_paths) if any(p != outside for p in path)]
        crf_inside = None
        if ctx.crf_weight and ctx.combine == "cascade":  # the CRF's marginals (at its own bias) mixed in
            crf_inside = [1.0 - m[:, outside] for m in self.crf.marginals_many([emissions[k] for k in candidates])]
        tagged = [k for k, path in enumerate(paths) if any(p != outside for p in path)]
        filtering = ctx.combine == "union" and ctx.crf_filter > 0.0
        # The second tagger reads the candidates, and with the filter the sentences where the CRF found a span too.
        reads = sorted(set(candidates) | set(tagged)) if filtering else candidates
        scores = dict(zip(reads, ctx.word_scores(text, [(read[k][0], read[k][1]) for k in reads])))
        found: list[tuple[int, int, float, tuple[int, int]]] = []
        for k, spans in zip(candidates, spans_from_scores([scores[k] for k in candidates], ctx.threshold, ctx.crf_weight, crf_inside)):
            ts = read[k][1]
            found.extend((ts[i].start, ts[j - 1].end, prob, read[k][0]) for i, j, prob in spans)
        if ctx.combine == "union":
            own = self._crf_spans(read, emissions, paths, tagged, {k: scores[k][0] for k in tagged} if filtering else None,
                                  ctx.crf_filter, ctx.crf_filter_window)
            found = own + [f for f in found if not any(o[0] < f[1] and f[0] < o[1] for o in own)]
        return found

    def techniques(self, text: str, start: int, end: int, sentence: tuple[int, int], article_lower: str) -> list[tuple[str, float]]:
        """The head's techniques for a span, most probable first."""
        proba = self.head.predict_proba(text[start:end], span_features(text, start, end, sentence, self.cues, article_lower))
        return sorted(proba.items(), key=lambda kv: -kv[1])

    def technique(self, text: str, start: int, end: int, sentence: tuple[int, int], article_lower: str) -> tuple[str, float]:
        return self.techniques(text, start, end, sentence, article_lower)[0]

    def rule_spans(self, text: str, sentences: Sequence[tuple[int, int]]) -> list[SlantSpan]:
        """Spans of the cue rules (``data/slant/rules.yaml``): enough cue matches in one sentence, first to last."""
        return self._rule_spans(self._read(text, sentences) if self.rules else [])

    def _rule_spans(self, read) -> list[SlantSpan]:
        out = []
        for _, ts, _, matches in read if self.rules else []:
            for rule in self.rules:
                hits = sorted({(i, j) for i, j, cue in matches if cue in rule.cues})
                if len(hits) >= rule.min_hits:
                    last = max(j for _, j in hits) - 1
                    for _ in range(rule.extend):
                        if last + 1 < len(ts) and ts[last + 1].text[:1].isalnum():
                            last += 1
                    out.append(SlantSpan(ts[hits[0][0]].start, ts[last].end, rule.technique, rule.score,
                                         f"cue rule {rule.name} (data/slant/rules.yaml)"))
        return out

    def __call__(self, text: str, sentences: Sequence[tuple[int, int]]) -> list[SlantSpan]:
        read = self._read(text, sentences)
        article_lower = text.lower()
        out = []
        reason = REASON if self.contextual is None else self.contextual.reason
        for start, end, prob, sent in self._raw_spans(text, read):
            technique, p = self.technique(text, start, end, sent, article_lower)
            out.append(SlantSpan(start, end, technique, float(np.clip(prob * p, 0.0, 1.0)), reason))
        # A rule adds a span only where the model found none.
        out.extend(r for r in self._rule_spans(read) if not any(m.start < r.end and r.start < m.end for m in out))
        return sorted(out, key=lambda s: (s.start, s.end))


def supported(inside: np.ndarray, floor: float, window: int = 0) -> bool:
    """Whether a span's words (their inside probabilities) reach ``floor`` on average: over the whole span, or with
    ``window`` over its best run of that many words, so that a long span with a slanted core is not diluted by the
    plain words around it (a span no longer than ``window`` is read whole)."""
    if window <= 0 or len(inside) <= window:
        return float(inside.mean()) >= floor
    sums = np.cumsum(np.concatenate(([0.0], inside.astype(np.float64))))
    return float((sums[window:] - sums[:-window]).max()) / window >= floor


def _corrupt(message: str) -> ModelError:
    return ModelError(message, Code.SLANT_MODEL_CORRUPT)


def _read_meta(folder: Path) -> dict:
    meta_path = folder / "meta.json"
    if not meta_path.is_file() or not (folder / "crf.npz").is_file():
        raise ModelError(f"slant model missing: {folder} needs meta.json and crf.npz (rebuild: python scripts/train_slant.py)", Code.SLANT_MODEL_MISSING)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _corrupt(f"slant model {meta_path} is unreadable: {exc}") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise _corrupt(f"slant model {meta_path}: format is not {FORMAT}")
    if meta.get("crf_sha256") != sha256_file(folder / "crf.npz"):
        raise _corrupt(f"slant model {folder / 'crf.npz'} fails its SHA-256 check (corrupt or replaced; rebuild it)")
    return meta


def _load_crf(folder: Path, meta: dict) -> LinearChainCRF:
    try:
        with np.load(folder / "crf.npz", allow_pickle=False) as npz:
            attributes = [str(a) for a in npz["attributes"]]
            state = npz["state"].astype(np.float64)
            transitions = npz["transitions"].astype(np.float64)
            labels = tuple(str(x) for x in npz["labels"])
        bias = np.array([float(meta.get("bias", {}).get(label, 0.0)) for label in labels])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, zipfile.BadZipFile) as exc:
        raise _corrupt(f"slant model {folder} cannot be read: {exc}") from None
    k = len(labels)
    if not valid_labels(labels) or state.shape != (len(attributes), k) or transitions.shape != (k, k):
        raise _corrupt(f"slant model {folder}: labels or array shapes do not match")
    return LinearChainCRF(labels, {a: i for i, a in enumerate(attributes)}, state, transitions, bias)


def load_slant_tagger(folder: Path | None = None) -> SlantTagger:
    """Load and check the artefact (``E710`` missing, ``E711`` corrupt)."""
    folder = folder or models_dir() / MODEL_NAME
    meta = _read_meta(folder)
    crf = _load_crf(folder, meta)
    try:
        head = load_model_folder(folder / "technique")
    except ModelError as exc:
        code = Code.SLANT_MODEL_MISSING if exc.code == Code.MODEL_MISSING else Code.SLANT_MODEL_CORRUPT
        raise ModelError(f"slant technique head: {exc.message}", code) from None
    if set(head.classes) - set(TECHNIQUES):
        raise _corrupt(f"slant model {folder}: technique head has classes outside the 14 PTC techniques")
    cues = default_cues()
    return SlantTagger(crf, head, cues.index(), cues.rules, cues.rule_index())


def stage_tagger(folder: Path | None = None, contextual: bool | None = None, contextual_folder: Path | None = None,
                 static: bool | None = None, static_folder: Path | None = None) -> tuple[SlantTagger, ModelError | None]:
    """The tagger the stage runs: the CRF tagger (raises ``E710``/``E711``), with the contextual cascade when
    ``contextual`` (default :data:`CONTEXTUAL_DEFAULT`), else with the static-vector tagger when ``static`` (default
    :data:`STATIC_DEFAULT`). A second artefact that cannot be loaded (``E713``-``E718``) leaves the CRF alone and is
    returned as the second item, for the stage to record."""
    tagger = load_slant_tagger(folder)
    try:
        if CONTEXTUAL_DEFAULT if contextual is None else contextual:
            return replace(tagger, contextual=load_contextual_tagger(contextual_folder)), None
        if STATIC_DEFAULT if static is None else static:
            return replace(tagger, contextual=load_static_tagger(static_folder)), None
    except ModelError as exc:
        return tagger, exc
    return tagger, None


@lru_cache(maxsize=1)
def default_stage_tagger() -> tuple[SlantTagger, ModelError | None] | ModelError:
    """:func:`stage_tagger` of the packaged artefacts, loaded once per process (an error of the CRF's is returned)."""
    try:
        return stage_tagger()
    except ModelError as exc:
        return exc


@lru_cache(maxsize=1)
def default_tagger() -> SlantTagger | ModelError:
    try:
        return load_slant_tagger()
    except ModelError as exc:
        return exc
