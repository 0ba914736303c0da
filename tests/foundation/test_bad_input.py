"""Every kind of bad input is reported in the document's errors; nothing else in the batch is lost."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

FOGWATCH_BIN = str(__import__("pathlib").Path(sys.executable).with_name("fogwatch"))
GOOD = "Government forces shelled the town of Tal Tamr on Sunday, a monitor said.\n"


def records(proc):
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"Traceback" not in proc.stderr
    return [json.loads(line) for line in proc.stdout.decode().splitlines()]


def codes(record):
    return [e["code"] for e in record["errors"]]


def test_empty_file_is_reported_and_batch_goes_on(tmp_path, run_cli):
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_good.txt").write_text(GOOD)
    out = records(run_cli("extract", str(tmp_path)))
    assert [r["doc_id"] for r in out] == ["a_empty", "b_good"]
    assert codes(out[0]) == ["E101"]
    assert out[1]["errors"] == [] and out[1]["sections"][0]["kind"] == "body"


def test_binary_file_is_refused_not_decoded(tmp_path, run_cli):
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 64)
    (tmp_path / "good.txt").write_text(GOOD)
    out = records(run_cli("extract", str(tmp_path)))
    assert codes(out[0]) == ["E102"] and out[0]["sections"] == []
    assert out[1]["errors"] == []


def test_jsonl_line_that_is_not_json_and_records_missing_fields(tmp_path, run_cli):
    lines = [
        json.dumps({"id": "ok1", "text": GOOD}),
        "{this is not json",
        json.dumps({"text": GOOD}),
        json.dumps({"id": "no-text"}),
        json.dumps(["an", "array"]),
        "",
        json.dumps({"id": "ok2", "text": GOOD, "published": "2020-02-03", "extra_field": 1}),
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    out = records(run_cli("extract", str(path)))
    assert [codes(r) for r in out] == [[], ["E103"], ["E104"], ["E104"], ["E103"], []]
    assert out[0]["doc_id"] == "ok1" and out[-1]["doc_id"] == "ok2"
    assert out[1]["doc_id"].endswith("mixed.jsonl:2")
    assert "id" in out[2]["errors"][0]["message"] and "text" in out[3]["errors"][0]["message"]


def test_unknown_extension_given_explicitly_is_reported(tmp_path, run_cli):
    (tmp_path / "report.docx").write_bytes(b"PK\x03\x04 not really")
    (tmp_path / "good.txt").write_text(GOOD)
    out = records(run_cli("extract", str(tmp_path / "report.docx"), str(tmp_path / "good.txt")))
    assert codes(out[0]) == ["E105"] and out[1]["errors"] == []


def test_unknown_extension_in_a_directory_is_skipped_with_a_note(tmp_path, run_cli):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "good.txt").write_text(GOOD)
    proc = run_cli("extract", str(tmp_path))
    assert [r["doc_id"] for r in records(proc)] == ["good"]
    assert b"skipped 1 file" in proc.stderr


def test_invalid_utf8_falls_back_to_cp1252_with_a_note(tmp_path, run_cli):
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 owners in A\xefn al-Ban said \x93enough\x94.".encode("latin-1"))
    proc = run_cli("extract", str(tmp_path / "latin.txt"))
    [rec] = records(proc)
    assert codes(rec) == ["E106"]
    # offsets refer to the decoded text
    assert rec["sections"][0]["end"] == len("Café owners in Aïn al-Ban said “enough”.")


@pytest.mark.parametrize(
    "encoded",
    [
        b"\xef\xbb\xbf" + "Caf\u00e9 in Ḥalab.".encode("utf-8"),
        "\ufeffCaf\u00e9 in Ḥalab.".encode("utf-16-le"),
        "\ufeffCaf\u00e9 in Ḥalab.".encode("utf-16-be"),
    ],
    ids=["utf8-bom", "utf16le-bom", "utf16be-bom"],
)
def test_byte_order_marks_decide_the_encoding(tmp_path, run_cli, encoded):
    (tmp_path / "bom.txt").write_bytes(encoded)
    [rec] = records(run_cli("extract", str(tmp_path / "bom.txt")))
    assert rec["errors"] == []
    assert rec["sections"] == [{"start": 0, "end": len("Café in Ḥalab."), "kind": "body"}]


def test_fifty_megabyte_file_is_read_in_bounded_memory(tmp_path):
    big = tmp_path / "huge.txt"
    with big.open("w") as fh:
        block = GOOD * 1000
        while fh.tell() < 50 * 2**20:
            fh.write(block)
    (tmp_path / "zz_after.txt").write_text(GOOD)
    # A fresh intermediate Python whose only child is fogwatch reports that child's peak RSS
    # (RUSAGE_CHILDREN in this process would include every earlier test's children).
    probe = "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); sys.stderr.write(f'PEAK_KB={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}'); sys.exit(r.returncode)"
    cmd = [sys.executable, "-c", probe, FOGWATCH_BIN, "extract", "--stages", "sections,sentences", "--max-doc-mb", "8", str(tmp_path)]
    proc = subprocess.run(cmd, capture_output=True, timeout=300)
    peak_kb = int(proc.stderr.decode().rsplit("PEAK_KB=", 1)[1])
    out = records(proc)
    assert [r["doc_id"] for r in out] == ["huge", "zz_after"]
    assert codes(out[0]) == ["E107"] and "8,388,608" in out[0]["errors"][0]["message"]
    assert out[1]["errors"] == []
    assert peak_kb < 400 * 1024, f"peak RSS {peak_kb / 1024:.0f} MiB"


def test_oversized_jsonl_line_is_skipped_without_holding_it(tmp_path, run_cli):
    path = tmp_path / "big.jsonl"
    with path.open("w") as fh:
        fh.write(json.dumps({"id": "small", "text": GOOD}) + "\n")
        fh.write(json.dumps({"id": "huge", "text": GOOD * 30000}) + "\n")
        fh.write(json.dumps({"id": "after", "text": GOOD}) + "\n")
    out = records(run_cli("extract", "--max-doc-mb", "1", str(path)))
    assert [codes(r) for r in out] == [[], ["E107"], []]


def test_directory_with_ten_thousand_files(tmp_path, run_cli):
    root = tmp_path / "many"
    for i in range(10_000):
        sub = root / f"d{i // 1000}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"r{i:05d}.txt").write_text(f"Report {i}: shelling hit the village of Tal Tamr.")
    out = records(run_cli("extract", "--stages", "sections,sentences", str(root), timeout=600))
    assert len(out) == 10_000
    assert out[0]["doc_id"] == "d0/r00000" and out[-1]["doc_id"] == "d9/r09999"
    assert all(r["errors"] == [] for r in out)


def test_stdin_jsonl_and_bad_lines(run_cli):
    data = (json.dumps({"id": "s1", "text": GOOD}) + "\nnot json\n" + json.dumps({"id": "s2", "html": "<html><body><article><p>" + GOOD * 3 + "</p></article></body></html>"}) + "\n").encode()
    out = records(run_cli("extract", "-", stdin=data))
    assert [r["doc_id"] for r in out] == ["s1", "<stdin>:2", "s2"]
    assert codes(out[1]) == ["E103"]
    assert "text" in out[2] and GOOD.strip() in out[2]["text"]  # HTML input echoes the text offsets refer to
