"""No command crashes on any date in any field: the calendar's extremes in every zone.

Every date field of a note gets the first and last days the tool accepts (1900-01-01,
2100-12-31), times around daylight-saving changes (a wall time that does not exist, one
that happens twice) and the years just outside the range, in zones drawn from every zone
the system knows; then check, build, status and done run over the note, with "today"
itself at the extremes too. A command may refuse (exit 1 or 2 with a message); it may
never raise.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from zoneinfo import available_timezones

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import Workspace, examples, generated_cases

CASES = generated_cases("test_date_extremes")
ZONES = sorted(available_timezones())
DAYS = [
    "1900-01-01", "1900-01-02", "2100-12-31", "2100-12-30", "2100-02-28", "2000-02-29",
    "2026-03-29", "2026-10-25", "2026-03-08", "2026-11-01", "2026-12-25", "2026-11-26",
    "1899-12-31", "2101-01-01", "0001-01-01", "9999-12-31",
]
TIMES = ["00:00", "00:30", "01:30", "02:30", "03:30", "12:00", "23:30", "23:59"]
WHEN = st.one_of(
    st.sampled_from(DAYS),
    st.builds(lambda d, t: f"{d} {t}", st.sampled_from(DAYS), st.sampled_from(TIMES)),
)
DATE_FIELDS = (
    "reply_by", "reply_received", "negotiated", "thank_you_sent", "notes_reviewed",
    "offer_received", "offer_deadline",
)
TODAYS = st.sampled_from(["1900-01-01", "1900-01-03", "2100-12-31", "2100-12-29", "2026-11-26", "2026-03-29"])
HOLIDAYS = st.sampled_from(["", "GB", "US", "DE-BY", "JP", "NZ"])


@st.composite
def extreme_notes(draw: st.DrawFn) -> tuple[str, str, str]:
    zone = draw(st.sampled_from(ZONES))
    lines = [
        "company: Acme", "role: Dev", f"date: {draw(WHEN)}", f"timezone: {zone}",
        f"duration: {draw(st.sampled_from([1, 60, 1440]))}",
        f"outcome: {draw(st.sampled_from(['pending', 'offer', 'accepted']))}",
    ]
    for key in DATE_FIELDS:
        if draw(st.booleans()):
            lines.append(f"{key}: {draw(st.sampled_from(DAYS))}")
    follow_ups = draw(st.lists(st.sampled_from(DAYS), max_size=3))
    if follow_ups:
        lines.append(f"follow_ups: [{', '.join(follow_ups)}]")
    user_zone = draw(st.sampled_from(ZONES))
    return "---\n" + "\n".join(lines) + "\n---\nNotes.\n", user_zone, draw(HOLIDAYS)


def _run(space: Workspace, *args: str, today: str | None = None) -> None:
    result = space.run(*args, today=today)  # catch_exceptions=False: a crash fails the test
    assert result.exit_code in (0, 1, 2), (args, result.output)
    assert "Traceback" not in result.output
    if result.exit_code:
        assert "Error" in result.output or ": " in result.output, result.output


@settings(max_examples=examples(150, ci=75), deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(extreme_notes(), TODAYS, st.sampled_from(DAYS))
@example(
    ("---\ncompany: Acme\nrole: Dev\ndate: 2100-12-31 23:59\ntimezone: Pacific/Kiritimati\n"
     "follow_ups: [2100-12-31, 2100-12-30]\noffer_received: 2100-12-31\noffer_deadline: 2100-12-31\n"
     "outcome: offer\n---\n", "Etc/GMT+12", "GB"),
    "2100-12-31",
    "2100-12-31",
)
@example(
    ("---\ncompany: Acme\nrole: Dev\ndate: 1900-01-01 00:00\ntimezone: Etc/GMT+12\n"
     "reply_by: 1900-01-01\noffer_deadline: 1900-01-01\noutcome: offer\n---\n", "Pacific/Kiritimati", "US"),
    "1900-01-01",
    "1900-01-01",
)
@example(
    ("---\ncompany: Acme\nrole: Dev\ndate: 2026-03-29 01:30\ntimezone: Europe/London\n---\n",
     "America/New_York", "GB"),
    "2026-03-29",
    "2026-03-29",
)
def test_no_command_crashes_on_extreme_dates(case: tuple[str, str, str], today: str, done_on: str) -> None:
    text, user_zone, holidays = case
    root = Path(tempfile.mkdtemp(prefix="extremes-"))
    try:
        space = Workspace(root)
        config = f'timezone = "{user_zone}"\n' + (f'holidays = "{holidays}"\n' if holidays else "")
        space.config(config)
        space.note("a.md", text)
        _run(space, "check")
        _run(space, "build", "--no-site", today=today)
        _run(space, "status", "--all", today=today)
        for action in ("thank-you", "follow-up", "negotiate"):
            _run(space, "done", "a", action, "--date", done_on)
        _run(space, "build", "--no-site", today=today)
        CASES["notes"] = CASES.get("notes", 0) + 1
    finally:
        shutil.rmtree(root, ignore_errors=True)
