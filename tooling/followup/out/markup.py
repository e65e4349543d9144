"""The one way text from notes reaches a page: inert for Markdown and for HTML alike.

Every value a note holds (names, addresses, file names, places) goes through `md` for
Markdown text or `attr` for raw HTML. Both leave letters, digits and a few harmless marks as
they are and turn everything else a parser could act on into a character reference or a
Markdown escape, so no extension (tables, attr_list, autolinks, emphasis...) and no browser
can read markup into it, whatever the note holds. Control characters and line breaks never
survive: a value always stays on its one line.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Characters Python-Markdown (and its tables extension) unescapes after a backslash; kept
# readable in the generated Markdown.
_BACKSLASHED = frozenset("\\`*_{}[]()!#+|")
# Marks that mean nothing to Markdown or HTML in the middle of a line.
_PLAIN = frozenset(" ,.-/@")
_JOINERS = frozenset("\u200c\u200d")  # needed inside words of some scripts and in emoji


_NAMED = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}


def _reference(ch: str) -> str:
    return _NAMED.get(ch) or f"&#{ord(ch)};"


def one_line(text: str) -> str:
    """One line of printable text: controls, bidi overrides and line breaks gone."""
    kept = "".join(
        ch for ch in text
        if ch in _JOINERS or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    return " ".join(kept.split())


@lru_cache(maxsize=4096)  # the same companies and roles come back on every row
def md(text: str) -> str:
    """Note text that renders as itself in Markdown (a table cell, a heading, link text)."""
    out = []
    for ch in one_line(text):
        if ch.isalnum() or ch in _PLAIN or not ch.isascii():
            out.append(ch)
        elif ch in _BACKSLASHED:
            out.append("\\" + ch)
        else:
            out.append(_reference(ch))
    return "".join(out)


def attr(text: str) -> str:
    """Text for an HTML attribute or element, inert too where Markdown reads the element."""
    return "".join(
        ch if ch.isalnum() or ch in _PLAIN or not ch.isascii() else _reference(ch)
        for ch in one_line(text)
    )


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar holding exactly `text`."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
