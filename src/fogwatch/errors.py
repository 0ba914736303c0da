"""fogwatch's exception hierarchy and numbered error codes.

Hierarchy (everything a caller needs to catch is a :class:`FogwatchError`)::

    FogwatchError
    ├── UsageError          bad arguments or configuration; the CLI exits with 2
    ├── PipelineError       a pipeline that cannot be built (missing inputs, unknown stage)
    ├── InputError          one document could not be read; recorded in its ``errors``
    └── ModelError          a trained artefact that is missing or corrupt (the rules answer instead)

Codes are stable strings ("E101"). They appear in a document's ``errors`` and
in messages, so users can search for them. ``E1xx`` are input problems,
``E2xx`` pipeline/stage problems, ``E3xx`` usage problems, ``E7xx`` trained models.
"""

from __future__ import annotations

from enum import Enum


class Code(str, Enum):
    # E1xx: reading a document
    EMPTY = "E101"
    BINARY = "E102"
    NOT_JSON = "E103"
    MISSING_FIELD = "E104"
    UNSUPPORTED_TYPE = "E105"
    DECODE_FALLBACK = "E106"
    TOO_LARGE = "E107"
    UNREADABLE = "E108"
    HTML_EXTRACTION = "E109"
    BAD_METADATA = "E110"
    CHARS_REPAIRED = "E111"
    BAD_PUBLISHED = "E112"
    URL_DROPPED = "E113"
    STORE_REFUSED = "E114"
    # E2xx: the pipeline
    STAGE_FAILED = "E201"
    MISSING_REQUIREMENT = "E202"
    UNKNOWN_STAGE = "E203"
    DUPLICATE_STAGE = "E204"
    WORKER_DIED = "E205"  # the worker process analysing a document died, also when it was retried alone
    STAGE_SETTINGS = "E206"  # settings given to a stage that does not take them
    STAGE_MODULE_MISSING = "E207"  # a built-in stage's module is not installed (a broken installation)
    # E3xx: usage
    NO_SUCH_PATH = "E301"
    BAD_OPTION = "E302"
    STDIN_IS_TTY = "E303"
    # E4xx: the gazetteer and place resolution (fogwatch.places)
    GAZETTEER_SOURCE = "E401"
    GAZETTEER_DOWNLOAD = "E402"
    GAZETTEER_CHECKSUM = "E403"
    GAZETTEER_INDEX = "E404"
    GAZETTEER_TOO_LARGE = "E405"  # a download or a zip member over its size cap
    GAZETTEER_WRITE = "E406"  # a download could not be written (disk full, no permission); no .part file left
    GAZETTEER_CORRUPT = "E407"  # a zip member that fails to decompress or its CRC check
    GAZETTEER_FIELD = "E408"  # a CSV field or dump line over the length limit
    GAZETTEER_MOVED_ID = "E409"  # a dump row that would move an existing GeoNames id: skipped without --replace
    PLACE_TABLES = "E410"  # a place-roles or ACLED admin-name YAML file (data/places/) that is invalid
    # E5xx: the corpus store and fetching (fogwatch.store, fogwatch.ingest.fetch)
    STORE_UNREACHABLE = "E501"
    STORE_TOO_NEW = "E502"
    STORE_NO_POSTGIS = "E503"
    FETCH_FAILED = "E504"
    FETCH_NOT_TEXT = "E505"
    OUTLET_REGISTRY = "E506"
    FETCH_BLOCKED = "E513"  # an address refused by the fetch policy (loopback, private, link-local, ...)
    FETCH_REDIRECTS = "E514"  # a redirect loop, too many redirects, or a redirect to a non-HTTP URL
    FETCH_TOO_LARGE = "E515"  # a fetched body over the size cap
    FETCH_DEADLINE = "E516"  # a fetch past its overall deadline
    FETCH_BAD_BODY = "E517"  # a body that cannot be decoded (e.g. falsely labelled gzip) or a broken HTTP exchange
    FEED_REFUSED = "E518"  # a feed the defused XML parser refuses (entity declarations, external references)
    FETCH_BAD_URL = "E519"  # not an http(s) URL, or an invalid one
    NOT_A_STORE = "E507"
    EXPORT_WRITE = "E508"
    STORE_BUSY = "E509"
    STORE_FAULT = "E510"  # the store failed under the command (missing table, corrupt file, read-only, server gone, disk full)
    # E6xx: events and claims (fogwatch.events)
    ACTOR_REGISTRY = "E601"
    LEXICON = "E602"
    CLAIMANT_REGISTRY = "E603"  # a claimant registry file (data/claimants, $FOGWATCH_CLAIMANTS) that is invalid
    # E7xx: trained models (fogwatch.learn)
    MODEL_MISSING = "E701"  # a model artefact that is not there; the rules answer instead
    MODEL_CORRUPT = "E702"  # a model artefact that cannot be read or fails its checksum; the rules answer instead
    MODEL_RUNTIME = "E703"  # a model artefact whose run-time library (onnxruntime, tokenizers) is not installed; the rules answer instead
    # E710-E719: the slant stage (fogwatch.slant)
    SLANT_MODEL_MISSING = "E710"  # the slant model artefact is not there: the document gets no slant, the pipeline goes on
    SLANT_MODEL_CORRUPT = "E711"  # the slant model artefact cannot be read or fails its checksum: no slant, the pipeline goes on
    SLANT_LEXICON = "E712"  # a slant cue file (data/slant/*.yaml or a user's) is invalid
    SLANT_ENCODER_MISSING = "E713"  # the contextual slant tagger's artefact (models/slant_encoder) is not there: the CRF alone tags, the pipeline goes on
    SLANT_ENCODER_CORRUPT = "E714"  # the contextual slant tagger's artefact cannot be read or fails its checksum: the CRF alone tags
    SLANT_ENCODER_RUNTIME = "E715"  # onnxruntime or tokenizers is not installed for the contextual slant tagger: the CRF alone tags
    SLANT_STATIC_MISSING = "E716"  # the static-vector slant tagger's artefact (models/slant_static) is not there: the CRF alone tags, the pipeline goes on
    SLANT_STATIC_CORRUPT = "E717"  # the static-vector slant tagger's artefact cannot be read or fails its checksum: the CRF alone tags
    SLANT_STATIC_RUNTIME = "E718"  # onnxruntime or tokenizers is not installed for the static-vector slant tagger: the CRF alone tags
    # E801-E819: the workbench server (fogwatch serve)
    API_BAD_REQUEST = "E801"  # a query parameter or request body the API refuses (HTTP 400/422)
    API_NOT_FOUND = "E802"  # no such event, report or route (HTTP 404)
    API_UNAUTHORIZED = "E803"  # a write endpoint without the right bearer token (HTTP 401)
    API_READ_ONLY = "E804"  # a write endpoint on a server started without FOGWATCH_TOKEN (HTTP 403)
    API_TOO_LARGE = "E805"  # a request body over the size limit (HTTP 413)
    API_TIMEOUT = "E806"  # a request past the time limit (HTTP 503)
    API_STORE_FAULT = "E807"  # the store failed under a request (HTTP 503), in one line without SQL
    API_METHOD = "E808"  # a method the route does not take (HTTP 405)
    SERVE_OPTION = "E809"  # `fogwatch serve`: an address that cannot be bound, or a token that is too short
    API_INTERNAL = "E810"  # an unexpected failure inside the server (HTTP 500); the server goes on
    # E9xx: the command line and packaging (fogwatch.cli)
    DB_SCHEME = "E901"  # --db names a database fogwatch cannot use (mysql://, ...)
    DATASETTE_METADATA = "E902"  # data/datasette/metadata.yaml does not match the store's tables
    EXPORT_PLUGIN = "E903"  # an export format plugin (entry point group fogwatch.export) that cannot be loaded or is no Writer
    MISSING_EXTRA = "E904"  # a feature whose optional dependency is not installed (pandas: pip install 'fogwatch[pandas]')

    def __str__(self) -> str:  # "E101", not "Code.EMPTY"
        return self.value


class FogwatchError(Exception):
    """Base class of every error fogwatch raises on purpose."""

    code: Code | None = None

    def __init__(self, message: str, code: Code | None = None) -> None:
        if code is not None:
            self.code = code
        prefix = f"[{self.code}] " if self.code else ""
        super().__init__(prefix + message)
        self.message = message


class UsageError(FogwatchError):
    """The caller asked for something that cannot be done as asked (CLI exit code 2)."""

    code = Code.BAD_OPTION


class PipelineError(FogwatchError):
    """A pipeline configuration that cannot run, found when it is built."""

    code = Code.MISSING_REQUIREMENT


class InputError(FogwatchError):
    """One document could not be read; the batch goes on."""

    code = Code.UNREADABLE


class ModelError(FogwatchError):
    """A trained artefact that is missing or cannot be read; callers fall back to the rules."""

    code = Code.MODEL_CORRUPT
