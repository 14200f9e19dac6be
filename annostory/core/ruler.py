"""An ordered registry of named rules, in the manner of markdown-it's `Ruler`.

Checks and page kinds are each a `Ruler`: rules run in the order they were added,
and a rule is placed relative to another by name (`before`, `after`), so the order is
declared where a rule is added, never implied by the order of calls elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Rule(Generic[T]):
    name: str
    value: T


class Ruler(Generic[T]):
    def __init__(self) -> None:
        self._rules: list[Rule[T]] = []

    def _index(self, name: str) -> int:
        for i, rule in enumerate(self._rules):
            if rule.name == name:
                return i
        raise KeyError(f"no rule named {name!r}")

    def _insert(self, at: int, name: str, value: T) -> None:
        if any(rule.name == name for rule in self._rules):
            raise ValueError(f"a rule named {name!r} is already registered")
        self._rules.insert(at, Rule(name, value))

    def push(self, name: str, value: T) -> None:
        """Add a rule at the end."""
        self._insert(len(self._rules), name, value)

    def before(self, other: str, name: str, value: T) -> None:
        """Add a rule just before the rule called `other`."""
        self._insert(self._index(other), name, value)

    def after(self, other: str, name: str, value: T) -> None:
        """Add a rule just after the rule called `other`."""
        self._insert(self._index(other) + 1, name, value)

    def at(self, name: str, value: T) -> None:
        """Replace the rule called `name`."""
        self._rules[self._index(name)] = Rule(name, value)

    def names(self) -> list[str]:
        return [rule.name for rule in self._rules]

    def __iter__(self) -> Iterator[Rule[T]]:
        return iter(list(self._rules))

    def __len__(self) -> int:
        return len(self._rules)
