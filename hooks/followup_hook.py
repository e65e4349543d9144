"""MkDocs hook: `mkdocs serve` regenerates followup's pages and feed when a note changes.

A plain build (`mkdocs build`, `properdocs build`, `followup build`) does nothing here:
`followup build` writes the generated files before it runs MkDocs. Without the followup
package installed (a shared copy of the guide, say), the hook does nothing at all.

Every page of a build also gets the site's Content-Security-Policy (`followup.site.csp`); a
`serve` preview, whose live-reload script is inline, goes without.
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


def on_config(config: Any) -> Any:
    """The home page's "Today" snippet is read from docs/, whatever folder MkDocs runs in."""
    snippets = config.mdx_configs.get("pymdownx.snippets")
    if isinstance(snippets, dict):
        snippets["base_path"] = [config.docs_dir]
    return config


def on_startup(*, command: str, dirty: bool) -> None:
    if (live := _livepreview()) is not None:
        live.start(command)


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    if (live := _livepreview()) is not None:
        for path in live.watched(_root(config)):
            server.watch(str(path))
    return server


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Every page gets the site's Content-Security-Policy (see followup.site.csp)."""
    return _protect(output, page.content or "")


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    """The theme's own pages (404.html) get it too."""
    return _protect(output_content) if template_name.endswith(".html") else output_content


def _protect(output: str, content: str = "") -> str:
    live = _livepreview()
    if live is None or live.state.serving:
        return output
    from followup.site import csp

    return csp.protect(output, content)


def on_pre_build(config: Any) -> None:
    if (live := _livepreview()) is not None:
        live.regenerate(_root(config))
