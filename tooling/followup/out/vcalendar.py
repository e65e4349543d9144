"""The feed's calendar, written by icalendar: its own properties and the VTIMEZONE of each
zone the events use, around the events as `eventtext` writes them. Only a build that writes
the feed imports it (icalendar is a quarter of a small build's start-up)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

import icalendar
from icalendar.prop import vText

from followup.config import Config
from followup.out.eventtext import EventText, clean
from followup.out.feed import build_stamp, spans, texts
from followup.out.state import Revision
from followup.plan.rules import Plan

PRODID = "-//interview-followup//followup//EN"


class Text(vText):
    """TEXT escaped as RFC 5545 says: icalendar's own escaping turns a literal `\\N` into a newline."""

    def to_ical(self) -> bytes:
        value = str(self).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        return value.replace("\n", "\\n").encode("utf-8")


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
    """The feed's bytes: icalendar writes the calendar and its time zones, `eventtext` each
    event (the tests check the whole against a feed built with icalendar alone)."""
    stamp = build_stamp(today)
    found = revisions or {}
    written = (e.render(stamp, found.get(e.uid)).encode("utf-8") for e in (events or texts(plan, config)))
    return assemble(spans(plan.reminders), config, written)


def assemble(
    zones: Mapping[str, tuple[date, date]], config: Config, events: Iterable[bytes | memoryview]
) -> bytes:
    """The feed from its events as written, in order; `zones` as `spans` gives them."""
    head: bytes = header(zones, config).to_ical()
    end = b"END:VCALENDAR\r\n"
    return b"".join([head.removesuffix(end), *events, end])
