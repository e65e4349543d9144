"""The one way text from notes reaches a page: inert for Markdown and for HTML alike.

Every value a note holds (names, addresses, file names, places) goes through `md` for
Markdown text or `attr` for raw HTML. Both leave letters, digits and a few harmless marks as
they are and turn everything else a parser could act on into a character reference or a
Markdown escape, so no extension (tables, attr_list, autolinks, emphasis...) and no browser
can read markup into it, whatever the note holds. Control characters and line breaks never
survive: a value always stays on its one line.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit

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
    if not text.isprintable():  # printable text has none of the categories removed here
        text = "".join(
            ch for ch in text
            if ch in _JOINERS or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
        )
    return " ".join(text.split())


def _md_char(ch: str) -> str:
    if ch.isalnum() or ch in _PLAIN:
        return ch
    return "\\" + ch if ch in _BACKSLASHED else _reference(ch)


def _attr_char(ch: str) -> str:
    return ch if ch.isalnum() or ch in _PLAIN else _reference(ch)


# What `md` and `attr` make of each ASCII character, as tables for `str.translate`; every
# other character stays as it is.
_MD_ASCII = tuple(_md_char(chr(code)) for code in range(128))
_ATTR_ASCII = tuple(_attr_char(chr(code)) for code in range(128))


@lru_cache(maxsize=4096)  # the same companies and roles come back on every row
def md(text: str) -> str:
    """Note text that renders as itself in Markdown (a table cell, a heading, link text)."""
    return one_line(text).translate(_MD_ASCII)


def attr(text: str) -> str:
    """Text for an HTML attribute or element, inert too where Markdown reads the element."""
    return one_line(text).translate(_ATTR_ASCII)


_WEB_ADDRESS = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}"  # punctuation after an address in a sentence, not part of it


def is_web_address(text: str) -> bool:
    """Whether `text` is an http(s) address with a host, the only kind a page links to."""
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and text.isprintable()


def web_link(address: str, text: str = "") -> str:
    """An http(s) address as a link (raw HTML, inert like `attr`); anything else as plain text."""
    address = one_line(address)
    if not is_web_address(address):
        return md(text or address)
    return f'<a href="{attr(address)}" rel="noopener noreferrer">{attr(text or address)}</a>'


def linked(text: str) -> str:
    """Note text with each web address in it made a link (a meeting link in `location`)."""
    text = one_line(text)
    parts: list[str] = []
    done = 0
    for found in _WEB_ADDRESS.finditer(text):
        address = found.group().rstrip(_TRAILING)
        # the text is one line already: its spaces between the pieces are kept
        parts += [text[done:found.start()].translate(_MD_ASCII), web_link(address)]
        done = found.start() + len(address)
    parts.append(text[done:].translate(_MD_ASCII))
    return "".join(parts)
