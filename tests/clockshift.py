"""The machine's clock moved for a whole test run, in every Python process it starts: CI runs
the suite again with `FOLLOWUP_CLOCK_SHIFT_DAYS` set (a year, five years), through a `.pth`
file that `.ci/run` puts in site-packages and that calls `start` at every Python's start-up.
Nothing in the suite or in followup may read the machine's date behind the `clock` fixture,
so the suite must pass the same."""

from __future__ import annotations

import os

VARIABLE = "FOLLOWUP_CLOCK_SHIFT_DAYS"


def start() -> None:
    days = os.environ.get(VARIABLE, "").strip()
    if not days:
        return
    from datetime import UTC, datetime, timedelta

    import time_machine

    time_machine.travel(datetime.now(UTC) + timedelta(days=int(days)), tick=True).start()
