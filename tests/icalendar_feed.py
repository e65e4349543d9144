"""The feed built with icalendar alone: the reference every feed the suite builds must match.

Production writes each event as text (`followup.feed.events`); here icalendar builds and
serialises every property, so a slip in the hand-written text (an escape, a fold, the
order of properties) shows as a difference in bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

import icalendar

from followup.config import Config
from followup.feed.calendar import Text, build_stamp, header, spans
from followup.feed.events import alarm_before, clean, describe, event_uid, one_line, summary
from followup.feed.state import Revision
from followup.plan.kinds import guide_url
from followup.plan.rules import Kind, Plan, Reminder


def event(
    reminder: Reminder,
    config: Config,
    stamp: datetime,
    revision: Revision | None = None,
) -> icalendar.Event:
    minimal = config.minimal_details
    item = icalendar.Event()
    item.add("uid", event_uid(reminder, minimal=minimal))
    item.add("dtstamp", revision.modified if revision else stamp)
    item.add("dtstart", reminder.start)
    item.add("dtend", reminder.end)
    item["summary"] = Text(one_line(summary(reminder, minimal=minimal)))
    item.add("categories", [str(reminder.kind)])
    if not minimal:
        item["description"] = Text(clean(describe(reminder, config)))
        if reminder.kind is Kind.INTERVIEW and reminder.interview.location:
            item["location"] = Text(one_line(reminder.interview.location))
        if config.site_url:
            item.add("url", guide_url(reminder, config.site_url))
    item.add("class", "PRIVATE")
    item.add("transp", "OPAQUE" if reminder.kind is Kind.INTERVIEW else "TRANSPARENT")
    if revision is not None:
        item.add("last-modified", revision.modified)
        item.add("sequence", revision.sequence)
    item.add_component(_alarm(reminder, config))
    return item


def _alarm(reminder: Reminder, config: Config) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm["description"] = Text(one_line(summary(reminder, minimal=config.minimal_details)))
    alarm.add("trigger", -alarm_before(reminder, config))
    return alarm


def calendar(
    plan: Plan,
    config: Config,
    stamp: datetime,
    revisions: Mapping[str, Revision] | None = None,
) -> icalendar.Calendar:
    """The whole feed, every object built by icalendar."""
    cal = header(spans(plan.reminders), config)
    for reminder in plan.reminders:
        uid = event_uid(reminder, minimal=config.minimal_details)
        cal.add_component(event(reminder, config, stamp, (revisions or {}).get(uid)))
    return cal




def render(
    plan: Plan,
    config: Config,
    today: date,
    revisions: Mapping[str, Revision] | None = None,
    events: object = None,
) -> bytes:
    """What `followup.feed.calendar.render` must return for the same arguments."""
    data: bytes = calendar(plan, config, build_stamp(today), revisions).to_ical()
    return data
