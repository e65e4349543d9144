"""The state of the whole search: counts, next actions and figures, for the index and `status`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median
from typing import NamedTuple

from followup.config import Config
from followup.note.model import Outcome
from followup.plan.applications import ACTIVE_STAGES, COLUMNS, Application, Stage, column
from followup.plan.rules import Kind, Plan, Reminder


@dataclass(frozen=True)
class Row:
    """One application as the index lists it."""

    application: Application
    stage: Stage
    next_step: Reminder | None
    moved_on: str | None  # why the guide says to move on
    # After the last allowed follow-up, the day the wait for its answer ends.
    waiting_until: date | None = None
    # An offer still open past its deadline: the deadline (record what happened).
    lapsed: date | None = None


@dataclass(frozen=True)
class Figures:
    """The figures of the progress page; each says what it counts, and the charts show the same."""

    month: str  # "November 2026": the month `interviews_this_month` counts
    interviews_this_month: int
    thank_yous_on_time: int  # of the interviews held, thanked within a day
    thank_yous_due: int  # interviews held
    replies: int  # rounds with the date of an answer: what the reply chart and the median use
    median_days_to_reply: float | None
    offers: int  # applications with an offer received or accepted


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
    def columns(self) -> dict[str, int]:
        """How many applications are in each of the board's columns (see `applications.COLUMNS`),
        every column named, in the board's order."""
        found = Counter(column(row.stage) for row in self.rows)
        return {name: found[name] for name, _, _ in COLUMNS}

    @property
    def overdue(self) -> tuple[Reminder, ...]:
        return tuple(r for r in self.actions if r.is_overdue(self.today))


def next_actions(reminders: Iterable[Reminder], today: date) -> list[Reminder]:
    """What is left to do: every reminder but the interviews already held."""
    return [r for r in reminders if r.kind is not Kind.INTERVIEW or r.due >= today]


def progress(plan: Plan, config: Config, today: date) -> Progress:
    actions = tuple(next_actions(plan.reminders, today))
    by_application: dict[str, list[Reminder]] = {}
    for reminder in actions:
        by_application.setdefault(reminder.interview.application, []).append(reminder)
    rows = sort_rows(row(a, by_application.get(a.key, []), config, today) for a in plan.applications)
    tallies = [tally(application, today, config) for application in plan.applications]
    return Progress(
        today, tuple(rows), actions, figures(tallies, today), per_month(tallies, today), config.timezone, plan.missed,
        funnel(tallies), waits(tallies),
    )


def row(application: Application, actions: list[Reminder], config: Config, today: date) -> Row:
    """The application's row; `actions` are its open reminders, soonest first."""
    moved_on = application.moved_on_reason(config, today)
    waiting = application.last_try_waits_until(config) if moved_on is None else None
    return Row(
        application, application.stage(today, config), actions[0] if actions else None, moved_on, waiting,
        application.lapsed_offer(today),
    )


def row_order(stage: Stage, application: Application) -> tuple[bool, float]:
    """Active applications first, then the latest round first (a stable sort keeps ties in
    the applications' own order)."""
    return (stage not in ACTIVE_STAGES, -application.latest.moment.timestamp())


def sort_rows(rows: Iterable[Row]) -> list[Row]:
    return sorted(rows, key=lambda row: row_order(row.stage, row.application))


class Tally(NamedTuple):
    """One application's share of the figures and charts."""

    this_month: int  # interviews in today's month
    past: int  # interviews held
    on_time: int  # of those, thanked within a day
    months: tuple[str, ...]  # each interview's month, `YYYY-MM`
    answers: tuple[tuple[date, str, int], ...]  # (answered on, company · round, days): dated answers
    reached: tuple[int, int, int, int]  # interviewed, second round, offer, accepted (0 or 1)


_OFFERED = {Outcome.OFFER, Outcome.ACCEPTED}


def tally(application: Application, today: date, config: Config) -> Tally:
    rounds = application.rounds
    held = [i for i in rounds if i.scheduled and i.cancelled is None]  # a cancelled one never took place
    days = {i.path: i.day_in(config.zone) for i in held}
    past = [i for i in held if days[i.path] < today]  # so thanks were due
    answers = []
    for interview in held:
        answer = interview.reply_received or interview.offer_received
        if answer is not None and answer >= interview.day:
            label = interview.company + (f" · {interview.round}" if interview.round else "")
            answers.append((answer, label, (answer - interview.day).days))
    return Tally(
        this_month=sum(1 for i in held if (days[i.path].year, days[i.path].month) == (today.year, today.month)),
        past=len(past),
        on_time=sum(
            1 for i in past if i.thank_you_sent is not None and i.thank_you_sent <= days[i.path] + timedelta(days=1)
        ),
        months=tuple(f"{days[i.path]:%Y-%m}" for i in held),
        answers=tuple(answers),
        reached=(
            int(any(days[i.path] <= today for i in held)),
            int(len(held) > 1),
            int(any(r.outcome in _OFFERED or r.offer_received for r in rounds)),
            int(application.outcome is Outcome.ACCEPTED),
        ),
    )


def figures(tallies: Sequence[Tally], today: date) -> Figures:
    waits = [days for t in tallies for _, _, days in t.answers]
    return Figures(
        month=f"{today:%B %Y}",
        interviews_this_month=sum(t.this_month for t in tallies),
        thank_yous_on_time=sum(t.on_time for t in tallies),
        thank_yous_due=sum(t.past for t in tallies),
        replies=len(waits),
        median_days_to_reply=median(waits) if waits else None,
        offers=sum(t.reached[2] for t in tallies),
    )


def per_month(tallies: Sequence[Tally], today: date) -> tuple[tuple[str, int], ...]:
    """Interviews in each month from the first one (at most twelve months back) to the
    later of this month and the last interview's, oldest first; at most twelve months."""
    found = Counter(month for t in tallies for month in t.months)
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


def funnel(tallies: Sequence[Tally]) -> tuple[tuple[str, int], ...]:
    """How far the applications got: each step counts the applications that reached it."""
    steps = ("Interviewed", "Second round", "Offers", "Accepted")
    return (
        ("Applications", len(tallies)),
        *((step, sum(t.reached[n] for t in tallies)) for n, step in enumerate(steps)),
    )


def waits(tallies: Sequence[Tally], limit: int = 12) -> tuple[tuple[str, int], ...]:
    """Days from an interview to the company's answer, the most recent answers first
    (`tallies` in the applications' order: a stable sort keeps it among equal dates)."""
    found = [answer for t in tallies for answer in t.answers]
    found.sort(key=lambda item: item[0], reverse=True)
    return tuple((label, days) for _, label, days in found[:limit])
