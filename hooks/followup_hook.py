"""MkDocs hook: `mkdocs serve` regenerates followup's pages and feed when a note changes, and
every build takes the pages that did not change from followup's cache (`followup.site.pagecache`).

`followup build` writes the generated files before it runs MkDocs; a plain `mkdocs build`
generates them here first. Without the followup package installed (a shared copy of the
guide, say), the hook does nothing at all.

Every page of a build also gets the site's Content-Security-Policy (`followup.site.csp`); in a
`serve` preview, the live-reload script added to each page is allowed by its hash.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any


def _livepreview() -> ModuleType | None:
    try:
        from followup.site import livepreview
    except ImportError:
        return None
    return livepreview


def _root(config: Any) -> Path:
    return Path(config.config_file_path or ".").resolve().parent


def _pagecache() -> ModuleType | None:
    try:
        from followup.site import pagecache
    except ImportError:
        return None
    return pagecache


def on_config(config: Any) -> Any:
    """The home page's "Today" snippet is read from docs/, whatever folder MkDocs runs in; the
    pages that did not change since the last build come from followup's cache."""
    snippets = config.mdx_configs.get("pymdownx.snippets")
    if isinstance(snippets, dict):
        snippets["base_path"] = [config.docs_dir]
    if (pages := _pagecache()) is not None:
        pages.start(config, __file__)
    return config


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    if (pages := _pagecache()) is not None:
        pages.remember_nav(nav)
    return nav


def on_env(env: Any, config: Any, files: Any) -> Any:
    if (pages := _pagecache()) is not None:
        return pages.on_env(env)
    return env


def on_post_build(config: Any) -> None:
    if (pages := _pagecache()) is not None:
        pages.finish()


def on_build_error(error: Exception) -> None:
    if (pages := _pagecache()) is not None:
        pages.finish()


def on_startup(*, command: str, dirty: bool) -> None:
    if (live := _livepreview()) is not None:
        live.start(command)


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    if (live := _livepreview()) is not None:
        live.watch(server, config.docs_dir, _root(config))
    return server


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Every page gets the site's Content-Security-Policy (see followup.site.csp)."""
    return _protect(output, page.content or "")


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    """The theme's own pages (404.html) get it too."""
    return _protect(output_content) if template_name.endswith(".html") else output_content


def _protect(output: str, content: str = "") -> str:
    live = _livepreview()
    if live is None:
        return output
    from followup.site import csp

    return csp.protect(output, content)


def on_pre_build(config: Any) -> None:
    if (live := _livepreview()) is not None:
        live.regenerate(_root(config))
