"""More places for the gazetteer: GeoNames dumps, alternate names, an analyst's CSV.

``add_source(index, "SY.zip")`` accepts

- a GeoNames country dump or ``allCountries`` (``.zip`` or the ``.txt`` inside);
- ``alternateNamesV2`` (``.zip`` or ``.txt``): more names for places already loaded;
- a CSV with a header ``name,lat,lon,country,admin1,aliases`` (aliases separated by
  ``;`` or ``|``), e.g. an OCHA populated-places list;
- an ``http(s)://`` URL to any of these, downloaded with retries and checked
  against the announced size (and a SHA-256 when one is given);
- a GeoNames dump by name: ``SY`` (a country code), ``allCountries``,
  ``alternateNamesV2`` (fetched from download.geonames.org).
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import sqlite3
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Callable, Iterator, cast

import httpx

from fogwatch.checksum import sha256_file
from fogwatch.errors import Code, FogwatchError
from fogwatch.geo import haversine_km
from fogwatch.places.gazetteer import Entry, Gazetteer, IndexWriter, is_latin, strip_admin_suffix
from fogwatch.places.keys import name_key
from fogwatch.redact import redact_url, strip_credentials

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

log = logging.getLogger(__name__)

GEONAMES_DUMP_URL = "https://download.geonames.org/export/dump/"
# A source given by name ("SY", "allCountries", "alternateNamesV2") is fetched from
# GeoNames; FOGWATCH_GEONAMES_URL points elsewhere (a mirror, or a test server).
_DUMP_NAME = re.compile(r"^(?:[A-Z]{2}|allCountries|cities\d+|alternateNamesV2)$")


def geonames_url(name: str) -> str:
    base = os.environ.get("FOGWATCH_GEONAMES_URL") or GEONAMES_DUMP_URL
    return base.rstrip("/") + "/" + name + ".zip"
# GeoNames feature classes worth matching in news text: populated places,
# administrative areas, regions, mountains, water. Spots (S), roads (R),
# undersea (U) and vegetation (V) are left out: they mostly add noise.
_KEEP_CLASSES = frozenset("PALTH")
# alternateNamesV2 "languages" that are codes or links, not names.
_NOT_NAMES = frozenset("link post iata icao faac abbr wkdt fr_1793 unlc tcid".split())


class SourceError(FogwatchError):
    code = Code.GAZETTEER_SOURCE


class DownloadError(FogwatchError):
    code = Code.GAZETTEER_DOWNLOAD


class ChecksumError(FogwatchError):
    code = Code.GAZETTEER_CHECKSUM


@dataclass(frozen=True, slots=True)
class AddResult:
    source: str
    kind: str  # "geonames" | "alternate-names" | "csv"
    places: int
    names: int
    moved_skipped: int = 0  # dump rows that would move an existing GeoNames id, left out without replace=True (E409)


# --- downloading -----------------------------------------------------------------

# Caps on what a download or an archive may cost. GeoNames' largest file, allCountries.zip, is about
# 400 MB (1.6 GB unzipped); the defaults leave room for growth and stop a hostile or broken server.
DEFAULT_MAX_DOWNLOAD_BYTES = 2 << 30  # E405 past it
DEFAULT_DOWNLOAD_DEADLINE_S = 3600.0  # wall clock for one attempt, every byte included (E402 past it)
DEFAULT_MAX_MEMBER_BYTES = 4 << 30  # one file inside a zip, decompressed (E405 past it)
MAX_LINE_CHARS = 1 << 20  # one dump line (a GeoNames row is under 10 kB) (E408 past it)
CSV_FIELD_LIMIT = 131_072  # Python's csv default, kept: a longer field is an E408, never a traceback


def download(
    url: str,
    dest_dir: Path,
    *,
    sha256: str | None = None,
    expected_size: int | None = None,
    retries: int = 4,
    backoff_s: float = 1.0,
    client: httpx.Client | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    max_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES,
    deadline_s: float = DEFAULT_DOWNLOAD_DEADLINE_S,
) -> Path:
    """Fetch ``url`` into ``dest_dir`` and return the file.

    Retries transport errors and 5xx/429 answers with exponential back-off; a body
    shorter or longer than its Content-Length (or ``expected_size``) is retried,
    then refused; a SHA-256 mismatch is refused at once. A ``.zip`` must open.
    A body over ``max_bytes`` (announced or counted) is refused (E405); an attempt
    past ``deadline_s`` of wall clock fails (E402); a file that cannot be written
    (disk full) fails at once (E406). The ``.part`` file is removed on every failure.
    """
    try:
        dest_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"cannot create the download folder {dest_dir}: {exc.strerror}", Code.GAZETTEER_WRITE) from None
    name = url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] or "download"
    dest = dest_dir / name
    part = dest.with_name(dest.name + ".part")
    own_client = client is None
    client = client or httpx.Client(follow_redirects=True, timeout=httpx.Timeout(30.0, read=120.0))
    shown = redact_url(url)
    last_error = "no attempt made"
    try:
        for attempt in range(1, retries + 1):
            try:
                _fetch_to(client, url, part, shown, expected_size, max_bytes, deadline_s, progress)
                if sha256:
                    digest = sha256_file(part)
                    if digest != sha256.lower():
                        raise ChecksumError(f"{shown}: SHA-256 {digest} does not match the expected {sha256}")
                if name.lower().endswith(".zip") and not zipfile.is_zipfile(part):
                    raise _Retry("the file is not a readable zip archive")
                part.replace(dest)
                return dest
            except (_Retry, httpx.TransportError) as exc:
                last_error = str(exc) if isinstance(exc, _Retry) else f"{type(exc).__name__}: {exc}"
                part.unlink(missing_ok=True)
                if attempt < retries:
                    wait = backoff_s * 2 ** (attempt - 1)
                    log.warning("download of %s failed (%s); retrying in %.1fs", shown, last_error, wait)
                    time.sleep(wait)
            except OSError as exc:  # writing the .part file: disk full, quota, no permission
                raise DownloadError(f"cannot write {part}: {exc.strerror or exc}; the partial file was removed",
                                    Code.GAZETTEER_WRITE) from None
            except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:  # decoding, redirects, bad URL: not worth retrying
                raise DownloadError(f"cannot download {shown}: {type(exc).__name__}: {exc}") from None
        raise DownloadError(f"cannot download {shown} after {retries} attempts: {last_error}")
    finally:
        part.unlink(missing_ok=True)  # on success it was renamed already; on any failure nothing partial stays
        if own_client:
            client.close()


def _fetch_to(client: httpx.Client, url: str, part: Path, shown: str, expected_size: int | None, max_bytes: int,
              deadline_s: float, progress: Callable[[int, int | None], None] | None) -> None:
    """One attempt: stream ``url`` into ``part`` under the size cap and the deadline."""
    started = time.monotonic()
    with client.stream("GET", url) as response:
        if response.status_code == 429 or response.status_code >= 500:
            raise _Retry(f"HTTP {response.status_code}")
        if response.status_code != 200:
            raise DownloadError(f"cannot download {shown}: HTTP {response.status_code}")
        announced = response.headers.get("content-length", "")
        want = expected_size if expected_size is not None else (int(announced) if announced.isdigit() else None)
        if want is not None and want > max_bytes:
            raise DownloadError(f"{shown} is {want:,} bytes, over the {max_bytes:,}-byte download limit", Code.GAZETTEER_TOO_LARGE)
        got = 0
        with open(part, "wb") as fh:
            for chunk in response.iter_bytes():  # as received: a chunk size would buffer past the deadline
                got += len(chunk)
                if got > max_bytes:
                    raise DownloadError(f"{shown} is larger than the {max_bytes:,}-byte download limit", Code.GAZETTEER_TOO_LARGE)
                fh.write(chunk)
                if progress:
                    progress(got, want)
                if time.monotonic() - started > deadline_s:
                    raise DownloadError(f"cannot download {shown}: not finished within {deadline_s:g}s ({got:,} bytes so far)")
        if want is not None and got != want:
            raise _Retry(f"got {got} bytes, expected {want}")


class _Retry(Exception):
    pass


# --- reading sources -------------------------------------------------------------


class _Capped(io.RawIOBase):
    """A zip member's bytes, counted as they are decompressed: past ``limit`` it is an E405, whatever the header claimed."""

    def __init__(self, raw: io.BufferedIOBase, limit: int, label: str) -> None:
        self._raw, self._limit, self._label, self.total = raw, limit, label, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        n = self._raw.readinto(buffer)
        self.total += n or 0
        if self.total > self._limit:
            raise SourceError(f"{self._label} decompresses to more than {self._limit:,} bytes", Code.GAZETTEER_TOO_LARGE)
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


# What a damaged or hostile archive raises while it is read: a bad CRC (BadZipFile), a broken deflate
# stream (zlib.error, EOFError), an encrypted or unsupported member (RuntimeError, NotImplementedError).
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError, OSError)


def _open_text(path: Path, max_member_bytes: int = DEFAULT_MAX_MEMBER_BYTES) -> tuple[str, Iterator[str]]:
    """(member name, lines) of a .txt/.csv file or of the main .txt inside a .zip, streamed with bounded lines."""
    if path.suffix.lower() == ".zip":
        try:
            zf = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise SourceError(f"{path} is not a readable zip archive") from None
        except _ZIP_ERRORS as exc:
            raise SourceError(f"{path} is not a readable zip archive: {exc}") from None
        members = [m for m in zf.namelist() if m.lower().endswith((".txt", ".csv")) and not m.lower().startswith(("readme", "iso-language"))]
        if not members:
            raise SourceError(f"{path}: no .txt or .csv file inside the archive")
        member = max(members, key=lambda m: zf.getinfo(m).file_size)
        label = f"{path.name}:{member}"
        if zf.getinfo(member).file_size > max_member_bytes:
            raise SourceError(f"{label} is {zf.getinfo(member).file_size:,} bytes unzipped, over the {max_member_bytes:,}-byte limit",
                              Code.GAZETTEER_TOO_LARGE)
        try:
            raw = cast(zipfile.ZipExtFile, zf.open(member))  # what ZipFile.open returns; typeshed says IO[bytes]
        except _ZIP_ERRORS as exc:
            raise SourceError(f"{label} cannot be read from the archive: {exc}", Code.GAZETTEER_CORRUPT) from None
        binary = io.BufferedReader(_Capped(raw, max_member_bytes, label), 1 << 16)
        stream = io.TextIOWrapper(binary, encoding="utf-8", errors="replace", newline="")
        return member, _bounded_lines(stream, label, zipped=True)
    try:
        return path.name, _bounded_lines(open(path, encoding="utf-8", errors="replace", newline=""), path.name, zipped=False)
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror}") from None


def _bounded_lines(stream: IO[str], label: str, zipped: bool) -> Iterator[str]:
    """Lines of at most :data:`MAX_LINE_CHARS`; a damaged archive or an over-long line is a coded SourceError, never a traceback."""
    try:
        while True:
            line = stream.readline(MAX_LINE_CHARS + 1)
            if not line:
                return
            if len(line) > MAX_LINE_CHARS:
                raise SourceError(f"{label}: a line longer than {MAX_LINE_CHARS:,} characters; not a gazetteer file", Code.GAZETTEER_FIELD)
            yield line
    except SourceError:
        raise
    except _ZIP_ERRORS as exc:
        if zipped:
            raise SourceError(f"{label}: the archive is damaged ({exc}); nothing from it was kept", Code.GAZETTEER_CORRUPT) from None
        raise SourceError(f"cannot read {label}: {exc}") from None
    finally:
        stream.close()


_FEATURE_OF_CODE = {"ADM1": "admin1", "ADM2": "admin2"}


def _feature(fclass: str, fcode: str) -> str:
    if fclass == "P":
        return "town"
    if fclass == "A":
        if fcode.startswith("PCL"):
            return "country"
        return _FEATURE_OF_CODE.get(fcode, "region")
    return "region"


# A row "moves" a place already in the index when it puts the same GeoNames id in another country or
# this far away: e.g. a hand-edited or hostile dump turning Saraqib's id into a town in Australia.
MOVE_KM = 25.0


def _moves(conn: sqlite3.Connection, gid: int, cc: str | None, lat: float, lon: float) -> tuple[str, str | None] | None:
    """(name, country) of the place ``gid`` names in the index when the row would move it; None otherwise."""
    row = conn.execute("SELECT name, cc, lat, lon FROM place WHERE id = ?", (gid,)).fetchone()
    if row is None:
        return None
    name, old_cc, old_lat, old_lon = row
    if (old_cc or None) != cc and old_cc and cc:
        return name, old_cc
    if old_lat is not None and old_lon is not None and haversine_km(old_lat, old_lon, lat, lon) > MOVE_KM:
        return name, old_cc
    return None


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def _add_geonames(writer: IndexWriter, lines: Iterator[str], origin: str, replace: bool = False) -> tuple[int, int]:
    """Rows of a GeoNames dump (19 tab-separated columns): (rows kept, rows skipped because they would move a known id)."""
    rows = moved = 0
    for lineno, line in enumerate(lines, 1):
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 15:
            raise SourceError(f"{origin}:{lineno}: expected a GeoNames dump row of 19 tab-separated columns, got {len(cols)}")
        try:
            gid, lat, lon, pop = int(cols[0]), float(cols[4]), float(cols[5]), int(cols[14] or 0)
        except ValueError:
            raise SourceError(f"{origin}:{lineno}: bad number in a GeoNames row") from None
        if not (_INT64_MIN <= gid <= _INT64_MAX and _INT64_MIN <= pop <= _INT64_MAX):  # SQLite's INTEGER (OverflowError before)
            raise SourceError(f"{origin}:{lineno}: a GeoNames id or population too large for the index")
        fclass, fcode, cc = cols[6], cols[7], cols[8] or None
        if fclass not in _KEEP_CLASSES:
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise SourceError(f"{origin}:{lineno}: coordinates out of range: {lat}, {lon}")
        if not replace:
            old = _moves(writer.conn, gid, cc, lat, lon)
            if old is not None:
                moved += 1
                if moved <= 5:
                    log.warning("%s:%d: [%s] skipped: would move GeoNames id %d (%s, %s) to %s %.4f,%.4f; give --replace to apply it",
                                origin, lineno, Code.GAZETTEER_MOVED_ID, gid, old[0], old[1] or "?", cc or "?", lat, lon)
                continue
        a1 = f"{cc}.{cols[10]}" if cc and cols[10] else None
        a2 = f"{a1}.{cols[11]}" if a1 and cols[11] else None
        feature = _feature(fclass, fcode)
        alts = [a for a in cols[3].split(",") if a and is_latin(a) and not any(ch.isdigit() for ch in a) and len(a) > 2]
        names = [cols[2], *alts]
        if feature in ("admin1", "admin2"):
            names += [strip_admin_suffix(cols[1]), strip_admin_suffix(cols[2])]
        writer.place(Entry(gid, cols[1], lat, lon, cc, a1, a2, pop, feature), names=names, primary_names=(cols[1],))
        rows += 1
    writer.flush()
    return rows, moved


def _add_alternate_names(conn: sqlite3.Connection, lines: Iterator[str], origin: str) -> int:
    """alternateNamesV2 rows: more names for places the index already has."""
    known = {r[0] for r in conn.execute("SELECT id FROM place WHERE id > 0")}
    batch: list[tuple[str, int, int]] = []
    added = 0
    for lineno, line in enumerate(lines, 1):
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 4:
            raise SourceError(f"{origin}:{lineno}: expected an alternateNames row (id, geonameid, language, name, …)")
        try:
            gid = int(cols[1])
        except ValueError:
            raise SourceError(f"{origin}:{lineno}: bad geonameid {cols[1]!r}") from None
        lang, name = cols[2], cols[3]
        if gid not in known or lang in _NOT_NAMES or not is_latin(name) or len(name) < 3:
            continue
        key = name_key(name)
        if key:
            batch.append((key, gid, 0))
        if len(batch) >= 50000:
            conn.executemany("INSERT OR IGNORE INTO name VALUES (?,?,?)", batch)
            added += len(batch)
            batch.clear()
    conn.executemany("INSERT OR IGNORE INTO name VALUES (?,?,?)", batch)
    return added + len(batch)


_CSV_FIELDS = ("name", "lat", "lon", "country", "admin1", "aliases")


def _add_csv(writer: IndexWriter, gazetteer: Gazetteer, lines: Iterator[str], origin: str) -> int:
    try:
        return _add_csv_rows(writer, gazetteer, lines, origin)
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise SourceError(f"{origin}: a field longer than {CSV_FIELD_LIMIT:,} characters; not a gazetteer CSV", Code.GAZETTEER_FIELD) from None
        raise SourceError(f"{origin}: not a readable CSV: {exc}") from None


def _add_csv_rows(writer: IndexWriter, gazetteer: Gazetteer, lines: Iterator[str], origin: str) -> int:
    if csv.field_size_limit() != CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.DictReader(lines)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [f for f in ("name", "lat", "lon") if f not in header]
    if missing:
        raise SourceError(f"{origin}: the CSV needs the columns {', '.join(_CSV_FIELDS)}; missing: {', '.join(missing)}")
    reader.fieldnames = header
    admin_by_key: dict[tuple[str, str], str] = {}
    for code, name in gazetteer.admin_names.items():
        if code.count(".") == 1:
            admin_by_key[(code.split(".")[0], name_key(strip_admin_suffix(name)))] = code
    next_id = min(0, gazetteer.conn.execute("SELECT MIN(id) FROM place").fetchone()[0] or 0) - 1
    rows = 0
    for lineno, row in enumerate(reader, 2):
        name = (row.get("name") or "").strip()
        if not name:
            continue
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except (TypeError, ValueError):
            raise SourceError(f"{origin}:{lineno}: lat/lon must be numbers, got {row.get('lat')!r}, {row.get('lon')!r}") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise SourceError(f"{origin}:{lineno}: coordinates out of range: {lat}, {lon}")
        cc = (row.get("country") or "").strip().upper() or None
        admin1 = (row.get("admin1") or "").strip()
        a1 = admin_by_key.get((cc or "", name_key(strip_admin_suffix(admin1)))) if admin1 else None
        if admin1 and a1 is None:
            a1 = "=" + admin1  # kept as written: the index has no such division
        aliases = [a.strip() for a in (row.get("aliases") or "").replace("|", ";").split(";") if a.strip()]
        writer.place(Entry(next_id, name, lat, lon, cc, a1, None, 0, "town"), names=aliases, primary_names=(name,))
        next_id -= 1
        rows += 1
    writer.flush()
    return rows


def add_source(
    index_path: Path,
    source: str,
    *,
    sha256: str | None = None,
    download_dir: Path | None = None,
    client: httpx.Client | None = None,
    backoff_s: float = 1.0,
    replace: bool = False,
    max_download_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES,
    max_member_bytes: int = DEFAULT_MAX_MEMBER_BYTES,
) -> AddResult:
    """Load ``source`` (a path or URL) into the index at ``index_path``.

    A GeoNames row that would move a place the index already has (another country, or more
    than :data:`MOVE_KM` away) is skipped and counted in ``moved_skipped`` unless ``replace``.
    Nothing from a source that fails part-way (a damaged zip, an over-long field) is kept.
    """
    if _DUMP_NAME.match(source) and not Path(source).exists():
        source = geonames_url(source)
    if source.startswith(("http://", "https://")):
        path = download(source, download_dir or index_path.parent / "downloads", sha256=sha256, client=client, backoff_s=backoff_s,
                        max_bytes=max_download_bytes)
    else:
        path = Path(source)
        if not path.exists():
            raise SourceError(f"no such file: {source} (give a GeoNames dump, alternateNamesV2, a CSV or a URL)")
        if sha256:
            try:
                digest = sha256_file(path)
            except OSError as exc:
                raise SourceError(f"cannot read {source}: {exc.strerror}") from None
            if digest != sha256.lower():
                raise ChecksumError(f"{source}: SHA-256 {digest} does not match the expected {sha256}")
    member, lines = _open_text(path, max_member_bytes)
    label = path.name
    shown = strip_credentials(source)
    gazetteer = Gazetteer(index_path, writable=True)
    conn = gazetteer.conn
    moved = 0
    try:
        before = conn.execute("SELECT COUNT(*) FROM name").fetchone()[0]
        lowered = member.lower()
        if lowered.startswith("alternatenames"):
            kind, places = "alternate-names", 0
            _add_alternate_names(conn, lines, member)
        elif lowered.endswith(".csv"):
            kind = "csv"
            places = _add_csv(IndexWriter(conn, label), gazetteer, lines, member)
        else:
            kind = "geonames"
            places, moved = _add_geonames(IndexWriter(conn, label), lines, member, replace=replace)
        if kind == "geonames":
            # Admin names of the dump's divisions, so "admin1" reads as a name, not a code.
            conn.execute(
                "INSERT OR IGNORE INTO admin SELECT COALESCE(admin2, admin1), name, id, ? FROM place "
                "WHERE source = ? AND feature IN ('admin1', 'admin2') AND COALESCE(admin2, admin1) IS NOT NULL",
                (label, label),
            )
        names = conn.execute("SELECT COUNT(*) FROM name").fetchone()[0] - before
        skipped = f", {moved} rows skipped that would move a known place ({Code.GAZETTEER_MOVED_ID})" if moved else ""
        conn.execute(
            "INSERT OR REPLACE INTO source VALUES (?,?,?)",
            (label, time.strftime("%Y-%m-%d"), f"{kind}: {places} places, {names} new names from {shown}{skipped}"),
        )
        conn.commit()
    except sqlite3.Error as exc:
        conn.rollback()
        raise SourceError(f"cannot write {shown} into the gazetteer index: {exc}") from None
    except BaseException:
        conn.rollback()  # a damaged archive or a bad row part-way: nothing from this source is kept
        raise
    finally:
        gazetteer.close()
    return AddResult(label, kind, places, names, moved)
