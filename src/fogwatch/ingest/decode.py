"""Bytes to text: the documented fallback chain.

1. A byte-order mark decides: UTF-8 (BOM dropped), UTF-16 LE/BE, UTF-32.
2. Strict UTF-8.
3. cp1252 (Windows Western), the usual encoding of mislabelled news text;
   the document records ``E106`` so the user knows a fallback decided.
4. Bytes cp1252 cannot map (0x81, 0x8D, 0x8F, 0x90, 0x9D) become U+FFFD via
   UTF-8 with replacement, also recorded.

Binary content (NUL bytes or many control characters in the first 8 KiB) is
refused with ``E102`` rather than decoded into garbage.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from fogwatch.errors import Code

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL = frozenset(range(0, 32)) - {9, 10, 12, 13, 27}


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    # Set when a fallback decided: (code, human reason).
    warning: tuple[Code, str] | None = None


class BinaryContent(ValueError):
    pass


def looks_binary(head: bytes) -> bool:
    """NUL bytes or >10% control characters in the sample: not text."""
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b in _CONTROL)
    return controls / len(head) > 0.10


def decode_bytes(data: bytes) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(encoding), encoding)
            except UnicodeDecodeError:
                text = data[len(bom) :].decode(encoding, errors="replace")
                return Decoded(text, encoding, (Code.DECODE_FALLBACK, f"invalid {encoding} after its BOM; bad bytes replaced with U+FFFD"))
    if looks_binary(data[:8192]):
        raise BinaryContent("binary content (NUL bytes or control characters), not text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        where = exc.start
    try:
        return Decoded(data.decode("cp1252"), "cp1252", (Code.DECODE_FALLBACK, f"not valid UTF-8 (byte {where}); decoded as cp1252"))
    except UnicodeDecodeError:
        return Decoded(
            data.decode("utf-8", errors="replace"),
            "utf-8",
            (Code.DECODE_FALLBACK, f"neither UTF-8 nor cp1252 (byte {where}); bad bytes replaced with U+FFFD"),
        )
