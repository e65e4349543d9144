"""The note's front-matter keys, declared once.

Parsing (`notes`), the note `followup new` writes (`templates`), what later rounds of an
application take from earlier ones (`applications`) and the key tables of README.md and
docs/howto/notes.md (checked by tests/test_schema.py) all come from `NOTE_KEYS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Impression(StrEnum):
    GOOD = "good"
    OKAY = "okay"
    BAD = "bad"


class Outcome(StrEnum):
    PENDING = "pending"
    NEXT_ROUND = "next-round"
    OFFER = "offer"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    ACCEPTED = "accepted"
    NO_RESPONSE = "no-response"


# Limits far above any real note, and low enough that nothing downstream can grow out of hand.
MAX_NOTE_BYTES = 1024 * 1024
MAX_VALUE_CHARS = 2000  # one front-matter value: a name, a role, a video link
MAX_PEOPLE = 100
MAX_ROUNDS = 50  # notes in one application


class Kind(StrEnum):
    """How a key's value is read: which parser `notes` applies to it."""

    TEXT = "text"
    WHEN = "when"  # a date-time, or a date alone
    ZONE = "zone"
    MINUTES = "minutes"
    PEOPLE = "people"
    PERSON = "person"
    DATE = "date"
    DATES = "dates"
    IMPRESSION = "impression"
    OUTCOME = "outcome"
    FLAG = "flag"
    NUMBER = "number"  # a whole number, 0 or more
    INSTANT = "instant"  # a date-time, kept in UTC
    KEYS = "keys"  # names of other keys


@dataclass(frozen=True, slots=True)
class Key:
    """One front-matter key.

    `meaning` is the short phrase used in messages; `type`, `default`, `example` and
    `explained` are the guide's table row. `absent` is the value an `Interview` holds when
    the note leaves the key out (its field's default). `written` is the line `followup new`
    writes when it knows the value (`{value}` stands for it); `blank` the line it writes
    otherwise (None: no line)."""

    name: str
    kind: Kind
    meaning: str
    type: str
    default: str
    example: str
    explained: str
    required: bool = False
    inherited: bool = False  # a later round of the application without it takes it from an earlier one
    absent: object = None
    written: str | None = None
    blank: str | None = None


_LATEST = "the latest earlier round's"

NOTE_KEYS: tuple[Key, ...] = (
    Key(
        "company", Kind.TEXT, "the employer", "text", "—", "Acme Analytics", "the employer",
        required=True, written="company: {value}",
    ),
    Key(
        "role", Kind.TEXT, "the position", "text", "—", "Data Engineer", "the position",
        required=True, written="role: {value}",
    ),
    # Right under what it flags, so that it is seen beside the values to check.
    Key(
        "guessed", Kind.KEYS, "keys followup invite guessed from the invitation", "list of keys", "empty",
        "[company, role]",
        "keys `followup invite` guessed from the invitation; `followup check` warns until you remove "
        "the line", absent=(),
        written="guessed: {value}   # from the invitation: correct them if needed, then remove this line",
    ),
    Key(
        "date", Kind.WHEN, "when it starts: 2026-11-20 14:00, or 2026-11-20 when the time is not known",
        "date-time or date", "—", "2026-11-20 14:00",
        "when the interview starts, in local time; a date alone when you don't know the time yet "
        "(a note with `applied` may leave it out until an interview is set)",
        required=True, written="date: {value}            # 2026-11-20 14:00, or the date alone",
    ),
    Key(
        "round", Kind.TEXT, "this step: phone screen, technical, onsite, final...", "text", "none",
        "phone screen", "this step: phone screen, technical, onsite, final…",
        absent="", written="round: {value}               # phone screen, technical, onsite, final...",
    ),
    Key(
        "timezone", Kind.ZONE, "an IANA time zone name such as Europe/London", "IANA time zone name",
        "`timezone` from `followup.toml`", "Europe/Paris", "the zone the interview's time is in",
        written="timezone: {value}",
    ),
    Key(
        "duration", Kind.MINUTES, "length in minutes", "whole minutes", "`60`", "45",
        "how long the interview lasts", absent=60, written="duration: {value}            # minutes",
        blank="duration: 60            # minutes",
    ),
    Key(
        "location", Kind.TEXT, "address or video link", "text", "none",
        "Video call (link in the invitation)", "an address or a video link", absent="",
        written="location: {value}", blank='location: ""            # address or video link',
    ),
    Key(
        "interviewers", Kind.PEOPLE, "people you met: Jane Doe <jane@acme.example>", "list of people",
        "empty", "- Jane Doe <jane@acme.example>", "everyone who interviewed you", absent=(),
        written="interviewers:{value}",  # the value starts on the next line: a list
        blank="interviewers: []        # - Jane Doe <jane@acme.example>",
    ),
    # Before the recruiter: `followup new --after` writes what it carries over together.
    Key(
        "application", Kind.TEXT, "a name grouping several rounds (default: company and role)", "text",
        "company + role (case-insensitive)", "acme-data-2026", "groups several rounds of one application",
        absent="", written="application: {value}",
    ),
    Key(
        "recruiter", Kind.PERSON, "your recruiter, same forms as an interviewer", "a person", _LATEST,
        "Ravi Patel <ravi@talentfirm.example>",
        "your recruiter; when set, every follow-up goes to the recruiter only", inherited=True,
        written="recruiter: {value}   # every follow-up goes through them",
        blank="# recruiter: Rita Recruiter <rita@agency.example>   # then every follow-up goes through them",
    ),
    Key(
        "agency", Kind.TEXT, "the recruiter's agency", "text", _LATEST, "TalentFirm",
        "the recruiter's agency", inherited=True, absent="", written="agency: {value}", blank='# agency: ""',
    ),
    Key(
        "contact", Kind.PERSON, "who to follow up with when there is no recruiter", "a person",
        f"{_LATEST}, else the first interviewer", "Jane Doe <jane@acme.example>",
        "who to follow up with when there is no recruiter", inherited=True,
        written="contact: {value}",
        blank="# contact: Jane Doe     # who to follow up with, when there is no recruiter",
    ),
    Key(
        "reply_by", Kind.DATE, "the date they said they would get back to you", "date", "none",
        "2026-11-27", "the date they said they would get back to you",
        blank="# reply_by: 2026-11-27  # the date they said they would answer",
    ),
    Key(
        "reply_received", Kind.DATE, "the date they answered you, whatever the answer", "date", "none",
        "2026-11-26",
        "the date they answered you, whatever the answer; ends the follow-ups (unless you write a "
        "later `reply_by`) and counts towards the replies on the progress page",
    ),
    Key(
        "negotiated", Kind.DATE, "the date you answered an offer with your counter-proposal", "date",
        "none", "2026-12-03",
        "when you answered an offer with your counter-proposal; closes the negotiate reminder",
    ),
    Key(
        "impression", Kind.IMPRESSION, "good, okay or bad", "`good`, `okay` or `bad`", "`okay`", "good",
        "how it went, by your reading and theirs; `bad` means no follow-ups", absent=Impression.OKAY,
        blank="impression: okay        # good, okay or bad",
    ),
    Key(
        "may_call", Kind.FLAG, "true only when they invited a phone call", "`true` or `false`", "`false`",
        "true", "`true` only when they expressly invited a phone call", absent=False,
        blank="may_call: false         # true only when they invited a phone call",
    ),
    Key(
        "thank_you_sent", Kind.DATE, "the date your thank-you notes went out", "date", "none",
        "2026-11-20", "when your thank-you notes went out", blank="# thank_you_sent: 2026-11-20",
    ),
    Key(
        "notes_reviewed", Kind.DATE, "the date you reviewed your notes", "date", "none", "2026-11-21",
        "when you reviewed your notes", blank="# notes_reviewed: 2026-11-21",
    ),
    Key(
        "follow_ups", Kind.DATES, "the dates you followed up", "list of dates", "empty",
        "[2026-11-30, 2026-12-07]", "the dates you followed up", absent=(), blank="follow_ups: []",
    ),
    Key(
        "outcome", Kind.OUTCOME, ", ".join(o.value for o in Outcome),
        ", ".join(f"`{o.value}`" for o in list(Outcome)[:-1]) + f" or `{list(Outcome)[-1].value}`",
        "`pending`", "next-round", "what has happened since", absent=Outcome.PENDING,
        blank="outcome: pending        # " + ", ".join(o.value for o in Outcome),
    ),
    Key(
        "offer_received", Kind.DATE, "the date an offer arrived", "date", "none", "2026-12-02",
        "when an offer arrived",
    ),
    Key(
        "offer_deadline", Kind.DATE, "the date the offer expires", "date", "none", "2026-12-09",
        "when the offer expires",
    ),
    Key(
        "decided", Kind.DATE, "the date you accepted or declined the offer", "date", "none", "2026-12-08",
        "when you accepted or declined the offer (`followup outcome` records it); once you accept, "
        "every other open application gets a reminder to withdraw",
    ),
    Key(
        "applied", Kind.DATE, "the date you applied", "date", "none", "2026-11-02",
        "when you applied; a note with `applied` and no `date` is an application with no interview yet",
        written="applied: {value}     # the day you sent the application",
        blank="# applied: 2026-11-02",
    ),
    Key(
        "posting", Kind.TEXT, "the job ad's address", "text (an address)", _LATEST,
        "https://jobs.acme.example/123", "the job ad's address, a link on every page of the application",
        inherited=True, absent="", written="posting: {value}",
        blank='# posting: "https://jobs.acme.example/123"',
    ),
    Key(
        "salary", Kind.TEXT, "the pay offered or asked, as you write it", "text", _LATEST, "£60-70k",
        "the pay advertised, offered or asked, in your own words", inherited=True, absent="",
        written="salary: {value}", blank='# salary: ""',
    ),
    Key(
        "source", Kind.TEXT, "where you found the job or who referred you", "text", _LATEST,
        "referred by Sam Lee", "where you found the job, or who referred you", inherited=True, absent="",
        written="source: {value}", blank='# source: ""            # the job board, or who referred you',
    ),
    Key(
        "cancelled", Kind.DATE, "the date you learnt the interview was cancelled", "date", "none",
        "2026-11-30",
        "when the interview was cancelled (`followup invite` records it from the cancellation): its "
        "interview, prepare, thank-you and review reminders leave the calendar",
    ),
    # What `followup invite` keeps so that a later version of the invitation finds the note.
    Key(
        "invite_uid", Kind.TEXT, "the UID of the invitation this note came from", "text", "none",
        "7kukuqrh2hgb2iq7ve4ae1nd0k@google.com",
        "the calendar invitation's UID: its updates and its cancellation find the note by it",
        absent="", written="invite_uid: {value}",
    ),
    Key(
        "invite_sequence", Kind.NUMBER, "the invitation's version (its SEQUENCE), a whole number",
        "whole number", "`0`", "2", "the version of the invitation the note holds (its SEQUENCE)",
        absent=0, written="invite_sequence: {value}",
    ),
    Key(
        "invite_stamp", Kind.INSTANT, "when that version was sent (its DTSTAMP): 2026-11-20T14:03:00Z",
        "date-time", "none", "2026-11-20T14:03:00Z",
        "when that version was sent (its DTSTAMP); of two with one SEQUENCE the later counts",
        written="invite_stamp: {value}",
    ),
)

# Keys other note tools write into the same front-matter, accepted without a word: Obsidian's
# own properties (and their older singular names), MkDocs' and Material's page settings, and
# the dates note apps stamp.
OTHER_TOOLS_KEYS: frozenset[str] = frozenset({
    "tags", "tag", "aliases", "alias", "cssclasses", "cssclass", "publish", "permalink",
    "description", "image", "cover", "banner", "icon", "template", "hide", "search",
    "created", "updated", "modified", "date_created", "date_modified", "uuid", "id",
})

# Words people use for a key under another name: the warning names the key meant.
SYNONYMS: dict[str, str] = {
    "status": "outcome", "result": "outcome", "stage": "outcome", "state": "outcome",
    "employer": "company", "organisation": "company", "organization": "company", "company_name": "company",
    "position": "role", "job": "role", "job_title": "role", "title": "role",
    "when": "date", "datetime": "date", "interview_date": "date", "day": "date",
    "interviewer": "interviewers", "panel": "interviewers", "with": "interviewers",
    "where": "location", "place": "location", "venue": "location",
    "meeting_link": "location", "zoom": "location",
    "tz": "timezone", "zone": "timezone", "time_zone": "timezone",
    "length": "duration", "minutes": "duration",
    "url": "posting", "job_url": "posting", "job_link": "posting", "job_ad": "posting", "ad": "posting",
    "listing": "posting",
    "pay": "salary", "compensation": "salary", "rate": "salary",
    "referral": "source", "referred_by": "source", "found_via": "source", "channel": "source",
    "applied_on": "applied", "date_applied": "applied", "applied_date": "applied", "application_date": "applied",
    "deadline": "offer_deadline", "offer_date": "offer_received",
    "thanked": "thank_you_sent", "thank_you": "thank_you_sent", "reviewed": "notes_reviewed",
    "followed_up": "follow_ups", "follow_up": "follow_ups", "followups": "follow_ups",
    "recruiter_agency": "agency", "reply": "reply_received", "answered": "reply_received",
}

BY_NAME: dict[str, Key] = {key.name: key for key in NOTE_KEYS}
REQUIRED: tuple[str, ...] = tuple(key.name for key in NOTE_KEYS if key.required)
INHERITED: tuple[str, ...] = tuple(key.name for key in NOTE_KEYS if key.inherited)


def guide_row(key: Key) -> str:
    """The key's row in the table of docs/howto/notes.md."""
    kind = f"{key.type}, **required**" if key.required else key.type
    return f"| `{key.name}` | {kind} | {key.default} | `{key.example}` | {key.explained} |"
