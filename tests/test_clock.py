"""The suite's clock: one fixture gives every test its day; the machine's date is never read."""

from __future__ import annotations

import os
import site
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from clockshift import VARIABLE
from conftest import TODAY
from followup.clock import read_clock


def test_every_test_runs_on_the_fixture_s_day_whatever_the_machine_says() -> None:
    assert date.today() == date.fromisoformat(TODAY)  # noqa: DTZ011 - the machine's date, as code would read it


def _child_date(**env: str) -> date:
    command = [sys.executable, "-c", "import datetime; print(datetime.date.today())"]
    done = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True, check=True)
    return date.fromisoformat(done.stdout.strip())


def test_a_moved_clock_reaches_every_python_the_suite_starts() -> None:
    """What CI relies on to run the suite a year and five years ahead (see tests/clockshift.py)."""
    if not any(Path(folder, "followup_clock_shift.pth").is_file() for folder in site.getsitepackages()):
        pytest.skip("the clock-shift hook is not installed here (.ci/run installs it)")
    base = int(os.environ.get(VARIABLE) or 0)
    shifted, plain = _child_date(**{VARIABLE: str(base + 400)}), _child_date(**{VARIABLE: str(base)})
    assert 399 <= (shifted - plain).days <= 401


def test_the_moment_a_command_works_at() -> None:
    sydney = ZoneInfo("Australia/Sydney")
    fixed = read_clock(date(2026, 11, 20), environ={})
    assert fixed.now(sydney) == datetime(2026, 11, 21, 0, 0, tzinfo=sydney)  # that whole day is over
    live = read_clock(None, environ={})
    assert live.now(sydney) == live.read_at and live.read_at is not None
    assert live.read_at.date() == date.fromisoformat(TODAY) and live.read_at.tzinfo is UTC
