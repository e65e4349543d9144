"""Escaping text from notes for Markdown pages and inline HTML."""

from __future__ import annotations

import html
import re
from functools import lru_cache

# Only what is special inline: values always sit inside a line (a table cell, a heading),
# where `-`, `+`, `.` and `#` cannot start a list or a heading.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()!|~>])")


@lru_cache(maxsize=4096)  # the same companies and roles come back on every row
def md(text: str) -> str:
    """Note text that renders as itself in Markdown (and in a table cell): no markup, no HTML."""
    flat = " ".join(text.split())
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(flat, quote=False))


def attr(text: str) -> str:
    """Text for an HTML attribute or element."""
    return html.escape(text, quote=True)


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar holding exactly `text`."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
