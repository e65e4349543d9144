"""Change tracking for the feed: each event's SEQUENCE and LAST-MODIFIED, kept across builds.

Calendar clients apply an update only when they can tell that something changed, so every
build compares each event with what the previous build published. The memory of that lives
in `followup-state.json` at the workspace root, a small file meant to be committed with the
notes: a build from a fresh clone then continues the sequence instead of starting over.

The same file holds the feed's secret name when there is one (`followup feed rotate`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from followup.config import Config
from followup.errors import FollowupError
from followup.feed import Revision, event, event_uid
from followup.fsutil import atomic_write
from followup.rules import Plan, Reminder

STATE_FILE = "followup-state.json"
STATE_VERSION = 1
_FIXED = datetime(2000, 1, 1, tzinfo=UTC)  # any constant: the stamp is left out of the hash
_STAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_SECRET = re.compile(r"[A-Za-z0-9_-]{22}")


@dataclass(frozen=True)
class Seen:
    """What the last build published for one event."""

    content: str
    time: str
    sequence: int
    modified: datetime

    def revision(self) -> Revision:
        return Revision(self.sequence, self.modified)


@dataclass(frozen=True)
class State:
    """The contents of the state file. Events that leave the feed stay here, so that an
    event coming back (a note fixed after an error, a date undone) never goes backwards."""

    events: Mapping[str, Seen] = field(default_factory=dict)
    feed_secret: str = ""


def state_path(root: Path) -> Path:
    return root / STATE_FILE


def load_state(root: Path) -> State:
    """Read the state file; a missing file is an empty state, a broken one an error."""
    path = state_path(root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return State()
    try:
        data = json.loads(text)
        events = {
            str(uid): Seen(
                content=str(item["content"]),
                time=str(item["time"]),
                sequence=int(item["sequence"]),
                modified=datetime.strptime(item["modified"], _STAMP_FORMAT).replace(tzinfo=UTC),
            )
            for uid, item in data.get("events", {}).items()
        }
        secret = str(data.get("feed_secret", ""))
        if secret and not _SECRET.fullmatch(secret):
            raise ValueError("feed_secret must be 22 letters, digits, '-' or '_'")
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise FollowupError(
            f"{STATE_FILE}:1: not a valid state file ({error}); restore it from version "
            "control, or delete it to start the change history again"
        ) from None
    return State(events, secret)


def dump_state(state: State) -> bytes:
    """Sorted keys and fixed formatting, so the file changes only when its content does."""
    data: dict[str, Any] = {
        "version": STATE_VERSION,
        "events": {
            uid: {
                "content": seen.content,
                "time": seen.time,
                "sequence": seen.sequence,
                "modified": seen.modified.strftime(_STAMP_FORMAT),
            }
            for uid, seen in state.events.items()
        },
    }
    if state.feed_secret:
        data["feed_secret"] = state.feed_secret
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def save_state(root: Path, state: State) -> bool:
    """Write the state file atomically, and only when it changed; True when written."""
    path = state_path(root)
    data = dump_state(state)
    if path.exists() and dump_state(load_state(root)) == data:
        return False
    atomic_write(path, data)
    return True


def clock(today: date, today_given: bool) -> datetime:
    """The time a change is stamped with: SOURCE_DATE_EPOCH when set, else midnight UTC of
    `today` when it was given (reproducible builds), else the real clock; whole seconds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    if today_given:
        return datetime.combine(today, time(0), tzinfo=UTC)
    return datetime.now(UTC).replace(microsecond=0)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def content_hash(reminder: Reminder, config: Config) -> str:
    """Everything the event says, time included, except the stamps this module sets."""
    item = event(reminder, config, _FIXED)
    del item["DTSTAMP"]
    return _digest(item.to_ical())


def time_hash(reminder: Reminder) -> str:
    """When the event is, zone included: a change here raises SEQUENCE."""
    parts = []
    for moment in (reminder.start, reminder.end):
        zone = getattr(moment, "tzinfo", None)
        parts.append(f"{moment.isoformat()} {zone}")
    return _digest(" / ".join(parts).encode("utf-8"))


def track(plan: Plan, config: Config, state: State, now: datetime) -> State:
    """The state after publishing `plan`: unchanged events keep their entry, a changed one
    gets LAST-MODIFIED = max(now, previous + 1 s), and SEQUENCE + 1 when its time moved."""
    events = dict(state.events)
    for reminder in plan.reminders:
        uid = event_uid(reminder, config.minimal_details)
        content, when = content_hash(reminder, config), time_hash(reminder)
        before = events.get(uid)
        if before is None:
            events[uid] = Seen(content, when, 0, now)
        elif before.content != content or before.time != when:
            events[uid] = Seen(
                content,
                when,
                before.sequence + (before.time != when),
                max(now, before.modified + timedelta(seconds=1)),
            )
    return replace(state, events=dict(sorted(events.items())))


def revisions(plan: Plan, config: Config, state: State) -> dict[str, Revision]:
    """The Revision of every event in the plan, keyed by the feed's UID."""
    result = {}
    for reminder in plan.reminders:
        uid = event_uid(reminder, config.minimal_details)
        if uid in state.events:
            result[uid] = state.events[uid].revision()
    return result


def new_secret() -> str:
    """128 bits of randomness, URL-safe: the feed's unguessable file name."""
    return secrets.token_urlsafe(16)
