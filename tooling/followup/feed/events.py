"""Each reminder as a VEVENT: its properties decided once, and written as iCalendar text.

Building and serialising one icalendar `Event` per reminder dominates a large build (tens of
thousands of objects, and icalendar's line folding walks every character), so events are
written here directly. icalendar stays the authority: the tests build every feed the suite
makes with icalendar alone (tests/icalendar_feed.py) and require the same bytes. Values that
need icalendar's own rules (a time zone's TZID, a duration) are asked of it once per process.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from followup.config import Config
from followup.feed.state import Revision
from followup.plan.drafts import links
from followup.plan.kinds import done_command, guide_url
from followup.plan.rules import Kind, Reminder

# C0 and C1 controls, and U+FEFF (an invisible byte-order mark that parsers strip from values).
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\ufeff]")
FOLD_LIMIT = 75  # octets, as icalendar counts them (a line holds at most 74 before the break)


def clean(text: str) -> str:
    """Text that cannot break a line of the feed: one newline kind, no control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\u0085", "\n")
    return _UNSAFE.sub("", text.replace("\t", " "))


def one_line(text: str) -> str:
    """Cleaned text for a title or a place: line breaks become spaces, as clients show one line."""
    return clean(text).replace("\n", " ")


def event_uid(reminder: Reminder, *, minimal: bool) -> str:
    """Stable across builds; in minimal mode a hash, so the UID tells a third party nothing."""
    if not minimal:
        return reminder.uid
    return hashlib.sha256(reminder.uid.encode()).hexdigest()[:32] + "@interview-followup"


def describe(reminder: Reminder, config: Config) -> str:
    """The event's DESCRIPTION: what to do, who to contact and how, why, and where it came from."""
    parts = [reminder.action]
    drafts = links(reminder)
    if drafts:
        lines = ["Drafted email (opens your mail app):"]
        lines += [f"- {person.label} <{person.email}>: {link}" for person, link in drafts]
        parts.append("\n".join(lines))
    missing = [p.label for p in reminder.to if not p.email]
    if missing and reminder.kind in (Kind.THANK_YOU, Kind.FOLLOW_UP, Kind.WITHDRAW):
        parts.append(f"No email address in the note for: {', '.join(missing)}.")
    parts.append(f"Why: {reminder.why}")
    footer = [f"Note: {reminder.interview.path}"]
    if command := done_command(reminder):
        footer.append(f"When done: {command}")
    if config.site_url:
        footer.append(f"Guide: {guide_url(reminder, config.site_url)}")
    parts.append("\n".join(footer))
    return "\n\n".join(parts)


def summary(reminder: Reminder, *, minimal: bool) -> str:
    if minimal:
        return f"{reminder.label}: {reminder.interview.company}"
    return reminder.title


def alarm_before(reminder: Reminder, config: Config) -> timedelta:
    """Reminders alert at their time; an interview ahead of it (all-day: the evening before)."""
    if reminder.kind is not Kind.INTERVIEW:
        return timedelta(0)
    if reminder.all_day:
        return timedelta(hours=24 - config.reminder_hour)  # the day before, at the reminder hour
    return timedelta(minutes=config.alarm_minutes_before)


def escape(text: str) -> str:
    """RFC 5545 TEXT escaping, as `vcalendar.Text` does it."""
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


# What icalendar says of each zone and duration asked about: how a time in the zone is
# written (";TZID=…" or "", then "Z" or ""), and how a duration is. Asked once per process.
_ZONES: dict[str, tuple[str, str]] = {}
_DURATIONS: dict[tuple[int, int, int], str] = {}


def _zone_prefix(zone_key: str) -> tuple[str, str]:
    """(";TZID=…" or "", "Z" or "") for a zone, as icalendar writes a datetime in it."""
    found = _ZONES.get(zone_key)
    if found is None:
        from zoneinfo import ZoneInfo

        import icalendar

        item = icalendar.Event()
        item.add("dtstart", datetime(2026, 1, 1, 9, tzinfo=ZoneInfo(zone_key)))
        line = item.to_ical().split(b"\r\n")[1].decode()
        params, value = line.removeprefix("DTSTART").split(":", 1)
        found = _ZONES[zone_key] = (params, "Z" if value.endswith("Z") else "")
    return found


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


def duration(value: timedelta) -> str:
    key = (value.days, value.seconds, value.microseconds)
    found = _DURATIONS.get(key)
    if found is None:
        import icalendar

        text: bytes = icalendar.vDuration(value).to_ical()  # type: ignore[no-untyped-call]
        found = _DURATIONS[key] = text.decode()
    return found


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
        return "\r\n".join([fold(line) for line in lines]) + "\r\n"


def event_text(reminder: Reminder, config: Config) -> EventText:
    """The reminder's event: every property it has, in the order icalendar writes them."""
    minimal = config.minimal_details
    title = escape(one_line(summary(reminder, minimal=minimal)))
    head = (f"SUMMARY:{title}", when("DTSTART", reminder.start), when("DTEND", reminder.end))
    early = [f"CATEGORIES:{reminder.kind}", "CLASS:PRIVATE"]
    late = []
    if not minimal:
        early.append(f"DESCRIPTION:{escape(clean(describe(reminder, config)))}")
        if reminder.kind is Kind.INTERVIEW and reminder.interview.location:
            late.append(f"LOCATION:{escape(one_line(reminder.interview.location))}")
    late.append(f"TRANSP:{'OPAQUE' if reminder.kind is Kind.INTERVIEW else 'TRANSPARENT'}")
    if not minimal and config.site_url:
        late.append(f"URL:{guide_url(reminder, config.site_url)}")
    late += [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{title}",
        f"TRIGGER:{duration(-alarm_before(reminder, config))}",
        "END:VALARM",
        "END:VEVENT",
    ]
    return EventText(event_uid(reminder, minimal=minimal), head, tuple(early), tuple(late))
