"""The Content-Security-Policy every page of the site carries, so that a slip in escaping
or sanitising can neither run an inline handler nor reach another host; and the two tags a
policy cannot stop, taken out of every page: a `<meta http-equiv="refresh">` (it sends the
reader to another address) and a `<base>` (it sends every relative link elsewhere).

The theme's own inline scripts (Material writes a few, which differ with each page's depth)
are allowed one by one by their SHA-256, found in the page as built: any script that came in
with the page's content is left out, whatever it holds. The same is done to every page of a
Zensical build once it is built, and to the live-reload script `followup serve` adds to each
page it serves.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

# Material's search index is a script of its own, its search runs in a worker; styles are
# inline in places (and cannot fetch from another host: fonts and images come from 'self').
_POLICY = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "frame-src 'self' blob:; child-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'"
)
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
_HEAD = re.compile(r"<head[^>]*>", re.IGNORECASE)
MARKER = 'http-equiv="Content-Security-Policy"'
# A start tag as a browser reads it: a `>` inside a quoted value does not end it.
_ATTRIBUTES = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
_META = re.compile(rf"<meta\b{_ATTRIBUTES}>", re.IGNORECASE)
_BASE = re.compile(rf"<base\b{_ATTRIBUTES}>", re.IGNORECASE)
_REFRESH = re.compile(r"""http-equiv\s*=\s*(?:"\s*refresh\s*"|'\s*refresh\s*'|refresh\b)""", re.IGNORECASE)
# Where Material (and Zensical) put a page's own content.
_CONTENT = re.compile(r'<article class="md-content__inner.*?</article>', re.DOTALL)


def _runs(attrs: str) -> bool:
    """A script element without src whose type makes the browser run it."""
    if re.search(r"\ssrc\s*=", attrs, re.IGNORECASE):
        return False
    kind = re.search(r"\stype\s*=\s*[\"']?([^\"'\s>]+)", attrs, re.IGNORECASE)
    return kind is None or kind.group(1).lower() in ("text/javascript", "module", "application/javascript")


def _hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def policy(page_html: str, content: str = "") -> str:
    """The policy for a built page: its inline scripts allowed, except those in `content`."""
    hashes = sorted(
        {
            _hash(match["body"])
            for match in _INLINE_SCRIPT.finditer(page_html)
            if _runs(match["attrs"]) and match.group(0) not in content
        }
    )
    return _POLICY.format(hashes=" ".join(hashes)).replace("  ", " ")


def without_redirects(page_html: str) -> str:
    """The page with no `<base>` and no refreshing `<meta>`, wherever they came from."""
    page_html = _BASE.sub("", page_html)
    return _META.sub(lambda tag: "" if _REFRESH.search(tag.group(0)) else tag.group(0), page_html)


def protect(page_html: str, content: str = "") -> str:
    """The page with its policy as the first thing in <head>, before any script. A policy
    anywhere else (one a page's content brought) does not count: browsers enforce every policy
    a page carries, so it can only add limits to the site's."""
    page_html = without_redirects(page_html)
    head = _HEAD.search(page_html)
    if head is None or _protected(page_html, head.end()):
        return page_html
    meta = f'<meta {MARKER} content="{policy(page_html, content)}">'
    return page_html[: head.end()] + meta + page_html[head.end() :]


def _protected(page_html: str, head_end: int) -> bool:
    """Whether the page was protected already: its policy opens its <head>."""
    return page_html.startswith(f"<meta {MARKER} content=", head_end)


def protect_built(site_dir: Path) -> None:
    """Every page of a built site protected as MkDocs' hook does (Zensical runs no hook; a
    mkdocs.yml without ours neither): a page's own content is what Material's templates put in
    its `<article>`. A page the hook protected is left as it is."""
    for path in sorted(site_dir.rglob("*.html")):
        if path.is_symlink() or not path.is_file():
            continue
        page = path.read_text(encoding="utf-8")
        head = _HEAD.search(page)
        if head is not None and _protected(page, head.end()):
            continue  # by MkDocs' hook, as it was built: nothing has changed it since
        content = "".join(found.group(0) for found in _CONTENT.finditer(page))
        protected = protect(page, content)
        if protected != page:
            path.write_text(protected, encoding="utf-8")


def allow_added_scripts(before: bytes, after: bytes) -> bytes:
    """`after` (a page with inline scripts added to `before`, as the live preview does) with
    those scripts' hashes added to its policy."""
    had = {match.group(0) for match in _INLINE_SCRIPT.finditer(before.decode("utf-8", "replace"))}
    page = after.decode("utf-8", "replace")
    added = sorted(
        {_hash(m["body"]) for m in _INLINE_SCRIPT.finditer(page) if m.group(0) not in had and _runs(m["attrs"])}
    )
    if not added:
        return after
    start = page.find(MARKER)
    if start < 0:
        return after
    at = page.find("script-src 'self'", start)
    if at < 0 or at > page.find(">", start):
        return after
    at += len("script-src 'self'")
    return (page[:at] + " " + " ".join(added) + page[at:]).encode("utf-8")
