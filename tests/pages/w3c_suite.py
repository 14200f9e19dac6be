"""A runner for the W3C Web Annotation model test suite (github.com/w3c/web-annotation-tests,
the tests web-platform-tests runs with its JSONtest.js): each `.test` file lists
JSON Schema (draft-04) assertions, run in order with the harness's rules
(`expectedResult`, `onUnexpectedResult`: continue, skip the rest of the level, or
abort), the suite's `definitions/` preloaded.

The suite is public but not on PyPI or npm, so it is not copied here: point
W3C_WEB_ANNOTATION_TESTS at a checkout of it to run the tests that use it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

SUITE_VARIABLE = "W3C_WEB_ANNOTATION_TESTS"
MUST_TESTS = {"collection": "collections/collectionMusts.test",
              "page": "collections/pages/pageMusts.test",
              "annotation": "annotations/annotationMusts.test"}


def suite_folder() -> Path | None:
    value = os.environ.get(SUITE_VARIABLE, "")
    folder = Path(value) if value else None
    return folder if folder is not None and (folder / "definitions").is_dir() else None


@dataclass(frozen=True)
class Outcome:
    assertion: str
    title: str
    passed: bool
    skipped: bool = False
    message: str = ""


class Suite:
    def __init__(self, folder: Path) -> None:
        from jsonschema import Draft4Validator
        from referencing import Registry
        from referencing.jsonschema import DRAFT4

        self.folder = folder
        self.validator_class = Draft4Validator
        definitions = [json.loads(path.read_text("utf-8"))
                       for path in sorted((folder / "definitions").glob("*.json"))]
        self.registry = Registry().with_resources(
            (schema["id"], DRAFT4.create_resource(schema)) for schema in definitions)

    def _assertion(self, item) -> dict:
        if isinstance(item, str):
            data = json.loads((self.folder / item).read_text("utf-8"))
            data["assertionFile"] = item
            return data
        if "assertionFile" in item:
            data = json.loads((self.folder / item["assertionFile"]).read_text("utf-8"))
            data.update({k: v for k, v in item.items() if k != "assertionFile"})
            return data
        return item

    def run(self, test_file: str, document: dict) -> list[Outcome]:
        test = json.loads((self.folder / test_file).read_text("utf-8"))
        outcomes: list[Outcome] = []
        self._run_level(test["assertions"], document, outcomes)
        return outcomes

    def _run_level(self, assertions: list, document: dict, outcomes: list[Outcome],
                   action: str = "continue") -> str:
        for item in assertions:
            if isinstance(item, list):
                if self._run_level(item, document, outcomes, action) == "abort":
                    action = "abort"
                continue
            if action == "abort":
                return "abort"
            schema = self._assertion(item)
            name = schema.get("assertionFile", "inline")
            if action != "continue":
                outcomes.append(Outcome(name, schema.get("title", ""), True, skipped=True))
                continue
            validator = self.validator_class(
                schema, registry=self.registry,
                format_checker=self.validator_class.FORMAT_CHECKER)
            errors = list(validator.iter_errors(document))
            expected = schema.get("expectedResult", "valid")
            passed = (expected == "valid") == (not errors)
            if not passed:
                action = {"failAndSkip": "skip", "failAndAbort": "abort", "passAndSkip": "skip",
                          "passAndAbort": "abort"}.get(schema.get("onUnexpectedResult", ""),
                                                       "continue")
            outcomes.append(Outcome(name, schema.get("title", ""), passed,
                                    message="" if passed else schema.get(
                                        "errorMessage", "; ".join(e.message for e in errors))))
        return action


def must_failures(suite: Suite, collection: dict) -> tuple[int, list[Outcome]]:
    """(assertions run, failures) of the MUST tests on an AnnotationCollection: the
    collection, its embedded page, and each annotation on its own."""
    outcomes = suite.run(MUST_TESTS["collection"], collection)
    outcomes += suite.run(MUST_TESTS["page"], collection)
    for item in collection["first"]["items"]:
        outcomes += suite.run(MUST_TESTS["annotation"], item)
    ran = [o for o in outcomes if not o.skipped]
    return len(ran), [o for o in ran if not o.passed]
