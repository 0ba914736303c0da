"""The component registry: a stage is a named callable ``Document -> Document``.

Register with the decorator::

    @component("sections", requires=("text",), assigns=("sections", "provenance"))
    def sectioner(doc: Document) -> Document: ...

Stages that need set-up (a gazetteer index, a model) register a *factory*
with ``factory=True``: it is called once when the pipeline is built and
returns the per-document callable; its keyword arguments are the stage's
settings (``Pipeline(names, settings={"events": {"use_model": False}})``),
checked when the pipeline is built. Plugins register the same way; the entry
point group ``fogwatch.components`` is imported on first lookup.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import import_module
from importlib.metadata import entry_points
from typing import Callable

from fogwatch.errors import Code, PipelineError
from fogwatch.records import Document

StageFn = Callable[[Document], Document]


@dataclass(frozen=True)
class Component:
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    func: Callable[..., object]
    factory: bool = False
    doc: str = ""

    def build(self, settings: Mapping[str, object] | None = None) -> StageFn:
        """The stage function; ``settings`` are keyword arguments of a factory (E206 when it takes none or other ones)."""
        if not self.factory:
            if settings:
                raise PipelineError(f"component {self.name!r} takes no settings (given: {', '.join(sorted(settings))})", Code.STAGE_SETTINGS)
            return self.func  # type: ignore[return-value]
        params = inspect.signature(self.func).parameters
        unknown = sorted(set(settings or {}) - set(params))
        if unknown:
            raise PipelineError(
                f"component {self.name!r} has no setting {', '.join(unknown)} (its settings: {', '.join(params) or 'none'})", Code.STAGE_SETTINGS
            )
        return self.func(**(settings or {}))  # type: ignore[return-value]


_REGISTRY: dict[str, Component] = {}
# Modules that define the built-in components; imported lazily so that
# `import fogwatch` stays cheap and a heavy stage costs nothing until used.
_BUILTIN_MODULES = (
    "fogwatch.stages.sections",
    "fogwatch.stages.sentences",
    "fogwatch.stages.places",
    "fogwatch.stages.events",
    "fogwatch.stages.slant",
)
# Built-in modules the design names that may not be written yet: their absence is not an error.
# Whoever writes one removes it from here, so that from then on a missing file fails loudly (E207).
NOT_YET_WRITTEN: frozenset[str] = frozenset()
_loaded = False


def component(
    name: str, *, requires: tuple[str, ...] = (), assigns: tuple[str, ...] = (), factory: bool = False
) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """Register a pipeline component under ``name``."""

    def register(func: Callable[..., object]) -> Callable[..., object]:
        existing = _REGISTRY.get(name)
        # The same function registered again (its module imported twice) is fine; another one is not.
        if existing is not None and _origin(existing.func) != _origin(func):
            raise PipelineError(f"a component named {name!r} is already registered", Code.DUPLICATE_STAGE)
        _REGISTRY[name] = Component(
            name=name,
            requires=tuple(requires),
            assigns=tuple(assigns),
            func=func,
            factory=factory,
            doc=(func.__doc__ or "").strip().splitlines()[0] if func.__doc__ else "",
        )
        return func

    return register


def _origin(func: Callable[..., object]) -> tuple[str, str]:
    return (getattr(func, "__module__", ""), getattr(func, "__qualname__", repr(func)))


def _load_builtins() -> None:
    """Import the built-in stage modules and the plugins' entry points (once).

    A missing built-in module is a broken installation (a renamed or deleted ``stages/events.py`` would
    otherwise give documents without events and no error): E207, every time it is asked for.
    """
    global _loaded
    if _loaded:
        return
    for module in _BUILTIN_MODULES:
        try:
            import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            if module not in NOT_YET_WRITTEN:
                raise PipelineError(
                    f"the built-in stage module {module} is missing: the installation is incomplete; reinstall fogwatch",
                    Code.STAGE_MODULE_MISSING,
                ) from None
    _loaded = True
    for ep in entry_points(group="fogwatch.components"):
        ep.load()


def get_component(name: str) -> Component:
    _load_builtins()
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        raise PipelineError(f"unknown pipeline component {name!r} (known: {known})", Code.UNKNOWN_STAGE) from None


def registered_components() -> dict[str, Component]:
    _load_builtins()
    return dict(_REGISTRY)
