"""The time a command works at, read once, at the edge (the CLI, the MkDocs hook)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time


@dataclass(frozen=True, slots=True)
class Clock:
    """`today` plans the reminders; `changed` stamps an event that changed (LAST-MODIFIED)."""

    today: date
    changed: datetime

    @classmethod
    def fixed(cls, today: date, environ: Mapping[str, str] | None = None) -> Clock:
        """A reproducible clock: changes stamped at SOURCE_DATE_EPOCH when set, else at
        midnight UTC of `today`."""
        return cls(today, _epoch(environ) or datetime.combine(today, time(0), tzinfo=UTC))


def _epoch(environ: Mapping[str, str] | None) -> datetime | None:
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    return datetime.fromtimestamp(int(epoch), tz=UTC) if epoch.isdigit() else None


def read_clock(given: date | None, environ: Mapping[str, str] | None = None) -> Clock:
    """`--today` when given (a reproducible run), else the real date and time, to the second."""
    if given is not None:
        return Clock.fixed(given, environ)
    now = datetime.now(UTC).replace(microsecond=0)
    return Clock(now.astimezone().date(), _epoch(environ) or now)
