"""One truth per story, per document and per quote: every output states the same
numbers (the page, its card on the index and tag pages, the feed, the sources page,
the W3C annotations), and a document's line agrees with its quotes' (a document once
said "Reported as matching the original; not checked by this site" above quotes that
each said "Wording checked against the original document", and the index "7 annotated
quotes" where the page said "5 of 5 quotations")."""

import json
import re

from bs4 import BeautifulSoup
from helpers import make_project

from annostory.commands.cli import main

STORY = """---
title: The Pier Report
date: 2016-11-01
tags: [harbor]
---
Ortiz wrote that "the pier is safe for now" and that "the east railing needs work."

He added: "We owe the harbor a plan, and we will deliver."

Quinn called it "a sensible pause."
"""
NOTES = """sources:
  memo:
    type: memo
    original: sources/memo.txt
    verification: original
  call: {type: interview, verification: reports}
annotations:
  - {quote: the pier is safe for now, source: memo}
  - {quote: the east railing needs work, source: memo}
  - quote: We owe the harbor a plan, and we will deliver
    source: memo
    verified: misquoted
    verified_reason: The paper printed it so.
  - {quote: a sensible pause, source: call}
"""
MEMO = ("The pier is safe for now, but the east railing needs work. We owe the harbor a "
        "plan. And we'll deliver.\n")


def test_every_output_states_the_same_numbers(tmp_path):
    root = make_project(tmp_path, example=False)
    (root / "content" / "pier.md").write_text(STORY)
    (root / "annotations" / "pier.yaml").write_text(NOTES)
    (root / "sources").mkdir()
    (root / "sources" / "memo.txt").write_text(MEMO)
    assert main(["build", "--root", str(root), "--base-url", "https://x.example/"]) == 0
    site = root / "site"
    page = BeautifulSoup((site / "pier" / "index.html").read_text(), "html.parser")
    said = "4 of 4 quotations carry a note"
    assert said in page.select_one(".how-to").get_text()
    for card_page in ("index.html", "tags/harbor/index.html"):
        card = BeautifulSoup((site / card_page).read_text(), "html.parser").select_one(
            ".story-card")
        assert said in card.get_text()
    assert said + "." in (site / "feed.xml").read_text()
    notes = page.select("li.note")
    collection = json.loads((site / "pier" / "annotations.jsonld").read_text())
    assert collection["total"] == len(notes) == len(collection["first"]["items"]) == 4
    # the memo's line, on the story page and on the sources page, from its quotes
    memo = page.select("li.document")[0]
    line = "Checked against the original document: 1 of 3 quotes differs from it."
    assert memo.select_one(".document-facts .document-check").get_text() == line
    states = [n.select_one(".note-check").get_text() for n in memo.select("li.note")]
    assert states.count("Wording checked against the original document.") == 2
    assert "Reported as matching the original" not in memo.get_text()
    sources = BeautifulSoup((site / "sources" / "index.html").read_text(), "html.parser")
    entries = {e.select_one(".entry-name").get_text(): e
               for e in sources.select(".directory-entry")}
    [memo_entry] = [e for name, e in entries.items() if name.startswith("Memo")]
    assert memo_entry.select_one(".document-check").get_text() == line
    call = page.select("li.document")[1]
    assert call.select_one(".document-check").get_text() == (
        "Known only from other reports of it; not checked against the original.")
    footer = page.select_one("footer").get_text()
    assert "Every quotation on this page carries a note" in footer
    assert re.search(r"\b4 of 4\b", said)


def test_the_example_s_documents_each_say_one_thing(tmp_path):
    root = make_project(tmp_path)
    assert main(["build", "--root", str(root)]) == 0
    page = BeautifulSoup((root / "site" / "trumka-not-motivated" / "index.html").read_text(),
                         "html.parser")
    for document in page.select("li.document"):
        line = document.select_one(".document-facts .document-check")
        quotes = [n.select_one(".note-check") for n in document.select("li.note")]
        checked = [q for q in quotes if q and q.get_text().startswith("Wording checked")]
        if checked:  # a document whose quotes were checked never says "not checked"
            assert line is not None and "not checked" not in line.get_text()
            assert line.get_text().startswith("Wording")
        elif line is not None:
            assert "Wording checked" not in line.get_text()
