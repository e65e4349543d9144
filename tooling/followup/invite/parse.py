"""Calendar invitations read into plain values for `followup invite`: when, where, who, what.

An invitation arrives as an .ics file or inside an email; it may be an Outlook export with
Windows zone names, a Google invitation in UTC, an iCloud one whose organizer hides behind a
relay address, an update of an earlier one (same UID, higher SEQUENCE), or a cancellation.
`read_invitations` returns one Invitation per UID and raises InvitationError, a sentence
naming the file, for anything it cannot use; no other exception leaves it, whatever the bytes.

Choices worth knowing:

- Times come back as aware datetimes in the zone the note will keep (see zones.py); UTC and
  unzoned times are expressed in the user's zone (floating ones in X-WR-TIMEZONE when the
  calendar names one), except that a changed occurrence Outlook wrote in UTC takes the zone
  of its series. All-day events give a date and no zone.
- A timed event without DTEND or DURATION lasts 0 minutes, as RFC 5545 says, with a warning;
  negative durations become 0 and ones over a day are capped at 24 hours, with a warning.
- Several VEVENTs with one UID are a recurring event and its changed occurrences: the master
  gives the first occurrence (or its override when the file has one); a file of overrides
  only gives the earliest. Versions of the same event are ordered by SEQUENCE, then DTSTAMP.
- Answers to an invitation (METHOD:REPLY, COUNTER, REFRESH) are refused; a cancellation
  may omit DTSTART, and then its `start` is None.
- An event without UID or usable DTSTART is skipped when others remain, with a warning on
  each invitation returned; otherwise it is the error.
- Text values lose control characters but keep newlines; names, summary, location and link
  are cut at 2,000 characters, the description at 20,000, with a warning.
"""

from __future__ import annotations

import re
import warnings
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any

import icalendar

from followup.errors import FollowupError
from followup.invite import sources, text, zones
from followup.services import domain_of, is_relay

__all__ = [
    "Invitation",
    "InvitationError",
    "Person",
    "read_invitations",
]

MAX_BYTES = 50 * 1024 * 1024
MAX_MINUTES = 24 * 60
MAX_OBSERVANCES = 200
RULE_YEARS = (1800, 2200)
ANSWERS = frozenset({"REPLY", "COUNTER", "REFRESH"})
_LAST = datetime.max.replace(tzinfo=UTC)

# Properties that hold a meeting's join link, in the order they are trusted.
_CONFERENCE_PROPERTIES = (
    "X-GOOGLE-CONFERENCE",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK",
    "X-MICROSOFT-ONLINEMEETINGCONFLINK",
    "CONFERENCE",
)
_ROOM_DOMAINS = ("resource.calendar.google.com",)
# A LOCATION that only names the meeting's service (Outlook writes "Microsoft Teams Meeting" in
# every Teams invitation): the join link says more.
_SERVICE_ONLY = re.compile(
    r"(?:microsoft\s+)?teams(?:\s+meeting)?|zoom(?:\s+(?:meeting|call))?|google\s+meet|(?:cisco\s+)?webex"
    r"(?:\s+meeting)?|skype(?:\s+(?:meeting|call|for\s+business))?|(?:online|virtual|video)(?:\s+(?:meeting|call|interview))?",
    re.IGNORECASE,
)
_ADDRESS = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")


class InvitationError(FollowupError):
    """An invitation that cannot be used; the message is one line and names the file."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        super().__init__(f"{text.one_line(source)}: {reason}")


@dataclass(frozen=True, slots=True)
class Person:
    """Someone named in the invitation."""

    name: str  # CN, unquoted and on one line; '' when there is none
    email: str  # the address without "mailto:"; '' when there is none


@dataclass(frozen=True, slots=True)
class Invitation:
    """One event of an invitation, as the note will record it."""

    source: str
    method: str  # METHOD of the calendar, upper-case; '' when absent
    uid: str
    sequence: int
    stamp: datetime | None  # DTSTAMP, in UTC
    cancelled: bool  # METHOD:CANCEL, or the event's STATUS:CANCELLED
    # Aware, in ZoneInfo(zone); a date for all-day events; None only for a cancellation
    # that gives no DTSTART.
    start: datetime | date | None
    zone: str  # IANA zone name; '' for all-day events
    duration: int  # minutes; 0 for all-day events
    location: str  # LOCATION, else the meeting link, else ''
    link: str  # the meeting link, else ''
    summary: str
    description: str  # plain text
    organizer: Person | None
    attendees: tuple[Person, ...]  # rooms and resources left out; the organizer not repeated
    warnings: tuple[str, ...] = ()


def read_invitations(data: bytes, source: str, *, user_zone: str) -> list[Invitation]:
    """The invitations in `data` (an .ics file or a whole email), one per UID, in file order.

    `user_zone` is the IANA zone times without a zone of their own are read in and UTC times
    are shown in. Raises InvitationError, and nothing else, when there is nothing to import.
    """
    try:
        zone = zoneinfo.ZoneInfo(user_zone)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError) as error:
        raise InvitationError(source, f"“{user_zone}” is not a known time zone; check the configured one") from error
    if len(data) > MAX_BYTES:
        raise InvitationError(source, "the file is too large to be an invitation (over 50 MB)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _Reader(source, user_zone, zone).read(data)
    except InvitationError:
        raise
    except (Exception, RecursionError) as error:  # any input bytes: only our own error leaves
        raise InvitationError(
            source, "the invitation could not be read: the file is damaged or not in a format this tool knows"
        ) from error


@dataclass(frozen=True, slots=True)
class _Calendar:
    """What the events of one VCALENDAR share."""

    method: str
    zone_hint: str  # X-WR-TIMEZONE when it is a known zone
    definitions: dict[str, icalendar.Component]  # VTIMEZONE by its loosely compared TZID
    # Made once per calendar: an Outlook export repeats one zone in hundreds of events.
    made: dict[str, _Definition | None] = field(default_factory=dict)
    chosen: dict[tuple[str, int, int], str] = field(default_factory=dict)

    def definition(self, tzid: str) -> _Definition | None:
        key = _tzid_key(tzid)
        if key not in self.made:
            self.made[key] = _definition(self.definitions.get(key))
        return self.made[key]


@dataclass(frozen=True, slots=True)
class _Definition:
    """A VTIMEZONE made into a tzinfo from this file alone, and its expanded transitions."""

    tz: tzinfo
    transitions: zones.Transitions | None


@dataclass(frozen=True, slots=True)
class _Version:
    """One VEVENT and the calendar it came in."""

    event: icalendar.Component
    calendar: _Calendar
    uid: str
    sequence: int
    stamp: datetime | None
    override: bool  # has a RECURRENCE-ID: it changes one occurrence of a series
    recurrence_id: datetime | None  # that RECURRENCE-ID as an instant (UTC); None when unreadable

    @property
    def order(self) -> tuple[int, datetime, bool]:
        stamp = self.stamp or datetime.min.replace(tzinfo=UTC)
        return (self.sequence, stamp, self.calendar.method == "CANCEL")


@dataclass(frozen=True, slots=True)
class _Placed:
    start: datetime | date
    zone: str
    warning: str = ""


@dataclass(frozen=True, slots=True)
class _Notes:
    """Warnings gathered while one invitation is built."""

    items: list[str] = field(default_factory=list)

    def add(self, sentence: str) -> None:
        if sentence and sentence not in self.items:
            self.items.append(sentence)


class _Reader:
    def __init__(self, source: str, user_zone: str, zone: tzinfo) -> None:
        self.source = source
        self.user_zone = user_zone
        self.zone = zone

    def fail(self, reason: str) -> InvitationError:
        return InvitationError(self.source, reason)

    def read(self, data: bytes) -> list[Invitation]:
        try:
            texts = sources.calendar_texts(data)
        except sources.NotAnInvitation as error:
            raise self.fail(error.reason) from None
        calendars = self._calendars(texts)
        versions, skipped = self._versions(calendars)
        groups: dict[str, list[_Version]] = {}
        for version in versions:
            groups.setdefault(version.uid, []).append(version)
        skip_note = _skip_note(skipped, self.source)
        return [self._invitation(group, skip_note) for group in groups.values()]

    def _calendars(self, texts: Sequence[str]) -> list[tuple[_Calendar, list[icalendar.Component]]]:
        found: list[tuple[_Calendar, list[icalendar.Component]]] = []
        for ics in texts:
            try:
                components = icalendar.Calendar.from_ical(ics, multiple=True)
            except (ValueError, KeyError, IndexError, TypeError, AttributeError):
                continue
            for component in components:
                found.append(self._calendar(component))
        if not found:
            raise self.fail("the calendar data is damaged and could not be read")
        if not any(events for _, events in found):
            raise self.fail("the calendar has no event in it (no VEVENT), so there is nothing to import")
        answers = [calendar.method for calendar, events in found if events and calendar.method in ANSWERS]
        if len(answers) == sum(1 for _, events in found if events):
            raise self.fail(
                f"this is an answer to an invitation (METHOD:{answers[0]}), not an invitation; "
                "import the invitation you received instead"
            )
        return [(calendar, events) for calendar, events in found if calendar.method not in ANSWERS]

    def _calendar(self, component: icalendar.Component) -> tuple[_Calendar, list[icalendar.Component]]:
        if component.name != "VCALENDAR":
            # A bare VEVENT, as some generators write: a calendar of one event.
            events = [component] if component.name == "VEVENT" else []
            return _Calendar("", "", {}), events
        children = list(component.subcomponents)
        definitions = {
            _tzid_key(_text_of(child.get("TZID"))): child for child in children if child.name == "VTIMEZONE"
        }
        method = _text_of(component.get("METHOD")).strip().upper()
        hint = zones.iana_zone(_text_of(component.get("X-WR-TIMEZONE")))
        events = [child for child in children if child.name == "VEVENT"]
        return _Calendar(method, hint, definitions), events

    def _versions(
        self, calendars: list[tuple[_Calendar, list[icalendar.Component]]]
    ) -> tuple[list[_Version], list[str]]:
        versions: list[_Version] = []
        skipped: list[str] = []
        for calendar, events in calendars:
            for event in events:
                problem = _unusable(event, calendar)
                if problem:
                    skipped.append(problem)
                    continue
                versions.append(_Version(
                    event=event,
                    calendar=calendar,
                    uid=text.clean(_text_of(event.get("UID")), text.SHORT).text,
                    sequence=_sequence(event),
                    stamp=_stamp(event),
                    override=event.get("RECURRENCE-ID") is not None,
                    recurrence_id=self._moment(event.get("RECURRENCE-ID"), calendar),
                ))
        if not versions:
            raise self.fail(skipped[0] if skipped else "the calendar has no event in it")
        return versions, skipped

    def _invitation(self, group: list[_Version], skip_note: str) -> Invitation:
        notes = _Notes()
        chosen = self._choose(group, notes)
        event, calendar = chosen.event, chosen.calendar
        placed = self._series_zone(self._start(event, calendar), chosen, group)
        if placed is not None:
            notes.add(placed.warning)
        duration = self._duration(event, calendar, placed, notes)
        summary = _clean(_text_of(event.get("SUMMARY")), text.SHORT, "summary", notes)
        description = _clean(_description(event), text.LONG, "description", notes)
        location = _clean(_text_of(event.get("LOCATION")), text.SHORT, "location", notes)
        link = _clean(_link(event), text.SHORT, "meeting link", notes)
        organizer, attendees = _people(event, notes)
        notes.add(skip_note)
        status = _text_of(event.get("STATUS")).strip().upper()
        return Invitation(
            source=self.source,
            method=calendar.method,
            uid=chosen.uid,
            sequence=chosen.sequence,
            stamp=chosen.stamp,
            cancelled=calendar.method == "CANCEL" or status == "CANCELLED",
            start=placed.start if placed else None,
            zone=placed.zone if placed else "",
            duration=duration,
            location=link if link and (not location or _SERVICE_ONLY.fullmatch(location.strip(" .:-"))) else location,
            link=link,
            summary=summary,
            description=description,
            organizer=organizer,
            attendees=attendees,
            warnings=tuple(notes.items),
        )

    def _choose(self, group: list[_Version], notes: _Notes) -> _Version:
        masters = [version for version in group if not version.override]
        overrides = [version for version in group if version.override]
        if masters:
            master = max(masters, key=lambda version: version.order)
            if not _recurs(master.event):
                return master
            first = self._moment(master.event.get("DTSTART"), master.calendar)
            same = [version for version in overrides if first is not None and version.recurrence_id == first]
            chosen = max(same, key=lambda version: version.order) if same else master
            moved = ", as the organizer moved it" if chosen is not master else ""
            notes.add(
                f"This is a recurring event; its first occurrence{_on(_plain_value(chosen.event.get('DTSTART')))}"
                f" was taken{moved}."
            )
            return chosen
        earliest = min(overrides, key=lambda version: version.recurrence_id or _LAST)
        same = [version for version in overrides if version.recurrence_id == earliest.recurrence_id]
        chosen = max(same, key=lambda version: version.order)
        others = len({version.recurrence_id for version in overrides}) - 1
        also = f"; {others} later changed occurrence(s) in the file were left out" if others else ""
        moment = _plain_value(chosen.event.get("RECURRENCE-ID"))
        notes.add(f"This changes one occurrence of a recurring event{_on(moment)}{also}.")
        return chosen

    # Times

    def _series_zone(self, placed: _Placed | None, chosen: _Version, group: list[_Version]) -> _Placed | None:
        """A changed occurrence written in UTC (as Outlook writes them) shown in the zone of its
        series rather than the user's."""
        start = _plain_value(chosen.event.get("DTSTART"))
        if placed is None or _tzid_of(chosen.event.get("DTSTART")) or not isinstance(start, datetime):
            return placed
        for version in group:
            prop = version.event.get("DTSTART")
            if version is chosen or not _tzid_of(prop):
                continue
            try:
                series = self._place(prop, version.calendar)
            except (ValueError, TypeError, OverflowError):
                continue
            if series.zone and isinstance(placed.start, datetime) and not series.warning:
                return _Placed(placed.start.astimezone(zoneinfo.ZoneInfo(series.zone)), series.zone, placed.warning)
        return placed

    def _moment(self, prop: Any, calendar: _Calendar) -> datetime | None:
        """A date or time property as an instant in UTC (a date as its midnight UTC), read with
        the same zone rules as DTSTART; None when absent or broken."""
        if prop is None:
            return None
        try:
            placed = self._place(prop, calendar)
        except (ValueError, TypeError, OverflowError):
            return None
        start = placed.start
        if isinstance(start, datetime):
            return start.astimezone(UTC)
        return datetime(start.year, start.month, start.day, tzinfo=UTC)

    def _start(self, event: icalendar.Component, calendar: _Calendar) -> _Placed | None:
        prop = event.get("DTSTART")
        if prop is None:
            return None
        return self._place(prop, calendar)

    def _place(self, prop: Any, calendar: _Calendar) -> _Placed:
        value = _plain_value(prop)
        if value is None:
            raise ValueError("no usable date or time")
        if not isinstance(value, datetime):
            return _Placed(value, "")
        tzid = _tzid_of(prop)
        wall = value.replace(tzinfo=None)
        if not tzid:
            if value.tzinfo is not None:
                return self._in_user_zone(value, "")
            zone = calendar.zone_hint or self.user_zone
            warning = "" if calendar.zone_hint else (
                f"The invitation gives no time zone for its time; it was read as {self.user_zone} time."
            )
            return _Placed(_at(wall, zone), zone, warning)
        named = zones.iana_zone(tzid)
        if named:
            return _Placed(_at(wall, named), named)
        return self._place_custom(wall, tzid, calendar)

    def _place_custom(self, wall: datetime, tzid: str, calendar: _Calendar) -> _Placed:
        """A TZID that is not an IANA name: Windows names, display names, custom VTIMEZONEs."""
        named = zones.named_zone(tzid)
        definition = calendar.definition(tzid)
        shown = text.one_line(text.clean(tzid, 100).text)
        if definition is not None and not RULE_YEARS[0] <= wall.year <= RULE_YEARS[1]:
            # dateutil replays a VTIMEZONE's rules from their start on every question: for
            # the year 9999 that is seconds each time.
            zone = named or calendar.zone_hint or self.user_zone
            return _Placed(
                _at(wall, zone),
                zone,
                f"The time zone “{shown}” of this invitation is only read for the years "
                f"{RULE_YEARS[0]} to {RULE_YEARS[1]}; its time in {wall.year} was read as {zone} time.",
            )
        if definition is not None:
            instant = wall.replace(tzinfo=definition.tz).astimezone(UTC)
            zone = self._zone_for(definition, instant, tzid, named, calendar)
            if zone:
                return _Placed(instant.astimezone(zoneinfo.ZoneInfo(zone)), zone)
            return self._in_user_zone(
                instant,
                f"The time zone “{shown}” of this invitation matches no known zone; "
                f"its time was converted to {self.user_zone}.",
            )
        if named:
            return _Placed(_at(wall, named), named)
        offset = zones.display_offset(tzid)
        if offset is not None:
            return self._in_user_zone(
                wall.replace(tzinfo=timezone(offset)),
                f"The time zone “{shown}” of this invitation was not recognised; its time was read "
                f"as {_utc_label(offset)} and converted to {self.user_zone}.",
            )
        zone = calendar.zone_hint or self.user_zone
        defined = _tzid_key(tzid) in calendar.definitions
        why = "is defined in a way this tool cannot use" if defined else "is not defined in it"
        return _Placed(
            _at(wall, zone),
            zone,
            f"The time zone “{shown}” of this invitation was not recognised and {why}; "
            f"its time was read as {zone} time.",
        )

    def _zone_for(self, definition: _Definition, instant: datetime, tzid: str, named: str, calendar: _Calendar) -> str:
        """The IANA zone matching a VTIMEZONE around `instant`; a choice made for the same
        month is reused when it still agrees at this instant."""
        key = (_tzid_key(tzid), instant.year, instant.month)
        rules = zones.Rules(definition.tz, definition.transitions, instant)
        known = calendar.chosen.get(key)
        if known is not None and (not known or rules.agrees_at_event(known)):
            return known
        zone = zones.matching_zone(rules, [named, calendar.zone_hint, *zones.city_zones(tzid)])
        calendar.chosen[key] = zone
        return zone

    def _in_user_zone(self, instant: datetime, warning: str) -> _Placed:
        return _Placed(instant.astimezone(self.zone), self.user_zone, warning)

    def _duration(self, event: icalendar.Component, calendar: _Calendar, placed: _Placed | None, notes: _Notes) -> int:
        if placed is None or not isinstance(placed.start, datetime):
            return 0
        length = self._length(event, calendar, placed.start)
        if length is None:
            notes.add("The invitation gives no end time.")
            return 0
        minutes = round(length.total_seconds() / 60)
        if minutes < 0:
            notes.add("The invitation ends before it starts.")
            return 0
        if minutes > MAX_MINUTES:
            notes.add("The invitation lasts more than a day; the duration was capped at 24 hours.")
            return MAX_MINUTES
        return minutes

    def _length(self, event: icalendar.Component, calendar: _Calendar, start: datetime) -> timedelta | None:
        end = event.get("DTEND")
        if end is not None:
            try:
                placed = self._place(end, calendar)
            except (ValueError, TypeError, OverflowError):
                placed = None
            if placed is not None and isinstance(placed.start, datetime):
                return placed.start - start
        duration = _plain_value(event.get("DURATION"))
        return duration if isinstance(duration, timedelta) else None


# Reading values


def _text_of(value: Any) -> str:
    """A property's text; the first of a repeated one; '' when absent."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if value is None:
        return ""
    return str(value)


def _plain_value(prop: Any) -> Any:
    """The decoded value of a date, time or duration property, or None when it is broken."""
    if isinstance(prop, list):
        prop = prop[0] if prop else None
    if prop is None:
        return None
    try:
        return prop.dt
    except (AttributeError, ValueError, TypeError):
        return None


def _tzid_of(prop: Any) -> str:
    params = getattr(prop, "params", {}) or {}
    value = params.get("TZID", "")
    return _text_of(value).strip()


def _tzid_key(tzid: str) -> str:
    """TZIDs compared loosely: Outlook escapes commas in VTIMEZONE but quotes them in DTSTART."""
    return " ".join(text.unescape(tzid).strip().strip('"').casefold().split())


def _sequence(event: icalendar.Component) -> int:
    try:
        return max(0, int(_text_of(event.get("SEQUENCE")).strip() or 0))
    except ValueError:
        return 0


def _stamp(event: icalendar.Component) -> datetime | None:
    """DTSTAMP in UTC (as RFC 5545 requires it to be written; other zones are read as UTC)."""
    value = _plain_value(event.get("DTSTAMP"))
    if not isinstance(value, datetime):
        return None
    if isinstance(value.tzinfo, zoneinfo.ZoneInfo | timezone):
        return value.astimezone(UTC)
    return value.replace(tzinfo=UTC)


def _unusable(event: icalendar.Component, calendar: _Calendar) -> str:
    """Why an event cannot be imported, as a sentence; '' when it can."""
    if not _text_of(event.get("UID")).strip():
        return (
            "the event has no UID, so later updates could not be matched to it; "
            "ask the sender for the invitation again"
        )
    start = _plain_value(event.get("DTSTART"))
    if event.get("DTSTART") is None and calendar.method == "CANCEL":
        return ""
    if not isinstance(start, date):
        return "the event has no usable start time (DTSTART)"
    return ""


def _skip_note(skipped: list[str], source: str) -> str:
    if not skipped:
        return ""
    return f"{len(skipped)} other event(s) in {text.one_line(source)} could not be used and were skipped: {skipped[0]}."


def _recurs(event: icalendar.Component) -> bool:
    return event.get("RRULE") is not None or event.get("RDATE") is not None


def _on(value: Any) -> str:
    if isinstance(value, datetime):
        return f" ({value.date().isoformat()})"
    if isinstance(value, date):
        return f" ({value.isoformat()})"
    return ""


def _at(wall: datetime, zone: str) -> datetime:
    return wall.replace(tzinfo=zoneinfo.ZoneInfo(zone))


def _utc_label(offset: timedelta) -> str:
    minutes = round(offset.total_seconds() / 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def _definition(component: icalendar.Component | None) -> _Definition | None:
    """The tzinfo a VTIMEZONE defines, made from this file alone; None when it has none or
    its rules are not the yearly kind a time zone has.

    Not the one icalendar's parser attached to DTSTART: it caches custom zones process-wide
    by TZID, so the second file with a "Customized Time Zone" would get the first file's rules.
    """
    if not isinstance(component, icalendar.Timezone) or not _plain_rules(component):
        return None
    try:
        tz = component.to_tz(lookup_tzid=False)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError):
        return None
    if not isinstance(tz, tzinfo):
        return None
    return _Definition(tz, zones.transitions_of(component))


def _plain_rules(component: icalendar.Component) -> bool:
    """Whether a VTIMEZONE's rules are yearly and few, as real zones' are. Rules expanding to
    every minute since 1601 would take hours to read, in icalendar and in dateutil alike."""
    observances = [child for child in component.subcomponents if child.name in ("STANDARD", "DAYLIGHT")]
    if not observances or len(observances) > MAX_OBSERVANCES:
        return False
    dates = 0
    for observance in observances:
        rdates = observance.get("RDATE")
        for rdate in rdates if isinstance(rdates, list) else [rdates] if rdates is not None else []:
            dates += len(getattr(rdate, "dts", ()) or ())
        rules = observance.get("RRULE")
        for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
            if not _yearly(rule):
                return False
    return dates <= MAX_OBSERVANCES * 10


def _yearly(rule: Any) -> bool:
    if not hasattr(rule, "get"):
        return False
    if [str(value).upper() for value in rule.get("FREQ", [])] != ["YEARLY"]:
        return False
    spread = 1
    for key in rule:
        if str(key).upper().startswith("BY"):
            spread *= max(1, len(rule.get(key, [])))
    # Real rules name one day a year ("-1SU" of one month), or a week of days to pick a
    # weekday from (BYMONTHDAY=8,...,14;BYDAY=SU).
    return spread <= 14


# Text, links and people


def _clean(value: str, limit: int, what: str, notes: _Notes) -> str:
    cleaned = text.clean(value, limit)
    if cleaned.cut:
        notes.add(f"The {what} was longer than {limit:,} characters and was cut.")
    return cleaned.text


def _description(event: icalendar.Component) -> str:
    plain = _text_of(event.get("DESCRIPTION"))
    if plain.strip():
        return text.html_to_text(plain) if text.looks_like_html(plain) else plain
    alternative = event.get("X-ALT-DESC")
    if isinstance(alternative, list):
        alternative = alternative[0] if alternative else None
    if alternative is None:
        return ""
    html = text.unescape(str(alternative))
    return text.html_to_text(html) if text.looks_like_html(html) else html


def _link(event: icalendar.Component) -> str:
    for name in _CONFERENCE_PROPERTIES:
        values = event.get(name)
        for value in values if isinstance(values, list) else [values]:
            found = text.web_link(text.unescape(_text_of(value)))
            if found:
                return found
    location = _text_of(event.get("LOCATION"))
    places = [location, _text_of(event.get("URL")), _text_of(event.get("DESCRIPTION")),
              text.unescape(_text_of(event.get("X-ALT-DESC")))]
    for place in places:
        found = text.meeting_link(place)
        if found:
            return found
    only = location.strip()
    return only if only and text.web_link(only) == only else ""


def _people(event: icalendar.Component, notes: _Notes) -> tuple[Person | None, tuple[Person, ...]]:
    seen: set[str] = set()
    organizer = _person(event.get("ORGANIZER"), notes)
    if organizer is not None and organizer.email:
        seen.add(organizer.email.casefold())
    attendees: list[Person] = []
    values = event.get("ATTENDEE")
    for value in values if isinstance(values, list) else [values]:
        person = _person(value, notes)
        if person is None:
            continue
        key = person.email.casefold() or f"name:{person.name.casefold()}"
        if key in seen:
            continue
        seen.add(key)
        attendees.append(person)
    return organizer, tuple(attendees)


def _person(value: Any, notes: _Notes) -> Person | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    params = getattr(value, "params", {}) or {}
    if _text_of(params.get("CUTYPE")).strip().upper() in ("ROOM", "RESOURCE"):
        return None
    address = _address(str(value))
    alternative = _address(_text_of(params.get("EMAIL")))
    # iCloud writes a relay address as the value and the person's own in EMAIL=.
    if alternative and (not address or is_relay(domain_of(address))):
        address = alternative
    if domain_of(address).endswith(_ROOM_DOMAINS):
        return None
    name = text.one_line(_clean(_text_of(params.get("CN")), text.SHORT, "name of a person", notes))
    name = name.strip("'\" ").strip()
    if name.casefold() == address.casefold():
        name = ""
    if not name and not address:
        return None
    return Person(name=name, email=address)


def _address(value: str) -> str:
    """The email address of a calendar address ("mailto:a@b.example", any case), else ''."""
    raw = value.strip().strip('"').strip()
    if raw.casefold().startswith("mailto:"):
        raw = raw[len("mailto:"):]
    elif ":" in raw:
        return ""
    raw = raw.strip().strip("<>").strip()
    if len(raw) > 320 or not _ADDRESS.fullmatch(raw) or text.clean(raw, 320).text != raw:
        return ""
    return raw
