"""`check`, file-level problems and positions: every bad input gets file:line:col,
exit 1, and never a traceback; the previous site/ stays as it was."""

import json
import os

import pytest
from helpers import SMALL_NOTES, SMALL_STORY, small_project

from annostory.commands.cli import main

STORY, NOTES = SMALL_STORY, SMALL_NOTES


@pytest.fixture
def project(tmp_path):
    return small_project(tmp_path)


def check(root, *args):
    return main(["check", "--root", str(root), *args])


def test_check_prints_everything_with_excerpt_caret_and_summary(project, capsys):
    (project / "content" / "t.md").write_text(STORY + "\nHe said \"bye\" and \"see you\".\n")
    (project / "annotations" / "t.yaml").write_text(
        NOTES + "  - quote: gone\n    source: {type: memo}\n")
    assert check(project) == 1
    out = capsys.readouterr()
    lines = out.err.splitlines()
    assert lines[0] == "annotations/t.yaml:4:12: error: quote not found in the story " \
        "[anchor-not-found]"
    assert lines[1] == "    4 |   - quote: gone"
    assert lines[2] == "      |" + " " * 12 + "^"
    assert "content/t.md:7:10: warning: unsourced quotation \u201cbye\u201d [unsourced-quotation]" \
        in out.err
    assert out.out.strip() == ("1 story, 2 annotations, 1 of 3 quotations annotated, "
                               "1 error, 2 warnings")


def test_check_json_for_editors(project, capsys):
    (project / "annotations" / "t.yaml").write_text(NOTES.replace("quote:", "qoute:"))
    assert check(project, "--format", "json") == 1
    rows = json.loads(capsys.readouterr().out)
    unknown = [r for r in rows if r["code"] == "unknown-key"][0]
    assert unknown == {"file": "annotations/t.yaml", "line": 2, "column": 5,
                       "severity": "error", "code": "unknown-key",
                       "message": "unknown key 'qoute' in annotation 1",
                       "hint": "did you mean 'quote'?", "related": []}


def test_strict_makes_warnings_fail(project, capsys):
    (project / "content" / "t.md").write_text(STORY + "\nAnd \"more\".\n")
    assert check(project) == 0
    assert check(project, "--strict") == 1
    assert "0 errors, 1 warning" in capsys.readouterr().out


def test_build_prints_the_same_diagnostics_and_refuses_to_write(project, capsys):
    assert main(["build", "--root", str(project)]) == 0
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    (project / "annotations" / "t.yaml").write_text(NOTES + "oops: [\n")
    assert main(["build", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert "annotations/t.yaml:" in err and "Traceback" not in err
    after = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before


def test_not_utf8_names_the_byte_offset(project, capsys):
    (project / "annotations" / "t.yaml").write_bytes(b"annotations:\n  - quote: caf\xe9\n")
    assert check(project) == 1
    err = capsys.readouterr().err
    assert ("annotations/t.yaml:2:15: error: file is not valid UTF-8: byte 0xE9 at byte "
            "offset 27") in err


def test_bom_and_crlf_are_accepted_silently_with_right_positions(project, capsys):
    (project / "content" / "t.md").write_bytes(
        ("\ufeff" + STORY + "\nAnd \"more\".\n").replace("\n", "\r\n").encode())
    (project / "annotations" / "t.yaml").write_bytes(("\ufeff" + NOTES).replace("\n", "\r\n")
                                                     .encode())
    assert check(project) == 0
    assert "content/t.md:7:6: warning: unsourced quotation" in capsys.readouterr().err


def test_positions_count_front_matter_lines_and_characters_not_bytes(project, capsys):
    (project / "content" / "t.md").write_text(
        "---\ntitle: T\ndek: Ünïcödé\ndate: 2016-11-01\n---\n\nŽluťoučký kůň said \"hello\".\n"
        "\nÉé said \"again\".\n")
    assert check(project) == 0
    err = capsys.readouterr().err
    assert "content/t.md:9:10: warning: unsourced quotation \u201cagain\u201d" in err


def test_front_matter_errors_are_placed_in_the_story_file(project, capsys):
    (project / "content" / "t.md").write_text("---\ntitle: T\ndate: 2016-02-30\n---\nText.\n")
    assert check(project) == 1
    assert ("content/t.md:3:7: error: 'date': '2016-02-30' is not a real date"
            in capsys.readouterr().err)


def test_missing_front_matter_and_empty_story(project, capsys):
    (project / "content" / "t.md").write_text("Just text.\n")
    (project / "content" / "e.md").write_text("")
    assert check(project) == 1
    err = capsys.readouterr().err
    assert "content/t.md:1:1: error: the story does not start with front matter" in err
    assert "content/e.md:1:1: error: the story file is empty" in err


def test_annotations_without_a_story_and_a_story_without_annotations(project, capsys):
    (project / "annotations" / "tt.yaml").write_text(NOTES)
    (project / "content" / "other.md").write_text(STORY.replace("hello", "hi"))
    assert check(project) == 1
    err = capsys.readouterr().err
    assert ("annotations/tt.yaml:1:1: error: no story content/tt.md for this annotations file "
            "[annotations-without-story]") in err
    assert "hint: did you mean annotations/t.yaml?" in err
    assert "content/other.md:1:1: warning: the story has no annotations file (other.yaml)" in err


def test_symlink_out_of_the_project_is_refused(project, tmp_path, capsys):
    outside = tmp_path / "secret.yaml"
    outside.write_text(NOTES)
    (project / "annotations" / "t.yaml").unlink()
    os.symlink(outside, project / "annotations" / "t.yaml")
    assert check(project) == 1
    assert "error: refusing to read annotations/t.yaml: it is a link to" in capsys.readouterr().err


def test_control_characters_are_reported_where_they_are(project, capsys):
    (project / "content" / "t.md").write_text(STORY.replace("She said", "She\x07 said"))
    assert check(project) == 1
    assert "content/t.md:5:4: error: invisible control character U+0007" in capsys.readouterr().err


def test_files_over_the_size_limit_are_refused(project, capsys):
    (project / "annotations" / "t.yaml").write_text(NOTES + "# " + "x" * (1024 * 1024) + "\n")
    assert check(project) == 1
    assert "error: file is 1,048,6" in capsys.readouterr().err


def test_an_internal_error_is_one_line_not_a_traceback(project, capsys, monkeypatch):
    import annostory.commands.cli as cli

    def boom(*args, **kwargs):
        raise RuntimeError("simulated")
    monkeypatch.setattr(cli, "compile_project", boom)
    assert main(["check", "--root", str(project)]) == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError('simulated')" in err and "Traceback" not in err


def test_a_schema_error_in_one_entry_does_not_hide_problems_in_the_others(project, capsys):
    (project / "content" / "t.md").write_text(STORY + "\nHe said \"bye\".\n")
    (project / "annotations" / "t.yaml").write_text(
        "annotations:\n  - quote: hello\n    speakr: x\n    source: {type: email}\n"
        "  - quote: by\n    source: {type: email}\n")
    assert check(project) == 1
    err = capsys.readouterr().err
    assert "annotations/t.yaml:3:5: error: unknown key 'speakr' in annotation 1" in err
    assert ("annotations/t.yaml:5:12: error: the quote matches only part of a word: "
            "\u201cbye\u201d") in err


def test_hints_print_commands_that_work_from_where_the_user_stands(tmp_path):
    """Run from another folder, a hint names the project (--root) and the way annostory
    was run (it once said 'python build.py stub test' whatever the folder)."""
    import subprocess
    import sys

    from helpers import REPO, small_project

    root = small_project(tmp_path)
    (root / "content" / "t.md").write_text(
        "---\ntitle: T\ndate: 2016-11-01\n---\nShe said \"hello\" and \"goodbye\".\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--root",
                           "../project"], cwd=elsewhere, capture_output=True, text=True)
    expected = f"python {__import__('os').path.relpath(REPO / 'build.py', elsewhere)} stub t"
    assert f"{expected} --root ../project" in done.stderr, done.stderr
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "check"], cwd=root,
                          capture_output=True, text=True)
    assert "stub t writes a stub" in done.stderr and "--root" not in done.stderr
    done = subprocess.run([sys.executable, "-m", "annostory", "check", "--format", "json"],
                          cwd=root, capture_output=True, text=True,
                          env={**__import__("os").environ, "PYTHONPATH": str(REPO)})
    assert "-m annostory stub t" in done.stdout
