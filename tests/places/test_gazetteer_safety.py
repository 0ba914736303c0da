"""`gazetteer add` under hostile input (issue 11): download caps and deadline, disk full, damaged zips,
over-long fields, zip bombs, and dump rows that would move a known GeoNames id. Local servers on 127.0.0.1 only."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from fogwatch.errors import Code
from fogwatch.places.gazetteer import Gazetteer, ensure_index
from fogwatch.places.keys import name_key
from fogwatch.places.sources import DownloadError, SourceError, add_source, download

# Invented GeoNames rows (19 tab-separated columns once padded).
SARAQIB = ("9900101", "Saraqib Fixture", "Saraqib Fixture", "Sarakib Fixture", "35.8644", "36.8006", "P", "PPLA3", "SY", "", "07", "", "", "", "32000")
MOVED = ("9900101", "Saraqib Fixture", "Saraqib Fixture", "", "-33.8688", "151.2093", "P", "PPL", "AU", "", "02", "", "", "", "32000")
NUDGED = ("9900101", "Saraqib Fixture", "Saraqib Fixture", "", "35.8700", "36.8100", "P", "PPLA3", "SY", "", "07", "", "", "", "32500")
OTHER = ("9900102", "Tall Fixture", "Tall Fixture", "", "35.81", "36.55", "P", "PPL", "SY", "", "07", "", "", "", "900")


def _dump(*rows) -> str:
    return "".join("\t".join(list(r) + ["", "", "Asia/Damascus", "2024-01-01"]) + "\n" for r in rows)


def _zip(name: str, data: bytes, method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        zf.writestr(name, data)
    return buf.getvalue()


_RANDOM = __import__("os").urandom(2 << 20)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        big = b"x" * (2 << 20)
        if self.path == "/big/SY.zip":  # 2 MB, announced
            self.send_response(200)
            self.send_header("Content-Length", str(len(big)))
            self.end_headers()
            self.wfile.write(big)
        elif self.path == "/unannounced/SY.zip":  # 2 MB, close-delimited (HTTP/1.0, no Content-Length)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(big)
        elif self.path == "/drip/SY.zip":  # 1 byte every 0.1 s for a minute
            self.send_response(200)
            self.send_header("Content-Length", "600")
            self.end_headers()
            try:
                for _ in range(600):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        elif self.path == "/ok/SY.zip":  # 2 MB that does not compress
            body = _zip("SY.txt", _RANDOM, zipfile.ZIP_STORED)
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.handle_error = lambda request, address: None
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture()
def empty_index(tmp_path) -> Path:
    return ensure_index(tmp_path / "gaz.sqlite", with_base=False)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --- downloads --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/big/SY.zip", "/unannounced/SY.zip"])
def test_downloads_over_the_size_cap_are_refused_and_leave_nothing(server, tmp_path, path):
    with pytest.raises(DownloadError) as err:
        download(f"{server}{path}", tmp_path / "dl", max_bytes=1 << 20, retries=2, backoff_s=0.01)
    assert err.value.code == Code.GAZETTEER_TOO_LARGE
    assert _leftovers(tmp_path / "dl") == []


def test_a_trickling_download_stops_at_its_deadline(server, tmp_path):
    started = time.monotonic()
    with pytest.raises(DownloadError, match="within 1s") as err:
        download(f"{server}/drip/SY.zip", tmp_path / "dl", deadline_s=1.0, retries=1)
    assert err.value.code == Code.GAZETTEER_DOWNLOAD and time.monotonic() - started < 5
    assert _leftovers(tmp_path / "dl") == []


_FULL_DISK = r"""
import resource, signal, sys
from pathlib import Path
from fogwatch.places.sources import DownloadError, download
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write past the limit fails with EFBIG, as a full disk fails with ENOSPC
resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))
try:
    download(sys.argv[1], Path(sys.argv[2]), retries=2, backoff_s=0.01)
except DownloadError as exc:
    print(exc.code.value, exc.message)
"""


def test_a_download_onto_a_full_disk_is_a_coded_error_without_a_part_file(server, tmp_path):
    out = subprocess.run([sys.executable, "-c", _FULL_DISK, f"{server}/ok/SY.zip", str(tmp_path / "dl")],
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.startswith("E406"), out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    assert _leftovers(tmp_path / "dl") == []


# --- damaged and hostile archives -------------------------------------------------------------------


def _bad_crc_zip(tmp_path: Path) -> Path:
    text = _dump(OTHER) * 50
    data = bytearray(_zip("SY.txt", text.encode(), zipfile.ZIP_STORED))
    at = data.find(b"Tall Fixture", len(data) // 2)
    data[at] = ord("B")  # one flipped byte in the stored member: the CRC no longer matches
    path = tmp_path / "SY.zip"
    path.write_bytes(bytes(data))
    return path


def test_a_zip_with_a_bad_crc_is_a_coded_error_and_keeps_nothing(empty_index, tmp_path):
    with pytest.raises(SourceError) as err:
        add_source(empty_index, str(_bad_crc_zip(tmp_path)))
    assert err.value.code == Code.GAZETTEER_CORRUPT and "CRC" in err.value.message
    assert Gazetteer(empty_index).info()["places"] == 0


def test_cli_bad_crc_and_long_csv_field_are_one_line_coded_errors(run_cli, empty_index, tmp_path):
    res = run_cli("gazetteer", "add", str(_bad_crc_zip(tmp_path)), "--index", str(empty_index))
    err = res.stderr.decode()
    assert res.returncode == 1 and "E407" in err and "Traceback" not in err
    csv_path = tmp_path / "long.csv"
    csv_path.write_text("name,lat,lon\n\"" + "a" * 131_073 + "\",35,36\n", encoding="utf-8")
    res = run_cli("gazetteer", "add", str(csv_path), "--index", str(empty_index))
    err = res.stderr.decode()
    assert res.returncode == 1 and "E408" in err and "Traceback" not in err


def test_a_csv_field_at_the_limit_is_read(empty_index, tmp_path):
    csv_path = tmp_path / "ok.csv"
    csv_path.write_text("name,lat,lon,aliases\nKhirbet Fixture,35.5,36.5," + "b" * 131_000 + "\n", encoding="utf-8")
    assert add_source(empty_index, str(csv_path)).places == 1


_BOMB_MEMORY = r"""
import sys, tracemalloc
from pathlib import Path
from fogwatch.places.sources import SourceError, add_source
tracemalloc.start()
try:
    add_source(Path(sys.argv[1]), sys.argv[2])
except SourceError as exc:
    print(exc.code.value)
print(tracemalloc.get_traced_memory()[1] >> 20)  # peak MB allocated by Python while reading
"""


def test_a_zip_bomb_line_is_refused_in_bounded_memory(empty_index, tmp_path):
    bomb = tmp_path / "SY.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("SY.txt", "w") as member:
        for _ in range(300):
            member.write(b"a" * (1 << 20))  # one 300 MB line, about 300 kB zipped
    assert bomb.stat().st_size < 1 << 20
    out = subprocess.run([sys.executable, "-c", _BOMB_MEMORY, str(empty_index), str(bomb)], capture_output=True, text=True, timeout=120)
    code, peak_mb = out.stdout.split()
    assert code == "E408", out.stderr
    assert int(peak_mb) < 50, f"peak Python allocations {peak_mb} MB"


def test_zip_members_over_the_size_cap_are_refused(empty_index, tmp_path):
    path = tmp_path / "SY.zip"
    path.write_bytes(_zip("SY.txt", (_dump(OTHER) * 20000).encode()))
    with pytest.raises(SourceError) as err:
        add_source(empty_index, str(path), max_member_bytes=1 << 20)
    assert err.value.code == Code.GAZETTEER_TOO_LARGE


# --- rows that would move a known id ----------------------------------------------------------------


def _place(index: Path, gid: int):
    return Gazetteer(index).conn.execute("SELECT name, cc, lat, lon FROM place WHERE id = ?", (gid,)).fetchone()


def test_a_row_moving_a_known_id_needs_replace(empty_index, tmp_path):
    first = tmp_path / "SY.txt"
    first.write_text(_dump(SARAQIB, OTHER), encoding="utf-8")
    assert add_source(empty_index, str(first)).places == 2
    hostile = tmp_path / "AU.txt"
    hostile.write_text(_dump(MOVED), encoding="utf-8")
    result = add_source(empty_index, str(hostile))
    assert result.places == 0 and result.moved_skipped == 1
    assert _place(empty_index, 9900101)[1] == "SY"
    assert Gazetteer(empty_index).lookup(name_key("Saraqib Fixture"))[0].entry.country_code == "SY"
    nudged = tmp_path / "SY2.txt"  # GeoNames' own small corrections are no move
    nudged.write_text(_dump(NUDGED), encoding="utf-8")
    assert add_source(empty_index, str(nudged)).moved_skipped == 0 and _place(empty_index, 9900101)[2] == pytest.approx(35.87)
    replaced = add_source(empty_index, str(hostile), replace=True)
    assert replaced.places == 1 and replaced.moved_skipped == 0 and _place(empty_index, 9900101)[1] == "AU"


def test_cli_counts_skipped_moves_and_applies_them_with_replace(run_cli, empty_index, tmp_path):
    first = tmp_path / "SY.txt"
    first.write_text(_dump(SARAQIB, OTHER), encoding="utf-8")
    assert run_cli("gazetteer", "add", str(first), "--index", str(empty_index)).returncode == 0
    hostile = tmp_path / "AU.txt"
    hostile.write_text(_dump(MOVED, OTHER), encoding="utf-8")
    res = run_cli("gazetteer", "add", str(hostile), "--index", str(empty_index))
    out = res.stdout.decode()
    assert res.returncode == 0 and "added 1 places" in out and "skipped 1 row(s)" in out and "E409" in out and "--replace" in out
    facts = json.loads(run_cli("gazetteer", "info", "--json", "--index", str(empty_index)).stdout)
    assert facts["by_country"] == {"SY": 2}
    res = run_cli("gazetteer", "add", str(hostile), "--index", str(empty_index), "--replace")
    assert res.returncode == 0 and "skipped" not in res.stdout.decode()
    assert _place(empty_index, 9900101)[1] == "AU"
