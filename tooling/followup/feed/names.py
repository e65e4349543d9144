"""Where the feeds are published: a stable name, or a secret one that only subscribers know.

With a secret (`followup feed rotate`), the feeds are `followup-<secret>.ics` and
`followup-<secret>-tasks.ics`, and the stable `followup.ics` is not published at all: a
feed at a guessable address would give the secret away. The secret lives in the state file,
never in the site's pages (unless `show_feed_address = true`) nor in the build's output.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace
from pathlib import Path

from followup.config import Config
from followup.errors import FollowupError
from followup.feed.state import SECRET, State, load_state, save_state

TASKS_FILE = "followup-tasks.ics"
_SECRET_FEED = re.compile(r"^followup-[A-Za-z0-9_-]{22}(?:-tasks)?\.ics$")


@dataclass(frozen=True)
class FeedNames:
    """The file names, inside docs/, of the event feed and the task feed."""

    events: str
    tasks: str
    secret: bool


def feed_names(config: Config, secret: str) -> FeedNames:
    if secret:
        return FeedNames(f"followup-{secret}.ics", f"followup-{secret}-tasks.ics", secret=True)
    return FeedNames(config.feed_file, TASKS_FILE, secret=False)


def remove_stale_feeds(docs_dir: Path, config: Config, keep: set[str]) -> list[Path]:
    """Delete feeds that an earlier build wrote under another name (a rotated secret, the
    stable name once a secret is used, a task feed turned off); returns what was deleted."""
    removed = []
    ours = {config.feed_file, TASKS_FILE}
    for path in sorted(docs_dir.glob("*.ics")):
        if path.name in keep:
            continue
        if path.name in ours or _SECRET_FEED.match(path.name):
            path.unlink()
            removed.append(path)
    return removed


def new_secret() -> str:
    """128 bits of randomness, URL-safe: the feed's unguessable file name."""
    return secrets.token_urlsafe(16)


def weak_secret(secret: str) -> bool:
    """True for a secret that is not 22 URL-safe characters (132 bits) drawn at random: one
    with a handful of distinct characters (aaaa…, abab…) would be guessed; random ones have
    about 19, and fewer than 6 happens with odds far below one in a trillion."""
    return not SECRET.fullmatch(secret) or len(set(secret)) < 6


def addresses(site_url: str, file_name: str) -> tuple[str, str]:
    """The subscription address as `webcal://…` and as the site's own `https://…` (or http)."""
    base = site_url.strip().rstrip("/")
    if not re.match(r"^https?://[^/\s]+", base):
        raise FollowupError(
            f"site URL must start with https:// (or http://), like https://example.org/search; "
            f"got '{site_url}'"
        )
    web = f"{base}/{file_name}"
    return "webcal://" + web.split("://", 1)[1], web


def rotate(root: Path) -> State:
    """Give the feed a new secret name (or its first): the old address stops working once
    the site is built and published again."""
    state = load_state(root)
    fresh = replace(state, feed_secret=new_secret())
    save_state(root, fresh)
    return fresh
