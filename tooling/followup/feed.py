"""The calendar feed: every open reminder as a VEVENT, built with icalendar."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import icalendar
from icalendar.prop import vText

from followup.config import Config
from followup.drafts import links
from followup.eventtext import EventText, event_text, uses_tzid
from followup.rules import Kind, Plan, Reminder

PRODID = "-//interview-followup//followup//EN"
# Set (the test suite does, for every build it makes) to check each feed against icalendar.
VERIFY_ENV = "FOLLOWUP_VERIFY_FEED"
# Google Calendar ignores a subscribed feed larger than this (about 1,100 events of ours).
GOOGLE_LIMIT = 1_000_000
# C0 and C1 controls, and U+FEFF (an invisible byte-order mark that parsers strip from values).
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\ufeff]")


def clean(text: str) -> str:
    """Text that cannot break a line of the feed: one newline kind, no control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\u0085", "\n")
    return _UNSAFE.sub("", text.replace("\t", " "))


def one_line(text: str) -> str:
    """Cleaned text for a title or a place: line breaks become spaces, as clients show one line."""
    return clean(text).replace("\n", " ")


class Text(vText):
    """TEXT escaped as RFC 5545 says: icalendar's own escaping turns a literal `\\N` into a newline."""

    def to_ical(self) -> bytes:
        value = str(self).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        return value.replace("\n", "\\n").encode("utf-8")


@dataclass(frozen=True)
class Revision:
    """How often a reminder changed: the feed's SEQUENCE and LAST-MODIFIED."""

    sequence: int
    modified: datetime


def build_stamp(today: date) -> datetime:
    """DTSTAMP: from SOURCE_DATE_EPOCH when set, else midnight UTC of "today" (reproducible)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.combine(today, time(0), tzinfo=UTC)


def event_uid(reminder: Reminder, minimal: bool) -> str:
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
    if missing and reminder.kind in (Kind.THANK_YOU, Kind.FOLLOW_UP):
        parts.append(f"No email address in the note for: {', '.join(missing)}.")
    parts.append(f"Why: {reminder.why}")
    footer = [f"Note: {reminder.interview.path}"]
    if reminder.done_command:
        footer.append(f"When done: {reminder.done_command}")
    if config.site_url:
        footer.append(f"Guide: {guide_url(reminder, config)}")
    parts.append("\n".join(footer))
    return "\n\n".join(parts)


def guide_url(reminder: Reminder, config: Config) -> str:
    """The published guide page behind a reminder (the site is built without directory URLs)."""
    return f"{config.site_url}/{reminder.guide_page.removesuffix('.md')}.html"


def summary(reminder: Reminder, minimal: bool) -> str:
    if minimal:
        return f"{reminder.label}: {reminder.interview.company}"
    return reminder.title


def event(
    reminder: Reminder,
    config: Config,
    stamp: datetime,
    revision: Revision | None = None,
) -> icalendar.Event:
    minimal = config.minimal_details
    item = icalendar.Event()
    item.add("uid", event_uid(reminder, minimal))
    item.add("dtstamp", revision.modified if revision else stamp)
    item.add("dtstart", reminder.start)
    item.add("dtend", reminder.end)
    item["summary"] = Text(one_line(summary(reminder, minimal)))
    item.add("categories", [str(reminder.kind)])
    if not minimal:
        item["description"] = Text(clean(describe(reminder, config)))
        if reminder.kind is Kind.INTERVIEW and reminder.interview.location:
            item["location"] = Text(one_line(reminder.interview.location))
        if config.site_url:
            item.add("url", guide_url(reminder, config))
    item.add("class", "PRIVATE")
    item.add("transp", "OPAQUE" if reminder.kind is Kind.INTERVIEW else "TRANSPARENT")
    if revision is not None:
        item.add("last-modified", revision.modified)
        item.add("sequence", revision.sequence)
    item.add_component(_alarm(reminder, config))
    return item


def alarm_before(reminder: Reminder, config: Config) -> timedelta:
    """Reminders alert at their time; an interview ahead of it (all-day: the evening before)."""
    if reminder.kind is not Kind.INTERVIEW:
        return timedelta(0)
    if reminder.all_day:
        return timedelta(hours=24 - config.reminder_hour)  # the day before, at the reminder hour
    return timedelta(minutes=config.alarm_minutes_before)


def _alarm(reminder: Reminder, config: Config) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm["description"] = Text(one_line(summary(reminder, config.minimal_details)))
    alarm.add("trigger", -alarm_before(reminder, config))
    return alarm


def calendar(
    plan: Plan,
    config: Config,
    stamp: datetime,
    revisions: Mapping[str, Revision] | None = None,
) -> icalendar.Calendar:
    """The whole feed, every object built by icalendar (the reference for `render`)."""
    cal = header(plan.reminders, config)
    for reminder in plan.reminders:
        uid = event_uid(reminder, config.minimal_details)
        cal.add_component(event(reminder, config, stamp, (revisions or {}).get(uid)))
    return cal


def header(reminders: tuple[Reminder, ...], config: Config, name: str = "") -> icalendar.Calendar:
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
    for timezone in _timezones(reminders):
        cal.add_component(timezone)
    return cal


def _timezones(reminders: tuple[Reminder, ...]) -> list[icalendar.Timezone]:
    zones: dict[str, list[date]] = {}
    for reminder in reminders:
        if isinstance(reminder.start, datetime) and uses_tzid(zone := str(reminder.start.tzinfo)):
            zones.setdefault(zone, []).append(reminder.start.date())
    return [
        icalendar.Timezone.from_tzid(
            name, first_date=min(days) - timedelta(days=1), last_date=max(days) + timedelta(days=1)
        )
        for name, days in sorted(zones.items())
    ]


def in_window(plan: Plan, config: Config, today: date) -> Plan:
    """The plan without the events of interviews that ended more than `feed_days_back` days
    before today: what the feed and the sync carry (the index keeps everything)."""
    first = today - timedelta(days=config.feed_days_back)
    kept = tuple(r for r in plan.reminders if _ended_on(r) >= first)
    return plan if len(kept) == len(plan.reminders) else Plan(kept, plan.applications)


def _ended_on(reminder: Reminder) -> date:
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


def render(
    plan: Plan,
    config: Config,
    today: date,
    revisions: Mapping[str, Revision] | None = None,
    events: list[EventText] | None = None,
) -> bytes:
    """The feed's bytes: icalendar writes the calendar and its time zones, the events come
    from the fast path (`eventtext`), which writes exactly what `calendar()` would."""
    stamp = build_stamp(today)
    found = revisions or {}
    head: bytes = header(plan.reminders, config).to_ical()
    end = b"END:VCALENDAR\r\n"
    parts = [head.removesuffix(end)]
    parts += (e.render(stamp, found.get(e.uid)).encode("utf-8") for e in (events or texts(plan, config)))
    parts.append(end)
    data = b"".join(parts)
    if os.environ.get(VERIFY_ENV):
        reference: bytes = calendar(plan, config, stamp, revisions).to_ical()
        if data != reference:
            raise AssertionError("the fast feed differs from what icalendar writes for the same events")
    return data

