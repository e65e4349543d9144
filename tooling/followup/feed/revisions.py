"""Change tracking for the feed: each event's SEQUENCE and LAST-MODIFIED, kept across builds.

Calendar clients apply an update only when they can tell that something changed, so every
build compares each event with what the previous build published (`state`).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timedelta

from followup.config import Config
from followup.feed.events import EventText, event_text, event_uid
from followup.feed.state import Revision, Seen, State
from followup.plan.rules import Plan


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def track(
    plan: Plan,
    config: Config,
    state: State,
    now: datetime,
    texts: list[EventText] | None = None,
) -> State:
    """The state after publishing `plan`: unchanged events keep their entry (see `update`).

    `texts`, when given, are the plan's events already written (`feed.texts`), in order."""
    events = dict(state.events)
    written = texts or [event_text(reminder, config) for reminder in plan.reminders]
    for text in written:
        after = update(events.get(text.uid), text, now)
        if after is not None:
            events[text.uid] = after
    return replace(state, events=dict(sorted(events.items())))


def update(before: Seen | None, text: EventText, now: datetime) -> Seen | None:
    """An event's new entry when it is new or changed, else None: a changed one gets
    LAST-MODIFIED = max(now, previous + 1 s), and SEQUENCE + 1 when its time moved."""
    content, when = text.digest, _digest(text.when.encode("utf-8"))
    if before is None:
        return Seen(content, when, 0, now)
    if before.content == content and before.time == when:
        return None
    return Seen(
        content,
        when,
        before.sequence + (before.time != when),
        max(now, before.modified + timedelta(seconds=1)),
    )


def revisions(plan: Plan, config: Config, state: State) -> dict[str, Revision]:
    """The Revision of every event in the plan, keyed by the feed's UID."""
    result = {}
    for reminder in plan.reminders:
        uid = event_uid(reminder, minimal=config.minimal_details)
        if uid in state.events:
            result[uid] = state.events[uid].revision()
    return result
