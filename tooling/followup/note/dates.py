"""Dates and times as people type them in notes, parsed from the text itself.

YAML 1.1 would read `14:00` as the number 840 and `2026-11-20` as a date object,
so notes are read as text and every date is parsed here.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATETIME = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)


# Every date a note can hold lies in a job search; outside these years it is a typo, and the
# rules' arithmetic (a week later, a day before) could leave the calendar altogether.
FIRST_YEAR, LAST_YEAR = 1900, 2100


class DateError(ValueError):
    """The text is not a date in one of the accepted forms."""


def _check_year(year: int, text: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateError(
            f"'{text}': year {year} is outside {FIRST_YEAR} to {LAST_YEAR}; a typo? Write it like 2026-11-20"
        )


# Zone names with a fixed offset all year, and the city zone people usually mean by them.
FIXED_ZONES = {"EST": "America/New_York", "MST": "America/Denver", "HST": "Pacific/Honolulu",
               "GMT": "Europe/London", "CET": "Europe/Paris", "EET": "Europe/Athens", "WET": "Europe/Lisbon",
               "MET": "Europe/Paris"}

def fixed_offset_hint(zone: str) -> str:
    """A warning for a zone with the same offset all year (`EST`, `Etc/GMT+5`), or ''."""
    if zone in FIXED_ZONES or re.fullmatch(r"Etc/GMT[+-]\d+", zone):
        city = FIXED_ZONES.get(zone)
        suggestion = f"use '{city}'" if city else "use your city's zone, such as 'America/New_York'"
        return f"'{zone}' is a fixed offset with no daylight saving; {suggestion}, which follows the clock changes"
    return ""



def parse_date(text: str) -> date:
    """`2026-11-20` -> date; a date-time is rejected with a hint."""
    text = text.strip()
    match = _DATE.match(text)
    if not match:
        if _DATETIME.match(text):
            raise DateError(f"'{text}' has a time; write the date alone, like 2026-11-20")
        raise DateError(f"'{text}' is not a date; write it as year-month-day, like 2026-11-20")
    _check_year(int(match.group(1)), text)
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError as error:
        raise DateError(f"'{text}' is not a real date ({error})") from None


def parse_when(text: str, zone: tzinfo) -> date | datetime:
    """`2026-11-20` -> date; `2026-11-20 14:00` (or with `T`, seconds, an offset) -> aware datetime.

    A time without an offset is local time in `zone`.
    """
    text = text.strip()
    if _DATE.match(text):
        return parse_date(text)
    match = _DATETIME.match(text)
    if not match:
        raise DateError(
            f"'{text}' is not a date or date-time; write 2026-11-20 or 2026-11-20 14:00"
        )
    year, month, day, hour, minute, second, offset = match.groups()
    _check_year(int(year), text)
    try:
        moment = datetime.combine(
            date(int(year), int(month), int(day)),
            time(int(hour), int(minute), int(second or 0)),
        )
    except ValueError as error:
        raise DateError(f"'{text}' is not a real date and time ({error})") from None
    if offset is None:
        return moment.replace(tzinfo=zone)
    return moment.replace(tzinfo=_fixed_offset(offset))


def _fixed_offset(text: str) -> tzinfo:
    if text.upper() == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def place_name(zone: str) -> str:
    """`America/New_York` -> `New York`: a zone as people name the place."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def shown_time(moment: datetime, zone: tzinfo, style: str, local: str = "") -> str:
    """A time as the user reads it: in their own `zone`, formatted with `style`; with `local`
    (the zone of an interview held elsewhere) its time there too: `Thu 03 Dec 14:00 (09:00 New York)`.
    """
    mine = moment.astimezone(zone)
    text = mine.strftime(style)
    if not local or local == str(zone):
        return text
    there = moment.astimezone(ZoneInfo(local))
    day = f"{there:%a} " if there.date() != mine.date() else ""
    return f"{text} ({day}{there:%H:%M} {place_name(local)})"
