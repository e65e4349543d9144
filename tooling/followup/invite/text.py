"""Text taken from an invitation, made safe to keep: control characters gone, length capped,
HTML turned into plain text, and the meeting link picked out.

Everything here is written by whoever sent the invitation, so nothing is trusted: a name may
hold a newline and `---`, a description may be a megabyte of HTML with a `<script>` in it.
Escaping for YAML or Markdown is the caller's job; this module only keeps the text as data
and small enough to handle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

SHORT = 2_000  # names, summary, location, link, UID
LONG = 20_000  # description

# Every control character but the newline and the tab (C0, DEL and C1).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*){2,}")

_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f<>\"'`{}|\\^\[\]]+", re.IGNORECASE)
# Characters that end a sentence or close a bracket rather than belong to the address.
_URL_TAIL = ".,;:!?)]}>'\"*"

# Meeting services whose links are worth taking out of a description.
_MEETING = re.compile(
    r"^https?://(?:"
    r"(?:[a-z0-9-]+\.)*zoom\.us/(?:j|my|w|s)/"
    r"|(?:[a-z0-9-]+\.)*zoomgov\.com/(?:j|my|w|s)/"
    r"|meet\.google\.com/[a-z]"
    r"|teams\.microsoft\.com/l/meetup-join/"
    r"|teams\.microsoft\.com/meet/"
    r"|teams\.live\.com/meet/"
    r"|(?:[a-z0-9-]+\.)*webex\.com/"
    r")",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Clean:
    """A text value made safe, and whether it had to be cut."""

    text: str
    cut: bool


def clean(value: str, limit: int) -> Clean:
    """`value` without control characters (newlines kept, as `\\n`), cut to `limit` characters."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROLS.sub("", text).strip()
    if len(text) > limit:
        return Clean(text[:limit].rstrip(), cut=True)
    return Clean(text, cut=False)


def one_line(value: str) -> str:
    """Runs of whitespace, line breaks included, made one space."""
    return _SPACES.sub(" ", value).strip()


def unescape(value: str) -> str:
    """The text of an iCalendar value that icalendar leaves escaped (X- properties, e.g.
    X-ALT-DESC): `\\n`, `\\,`, `\\;` and `\\\\` as the characters they stand for."""
    return re.sub(r"\\([nN,;\\])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"<(?:html|body|div|p|br|span|a|table|font|b|i|ul|li)\b[^>]*>", text, re.I))


class _TextOfHtml(HTMLParser):
    """Collects the readable text of HTML; scripts, styles and the head are dropped."""

    _SKIP = frozenset({"script", "style", "head", "title", "template", "noscript"})
    _BREAK = frozenset({
        "br", "p", "div", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "hr",
    })

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0
        self._links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BREAK:
            self.parts.append("\n")
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self._links.append(href if _URL.fullmatch(href.strip()) else "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BREAK:
            self.parts.append("\n")
        if tag == "a" and self._links:
            href = self._links.pop().strip()
            # Keep where a link pointed when its words do not say it ("Join the meeting").
            if href and href not in "".join(self.parts[-3:]):
                self.parts.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The readable text of an HTML description, links kept in brackets after their words."""
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    lines = [one_line(line) for line in "".join(parser.parts).replace("\xa0", " ").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def links(text: str) -> list[str]:
    """Every http(s) address in `text`, in order, without trailing punctuation."""
    found = []
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_URL_TAIL)
        # A closing bracket belongs to the address only when it opened one there too.
        while url.endswith(")") and url.count("(") < url.count(")"):
            url = url[:-1]
        if len(url) > len("https://"):
            found.append(url)
    return found


def web_link(value: str) -> str:
    """`value` when it is one http(s) address (after trimming), else the first one inside it."""
    found = links(value)
    return found[0] if found else ""


def meeting_link(text: str) -> str:
    """The first Zoom, Google Meet, Teams or Webex link in `text`, else ''."""
    return next((url for url in links(text) if _MEETING.match(url)), "")
