"""The state of the whole search: counts, next actions and figures, for the index and `status`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

from followup.config import Config
from followup.note.model import Outcome
from followup.plan.applications import ACTIVE_STAGES, Application, Stage
from followup.plan.rules import Kind, Plan, Reminder

_REPLIED = {Outcome.NEXT_ROUND, Outcome.OFFER, Outcome.REJECTED, Outcome.ACCEPTED}


@dataclass(frozen=True)
class Row:
    """One application as the index lists it."""

    application: Application
    stage: Stage
    next_step: Reminder | None
    moved_on: str | None  # why the guide says to move on
    # After the last allowed follow-up, the day the wait for its answer ends.
    waiting_until: date | None = None


@dataclass(frozen=True)
class Figures:
    interviews_this_month: int
    thank_yous_on_time: int
    thank_yous_due: int
    replies: int
    median_days_to_reply: float | None


@dataclass(frozen=True)
class Progress:
    today: date
    rows: tuple[Row, ...]
    actions: tuple[Reminder, ...]
    figures: Figures
    per_month: tuple[tuple[str, int], ...]
    zone: str = "UTC"  # the user's: every time is shown in it
    missed: tuple[Reminder, ...] = ()
    funnel: tuple[tuple[str, int], ...] = ()
    waits: tuple[tuple[str, int], ...] = ()  # (company · round, days to a reply), latest first

    @property
    def counts(self) -> dict[Stage, int]:
        found = Counter(row.stage for row in self.rows)
        return {stage: found[stage] for stage in Stage if found[stage]}

    @property
    def overdue(self) -> tuple[Reminder, ...]:
        return tuple(r for r in self.actions if r.is_overdue(self.today))


def progress(plan: Plan, config: Config, today: date) -> Progress:
    actions = tuple(
        r for r in plan.reminders if r.kind is not Kind.INTERVIEW or r.due >= today
    )
    by_application: dict[str, list[Reminder]] = {}
    for reminder in actions:
        by_application.setdefault(reminder.interview.application, []).append(reminder)
    rows = []
    for application in plan.applications:
        stage = application.stage(today, config)
        mine = by_application.get(application.key, [])
        moved_on = application.moved_on_reason(config, today)
        waiting = application.last_try_waits_until(config) if moved_on is None else None
        rows.append(Row(application, stage, mine[0] if mine else None, moved_on, waiting))
    rows.sort(key=lambda row: (row.stage not in ACTIVE_STAGES, -row.application.latest.moment.timestamp()))
    return Progress(
        today, tuple(rows), actions, _figures(plan, today), _per_month(plan, today), config.timezone, plan.missed,
        _funnel(plan, today), _waits(plan),
    )


def _figures(plan: Plan, today: date) -> Figures:
    interviews = [i for a in plan.applications for i in a.rounds]
    this_month = sum(1 for i in interviews if (i.day.year, i.day.month) == (today.year, today.month))
    past = [i for i in interviews if i.day < today]
    on_time = sum(
        1 for i in past if i.thank_you_sent is not None and i.thank_you_sent <= i.day + timedelta(days=1)
    )
    replied = [i for i in interviews if i.reply_received is not None or i.outcome in _REPLIED]
    waits = [
        (answer - i.day).days
        for i in interviews
        if (answer := i.reply_received or i.offer_received) is not None and answer >= i.day
    ]
    return Figures(
        interviews_this_month=this_month,
        thank_yous_on_time=on_time,
        thank_yous_due=len(past),
        replies=len(replied),
        median_days_to_reply=median(waits) if waits else None,
    )


def _per_month(plan: Plan, today: date) -> tuple[tuple[str, int], ...]:
    """Interviews in each month from the first one (at most twelve months back) to the
    later of this month and the last interview's, oldest first; at most twelve months."""
    found = Counter(f"{i.day:%Y-%m}" for a in plan.applications for i in a.rounds)
    if not found:
        return ()
    this_month = f"{today:%Y-%m}"
    last = max(max(found), this_month)
    year, month = int(last[:4]), int(last[5:])
    months = []
    for _ in range(12):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    first = min(found)
    return tuple((m, found[m]) for m in reversed(months) if m >= first)


_OFFERED = {Outcome.OFFER, Outcome.ACCEPTED}


def _funnel(plan: Plan, today: date) -> tuple[tuple[str, int], ...]:
    """How far the applications got: each step counts the applications that reached it."""
    applications = plan.applications
    return (
        ("Applications", len(applications)),
        ("Interviewed", sum(1 for a in applications if a.rounds[0].day <= today)),
        ("Second round", sum(1 for a in applications if len(a.rounds) > 1)),
        ("Offers", sum(
            1 for a in applications
            if any(r.outcome in _OFFERED or r.offer_received for r in a.rounds)
        )),
        ("Accepted", sum(1 for a in applications if a.outcome is Outcome.ACCEPTED)),
    )


def _waits(plan: Plan, limit: int = 12) -> tuple[tuple[str, int], ...]:
    """Days from an interview to the company's answer, the most recent answers first."""
    found = []
    for application in plan.applications:
        for interview in application.rounds:
            answer = interview.reply_received or interview.offer_received
            if answer is not None and answer >= interview.day:
                label = interview.company + (f" · {interview.round}" if interview.round else "")
                found.append((answer, label, (answer - interview.day).days))
    found.sort(key=lambda item: item[0], reverse=True)
    return tuple((label, days) for _, label, days in found[:limit])
