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
import hashlib
import io
import logging
import os
import re
import sqlite3
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import httpx

from fogwatch.errors import Code, FogwatchError
from fogwatch.places.gazetteer import Entry, Gazetteer, _Writer, _latin, strip_admin_suffix
from fogwatch.places.keys import name_key

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


# --- downloading -----------------------------------------------------------------


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
) -> Path:
    """Fetch ``url`` into ``dest_dir`` and return the file.

    Retries transport errors and 5xx/429 answers with exponential back-off; a body
    shorter or longer than its Content-Length (or ``expected_size``) is retried,
    then refused; a SHA-256 mismatch is refused at once. A ``.zip`` must open.
    """
    dest_dir.mkdir(parents=True, exist_ok=True)
    name = url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] or "download"
    dest = dest_dir / name
    part = dest.with_name(dest.name + ".part")
    own_client = client is None
    client = client or httpx.Client(follow_redirects=True, timeout=httpx.Timeout(30.0, read=120.0))
    last_error = "no attempt made"
    try:
        for attempt in range(1, retries + 1):
            try:
                with client.stream("GET", url) as response:
                    if response.status_code == 429 or response.status_code >= 500:
                        last_error = f"HTTP {response.status_code}"
                        raise _Retry()
                    if response.status_code != 200:
                        raise DownloadError(f"cannot download {url}: HTTP {response.status_code}")
                    announced = response.headers.get("content-length")
                    want = expected_size if expected_size is not None else (int(announced) if announced else None)
                    digest = hashlib.sha256()
                    got = 0
                    with open(part, "wb") as fh:
                        for chunk in response.iter_bytes(1 << 20):
                            fh.write(chunk)
                            digest.update(chunk)
                            got += len(chunk)
                            if progress:
                                progress(got, want)
                    if want is not None and got != want:
                        last_error = f"got {got} bytes, expected {want}"
                        raise _Retry()
                if sha256 and digest.hexdigest() != sha256.lower():
                    part.unlink(missing_ok=True)
                    raise ChecksumError(f"{url}: SHA-256 {digest.hexdigest()} does not match the expected {sha256}")
                if name.lower().endswith(".zip") and not zipfile.is_zipfile(part):
                    last_error = "the file is not a readable zip archive"
                    raise _Retry()
                part.replace(dest)
                return dest
            except (_Retry, httpx.TransportError) as exc:
                if isinstance(exc, httpx.TransportError):
                    last_error = f"{type(exc).__name__}: {exc}"
                part.unlink(missing_ok=True)
                if attempt < retries:
                    wait = backoff_s * 2 ** (attempt - 1)
                    log.warning("download of %s failed (%s); retrying in %.1fs", url, last_error, wait)
                    time.sleep(wait)
        raise DownloadError(f"cannot download {url} after {retries} attempts: {last_error}")
    finally:
        if own_client:
            client.close()


class _Retry(Exception):
    pass


# --- reading sources -------------------------------------------------------------


def _open_text(path: Path) -> tuple[str, Iterator[str]]:
    """(member name, lines) of a .txt/.csv file or of the main .txt inside a .zip."""
    if path.suffix.lower() == ".zip":
        try:
            zf = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise SourceError(f"{path} is not a readable zip archive") from None
        members = [m for m in zf.namelist() if m.lower().endswith((".txt", ".csv")) and not m.lower().startswith(("readme", "iso-language"))]
        if not members:
            raise SourceError(f"{path}: no .txt or .csv file inside the archive")
        member = max(members, key=lambda m: zf.getinfo(m).file_size)
        stream = io.TextIOWrapper(zf.open(member), encoding="utf-8", errors="replace", newline="")
        return member, iter(stream)
    try:
        return path.name, iter(open(path, encoding="utf-8", errors="replace", newline=""))
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror}") from None


_FEATURE_OF_CODE = {"ADM1": "admin1", "ADM2": "admin2"}


def _feature(fclass: str, fcode: str) -> str:
    if fclass == "P":
        return "town"
    if fclass == "A":
        if fcode.startswith("PCL"):
            return "country"
        return _FEATURE_OF_CODE.get(fcode, "region")
    return "region"


def _add_geonames(writer: _Writer, lines: Iterator[str], origin: str) -> int:
    """Rows of a GeoNames dump (19 tab-separated columns)."""
    rows = 0
    for lineno, line in enumerate(lines, 1):
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 15:
            raise SourceError(f"{origin}:{lineno}: expected a GeoNames dump row of 19 tab-separated columns, got {len(cols)}")
        try:
            gid, lat, lon, pop = int(cols[0]), float(cols[4]), float(cols[5]), int(cols[14] or 0)
        except ValueError:
            raise SourceError(f"{origin}:{lineno}: bad number in a GeoNames row") from None
        fclass, fcode, cc = cols[6], cols[7], cols[8] or None
        if fclass not in _KEEP_CLASSES:
            continue
        a1 = f"{cc}.{cols[10]}" if cc and cols[10] else None
        a2 = f"{a1}.{cols[11]}" if a1 and cols[11] else None
        feature = _feature(fclass, fcode)
        alts = [a for a in cols[3].split(",") if a and _latin(a) and not any(ch.isdigit() for ch in a) and len(a) > 2]
        names = [cols[2], *alts]
        if feature in ("admin1", "admin2"):
            names += [strip_admin_suffix(cols[1]), strip_admin_suffix(cols[2])]
        writer.place(Entry(gid, cols[1], lat, lon, cc, a1, a2, pop, feature), names=names, primary_names=(cols[1],))
        rows += 1
    writer.flush()
    return rows


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
        if gid not in known or lang in _NOT_NAMES or not _latin(name) or len(name) < 3:
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


def _add_csv(writer: _Writer, gazetteer: Gazetteer, lines: Iterator[str], origin: str) -> int:
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
) -> AddResult:
    """Load ``source`` (a path or URL) into the index at ``index_path``."""
    if _DUMP_NAME.match(source) and not Path(source).exists():
        source = geonames_url(source)
    if source.startswith(("http://", "https://")):
        path = download(source, download_dir or index_path.parent / "downloads", sha256=sha256, client=client, backoff_s=backoff_s)
    else:
        path = Path(source)
        if not path.exists():
            raise SourceError(f"no such file: {source} (give a GeoNames dump, alternateNamesV2, a CSV or a URL)")
        if sha256:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest != sha256.lower():
                raise ChecksumError(f"{source}: SHA-256 {digest} does not match the expected {sha256}")
    member, lines = _open_text(path)
    label = path.name
    gazetteer = Gazetteer(index_path, writable=True)
    conn = gazetteer.conn
    try:
        before = conn.execute("SELECT COUNT(*) FROM name").fetchone()[0]
        lowered = member.lower()
        if lowered.startswith("alternatenames"):
            kind, places = "alternate-names", 0
            _add_alternate_names(conn, lines, member)
        elif lowered.endswith(".csv"):
            kind = "csv"
            places = _add_csv(_Writer(conn, label), gazetteer, lines, member)
        else:
            kind = "geonames"
            places = _add_geonames(_Writer(conn, label), lines, member)
        if kind == "geonames":
            # Admin names of the dump's divisions, so "admin1" reads as a name, not a code.
            conn.execute(
                "INSERT OR IGNORE INTO admin SELECT COALESCE(admin2, admin1), name, id, ? FROM place "
                "WHERE source = ? AND feature IN ('admin1', 'admin2') AND COALESCE(admin2, admin1) IS NOT NULL",
                (label, label),
            )
        names = conn.execute("SELECT COUNT(*) FROM name").fetchone()[0] - before
        conn.execute(
            "INSERT OR REPLACE INTO source VALUES (?,?,?)",
            (label, time.strftime("%Y-%m-%d"), f"{kind}: {places} places, {names} new names from {source}"),
        )
        conn.commit()
    except sqlite3.Error as exc:
        conn.rollback()
        raise SourceError(f"cannot write {source} into the gazetteer index: {exc}") from None
    finally:
        gazetteer.close()
    return AddResult(label, kind, places, names)
