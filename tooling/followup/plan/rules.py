"""The interview advice as rules: notes, configuration and today in; dated reminders out.

Pure functions: "today" is always passed in, never read from the clock here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cached_property

from followup.config import Config
from followup.note.model import Impression, Interview, Outcome, Person
from followup.plan.applications import Application, group
from followup.workdays import BusinessDays

REMINDER_MINUTES = 30
EVENING = time(18, 0)
# The user's quiet hours: a reminder due then waits for the morning.
QUIET_FROM, QUIET_UNTIL = time(21, 0), time(8, 0)


class Kind(StrEnum):
    """A reminder's kind: the feed's CATEGORIES value."""

    INTERVIEW = "interview"
    PREPARE = "prepare"
    THANK_YOU = "thank-you"
    REVIEW_NOTES = "review-notes"
    FOLLOW_UP = "follow-up"
    NEGOTIATE = "negotiate"
    DECIDE = "decide"
    WITHDRAW = "withdraw"


# Each kind's one name, in the feed, the terminal, the pages and the guide alike.
LABELS: dict[Kind, str] = {
    Kind.INTERVIEW: "Interview",
    Kind.PREPARE: "Prepare",
    Kind.THANK_YOU: "Thank-you",
    Kind.REVIEW_NOTES: "Review notes",
    Kind.FOLLOW_UP: "Follow-up",
    Kind.NEGOTIATE: "Negotiate",
    Kind.DECIDE: "Decide",
    Kind.WITHDRAW: "Withdraw",
}
# Outcomes after which an application is still open: accepting another offer closes them.
OPEN_OUTCOMES = frozenset({Outcome.PENDING, Outcome.NEXT_ROUND, Outcome.OFFER})


@dataclass(frozen=True, slots=True)
class Reminder:
    """One dated thing to do (or the interview itself), produced by one rule."""

    kind: Kind
    interview: Interview
    start: datetime | date
    end: datetime | date
    day: date  # the day it falls on where the user is: what "today", "overdue" and "past" compare
    title: str
    action: str
    why: str
    to: tuple[Person, ...] = ()
    number: int = 0

    @property
    def uid(self) -> str:
        suffix = f"-{self.number}" if self.number else ""
        return f"{self.interview.slug.replace('/', '.')}.{self.kind}{suffix}@interview-followup"

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    @property
    def due(self) -> date:
        return self.day

    @property
    def label(self) -> str:
        """`Follow-up #2` / `Thank-you`: the kind's one name (see `LABELS`)."""
        text = LABELS[self.kind]
        return f"{text} #{self.number}" if self.number else text

    @property
    def local_zone(self) -> str:
        """The zone whose local time is shown beside the user's: the interview's own, for the
        interview itself."""
        return self.interview.timezone if self.kind is Kind.INTERVIEW else ""

    def is_overdue(self, today: date) -> bool:
        return self.kind is not Kind.INTERVIEW and self.due < today


@dataclass(frozen=True)
class Plan:
    """The open reminders, soonest first, and the applications they came from."""

    reminders: tuple[Reminder, ...]
    applications: tuple[Application, ...]
    # Thank-yous and note reviews left undone too long: out of the feed, listed as missed.
    missed: tuple[Reminder, ...] = ()

    def for_interview(self, interview: Interview) -> tuple[Reminder, ...]:
        return self._by_interview.get(id(interview), ())

    @cached_property
    def _by_interview(self) -> dict[int, tuple[Reminder, ...]]:
        found: dict[int, list[Reminder]] = {}
        for reminder in self.reminders:
            found.setdefault(id(reminder.interview), []).append(reminder)
        return {key: tuple(value) for key, value in found.items()}


def plan(interviews: tuple[Interview, ...], config: Config, today: date) -> Plan:
    applications = group(interviews)
    accepted = accepted_offer(applications)
    reminders: list[Reminder] = []
    missed: list[Reminder] = []
    for application in applications:
        due, late = application_reminders(application, config, today, accepted)
        reminders += due
        missed += late
    reminders.sort(key=order)
    missed.sort(key=order)
    return Plan(tuple(reminders), applications, tuple(missed))


@dataclass(frozen=True, slots=True)
class Accepted:
    """The offer accepted, and the day it was: every other open application is then withdrawn from."""

    application: Application
    day: date


def accepted_offer(applications: tuple[Application, ...]) -> Accepted | None:
    """The latest accepted offer (`decided`, else the offer's dates, else the last round's day)."""
    found = [
        Accepted(a, a.latest.decided or a.latest.offer_deadline or a.latest.offer_received or a.latest.day)
        for a in applications
        if a.outcome is Outcome.ACCEPTED
    ]
    return max(found, key=lambda item: item.day, default=None)


def application_reminders(
    application: Application, config: Config, today: date, accepted: Accepted | None = None
) -> tuple[list[Reminder], list[Reminder]]:
    """Every reminder of one application's rounds, and apart the thank-yous and note reviews
    too late to help (unsorted: see `order`): left undone `missed_after_days` after they were
    due, or once a later step is done (a follow-up sent, an answer, the next round held).
    Once another application's offer is accepted, an open one gets only its interviews and one
    reminder to withdraw."""
    reminders: list[Reminder] = []
    missed: list[Reminder] = []
    too_late = timedelta(days=config.missed_after_days)
    withdrawing = (
        accepted is not None and accepted.application is not application and application.outcome in OPEN_OUTCOMES
    )
    for interview in application.rounds:
        for reminder in reminders_for(interview, application, config, today, withdrawing=withdrawing):
            if reminder.kind in (Kind.THANK_YOU, Kind.REVIEW_NOTES) and (
                today > reminder.due + too_late or _later_step_done(interview, application, config, today)
            ):
                missed.append(reminder)
            else:
                reminders.append(reminder)
    if withdrawing and accepted is not None:
        reminders.append(_withdraw(application.latest, accepted, config))
    return reminders, missed


def _later_step_done(interview: Interview, application: Application, config: Config, today: date) -> bool:
    """Whether the application went on past this round: a follow-up sent, an answer, a later round held."""
    if interview.follow_ups or interview.reply_received is not None:
        return True
    return any(
        other.scheduled and other.sort_key > interview.sort_key and other.day_in(config.zone) <= today
        for other in application.rounds
    )


def order(reminder: Reminder) -> tuple[float, str]:
    """Soonest first; a UID is unique, so no two reminders tie."""
    # A timestamp, not an aware datetime: comparing those asks the zone for its offset each time.
    return (_instant(reminder.start, reminder.interview).timestamp(), reminder.uid)


def reminders_for(
    interview: Interview, application: Application, config: Config, today: date, *, withdrawing: bool = False
) -> list[Reminder]:
    if not interview.scheduled:  # an application with no interview yet
        return []
    # A cancelled interview is not held: nothing to attend, prepare, thank for or review.
    found = [] if interview.cancelled is not None else [_interview_event(interview, config)]
    if withdrawing:
        return found
    if interview.cancelled is None:
        if interview.day_in(config.zone) >= today and application.outcome is not Outcome.WITHDRAWN:
            found.append(_prepare(interview, config))
        if interview.thank_you_sent is None:
            found.append(_thank_you(interview, application, config))
        if interview.notes_reviewed is None:
            found.append(_review_notes(interview, config))
    if _follows_up(interview, application, config):
        found.append(_follow_up(interview, config))
    lapsed = interview.offer_deadline is not None and today > interview.offer_deadline
    if application.outcome not in (Outcome.ACCEPTED, Outcome.WITHDRAWN) and not lapsed:
        found += _offer(interview, config)
    return found


def _follows_up(interview: Interview, application: Application, config: Config) -> bool:
    """No follow-up after a bad impression, a final outcome, a later round, a reply or the last try."""
    return (
        application.is_latest(interview)
        and interview.outcome is Outcome.PENDING
        and interview.impression is not Impression.BAD
        and not interview.answered
        and len(interview.counted_follow_ups) < config.max_follow_ups
    )


def _instant(moment: datetime | date, interview: Interview) -> datetime:
    if isinstance(moment, datetime):
        return moment
    return datetime.combine(moment, time(0), tzinfo=interview.zone)


def _at(day: date, config: Config, hour: int | None = None) -> tuple[datetime, datetime]:
    """`reminder_hour` (or `hour`) on `day` in the user's own zone."""
    start = datetime.combine(day, time(config.reminder_hour if hour is None else hour), tzinfo=config.zone)
    return start, start + timedelta(minutes=REMINDER_MINUTES)


def _after_interview(interview: Interview, config: Config) -> tuple[datetime, datetime]:
    """One hour after the end in the user's zone, waiting for the morning inside quiet hours;
    the evening of the day when no time is known."""
    if interview.end is None:
        start = datetime.combine(interview.day, EVENING, tzinfo=config.zone)
        return start, start + timedelta(minutes=REMINDER_MINUTES)
    start = (interview.end + timedelta(hours=1)).astimezone(config.zone)
    moment = start.time()
    if moment >= QUIET_FROM:
        return _at(start.date() + timedelta(days=1), config)
    if moment < QUIET_UNTIL:
        return _at(start.date(), config)
    return start, start + timedelta(minutes=REMINDER_MINUTES)


def _day(start: datetime | date, config: Config) -> date:
    """The day `start` falls on where the user is."""
    return start.astimezone(config.zone).date() if isinstance(start, datetime) else start


def _who(people: tuple[Person, ...]) -> str:
    return ", ".join(p.label for p in people)


def _interview_event(interview: Interview, config: Config) -> Reminder:
    start: datetime | date
    end: datetime | date
    if interview.start is not None and interview.end is not None:
        start, end = interview.start, interview.end
    else:
        start, end = interview.day, interview.day + timedelta(days=1)
    details = []
    if interview.round:
        details.append(f"Round: {interview.round}")
    if interview.location:
        details.append(f"Where: {interview.location}")
    if interview.interviewers:
        details.append(f"With: {_who(interview.interviewers)}")
    if interview.recruiter:
        details.append(f"Recruiter: {interview.recruiter.label}")
    return Reminder(
        kind=Kind.INTERVIEW,
        interview=interview,
        start=start,
        end=end,
        day=_day(start, config),
        title=f"{LABELS[Kind.INTERVIEW]}: {interview.title}",
        action="\n".join(details) or "The interview.",
        why="Listen closely, take short notes, and write down the name of everyone you meet: "
        "you will thank each of them afterwards.",
    )


def _prepare(interview: Interview, config: Config) -> Reminder:
    before = interview.day_in(config.zone) - timedelta(days=config.prepare_days_before)
    day = config.business_days.on_or_before(before)
    start, end = _at(day, config)
    return Reminder(
        kind=Kind.PREPARE,
        interview=interview,
        start=start,
        end=end,
        day=day,
        title=f"{LABELS[Kind.PREPARE]}: {interview.title}",
        action=f"Research {interview.company}: what it does, its news, the team. "
        "Rehearse a two-minute answer to \"tell me about yourself\". "
        f"Write down your own questions about the {interview.role} role.",
        why="You will be asked what you know about them and who you are; prepared answers "
        "and good questions show you are serious, and the answers help you judge an offer.",
    )


def _thank_you(interview: Interview, application: Application, config: Config) -> Reminder:
    start, end = _after_interview(interview, config)
    people = interview.interviewers
    if people:
        action = "Send a short thank-you to each interviewer, by name: " + _who(people) + "."
    else:
        action = "Send a short thank-you to each person you met (add them to `interviewers`)."
    action += " Mention something specific you talked about; a few lines are enough."
    if interview.recruiter:
        action += f" Let your recruiter, {interview.recruiter.label}, know how it went."
    round_words = "this round" if len(application.rounds) > 1 else "the interview"
    return Reminder(
        kind=Kind.THANK_YOU,
        interview=interview,
        start=start,
        end=end,
        day=_day(start, config),
        title=f"{LABELS[Kind.THANK_YOU]}: {interview.company}{interview.round_suffix}",
        action=action,
        why=f"A thank-you after {round_words} (and after every round) is one more chance to be "
        "noticed well, and few candidates bother.",
        to=people,
    )


def _review_notes(interview: Interview, config: Config) -> Reminder:
    start, end = _after_interview(interview, config)
    return Reminder(
        kind=Kind.REVIEW_NOTES,
        interview=interview,
        start=start,
        end=end,
        day=_day(start, config),
        title=f"{LABELS[Kind.REVIEW_NOTES]}: {interview.company}{interview.round_suffix}",
        action=f"Read and complete your notes in {interview.path}: names, what they said about "
        "next steps and timing, what went well, what to improve, what to mention in a thank-you.",
        why="Notes taken in a hurry stop making sense within a day; reviewed within 24 hours "
        "they are still clear.",
    )


def _follow_up(interview: Interview, config: Config) -> Reminder:
    counted = interview.counted_follow_ups
    number = len(counted) + 1
    window = ""
    days: BusinessDays = config.business_days
    interview_day = interview.day_in(config.zone)
    if number > 1:
        previous = counted[-1]
        day = days.on_or_after(previous + timedelta(days=config.follow_up_interval_days))
        last = number == config.max_follow_ups
        why = (
            f"Your follow-up on {previous.isoformat()} got no answer yet. "
            + ("Send one more short note; it is the last: if they stay silent, that is your answer "
               "and it is time to move on." if last else "One more short, polite note is fair.")
        )
    elif interview.reply_by is not None:
        day = days.on_or_after(interview.reply_by + timedelta(days=1))
        why = (
            f"They said they would get back to you by {interview.reply_by.isoformat()}. "
            "Silence past their own date usually means busy, not uninterested: a short reminder, "
            "recalling what they liked, is fair."
        )
    else:
        day = days.on_or_after(interview_day + timedelta(days=config.follow_up_after_days))
        until = interview_day + timedelta(days=config.follow_up_window_days)
        window = f" (any day until {until.isoformat()})"
        why = (
            f"No date was given, so follow up {config.follow_up_after_days} to "
            f"{config.follow_up_window_days} days after the interview{window}."
        )
    start, end = _at(day, config)
    person = interview.follow_up_to
    how = _whom(interview, person)
    if interview.may_call and person is not None and person.phone:
        how += f" They invited a call, so phoning {person.name} on {person.phone} is fine too."
    elif interview.may_call:
        how += " They invited a call, so phoning is fine too."
    else:
        how += " Use email or a letter; do not phone unless they invited you to."
    return Reminder(
        kind=Kind.FOLLOW_UP,
        interview=interview,
        start=start,
        end=end,
        day=day,
        title=f"{LABELS[Kind.FOLLOW_UP]} #{number}: {interview.company}{interview.round_suffix}",
        action=how,
        why=why,
        to=(person,) if person else (),
        number=number,
    )


def _whom(interview: Interview, person: Person | None) -> str:
    """Who to write to: an agency's recruiter and only them; a recruiter of the company's own,
    who handles the application; else the person you met."""
    to = f"Write to {_addressee(interview, person)}"
    if interview.recruiter and interview.agency:
        return f"{to}, and only to them: they represent you, so never go around them to the company."
    if interview.recruiter:
        return f"{to} who handles your application: they know where the decision stands and pass your message on."
    if person is not None:
        return f"{to}."
    return f"{to} (add them as `contact` or to `interviewers`)."


def _addressee(interview: Interview, person: Person | None) -> str:
    if interview.recruiter and interview.agency:
        return f"your recruiter, {interview.recruiter.label} at {interview.agency}"
    if interview.recruiter:
        return f"{interview.recruiter.label}, the recruiter at {interview.company}"
    if not interview.scheduled:  # an application: nobody met yet
        return (f"{person.label}, your contact at {interview.company}" if person is not None
                else "the address you sent your application to")
    return f"{person.label}, the person you met" if person is not None else "the person you met"


def _offer(interview: Interview, config: Config) -> list[Reminder]:
    """Negotiate and decide: negotiate the business day after the offer, but no later than the
    business day before the deadline (the deadline's own day when there is none between), and
    always before decide, which falls on the deadline (moved back to a business day)."""
    received, deadline = interview.offer_received, interview.offer_deadline
    days = config.business_days
    decide_day = None
    if deadline is not None:
        decide_day = days.on_or_before(deadline)
        if received is not None:
            decide_day = max(decide_day, received)
    found = []
    if received is not None and interview.negotiated is None:
        day = days.on_or_after(received + timedelta(days=1))
        if deadline is not None:
            before = days.on_or_before(deadline - timedelta(days=1))
            day = min(day, before if before >= received else deadline)
        if decide_day is not None:
            day = min(day, decide_day)
        found.append(_negotiate(interview, max(day, received), config))
    if decide_day is not None:
        same_day = bool(found) and found[0].day == decide_day
        found.append(_decide(interview, decide_day, config, later=same_day))
    return found


def _negotiate(interview: Interview, day: date, config: Config) -> Reminder:
    start, end = _at(day, config)
    return Reminder(
        kind=Kind.NEGOTIATE,
        interview=interview,
        start=start,
        end=end,
        day=day,
        title=f"{LABELS[Kind.NEGOTIATE]}: {interview.company}{interview.round_suffix}",
        action="Before you answer: read the whole offer (pay, bonus, equity, leave, start date), "
        "decide what you would ask for and your walk-away point, and get the final terms in writing.",
        why="An offer opens a conversation; asking, politely and with reasons, is expected.",
    )


def _decide(interview: Interview, day: date, config: Config, *, later: bool) -> Reminder:
    # The same day as negotiating: an hour after it, so the two come in order.
    start, end = _at(day, config, min(config.reminder_hour + 1, 23) if later else None)
    return Reminder(
        kind=Kind.DECIDE,
        interview=interview,
        start=start,
        end=end,
        day=day,
        title=f"{LABELS[Kind.DECIDE]}: {interview.company}{interview.round_suffix}",
        action="The offer expires: give your answer today, or ask for more time before the deadline "
        "passes. Record it with `followup outcome`: accepted, or withdrawn if you decline.",
        why="An offer left past its deadline may be withdrawn.",
    )


def _withdraw(latest: Interview, accepted: Accepted, config: Config) -> Reminder:
    day = config.business_days.on_or_after(accepted.day + timedelta(days=1))
    start, end = _at(day, config)
    person = latest.follow_up_to
    taken = accepted.application.latest
    return Reminder(
        kind=Kind.WITHDRAW,
        interview=latest,
        start=start,
        end=end,
        day=day,
        title=f"{LABELS[Kind.WITHDRAW]}: {latest.company}{latest.round_suffix}",
        action=f"You accepted the offer from {taken.company}: withdraw from {latest.company}'s "
        f"{latest.role} process now, politely and by email, writing to {_addressee(latest, person)}. "
        "Thank them for their time; saying you accepted another offer is reason enough.",
        why="Withdrawing promptly is courteous, lets them move on, and keeps the door open: you may "
        "meet these people again.",
        to=(person,) if person else (),
    )
