"""The user's YAML registry files (actors, outlets): named by an environment variable and by options.

Both registries read the same way: the variable holds files or folders of ``.yaml`` files,
``os.pathsep``-separated, then come the paths given on the command line; a path that
is missing or unreadable stops with the registry's own error code.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml

from fogwatch.errors import Code, UsageError


def user_registry_texts(env_var: str, extra_paths: Iterable[str], use_env: bool, what: str, code: Code) -> Iterator[tuple[str, str]]:
    """(text, origin) of each user file for the ``what`` registry ("actor registry"), in load order."""
    paths: list[str] = []
    if use_env and os.environ.get(env_var):
        paths.extend(os.environ[env_var].split(os.pathsep))
    paths.extend(extra_paths)
    for path in _files(paths, what, code):
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise UsageError(f"{what} {path}: larger than {MAX_FILE_BYTES // 2**20} MB; registry files are small", code)
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{what} {path}: cannot read it ({exc})", code) from None
        check_yaml(text, str(path), what, code)
        yield text, str(path)


MAX_FILE_BYTES = 10 * 2**20
# Registry files nest four levels at most (a mapping of lists of mappings of lists).
MAX_DEPTH = 32


def check_yaml(text: str, origin: str, what: str, code: Code) -> None:
    """Refuse what a registry file must not hold (see :func:`checked_yaml`)."""
    checked_yaml(text, origin, what, code)


def checked_yaml(text: str, origin: str, what: str, code: Code, loader: Any = yaml.SafeLoader) -> tuple[bool, Any]:
    """Refuse what a registry file must not hold, before anything builds objects from it.

    - YAML aliases (``*name``): a 411-byte file of nested aliases ("billion laughs") expands to gigabytes
      when loaded; registry files have no need for them. Found by reading parser events, which never expands.
    - For the actor registry, values of the wrong type (``countries: [SY]``, ``aliases: 5``): a message naming
      the file and the key, instead of a traceback from deep inside the loader.
    - Nesting deeper than :data:`MAX_DEPTH`: PyYAML's composer recurses per level (RecursionError at about
      1,000 levels; libyaml's, which the lexicon uses, crashes the process at about 100,000). The parser's
      events, which count the depth, come one at a time, so the check stops at the first level too deep.

    Text that is not valid YAML is left to the registry's own loader (which reports it with its code).
    Returns (True, the loaded data) when the text is valid YAML, so a caller need not load it again, and
    (False, None) when it is not. ``loader``: PyYAML's ``SafeLoader`` (the default, what the registries use);
    the packaged files, which a test loads both ways, may pass libyaml's ``CSafeLoader``.
    """
    try:
        depth = 0
        for event in yaml.parse(text, Loader=loader):  # by default the loader the registries use (libyaml refuses more)
            if isinstance(event, yaml.AliasEvent):
                raise UsageError(f"{what} {origin}: uses a YAML alias (*{event.anchor}) at line {event.start_mark.line + 1};"
                                 " registry files may not use anchors and aliases: write the values out", code)
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise UsageError(f"{what} {origin}: nested more than {MAX_DEPTH} levels deep at line {event.start_mark.line + 1};"
                                     " registry files need a few", code)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
        data = yaml.load(text, Loader=loader)  # no aliases, bounded depth: loading is linear
    except yaml.YAMLError:
        return False, None
    except ValueError as exc:  # an integer of more than 4,300 digits (Python's limit on int from text)
        raise UsageError(f"{what} {origin}: a value fogwatch cannot read ({exc})", code) from None
    if code == Code.ACTOR_REGISTRY:
        problem = actor_file_problem(data)
        if problem:
            raise UsageError(f"{what} {origin}: {problem}", code)
    return True, data


_SCALAR = (str, int, float)


def _list_of_scalars(value: Any) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(v, _SCALAR) and not isinstance(v, bool) for v in value))


def actor_file_problem(data: Any) -> str | None:
    """What is wrong with the shape of an actor registry file (see data/actors/README.md), or None."""
    if data is None:
        return None
    if not isinstance(data, dict):
        return "expected a mapping with `actors:` or `countries:`"
    countries = data.get("countries")
    if countries is not None:
        if not isinstance(countries, dict):
            return f"`countries` must be a mapping of ISO codes to {{name: ..., words: [...]}}, not {type(countries).__name__}"
        for iso, info in countries.items():
            if not isinstance(info, dict) or not isinstance(info.get("name"), _SCALAR):
                return f"country {iso!r} needs a mapping with a `name`"
            if not _list_of_scalars(info.get("words")):
                return f"country {iso!r}: `words` must be a list of names"
    actors = data.get("actors")
    if actors is not None:
        if not isinstance(actors, list):
            return f"`actors` must be a list of actors, not {type(actors).__name__}"
        for i, raw in enumerate(actors):
            if not isinstance(raw, dict) or not raw.get("name") or not isinstance(raw["name"], _SCALAR):
                return f"actor #{i + 1} needs a `name`"
            name = raw["name"]
            for key in ("aliases", "acronyms", "subunits"):
                if not _list_of_scalars(raw.get(key)):
                    return f"actor {name!r}: `{key}` must be a list of names, not {type(raw[key]).__name__}"
            for key in ("country", "role"):
                if raw.get(key) is not None and not isinstance(raw[key], str):
                    return f"actor {name!r}: `{key}` must be text, not {type(raw[key]).__name__}"
            valid = raw.get("valid")
            years = isinstance(valid, list) and all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in valid)
            if valid is not None and not (years and 1 <= len(valid) <= 2):
                return f"actor {name!r}: `valid` must be [first year, last year or null]"
            for key in ("label", "localized"):
                if raw.get(key) is not None and not isinstance(raw[key], bool):
                    return f"actor {name!r}: `{key}` must be true or false"
    return None


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
