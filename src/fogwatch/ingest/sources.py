"""Turn paths, directories and standard input into a stream of Documents.

Everything streams: a directory is walked lazily in sorted order, a JSONL file
is read line by line, and a document larger than ``max_doc_bytes`` is read
only up to that limit (recorded as ``E107``). A document that cannot be read
still comes out, with empty text and its ``errors`` filled, so the output has
one record per input document and nothing else in the batch is lost.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable, Iterator, Sequence

from fogwatch.errors import Code, UsageError
from fogwatch.ingest.decode import BinaryContent, decode_bytes
from fogwatch.ingest.html import HtmlExtractionError, extract_html
from fogwatch.records import DocError, Document, Metadata
from fogwatch.redact import strip_credentials

TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
READABLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
SIDECAR_SUFFIX = ".meta.json"
DEFAULT_MAX_DOC_BYTES = 20 * 1024 * 1024

# JSONL / sidecar keys with a meaning; everything else is kept in Metadata.extra.
_META_KEYS = ("title", "author", "published", "source", "url", "language")
_RESERVED = frozenset({"id", "text", "html", *_META_KEYS})


@dataclass
class ReadOptions:
    max_doc_bytes: int = DEFAULT_MAX_DOC_BYTES
    # Called with (path, reason) for files a directory walk passes over.
    on_skip: Callable[[str, str], None] | None = None
    skipped: list[str] = field(default_factory=list)


def check_paths(paths: Sequence[str]) -> None:
    """Usage errors are found before anything is written."""
    for p in paths:
        if p != "-" and not os.path.exists(p):
            raise UsageError(f"no such file or directory: {p}", Code.NO_SUCH_PATH)


def iter_documents(paths: Sequence[str], stdin: IO[bytes] | None = None, options: ReadOptions | None = None) -> Iterator[Document]:
    opts = options or ReadOptions()
    for p in paths:
        if p == "-":
            if stdin is None:
                raise UsageError("'-' given but no standard input available", Code.STDIN_IS_TTY)
            yield from read_jsonl_stream(stdin, "<stdin>", opts)
        elif os.path.isdir(p):
            yield from _walk(Path(p), opts)
        else:
            yield from read_file(Path(p), opts, doc_id=Path(p).name.rsplit(".", 1)[0] if "." in Path(p).name else Path(p).name)


def _walk(root: Path, opts: ReadOptions) -> Iterator[Document]:
    """Recursive, sorted, lazy: a directory of 10,000 files never sits in memory as documents."""
    stack = [root]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            # Not a silent skip: the directory gets a record of its own with E108, and the walk goes on.
            rel = current.relative_to(root).as_posix()
            where = str(current)
            yield _failed(current.name if rel == "." else rel, where, Code.UNREADABLE,
                          f"cannot list directory {where}: {exc.strerror or exc}; its files were not read")
            continue
        subdirs = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                subdirs.append(Path(entry.path))
                continue
            path = Path(entry.path)
            if entry.name.endswith(SIDECAR_SUFFIX) or entry.name.startswith("."):
                continue
            if path.suffix.lower() not in READABLE_SUFFIXES:
                _skip(opts, entry.path, "not a .txt, .html or .jsonl file")
                continue
            rel = path.relative_to(root).as_posix()
            kind = _not_regular(entry)
            if kind:  # opening a FIFO blocks until a writer comes, maybe never: not read, recorded
                yield _failed(rel[: -len(path.suffix)], entry.path, Code.UNREADABLE, f"{entry.path} is {kind}, not a regular file; not read")
                continue
            yield from read_file(path, opts, doc_id=rel[: -len(path.suffix)])
        stack.extend(reversed(subdirs))


def _not_regular(entry: os.DirEntry[str]) -> str | None:
    """What a directory entry is when it is not a regular file (symbolic links followed); None for a regular file."""
    try:
        mode = entry.stat(follow_symlinks=True).st_mode
    except OSError:
        return None  # a dangling link or a vanished file: read_file reports why it cannot be read
    return _kind(mode)


def _kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _skip(opts: ReadOptions, path: str, reason: str) -> None:
    opts.skipped.append(path)
    if opts.on_skip:
        opts.on_skip(path, reason)


def _failed(doc_id: str, origin: str, code: Code, message: str, metadata: Metadata | None = None) -> Document:
    return Document(doc_id=doc_id, text="", origin=origin, metadata=metadata or Metadata(), errors=(DocError(str(code), message, "reader"),))


def read_file(path: Path, opts: ReadOptions, doc_id: str) -> Iterator[Document]:
    origin = str(path)
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        try:
            with open(path, "rb") as fh:
                yield from read_jsonl_stream(fh, origin, opts)
        except OSError as exc:
            yield _failed(doc_id, origin, Code.UNREADABLE, f"cannot read {origin}: {exc.strerror}")
        return
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        yield _failed(doc_id, origin, Code.UNSUPPORTED_TYPE, f"unsupported file type {suffix or '(none)'!r}: fogwatch reads .txt, .html/.htm and .jsonl")
        return
    sidecar, meta_errors = _read_sidecar(path)
    doc_id = str(sidecar.pop("id", doc_id))
    try:
        with open(path, "rb") as fh:
            data = fh.read(opts.max_doc_bytes + 1)
    except OSError as exc:
        yield _failed(doc_id, origin, Code.UNREADABLE, f"cannot read {origin}: {exc.strerror}")
        return
    doc = build_document(doc_id, origin, data, is_html=suffix in HTML_SUFFIXES, fields=sidecar, opts=opts)
    for err in meta_errors:
        doc = doc.with_error(err)
    yield doc


def _read_sidecar(path: Path) -> tuple[dict[str, Any], list[DocError]]:
    meta_path = path.with_name(path.name + SIDECAR_SUFFIX)
    if not meta_path.exists():
        meta_path = path.with_suffix(SIDECAR_SUFFIX)
        if not meta_path.exists():
            return {}, []
    try:
        kind = _kind(meta_path.stat().st_mode)
    except OSError:
        kind = None
    if kind:  # a FIFO sidecar would block the read forever
        return {}, [DocError(str(Code.BAD_METADATA), f"sidecar {meta_path.name} ignored: it is {kind}", "reader")]
    try:
        data = json.loads(meta_path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return {}, [DocError(str(Code.BAD_METADATA), f"sidecar {meta_path.name} ignored: {exc}", "reader")]
    except RecursionError:  # json.loads recurses per level
        return {}, [DocError(str(Code.BAD_METADATA), f"sidecar {meta_path.name} ignored: JSON nested too deeply", "reader")]
    if not isinstance(data, dict):
        return {}, [DocError(str(Code.BAD_METADATA), f"sidecar {meta_path.name} ignored: not a JSON object", "reader")]
    return data, []


def read_jsonl_stream(fh: IO[bytes], origin: str, opts: ReadOptions) -> Iterator[Document]:
    limit = opts.max_doc_bytes
    for lineno, raw in enumerate(_lines(fh, limit), start=1):
        where = f"{origin}:{lineno}"
        line, overflow = raw
        if overflow:
            yield _failed(where, where, Code.TOO_LARGE, f"line {lineno} is larger than the {limit:,}-byte limit; skipped")
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8-sig", errors="strict"))
        except UnicodeDecodeError as exc:
            yield _failed(where, where, Code.NOT_JSON, f"line {lineno} is not UTF-8 JSON: {exc.reason} at byte {exc.start}")
            continue
        except json.JSONDecodeError as exc:
            yield _failed(where, where, Code.NOT_JSON, f"line {lineno} is not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        except RecursionError:  # json.loads recurses per level: "[[[[…" a few thousand deep
            yield _failed(where, where, Code.NOT_JSON, f"line {lineno} is JSON nested too deeply to read")
            continue
        if not isinstance(record, dict):
            yield _failed(where, where, Code.NOT_JSON, f"line {lineno} is JSON but not an object")
            continue
        yield _from_record(record, where, opts)


def _lines(fh: IO[bytes], limit: int) -> Iterator[tuple[bytes, bool]]:
    """Lines of at most ``limit`` bytes; longer ones are drained and flagged, never held."""
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # drain the rest of the over-long line in bounded chunks
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield b"", True
            continue
        yield line, False


def _from_record(record: dict[str, Any], where: str, opts: ReadOptions) -> Document:
    raw_id = record.get("id")
    doc_id = str(raw_id) if raw_id not in (None, "") else where
    content = record.get("text")
    is_html = False
    if not isinstance(content, str) or content == "":
        if isinstance(record.get("html"), str) and record["html"]:
            content, is_html = record["html"], True
    missing = [k for k, ok in (("id", raw_id not in (None, "")), ("text", isinstance(content, str) and content != "")) if not ok]
    if missing:
        return _failed(doc_id, where, Code.MISSING_FIELD, f"record at {where} lacks required field(s): {', '.join(missing)}", _metadata(record))
    assert isinstance(content, str)
    data = content.encode("utf-8", errors="surrogatepass")
    if len(data) > opts.max_doc_bytes:
        return build_document(doc_id, where, data, is_html, record, opts)
    return _finish(doc_id, where, content, is_html, record, [])


def build_document(doc_id: str, origin: str, data: bytes, is_html: bool, fields: dict[str, Any], opts: ReadOptions) -> Document:
    errors: list[DocError] = []
    if len(data) > opts.max_doc_bytes:
        cut = data.rfind(b"\n", 0, opts.max_doc_bytes)
        data = data[: cut if cut > 0 else opts.max_doc_bytes]
        errors.append(DocError(str(Code.TOO_LARGE), f"document larger than {opts.max_doc_bytes:,} bytes; only the first {len(data):,} bytes were read", "reader"))
    try:
        decoded = decode_bytes(data)
    except BinaryContent as exc:
        return _failed(doc_id, origin, Code.BINARY, f"{origin}: {exc}", _metadata(fields))
    if decoded.warning:
        errors.append(DocError(str(decoded.warning[0]), decoded.warning[1], "reader"))
    return _finish(doc_id, origin, decoded.text, is_html, fields, errors)


def _finish(doc_id: str, origin: str, text: str, is_html: bool, fields: dict[str, Any], errors: list[DocError]) -> Document:
    meta = _metadata(fields)
    hints: tuple = ()
    if is_html:
        try:
            extracted = extract_html(text, url=meta.url)
        except (HtmlExtractionError, ValueError) as exc:
            return _failed(doc_id, origin, Code.HTML_EXTRACTION, f"{origin}: {exc}", meta)
        text, hints = extracted.text, extracted.hints
        meta = Metadata(
            title=meta.title or extracted.title,
            author=meta.author or extracted.author,
            published=meta.published or extracted.date,
            source=meta.source or extracted.sitename,
            url=meta.url or extracted.url,
            language=meta.language,
            extra=meta.extra,
        )
    if not text.strip():
        errors.append(DocError(str(Code.EMPTY), "empty document: no text to analyse", "reader"))
    return Document(doc_id=doc_id, text=text, metadata=meta, is_html=is_html, origin=origin, hints=hints, errors=tuple(errors))


def _metadata(fields: dict[str, Any]) -> Metadata:
    def s(key: str) -> str | None:
        v = fields.get(key)
        if v in (None, ""):
            return None
        return strip_credentials(str(v)) if key == "url" else str(v)  # a `user:pass@` in a URL is never kept

    extra = tuple((k, v) for k, v in fields.items() if k not in _RESERVED)
    return Metadata(**{k: s(k) for k in _META_KEYS}, extra=extra)
