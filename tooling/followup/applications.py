"""Rounds of one application grouped together, and where each application stands."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from followup.model import Impression, Interview, Outcome


class Stage(StrEnum):
    """Where an application stands, as the progress index shows it."""

    UPCOMING = "upcoming"
    AWAITING = "awaiting reply"
    NEXT_ROUND = "next round"
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
ACTIVE_STAGES = frozenset({Stage.UPCOMING, Stage.AWAITING, Stage.NEXT_ROUND, Stage.OFFER})


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

    def moved_on_because(self, max_follow_ups: int) -> str:
        """Why the guide says to move on, or '' while it is still worth pursuing."""
        latest = self.latest
        if latest.outcome is not Outcome.PENDING:
            return ""
        if latest.impression is Impression.BAD:
            return "it went badly"
        if max_follow_ups and len(latest.follow_ups) >= max_follow_ups:
            words = {1: "one follow-up", 2: "two follow-ups", 3: "three follow-ups"}
            return f"no reply after {words.get(max_follow_ups, f'{max_follow_ups} follow-ups')}"
        return ""

    def stage(self, today: date, max_follow_ups: int) -> Stage:
        latest = self.latest
        if latest.outcome in _FROM_OUTCOME:
            return _FROM_OUTCOME[latest.outcome]
        if latest.day >= today:
            return Stage.UPCOMING
        if self.moved_on_because(max_follow_ups):
            return Stage.MOVED_ON
        return Stage.AWAITING


def group(interviews: Iterable[Interview]) -> tuple[Application, ...]:
    """Applications in order of their first round."""
    rounds: dict[str, list[Interview]] = defaultdict(list)
    for interview in interviews:
        rounds[interview.application].append(interview)
    applications = [
        Application(key, tuple(sorted(found, key=lambda i: i.sort_key)))
        for key, found in rounds.items()
    ]
    return tuple(sorted(applications, key=lambda a: a.rounds[0].sort_key))
