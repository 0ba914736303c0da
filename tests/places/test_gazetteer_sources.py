"""`fogwatch gazetteer add|info` and the downloader, against a real local HTTP server."""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import threading
import zipfile
from pathlib import Path

import httpx
import pytest

from fogwatch.places.gazetteer import Gazetteer, ensure_index
from fogwatch.places.keys import name_key
from fogwatch.places.sources import ChecksumError, DownloadError, SourceError, add_source, download

# GeoNames dump rows (19 tab-separated columns), invented for this test.
_ROWS = [
    ("9900001", "Rajm Judran", "Rajm Judran", "Rujm Judran,Rajm Joudran", "35.7001", "36.7002", "P", "PPL", "SY", "", "12", "", "", "", "850"),
    ("9900002", "Tall Qurqur", "Tall Qurqur", "Tell Qurqur", "35.8101", "36.5502", "P", "PPL", "SY", "", "12", "", "", "", "1200"),
    ("9900003", "Wadi Fixture", "Wadi Fixture", "", "35.1", "36.1", "H", "WAD", "SY", "", "12", "", "", "", "0"),
    ("9900004", "Fixture Airport", "Fixture Airport", "", "35.2", "36.2", "S", "AIRP", "SY", "", "12", "", "", "", "0"),
]


def _dump_text() -> str:
    return "".join("\t".join(list(r) + ["", "", "Asia/Damascus", "2024-01-01"]) + "\n" for r in _ROWS)


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("SY.txt", _dump_text())
        zf.writestr("readme.txt", "GeoNames readme")
    return buf.getvalue()


class _Server:
    """A local HTTP server: /SY.zip, /flaky/SY.zip (500 twice first), /short/SY.zip (truncated body)."""

    def __init__(self) -> None:
        self.payload = _zip_bytes()
        self.hits: dict[str, int] = {}
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):
                outer.hits[self.path] = outer.hits.get(self.path, 0) + 1
                n = outer.hits[self.path]
                if self.path.startswith("/flaky/") and n <= 2:
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.path == "/missing.zip":
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = outer.payload
                self.send_response(200)
                self.send_header("Content-Type", "application/zip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if self.path.startswith("/short/") else body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture()
def server():
    srv = _Server()
    yield srv
    srv.close()


@pytest.fixture()
def empty_index(tmp_path) -> Path:
    """An index without the base gazetteer: fast, and only what a test adds."""
    return ensure_index(tmp_path / "gaz.sqlite", with_base=False)


def test_download_then_add_geonames_dump(server, empty_index, tmp_path):
    result = add_source(empty_index, f"{server.url}/SY.zip", download_dir=tmp_path / "dl", backoff_s=0.01)
    assert result.kind == "geonames" and result.places == 3  # the airport (class S) is left out
    gaz = Gazetteer(empty_index)
    hit = gaz.lookup(name_key("Rujm Judran"))
    assert [c.entry.id for c in hit] == [9900001]
    assert hit[0].entry.country_code == "SY" and hit[0].entry.admin1_code == "SY.12"
    assert gaz.lookup(name_key("Tell Qurqur"))[0].entry.name == "Tall Qurqur"
    assert not gaz.lookup(name_key("Fixture Airport"))


def test_download_retries_server_errors(server, tmp_path):
    path = download(f"{server.url}/flaky/SY.zip", tmp_path, backoff_s=0.01)
    assert server.hits["/flaky/SY.zip"] == 3
    assert path.read_bytes() == server.payload


def test_truncated_download_is_refused(server, tmp_path):
    with pytest.raises(DownloadError, match="expected"):
        download(f"{server.url}/short/SY.zip", tmp_path, retries=2, backoff_s=0.01)
    assert not list(tmp_path.glob("*.zip")), "no partial file may be left as the result"


def test_checksum_is_checked(server, tmp_path):
    good = hashlib.sha256(server.payload).hexdigest()
    assert download(f"{server.url}/SY.zip", tmp_path / "a", sha256=good).exists()
    with pytest.raises(ChecksumError):
        download(f"{server.url}/SY.zip", tmp_path / "b", sha256="0" * 64)


def test_http_404_is_a_clear_error(server, tmp_path):
    with pytest.raises(DownloadError, match="404"):
        download(f"{server.url}/missing.zip", tmp_path, backoff_s=0.01)


def test_unreachable_host_fails_after_retries(tmp_path):
    transport = httpx.MockTransport(lambda request: (_ for _ in ()).throw(httpx.ConnectError("refused")))
    with httpx.Client(transport=transport) as client, pytest.raises(DownloadError, match="after 2 attempts"):
        download("http://geonames.invalid/SY.zip", tmp_path, retries=2, backoff_s=0.0, client=client)


def test_add_analyst_csv(empty_index, tmp_path):
    csv_path = tmp_path / "ocha.csv"
    csv_path.write_text("name,lat,lon,country,admin1,aliases\nKhirbet Fixture,35.5,36.5,SY,Idlib,Khirbat Fixture;Kherbet Fixture\n", encoding="utf-8")
    result = add_source(empty_index, str(csv_path))
    assert result.kind == "csv" and result.places == 1
    gaz = Gazetteer(empty_index)
    hit = gaz.lookup(name_key("Kherbet Fixture"))
    assert hit and hit[0].entry.latitude == 35.5 and hit[0].entry.geonameid is None
    assert gaz.admin_name(hit[0].entry.admin1_code) == "Idlib"


def test_bad_csv_is_a_clear_error(empty_index, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("place,latitude\nX,1\n", encoding="utf-8")
    with pytest.raises(SourceError, match="missing: name, lat, lon"):
        add_source(empty_index, str(bad))
    bad.write_text("name,lat,lon\nX,north,1\n", encoding="utf-8")
    with pytest.raises(SourceError, match="must be numbers"):
        add_source(empty_index, str(bad))


def test_cli_add_and_info(server, run_cli, tmp_path, empty_index):
    dump = tmp_path / "SY.txt"
    dump.write_text(_dump_text(), encoding="utf-8")
    added = run_cli("gazetteer", "add", str(dump), "--index", str(empty_index))
    assert added.returncode == 0, added.stderr.decode()
    assert "added 3 places" in added.stdout.decode()
    info = run_cli("gazetteer", "info", "--json", "--index", str(empty_index))
    facts = json.loads(info.stdout)
    assert facts["by_country"] == {"SY": 3} and facts["by_source"] == {"SY.txt": 3}
    table = run_cli("gazetteer", "info", "--index", str(empty_index))
    assert "SY" in table.stdout.decode() and "Places per country" in table.stdout.decode()


def test_cli_missing_source_is_one_line_error(run_cli, empty_index):
    res = run_cli("gazetteer", "add", "/nonexistent/SY.zip", "--index", str(empty_index))
    assert res.returncode == 1
    err = res.stderr.decode()
    assert "E401" in err and "Traceback" not in err


def test_corrupt_index_is_rebuilt(tmp_path):
    path = tmp_path / "gaz.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    ensure_index(path, with_base=False)
    assert Gazetteer(path).info()["places"] == 0


def test_unwritable_cache_dir_is_a_clear_error(tmp_path):
    from fogwatch.places.gazetteer import GazetteerError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(GazetteerError, match="FOGWATCH_CACHE_DIR"):
        ensure_index(blocker / "sub" / "gaz.sqlite", with_base=False)


def test_bad_zip_and_bad_rows_are_clear_errors(empty_index, tmp_path):
    bad_zip = tmp_path / "SY.zip"
    bad_zip.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(SourceError, match="not a readable zip"):
        add_source(empty_index, str(bad_zip))
    bad_txt = tmp_path / "SY.txt"
    bad_txt.write_text("only\tthree\tcolumns\n", encoding="utf-8")
    with pytest.raises(SourceError, match="19 tab-separated columns"):
        add_source(empty_index, str(bad_txt))


def test_dump_by_name_downloads_from_geonames_base(server, run_cli, empty_index, tmp_path):
    """`fogwatch gazetteer add SY` fetches SY.zip from GeoNames (here: the local server as a mirror)."""
    res = run_cli("gazetteer", "add", "SY", "--index", str(empty_index), env={"FOGWATCH_GEONAMES_URL": server.url})
    assert res.returncode == 0, res.stderr.decode()
    assert "added 3 places" in res.stdout.decode()
    assert server.hits.get("/SY.zip") == 1
