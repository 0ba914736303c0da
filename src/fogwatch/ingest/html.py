"""HTML to text with trafilatura, keeping title, author, date, site name and comments.

The returned text is laid out as ``title \\n\\n body \\n\\n comments`` and the
reader passes the title and comments ranges on as section *hints*, since
markup tells us exactly where they are.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from fogwatch.records import Section


@dataclass(frozen=True, slots=True)
class ExtractedHtml:
    text: str
    title: str | None
    author: str | None
    date: str | None
    sitename: str | None
    url: str | None
    hints: tuple[Section, ...]


class HtmlExtractionError(ValueError):
    pass


def extract_html(html: str, url: str | None = None) -> ExtractedHtml:
    import trafilatura  # heavy import (lxml, justext, htmldate): only when HTML arrives

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lxml FutureWarnings inside trafilatura
        result = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=True, include_tables=True, favor_recall=True
        )
    if result is None:
        raise HtmlExtractionError("trafilatura found no main text in the HTML")
    get = (lambda k: result.get(k)) if isinstance(result, dict) else (lambda k: getattr(result, k, None))
    title = (get("title") or "").strip() or None
    body = (get("text") or "").strip()
    comments = (get("comments") or "").strip()

    parts: list[str] = []
    hints: list[Section] = []
    pos = 0
    if title and not body.startswith(title):
        parts.append(title)
        hints.append(Section(0, len(title), "title", reason="html <title>"))
        pos = len(title) + 2
    elif title:
        hints.append(Section(0, len(title), "title", reason="html heading"))
    parts.append(body)
    pos += len(body)
    if comments:
        start = pos + 2
        parts.append(comments)
        hints.append(Section(start, start + len(comments), "comments", reason="html comment markup"))
    return ExtractedHtml(
        text="\n\n".join(parts),
        title=title,
        author=get("author"),
        date=get("date"),
        sitename=get("sitename"),
        url=get("url") or url,
        hints=tuple(hints),
    )
