"""The feed as a whole: which events it carries (the interviews in its window), the zones
their times use, the stamp a build gives them, how large it may grow, and the calendar
around the events, written by icalendar with the VTIMEZONE of every zone in use.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta

import icalendar
from icalendar.prop import vText

from followup.config import Config
from followup.feed.events import EventText, clean, event_text, uses_tzid
from followup.feed.state import Revision
from followup.plan.rules import Plan, Reminder

PRODID = "-//interview-followup//followup//EN"
# Google Calendar ignores a subscribed feed larger than this (about 1,100 events of ours).
GOOGLE_LIMIT = 1_000_000


class Text(vText):
    """TEXT escaped as RFC 5545 says: icalendar's own escaping turns a literal `\\N` into a newline."""

    def to_ical(self) -> bytes:
        value = str(self).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        return value.replace("\n", "\\n").encode("utf-8")


def build_stamp(today: date) -> datetime:
    """DTSTAMP: from SOURCE_DATE_EPOCH when set, else midnight UTC of "today" (reproducible)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.combine(today, time(0), tzinfo=UTC)


def spans(reminders: Iterable[Reminder]) -> dict[str, tuple[date, date]]:
    """The zones these reminders' times are written in (with a TZID, so each needs a
    VTIMEZONE), each with the first and the last day it is used, sorted by name."""
    days: dict[str, list[date]] = {}
    for reminder in reminders:
        if isinstance(reminder.start, datetime) and uses_tzid(zone := str(reminder.start.tzinfo)):
            days.setdefault(zone, []).append(reminder.start.date())
    return {zone: (min(found), max(found)) for zone, found in sorted(days.items())}


def in_window(plan: Plan, config: Config, today: date) -> Plan:
    """The plan without the events of interviews that ended more than `feed_days_back` days
    before today: what the feed and the sync carry (the index keeps everything)."""
    first = today - timedelta(days=config.feed_days_back)
    kept = tuple(r for r in plan.reminders if ended_on(r) >= first)
    return plan if len(kept) == len(plan.reminders) else Plan(kept, plan.applications)


def ended_on(reminder: Reminder) -> date:
    end = reminder.interview.end
    return end.date() if end else reminder.interview.day


def size_warning(size: int) -> str:
    """A warning for a feed too large for Google Calendar, or ''."""
    if size <= GOOGLE_LIMIT:
        return ""
    return (
        f"the feed is {size / 1_000_000:.1f} MB: Google Calendar ignores subscribed feeds over 1 MB. "
        "Lower feed_days_back (the days an interview stays in the feed after it ended) or set "
        "minimal_details = true in followup.toml"
    )


def texts(plan: Plan, config: Config) -> list[EventText]:
    return [event_text(reminder, config) for reminder in plan.reminders]


def header(zones: Mapping[str, tuple[date, date]], config: Config, name: str = "") -> icalendar.Calendar:
    """The calendar's own properties and its VTIMEZONEs, covering only the dates in use."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal["name"] = Text(clean(name or config.calendar_name))
    cal["x-wr-calname"] = Text(clean(name or config.calendar_name))
    refresh = timedelta(hours=config.refresh_hours)
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    cal["x-published-ttl"] = icalendar.vDuration(refresh)  # add() would write "6:00:00"
    for zone, (first, last) in zones.items():
        cal.add_component(icalendar.Timezone.from_tzid(
            zone, first_date=first - timedelta(days=1), last_date=last + timedelta(days=1)
        ))
    return cal


def render(
    plan: Plan,
    config: Config,
    today: date,
    revisions: Mapping[str, Revision] | None = None,
    events: list[EventText] | None = None,
) -> bytes:
    """The feed's bytes: icalendar writes the calendar and its time zones, `events` each
    event (the tests check the whole against a feed built with icalendar alone)."""
    stamp = build_stamp(today)
    found = revisions or {}
    written = [e.render(stamp, found.get(e.uid)).encode("utf-8") for e in (events or texts(plan, config))]
    head: bytes = header(spans(plan.reminders), config).to_ical()
    end = b"END:VCALENDAR\r\n"
    return b"".join([head.removesuffix(end), *written, end])
