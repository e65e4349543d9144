"""Rounds of one application grouped together, and where each application stands."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from followup.config import Config
from followup.note.model import Impression, Interview, Outcome
from followup.note.schema import INHERITED


class Stage(StrEnum):
    """Where an application stands, as the progress index, the board and `status` show it."""

    APPLIED = "applied"
    UPCOMING = "interview ahead"
    AWAITING = "awaiting reply"
    FOLLOWING_UP = "following up"
    NEXT_ROUND = "next round"
    CANCELLED = "cancelled"  # the latest interview was cancelled: ask for a new date
    OFFER = "offer"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    NO_RESPONSE = "no response"
    MOVED_ON = "moved on"


_FROM_OUTCOME = {
    Outcome.NEXT_ROUND: Stage.NEXT_ROUND,
    Outcome.OFFER: Stage.OFFER,
    Outcome.ACCEPTED: Stage.ACCEPTED,
    Outcome.REJECTED: Stage.REJECTED,
    Outcome.WITHDRAWN: Stage.WITHDRAWN,
    Outcome.NO_RESPONSE: Stage.NO_RESPONSE,
}
ACTIVE_STAGES = frozenset({
    Stage.APPLIED, Stage.UPCOMING, Stage.AWAITING, Stage.FOLLOWING_UP, Stage.NEXT_ROUND, Stage.CANCELLED,
    Stage.OFFER,
})

# The board's columns, each with what it holds and its stages: the progress page and `status`
# count by the same columns, so every count agrees wherever it is shown.
COLUMNS: tuple[tuple[str, str, frozenset[Stage]], ...] = (
    ("Applied", "Applied; no interview yet.", frozenset({Stage.APPLIED})),
    ("Interview ahead", "An interview still to come.", frozenset({Stage.UPCOMING})),
    ("Awaiting reply", "Interviewed; no answer yet, the next round still to be set, or a new date to ask for.",
     frozenset({Stage.AWAITING, Stage.NEXT_ROUND, Stage.CANCELLED})),
    ("Following up", "You have followed up and wait for an answer.", frozenset({Stage.FOLLOWING_UP})),
    ("Offer", "An offer on the table, or accepted.", frozenset({Stage.OFFER, Stage.ACCEPTED})),
    ("Closed", "Rejected, withdrawn, no response, or time to move on.",
     frozenset({Stage.REJECTED, Stage.WITHDRAWN, Stage.NO_RESPONSE, Stage.MOVED_ON})),
)


def column(stage: Stage) -> str:
    """The board's column for a stage."""
    return next(name for name, _, stages in COLUMNS if stage in stages)


@dataclass(frozen=True)
class Application:
    """Every round of one application, oldest first; the newest carries the follow-ups."""

    key: str
    rounds: tuple[Interview, ...]

    @property
    def latest(self) -> Interview:
        return self.rounds[-1]

    @property
    def company(self) -> str:
        return self.latest.company

    @property
    def role(self) -> str:
        return self.latest.role

    @property
    def outcome(self) -> Outcome:
        return self.latest.outcome

    def is_latest(self, interview: Interview) -> bool:
        return interview is self.latest

    def last_try_waits_until(self, config: Config) -> date | None:
        """After the last allowed follow-up, the day the usual interval after it ends; else None."""
        latest = self.latest
        counted = latest.counted_follow_ups
        if latest.outcome is not Outcome.PENDING or latest.answered or not config.max_follow_ups:
            return None
        if len(counted) < config.max_follow_ups:
            return None
        return config.business_days.on_or_after(counted[-1] + timedelta(days=config.follow_up_interval_days))

    def moved_on_reason(self, config: Config, today: date) -> str | None:
        """Why the guide says to move on, or None while it is still worth pursuing."""
        latest = self.latest
        if latest.outcome is not Outcome.PENDING:
            return None
        if latest.impression is Impression.BAD:
            return "it went badly"
        until = self.last_try_waits_until(config)
        if until is not None and today >= until:
            count = config.max_follow_ups
            words = {1: "one follow-up", 2: "two follow-ups", 3: "three follow-ups"}
            return f"no reply after {words.get(count, f'{count} follow-ups')}"
        return None

    def stage(self, today: date, config: Config) -> Stage:
        latest = self.latest
        if latest.outcome in _FROM_OUTCOME:
            return _FROM_OUTCOME[latest.outcome]
        if not any(r.scheduled for r in self.rounds):
            return Stage.APPLIED
        if latest.cancelled is not None:
            return Stage.CANCELLED
        if latest.day_in(config.zone) >= today:
            return Stage.UPCOMING
        if self.moved_on_reason(config, today) is not None:
            return Stage.MOVED_ON
        return Stage.FOLLOWING_UP if latest.counted_follow_ups else Stage.AWAITING

    def lapsed_offer(self, today: date) -> date | None:
        """The deadline of an offer left unanswered past it (outcome still `offer`), else None."""
        latest = self.latest
        deadline = latest.offer_deadline
        if latest.outcome is Outcome.OFFER and deadline is not None and deadline < today:
            return deadline
        return None


def _carried(rounds: list[Interview]) -> tuple[Interview, ...]:
    """Rounds oldest first, each without a recruiter, agency or contact taking it from the
    latest earlier round that has one, and named by its round when there are several."""
    rounds.sort(key=lambda i: i.sort_key)
    several = len(rounds) > 1
    known: dict[str, Any] = {}
    found = []
    for interview in rounds:
        changes: dict[str, Any] = {
            key: known[key] for key in INHERITED if key in known and not getattr(interview, key)
        }
        for key in INHERITED:
            if getattr(interview, key):
                known[key] = getattr(interview, key)
        if several:
            changes["round_label"] = interview.round or (
                f"{interview.day:%-d %b %Y}" if interview.scheduled else "application"
            )
        found.append(replace(interview, **changes) if changes else interview)
    return tuple(found)


def group(interviews: Iterable[Interview]) -> tuple[Application, ...]:
    """Applications in order of their first round."""
    rounds: dict[str, list[Interview]] = defaultdict(list)
    for interview in interviews:
        rounds[interview.application].append(interview)
    applications = [Application(key, _carried(found)) for key, found in rounds.items()]
    return tuple(sorted(applications, key=lambda a: a.rounds[0].sort_key))


def choose_round(interviews: Iterable[Interview], paths: Iterable[str], round_name: str = "") -> Interview | None:
    """The round a command means when NOTE names `paths`: when they are all rounds of one
    application, its latest round, or the round named `round_name` (its `round`, its date, or
    part of its file name); None when they span applications or no round has that name."""
    wanted = set(paths)
    for application in group(interviews):
        mine = {interview.path for interview in application.rounds}
        if wanted and wanted <= mine:
            if not round_name:
                return application.latest
            name = round_name.casefold().strip()
            named = [
                r for r in application.rounds
                if name in (r.round.casefold(), r.day.isoformat()) or name in r.path.casefold()
            ]
            return named[-1] if named else None
    return None


def round_of(interviews: Iterable[Interview], path: str) -> Interview | None:
    """The round read from `path`, with what it takes from earlier rounds; None when not read."""
    for application in group(interviews):
        for interview in application.rounds:
            if interview.path == path:
                return interview
    return None
