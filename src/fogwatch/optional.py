"""Optional dependencies: import one, or fail with a coded error that says what to install (E904), never a traceback."""

from __future__ import annotations

import importlib
from types import ModuleType

from fogwatch.errors import Code, UsageError


def require(module: str, install: str, purpose: str) -> ModuleType:
    """``module`` imported, or :class:`UsageError` E904: ``purpose`` needs it, ``install`` is the command that adds it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise UsageError(f"{purpose} needs {module.split('.')[0]}, which is not installed: {install}", Code.MISSING_EXTRA) from None


__all__ = ["require"]
