"""Credentials out of URLs before they are stored, printed or logged.

``strip_credentials`` drops the ``user:password@`` part of a URL (for what is
stored: a document's id, origin and metadata URL); ``mask_credentials`` keeps
the user name and masks the password (``user:***@``) for messages;
``redact_text`` masks every URL with credentials inside a longer message.
"""

from __future__ import annotations

import re
from typing import overload
from urllib.parse import urlsplit, urlunsplit

# scheme://userinfo@ — userinfo is everything up to the last "@" before the host part.
_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?P<userinfo>[^/?#\s@]*(?:@[^/?#\s@]*)*)@")


def _split(url: str):
    try:
        return urlsplit(url)
    except ValueError:  # e.g. an invalid IPv6 literal: fall back to the pattern
        return None


@overload
def strip_credentials(url: str) -> str: ...
@overload
def strip_credentials(url: None) -> None: ...
def strip_credentials(url: str | None) -> str | None:
    """``url`` without any ``user[:password]@`` part (None stays None)."""
    if not isinstance(url, str) or "@" not in url:
        return url
    parts = _split(url)
    if parts is None or "@" not in parts.netloc:
        return _USERINFO.sub(r"\g<scheme>", url, count=1)
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def mask_credentials(url: str) -> str:
    """``url`` with the password replaced by ``***`` (the user name kept, for messages)."""
    if not isinstance(url, str) or "@" not in url:
        return url
    return _USERINFO.sub(lambda m: m["scheme"] + _mask(m["userinfo"]) + "@", url, count=1)


def _mask(userinfo: str) -> str:
    user, sep, _ = userinfo.partition(":")
    return f"{user}:***" if sep else user


def redact_text(text: str) -> str:
    """Every ``scheme://user:password@`` in ``text`` masked."""
    if not isinstance(text, str) or "@" not in text:
        return text
    return _USERINFO.sub(lambda m: m["scheme"] + _mask(m["userinfo"]) + "@", text)


def redact_url(url: str) -> str:
    """One URL for a message (``--db postgresql://user:***@host/db``): :func:`mask_credentials`."""
    return mask_credentials(url)


def is_web_url(url: str | None) -> bool:
    """True for an ``http://``/``https://`` URL with a host: the only kind kept as a source link (never ``javascript:``, ``data:``, ``file:``)."""
    if not isinstance(url, str) or not url:
        return False
    parts = _split(url.strip())
    if parts is None:
        return False
    try:
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host)

