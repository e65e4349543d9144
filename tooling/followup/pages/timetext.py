"""How the site shows a date or a time: one place, so every page reads the same."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from followup.note.dates import shown_time


def when(moment: datetime | date, zone: str = "", local: str = "") -> str:
    """`Thu 03 Dec 14:00` for a time, `Thu 03 Dec 2026` for a day alone.

    A time is shown in the user's `zone` when given, and with `local` (the zone of an
    interview held elsewhere) its time there too: `Thu 03 Dec 14:00 (09:00 New York)`.
    """
    if isinstance(moment, datetime):
        if zone:
            return shown_time(moment, ZoneInfo(zone), "%a %d %b %H:%M", local)
        return f"{moment:%a %d %b %H:%M}"
    return f"{moment:%a %d %b %Y}"
