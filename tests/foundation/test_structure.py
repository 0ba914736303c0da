"""The package's shape: no private names imported from another module, one haversine, a py.typed marker."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "fogwatch"


def _modules():
    for path in sorted(SRC.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _is_module(module: str, name: str) -> bool:
    """Whether ``module.name`` is a module or package (``fogwatch.cli._logging``) rather than a name inside one."""
    base = SRC.joinpath(*module.split(".")[1:])
    return (base / f"{name}.py").is_file() or (base / name).is_dir()


def test_no_module_imports_another_modules_private_names():
    """``from fogwatch.places.gazetteer import _Writer`` couples to what gazetteer may change at will: a name
    other modules use is public. A private module (``fogwatch.cli._listing``) is imported whole, by its package."""
    offences = []
    for path, tree in _modules():
        rel = path.relative_to(SRC)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("fogwatch"):
                private = [a.name for a in node.names
                           if a.name.startswith("_") and not a.name.startswith("__") and not _is_module(node.module or "", a.name)]
                if private:
                    offences.append(f"{rel}:{node.lineno} imports {node.module}.{', '.join(private)}")
    assert not offences, offences


def test_one_haversine():
    defined = [str(path.relative_to(SRC)) for path, tree in _modules()
               for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name == "haversine_km"]
    assert defined == ["geo.py"]


def test_the_package_declares_its_type_hints():
    assert (SRC / "py.typed").is_file()
