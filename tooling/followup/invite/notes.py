"""What an invitation does to the notes: a new one starts a note, a later version of one
already imported moves its note, a cancellation marks it cancelled; an older or identical
version changes nothing.

A note records the invitation it came from (`invite_uid`) and the version it holds
(`invite_sequence`, `invite_stamp`): versions are ordered by SEQUENCE, then by DTSTAMP, as
Google sends some updates with the same SEQUENCE and a later stamp. A new note is written as
`followup new` writes one; an existing note is changed with the byte-preserving edit of
`followup done`, and only in its date, zone, length and place (the user may have corrected
the rest). Everything taken from the invitation is someone else's text: every value is one
escaped YAML scalar, and the title and description go below the front-matter as an indented
block, which Markdown shows as text.
"""

from __future__ import annotations

import shlex
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from followup.errors import FollowupError
from followup.invite import text
from followup.invite.guess import guess_company, guess_role
from followup.invite.parse import Invitation, InvitationError
from followup.note import edit
from followup.note.addresses import is_email
from followup.note.dates import DateError, parse_when, shown_time
from followup.note.files import slug_for
from followup.note.model import Interview, Person
from followup.note.parse import parse_note
from followup.note.read import NoteSet
from followup.note.schema import MAX_NOTE_BYTES, MAX_PEOPLE, MAX_VALUE_CHARS
from followup.note.template import clean_text, new_note_path, note_text, person_yaml, yaml_string
from followup.workspace import Workspace

# The most a note's `invite_sequence` holds; a SEQUENCE beyond it counts as it.
MAX_SEQUENCE = 999_999_999
_EARLIEST = datetime.min.replace(tzinfo=UTC)
_DEFAULT_MINUTES = 60
_JOINERS = frozenset("\u200c\u200d")


@dataclass(frozen=True, slots=True)
class Imported:
    """What importing one invitation did, as the command line reports it."""

    message: str  # one line, naming the invitation's file
    warnings: tuple[str, ...] = ()


def choose(found: list[Invitation], source: str, *, uid: str | None, every: bool) -> list[Invitation]:
    """The invitations to import from one file: its one event, every one (`every`), or the one
    with `uid`. Several and neither: a FollowupError listing them."""
    if uid is not None:
        chosen = [inv for inv in found if inv.uid == uid.strip()]
        if not chosen:
            raise InvitationError(source, f"no event has the UID {uid.strip()}; its events:\n{listing(found)}")
        return chosen
    if every or len(found) == 1:
        return found
    raise InvitationError(
        source, f"it holds {len(found)} events; import them all with --all, or one with --uid UID:\n{listing(found)}"
    )


def listing(found: list[Invitation]) -> str:
    """The events of a file, one a line: when, title, and the option that picks it."""
    return "\n".join(
        f"  {_shown(inv.start, inv.zone) if inv.start else 'no time'} · "
        f"{text.one_line(inv.summary)[:80] or '(no title)'} · --uid {shlex.quote(inv.uid)}"
        for inv in found
    )


def import_invitation(
    inv: Invitation, workspace: Workspace, notes: NoteSet, today: date, *, company: str = "", role: str = ""
) -> Imported:
    """Create, move or cancel the note of `inv` (`notes`: the workspace's notes as read now;
    `today`: the day a cancellation is recorded). `company` and `role` name a new note's
    employer and position; left empty, they are guessed and marked `guessed`."""
    note = matching_note(inv, workspace, notes)
    if note is None and inv.cancelled:
        return Imported(
            f"{_source(inv)}: this cancels an invitation that no note holds (UID {text.one_line(inv.uid)}); "
            "nothing to cancel, nothing written",
        )
    if note is None:
        return _create(inv, workspace, company.strip(), role.strip())
    if inv.cancelled:
        return _cancel(inv, note, workspace, today)
    return _update(inv, note, workspace)


def matching_note(inv: Invitation, workspace: Workspace, notes: NoteSet) -> Interview | None:
    """The note holding this invitation (by its UID), or None. A note with errors cannot be
    read, so one whose text holds the UID stops the import rather than a second note start."""
    found = [interview for interview in notes.interviews if interview.invite_uid == inv.uid]
    if len(found) > 1:
        paths = ", ".join(interview.path for interview in found)
        raise InvitationError(
            inv.source,
            f"the notes {paths} all hold this invitation (its invite_uid); keep it in one, remove it from "
            "the others, then import again",
        )
    if found:
        return found[0]
    readable = {interview.path for interview in notes.interviews}
    needles = {inv.uid.encode("utf-8"), yaml_string(inv.uid)[1:-1].encode("utf-8")}
    for shown in notes.files:
        if shown in readable:
            continue
        try:
            with open(workspace.root / shown, "rb") as stream:
                data = stream.read(MAX_NOTE_BYTES + 1)
        except OSError:
            continue
        if any(needle in data for needle in needles):
            raise InvitationError(
                inv.source,
                f"{shown} seems to hold this invitation but has errors, so it cannot be matched; fix them "
                "(followup check), then import again",
            )
    return None


# -- a new note ---------------------------------------------------------------------------


def _create(inv: Invitation, workspace: Workspace, company: str, role: str) -> Imported:
    config = workspace.config
    warnings: list[str] = []
    guessed = []
    if not company:
        company = guess_company(inv, config.me)
        guessed.append("company")
        if not clean_text(company):
            raise InvitationError(
                inv.source,
                "the company could not be told from the invitation (nobody in it writes from a company's "
                "own address); give it with --company NAME",
            )
    if not role:
        role = guess_role(inv, company)
        guessed.append("role")
        if not clean_text(role):
            title = f" (“{text.one_line(inv.summary)[:80]}”)" if inv.summary.strip() else ""
            raise InvitationError(
                inv.source, f"the role could not be told from the invitation's title{title}; give it with --role NAME"
            )
    if not clean_text(company) or not clean_text(role):
        raise InvitationError(inv.source, "--company and --role must not be empty")
    start = inv.start
    if start is None:  # only a cancellation lacks a start, and it never starts a note
        raise InvitationError(inv.source, "the invitation gives no start time")
    zone = inv.zone if isinstance(start, datetime) else config.timezone
    when = _when_text(inv, start, zone)
    known = {"invite_uid": yaml_string(inv.uid), "invite_sequence": str(min(inv.sequence, MAX_SEQUENCE))}
    if guessed:
        known["guessed"] = "[" + ", ".join(guessed) + "]"
    if inv.stamp is not None and 1900 <= inv.stamp.year <= 2100:
        known["invite_stamp"] = f"{inv.stamp.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
    if isinstance(start, datetime):
        if 1 <= inv.duration <= 24 * 60:
            known["duration"] = str(inv.duration)
        else:
            warnings.append(
                f"the note says {_DEFAULT_MINUTES} minutes, followup's default, as the invitation gives no "
                "usable length; correct `duration` if you know it"
            )
    location = _one_line(inv.location)
    if location:
        known["location"] = yaml_string(location)
    people, more = _interviewers(inv, config.me)
    warnings += more
    if people:
        known["interviewers"] = "".join(f"\n  - {person}" for person in people)
    day = start.astimezone(ZoneInfo(zone)).date() if isinstance(start, datetime) else start
    path = _free_path(workspace.notes_dir, company, role, day)
    shown = workspace.relative(path)
    note = note_text(company, role, when, zone, known=known, appendix=invitation_text(inv))
    problem = _read_back(note, path, workspace, inv)
    if problem:
        # Markdown the note could not hold (thousands of `[`, tags never closed): the
        # description stays in the invitation, not in the note.
        note = note_text(company, role, when, zone, known=known, appendix=invitation_text(inv, description=False))
        warnings.append("the invitation's description was left out of the note: Markdown could not read it in time")
        problem = _read_back(note, path, workspace, inv)
    if problem:
        raise InvitationError(inv.source, f"the note made from it would not read back as it should ({problem})")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as stream:
        stream.write(note)
    said = f"{_source(inv)}: created {shown}: {_shown(start, zone, config.timezone)}"
    said += f", {inv.duration} minutes" if "duration" in known else ""
    if guessed:
        values = " and ".join(f"{key} “{clean_text(value)}”" for key, value in (("company", company), ("role", role))
                              if key in guessed)
        warnings.append(
            f"{values} {'were' if len(guessed) > 1 else 'was'} guessed from the invitation: check "
            f"{'them' if len(guessed) > 1 else 'it'} in {shown}, then remove its line `guessed: …` "
            "(followup check reminds you until then)"
        )
    return Imported(said, tuple(warnings))


def _read_back(note: str, path: Path, workspace: Workspace, inv: Invitation) -> str:
    """'' when `note` parses without error to the invitation's UID, version and start; else
    what is wrong."""
    relative = path.relative_to(workspace.notes_dir).as_posix()
    interview, problems = parse_note(
        note.encode("utf-8"), workspace.relative(path), slug_for(relative), workspace.config.timezone
    )
    errors = [problem.message for problem in problems if problem.severity == "error"]
    if interview is None or errors:
        return errors[0] if errors else "it does not parse"
    if interview.invite_uid != inv.uid or not _same_moment(interview, inv.start):
        return "its UID or its time came out differently"
    return ""


def _when_text(inv: Invitation, start: datetime | date, zone: str) -> str:
    """The note's `date`: the wall time in the note's zone, with its offset only when the
    wall time alone is ambiguous (a clock change); the date alone for an all-day event."""
    try:
        if not isinstance(start, datetime):
            parse_when(start.isoformat(), ZoneInfo(zone))
            return start.isoformat()
        local = start.astimezone(ZoneInfo(zone))
        wall = f"{local:%Y-%m-%d %H:%M}" + (f":{local.second:02d}" if local.second else "")
        read = parse_when(wall, ZoneInfo(zone))
        if not isinstance(read, datetime) or read.timestamp() != start.timestamp():
            return local.isoformat(sep=" ", timespec="seconds" if local.second else "minutes")
        return wall
    except DateError as error:
        raise InvitationError(inv.source, f"its date cannot go in a note: {error}") from None


def _free_path(notes_dir: Path, company: str, role: str, day: date) -> Path:
    """The name `followup new` gives the note, or with -2, -3... when that one is taken."""
    for suffix in ("", *(str(n) for n in range(2, 100))):
        try:
            return new_note_path(notes_dir, company, role, day, suffix)
        except FollowupError:
            continue
    raise FollowupError(f"too many notes for {company}, {role} on {day}; rename some")


def _interviewers(inv: Invitation, me: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The organizer and the attendees as YAML list items, the user left out; and warnings."""
    mine = {address.casefold() for address in me}
    people = [*([inv.organizer] if inv.organizer else []), *inv.attendees]
    items: list[str] = []
    seen: set[str] = set()
    left_out_self = False
    for person in people:
        if person.email and person.email.casefold() in mine:
            left_out_self = True
            continue
        email = person.email if is_email(person.email) else ""
        name = _one_line(person.name)
        key = email.casefold() or name.casefold()
        if not key or key in seen:
            continue
        seen.add(key)
        items.append(person_yaml(Person(name, email)))
    warnings = []
    if len(items) > MAX_PEOPLE:
        warnings.append(f"the invitation names {len(items)} people; the note keeps the first {MAX_PEOPLE}")
        items = items[:MAX_PEOPLE]
    if items and not me and not left_out_self:
        warnings.append(
            "set `me` in followup.toml (me = [\"you@example.com\"]) so that your own address is left out "
            "of the interviewers"
        )
    return items, warnings


def invitation_text(inv: Invitation, *, description: bool = True) -> str:
    """The invitation's title and description below the notes: an indented block, which
    Markdown shows as text, whatever it holds (`---`, links, HTML), with every line break and
    control character of the original reduced to plain lines."""
    block = [f"Title: {line}" for line in _plain_lines(text.one_line(inv.summary))]
    if description and inv.description.strip():
        block += ["", *_plain_lines(inv.description)]
    if not block:
        return ""
    indented = "\n".join(f"    {line}" if line else "" for line in block)
    return f"## Invitation\n\nAs the invitation said it (imported by `followup invite`):\n\n{indented}\n"


def _plain_lines(value: str) -> list[str]:
    """`value` as lines: every kind of line break a line end, control, format and private
    characters dropped, at most one blank line in a row."""
    lines: list[str] = []
    for raw in value.splitlines():
        line = "".join(
            ch for ch in raw.expandtabs(4)
            if ch in _JOINERS or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp")
        ).rstrip()
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return lines


# -- a known note -------------------------------------------------------------------------


def _version(sequence: int, stamp: datetime | None) -> tuple[int, datetime]:
    return (min(sequence, MAX_SEQUENCE), stamp or _EARLIEST)


def _compare(inv: Invitation, note: Interview) -> int:
    """-1, 0 or 1 as the invitation is older than, the same as or newer than what the note holds."""
    mine, theirs = _version(inv.sequence, inv.stamp), _version(note.invite_sequence, note.invite_stamp)
    return (mine > theirs) - (mine < theirs)


def _version_changes(inv: Invitation) -> list[edit.Change]:
    changes: list[edit.Change] = [edit.SetValue("invite_sequence", min(inv.sequence, MAX_SEQUENCE))]
    if inv.stamp is not None and 1900 <= inv.stamp.year <= 2100:
        changes.append(edit.SetValue("invite_stamp", inv.stamp.astimezone(UTC)))
    return changes


def _older(inv: Invitation, note: Interview) -> Imported:
    if inv.sequence == note.invite_sequence and inv.stamp is not None and note.invite_stamp is not None:
        held, given = note.invite_stamp.astimezone(UTC), inv.stamp.astimezone(UTC)
        versions = f"sent {held:%Y-%m-%d %H:%M} UTC) than this one (sent {given:%Y-%m-%d %H:%M} UTC"
    else:
        versions = f"SEQUENCE {note.invite_sequence}) than this one (SEQUENCE {inv.sequence}"
    return Imported(
        f"{_source(inv)}: {note.path} holds a later version of this invitation ({versions}); nothing changed",
    )


def _update(inv: Invitation, note: Interview, workspace: Workspace) -> Imported:
    order = _compare(inv, note)
    if order < 0:
        return _older(inv, note)
    if order == 0:
        return Imported(
            f"{_source(inv)}: {note.path} is already up to date with this invitation; nothing changed",
        )
    config = workspace.config
    start = inv.start
    assert start is not None  # only a cancellation may lack a start
    zone = inv.zone if isinstance(start, datetime) else note.timezone
    changes = _version_changes(inv)
    said = []
    if not _same_moment(note, start):
        changes.append(edit.SetValue("date", _when_text(inv, start, zone)))
        before = note.start or note.day
        said.append(f"moved from {_shown(before, note.timezone, config.timezone)} to "
                    f"{_shown(start, zone, config.timezone)}")
    if isinstance(start, datetime) and zone != note.timezone:
        changes.append(edit.SetValue("timezone", zone))
    if isinstance(start, datetime) and 1 <= inv.duration <= 24 * 60 and inv.duration != note.duration:
        changes.append(edit.SetValue("duration", inv.duration))
        said.append(f"now {inv.duration} minutes (was {note.duration})")
    location = _one_line(inv.location)
    if location and location != note.location:
        changes.append(edit.SetValue("location", location))
        said.append(f"the place is now {location}")
    if note.cancelled is not None:
        changes.append(edit.SetValue("cancelled", None))
        said.append("no longer cancelled")
    edit.record(workspace.root / note.path, changes, note.path, config.timezone)
    if not said:
        said.append(f"the time, length and place are unchanged (now at the invitation's version {inv.sequence})")
    return Imported(f"{_source(inv)}: {note.path} {'; '.join(said)}")


def _cancel(inv: Invitation, note: Interview, workspace: Workspace, today: date) -> Imported:
    if _compare(inv, note) < 0:
        return _older(inv, note)
    if note.cancelled is not None:
        return Imported(
            f"{_source(inv)}: {note.path} is already marked cancelled (on {note.cancelled}); nothing changed",
        )
    changes = [edit.SetValue("cancelled", today), *_version_changes(inv)]
    edit.record(workspace.root / note.path, changes, note.path, workspace.config.timezone)
    when = _shown(note.start or note.day, note.timezone, workspace.config.timezone)
    return Imported(
        f"{_source(inv)}: {note.path} cancelled (the interview of {when}): its interview, prepare, thank-you "
        "and review reminders leave the calendar; ask them for a new date",
    )


# -- helpers ------------------------------------------------------------------------------


def _same_moment(note: Interview, start: datetime | date | None) -> bool:
    if isinstance(start, datetime):
        return note.start is not None and note.start.timestamp() == start.timestamp()
    return note.start is None and note.day == start


def _shown(moment: datetime | date, zone: str, user_zone: str = "") -> str:
    """`Thu 03 Dec 14:00` in the user's zone (and the interview's own time beside it when it
    is elsewhere); `Thu 03 Dec 2026` for a day alone."""
    if not isinstance(moment, datetime):
        return f"{moment:%a %d %b %Y}"
    if not user_zone:
        return f"{moment.astimezone(ZoneInfo(zone)):%a %d %b %Y %H:%M}"
    return shown_time(moment, ZoneInfo(user_zone), "%a %d %b %H:%M", zone)


def _one_line(value: str) -> str:
    """A value for the front-matter: one line of printable text, within a value's limit."""
    return clean_text(text.one_line(value))[:MAX_VALUE_CHARS]


def _source(inv: Invitation) -> str:
    return text.one_line(inv.source)
