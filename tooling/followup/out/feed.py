"""What the calendar feed carries: the events of the interviews in its window, the zones
their times use, the stamp a build gives them, and how large it may grow. The calendar
around the events is written by icalendar (`vcalendar`)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from followup.config import Config
from followup.out.eventtext import EventText, event_text, uses_tzid
from followup.plan.rules import Plan, Reminder

# Google Calendar ignores a subscribed feed larger than this (about 1,100 events of ours).
GOOGLE_LIMIT = 1_000_000


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
    first = window_start(config, today)
    kept = tuple(r for r in plan.reminders if ended_on(r) >= first)
    return plan if len(kept) == len(plan.reminders) else Plan(kept, plan.applications)


def window_start(config: Config, today: date) -> date:
    """The first day an interview may have ended on and keep its events in the feed."""
    return today - timedelta(days=config.feed_days_back)


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
