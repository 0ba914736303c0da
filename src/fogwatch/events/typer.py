"""Sub-event typing of a report: the trained models with the rules as their features and fallback.

Two learned parts vote: the n-gram model (``fogwatch/models/event_types``, see its
``card.md``), a linear classifier over word and character n-grams *and* the rules' own
reading of the text (the lexicon's decision, which trigger kinds fired at which tier), and
the fine-tuned MiniLM encoder (``fogwatch/models/event_encoder``, int8 ONNX, see its
``card.md``). Their class probabilities are averaged with the weight stored in the
encoder's ``meta.json`` (chosen on a fixed validation split of the CASE tune rows). The
learned decision stands when its top probability reaches the threshold stored with it;
below it, or when both artefacts are missing or corrupt (E701/E702/E703), the rules answer.
Every decision says which one decided in ``reason``. The encoder runs only on clauses the
rules already read as an event, and not on those whose type comes from a tactic word.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from fogwatch.errors import ModelError
from fogwatch.events.classify import classify_text, find_triggers
from fogwatch.events.lexicon import Lexicon
from fogwatch.events.taxonomy import EVENT_TYPE_OF
from fogwatch.learn import NgramModel, load_ngram_model
from fogwatch.learn.encoder import EncoderModel, load_encoder
from fogwatch.text.normalize import fold

MODEL_NAME = "event_types"
ENCODER_NAME = "event_encoder"
NO_EVENT = "(none)"  # the model's class for "no ACLED event" (disasters, crime, diplomacy)


@dataclass(frozen=True, slots=True)
class TypeDecision:
    label: str | None  # an ACLED sub-event type, or None: the text reports no ACLED event
    confidence: float
    reason: str  # "model", "rules (model below threshold)", "rules (model unavailable: [E701] ...)"
    rules_label: str | None = None


def rule_features(text: str, rules_label: str | None = None, lexicon: Lexicon | None = None) -> dict[str, float]:
    """The rules' reading as named features: ``rule=<type>`` and ``trigger=<kind>/<tier>``."""
    if rules_label is None:
        rules_label = classify_text(text, lexicon)[0]
    feats = {f"rule={rules_label or NO_EVENT}": 1.0}
    for t in find_triggers(fold(text), original=text, lexicon=lexicon):
        feats[f"trigger={t.kind}/{t.tier}"] = 1.0
    return feats


@lru_cache(maxsize=1)
def _default_model() -> NgramModel | ModelError:
    try:
        return load_ngram_model(MODEL_NAME)
    except ModelError as exc:
        return exc


@lru_cache(maxsize=1)
def _default_encoder() -> EncoderModel | ModelError:
    try:
        return load_encoder(ENCODER_NAME)
    except ModelError as exc:
        return exc


class EventTyper:
    """Types a short report; ``model``/``encoder`` None load the packaged ones, ``use_model=False`` gives the rules alone.

    ``use_encoder=False`` leaves the encoder out (the n-gram model and the rules, at the n-gram
    model's own threshold). ``lexicon``: the rules' lexicon (the packaged one unless given), for
    the fallback and the model's rule features. ``change_threshold``: the probability the learned
    side needs to *change* the rules' type of a clause in running text (``retype``); None: the
    larger of the decision threshold and the n-gram model's own. ``encoder_gate``: in running text the
    encoder reads a clause only where the n-gram model gives some type the rules' type may become at least
    this probability (None: ``blend.encoder_gate`` of the encoder's meta.json, else 0: always).
    """

    def __init__(
        self,
        model: NgramModel | None = None,
        use_model: bool = True,
        threshold: float | None = None,
        lexicon: Lexicon | None = None,
        encoder: EncoderModel | None = None,
        use_encoder: bool = True,
        change_threshold: float | None = None,
        encoder_gate: float | None = None,
    ) -> None:
        self.lexicon = lexicon
        self.error: ModelError | None = None
        self.encoder_error: ModelError | None = None
        self.model: NgramModel | None = None
        self.encoder: EncoderModel | None = None
        if use_model:
            loaded = model if model is not None else _default_model()
            if isinstance(loaded, ModelError):
                self.error = loaded
            else:
                self.model = loaded
        if use_model and use_encoder:
            enc = encoder if encoder is not None else _default_encoder()
            if isinstance(enc, ModelError):
                self.encoder_error = enc
            else:
                self.encoder = enc
        if self.model is None and self.encoder is not None:
            self.encoder = None  # the blend was chosen with both; the encoder alone was never validated
        blend = self.encoder.meta.get("blend", {}) if self.encoder else {}
        self.encoder_weight = float(blend.get("encoder_weight", 0.5)) if self.encoder else 0.0
        meta_threshold = float(blend.get("threshold", 0.5)) if self.encoder else float(self.model.meta.get("threshold", 0.5)) if self.model else 1.0
        self.threshold = meta_threshold if threshold is None else threshold
        # the encoder is not run where the n-gram model already agrees with the rules this confidently
        self.encoder_skip = float(blend.get("encoder_skip", 1.01)) if self.encoder else 1.01
        # In running text a learned decision may *change* the rules' type only at ``change_threshold``: the
        # encoder's meta.json carries one chosen on running text (ACLED notes the models never saw); without
        # it, the larger of the blend's threshold (chosen on whole snippets) and the n-gram model's own.
        self.ngram_threshold = float(self.model.meta.get("threshold", 0.5)) if self.model else 1.0
        if change_threshold is not None:
            self.change_threshold = change_threshold
        elif threshold is not None:
            self.change_threshold = threshold
        elif "change_threshold" in blend:  # chosen on ACLED notes the models never saw (scripts/choose_retype_bar.py)
            self.change_threshold = max(self.threshold, float(blend["change_threshold"]))
        else:
            self.change_threshold = max(self.threshold, self.ngram_threshold)
        # A cascade in running text: the n-gram model must see some other type the clause may become before the
        # encoder (about 5 ms a clause) is read; chosen on ACLED notes no model saw (scripts/choose_encoder_gate.py)
        self.encoder_gate = encoder_gate if encoder_gate is not None else float(blend.get("encoder_gate", 0.0))
        self._encoded: dict[str, dict[str, float]] = {}
        self.encoder_calls = 0  # texts the encoder has read (cache misses), for benchmarks/bench_typer.py

    def __call__(self, text: str) -> TypeDecision:
        rules_label, rules_conf = classify_text(text, self.lexicon)
        if self.model is None:
            why = f"rules (model unavailable: {self.error})" if self.error else "rules"
            return TypeDecision(rules_label, rules_conf, why, rules_label)
        best, p = self.model_choice(text, rules_label)
        if p >= self.threshold:
            return TypeDecision(None if best == NO_EVENT else best, p, "model", rules_label)
        return TypeDecision(rules_label, rules_conf, "rules (model below threshold)", rules_label)

    def probabilities(self, text: str, rules_label: str | None) -> dict[str, float]:
        """The learned class probabilities: the n-gram model's, averaged with the encoder's when it is there.

        The encoder is skipped (its time saved) when the n-gram model agrees with the rules with a
        probability of at least ``encoder_skip`` (from the encoder's meta.json, chosen on the
        validation rows as the lowest value that loses nothing there).
        """
        if self.model is None:
            return {}
        return self._blend(text, rules_label, self._ngram_proba(text, rules_label))

    def _ngram_proba(self, text: str, rules_label: str | None) -> dict[str, float]:
        assert self.model is not None
        return self.model.predict_proba(text, rule_features(text, rules_label, self.lexicon))

    def _blend(self, text: str, rules_label: str | None, proba: dict[str, float]) -> dict[str, float]:
        """The n-gram model's probabilities averaged with the encoder's (unless skipped, see ``probabilities``)."""
        if self.encoder is None or self.encoder_weight <= 0.0:
            return proba
        best = max(proba, key=lambda c: proba[c])
        if best == (rules_label or NO_EVENT) and proba[best] >= self.encoder_skip:
            return proba
        enc = self._encoder_proba(text)
        w = self.encoder_weight
        return {c: (1.0 - w) * proba.get(c, 0.0) + w * enc.get(c, 0.0) for c in proba.keys() | enc.keys()}

    def _encoder_proba(self, text: str) -> dict[str, float]:
        assert self.encoder is not None
        cached = self._encoded.get(text)
        if cached is None:
            if len(self._encoded) >= 4096:
                self._encoded.clear()
            cached = self._encoded[text] = self.encoder.predict_proba(text)
            self.encoder_calls += 1
        return cached

    def model_choice(self, text: str, rules_label: str | None) -> tuple[str, float]:
        """The learned top class for ``text`` given the rules' label, and its probability (("(none)", 0.0) without a model)."""
        proba = self.probabilities(text, rules_label)
        if not proba:
            return NO_EVENT, 0.0
        best = max(proba, key=lambda c: proba[c])
        return best, proba[best]

    def _encoder_could_change(self, proba: dict[str, float], rules_label: str) -> bool:
        """Could any type the rules' type may become reach ``change_threshold`` in the blend, were the encoder wholly for
        it? And, with an ``encoder_gate``, does the n-gram model give such a type at least the gate?"""
        if self.encoder_gate > 0.0 and not any(p >= self.encoder_gate for c, p in proba.items() if may_become(rules_label, c)):
            return False
        w = self.encoder_weight
        if w >= self.change_threshold:  # the encoder alone could carry a type the n-gram model never gave
            return True
        return any((1.0 - w) * p + w >= self.change_threshold for c, p in proba.items() if may_become(rules_label, c))

    def _decide(self, blended: dict[str, float], rules_label: str) -> tuple[str, str]:
        """The clause's type and reason from the learned probabilities (territory merged, see ``direction_by_rules``)."""
        best = max(blended, key=lambda c: blended[c])
        p = blended[best]
        if p < self.threshold or best == NO_EVENT:
            return rules_label, "rules"
        if best == rules_label:
            return rules_label, "rules+model"
        if p < self.change_threshold or not may_become(rules_label, best):
            return rules_label, "rules"
        return best, f"model (rules: {rules_label})"

    def retype(self, text: str, rules_label: str, tactic: bool = False) -> tuple[str, str]:
        """A clause the rules typed as ``rules_label``: (sub-event type, reason).

        The model may change the type when it is confident; it never removes an event the
        rules found (background, hedging and negation are the assembler's passes). ``tactic``:
        the rules' type came from a specific tactic word (tier 3: "airstrike", "roadside bomb",
        "kidnapped"), which they get right and the models, trained without Syrian notes and with
        few chemical or suicide attacks, may not: the rules' type then stands, and the models
        are not run at all.
        
        The encoder runs only where it could change the type: when no other type's n-gram
        probability is high enough for the blend to reach ``change_threshold`` however the encoder
        votes, the rules' type stands without it, and ``rules+model`` then means the n-gram model
        alone agrees at its own threshold (same types as running the encoder; about a quarter less
        extract time on FA-KES, docs/benchmarks.md). With an ``encoder_gate`` it runs only where the
        n-gram model also gives some type the clause may become at least that probability (a cascade,
        the gate chosen on unseen ACLED notes where it loses nothing).
        """
        if self.model is None:
            return rules_label, f"rules (model unavailable: {self.error.code})" if self.error else "rules"
        if tactic:
            return rules_label, "rules (tactic word)"
        proba = self._ngram_proba(text, rules_label)
        if self.encoder is not None and not self._encoder_could_change(proba, rules_label):
            # Whatever the encoder says, no other type could reach the bar for a change in running text:
            # its time is saved, and the n-gram model alone says whether the learned side agrees.
            top = max(proba, key=lambda c: proba[c])
            return rules_label, "rules+model" if top == rules_label and proba[top] >= self.ngram_threshold else "rules"
        return self._decide(direction_by_rules(self._blend(text, rules_label, proba), rules_label), rules_label)


# ACLED's two territory types differ only by who took the ground, which the rules read from the clause
# ("recaptured by militants", "the army retook"); the models see the words, not the roles.
TERRITORY_TYPES = ("Government regains territory", "Non-state actor overtakes territory")


# The rules' remote-violence types ("strikes", "shelling", "bombing") keep their event type: the models,
# trained without Syrian notes, read "killed in strikes" as a clash (6 of 6 such changes wrong on FA-KES), and
# on 900 unseen ACLED notes they moved no clause out of this family (docs/benchmarks.md, issue 9, fourth round).
KEEP_EVENT_TYPE = frozenset({"Explosions/Remote violence"})


def may_become(rules_label: str, label: str) -> bool:
    """May the learned side change the rules' type ``rules_label`` of a running-text clause into ``label``?"""
    if label in (rules_label, NO_EVENT) or label in TERRITORY_TYPES and rules_label in TERRITORY_TYPES:
        return False
    family = EVENT_TYPE_OF.get(rules_label)
    return family not in KEEP_EVENT_TYPE or EVENT_TYPE_OF.get(label) == family


def direction_by_rules(proba: dict[str, float], rules_label: str) -> dict[str, float]:
    """When the rules typed a territory change, the learned side decides *whether* it is one (the two
    territory types' probabilities summed on the rules' type) and the rules decide who took the ground."""
    if rules_label not in TERRITORY_TYPES:
        return proba
    other = TERRITORY_TYPES[1 - TERRITORY_TYPES.index(rules_label)]
    merged = dict(proba)
    merged[rules_label] = merged.get(rules_label, 0.0) + merged.pop(other, 0.0)
    return merged


@lru_cache(maxsize=1)
def default_typer() -> EventTyper:
    return EventTyper()


def type_text(text: str) -> TypeDecision:
    """The main sub-event type of a short report, by the packaged model and the rules."""
    return default_typer()(text)
