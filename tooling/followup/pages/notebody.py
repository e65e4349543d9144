"""A note's free Markdown, rendered to HTML that is safe to put on a page of the site.

A note is written by hand, often pasted from an email or a web page: raw HTML in it must not
run scripts, catch events, or make the browser fetch anything from another host. The body is
rendered with the site's own Markdown extensions, then cleaned by nh3 (the ammonia sanitiser).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import markdown

# The site's extensions (mkdocs.yml), so a note looks the same on its page as in a guide page.
# `toc` with baselevel 2 turns a note's `#` into <h2>: its headings sit under the page's own.
_EXTENSIONS = [
    "admonition", "attr_list", "tables", "toc", "pymdownx.details", "pymdownx.superfences"
]
_EXTENSION_CONFIGS = {"toc": {"baselevel": 2}}
# Classes carry the look of admonitions, details and code blocks; they cannot fetch or run.
_CLASSED = ("div", "p", "span", "code", "pre", "details", "summary", "table", "ol", "ul", "li")
_FETCHES = {("img", "src")}
# As a browser reads an address: tabs and line breaks anywhere are dropped, leading controls
# and spaces too, and `\` counts as `/`; then a scheme or a leading `//` leaves the site.
_IGNORED_IN_URL = re.compile(r"[\t\n\r]")
_OFF_SITE = re.compile(r"^([a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
# Material turns these classes into behaviour that loads scripts (Mermaid from a CDN).
_ACTIVE_CLASS = re.compile(r"^(mermaid|md-.*)$", re.IGNORECASE)


def leaves_site(url: str) -> bool:
    """True when a browser would fetch `url` from another host (or through another scheme)."""
    seen = _IGNORED_IN_URL.sub("", url).lstrip("".join(map(chr, range(33))))
    return bool(_OFF_SITE.match(seen.replace("\\", "/")))


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    """Drop any address that would make the browser fetch from another host."""
    if (element, attribute) in _FETCHES and leaves_site(value):
        return None
    if attribute == "class":
        kept = " ".join(name for name in value.split() if not _ACTIVE_CLASS.match(name))
        return kept or None
    return value


@cache
def _converter() -> markdown.Markdown:
    """One converter for every note of a build (making one costs as much as a short note)."""
    import markdown

    return markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS, output_format="html")


def to_html(body: str) -> str:
    """The body as sanitised HTML: scripts, event handlers, styles and `javascript:` links gone."""
    import nh3

    rendered = _converter().reset().convert(body)
    attributes = {tag: set(allowed) for tag, allowed in nh3.ALLOWED_ATTRIBUTES.items()}
    for tag in _CLASSED:
        attributes.setdefault(tag, set()).add("class")
    return nh3.clean(
        rendered,
        attributes=attributes,
        attribute_filter=_keep_attribute,
        clean_content_tags={"script", "style"},
        url_schemes={"http", "https", "mailto", "tel"},
    ).strip()


def embed(body: str) -> str:
    """The body as a raw-HTML block for a generated Markdown page (not parsed again)."""
    html = to_html(body)
    if not html:
        return ""
    return f'<div class="followup-notes" markdown="0">\n{html}\n</div>'
