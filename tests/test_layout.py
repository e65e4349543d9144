"""The package's layout as the README describes it, and imports that flow one way."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "tooling" / "followup"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts).removesuffix(".__init__")] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules this one imports, at any depth of the file (lazy imports too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("followup"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name in modules}


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {name: _imports(path, modules) - {name} for name, path in modules.items()}
    cycles = []
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            cycles.append([*trail[trail.index(name):], name])
            return
        if name in done:
            return
        for other in sorted(graph[name]):
            visit(other, [*trail, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    assert cycles == []


def test_the_readme_names_every_module_of_every_folder() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## How it fits together") :]
    for path in PACKAGE.rglob("*.py"):
        if path.name == "__init__.py" or path.parent == PACKAGE:
            continue
        assert f"`{path.stem}`" in section, f"README's 'How it fits together' does not name {path}"
    for path in PACKAGE.glob("*.py"):
        if path.stem not in ("__init__", "__main__"):
            assert f"`{path.name}`" in section, f"README's 'How it fits together' does not name {path.name}"
