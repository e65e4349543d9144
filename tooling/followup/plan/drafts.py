"""Drafted emails behind the feed's `mailto:` links: a start to adapt, never to send as is."""

from __future__ import annotations

from urllib.parse import quote

from followup.note.model import Interview, Person
from followup.plan.rules import Kind, Reminder


def _greeting(word: str, person: Person) -> str:
    """`Dear Jane,`; only `Hello,` for an address without a name (never "Dear cto")."""
    unnamed = not person.name or (person.email and person.name == person.email.split("@")[0])
    return "Hello," if unnamed else f"{word} {person.first_name},"


def _interview_words(interview: Interview) -> str:
    """`technical interview`; a round already called "... interview" is not doubled."""
    step = " ".join(interview.round.split())
    if not step:
        return "interview"
    return step if step.casefold().endswith("interview") else f"{step} interview"


def _thank_you(interview: Interview, person: Person) -> tuple[str, str]:
    subject = f"Thank you: {interview.role} {_interview_words(interview)}"
    body = (
        f"{_greeting('Dear', person)}\n\n"
        f"Thank you for your time on {interview.day:%A}. I enjoyed our conversation about "
        "[something specific you discussed], and it made me even keener on the "
        f"{interview.role} role at {interview.company}.\n\n"
        "[One line on why you fit, or an answer you would like to add to.]\n\n"
        "Kind regards,\n[Your name]"
    )
    return subject, body


def _follow_up(interview: Interview, person: Person, number: int) -> tuple[str, str]:
    if interview.recruiter is not None and person == interview.recruiter and not interview.agency:
        # The company's own recruiter: they are the company, not a go-between.
        return (
            f"The {interview.role} role: any news?",
            f"{_greeting('Hi', person)}\n\n"
            f"I wanted to ask whether there is any news on the {interview.role} role since my "
            f"interview on {interview.day:%-d %B}. I am still very interested, and happy to send "
            "anything else that would help.\n\n"
            "Thanks for keeping me posted,\n[Your name]",
        )
    if interview.recruiter is not None and person == interview.recruiter:
        return (
            f"{interview.company}: any news on the {interview.role} role?",
            f"{_greeting('Hi', person)}\n\n"
            f"I wanted to check whether you have heard anything from {interview.company} since "
            f"my interview on {interview.day:%-d %B}. I am still very interested in the role.\n\n"
            "Thanks for keeping me posted,\n[Your name]",
        )
    again = " again" if number > 1 else ""
    return (
        f"Following up: {interview.role} interview on {interview.day:%-d %B}",
        f"{_greeting('Dear', person)}\n\n"
        f"I am writing{again} to follow up on my interview for the {interview.role} role on "
        f"{interview.day:%-d %B}. I was glad to hear [a positive comment they made], and I remain "
        "very interested. Is there any news on the next step?\n\n"
        "Kind regards,\n[Your name]",
    )


def _withdraw(interview: Interview, person: Person) -> tuple[str, str]:
    return (
        f"Withdrawing from the {interview.role} process",
        f"{_greeting('Dear', person)}\n\n"
        f"Thank you for your time and for considering me for the {interview.role} role at "
        f"{interview.company}. I have accepted another offer, so I am withdrawing from the process.\n\n"
        "I enjoyed meeting the team and hope our paths cross again.\n\n"
        "Kind regards,\n[Your name]",
    )


# What `urllib.parse.quote` does to each byte of UTF-8 text, as a table: much faster.
_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~/")
_QUOTED = tuple(chr(byte) if byte in _SAFE else f"%{byte:02X}" for byte in range(256))


def _quote(text: str) -> str:
    return "".join([_QUOTED[byte] for byte in text.encode("utf-8")])


def mailto(address: str, subject: str, body: str) -> str:
    """A `mailto:` link; the subject is made one line, so no note can add a mail header."""
    subject = " ".join(subject.split())
    return f"mailto:{quote(address, safe='@')}?subject={_quote(subject)}&body={_quote(body)}"


def links(reminder: Reminder) -> list[tuple[Person, str]]:
    """Each recipient with an email address, and a link that opens the drafted email."""
    found = []
    for person in reminder.to:
        if not person.email:
            continue
        if reminder.kind is Kind.THANK_YOU:
            subject, body = _thank_you(reminder.interview, person)
        elif reminder.kind is Kind.FOLLOW_UP:
            subject, body = _follow_up(reminder.interview, person, reminder.number)
        elif reminder.kind is Kind.WITHDRAW:
            subject, body = _withdraw(reminder.interview, person)
        else:
            continue
        found.append((person, mailto(person.email, subject, body)))
    return found
