"""The checks a story goes through, in order (`CHECKS`, a `core.ruler.Ruler`).

To add a check: write a module in this package with a `check(story, findings)`
function returning a `CheckResult` (see `checks.base`; copy `coverage.py`), and
register it here, after the checks whose findings it reads.
"""

from __future__ import annotations

from ..core.diagnostics import Diagnostic
from ..core.ruler import Ruler
from . import attribution, coverage, images, originals
from .base import Check, Findings, StoryUnderCheck

CHECKS: Ruler[Check] = Ruler()
CHECKS.push("coverage", coverage.check)
CHECKS.push(originals.NAME, originals.check)
CHECKS.after(originals.NAME, attribution.NAME, attribution.check)  # reads the senders
CHECKS.push(images.NAME, images.check)


def run_checks(story: StoryUnderCheck) -> tuple[Findings, list[Diagnostic]]:
    """Every check, in order; what each found, and all their diagnostics."""
    findings = Findings()
    for rule in CHECKS:
        findings.add(rule.name, rule.value(story, findings))
    return findings, findings.diagnostics()
