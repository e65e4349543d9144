"""The site: MkDocs (or Zensical) run on the workspace into a fresh folder, swapped in
only when the build succeeded.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from followup.errors import FollowupError
from followup.fsutil import replace_folder
from followup.site import csp, guideonly
from followup.workspace import Workspace


def _show_mkdocs_warnings() -> None:
    """MkDocs reports problems through logging; show its warnings, as `mkdocs build` would."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "followup", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setLevel(logging.WARNING)
        handler.setFormatter(logging.Formatter("mkdocs: %(levelname)s - %(message)s"))
        handler.followup = True  # type: ignore[attr-defined]
        logger.addHandler(handler)


def build_site(workspace: Workspace, *, guide_only: bool = False, site_dir: Path | None = None) -> list[str]:
    """Build the site into a temporary folder, then swap it in whole: a failed build keeps the
    old site. MkDocs by default, Zensical with `site_builder = "zensical"`. Every page gets the
    site's Content-Security-Policy, whichever builder made it (see `csp`).

    `guide_only` builds the guide alone (see `guideonly`), into the same site/ folder unless
    `site_dir` names another (`followup publish --with-guide` builds it apart); it is built
    from regular files inside the workspace only, and the files left out are returned.
    """
    config_file = check_site_config(workspace)
    final = site_dir or workspace.site_dir
    fresh = final.with_name(f".{final.name}.new")
    shutil.rmtree(fresh, ignore_errors=True)
    zensical = workspace.config.site_builder == "zensical"
    # Inside the workspace: Zensical refuses a docs folder outside its configuration's folder.
    staging = Path(tempfile.mkdtemp(prefix=".followup-site-", dir=workspace.root)) if guide_only or zensical else None
    try:
        settings: dict[str, Any] = {}
        skipped: list[str] = []
        if staging is not None and guide_only:
            settings, skipped = guideonly.stage(workspace, staging)
        if staging is not None and zensical:
            _zensical_build(config_file, fresh, settings, staging)
        else:
            _mkdocs_build(config_file, fresh, settings)
        csp.protect_built(fresh)
        replace_folder(fresh, final)
    except OSError as error:  # a full disk, a read-only folder: say which output, not which file
        where = workspace.relative(final)
        raise FollowupError(
            f"could not write the site into {where}/ ({error.strerror or error}); "
            f"the previous {where}/ is kept as it was"
        ) from None
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return skipped


def _snippets_from(docs_dir: str, extensions: Any) -> None:
    """Point the home page's snippet at `docs_dir` whatever the current folder (see `today`)."""
    if isinstance(extensions, dict) and isinstance(extensions.get(_SNIPPETS), dict):
        extensions[_SNIPPETS]["base_path"] = [docs_dir]


_SNIPPETS = "pymdownx.snippets"


def _mkdocs_build(config_file: Path, site_dir: Path, settings: dict[str, Any]) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    _show_mkdocs_warnings()
    try:
        mkdocs_config = load_config(str(config_file), site_dir=str(site_dir), **settings)
        _snippets_from(str(mkdocs_config["docs_dir"]), mkdocs_config["mdx_configs"])
        mkdocs_build(mkdocs_config)
    except (MkDocsException, SystemExit) as error:
        raise FollowupError(f"the site did not build: {error}") from None


def _zensical_build(config_file: Path, site_dir: Path, settings: dict[str, Any], scratch: Path) -> None:
    """Zensical reads mkdocs.yml but takes no settings on its command line: it gets a copy of
    the configuration that says where to build, and runs in `scratch`, where its cache goes."""
    import importlib.util
    import subprocess
    import sys

    import yaml
    from mkdocs.utils.yaml import yaml_load

    if importlib.util.find_spec("zensical") is None:
        raise FollowupError(
            'site_builder = "zensical" needs Zensical: pip install "interview-followup[zensical]"'
        )
    with open(config_file, encoding="utf-8") as stream:
        raw: dict[str, Any] = yaml_load(stream) or {}
    root = config_file.parent
    raw.update(settings)
    # Relative: this Zensical stops on an absolute docs_dir.
    raw["docs_dir"] = os.path.relpath((root / raw.get("docs_dir", "docs")).resolve(), root)
    raw["site_dir"] = str(site_dir)
    raw.pop("hooks", None)  # Zensical runs none; `followup build` has generated everything
    theme = raw.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str((root / theme["custom_dir"]).resolve())
    for extension in raw.get("markdown_extensions") or []:
        _snippets_from(str(root / raw["docs_dir"]), extension)
    # Zensical wants the docs and the site inside its configuration's folder: the copy sits in
    # the workspace, hidden, for the length of the build.
    copy = root / f"{scratch.name}.yml"
    copy.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    cache_dir = root / ".cache"  # Zensical's, beside its configuration; left only if it was there
    had_cache = cache_dir.exists()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "zensical", "build", "--strict", "--config-file", str(copy)],
            cwd=scratch, capture_output=True, text=True, check=False,
        )
    finally:
        copy.unlink(missing_ok=True)
        if not had_cache:
            shutil.rmtree(cache_dir, ignore_errors=True)
    if done.returncode != 0 or not (site_dir / "index.html").exists():
        said = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise FollowupError("the site did not build with Zensical: " + " / ".join(said))


def check_site_config(workspace: Workspace) -> Path:
    """The workspace's mkdocs.yml, or an error before anything is written."""
    config_file = workspace.root / "mkdocs.yml"
    if not config_file.is_file():
        raise FollowupError(f"no mkdocs.yml in {workspace.root}; the site needs one")
    return config_file


OUR_HOOK = "hooks/followup_hook.py"


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as data: `!!python/name:` and other tags become None, never objects."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def foreign_hooks(workspace: Workspace) -> list[str]:
    """Hooks in mkdocs.yml other than ours: Python files MkDocs runs, from wherever the
    workspace came from. Read before MkDocs loads (and so runs) them."""
    try:
        config = yaml.load((workspace.root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return []
    hooks = config.get("hooks") if isinstance(config, dict) else None
    if not isinstance(hooks, list):
        return [] if hooks is None else [str(hooks)]
    ours = (workspace.root / OUR_HOOK).resolve()
    return [str(h) for h in hooks if not isinstance(h, str) or (workspace.root / h).resolve() != ours]
