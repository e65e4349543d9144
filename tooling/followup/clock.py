"""The time a command works at, read once, at the edge (the CLI, the MkDocs hook)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo


@dataclass(frozen=True, slots=True)
class Clock:
    """`today` plans the reminders; `changed` stamps an event that changed (LAST-MODIFIED);
    `read_at` is the moment the clock was read, None for a fixed clock (`--today`)."""

    today: date
    changed: datetime
    read_at: datetime | None = None

    def now(self, zone: tzinfo) -> datetime:
        """The moment the command works at: when the clock was read, or for a fixed clock the
        end of `today` in `zone` (everything that day has happened)."""
        return self.read_at or datetime.combine(self.today + timedelta(days=1), time(0), tzinfo=zone)

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
    return Clock(now.astimezone().date(), _epoch(environ) or now, now)
