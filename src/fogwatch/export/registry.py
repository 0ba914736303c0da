"""The export formats: a name for each writer, and how it writes (a text stream, or a file it needs a path for).

``fogwatch export --format NAME``, :func:`fogwatch.export.export` and the workbench's download routes all look
a format up here, so a new format is one :func:`register` call (fogwatch's own formats are registered the same
way, in :mod:`fogwatch.export.writers`). Another package adds a format without touching fogwatch through an
entry point in the ``fogwatch.export`` group that names a :class:`Writer`::

    [project.entry-points."fogwatch.export"]
    kml = "mypackage.kml:WRITER"

A writer is given the rows (``(event, members)`` pairs, :func:`fogwatch.export.rows.iter_with_members`),
its target (an ``IO[str]`` for a stream writer, a file path for a file writer), a ``counts`` dict it may fill
(``counts["unplaced"]``: events it could not place) and the options it declares in ``options``.

Listing the formats imports fogwatch's own writers, not the store; a file format's module (``parquet``) loads when
it first writes.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import IO, Any, Callable, Iterable, Literal, Union

from fogwatch.errors import Code, UsageError

#: ``(event, members)`` pairs: a fused event dict and its member mention dicts.
Rows = Iterable[tuple[dict[str, Any], list[dict[str, Any]]]]
WriteFunction = Callable[..., int]

ENTRY_POINT_GROUP = "fogwatch.export"


@dataclass(frozen=True)
class Writer:
    """One export format.

    ``write`` is the function, or ``"module:function"`` imported on first use (so listing the formats stays
    cheap). ``target``: ``"stream"`` writers write text to an ``IO[str]`` (standard output, an HTTP response);
    ``"file"`` writers need a path (binary formats such as Parquet). ``options``: the keyword options the writer
    takes beyond the rows and target (``include_unplaced``); another option given to it is a usage error.
    """

    name: str
    write: Union[WriteFunction, str]
    target: Literal["stream", "file"]
    extension: str
    media_type: str
    description: str
    options: frozenset[str] = field(default_factory=frozenset)

    def function(self) -> WriteFunction:
        if callable(self.write):
            return self.write
        module, _, attr = self.write.partition(":")
        return getattr(importlib.import_module(module), attr)

    def __call__(self, rows: Rows, target: IO[str] | str, counts: dict[str, int], **options: Any) -> int:
        unknown = sorted(set(options) - self.options)
        if unknown:
            raise UsageError(f"export format {self.name!r} takes no option {', '.join(unknown)}", Code.BAD_OPTION)
        return self.function()(rows, target, counts=counts, **options)


_WRITERS: dict[str, Writer] = {}
_entry_points_loaded = False


def register(writer: Writer, *, replace: bool = False) -> Writer:
    """Add an export format; a name already taken is refused unless ``replace``."""
    if not isinstance(writer, Writer):
        raise TypeError(f"register() takes a fogwatch.export.registry.Writer, not {type(writer).__name__}")
    if writer.target not in ("stream", "file"):
        raise ValueError(f"export format {writer.name!r}: target must be 'stream' or 'file', not {writer.target!r}")
    if writer.name in _WRITERS and not replace:
        raise ValueError(f"export format {writer.name!r} is registered already")
    _WRITERS[writer.name] = writer
    return writer


def unregister(name: str) -> None:
    _WRITERS.pop(name, None)


def _load_entry_points() -> None:
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in _WRITERS:
            continue  # fogwatch's own formats, and the first plugin of a name, win
        try:
            writer = ep.load()
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not break the other formats
            raise UsageError(f"the export plugin {ep.name!r} ({ep.value}) cannot be loaded: {exc}", Code.EXPORT_PLUGIN) from None
        if not isinstance(writer, Writer) or writer.name != ep.name:
            raise UsageError(f"the export plugin {ep.name!r} ({ep.value}) is not a Writer named {ep.name!r}", Code.EXPORT_PLUGIN)
        register(writer)


def writers(*, plugins: bool = True) -> dict[str, Writer]:
    """Every registered format by name: fogwatch's own, then (``plugins``) those installed packages add."""
    import fogwatch.export.writers  # noqa: F401 - registers fogwatch's own formats

    if plugins:
        _load_entry_points()
    return dict(_WRITERS)


def get(name: str) -> Writer:
    """The format called ``name``; an unknown name is a usage error that lists the known ones."""
    known = writers(plugins=False)
    if name not in known:
        known = writers()
    if name not in known:
        raise UsageError(f"unknown export format {name!r}; known formats: {', '.join(known)}", Code.BAD_OPTION)
    return known[name]


__all__ = ["ENTRY_POINT_GROUP", "Rows", "Writer", "get", "register", "unregister", "writers"]
