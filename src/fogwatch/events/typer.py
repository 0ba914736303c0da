"""Sub-event typing of a report: the trained model with the rules as its features and fallback.

The model (``fogwatch/models/event_types``, see its ``card.md``) is a linear
classifier over word n-grams *and* the rules' own reading of the text: the
lexicon's decision and which trigger kinds fired at which tier are input
features, so the rules act as priors the model learned to weigh on real ACLED
notes and news snippets. The model decides when its top probability reaches the
threshold stored with it (chosen by cross-validation on the training part
only); below it, or when the artefact is missing or corrupt (E701/E702), the
rules answer. Every decision says which one decided in ``reason``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from fogwatch.errors import ModelError
from fogwatch.events.classify import classify_text, find_triggers
from fogwatch.events.lexicon import Lexicon
from fogwatch.learn import NgramModel, load_ngram_model
from fogwatch.text.normalize import fold

MODEL_NAME = "event_types"
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


class EventTyper:
    """Types a short report; ``model`` None loads the packaged one, ``use_model=False`` gives the rules alone.

    ``lexicon``: the rules' lexicon (the packaged one unless given), for the fallback and the model's rule features.
    """

    def __init__(self, model: NgramModel | None = None, use_model: bool = True, threshold: float | None = None, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon
        self.error: ModelError | None = None
        self.model: NgramModel | None = None
        if use_model:
            loaded = model if model is not None else _default_model()
            if isinstance(loaded, ModelError):
                self.error = loaded
            else:
                self.model = loaded
        meta_threshold = float(self.model.meta.get("threshold", 0.5)) if self.model else 1.0
        self.threshold = meta_threshold if threshold is None else threshold

    def __call__(self, text: str) -> TypeDecision:
        rules_label, rules_conf = classify_text(text, self.lexicon)
        if self.model is None:
            why = f"rules (model unavailable: {self.error})" if self.error else "rules"
            return TypeDecision(rules_label, rules_conf, why, rules_label)
        best, p = self.model_choice(text, rules_label)
        if p >= self.threshold:
            return TypeDecision(None if best == NO_EVENT else best, p, "model", rules_label)
        return TypeDecision(rules_label, rules_conf, "rules (model below threshold)", rules_label)

    def model_choice(self, text: str, rules_label: str | None) -> tuple[str, float]:
        """The model's top class for ``text`` given the rules' label, and its probability (("(none)", 0.0) without a model)."""
        if self.model is None:
            return NO_EVENT, 0.0
        proba = self.model.predict_proba(text, rule_features(text, rules_label, self.lexicon))
        best = max(proba, key=lambda c: proba[c])
        return best, proba[best]

    def retype(self, text: str, rules_label: str, tactic: bool = False) -> tuple[str, str]:
        """A clause the rules typed as ``rules_label``: (sub-event type, reason).

        The model may change the type when it is confident; it never removes an event the
        rules found (background, hedging and negation are the assembler's passes). ``tactic``:
        the rules' type came from a specific tactic word (tier 3: "airstrike", "roadside bomb",
        "kidnapped"), which they get right and the model, trained without Syrian notes and with
        few chemical or suicide attacks, may not: the rules' type then stands.
        """
        if self.model is None:
            return rules_label, f"rules (model unavailable: {self.error.code})" if self.error else "rules"
        best, p = self.model_choice(text, rules_label)
        if p < self.threshold or best == NO_EVENT:
            return rules_label, "rules"
        if tactic and best != rules_label:
            return rules_label, "rules (tactic word)"
        if best == rules_label:
            return rules_label, "rules+model"
        return best, f"model (rules: {rules_label})"


@lru_cache(maxsize=1)
def default_typer() -> EventTyper:
    return EventTyper()


def type_text(text: str) -> TypeDecision:
    """The main sub-event type of a short report, by the packaged model and the rules."""
    return default_typer()(text)
