"""The opt-in task feed (`tasks_feed = true`): every open action as a VTODO.

Thunderbird and Evolution show tasks from a subscribed calendar in their task lists; most
other clients ignore them, which is why the main feed stays VEVENT-only. Interviews are
events, not tasks, so they are left out here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

import icalendar

from followup.config import Config
from followup.feed.calendar import Text, build_stamp, header, spans
from followup.feed.events import clean, describe, event_uid, one_line, summary
from followup.feed.state import Revision
from followup.plan.rules import Kind, Plan, Reminder


def task_uid(reminder: Reminder, *, minimal: bool) -> str:
    """Stable, and different from the event's UID: one client may subscribe to both feeds."""
    name, _, host = event_uid(reminder, minimal=minimal).partition("@")
    return f"{name}.task@{host}"


def todo(
    reminder: Reminder, config: Config, stamp: datetime, revision: Revision | None = None
) -> icalendar.Todo:
    minimal = config.minimal_details
    item = icalendar.Todo()
    item.add("uid", task_uid(reminder, minimal=minimal))
    item.add("dtstamp", revision.modified if revision else stamp)
    item.add("due", reminder.start)
    item.add("status", "NEEDS-ACTION")
    item["summary"] = Text(one_line(summary(reminder, minimal=minimal)))
    item.add("categories", [str(reminder.kind)])
    if not minimal:
        item["description"] = Text(clean(describe(reminder, config)))
    item.add("class", "PRIVATE")
    if revision is not None:
        item.add("last-modified", revision.modified)
        item.add("sequence", revision.sequence)
    return item


def render(
    plan: Plan,
    config: Config,
    today: date,
    revisions: Mapping[str, Revision] | None = None,
) -> bytes:
    """The task feed; `revisions` are the event feed's, keyed by the event's UID."""
    actions = tuple(r for r in plan.reminders if r.kind is not Kind.INTERVIEW)
    cal = header(spans(actions), config, f"{config.calendar_name} (tasks)")
    stamp = build_stamp(today)
    for reminder in actions:
        revision = (revisions or {}).get(event_uid(reminder, minimal=config.minimal_details))
        cal.add_component(todo(reminder, config, stamp, revision))
    return bytes(cal.to_ical())
