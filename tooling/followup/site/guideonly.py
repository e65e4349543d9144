"""The guide alone, for sharing: no note, no progress page, no interview page, no feed.

The guide is copied into a staging folder without any generated file, so nothing personal
can reach the site even if a generated file is stale. The guide links to the progress and
subscribe pages; in the staging folder they are short placeholders, so those links still
resolve and the strict build passes.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from followup.workspace import (
    GENERATED_BOARD,
    GENERATED_INDEX,
    GENERATED_PAGES,
    GENERATED_SUBSCRIBE,
    GENERATED_TODAY,
    Workspace,
)

_PLACEHOLDER = """\
---
title: {title}
search:
  exclude: true
---

# {title}

This copy of the guide was built to be shared: it leaves out the notes, the progress page,
the interview pages and the calendar feed. They are on the private site, built with
`followup build`.
"""


def is_generated(workspace: Workspace, relative: Path) -> bool:
    """True for a file or folder under docs/ that `followup build` writes from the notes."""
    return generated_name(relative) or relative.name == workspace.config.feed_file or relative.suffix == ".ics"


def generated_name(relative: Path) -> bool:
    """True for a path under docs/ that `followup build` writes: its pages and its feeds."""
    top = relative.parts[0] if relative.parts else ""
    if len(relative.parts) == 1 and top in (GENERATED_INDEX, GENERATED_SUBSCRIBE, GENERATED_BOARD, GENERATED_TODAY):
        return True
    return top == GENERATED_PAGES or (len(relative.parts) == 1 and relative.suffix == ".ics")


def stage(workspace: Workspace, staging: Path) -> tuple[dict[str, Any], list[str]]:
    """Copy the guide's sources into `staging`: docs/ without any generated file (and with the
    placeholders), and the theme's own folder. Only regular files inside the workspace are
    copied: a link to a file elsewhere (a key, a note kept outside) is left out and named in
    the list returned. Also the settings that build from the copy."""
    skipped: list[str] = []
    docs = staging / "docs"
    _copy_inside(workspace, workspace.docs_dir, docs, skipped, generated=True)
    for name, title in ((GENERATED_INDEX, "Progress"), (GENERATED_SUBSCRIBE, "Subscribe"), (GENERATED_BOARD, "Board")):
        (docs / name).write_text(_PLACEHOLDER.format(title=title), encoding="utf-8")
    raw = _mkdocs_yml(workspace)
    settings = overrides(workspace, raw, docs)
    theme = raw.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        folder = workspace.root / str(theme["custom_dir"])
        _copy_inside(workspace, folder, staging / "theme", skipped, generated=False)
        settings["theme"] = {**theme, "custom_dir": str(staging / "theme")}
    return settings, skipped


def _mkdocs_yml(workspace: Workspace) -> dict[str, Any]:
    """mkdocs.yml as written (MkDocs' own loader: its !ENV and !relative tags), {} when it is no mapping."""
    from mkdocs.utils.yaml import yaml_load

    with open(workspace.root / "mkdocs.yml", encoding="utf-8") as stream:
        raw = yaml_load(stream) or {}
    return raw if isinstance(raw, dict) else {}


def _copy_inside(workspace: Workspace, source: Path, target: Path, skipped: list[str], *, generated: bool) -> None:
    """Regular files of `source` whose real place is inside the workspace, copied to `target`."""
    home = workspace.root.resolve()
    target.mkdir(parents=True, exist_ok=True)
    if not source.is_dir():
        return
    for folder, names, files in os.walk(source, followlinks=False):
        here = Path(folder)
        relative = here.relative_to(source)
        names[:] = [
            n for n in names if not (generated and is_generated(workspace, relative / n)) and n != "__pycache__"
        ]
        for name in list(names):  # a linked folder is not followed, wherever it leads
            if (here / name).is_symlink():
                skipped.append(workspace.relative(here / name))
                names.remove(name)
        for name in files:
            path = here / name
            if generated and is_generated(workspace, relative / name):
                continue
            if not path.resolve().is_relative_to(home) or not path.resolve().is_file():
                if workspace.relative(path) not in skipped:
                    skipped.append(workspace.relative(path))
                continue
            (target / relative).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / relative / name)
        for name in names:
            (target / relative / name).mkdir(parents=True, exist_ok=True)


SHARED_DESCRIPTION = "A short guide to handling each interview well, before and after it."


def overrides(workspace: Workspace, raw: dict[str, Any], staging: Path) -> dict[str, Any]:
    """Settings for MkDocs' load_config (`raw` is mkdocs.yml): the staged docs, and a
    navigation without the personal pages, whose placeholders are left out of the navigation
    on purpose."""
    # The copy is made to be shared: its description must not call it private, nor repeat one
    # written for the personal site.
    result: dict[str, Any] = {"docs_dir": str(staging), "site_description": SHARED_DESCRIPTION}
    if raw.get("nav"):
        result["nav"] = _without_generated(workspace, raw["nav"])
    not_in_nav = str(raw.get("not_in_nav") or "")
    placeholders = f"/{GENERATED_INDEX}\n/{GENERATED_SUBSCRIBE}\n/{GENERATED_BOARD}\n"
    result["not_in_nav"] = f"{not_in_nav.rstrip()}\n{placeholders}".lstrip()
    return result


def _without_generated(workspace: Workspace, nav: Any) -> Any:
    """The nav with every entry that points at a generated page removed (empty sections too)."""
    if isinstance(nav, list):
        kept = [_without_generated(workspace, item) for item in nav]
        return [item for item in kept if item is not None]
    if isinstance(nav, dict):
        entries = {
            title: _without_generated(workspace, target) for title, target in nav.items()
        }
        entries = {t: v for t, v in entries.items() if v is not None and v != []}
        return entries or None
    if isinstance(nav, str) and "://" not in nav and is_generated(workspace, Path(nav)):
        return None
    return nav
