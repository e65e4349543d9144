"""`followup status`: next actions and every application, as lines for a terminal (80 columns and up)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from followup.errors import printable
from followup.note.dates import shown_time
from followup.note.model import Interview
from followup.plan.applications import ACTIVE_STAGES, Stage
from followup.plan.progress import Progress
from followup.plan.rules import Reminder

_COLOURS = {"red": 31, "yellow": 33, "magenta": 35}


def style(text: str, *, bold: bool = False, fg: str = "") -> str:
    """Text with ANSI styling; the command line drops it when the output is not a terminal."""
    codes = ([1] if bold else []) + ([_COLOURS[fg]] if fg else [])
    return "".join(f"\x1b[{code}m" for code in codes) + text + "\x1b[0m" if codes else text


def _fit(text: str, width: int) -> str:
    text = " ".join(printable(text).split())
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _fit_name(interview: Interview, width: int) -> str:
    """`Company · Role (round)` in `width`, shortening the role before the round: the round is
    what tells two rounds of one application apart."""
    suffix = " ".join(printable(interview.round_suffix).split())
    base = interview.application_name
    if len(suffix) > width // 2:
        return _fit(base + " " + suffix, width)
    return _fit(base, width - len(suffix) - (1 if suffix else 0)) + (" " + suffix if suffix else "")


def _due(reminder: Reminder, progress: Progress) -> str:
    if reminder.is_overdue(progress.today):
        return style("overdue ", fg="red", bold=True)
    if reminder.due == progress.today:
        return style("today   ", fg="yellow", bold=True)
    return "        "


def _when(reminder: Reminder, progress: Progress) -> str:
    if reminder.all_day or not isinstance(reminder.start, datetime):
        return f"{reminder.due:%a %d %b}      "
    return shown_time(reminder.start, ZoneInfo(progress.zone), "%a %d %b %H:%M", reminder.local_zone)


def _wrapped(parts: list[str], width: int) -> Iterator[str]:
    """The parts joined by commas, on as many lines as they need, none cut in two."""
    line = ""
    for part in parts:
        if line and len(line) + 2 + len(part) > width - 1:
            yield line + ","
            line = part
        else:
            line = f"{line}, {part}" if line else part
    if line:
        yield line


def render(progress: Progress, width: int = 80, *, show_all: bool = False) -> Iterator[str]:
    counts = [f"{count} {name.lower()}" for name, count in progress.columns.items() if count]
    yield style(f"Job search on {progress.today:%a %d %b %Y}", bold=True) + (
        f": {len(progress.rows)} application(s)"
    )
    yield from _wrapped(counts, width)
    yield ""
    yield style("Next actions", bold=True)
    if not progress.actions:
        yield "  Nothing to do right now."
    for reminder in progress.actions:
        when = _when(reminder, progress)
        # A time with the interview's own beside it is longer: that line's text starts later.
        text_width = max(width - 2 - 8 - max(len(when), 16) - 2, 20)
        label = f"{reminder.label}: "
        yield f"  {_due(reminder, progress)}{when}  {label}{_fit_name(reminder.interview, text_width - len(label))}"
    if progress.missed:
        yield ""
        yield style("Missed", bold=True) + " (too late to help now; left out of the calendar)"
        for reminder in progress.missed:
            label = f"{reminder.label}: "
            yield f"  {reminder.due:%a %d %b %Y}  {label}{_fit_name(reminder.interview, width - 19 - len(label))}"
    yield ""
    yield style("Applications", bold=True)
    rows = [r for r in progress.rows if show_all or r.stage in ACTIVE_STAGES or r.moved_on is not None]
    if not rows:
        yield "  None yet: start one with `followup new COMPANY ROLE`."
    names = [r.application.latest.name for r in rows]
    stage_width = max(len(stage.value) for stage in Stage)
    name_width = min(max((len(n) for n in names), default=10), max(width - 50, 20))
    room = width - name_width - stage_width - 5  # for the next step
    for row in rows:
        name = _fit_name(row.application.latest, name_width)
        if row.lapsed is not None:
            step = style(f"offer deadline {row.lapsed:%d %b} passed: record what happened", fg="magenta")
        elif row.stage is Stage.CANCELLED and row.application.latest.cancelled is not None:
            step = f"cancelled on {row.application.latest.cancelled:%d %b}: ask for a new date"
        elif row.moved_on is not None:
            step = style(_fit(row.moved_on, room), fg="magenta")
        elif row.waiting_until is not None:
            step = f"waiting for an answer to the last follow-up until {row.waiting_until:%d %b}"
        elif row.next_step is not None:
            step = f"{row.next_step.label} {row.next_step.due:%d %b}"
        elif row.stage is Stage.APPLIED:
            step = "applied; waiting to hear"
        else:
            step = "—"
        whole = row.moved_on or row.waiting_until or row.lapsed or row.stage is Stage.CANCELLED
        step = step if whole else _fit(step, room)
        stage = f"{row.stage.value:<{stage_width}}"
        yield f"  {name:<{name_width}}  {stage} {step}"
    hidden = len(progress.rows) - len(rows)
    if hidden:
        yield f"  … and {hidden} closed (followup status --all)"
