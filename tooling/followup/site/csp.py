"""The Content-Security-Policy every page of the site carries, so that a slip in escaping
or sanitising can neither run an inline handler nor reach another host.

The theme's own inline scripts (Material writes a few, which differ with each page's depth)
are allowed one by one by their SHA-256, found in the page as built: any script that came in
with the page's content is left out, whatever it holds.
"""

from __future__ import annotations

import base64
import hashlib
import re

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


def _runs(attrs: str) -> bool:
    """A script element without src whose type makes the browser run it."""
    if re.search(r"\ssrc\s*=", attrs, re.IGNORECASE):
        return False
    kind = re.search(r"\stype\s*=\s*[\"']?([^\"'\s>]+)", attrs, re.IGNORECASE)
    return kind is None or kind.group(1).lower() in ("text/javascript", "module", "application/javascript")


def policy(page_html: str, content: str = "") -> str:
    """The policy for a built page: its inline scripts allowed, except those in `content`."""
    hashes = sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(match["body"].encode()).digest()).decode() + "'"
            for match in _INLINE_SCRIPT.finditer(page_html)
            if _runs(match["attrs"]) and match.group(0) not in content
        }
    )
    return _POLICY.format(hashes=" ".join(hashes)).replace("  ", " ")


def protect(page_html: str, content: str = "") -> str:
    """The page with its policy as the first thing in <head>, before any script."""
    if MARKER in page_html:
        return page_html
    head = _HEAD.search(page_html)
    if head is None:
        return page_html
    meta = f'<meta {MARKER} content="{policy(page_html, content)}">'
    return page_html[: head.end()] + meta + page_html[head.end() :]
