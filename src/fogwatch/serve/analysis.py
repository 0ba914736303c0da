"""A stored report's sections and places, which the store does not keep: the installed pipeline run again on the
stored text (the offsets are into that text, as the stored evidence offsets are). Slant comes from the store's
``slant_spans`` when it holds the report's spans (the pipeline then runs without its slant stage); only for a report
without stored spans does the slant stage run again.

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
        self._without_slant: Any = None
        self._cache: OrderedDict[str, dict[str, Any]] = OrderedDict()

    def pipeline(self) -> Any:
        """The default pipeline, built once (ingest shares it); call with the lock held."""
        if self._pipeline is None:
            from fogwatch.pipeline import default_pipeline

            self._pipeline = default_pipeline()
        return self._pipeline

    def pipeline_without_slant(self) -> Any:
        """The default pipeline less its slant stage (for reports whose slant the store keeps); call with the lock held."""
        if self._without_slant is None:
            full = self.pipeline()
            if "slant" not in full.names:
                self._without_slant = full
            else:
                from fogwatch.pipeline import Pipeline

                self._without_slant = Pipeline([n for n in full.names if n != "slant"], {k: v for k, v in full.config.items() if k != "slant"})
        return self._without_slant

    @property
    def lock(self) -> threading.Lock:
        return self._lock

    def analyse(self, report: dict[str, Any], stored_slant: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """Sections, places, slant and events of a stored report (``read.report``'s dict), in the extract contract's shapes.

        ``stored_slant``: the report's spans as the store keeps them (``store.slant.report_slant``); given, they are the
        answer's slant and the slant stage does not run; ``None``, the slant stage reads the text again.
        """
        key = report["doc_key"]
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            if stored_slant is None:
                result = _run(self.pipeline(), report)
            else:
                result = _run(self.pipeline_without_slant(), report)
                result["slant"] = list(stored_slant)
                result["note"] += "; the slant spans are the ones stored with the report"
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
