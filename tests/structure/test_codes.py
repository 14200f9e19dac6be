"""The catalogue of diagnostic codes (core.codes) is the one list: every code the
engine can emit is in it with the severity it is emitted with, nothing in it is
stale, and the README's table is generated from it."""

import ast
import json
import re
from pathlib import Path

from annostory.core.codes import CODES, markdown_table

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "annostory"


def required_fields() -> set[str]:
    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, dict):
            found.update(value.get("required", []))
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
    for path in (PACKAGE / "schemas").glob("*.json"):
        walk(json.loads(path.read_text()))
    return found


# Codes made from a name: what each pattern can stand for.
FAMILIES = {"missing-{missing}": {f"missing-{name}" for name in required_fields()},
            "undefined-{kind}": {"undefined-person", "undefined-source"}}
# Codes passed on from another diagnostic (a refused template keeps the file's code).
PASSED_ON = {"exc.code"}


def emitted() -> dict[str, set[str]]:
    """Every code in the engine's calls of error() and warning(), with severities."""
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name not in ("error", "warning"):
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Constant):
                codes = {arg.value}
            elif isinstance(arg, ast.JoinedStr):
                codes = FAMILIES[re.sub(r"\{(\w+)\}", r"{\1}", ast.unparse(arg)[2:-1])]
            else:
                assert ast.unparse(arg) in PASSED_ON, f"{path}: {ast.unparse(arg)}"
                continue
            for code in codes:
                found.setdefault(code, set()).add(name)
    return found


EMITTED = emitted()


def test_every_emitted_code_is_catalogued_with_its_severity():
    wrong = {code: severities for code, severities in EMITTED.items()
             if code not in CODES or severities != {CODES[code].severity}}
    assert all(CODES[code].severity == "warning" for code in CODES if CODES[code].settable)
    assert wrong == {}
    assert len(EMITTED) > 60  # the walk finds the calls


def test_the_catalogue_holds_no_stale_code():
    assert sorted(set(CODES) - set(EMITTED)) == []


def test_every_entry_says_what_it_means_and_what_to_do():
    assert all(entry.meaning and entry.fix and entry.severity in ("error", "warning")
               for entry in CODES.values())


def test_the_readme_table_is_generated_from_the_catalogue():
    readme = (REPO / "README.md").read_text()
    start, end = "<!-- codes: start -->\n", "<!-- codes: end -->"
    assert start in readme and end in readme
    table = readme.split(start, 1)[1].split(end, 1)[0]
    assert table == markdown_table(), \
        "regenerate it: python -m annostory.core.codes, between the codes markers"
