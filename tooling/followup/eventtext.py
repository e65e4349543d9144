"""Events written straight to iCalendar text: the fast path of the feed.

Building and serialising one icalendar `Event` per reminder dominates a large build (tens of
thousands of objects, and icalendar's line folding walks every character). This module
writes the same bytes directly. icalendar stays the authority: `feed.event()` builds each
event with it, and the tests check, over the whole test corpus, that the text written here
is byte for byte what icalendar writes for that event. Values that need icalendar's own
rules (a time zone's TZID, a duration) are asked of icalendar once and remembered.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

import icalendar

if TYPE_CHECKING:
    from followup.config import Config
    from followup.feed import Revision
    from followup.rules import Reminder

FOLD_LIMIT = 75  # octets, as icalendar counts them (a line holds at most 74 before the break)


def escape(text: str) -> str:
    """RFC 5545 TEXT escaping, as `feed.Text` does it."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold one content line exactly as icalendar does: each piece the most whole characters
    that fit in 74 octets, and never ending in a backslash or caret (an escape stays whole)."""
    if len(line) < FOLD_LIMIT and line.isascii():
        return line
    data = line.encode("utf-8")
    if len(data) < FOLD_LIMIT:
        return line
    pieces = []
    start = 0
    while len(data) - start >= FOLD_LIMIT:
        cut = start + FOLD_LIMIT - 1
        while data[cut] & 0xC0 == 0x80:  # inside a character: break before it
            cut -= 1
        if data[cut - 1] in b"\\^" and cut - 1 > start:
            cut -= 1
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode("utf-8")


@lru_cache(maxsize=256)
def _zone_prefix(zone_key: str) -> tuple[str, str]:
    """(";TZID=…" or "", "Z" or "") for a zone, as icalendar writes a datetime in it."""
    from zoneinfo import ZoneInfo

    item = icalendar.Event()
    item.add("dtstart", datetime(2026, 1, 1, 9, tzinfo=ZoneInfo(zone_key)))
    line = item.to_ical().split(b"\r\n")[1].decode()
    params, value = line.removeprefix("DTSTART").split(":", 1)
    return params, ("Z" if value.endswith("Z") else "")


def uses_tzid(zone_key: str) -> bool:
    """Whether times in this zone are written with a TZID (and so need a VTIMEZONE)."""
    return bool(_zone_prefix(zone_key)[0])


def _day(moment: date) -> str:
    # %-formatting: twice as fast as an f-string with format specs, three times strftime
    return "%04d%02d%02d" % (moment.year, moment.month, moment.day)  # noqa: UP031


def _time(moment: datetime) -> str:
    values = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    return "%04d%02d%02dT%02d%02d%02d" % values  # noqa: UP031


def when(name: str, moment: datetime | date) -> str:
    if not isinstance(moment, datetime):
        return f"{name};VALUE=DATE:{_day(moment)}"
    params, suffix = _zone_prefix(str(moment.tzinfo))
    return f"{name}{params}:{_time(moment)}{suffix}"


def utc(name: str, moment: datetime) -> str:
    return f"{name}:{_time(moment)}Z"


@lru_cache(maxsize=64)
def duration(value: timedelta) -> str:
    text: bytes = icalendar.vDuration(value).to_ical()  # type: ignore[no-untyped-call]
    return text.decode()


@dataclass(frozen=True, slots=True)
class EventText:
    """One event's content lines, unfolded, with the build stamps left to be filled in."""

    uid: str
    head: tuple[str, ...]  # SUMMARY, DTSTART, DTEND (canonical order comes first)
    early: tuple[str, ...]  # the properties sorting before LAST-MODIFIED
    late: tuple[str, ...]  # those after it, then the alarm and END:VEVENT

    @property
    def when(self) -> str:
        """DTSTART and DTEND as written, zone included: a change here raises SEQUENCE."""
        return "\n".join(self.head[1:])

    @property
    def digest(self) -> str:
        """Everything the event says except the stamps: what change tracking compares."""
        text = "\n".join((*self.head, self.uid, *self.early, *self.late))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def render(self, stamp: datetime, revision: Revision | None) -> str:
        lines = ["BEGIN:VEVENT", *self.head]
        lines.append(utc("DTSTAMP", revision.modified if revision else stamp))
        lines.append(f"UID:{escape(self.uid)}")
        if revision is not None:
            lines.append(f"SEQUENCE:{revision.sequence}")
        lines.extend(self.early)
        if revision is not None:
            lines.append(utc("LAST-MODIFIED", revision.modified))
        lines.extend(self.late)
        return "\r\n".join(fold(line) for line in lines) + "\r\n"


def event_text(reminder: Reminder, config: Config) -> EventText:
    """The text of `feed.event(reminder, config, …)`, property for property."""
    from followup.feed import alarm_before, clean, describe, event_uid, guide_url, one_line, summary
    from followup.rules import Kind

    minimal = config.minimal_details
    title = escape(one_line(summary(reminder, minimal)))
    head = (f"SUMMARY:{title}", when("DTSTART", reminder.start), when("DTEND", reminder.end))
    early = [f"CATEGORIES:{reminder.kind}", "CLASS:PRIVATE"]
    late = []
    if not minimal:
        early.append(f"DESCRIPTION:{escape(clean(describe(reminder, config)))}")
        if reminder.kind is Kind.INTERVIEW and reminder.interview.location:
            late.append(f"LOCATION:{escape(one_line(reminder.interview.location))}")
    late.append(f"TRANSP:{'OPAQUE' if reminder.kind is Kind.INTERVIEW else 'TRANSPARENT'}")
    if not minimal and config.site_url:
        late.append(f"URL:{guide_url(reminder, config)}")
    late += [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{title}",
        f"TRIGGER:{duration(-alarm_before(reminder, config))}",
        "END:VALARM",
        "END:VEVENT",
    ]
    return EventText(event_uid(reminder, minimal), head, tuple(early), tuple(late))
