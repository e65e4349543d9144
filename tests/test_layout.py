"""The package's layout as the README describes it, and imports that flow one way."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "tooling" / "followup"

# The flow, first to last: a module may import its own layer's modules and earlier layers'
# (at any depth of the file, lazy imports too), never a later layer's. README's "How it fits
# together" says the same in words.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("base", ("followup", "followup.errors", "followup.clock", "followup.fsutil", "followup.workdays",
              "followup.config", "followup.workspace", "followup.services", "followup.cache")),
    ("note", ("followup.note",)),
    ("plan", ("followup.plan",)),
    ("intake", ("followup.invite", "followup.mail")),
    ("feed", ("followup.feed",)),
    ("pages", ("followup.pages", "followup.status")),
    ("build", ("followup.build", "followup.lock")),
    ("site", ("followup.site",)),
    ("delivery", ("followup.delivery",)),
    ("cli", ("followup.cli", "followup.__main__")),
)
# Libraries that belong to one layer's job: the command line's, the site builder's.
ONLY_IN = {"click": ("cli",), "mkdocs": ("site",), "material": ("site",)}
# No layer forks: nothing here pays for another process at the sizes people have.
NOWHERE = ("multiprocessing", "concurrent")
# The rules are pure: notes, settings and today in, reminders out; no file, no clock.
PURE_LAYERS = ("plan",)
IMPURE = ("os", "pathlib", "subprocess", "shutil", "sqlite3", "followup.cache", "followup.fsutil")


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts).removesuffix(".__init__")] = path
    return found


def _imported(path: Path) -> set[str]:
    """Every module name this file imports, at any depth (lazy imports too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules this one imports."""
    return {name for name in _imported(path) if name in modules}


def layer_of(module: str) -> int:
    best, found = -1, -1
    for rank, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, found = len(prefix), rank
    if found < 0:
        raise AssertionError(f"{module} is in no layer of tests/test_layout.py")
    return found


def test_every_module_is_in_a_layer() -> None:
    for module in _modules():
        layer_of(module)


def test_imports_flow_one_way() -> None:
    against = []
    for module, path in sorted(_modules().items()):
        for imported in sorted(_imports(path, _modules())):
            if layer_of(imported) > layer_of(module):
                against.append(f"{module} ({LAYERS[layer_of(module)][0]}) imports {imported} "
                               f"({LAYERS[layer_of(imported)][0]})")
    assert against == []


def test_libraries_stay_in_their_layer() -> None:
    found = []
    for module, path in sorted(_modules().items()):
        layer = LAYERS[layer_of(module)][0]
        for name in _imported(path):
            top = name.split(".")[0]
            if top in ONLY_IN and layer not in ONLY_IN[top]:
                found.append(f"{module} imports {name}")
            if top in NOWHERE:
                found.append(f"{module} imports {name}")
            if layer in PURE_LAYERS and any(name == bad or name.startswith(bad + ".") for bad in IMPURE):
                found.append(f"{module} imports {name}")
    assert found == []


def test_the_rules_read_no_file() -> None:
    for module, path in _modules().items():
        if LAYERS[layer_of(module)][0] not in PURE_LAYERS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                called = node.func
                name = called.id if isinstance(called, ast.Name) else getattr(called, "attr", "")
                assert name not in ("open", "read_text", "read_bytes", "fork"), f"{module} calls {name}"


@pytest.mark.parametrize(("module", "imported"), [
    ("followup.config", "followup.note.dates"),
    ("followup.note.template", "followup.pages.markup"),
    ("followup.site.builder", "followup.delivery.publish"),
])
def test_the_check_catches_an_import_against_the_flow(module: str, imported: str) -> None:
    assert layer_of(imported) > layer_of(module)


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
