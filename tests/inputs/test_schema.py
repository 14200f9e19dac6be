"""The JSON Schema editors use and the build's loader are one source of truth."""

import json

import pytest
from helpers import EXAMPLE, FIXTURES, REPO, read_fixtures
from jsonschema import Draft202012Validator

from annostory.inputs import schema
from annostory.inputs.yamltree import load_yaml

SCHEMA = json.loads((REPO / "annostory" / "schemas" / "annotations.schema.json").read_text())


def test_schemas_are_valid_draft_2020_12():
    for name in schema.SCHEMA_FILES:
        Draft202012Validator.check_schema(
            json.loads((REPO / "annostory" / "schemas" / name).read_text()))


def test_every_field_has_a_description_and_examples():
    def properties(node):
        if isinstance(node, dict):
            yield from node.get("properties", {}).items()
            for value in node.values():
                yield from properties(value)
        elif isinstance(node, list):
            for value in node:
                yield from properties(value)
    fields = list(properties(SCHEMA))
    assert len(fields) >= 30
    for name, definition in fields:
        assert definition.get("description"), name
        assert definition.get("examples"), name


def test_examples_in_the_schema_are_valid_themselves():
    validator = schema.validator("annotations.schema.json")
    for name, definition in SCHEMA["$defs"].items():
        for field, sub in definition.get("properties", {}).items():
            wrapper = {"type": "object", "properties": {field: sub}}
            for example in sub.get("examples", []):
                errors = list(validator.evolve(schema=wrapper).iter_errors({field: example}))
                assert errors == [], (name, field, example)


CASES = read_fixtures(FIXTURES / "bad-annotations.md", sections=2)
GOOD = [
    "annotations:\n  - {quote: a, source: s, date: 2015-10-21}\nsources:\n  s: {type: email}\n",
    "annotations:\n  - {quote: a, source: s, note: yes, date: 2016}\nsources:\n  s: {type: memo}\n",
    (EXAMPLE / "annotations" / "trumka-not-motivated.yaml").read_text(),
]


@pytest.mark.parametrize("text", [c[2][0] for c in CASES] + GOOD)
def test_schema_alone_and_the_loader_agree(text):
    """Validating the YAML 1.2 data with plain jsonschema (what an editor does) and
    the build's schema step give the same verdict, for every fixture case."""
    doc, syntax = load_yaml(text, "t.yaml")
    if doc is None:
        assert syntax  # refused before any schema: the editor's YAML parser refuses too
        return
    plain = list(Draft202012Validator(SCHEMA, registry=schema.validator(
        "annotations.schema.json")._registry).iter_errors(doc.data))
    ours = schema.validate(doc, "annotations.schema.json")
    assert bool(plain) == bool(ours)
    # every entry the schema faults gets at least one diagnostic of its own
    faulted = {tuple(e.absolute_path)[:2] for e in plain}
    assert len(ours) >= len(faulted) or len(ours) >= 1 and len(faulted) == 1


def test_annotation_files_start_with_the_schema_modeline():
    for path in (EXAMPLE / "annotations").glob("*.yaml"):
        assert path.read_text().startswith(
            "# yaml-language-server: $schema=../schema/annotations.schema.json\n")


# The compiled validator (fastjsonschema, the fast path) and the explaining one
# (jsonschema) must give the same verdict on every document.
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 3000) | st.sampled_from(
        ["", " ", "email", "memo", "original", "2015-11-03", "2016-02-30", "2015-09~",
         "2015-21", "https://example.org", "javascript:x", "podesta", "Bad Id", "x" * 600,
         "2015-10-21T12:16-07:00", "mailto:a@b.org", "no"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["name", "role", "type", "from", "to", "sent", "url", "quote",
                         "source", "speaker", "date", "note", "prefix", "suffix", "id",
                         "speakr", "verification", "reported_by", "publisher"]), inner,
        max_size=4), max_leaves=8)


def _example_data():
    text = (EXAMPLE / "annotations" / "trumka-not-motivated.yaml").read_text()
    doc, problems = load_yaml(text, "x.yaml")
    assert not problems
    return doc.data


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_fast_and_the_explaining_validators_agree(data):
    document = _example_data()
    for _ in range(data.draw(st.integers(1, 3))):
        section = data.draw(st.sampled_from(["people", "sources", "annotations"]))
        container = document[section]
        if isinstance(container, list):
            entry = container[data.draw(st.integers(0, len(container) - 1))]
        else:
            entry = container[data.draw(st.sampled_from(sorted(container)))]
        key = data.draw(st.sampled_from(sorted(entry) + ["speakr", "note", "date", "id"]))
        if data.draw(st.booleans()):
            entry[key] = data.draw(VALUES)
        else:
            entry.pop(key, None)
    for name in ("annotations.schema.json",):
        fast = schema.is_valid(document, name)
        slow = not any(True for _ in schema.validator(name).iter_errors(document))
        assert fast == slow


@pytest.mark.parametrize("name,value", [
    ("story.schema.json", {"title": "T", "date": "2016-11-01"}),
    ("story.schema.json", {"title": "T", "date": "2016-13-01"}),
    ("story.schema.json", {"title": "T", "date": "2016-11-01", "canonical": "javascript:x"}),
    ("story.schema.json", {"title": "", "date": "2016-11-01"}),
    ("site.schema.json", {"title": "S", "base_url": "https://e.org/"}),
    ("site.schema.json", {"title": "S", "base_url": "ftp://e.org/"}),
    ("site.schema.json", {"title": "S", "language": "en-GB", "extra": 1}),
])
def test_the_validators_agree_on_front_matter_and_settings(name, value):
    fast = schema.is_valid(value, name)
    slow = not any(True for _ in schema.validator(name).iter_errors(value))
    assert fast == slow


@pytest.mark.parametrize("broken", ["{not json", '{"type": "object", "minLength": "x"}',
                                    '{"properties": {"title": {"pattern": "^(a+)+$"}}}', None])
def test_a_project_s_schema_folder_is_never_what_the_build_validates_with(tmp_path, broken):
    """The schemas are annostory's own (annostory/schemas): a project's schema/ is a copy
    for editors. A broken or missing copy (it once meant exit 3, or a regular expression
    that hangs) changes nothing."""
    from helpers import make_project

    from annostory.commands.cli import main

    root = make_project(tmp_path)
    before = main(["check", "--root", str(root), "--no-cache"])
    (root / "schema").mkdir(exist_ok=True)
    for name in ("annotations.schema.json", "story.schema.json", "site.schema.json"):
        if broken is not None:
            (root / "schema" / name).write_text(broken)
    assert before == 0
    assert main(["check", "--root", str(root)]) == 0
    assert main(["build", "--root", str(root)]) == 0

