"""The note `followup new` writes: every key, the unused ones commented out."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from followup.errors import FollowupError
from followup.note.dates import DateError, parse_when
from followup.note.model import Interview, Person
from followup.note.schema import INHERITED, NOTE_KEYS


@dataclass(frozen=True, slots=True)
class Carried:
    """What a next round takes from the round before it (`followup new --after`)."""

    round: str = ""
    application: str = ""
    recruiter: Person | None = None
    agency: str = ""
    contact: Person | None = None
    posting: str = ""
    salary: str = ""
    source: str = ""
    earlier: bool = False  # a round after another: the application was sent already

    @classmethod
    def after(cls, previous: Interview, round_name: str) -> Carried:
        """What the round after `previous` (as its application sees it) starts with."""
        default_key = " ".join(f"{previous.company} / {previous.role}".casefold().split())
        return cls(
            round=round_name,
            application=previous.application if previous.application != default_key else "",
            recruiter=previous.recruiter,
            agency=previous.agency,
            contact=previous.contact,
            posting=previous.posting,
            salary=previous.salary,
            source=previous.source,
            earlier=True,
        )


def create_note(
    notes_dir: Path, company: str, role: str, when: str, timezone: str, carried: Carried,
    *, applied: bool = False,
) -> Path:
    """Write a new note (never over an existing file) and return its path.

    `when` is the date as the user wrote it: a DateError says what is wrong with it, a
    ValueError that company or role is empty. With `applied`, `when` is the day of the
    application and the note has no interview date yet."""
    moment = parse_when(when, ZoneInfo(timezone))
    if applied and isinstance(moment, datetime):
        raise DateError(f"'{when}': the day you applied is a date alone, such as 2026-11-02")
    if not clean_text(company) or not clean_text(role):
        raise ValueError("company and role must not be empty")
    day = moment.date() if isinstance(moment, datetime) else moment
    path = new_note_path(notes_dir, company, role, day, carried.round)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as stream:
        stream.write(note_text(company, role, when.strip(), timezone, carried, applied=applied))
    return path


# Characters an address list reads as structure: a name holding one is written as a mapping.
_LIST_MARKS = frozenset(',;<>"\\()[]:@')


def person_yaml(person: Person) -> str:
    """A person as a one-line YAML value: `"Jane Doe <jane@x.example>"` (the address alone when
    there is no name), or a flow mapping when there is a title or a phone, or the name holds
    marks an address list reads as structure (`Doe, Jane`)."""
    if not (person.title or person.phone or _LIST_MARKS & set(person.name)):
        text = f"{person.name} <{person.email}>" if person.email and person.name else person.name or person.email
        return yaml_string(clean_text(text))
    fields = {"name": person.name, "title": person.title, "email": person.email, "phone": person.phone}
    return "{" + ", ".join(f"{k}: {yaml_string(clean_text(v))}" for k, v in fields.items() if v) + "}"


def note_text(
    company: str, role: str, when: str, timezone: str, carried: Carried | None = None, *,
    applied: bool = False, known: Mapping[str, str] | None = None, appendix: str = "",
) -> str:
    """The new note: each declared key's line, its value when known, else its example.

    With `applied`, `when` is the day of the application and the date line is left out
    (the note is an application with no interview yet). `known` gives more keys' values,
    already written as YAML (`followup invite` knows the duration, the place, the
    people...); `appendix` is Markdown added after the template's headings."""
    carried = carried or Carried()
    given = {
        "company": yaml_string(clean_text(company)),
        "role": yaml_string(clean_text(role)),
        "applied" if applied else "date": when,
        "round": yaml_string(clean_text(carried.round)),
        "timezone": timezone,
    }
    if carried.application:
        given["application"] = yaml_string(clean_text(carried.application))
    if carried.recruiter:
        given["recruiter"] = person_yaml(carried.recruiter)
    if carried.agency:
        given["agency"] = yaml_string(clean_text(carried.agency))
    if carried.contact:
        given["contact"] = person_yaml(carried.contact)
    for name in ("posting", "salary", "source"):
        if getattr(carried, name):
            given[name] = yaml_string(clean_text(getattr(carried, name)))
    given.update(known or {})
    # What an earlier round hands on replaces the whole block of examples for it.
    handed_on = ("application", *INHERITED)
    from_earlier = any(name in given for name in handed_on)
    lines = []
    for key in NOTE_KEYS:
        if applied and key.name not in APPLICATION_KEYS:
            continue
        if key.name in given and key.written is not None:
            lines.append(key.written.format(value=given[key.name]))
        elif applied and key.name == "date":
            lines.append("# date: 2026-12-01 10:00  # the interview, once they invite you")
        elif key.name == "applied" and carried.earlier:
            continue
        elif key.blank is not None and not (from_earlier and key.name in handed_on):
            lines.append(key.blank)
    front = "".join(f"{line}\n" for line in lines)
    tail = "\n" + appendix.strip("\n") + "\n" if appendix.strip() else ""
    return f"---\n{front}---\n\n{APPLICATION_BODY if applied else INTERVIEW_BODY}{tail}"


# An application with no interview yet has no round, interviewers or thank-yous to note.
APPLICATION_KEYS = frozenset({
    "company", "role", "date", "timezone", "recruiter", "agency", "contact", "outcome",
    "applied", "posting", "salary", "source",
})

INTERVIEW_BODY = """## Before

- What they do, recent news:
- My questions for them:

## During

- Who I met (names, titles):
- What they said about next steps and timing:

## After

- What went well:
- What to improve:
- To mention in the thank-you:
"""


# Characters a YAML double-quoted scalar carries only as escapes: controls (line breaks among
# them), format characters (bidi overrides, byte-order marks), private-use and unassigned
# ones, line and paragraph separators. Written raw, some would end the value's line, and a
# YAML reader refuses others outright.
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Zl", "Zp"})
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

APPLICATION_BODY = """## The job

- What they do, and why this role:
- What the ad asks for, and where I match it:

## What I sent

- CV and cover letter (which version):
- Who I know there:
"""


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar holding exactly `text`, always on one line and inert: a
    backslash, a quote and every control or format character written as an escape (a lone
    surrogate, which no UTF-8 file can hold, is dropped)."""
    if text.isprintable() and "\\" not in text and '"' not in text:
        return f'"{text}"'
    return '"' + "".join(map(_yaml_char, text)) + '"'


def _yaml_char(ch: str) -> str:
    if ch in '\\"':
        return "\\" + ch
    category = unicodedata.category(ch)
    if category == "Cs":
        return ""
    if ch in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[ch]
    if category in _ESCAPED_CATEGORIES:
        code = ord(ch)
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    return ch


_JOINERS = {"\u200c", "\u200d"}  # needed inside words of some scripts and in emoji
_MAX_PART_BYTES = 80  # two parts and a date stay far below the usual 255-byte limit


def clean_text(text: str) -> str:
    """Printable text on one line: control, format and unpaired surrogate characters dropped."""
    kept = "".join(
        ch for ch in text if ch in _JOINERS or unicodedata.category(ch)[0] not in ("C",)
    )
    return " ".join(kept.split())


def safe_name(text: str) -> str:
    """Readable, file-system-safe: letters of any script kept, separators and controls dropped.

    The result has no `/`, no `..`, no leading dot and no control character.
    """
    text = unicodedata.normalize("NFKC", clean_text(text)).lower()
    text = "".join(ch if _keep(ch) else "-" for ch in text)
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"-{2,}", "-", text).strip(".-_")
    while len(text.encode("utf-8")) > _MAX_PART_BYTES:
        text = text[:-1]
    return text.strip(".-_")


def _keep(ch: str) -> bool:
    return ch.isalnum() or ch in "._" or unicodedata.category(ch)[0] == "M"


def new_note_path(notes_dir: Path, company: str, role: str, day: date, round_name: str = "") -> Path:
    parts = [day.isoformat(), safe_name(company) or "interview", safe_name(role), safe_name(round_name)]
    stem = "-".join(p for p in parts if p)
    path = notes_dir / f"{stem}.md"
    if path.parent != notes_dir or path.exists():
        raise FollowupError(f"{path} already exists; edit it, or give another --date or role")
    return path
