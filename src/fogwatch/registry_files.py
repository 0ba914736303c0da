"""The user's YAML registry files (actors, outlets): named by an environment variable and by options.

Both registries read the same way: the variable holds files or folders of ``.yaml`` files,
``os.pathsep``-separated, then come the paths given on the command line; a path that
is missing or unreadable stops with the registry's own error code.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator

from fogwatch.errors import Code, UsageError


def user_registry_texts(env_var: str, extra_paths: Iterable[str], use_env: bool, what: str, code: Code) -> Iterator[tuple[str, str]]:
    """(text, origin) of each user file for the ``what`` registry ("actor registry"), in load order."""
    paths: list[str] = []
    if use_env and os.environ.get(env_var):
        paths.extend(os.environ[env_var].split(os.pathsep))
    paths.extend(extra_paths)
    for path in _files(paths, what, code):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{what} {path}: cannot read it ({exc})", code) from None
        yield text, str(path)


def _files(paths: Iterable[str], what: str, code: Code) -> Iterator[Path]:
    for raw in paths:
        if not raw:
            continue
        path = Path(raw).expanduser()
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
        elif path.is_file():
            yield path
        else:
            raise UsageError(f"{what} {path}: no such file or directory", code)
