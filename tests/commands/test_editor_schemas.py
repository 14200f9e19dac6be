"""The project's schema/ (what the `$schema=` line of every annotations file names)
stays in step with the annostory that runs, with no step after an upgrade; a folder
annostory did not make is never written into."""

import json

from helpers import make_project

from annostory.commands.cli import main
from annostory.core.version import VERSION
from annostory.inputs.schema import SCHEMA_DIR, SCHEMA_FILES


def same_as_this_version(root) -> bool:
    return all((root / "schema" / name).read_bytes() == (SCHEMA_DIR / name).read_bytes()
               for name in SCHEMA_FILES)


def test_the_modeline_resolves_to_this_version_s_schema(tmp_path):
    root = make_project(tmp_path)
    assert main(["check", "--root", str(root)]) == 0
    notes = root / "annotations" / "trumka-not-motivated.yaml"
    line = notes.read_text().split("\n", 1)[0]
    target = (notes.parent / line.split("$schema=", 1)[1]).resolve()
    assert target == (root / "schema" / "annotations.schema.json").resolve()
    assert same_as_this_version(root)


def test_an_upgrade_brings_the_copy_up_to_date_by_itself(tmp_path, capsys):
    root = make_project(tmp_path)
    assert main(["build", "--root", str(root)]) == 0
    old = root / "schema" / "annotations.schema.json"
    data = json.loads(old.read_text())
    data["description"] = "the schema of an older annostory"
    old.write_text(json.dumps(data))  # as an older version left it
    capsys.readouterr()
    assert main(["build", "--root", str(root)]) == 0
    assert f"schema/ brought up to date with annostory {VERSION}" in capsys.readouterr().err
    assert same_as_this_version(root)


def test_a_folder_annostory_did_not_make_is_left_alone(tmp_path, capsys):
    root = make_project(tmp_path)
    (root / "schema").mkdir()
    (root / "schema" / "README.md").write_text("our own notes\n")
    (root / "schema" / "annotations.schema.json").write_text("{}")
    capsys.readouterr()
    assert main(["check", "--root", str(root)]) == 0
    assert "schema/ was not made by annostory" in capsys.readouterr().err
    assert (root / "schema" / "README.md").read_text() == "our own notes\n"
    assert (root / "schema" / "annotations.schema.json").read_text() == "{}"
