"""How the site shows a date or a time: one place, so every page reads the same."""

from __future__ import annotations

from datetime import date, datetime


def when(moment: datetime | date) -> str:
    """`Thu 03 Dec 14:00` for a time, `Thu 03 Dec 2026` for a day alone."""
    if isinstance(moment, datetime):
        return f"{moment:%a %d %b %H:%M}"
    return f"{moment:%a %d %b %Y}"
