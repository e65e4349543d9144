"""The interview note as a typed, immutable model."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from followup.note.schema import BY_NAME, Impression, Outcome

__all__ = ["Impression", "Interview", "Outcome", "Person"]


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    email: str = ""
    title: str = ""
    phone: str = ""

    @property
    def label(self) -> str:
        """`Jane Doe (CTO)`: how the person is named in reminders."""
        return f"{self.name} ({self.title})" if self.title else self.name

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.name



def _absent(key: str) -> Any:
    """The value a note's key takes when the note leaves it out (declared in `schema`)."""
    return BY_NAME[key].absent


@dataclass(frozen=True, slots=True)
class Interview:
    """One interview note. `start` is an aware datetime, or None when only the day is known.

    A field per key of `schema.NOTE_KEYS` (but `date`, read into `day` and `start`), with the
    default the schema declares; then what the reader adds (path, page name, round label)."""

    path: str
    slug: str
    company: str
    role: str
    day: date
    start: datetime | None
    timezone: str
    duration: int = _absent("duration")
    round: str = _absent("round")
    location: str = _absent("location")
    interviewers: tuple[Person, ...] = _absent("interviewers")
    recruiter: Person | None = _absent("recruiter")
    agency: str = _absent("agency")
    contact: Person | None = _absent("contact")
    reply_by: date | None = _absent("reply_by")
    reply_received: date | None = _absent("reply_received")
    negotiated: date | None = _absent("negotiated")
    impression: Impression = _absent("impression")
    may_call: bool = _absent("may_call")
    thank_you_sent: date | None = _absent("thank_you_sent")
    notes_reviewed: date | None = _absent("notes_reviewed")
    follow_ups: tuple[date, ...] = _absent("follow_ups")
    outcome: Outcome = _absent("outcome")
    offer_received: date | None = _absent("offer_received")
    offer_deadline: date | None = _absent("offer_deadline")
    application: str = _absent("application")
    decided: date | None = _absent("decided")
    applied: date | None = _absent("applied")
    posting: str = _absent("posting")
    salary: str = _absent("salary")
    source: str = _absent("source")
    guessed: tuple[str, ...] = _absent("guessed")
    cancelled: date | None = _absent("cancelled")
    invite_uid: str = _absent("invite_uid")
    invite_sequence: int = _absent("invite_sequence")
    invite_stamp: datetime | None = _absent("invite_stamp")
    # False for an application with no interview yet (`applied` and no `date`): `day` is then
    # the day of the application, and no reminder is planned for it.
    scheduled: bool = True
    # Set when the application has several rounds: this one's name in titles ("final").
    round_label: str = ""
    body: str = field(default="", compare=False, repr=False)  # empty when read in bulk
    lines: tuple[tuple[str, int], ...] = field(default=(), compare=False, repr=False)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def end(self) -> datetime | None:
        return self.start + timedelta(minutes=self.duration) if self.start else None

    @property
    def follow_up_to(self) -> Person | None:
        """Who follow-ups go to: the recruiter when there is one, else the contact."""
        if self.recruiter:
            return self.recruiter
        if self.contact:
            return self.contact
        return self.interviewers[0] if self.interviewers else None

    @property
    def application_name(self) -> str:
        """`Acme · Backend Engineer`."""
        return f"{self.company} · {self.role}"

    @property
    def title(self) -> str:
        """`Acme · Backend Engineer (technical)`."""
        return f"{self.application_name} ({self.round})" if self.round else self.application_name

    @property
    def name(self) -> str:
        """`Acme · Backend Engineer`, with the round when the application has several."""
        return self.application_name + self.round_suffix

    @property
    def round_suffix(self) -> str:
        """` (final)` when the application has several rounds, else ''."""
        return f" ({self.round_label})" if self.round_label else ""

    @property
    def answered(self) -> bool:
        """They replied, and no later `reply_by` was written in since."""
        received = self.reply_received
        return received is not None and not (self.reply_by is not None and self.reply_by > received)

    @property
    def counted_follow_ups(self) -> tuple[date, ...]:
        """The follow-ups that count toward the limit: after a reply, only the later ones."""
        received = self.reply_received
        if received is None:
            return self.follow_ups
        return tuple(day for day in self.follow_ups if day > received)

    def day_in(self, zone: ZoneInfo) -> date:
        """The interview's day where `zone`'s clocks are: an interview at 08:00 in Sydney is
        the evening before in London."""
        return self.start.astimezone(zone).date() if self.start is not None else self.day

    def line_of(self, key: str) -> int:
        return dict(self.lines).get(key, 1)

    @property
    def moment(self) -> datetime:
        """The start, or midnight of the day when no time is known."""
        return self.start or datetime.combine(self.day, time(0), tzinfo=self.zone)

    @property
    def sort_key(self) -> tuple[datetime, str]:
        return (self.moment, self.path)
