"""A stored report's sections, places and slant, which the store does not keep: the installed pipeline run again on
the stored text (the offsets are into that text, as the stored evidence offsets are).

The result is what *this* fogwatch's pipeline reads in the text today; the events the store holds came from the
pipeline that ingested the report, and the answer says so. One pipeline per server, built on first use and used one
report at a time; the last answers are kept in memory.
"""

from __future__ import annotations

import io
import json
import threading
from collections import OrderedDict
from typing import Any

CACHE_SIZE = 128


class Analyzer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pipeline: Any = None
        self._cache: OrderedDict[str, dict[str, Any]] = OrderedDict()

    def pipeline(self) -> Any:
        """The default pipeline, built once (ingest shares it); call with the lock held."""
        if self._pipeline is None:
            from fogwatch.pipeline import default_pipeline

            self._pipeline = default_pipeline()
        return self._pipeline

    @property
    def lock(self) -> threading.Lock:
        return self._lock

    def analyse(self, report: dict[str, Any]) -> dict[str, Any]:
        """Sections, places, slant and events of a stored report (``read.report``'s dict), in the extract contract's shapes."""
        key = report["doc_key"]
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            nlp = self.pipeline()
            result = _run(nlp, report)
            self._cache[key] = result
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
            return result


def _run(nlp: Any, report: dict[str, Any]) -> dict[str, Any]:
    from fogwatch.contract import to_record
    from fogwatch.ingest.repair import repair_document
    from fogwatch.ingest.sources import ReadOptions, iter_documents

    line = {"id": report["doc_id"], "text": report["text"]}
    for k in ("published", "source", "url", "title"):
        if report.get(k):
            line[k] = report[k]
    stdin = io.BytesIO((json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8", errors="surrogatepass"))
    docs = [repair_document(d) for d in iter_documents(["-"], stdin=stdin, options=ReadOptions())]
    doc = next(iter(nlp.pipe(docs)))
    record = to_record(doc)
    return {
        "doc_key": report["doc_key"],
        "pipeline": list(nlp.names),
        "note": "recomputed from the stored text by this fogwatch's pipeline; the stored events came from the pipeline that ingested it",
        "sections": record["sections"],
        "places": record["places"],
        "slant": record["slant"],
        "events": record["events"],
        "errors": record["errors"],
    }
