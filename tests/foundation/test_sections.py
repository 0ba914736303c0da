"""The sectioner on examples written for these tests, and on FA-KES (which mostly has neither footer nor comments)."""

from __future__ import annotations

import json

import pytest

from fogwatch.stages.sections import find_provenance, split_sections

ARTICLE = (
    "Heavy fighting was reported on Sunday around the town of Tal Tamr, where government forces and local militias "
    "traded artillery fire for several hours, according to residents reached by telephone.\n"
    "A hospital official said that at least four people had been wounded and taken to a clinic in the provincial capital, "
    "and that a school used as a shelter had been damaged.\n"
    "The regional administration accused its rivals of breaking a truce agreed last month, while a spokesman for the "
    "other side said its fighters had only returned fire after coming under attack.\n"
)


def kinds_of(text, **kw):
    return [(s.kind, text[s.start : s.end]) for s in split_sections(text, **kw)]


def kind_at(text, needle, **kw):
    at = text.index(needle)
    for s in split_sections(text, **kw):
        if s.start <= at < s.end:
            return s.kind
    return None


@pytest.mark.parametrize(
    "footer",
    [
        "(Reporting by Ana Perez; Editing by Mark Chu)",
        "This article was originally published on The Valley Herald.\nRead more: https://valleyherald.example/world",
        "Copyright © 2021 Northern Star Media. All rights reserved.\nTerms of use | Privacy policy",
        "Subscribe to our newsletter for daily updates.\nFollow us on Twitter and Telegram.\nSupport our work: donate today.",
        "---\nThe views expressed in this piece are the author's own and do not necessarily reflect those of this site.\nContact us: desk@example.org",
    ],
)
def test_footers_of_several_styles_are_boilerplate(footer):
    text = ARTICLE + "\n" + footer + "\n"
    first_footer_line = footer.splitlines()[0]
    assert kind_at(text, first_footer_line) == "boilerplate"
    assert kind_at(text, footer.splitlines()[-1]) == "boilerplate"
    assert kind_at(text, "A hospital official said") == "body"
    assert kind_at(text, "The regional administration accused") == "body"


@pytest.mark.parametrize(
    "thread",
    [
        "14 Comments\nSamir K. says:\nThis is exactly what happened in my village too.\nReply\nanon says:\nfake news as usual\nReply",
        "Leave a Reply\nwhy is nobody talking about the drones??\nThanks for the update, stay safe everyone!",
        "lol they said the same thing last year\nI dont believe a word of this\nyou should check your sources before posting\nGreat article, keep it up!!",
        "Mira · 3 hours ago\nMy cousin lives there, pray for them\nJonas · 2 hours ago\nhow many times do we have to read this",
    ],
)
def test_comment_threads_of_several_styles_are_comments(thread):
    text = ARTICLE + thread + "\n"
    lines = [ln for ln in thread.splitlines() if ln.strip()]
    for line in lines:
        assert kind_at(text, line) == "comments", line
    assert kind_at(text, "The regional administration accused") == "body"


def test_comments_followed_by_site_footer():
    thread = "I was there last week, it is much worse than this\nlol the usual propaganda!!\n"
    footer = "© 2022 Example Times. All rights reserved. Privacy policy\n"
    text = ARTICLE + thread + footer
    assert kind_at(text, "I was there last week") == "comments"
    assert kind_at(text, "© 2022 Example Times") == "boilerplate"


def test_short_article_lines_are_not_mistaken_for_comments():
    text = (
        "Clashes in the north\n\n"
        "Fighting resumed on Tuesday near the border crossing, officials said.\n"
        "The following villages were shelled:\n"
        "- Ain Issa\n- Tal Abyad\n- Suluk\n"
        "The army said it had lost two soldiers.\n"
        "Talks are due to resume next week.\n"
    )
    kinds = {k for k, _ in kinds_of(text)}
    assert kinds == {"title", "body"}


def test_reference_list_after_a_wiki_style_article_is_boilerplate():
    text = ARTICLE + "## References\n1. Smith, J. (2019). Frontlines. p. 4.\n2. Doe, A. (2020). Report.\n"
    assert kind_at(text, "Smith, J.") == "boilerplate"
    assert kind_at(text, "## References") == "boilerplate"


def test_title_line_and_metadata_title_inline():
    text = "Artillery duel on the river\n\n" + ARTICLE
    assert kinds_of(text)[0] == ("title", "Artillery duel on the river")
    glued = "Mon 3 Feb 2020 Artillery duel on the river. " + ARTICLE
    kinds = kinds_of(glued, title="Artillery duel on the river")
    assert ("title", "Artillery duel on the river.") in kinds
    assert kinds[0] == ("body", "Mon 3 Feb 2020")


def test_inline_read_also_tail_of_a_one_paragraph_text():
    text = ARTICLE.replace("\n", " ").strip() + " Read Also"
    assert kinds_of(text)[-1] == ("boilerplate", "Read Also")


def test_provenance_from_a_footer_naming_the_original_outlet():
    text = ARTICLE + "\nArticles by: Valley Herald\nwww.dailymirrorpress.example hosts articles by the Daily Mirror Press team.\n"
    sections = split_sections(text)
    prov = find_provenance(text, sections, source=None, url=None)
    assert prov.outlet == "Valley Herald"
    assert prov.republisher == "Daily Mirror Press"
    assert prov.reason and "Articles by" in prov.reason


def test_provenance_without_footer_falls_back_to_metadata():
    prov = find_provenance(ARTICLE, split_sections(ARTICLE), source="Wire Service", url=None)
    assert (prov.outlet, prov.republisher) == ("Wire Service", None)
    assert "metadata" in prov.reason
    # A remark in brackets describes the document, not the outlet; a short qualifier is part of the name.
    noted = find_provenance(ARTICLE, split_sections(ARTICLE), source="Wire Service (story with readers' remarks below)", url=None)
    assert noted.outlet == "Wire Service" and "left out" in noted.reason
    short = find_provenance(ARTICLE, split_sections(ARTICLE), source="The Courier (UK)", url=None)
    assert short.outlet == "The Courier (UK)"


def test_fakes_articles_are_almost_all_body(shared):
    """FA-KES articles mostly have neither footer nor comments: none may lose its article."""
    with_comments, body_share = 0, []
    for line in (shared / "corpus/fakes/fakes.jsonl").open(encoding="utf-8"):
        doc = json.loads(line)
        sections = split_sections(doc["text"], title=doc.get("title"))
        with_comments += any(s.kind == "comments" for s in sections)
        body = sum(s.end - s.start for s in sections if s.kind in ("body", "title"))
        body_share.append(body / max(1, len(doc["text"].strip())))
    assert with_comments == 0
    assert min(body_share) > 0.85
    assert sum(body_share) / len(body_share) > 0.98


def test_markdown_article_with_front_matter_headings_and_lists_has_no_comments():
    text = (
        "---\nsubject: Siege of an invented town\nshortDescription: Part of a war\ndescription: The siege was a\n"
        "  months-long blockade of the town by\n  government forces.\n---\n"
        "## Background\n" + ARTICLE + "### First week\n * Tal Tamr\n * Ras al-Ain\n"
        "The town was captured on 6 October, and an attack two days later briefly recaptured it along with four other villages, "
        "according to the monitor, before it was repelled by the defenders.\n"
        "## See also\n * List of sieges\n * Battle of the river\n## References\n1. Doe, J. Report. 2020.\n"
    )
    sections = split_sections(text)
    assert not any(s.kind == "comments" for s in sections)
    assert sections[0].kind == "boilerplate" and sections[0].reason == "front matter"
    assert kind_at(text, "### First week") == "body" and kind_at(text, "The town was captured") == "body"
    assert kind_at(text, "List of sieges") == "boilerplate" and kind_at(text, "Doe, J.") == "boilerplate"


def test_article_prose_after_a_mid_article_related_box_returns_to_body():
    text = ARTICLE + "Related\n * Earlier clashes near the dam\n" + ARTICLE.replace("Tal Tamr", "Ain Issa")
    assert kind_at(text, "Earlier clashes") == "boilerplate"
    assert kind_at(text, "around the town of Ain Issa") == "body"


def test_wikipedia_articles_keep_their_article_as_body(shared):
    for line in (shared / "corpus/wikipedia-syria/articles.jsonl").open(encoding="utf-8"):
        doc = json.loads(line)
        sections = split_sections(doc["text"], title=doc.get("title"))
        assert not any(s.kind == "comments" for s in sections), doc["id"]
        body = sum(s.end - s.start for s in sections if s.kind == "body")
        if len(doc["text"]) > 3000:  # a stub article can be mostly front matter
            assert body > 0.5 * len(doc["text"]), doc["id"]


def test_publisher_name_from_a_domain_drops_trailing_punctuation():
    text = ARTICLE + "\nArticles by: Valley Herald\nCopyright © Levant Digest 2021. www.levantdigest.example contains copyrighted material.\n"
    prov = find_provenance(text, split_sections(text), source=None, url=None)
    assert (prov.outlet, prov.republisher) == ("Valley Herald", "Levant Digest")
