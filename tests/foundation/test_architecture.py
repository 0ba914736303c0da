"""docs/architecture.md matches the packages: every package and module of src/fogwatch is named in it (issue 15)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src" / "fogwatch"


def _sections(doc: str) -> list[tuple[str, str]]:
    """(heading, body) of each ``## `` section."""
    parts = re.split(r"^## (.*)$", doc, flags=re.M)
    return [(parts[i], parts[i + 1]) for i in range(1, len(parts) - 1, 2)]


def _named(rel: Path, doc: str, sections: list[tuple[str, str]]) -> bool:
    """``pkg/mod.py`` anywhere, or ``mod.py`` in a section about ``pkg`` (its heading or a ``pkg/`` path in it)."""
    if rel.name == "__init__.py":
        return len(rel.parts) == 1 or f"{rel.parent.as_posix()}/" in doc
    if len(rel.parts) == 1:
        return f"`{rel.name}`" in doc or f"src/fogwatch/{rel.name}" in doc
    if rel.as_posix() in doc:
        return True
    pkg = rel.parts[-2]
    return any(f"`{rel.name}`" in body and (pkg.lower() in heading.lower() or f"{pkg}/" in body) for heading, body in sections)


def test_every_package_and_module_is_in_the_architecture_document():
    doc = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    sections = _sections(doc)
    missing = [rel.as_posix() for rel in (p.relative_to(SRC) for p in sorted(SRC.rglob("*.py")))
               if not _named(rel, doc, sections)]
    assert not missing, f"docs/architecture.md does not name: {missing}"
