"""The command line as a user meets it: exit codes, streams, HTML and sidecars, analyze, demo."""

from __future__ import annotations

import json


def test_usage_errors_exit_2_with_a_clear_message(run_cli, tmp_path):
    for args in (["extract", str(tmp_path / "missing.txt")], ["extract", "--format", "xml", str(tmp_path)], ["extract", "--bogus"], ["nosuchcommand"]):
        proc = run_cli(*args)
        assert proc.returncode == 2, args
        assert b"Traceback" not in proc.stderr
        assert proc.stdout == b""
    proc = run_cli("extract", str(tmp_path / "missing.txt"))
    assert b"E301" in proc.stderr and b"missing.txt" in proc.stderr


def test_stdout_is_only_json_and_progress_goes_to_stderr(run_cli, shared):
    proc = run_cli("extract", "--progress", str(shared / "corpus/seeds/seeds.jsonl"))
    assert proc.returncode == 0
    lines = proc.stdout.decode().splitlines()
    assert len(lines) == 2 and all(json.loads(line)["doc_id"] for line in lines)
    assert b"extract" in proc.stderr and b"2/" in proc.stderr  # the progress bar, on stderr


def test_txt_and_jsonl_give_the_same_sections(run_cli, shared):
    seeds = shared / "corpus/seeds"
    from_txt = json.loads(run_cli("extract", str(seeds / "003_f062418edb9b3e82.txt")).stdout)
    from_jsonl = [json.loads(x) for x in run_cli("extract", str(seeds / "seeds.jsonl")).stdout.decode().splitlines()][1]
    assert from_txt["doc_id"] == from_jsonl["doc_id"]
    assert [(s["start"], s["end"], s["kind"]) for s in from_txt["sections"]] == [(s["start"], s["end"], s["kind"]) for s in from_jsonl["sections"]]


def test_html_keeps_metadata_comments_and_echoes_text(run_cli, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Clashes near the dam</title><meta name='author' content='Rana Writer'>"
        "<meta property='og:site_name' content='Example Observer'><meta property='article:published_time' content='2021-05-04'></head>"
        "<body><nav>Home | World | Sport</nav><article><h1>Clashes near the dam</h1>"
        "<p>Fighting broke out near the Tishrin dam on Monday between two armed groups, residents said, and continued into the night.</p>"
        "<p>A local doctor said three fighters were wounded and taken to a hospital in the nearby town.</p></article>"
        "<div id='comments' class='comments'><div class='comment'><p>Stay safe everyone, thank you for the report!</p></div></div>"
        "<footer>Copyright 2021 Example Observer</footer></body></html>",
        encoding="utf-8",
    )
    [rec] = [json.loads(x) for x in run_cli("extract", str(page)).stdout.decode().splitlines()]
    text = rec["text"]
    assert rec["metadata"]["title"] == "Clashes near the dam"
    assert rec["metadata"]["author"] == "Rana Writer" and rec["metadata"]["source"] == "Example Observer"
    assert rec["metadata"]["published"] == "2021-05-04"
    kinds = {s["kind"]: text[s["start"] : s["end"]] for s in rec["sections"]}
    assert kinds["title"] == "Clashes near the dam"
    assert "Tishrin dam" in kinds["body"] and "Home | World" not in text
    assert "Stay safe everyone" in kinds["comments"]


def test_sidecar_metadata_is_read(run_cli, tmp_path):
    (tmp_path / "r.txt").write_text("Shelling hit the village on Monday, killing two, officials said.")
    (tmp_path / "r.txt.meta.json").write_text(json.dumps({"id": "my-id", "published": "2020-02-03", "source": "Wire", "url": "https://wire.example/x"}))
    (tmp_path / "s.txt").write_text("Another report.")
    (tmp_path / "s.meta.json").write_text("{not json")
    out = [json.loads(x) for x in run_cli("extract", str(tmp_path)).stdout.decode().splitlines()]
    assert out[0]["doc_id"] == "my-id" and out[0]["metadata"]["published"] == "2020-02-03"
    assert out[1]["doc_id"] == "s" and [e["code"] for e in out[1]["errors"]] == ["E110"]


def test_analyze_prints_sections_and_sentences(run_cli, shared):
    proc = run_cli("analyze", str(shared / "corpus/seeds/003_f062418edb9b3e82.txt"))
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode()
    for expected in ("Sections", "boilerplate", "title", "Sentences", "South Front", "Global Research"):
        assert expected in out


def test_demo_runs_on_the_bundled_samples(run_cli):
    proc = run_cli("demo")
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode()
    for expected in ("sample-03-republished", "Fused events", "Contested claims", "Levant Digest"):
        assert expected in out, expected


def test_actors_option_adds_a_user_registry(run_cli, tmp_path):
    registry = tmp_path / "mine.yaml"
    registry.write_text(
        "actors:\n  - name: Northern Shield Brigade\n    inter: 3\n    aliases: [Northern Shield fighters]\n", encoding="utf-8"
    )
    doc = tmp_path / "r.txt"
    doc.write_text("Northern Shield fighters attacked an army checkpoint near Tal Tamr on 3 May 2021, killing two soldiers.\n")
    proc = run_cli("extract", "--actors", str(registry), str(doc))
    assert proc.returncode == 0, proc.stderr.decode()
    [rec] = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    names = {(e["actor1"] or {}).get("name") for e in rec["events"]} | {(e["actor2"] or {}).get("name") for e in rec["events"]}
    assert "Northern Shield Brigade" in names
    missing = run_cli("extract", "--actors", str(tmp_path / "nope.yaml"), str(doc))
    assert missing.returncode == 2 and b"E601" in missing.stderr and missing.stdout == b""


def test_country_option_names_generic_actors_of_a_placeless_report(run_cli, tmp_path):
    """--country: the country a feed covers, for reports that name no place the gazetteer knows (written for this test)."""
    doc = tmp_path / "r.txt"
    doc.write_text("On Monday hundreds of teachers marched to demand unpaid wages.\n")
    plain = run_cli("extract", str(doc))
    given = run_cli("extract", "--country", "ke", str(doc))
    assert plain.returncode == given.returncode == 0, given.stderr.decode()
    [before], [after] = ([json.loads(x) for x in p.stdout.decode().splitlines()] for p in (plain, given))
    assert before["events"][0]["actor1"]["name"] == "Protesters"
    actor = after["events"][0]["actor1"]
    assert actor["name"] == "Protesters (Kenya)" and "default_country (KE)" in actor["reason"]
    assert after["events"][0]["location"] is None  # the feed's country names actors; it locates nothing
    bad = run_cli("extract", "--country", "Narnia", str(doc))
    assert bad.returncode == 2 and b"E302" in bad.stderr and bad.stdout == b""


def test_country_option_leans_ambiguous_places_to_the_feed(run_cli, tmp_path):
    """--country also reaches the places stage: a name several countries share is read in the feed's country
    (sentence written for this test)."""
    doc = tmp_path / "r.txt"
    doc.write_text("On Monday teachers marched in Kisii to demand unpaid wages.\n")
    given = run_cli("extract", "--country", "KE", str(doc))
    assert given.returncode == 0, given.stderr.decode()
    [record] = [json.loads(x) for x in given.stdout.decode().splitlines()]
    [place] = [p for p in record["places"] if p["text"] == "Kisii"]
    assert place["country_code"] == "KE" and "document is about KE" in place["reason"]
    assert record["events"][0]["location"]["country_code"] == "KE"
    only_places = run_cli("extract", "--stages", "sections,sentences,places", "--country", "KE", str(doc))
    assert only_places.returncode == 2 and b"E302" in only_places.stderr  # --country still needs the events stage
