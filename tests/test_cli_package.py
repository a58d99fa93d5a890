"""The CLI package's shape: every module imports on its own, and the imports form no cycle."""

from __future__ import annotations

import ast
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "archive"
CLI_MODULES = sorted(f"archive.cli.{p.stem}" if p.stem != "__init__" else "archive.cli"
                     for p in (PACKAGE / "cli").glob("*.py") if p.stem != "__main__")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The archive modules `path` imports (at the top or inside functions), as dotted names."""
    name = _module_name(path)
    package = name if path.stem == "__init__" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(_runtime_imports(ast.parse(path.read_text(encoding="utf-8")), name)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "archive")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] != "archive":
                continue
            for alias in node.names:  # `from . import search` names a module, not an attribute
                candidate = f"{module}.{alias.name}"
                found.add(candidate if _exists(candidate) else module)
    return found


def _runtime_imports(tree: ast.Module, name: str) -> ast.Module:
    """The tree without what is no import at run time (`if TYPE_CHECKING:` blocks), and without
    the engine packages `archive.engines.engine` loads when asked for one: the seam's one
    choice, made above the engines it picks (they import the seam's protocols)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            node.body = [ast.Pass()]
        if name == "archive.engines" and isinstance(node, ast.FunctionDef) \
                and node.name == "engine":
            node.body = [ast.Pass()]
    return tree


def _exists(module: str) -> bool:
    path = ROOT.joinpath(*module.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in _imports(path) if m in modules and m != name}
            for name, path in modules.items()}


@pytest.mark.parametrize("module", CLI_MODULES)
def test_each_cli_module_imports_alone(module):
    done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")


def test_the_archive_package_has_no_import_cycle():
    try:
        TopologicalSorter(_graph()).prepare()
    except CycleError as error:
        pytest.fail(f"import cycle: {' -> '.join(error.args[1])}")


def test_command_modules_share_only_common():
    graph = _graph()
    commands = {m for m in graph if m.startswith("archive.cli.")} - {"archive.cli.common",
                                                                    "archive.cli.__main__"}
    assert {m: sorted(t for t in graph[m] if t.startswith("archive.cli")) for m in commands} == {
        m: ["archive.cli.common"] for m in commands}
    assert sorted(t for t in graph["archive.cli.common"] if t.startswith("archive.cli")) == []
    # the package's parser is built from every command group
    assert {m for m in graph["archive.cli"] if m.startswith("archive.cli.")} == commands | {
        "archive.cli.common"}
