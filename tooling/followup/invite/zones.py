"""Which IANA zone an invitation's time is in: a wrong zone moves every reminder.

A TZID may be an IANA name (used as it is), a Windows zone ID ("W. Europe Standard Time",
mapped with the CLDR table icalendar ships), a Windows display name ("(UTC+01:00) Amsterdam,
Berlin, ..."), or a name that means something only through the file's own VTIMEZONE
("Customized Time Zone", "tzone://Microsoft/Custom", "Eastern"). For the last kind the
VTIMEZONE gives the instant, and an IANA zone is chosen that keeps the same UTC offsets:

- a zone the file names (X-WR-TIMEZONE, the Windows or display name, a city in the TZID)
  must agree at the event and, where the VTIMEZONE has daylight saving time, use the same
  two offsets in the year from the event (transition days may differ: Outlook's VTIMEZONE
  for an old event often carries last year's rules);
- any other zone must agree every day of that year, so that a zone is never picked only
  because its offset happens to match in winter.

The result is a zone name the note can keep; when no zone agrees, the caller converts the
time to the user's zone and says so.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

import icalendar
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from followup.invite.display_names import WINDOWS_DISPLAY_NAMES

# Names in the zone database that are not places: the machine's own zone and a placeholder.
_NOT_ZONES = frozenset({"localtime", "Factory", "posixrules"})
_REGIONS = ("Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/",
            "Indian/", "Pacific/")

# Old names still valid in the zone database (CLDR's table uses several), and the names the
# database calls them now; a note gets the current one.
_CURRENT_NAMES = {
    "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
    "America/Godthab": "America/Nuuk",
    "America/Indianapolis": "America/Indiana/Indianapolis",
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Rangoon": "Asia/Yangon",
    "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Asia/Ulan_Bator": "Asia/Ulaanbaatar",
    "Atlantic/Faeroe": "Atlantic/Faroe",
    "Etc/GMT": "UTC",
    "Etc/UTC": "UTC",
    "Europe/Kiev": "Europe/Kyiv",
    "Pacific/Enderbury": "Pacific/Kanton",
    "US/Alaska": "America/Anchorage",
    "US/Arizona": "America/Phoenix",
    "US/Central": "America/Chicago",
    "US/Eastern": "America/New_York",
    "US/Hawaii": "Pacific/Honolulu",
    "US/Mountain": "America/Denver",
    "US/Pacific": "America/Los_Angeles",
}

# Zones tried first when only the rules of a VTIMEZONE are known: where most invitations
# come from. Zones sharing the same rules (Havana and New York agree on every day of most
# years) would otherwise be chosen by the order of an alphabet.
_LIKELY = (
    "UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Berlin", "Europe/Paris",
    "Europe/Amsterdam", "Europe/Madrid", "Europe/Rome", "Europe/Zurich", "Europe/Stockholm",
    "Europe/Warsaw", "Europe/Prague", "Europe/Athens", "Europe/Helsinki", "Europe/Kyiv",
    "Europe/Istanbul", "Europe/Moscow", "America/New_York", "America/Chicago", "America/Denver",
    "America/Phoenix", "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu",
    "America/Toronto", "America/Vancouver", "America/Halifax", "America/St_Johns",
    "America/Mexico_City", "America/Bogota", "America/Lima", "America/Santiago",
    "America/Sao_Paulo", "America/Argentina/Buenos_Aires", "Africa/Lagos", "Africa/Cairo",
    "Africa/Johannesburg", "Africa/Nairobi", "Asia/Jerusalem", "Asia/Dubai", "Asia/Karachi",
    "Asia/Kolkata", "Asia/Dhaka", "Asia/Bangkok", "Asia/Jakarta", "Asia/Singapore",
    "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Manila", "Asia/Tokyo", "Asia/Seoul",
    "Australia/Perth", "Australia/Adelaide", "Australia/Brisbane", "Australia/Sydney",
    "Australia/Melbourne", "Pacific/Auckland",
)

# The year in which a matched zone must keep the VTIMEZONE's offsets starts a little before
# the event: reminders fall before and after it.
_BEFORE = timedelta(days=60)
_AFTER = timedelta(days=305)

_PREFIX = re.compile(r"^\s*\(\s*(?:UTC|GMT)\s*(?:([+-])\s*(\d{1,2})(?::?(\d{2}))?)?\s*\)\s*", re.I)


@functools.cache
def _zone_names() -> dict[str, str]:
    """Every zone name of the database, by its case-folded form."""
    return {name.casefold(): name for name in zoneinfo.available_timezones() - _NOT_ZONES}


@functools.cache
def _cities() -> dict[str, tuple[str, ...]]:
    """Zones by the case-folded city at the end of their name ("new york": America/New_York)."""
    by_city: dict[str, list[str]] = {}
    for name in sorted(_zone_names().values()):
        if name.startswith(_REGIONS):
            city = name.rsplit("/", 1)[-1].replace("_", " ").casefold()
            by_city.setdefault(city, []).append(name)
    return {city: tuple(names) for city, names in by_city.items()}


def current_name(name: str) -> str:
    newer = _CURRENT_NAMES.get(name, "")
    return newer if newer and newer.casefold() in _zone_names() else name


def iana_zone(tzid: str) -> str:
    """The IANA zone `tzid` names (any case, in quotes, or after a vendor prefix such as
    `/freeassociation.sourceforge.net/Tzfile/Europe/London`), else ''."""
    text = tzid.strip().strip('"').strip()
    names = _zone_names()
    if text.casefold() in names:
        return current_name(names[text.casefold()])
    if "/" in text:
        # A globally unique TZID: the longest tail that is a zone name.
        parts = [part for part in text.split("/") if part]
        for start in range(len(parts)):
            tail = "/".join(parts[start:]).casefold()
            if tail in names and "/" in tail:
                return current_name(names[tail])
    return ""


def _key(text: str) -> str:
    """`text` compared loosely: no accents, case, punctuation; "&" as "and"."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    plain = plain.replace("&", " and ").replace("\\", " ")
    return " ".join(re.sub(r"[^\w+-]+", " ", plain).split())


@functools.cache
def _windows_ids() -> dict[str, str]:
    return {_key(windows): olson for windows, olson in WINDOWS_TO_OLSON.items()}


@functools.cache
def _display_names() -> dict[str, str]:
    ids = _windows_ids()
    return {_key(text): ids[_key(windows)] for text, windows in WINDOWS_DISPLAY_NAMES.items()}


def display_offset(tzid: str) -> timedelta | None:
    """The offset in a display name's "(UTC+05:30)" prefix; None without a prefix."""
    match = _PREFIX.match(tzid.strip().strip('"'))
    if not match:
        return None
    sign, hours, minutes = match.groups()
    if not hours:
        return timedelta(0)
    size = timedelta(hours=int(hours), minutes=int(minutes or 0))
    return -size if sign == "-" else size


def named_zone(tzid: str) -> str:
    """The IANA zone a Windows zone ID or display name stands for ("Eastern" too, as Lotus
    Notes writes it), else ''."""
    text = _PREFIX.sub("", tzid.strip().strip('"'))
    key = _key(text)
    if not key:
        return ""
    ids = _windows_ids()
    for candidate in (key, key.replace(" daylight time", " standard time"), f"{key} standard time"):
        if candidate in ids:
            return current_name(ids[candidate])
    found = _display_names().get(key, "")
    return current_name(found) if found else ""


def city_zones(tzid: str) -> list[str]:
    """Zones named after a city that `tzid` mentions ("Canberra, Melbourne, Sydney")."""
    text = _PREFIX.sub("", tzid.strip().strip('"'))
    found: list[str] = []
    for piece in re.split(r"[,;/()&]|\band\b|\s-\s", text):
        words = _key(piece).replace("-", " ")
        for zone in _cities().get(words, ()):
            if zone not in found:
                found.append(current_name(zone))
    return found


def _candidates() -> Iterator[str]:
    """Every zone worth trying for a bare VTIMEZONE, likeliest first, each once."""
    names = _zone_names()
    seen: set[str] = set()
    ordered = [
        *_LIKELY,
        *(current_name(name) for name in WINDOWS_TO_OLSON.values()),
        *sorted(name for name in names.values() if name.startswith(_REGIONS)),
    ]
    for name in ordered:
        if name.casefold() in names and name not in seen:
            seen.add(name)
            yield name


@dataclass(frozen=True, slots=True)
class Transitions:
    """When a VTIMEZONE's offset changes (UTC) and to what, as icalendar expands its rules;
    the list ends in 2038, where icalendar stops."""

    times: tuple[datetime, ...]
    offsets: tuple[timedelta, ...]

    def offset(self, instant: datetime) -> timedelta | None:
        """The offset at `instant`; None before the first onset or past the end."""
        if not self.times or instant < self.times[0] or instant >= _TRANSITIONS_END:
            return None
        return self.offsets[bisect.bisect_right(self.times, instant) - 1]


_TRANSITIONS_END = datetime(2038, 12, 31, tzinfo=UTC)
_SAMPLED_UNTIL = 2100


def transitions_of(component: icalendar.Timezone) -> Transitions | None:
    """The transitions of a VTIMEZONE, or None when icalendar cannot expand it.

    Asking dateutil's tzinfo for each day would replay Outlook's rules from 1601 every time
    (seconds per invitation); this expands them once.
    """
    try:
        times, infos = component.get_transitions()
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError):
        return None
    pairs = sorted(
        (time.replace(tzinfo=UTC), info[0]) for time, info in zip(times, infos, strict=False)
        if isinstance(time, datetime) and isinstance(info[0], timedelta)
    )
    return Transitions(tuple(time for time, _ in pairs), tuple(offset for _, offset in pairs))


class Rules:
    """A VTIMEZONE's offsets, once a day over the year around an event."""

    __slots__ = ("days", "instant", "offset", "offsets")

    def __init__(self, definition: tzinfo, transitions: Transitions | None, instant: datetime) -> None:
        self.instant = instant
        # At the event itself the tzinfo decides, as it decided the instant.
        self.offset = _offset(definition, instant)
        days = _days_around(instant)
        known = [(day, transitions.offset(day) if transitions else None) for day in days]
        if transitions is None or any(offset is None and day >= _TRANSITIONS_END for day, offset in known):
            # Not expandable, or beyond 2038: ask the tzinfo itself, once a week; not at all
            # for a date centuries away, where each answer replays every year since 1601.
            weekly = days[::7] if instant.year <= _SAMPLED_UNTIL else []
            known = [(day, _offset(definition, day)) for day in weekly]
        # Before its first onset a VTIMEZONE says nothing true: some writers start their
        # rules in the event's own year.
        self.days = [day for day, offset in known if offset is not None]
        self.offsets = [offset for _, offset in known if offset is not None]

    @property
    def has_dst(self) -> bool:
        return len(set(self.offsets)) > 1

    def agrees_at_event(self, zone: str) -> bool:
        return self.offset is not None and _offset(zoneinfo.ZoneInfo(zone), self.instant) == self.offset

    def agrees_loosely(self, zone: str) -> bool:
        """Same offset at the event, and the same set of offsets over the year."""
        if not self.agrees_at_event(zone):
            return False
        if not self.has_dst:
            return True
        tz = zoneinfo.ZoneInfo(zone)
        return {_offset(tz, day) for day in self.days} == set(self.offsets)

    def agrees_daily(self, zone: str) -> bool:
        """The same offset as the VTIMEZONE on every day of the year around the event."""
        if not self.agrees_at_event(zone):
            return False
        tz = zoneinfo.ZoneInfo(zone)
        return all(_offset(tz, day) == offset for day, offset in zip(self.days, self.offsets, strict=True))


def _days_around(instant: datetime) -> list[datetime]:
    """The same time of day on each day of the year around `instant`, within datetime's range."""
    days = []
    for step in range(-_BEFORE.days, _AFTER.days + 1):
        try:
            days.append(instant + timedelta(days=step))
        except OverflowError:
            continue
    return days


def _offset(tz: tzinfo, instant: datetime) -> timedelta | None:
    try:
        return instant.astimezone(tz).utcoffset()
    except (ValueError, OverflowError, ArithmeticError, TypeError):
        return None


def matching_zone(rules: Rules, hints: Iterable[str]) -> str:
    """The IANA zone that keeps the VTIMEZONE's offsets: a hinted zone if one agrees (loosely),
    else the likeliest zone that agrees every day; '' when none does."""
    for zone in hints:
        if zone and rules.agrees_loosely(zone):
            return zone
    if rules.offset is None:
        return ""
    for zone in _candidates():
        if rules.agrees_daily(zone):
            return zone
    return ""

