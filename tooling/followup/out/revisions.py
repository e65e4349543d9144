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
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from followup.config import Config
from followup.errors import FollowupError
from followup.fsutil import write_if_changed
from followup.out.eventtext import EventText, Revision, event_text, event_uid
from followup.plan.rules import Plan

STATE_FILE = "followup-state.json"
STATE_VERSION = 1
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


_MAX_SEQUENCE = 2**31 - 1  # SEQUENCE is an INTEGER in iCalendar: 32 bits, signed
_YEARS = (1970, 2100)


def _broken(why: str) -> FollowupError:
    return FollowupError(
        f"{STATE_FILE}:1: not a valid state file ({why}); restore it from version "
        "control, or delete it to start the change history again"
    )


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a number a state file holds")


def _seen(uid: object, item: object) -> Seen:
    """One event's entry, every value checked: a hand-edited file must not reach the feed."""
    if not isinstance(item, dict):
        raise ValueError(f"event {uid}: expected an object")
    content, when, sequence, modified = (item[key] for key in ("content", "time", "sequence", "modified"))
    if not (isinstance(content, str) and isinstance(when, str) and isinstance(modified, str)):
        raise ValueError(f"event {uid}: content, time and modified must be text")
    if not (isinstance(sequence, int) and not isinstance(sequence, bool) and 0 <= sequence <= _MAX_SEQUENCE):
        raise ValueError(f"event {uid}: sequence must be a whole number from 0 to {_MAX_SEQUENCE}")
    stamp = datetime.strptime(modified, _STAMP_FORMAT).replace(tzinfo=UTC)
    if not _YEARS[0] <= stamp.year <= _YEARS[1]:
        raise ValueError(f"event {uid}: modified must fall between {_YEARS[0]} and {_YEARS[1]}")
    return Seen(content=content, time=when, sequence=sequence, modified=stamp)


def state_path(root: Path) -> Path:
    return root / STATE_FILE


def load_state(root: Path) -> State:
    """Read the state file; a missing file is an empty state, a broken one an error."""
    path = state_path(root)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return State()
    try:
        document = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
        if not isinstance(document, dict) or not isinstance(document.get("events", {}), dict):
            raise ValueError("expected an object with an 'events' object")
        events = {str(uid): _seen(uid, item) for uid, item in document.get("events", {}).items()}
        secret = document.get("feed_secret", "")
        if not isinstance(secret, str) or (secret and not _SECRET.fullmatch(secret)):
            raise ValueError("feed_secret must be 22 letters, digits, '-' or '_'")
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
        raise _broken(str(error)) from None
    except RecursionError:
        raise _broken("nested too deeply") from None
    return State(events, secret)


_PLAIN = re.compile(r"[^\"\\\x00-\x1f\x7f-\U0010ffff]*")


def _json_string(text: str) -> str:
    """`json.dumps(text, ensure_ascii=False)`, skipping the encoder for plain ASCII UIDs."""
    return f'"{text}"' if _PLAIN.fullmatch(text) else json.dumps(text, ensure_ascii=False)


def dump_state(state: State) -> bytes:
    """The state as JSON with sorted keys and two-space indents (what `json.dumps(…,
    indent=2, sort_keys=True)` writes, tested so), written by hand: ten times faster for
    tens of thousands of events. The file changes only when its content does."""
    entries = [
        f"    {_json_string(uid)}: {{\n"
        f'      "content": {json.dumps(seen.content)},\n'
        f'      "modified": "{seen.modified.strftime(_STAMP_FORMAT)}",\n'
        f'      "sequence": {seen.sequence},\n'
        f'      "time": {json.dumps(seen.time)}\n'
        "    }"
        for uid, seen in sorted(state.events.items())
    ]
    events = "{\n" + ",\n".join(entries) + "\n  }" if entries else "{}"
    lines = ["{", f'  "events": {events},']
    if state.feed_secret:
        lines.append(f'  "feed_secret": {json.dumps(state.feed_secret)},')
    lines += [f'  "version": {STATE_VERSION}', "}", ""]
    return "\n".join(lines).encode("utf-8")


def save_state(root: Path, state: State) -> bool:
    """Write the state file atomically, and only when it changed; True when written."""
    return write_if_changed(state_path(root), dump_state(state))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def track(
    plan: Plan,
    config: Config,
    state: State,
    now: datetime,
    texts: list[EventText] | None = None,
) -> State:
    """The state after publishing `plan`: unchanged events keep their entry, a changed one
    gets LAST-MODIFIED = max(now, previous + 1 s), and SEQUENCE + 1 when its time moved.

    `texts`, when given, are the plan's events already written (`feed.texts`), in order."""
    events = dict(state.events)
    written = texts or [event_text(reminder, config) for reminder in plan.reminders]
    for text in written:
        uid = text.uid
        content, when = text.digest, _digest(text.when.encode("utf-8"))
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
