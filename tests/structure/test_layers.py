"""The house plan, checked: the engine's layers import only the layers before them,
no module imports itself through others (lazy imports inside functions count), and
no module, class or function outgrows what a reader can hold."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "annostory"

# Each layer may import itself and the layers listed for it.
ALLOWED = {
    "core": set(),
    "output": {"core"},
    "inputs": {"core"},
    "anchoring": {"core", "inputs"},
    "checks": {"core", "inputs", "anchoring"},
    "pages": {"core", "inputs", "anchoring", "checks"},
    "build": {"core", "inputs", "anchoring", "checks", "pages", "output"},
    "editor": {"core", "inputs", "anchoring", "checks", "pages", "build"},
    "commands": {"core", "inputs", "anchoring", "checks", "pages", "build", "output", "editor"},
}
LIMITS = {"module": 500, "class": 250, "function": 80}


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(name: str, path: Path) -> set[str]:
    """Every annostory module `name` imports, anywhere in it."""
    tree = ast.parse(path.read_text("utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("annostory")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("annostory"):
                continue
            for alias in node.names:  # `from . import schema` names a module
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in MODULES else target)
    return {m for m in found if m in MODULES}


MODULES = modules()
GRAPH = {name: imports(name, path) for name, path in MODULES.items()}


def layer(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_every_module_is_in_a_layer():
    stray = [name for name in MODULES if layer(name) not in ALLOWED and
             name not in ("annostory", "annostory.__main__")]
    assert stray == []
    assert len(ALLOWED) >= 5


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_no_upward_import(name):
    mine = layer(name)
    if mine not in ALLOWED:
        return  # the package itself and python -m annostory may use any layer
    wrong = sorted(other for other in GRAPH[name]
                   if layer(other) != mine and layer(other) not in ALLOWED[mine])
    assert wrong == [], f"{name} ({mine}) imports a later layer"


def test_no_import_cycle():
    state: dict[str, int] = {}
    path: list[str] = []
    cycles = []

    def visit(name: str) -> None:
        state[name] = 1
        path.append(name)
        for other in sorted(GRAPH[name]):
            if other == name or other in ("annostory",):
                continue
            if state.get(other) == 1:
                cycles.append(path[path.index(other):] + [other])
            elif other not in state:
                visit(other)
        path.pop()
        state[name] = 2
    for name in sorted(GRAPH):
        if name not in state:
            visit(name)
    assert cycles == []


def test_the_checker_sees_imports():
    """The walk finds relative, absolute and lazy imports (a check that finds nothing
    would pass whatever the code does)."""
    assert "annostory.core.diagnostics" in GRAPH["annostory.inputs.files"]
    assert "annostory.inputs.schema" in GRAPH["annostory.inputs.settings"]  # `from . import`
    assert "annostory.build.project" in GRAPH["annostory.commands.cli"]


def sizes():
    for name, path in MODULES.items():
        text = path.read_text("utf-8")
        yield "module", name, len(text.splitlines())
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef):
                yield "class", f"{name}.{node.name}", node.end_lineno - node.lineno + 1
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield "function", f"{name}.{node.name}", node.end_lineno - node.lineno + 1


def test_nothing_outgrows_its_limit():
    over = sorted(f"{kind} {name}: {lines} lines (limit {LIMITS[kind]})"
                  for kind, name, lines in sizes() if lines > LIMITS[kind])
    assert over == []


def test_the_tests_mirror_the_layers_and_are_all_collected():
    """A folder of tests per layer, and none that pytest would pass over (it skips
    folders called build unless told otherwise: tests/build was once never run)."""
    import fnmatch
    import tomllib

    tests = PACKAGE.parent / "tests"
    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())
    skipped = config["tool"]["pytest"]["ini_options"]["norecursedirs"]
    folders = {p.parent.relative_to(tests).parts[0] for p in tests.rglob("test_*.py")}
    assert set(ALLOWED) <= folders
    assert [f for f in folders if any(fnmatch.fnmatch(f, pattern) for pattern in skipped)] == []
