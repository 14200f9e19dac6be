"""Bad and hostile inputs deserve precise answers: links in every Markdown
field, leaks of refused files, control characters, names, FIFOs, deep nesting,
output collisions, pasted hints, cascades, long lines and small things."""

import json
import os
import re
import subprocess
import sys
import unicodedata

import pytest
import yaml
from helpers import REPO, SMALL_NOTES, SMALL_STORY, anchored, small_project

from annostory.anchoring.stubs import plan_stub
from annostory.commands.cli import main

STORY, NOTES = SMALL_STORY, SMALL_NOTES


@pytest.fixture
def project(tmp_path):
    return small_project(tmp_path)


def run(root, *args):
    return main([*args, "--root", str(root)])


# --- item 3: one link policy for every Markdown field -------------------------------
@pytest.mark.parametrize("field,value", [
    ("title", "Hi [tl](javascript:alert('tlink'))"),
    ("dek", "[dl](javascript:alert(document.domain))"),
    ("dek", "see <javascript:alert(2)>"),
    ("title", "![img](data:text/html,x) hi"),
    ("dek", "[x](JaVaScRiPt:alert(1))"),
    ("title", "[x](vbscript:msgbox)"),
])
def test_unsafe_links_in_the_headline_and_dek_are_errors(project, capsys, field, value):
    front = f"---\ntitle: T\n{field}: {json.dumps(value)}\ndate: 2016-11-01\n---\n"
    if field == "title":
        front = f"---\ntitle: {json.dumps(value)}\ndate: 2016-11-01\n---\n"
    (project / "content" / "t.md").write_text(front + "She said \"hello\".\n")
    assert run(project, "build") == 1
    err = capsys.readouterr().err
    assert "unsafe-link" in err
    line = 2 if field == "title" else 3
    assert f"content/t.md:{line}:" in err
    assert not (project / "site").exists()


def test_an_index_card_shows_headline_links_as_text(project):
    front = ("---\ntitle: \"Read [the memo](https://example.org/m)\"\n"
             "dek: \"More [here](https://example.org/h)\"\ndate: 2016-11-01\n---\n")
    (project / "content" / "t.md").write_text(front + "She said \"hello\".\n")
    assert run(project, "build") == 0
    index = (project / "site" / "index.html").read_text()
    card = index[index.index('class="story-list"'):]
    assert "example.org" not in card and "the memo" in card and "here" in card
    page = (project / "site" / "t" / "index.html").read_text()
    assert 'href="https://example.org/m"' in page  # the story page keeps the link


# --- item 5: a refused file never shows its contents ---------------------------------
@pytest.mark.parametrize("which", ["annotations/t.yaml", "content/t.md"])
def test_a_link_out_of_the_project_is_refused_without_an_excerpt(project, tmp_path,
                                                                capsys, which):
    secret = tmp_path / "secret"
    secret.write_text("root:x:0:0:TOP-SECRET\n")
    (project / which).unlink()
    (project / which).symlink_to(secret)
    assert run(project, "check") == 1
    err = capsys.readouterr().err
    assert "refusing to read" in err and "TOP-SECRET" not in err and "root:x" not in err
    assert run(project, "check", "--format", "json") == 1
    assert "TOP-SECRET" not in capsys.readouterr().out


def test_an_included_template_linking_out_of_the_project_is_refused(project, tmp_path,
                                                                   capsys):
    outside = tmp_path / "evil.html"
    outside.write_text("STOLEN-CONTENT")
    (project / "templates" / "extra.html").symlink_to(outside)
    base = project / "templates" / "base.html"
    base.write_text(base.read_text().replace("</footer>", "{% include 'extra.html' %}</footer>"))
    assert run(project, "build") == 1
    err = capsys.readouterr().err
    assert "templates/extra.html" in err and "refusing to read" in err
    assert "STOLEN-CONTENT" not in err
    assert not (project / "site").exists()


# --- item 7: control characters, wherever they come from ---------------------------
@pytest.mark.parametrize("notes", [
    NOTES + '    note: "Bell\\a escape \\e[31mred\\e[0m and back\\bspace"\n',
    NOTES.replace("{type: email}", "s") + 'sources:\n  s: {type: email, subject: "x\\e]0;T\\a"}\n',
    'people:\n  p: {name: "Ann\\x9b31m"}\n' + NOTES + "    speaker: p\n",
    NOTES + '    "\\e]0;PWNED\\a\\e[31mspeakr": x\n',
])
def test_control_characters_from_yaml_escapes_are_refused_and_shown_escaped(project, capsys,
                                                                          notes):
    (project / "annotations" / "t.yaml").write_text(notes)
    assert run(project, "build") == 1
    captured = capsys.readouterr()
    assert "control-character" in captured.err
    for ch in "\x07\x08\x1b\x9b":
        assert ch not in captured.err and ch not in captured.out
    assert run(project, "check", "--format", "json") == 1
    out = capsys.readouterr().out
    assert "\x9b" not in out and "\x1b" not in out


@pytest.mark.parametrize("story,where", [
    ('---\ntitle: "Head\\e[31mline"\ndate: 2016-11-01\n---\nShe said "hello".\n', "2:8"),
    ('---\ntitle: T\ndate: 2016-11-01\n---\nShe said "hello". &#12;\n', "5:19"),
    ('---\ntitle: T\ndate: 2016-11-01\n---\nShe said "hello".\n\n> x &#13; y\n', "7:5"),
])
def test_control_characters_in_the_front_matter_and_references_are_refused(project, capsys,
                                                                           story, where):
    (project / "content" / "t.md").write_text(story)
    assert run(project, "check") == 1
    err = capsys.readouterr().err
    assert f"content/t.md:{where}: error:" in err and "control-character" in err
    assert "\x1b" not in err and "\x0c" not in err and "\r" not in err


# --- items 16, 17, 19, 20: names, FIFOs, collisions ----------------------------------
def test_names_are_paired_in_unicode_nfc(project, capsys):
    for path in (project / "content").iterdir():
        path.unlink()
    for path in (project / "annotations").iterdir():
        path.unlink()
    name = "Zo\u00eb"
    (project / "content" / f"{unicodedata.normalize('NFC', name)}.md").write_text(STORY)
    (project / "annotations" / f"{unicodedata.normalize('NFD', name)}.yaml").write_text(NOTES)
    assert run(project, "build") == 0
    out = capsys.readouterr().out
    assert "1 of 1 quotation annotated" in out


def test_a_fifo_is_refused_not_read(project):
    os.mkfifo(project / "content" / "fifo.md")
    os.mkfifo(project / "static" / "pipe.css")
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--root",
                           str(project)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 1
    assert "content/fifo.md" in done.stderr and "not a regular file" in done.stderr
    assert "static/pipe.css" in done.stderr


@pytest.mark.parametrize("story,other", [("assets", "static/index.html"),
                                         ("index.html", None)])
def test_two_outputs_on_one_path_are_an_error_naming_both(project, capsys, story, other):
    (project / "content" / f"{story}.md").write_text(STORY)
    if other:
        (project / other).write_text("<p>static</p>")
    assert run(project, "build") == 1
    err = capsys.readouterr().err
    assert "output-collision" in err and f"content/{story}.md" in err
    assert "internal error" not in err
    if other:
        assert other in err


def test_a_file_name_that_is_not_utf8_is_a_clear_error(project, capsys):
    bad = os.fsencode(project / "content") + b"/caf\xe9.md"
    with open(bad, "wb") as handle:
        handle.write(STORY.encode())
    assert run(project, "build") == 1
    err = capsys.readouterr().err
    assert "not valid UTF-8" in err and "caf\\xe9.md" in err and "internal error" not in err


# --- item 18: deep nesting is refused, never dropped ---------------------------------
@pytest.mark.parametrize("body", ["> " * 25 + "deep words\n",
                                  "".join("  " * i + "- item\n" for i in range(25))])
def test_text_nested_too_deep_is_refused(body):
    result = anchored(body, "[]")
    assert [d.code for d in result.diagnostics if d.is_error] == ["nested-too-deep"]


def test_nesting_within_the_limit_keeps_every_word():
    result = anchored("> " * 12 + "deep words\n", "- {id: a, quote: deep words}")
    assert [d for d in result.diagnostics if d.is_error] == []
    assert len(result.anchors) == 1


# --- item 22: every hint snippet is YAML that fixes the problem when pasted -----------
@pytest.mark.parametrize("story", [
    'He said "Nothing" then "Nothing" again.\n',
    "“Nothing,” she said. “Nothing,” he said.\n",
    "It's \"x\" and it's \"x\": it's 'x'.\n",
    "a: b # c: d\n\na: b # c: d\n",
])
def test_a_pasted_disambiguation_hint_anchors_exactly_that_place(story):
    quote = {"He": "Nothing", "“N": "Nothing", "It": "x", "a:": "b"}[story[:2]]
    entry = {"id": "a", "quote": quote, "source": "s"}
    result = anchored(story, yaml.safe_dump([entry]))
    [problem] = [d for d in result.diagnostics if d.is_error]
    assert problem.code == "anchor-ambiguous"
    suggestions = re.findall(r"for the one at (\S+), add (prefix|suffix): (\"(?:[^\"\\]|\\.)*\")",
                             problem.hint)
    assert len(suggestions) == len(problem.related)
    for place, key, snippet in suggestions:
        pasted = f"- id: a\n  quote: {json.dumps(quote)}\n  source: s\n  {key}: {snippet}\n"
        fixed = anchored(story, pasted)
        assert [d for d in fixed.diagnostics if d.is_error] == [], pasted
        assert str(fixed.anchors[0].position()) == place


def test_stub_writes_the_context_as_the_story_shows_it():
    story = "---\ntitle: T\ndate: 2016-11-01\n---\n“Yes,” he said. “Yes,” she said.\n"
    text, added, _ = plan_stub(story, "content/t.md", None, "annotations/t.yaml")
    assert added == 2
    assert 'suffix: "he"' in text or "\u201d" in text or "prefix" in text
    assert ',\\""' not in text  # never a straight quote the story does not show
    data = yaml.safe_load(text)
    assert len(data["annotations"]) == 2


# --- item 23: an unclosed quote is reported where it opens ---------------------------
def test_an_unclosed_quote_is_reported_at_its_line(project, capsys):
    (project / "annotations" / "t.yaml").write_text(
        "# notes\npeople:\n  p: {name: Ann}\nsources:\n  s: {type: email}\nannotations:\n"
        "  - quote: \"hello\n    source: \"s\"\n")
    assert run(project, "check") == 1
    err = capsys.readouterr().err
    assert "annotations/t.yaml:7:12: error: a quoted text starts here and its closing " \
        "quote is missing" in err


# --- item 25: one mistake, one message ----------------------------------------------
@pytest.mark.parametrize("notes,code", [
    ("people:\n  a: {name: A}\n  b: {name: B}\nsources:\n  s: {type: email, from: a, to: [b], "
     "verification: orignal}\nannotations:\n  - {quote: hello, source: s}\n"
     "  - {quote: bye, source: s}\n", "bad-value"),
    ("annotations:\n  - quote: hello\n\tsource: s\n", "yaml-syntax"),
    ("sources:\n  s: {type: email}\nannotations:\n  - {quote: hello, sorce: s}\n"
     "  - {quote: bye, source: s}\n", "unknown-key"),
])
def test_one_mistake_is_one_message(project, capsys, notes, code):
    (project / "content" / "t.md").write_text(STORY + '\nThen "bye" and "hello again".\n')
    (project / "annotations" / "t.yaml").write_text(notes)
    assert run(project, "check") == 1
    err = capsys.readouterr().err
    codes = re.findall(r"\[([a-z0-9-]+)\]$", err, re.MULTILINE)
    assert codes == [code], err


# --- item 26: windows, not whole lines; "and N more" ---------------------------------
def test_a_long_line_is_shown_as_a_window_around_the_column(project, capsys):
    words = " ".join(f"word{i}" for i in range(150))
    (project / "content" / "t.md").write_text(STORY + f"\n{words} \"unsourced\" {words}\n")
    assert run(project, "check") == 0
    err = capsys.readouterr().err
    excerpt = [line for line in err.splitlines() if line.lstrip().startswith("7 |")][0]
    caret = err.splitlines()[err.splitlines().index(excerpt) + 1]
    assert len(excerpt) < 120
    column = caret.index("^") - caret.index("|") - 2
    shown = excerpt[excerpt.index("|") + 2:]
    assert shown[column:].startswith('unsourced"')


def test_thousands_of_problems_on_one_line_stay_small(project, capsys):
    links = " ".join(f"[l{i}](javascript:x{i})" for i in range(2000))
    quotes = " ".join(f'"q{i}"' for i in range(2000))
    (project / "content" / "t.md").write_text(STORY + f"\n{links}\n\n{quotes}\n")
    assert run(project, "check") == 1
    captured = capsys.readouterr()
    assert len(captured.err) < 20_000
    assert "and 1995 more [unsafe-link]" in captured.err
    assert "and 1995 more [unsourced-quotation]" in captured.err
    assert "2000 errors, 2000 warnings" in captured.out


# --- item 27: small things ----------------------------------------------------------
def test_counts_agree_with_what_is_printed(project, capsys):
    (project / "content" / "t.md").write_text(
        STORY + "\n[a](javascript:x) and [a](javascript:x)\n")
    assert run(project, "check") == 1
    captured = capsys.readouterr()
    assert captured.err.count("[unsafe-link]") == 2
    assert "2 errors" in captured.out
    assert run(project, "check") == 1


def test_one_error_is_singular(project, capsys):
    (project / "annotations" / "t.yaml").write_text(NOTES.replace("hello", "helo"))
    run(project, "check")
    assert ", 1 error, " in capsys.readouterr().out


def test_serve_help_describes_every_option():
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "serve", "--help"],
                          capture_output=True, text=True)
    text = " ".join(done.stdout.split())
    for option in ("--host HOST address to listen on", "--port PORT port to listen on",
                   "--base-url URL where the site will be deployed: a path like /stories/"):
        assert option in text
    assert "--out" not in text  # the preview builds into a folder of its own


def test_a_misspelt_template_variable_gets_a_did_you_mean(project, capsys):
    base = project / "templates" / "base.html"
    base.write_text(base.read_text().replace("{{ site.title }}</a>", "{{ site.titel }}</a>"))
    assert run(project, "build") == 1
    assert "did you mean 'title'?" in capsys.readouterr().err


def test_quotations_in_the_headline_and_dek_are_reported_where_they_are(project, capsys):
    (project / "content" / "t.md").write_text(
        "---\ntitle: \"A 'Big' day\"\ndek: She said \"now\"\ndate: 2016-11-01\n---\nBody.\n")
    run(project, "check")
    err = capsys.readouterr().err
    assert "content/t.md:2:12: warning: unsourced quotation \u201cBig\u201d" in err
    assert "content/t.md:3:16: warning: unsourced quotation \u201cnow\u201d" in err


# --- items 12, 15, 24, 27 (more) -----------------------------------------------------
def test_a_difference_the_author_cannot_see_is_named():
    result = anchored("The c\u0430t sat.\n", "- {id: a, quote: The cat sat}")
    [problem] = [d for d in result.diagnostics if d.is_error]
    assert problem.message == ("quote not found in the story (the story has '\u0430' (CYRILLIC "
                               "SMALL LETTER A) where the quote has 'a' (LATIN SMALL LETTER A))")


@pytest.mark.parametrize("story,quote,said", [
    ("It was a long\u2013term plan.", "a long-term plan",
     "the story has an en dash (\u2013) where the quote has a hyphen (-)"),
    ("The vote is thin.", "The vote is tin",
     "the story has 'h' that the quote has not"),
    ("It was a hit.", "It was a hat", "the story has 'i' where the quote has 'a'"),
    ("It was\u00a0a hit.", "It was a hot", "the story has 'i' where the quote has 'o'"),
    ("It was a big hit.", "It was a small hat", ""),  # more than one: the word diff says it
    ("The soft\u00adware works.", "The softwere works",
     "the story has 'a' where the quote has 'e'"),
])
def test_a_small_difference_is_named_in_plain_words(story, quote, said):
    result = anchored(story + "\n", f"- {{id: a, quote: {quote}}}")
    [problem] = [d for d in result.diagnostics if d.is_error]
    expected = "quote not found in the story" + (f" ({said})" if said else "")
    assert problem.message == expected
    assert "(difference: " in problem.hint


def test_every_id_on_every_built_page_is_unique(tmp_path):
    from bs4 import BeautifulSoup

    root = make_project_with_example(tmp_path)
    (root / "content" / "ids.md").write_text(
        "---\ntitle: Ids\ndate: 2016-11-01\n---\nWords main popup sources a b c and "
        "[the link to b2](https://example.org) end.\n")
    (root / "annotations" / "ids.yaml").write_text(
        "sources:\n  s: {type: email}\nannotations:\n"
        "  - {id: a, quote: a, source: s}\n  - {id: a-text, quote: b, source: s}\n"
        "  - {id: popup, quote: popup, source: s}\n  - {id: main, quote: main, source: s}\n"
        "  - {id: sources, quote: sources, source: s}\n  - {quote: c, source: s}\n"
        "  - {id: b2, quote: b2, source: s}\n")
    assert main(["build", "--root", str(root)]) == 0
    pages = sorted((root / "site").rglob("*.html"))
    assert len(pages) >= 3
    for page in pages:
        soup = BeautifulSoup(page.read_text(), "html.parser")
        ids = [tag["id"] for tag in soup.find_all(id=True)]
        assert len(ids) == len(set(ids)), (page, sorted(i for i in ids if ids.count(i) > 1))
        for tag in soup.find_all(attrs={"aria-describedby": True}):
            assert soup.find(id=tag["aria-describedby"]) is not None
        for tag in soup.find_all("a", href=True):
            if tag["href"].startswith("#"):
                assert soup.find(id=tag["href"][1:]) is not None, tag["href"]


def make_project_with_example(tmp_path):
    from helpers import make_project

    return make_project(tmp_path)


def test_build_py_runs_with_a_python_that_lacks_the_dependencies(tmp_path):
    system = "/usr/bin/python3"
    if not os.path.exists(system) or subprocess.run(
            [system, "-c", "import markdown_it"], capture_output=True).returncode == 0:
        pytest.skip("needs a system Python without the dependencies")
    from helpers import make_project

    example = make_project(tmp_path)
    done = subprocess.run([system, str(REPO / "build.py"), "check", "--root", str(example)],
                          capture_output=True, text=True, timeout=60)
    if (REPO / ".venv" / "bin" / "python").exists():
        assert done.returncode == 0, done.stderr
        assert "13 of 13 quotations annotated" in done.stdout
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "build.py").write_text((REPO / "build.py").read_text())
    done = subprocess.run([system, str(copy / "build.py"), "check"], capture_output=True,
                          text=True, timeout=60, cwd=copy)
    assert done.returncode == 2
    assert "make site" in done.stderr and "Traceback" not in done.stderr


def test_stub_writes_contexts_exactly_as_the_story_shows_them():
    story = ("---\ntitle: T\ndate: 2016-11-01\n---\n"
             "\u201cYes,\u201d he said. \u201cYes,\u201d she said.\n")
    text, added, _ = plan_stub(story, "content/t.md", None, "annotations/t.yaml")
    assert added == 2
    assert '    suffix: ",\u201d he"\n' in text
    assert '    prefix: "said."\n' in text


# --- the YAML loader's two paths (few brackets: nodes checked; many: events first) ---
@pytest.mark.parametrize("padding", ["", "pad: [" + ", ".join(["[1]"] * 2100) + "]\n"])
@pytest.mark.parametrize("text,code", [
    ("a: !!python/object:os.system x\n", "yaml-tag-refused"),
    ("a: !custom {b: 1}\n", "yaml-tag-refused"),
    ("a: !!int \"5\"\n", "yaml-tag-refused"),
    ("".join("  " * i + "k:\n" for i in range(40)) + "  " * 40 + "v: 1\n", "yaml-too-deep"),
    ("a: 1\n---\nb: 2\n", "yaml-several-documents"),
    ("a: &x [1]\n" + "".join(f"b{i}: *x\n" for i in range(60)), "yaml-too-many-aliases"),
])
def test_unsafe_yaml_is_refused_on_both_paths(text, code, padding):
    from annostory.inputs.yamltree import load_yaml

    doc, problems = load_yaml(padding + text, "f.yaml")
    assert doc is None and [p.code for p in problems] == [code]


def test_very_deep_flow_nesting_is_refused_without_crashing():
    from annostory.inputs.yamltree import load_yaml

    doc, problems = load_yaml("a: " + "[" * 200_000 + "]" * 200_000 + "\n", "f.yaml")
    assert doc is None and problems[0].code == "yaml-too-deep"
