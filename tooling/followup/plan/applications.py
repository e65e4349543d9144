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
    """Where an application stands, as the progress index shows it."""

    UPCOMING = "upcoming"
    AWAITING = "awaiting reply"
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
ACTIVE_STAGES = frozenset({Stage.UPCOMING, Stage.AWAITING, Stage.NEXT_ROUND, Stage.CANCELLED, Stage.OFFER})


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
        if latest.cancelled is not None:
            return Stage.CANCELLED
        if latest.day >= today:
            return Stage.UPCOMING
        if self.moved_on_reason(config, today) is not None:
            return Stage.MOVED_ON
        return Stage.AWAITING


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
            changes["round_label"] = interview.round or f"{interview.day:%-d %b %Y}"
        found.append(replace(interview, **changes) if changes else interview)
    return tuple(found)


def group(interviews: Iterable[Interview]) -> tuple[Application, ...]:
    """Applications in order of their first round."""
    rounds: dict[str, list[Interview]] = defaultdict(list)
    for interview in interviews:
        rounds[interview.application].append(interview)
    applications = [Application(key, _carried(found)) for key, found in rounds.items()]
    return tuple(sorted(applications, key=lambda a: a.rounds[0].sort_key))


def latest_round(interviews: Iterable[Interview], paths: Iterable[str]) -> Interview | None:
    """The latest round when every one of `paths` is a round of one application; else None."""
    wanted = set(paths)
    for application in group(interviews):
        mine = {interview.path for interview in application.rounds}
        if wanted and wanted <= mine:
            return application.latest
    return None


def round_of(interviews: Iterable[Interview], path: str) -> Interview | None:
    """The round read from `path`, with what it takes from earlier rounds; None when not read."""
    for application in group(interviews):
        for interview in application.rounds:
            if interview.path == path:
                return interview
    return None
