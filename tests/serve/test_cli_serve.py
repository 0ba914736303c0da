"""`fogwatch serve` as a user runs it: the real command, a real port, then SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time

import httpx

from serve_fixtures import free_port
from tests_paths import FOGWATCH


def test_serve_answers_on_loopback_and_stops_on_sigterm(samples_db):
    port = free_port()
    proc = subprocess.Popen([str(FOGWATCH), "serve", "--db", samples_db, "--port", str(port)], stderr=subprocess.PIPE,
                            env={**os.environ, "FOGWATCH_TOKEN": ""})
    try:
        banner = proc.stderr.readline().decode()
        assert f"on http://127.0.0.1:{port}/" in banner and "read-only" in banner
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.1)
        assert r.status_code == 200 and r.json()["read_only"] is True and "server" not in r.headers
        assert httpx.get(f"http://127.0.0.1:{port}/").headers["content-type"].startswith("text/html")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(15)


def test_serve_refuses_a_short_token_and_a_busy_port(run_cli, samples_db):
    short = run_cli("serve", "--db", samples_db, "--port", str(free_port()), env={"FOGWATCH_TOKEN": "abc"})
    assert short.returncode == 2 and b"E809" in short.stderr and b"Traceback" not in short.stderr
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        busy = run_cli("serve", "--db", samples_db, "--port", str(s.getsockname()[1]))
    assert busy.returncode == 2 and b"E809" in busy.stderr and b"Traceback" not in busy.stderr
    missing = run_cli("serve", "--db", samples_db + ".nothere", "--port", str(free_port()))
    assert missing.returncode == 2 and b"E301" in missing.stderr
