"""The state file, `followup-state.json`: what the last build published for each event, and
the feed's secret name when there is one (`followup feed rotate`).

It sits at the workspace root and is meant to be committed with the notes: a build from a
fresh clone then continues each event's SEQUENCE instead of starting over.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from followup.errors import FollowupError
from followup.fsutil import write_if_changed

STATE_FILE = "followup-state.json"
STATE_VERSION = 1
_STAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
SECRET = re.compile(r"[A-Za-z0-9_-]{22}")  # 128 random bits, url-safe


@dataclass(frozen=True)
class Revision:
    """How often a reminder changed: the feed's SEQUENCE and LAST-MODIFIED."""

    sequence: int
    modified: datetime


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
    content, when, sequence, modified = item["content"], item["time"], item["sequence"], item["modified"]
    if not (isinstance(content, str) and isinstance(when, str) and isinstance(modified, str)):
        raise ValueError(f"event {uid}: content, time and modified must be text")
    if not (isinstance(sequence, int) and not isinstance(sequence, bool) and 0 <= sequence <= _MAX_SEQUENCE):
        raise ValueError(f"event {uid}: sequence must be a whole number from 0 to {_MAX_SEQUENCE}")
    stamp = _stamp(modified)
    if not _YEARS[0] <= stamp.year <= _YEARS[1]:
        raise ValueError(f"event {uid}: modified must fall between {_YEARS[0]} and {_YEARS[1]}")
    return Seen(content=content, time=when, sequence=sequence, modified=stamp)


_PLAIN_STAMP = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z")


@lru_cache(maxsize=1024)  # most entries share the stamps of the few builds that changed them
def _stamp(text: str) -> datetime:
    """`strptime(text, _STAMP_FORMAT)` in UTC; the common zero-padded form read without
    strptime, which costs more than the rest of the file for tens of thousands of events."""
    found = _PLAIN_STAMP.fullmatch(text)
    if found is not None:
        with contextlib.suppress(ValueError):  # strptime says what is wrong
            year, month, day, hour, minute, second = (int(part) for part in found.groups())
            return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    return datetime.strptime(text, _STAMP_FORMAT).replace(tzinfo=UTC)


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
        if not isinstance(secret, str) or (secret and not SECRET.fullmatch(secret)):
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


def _json_ascii(text: str) -> str:
    """`json.dumps(text)`, skipping the encoder for plain ASCII (the digests a build writes)."""
    return f'"{text}"' if _PLAIN.fullmatch(text) else json.dumps(text)


def dump_state(state: State) -> bytes:
    """The state as JSON with sorted keys and two-space indents (what `json.dumps(…,
    indent=2, sort_keys=True)` writes, tested so), written by hand: ten times faster for
    tens of thousands of events. The file changes only when its content does."""
    return Ledger.of(state).dump()


@lru_cache(maxsize=64)
def _stamp_text(moment: datetime) -> str:
    # Most entries share a few stamps (the builds that changed them): formatted once each.
    return moment.strftime(_STAMP_FORMAT)


def _entry(uid: str, seen: Seen) -> str:
    """One event's entry as the file holds it."""
    return (
        f"    {_json_string(uid)}: {{\n"
        f'      "content": {_json_ascii(seen.content)},\n'
        f'      "modified": "{_stamp_text(seen.modified)}",\n'
        f'      "sequence": {seen.sequence},\n'
        f'      "time": {_json_ascii(seen.time)}\n'
        "    }"
    )


class Ledger:
    """The state with each event kept as the entry the file holds, read into a `Seen` only
    when asked: a build that changed a few events formats and parses only those."""

    def __init__(
        self,
        entries: dict[str, str],
        feed_secret: str,
        *,
        cached_in: Path | None = None,
        read: Mapping[str, Seen] | None = None,
    ) -> None:
        self.entries, self.feed_secret = entries, feed_secret
        self.cached_in = cached_in  # the cache folder the entries were kept in, if any
        self.recorded: dict[str, str] = {}  # the entries `record` changed
        self._read = dict(read or {})  # entries known as read: not parsed again

    @classmethod
    def of(cls, state: State) -> Ledger:
        entries = {uid: _entry(uid, seen) for uid, seen in state.events.items()}
        return cls(entries, state.feed_secret, read=state.events)

    def seen(self, uid: str) -> Seen | None:
        known = self._read.get(uid)
        if known is not None:
            return known
        entry = self.entries.get(uid)
        if entry is None:
            return None
        try:
            ((key, item),) = json.loads("{" + entry + "}").items()
            return _seen(key, item)
        except (ValueError, TypeError, KeyError) as error:  # only a damaged cache gets here
            if self.cached_in is None:
                raise _broken(str(error)) from None
            raise FollowupError(
                f"the build cache in {self.cached_in} is damaged ({error}); delete that folder and "
                "build again (it holds nothing your notes and followup-state.json do not)"
            ) from None

    def record(self, uid: str, seen: Seen) -> None:
        self.entries[uid] = self.recorded[uid] = _entry(uid, seen)
        self._read[uid] = seen

    def dump(self) -> bytes:
        entries = [entry for _, entry in sorted(self.entries.items())]
        events = "{\n" + ",\n".join(entries) + "\n  }" if entries else "{}"
        lines = ["{", f'  "events": {events},']
        if self.feed_secret:
            lines.append(f'  "feed_secret": {json.dumps(self.feed_secret)},')
        lines += [f'  "version": {STATE_VERSION}', "}", ""]
        return "\n".join(lines).encode("utf-8")


def save_state(root: Path, state: State) -> bool:
    """Write the state file atomically, and only when it changed; True when written."""
    return write_if_changed(state_path(root), dump_state(state))


