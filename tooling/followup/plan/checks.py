"""Checks across the values of valid notes: things that parse but are very likely mistakes.

Every finding is a warning with the file and line of the key concerned: the reminders can
still be planned, but the note probably does not say what its author meant.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from itertools import pairwise

from followup.config import CONFIG_FILE, Config
from followup.errors import Problem
from followup.note.dates import fixed_offset_hint
from followup.note.model import Interview, Outcome

FAR_AHEAD = timedelta(days=365)


def check(interviews: tuple[Interview, ...], today: date, config: Config | None = None) -> list[Problem]:
    """Every likely mistake in these notes (and the configuration), sorted by file and line."""
    found = config_warnings(config) if config is not None else []
    for interview in interviews:
        found += _date_order(interview)
        found += _far_ahead(interview, today)
        found += _contact_with_recruiter(interview)
        found += _may_call_without_phone(interview)
        found += _offer_without_dates(interview)
        found += _guessed(interview)
    found += _same_time(interviews)
    found += _recruiter_changes(interviews)
    return sorted(found)


def config_warnings(config: Config) -> list[Problem]:
    """A time zone in followup.toml given as a fixed offset, where a city would follow its clocks."""
    if "timezone" in dict(config.lines) and (hint := fixed_offset_hint(config.timezone)):
        return [Problem(CONFIG_FILE, config.line_of("timezone"), f"timezone: {hint}", "warning")]
    return []


def _warn(interview: Interview, key: str, message: str) -> Problem:
    return Problem(interview.path, interview.line_of(key), message, "warning")


def _date_order(interview: Interview) -> list[Problem]:
    day = interview.day
    found = []
    for key, label in (
        ("thank_you_sent", "the thank-you"),
        ("notes_reviewed", "the notes review"),
        ("reply_by", "'reply_by'"),
        ("offer_received", "the offer"),
    ):
        value = getattr(interview, key)
        if value is not None and value < day:
            message = f"{label} ({value}) is before the interview ({day}); check the dates"
            found.append(_warn(interview, key, message))
    for value in interview.follow_ups:
        if value < day:
            found.append(
                _warn(
                    interview,
                    "follow_ups",
                    f"a follow-up ({value}) is before the interview ({day}); check the dates",
                )
            )
    if interview.scheduled and interview.applied is not None and interview.applied > day:
        found.append(_warn(interview, "applied", f"you applied ({interview.applied}) after the interview ({day}); "
                                                 "check the dates"))
    received, deadline = interview.offer_received, interview.offer_deadline
    if received and interview.decided and interview.decided < received:
        found.append(_warn(interview, "decided", f"the decision ({interview.decided}) is before the offer arrived "
                                                 f"({received}); check the dates"))
    if received and deadline and deadline < received:
        found.append(
            _warn(
                interview,
                "offer_deadline",
                f"the offer expires ({deadline}) before it arrived ({received}); check the dates",
            )
        )
    return found


def _offer_without_dates(interview: Interview) -> list[Problem]:
    """An offer with no date to plan from, or offer dates on a note whose outcome says no offer."""
    if interview.outcome is Outcome.OFFER and interview.offer_received is None:
        return [_warn(
            interview, "outcome",
            "the outcome is 'offer' but the note has no 'offer_received', so no negotiate or decide "
            "reminder can be planned; add the day it came: offer_received: YYYY-MM-DD",
        )]
    if interview.outcome is Outcome.PENDING:
        key = "offer_received" if interview.offer_received else "offer_deadline" if interview.offer_deadline else ""
        if key:
            return [_warn(
                interview, key,
                f"'{key}' is set but the outcome is still 'pending', so the board and the index do not "
                "show the offer and follow-ups go on; set 'outcome: offer' (followup outcome NOTE offer)",
            )]
    return []


def _far_ahead(interview: Interview, today: date) -> list[Problem]:
    if interview.day - today <= FAR_AHEAD:
        return []
    return [
        _warn(
            interview,
            "date",
            f"the interview ({interview.day}) is more than a year away; a typo in the year?",
        )
    ]


def _contact_with_recruiter(interview: Interview) -> list[Problem]:
    recruiter, contact = interview.recruiter, interview.contact
    if recruiter is None or contact is None:
        return []
    names = {p.name.casefold() for p in interview.interviewers}
    emails = {p.email.casefold() for p in interview.interviewers if p.email}
    if contact.name.casefold() not in names and contact.email.casefold() not in emails:
        return []
    return [
        _warn(
            interview,
            "contact",
            f"'contact' names an interviewer ({contact.name}) but a recruiter represents you: "
            f"follow-ups go through {recruiter.name} only; remove 'contact'",
        )
    ]


def _may_call_without_phone(interview: Interview) -> list[Problem]:
    if not interview.may_call:
        return []
    person = interview.follow_up_to
    if person is not None and person.phone:
        return []
    if person is None:
        message = (
            "'may_call' is true but the note names nobody to call; add the person to "
            "`interviewers` or `contact` with a `phone:`, or set may_call to false"
        )
    else:
        message = (
            f"'may_call' is true but there is no phone number for {person.name}; add "
            "`phone:` to that person (name, email, phone), or set may_call to false"
        )
    return [_warn(interview, "may_call", message)]


def _guessed(interview: Interview) -> list[Problem]:
    """Values `followup invite` guessed, until the user has looked at them."""
    if not interview.guessed:
        return []
    keys = list(interview.guessed)
    values = ", ".join(f"{key}: {getattr(interview, key, '')}" for key in keys)
    names = " and ".join([", ".join(keys[:-1]), keys[-1]] if len(keys) > 1 else keys)
    were, them = ("were", "them") if len(keys) > 1 else ("was", "it")
    return [
        _warn(
            interview,
            "guessed",
            f"{names} {were} guessed from the invitation ({values}); correct {them} if needed and "
            f"remove the line `guessed: [{', '.join(keys)}]`",
        )
    ]


def _same_time(interviews: tuple[Interview, ...]) -> list[Problem]:
    groups: dict[tuple[str, object], list[Interview]] = defaultdict(list)
    for interview in interviews:
        if interview.scheduled:
            groups[(interview.application, interview.start or interview.day)].append(interview)
    found = []
    for group in groups.values():
        if len(group) < 2:
            continue
        for interview in group:
            others = ", ".join(i.path for i in group if i is not interview)
            found.append(
                _warn(
                    interview,
                    "date",
                    f"another note has the same application at the same time ({others}); "
                    "a copied note? keep one, or change its date",
                )
            )
    return found


def _recruiter_changes(interviews: tuple[Interview, ...]) -> list[Problem]:
    """A round naming another recruiter than the round before it in the same application."""
    rounds: dict[str, list[Interview]] = defaultdict(list)
    for interview in interviews:
        if interview.recruiter is not None:
            rounds[interview.application].append(interview)
    found = []
    for named in rounds.values():
        named.sort(key=lambda i: i.sort_key)
        for before, after in pairwise(named):
            if _same_person(before, after):
                continue
            assert before.recruiter is not None and after.recruiter is not None
            found.append(
                _warn(
                    after,
                    "recruiter",
                    f"the recruiter here ({after.recruiter.label}) is not the one in {before.path} "
                    f"({before.recruiter.label}); one recruiter represents you for the whole "
                    "application: correct one of them, or remove it here to keep the earlier one",
                )
            )
    return found


def _same_person(one: Interview, other: Interview) -> bool:
    a, b = one.recruiter, other.recruiter
    if a is None or b is None:
        return a is b
    if a.email and b.email:
        return a.email.casefold() == b.email.casefold()
    return a.name.casefold() == b.name.casefold()
