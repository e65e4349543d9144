"""What `followup mail` does: the notes as matching needs them, the user's mail read, what it
says the notes should record, and, when asked, those dates written into the notes.

Writing is the same locked, byte-preserving edit as `followup done`'s, with one more check: the
note read under its lock must still be the note the proposals were made from (a scan of a
large mailbox takes seconds, and an editor may save the note meanwhile), and a date the note
holds is never replaced.
"""

from __future__ import annotations

import dataclasses
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from followup import services
from followup.cache import cache_dir, private_folder
from followup.errors import FollowupError
from followup.mail import scan
from followup.mail.match import Contact, Proposal, Proposals, Round, propose
from followup.note import edit
from followup.note.model import Interview, Person
from followup.note.read import workspace_notes
from followup.plan.applications import group
from followup.workspace import Workspace

ME_MISSING = (
    'followup.toml does not say which addresses are yours: add me = ["you@example.com"] '
    "(every address you send from), so that your own messages can be told from theirs"
)


_NEVER = datetime(1, 1, 2, tzinfo=UTC)  # sorts a message without a date first


class NotMail(FollowupError):
    """A path given to read is neither a Maildir folder nor an mbox file."""


@dataclass(frozen=True, slots=True)
class Review:
    """What the mail says, and what was left out on the way."""

    proposals: Proposals
    left_out: tuple[str, ...]  # notes with errors, not looked at
    warnings: tuple[str, ...]  # one line each: what could not be read, and why
    read: int  # messages whose header this run read
    reused: int  # messages known from an earlier run
    notes: dict[str, Interview]  # the notes the proposals were made from, by path
    invitation_files: tuple[str | None, ...]  # the file of each invitation (None in an mbox file)


@dataclass(frozen=True, slots=True)
class Applied:
    """What `apply` did: each proposal written, each one kept out, each note refused."""

    written: list[Proposal]
    kept: list[tuple[Proposal, date]]  # the note already holds this date for the key
    refused: list[tuple[str, str]]  # (note path, why nothing was written to it)


def check_folders(paths: Iterable[str]) -> list[str]:
    """The paths (`~` expanded, made absolute), each a Maildir folder or an mbox file; NotMail
    names the first that is not."""
    checked = []
    for given in paths:
        path = os.path.abspath(os.path.expanduser(given))
        if os.path.isdir(path):
            if not scan.is_maildir(path):
                raise NotMail(_not_a_maildir(path))
        elif not os.path.exists(path):
            raise NotMail(f"{path} does not exist")
        elif not os.path.isfile(path) or not _may_be_mbox(path):
            raise NotMail(f"{path} is neither a Maildir folder nor an mbox file (whose first line starts with 'From ')")
        checked.append(path)
    return checked


def _not_a_maildir(path: str) -> str:
    try:
        inside = sorted(entry.name for entry in os.scandir(path) if entry.is_dir() and scan.is_maildir(entry.path))
    except OSError:
        inside = []
    message = f"{path} is a folder but not a Maildir (a Maildir holds cur/ and new/)"
    if inside:
        listed = ", ".join(inside[:5]) + (", ..." if len(inside) > 5 else "")
        message += f"; it holds the Maildir folders {listed}: give those"
    return message


def _may_be_mbox(path: str) -> bool:
    try:
        with open(path, "rb") as stream:
            start = stream.read(5)
    except OSError:
        return True  # the scan says why it cannot be read
    return start in (b"", b"From ")


def configured_folders(workspace: Workspace) -> list[str]:
    """`[mail] folders` of followup.toml, `~` expanded, relative ones from the workspace."""
    return [str(workspace.root / os.path.expanduser(folder)) for folder in workspace.config.mail_folders]


def record_dir(workspace: Workspace) -> Path | None:
    """The folder of the scan's record, in the user's cache outside the workspace (0700)."""
    base = cache_dir(workspace.root)
    if base is None:
        return None
    folder = base / "mail"
    try:
        private_folder(base)
        private_folder(folder)
    except OSError:
        pass  # the scan says it cannot keep its record there, and reads every message
    return folder


def rounds(interviews: Iterable[Interview]) -> list[Round]:
    """Each interview as matching needs it, with what its round takes from earlier ones
    (recruiter, agency, contact). An application with no interview yet, and an interview that
    was cancelled, have nothing to thank anyone for or follow up: they are left out."""
    found = []
    for application in group(interviews):
        for interview in application.rounds:
            if interview.scheduled and interview.cancelled is None:
                found.append(round_of(interview, latest=application.is_latest(interview)))
    return found


def round_of(interview: Interview, *, latest: bool) -> Round:
    if interview.start is None or interview.end is None:  # the day alone: nothing before its end counts
        end = datetime.combine(interview.day + timedelta(days=1), time(0), tzinfo=interview.zone)
    else:
        end = interview.end
    people = [_contact(person, "interviewer") for person in interview.interviewers]
    people += [_contact(person, role) for person, role in ((interview.recruiter, "recruiter"),
                                                           (interview.contact, "contact")) if person]
    # An agency's domain is not the company's: its recruiters write about other jobs too.
    own = [p for p in people if not (p.role == "recruiter" and interview.agency)]
    domains = sorted({domain for person in own if (domain := services.company_domain(person.email))})
    return Round(
        path=interview.path, company=interview.company, end=end, people=tuple(people),
        thank_you_sent=interview.thank_you_sent, reply_received=interview.reply_received,
        follow_ups=interview.follow_ups, invite_uid=interview.invite_uid,
        latest=latest, domains=tuple(domains),
    )


def _contact(person: Person, role: str) -> Contact:
    return Contact(person.name, person.email, role)


def review(workspace: Workspace, paths: Sequence[str], *, now: datetime) -> Review:
    """What the mail at `paths` (checked with `check_folders`) says the notes should record;
    `config.me` must name the user's addresses (the command says so first)."""
    config = workspace.config
    notes = workspace_notes(workspace, keep_going=True)
    left_out = tuple(sorted({problem.path for problem in notes.errors}))
    found = scan.scan(paths, record_dir(workspace))  # None, no home for a cache: every message read again
    proposals = propose(found.messages, rounds(notes.interviews), config.me, zone=config.zone, now=now)
    return Review(
        proposals, left_out, tuple(warning.replace("\n", "\\n") for warning in found.warnings),
        found.read, found.reused, {interview.path: interview for interview in notes.interviews},
        tuple(scan.maildir_files(proposals.invitations)),
    )


def by_note(found: Proposals) -> dict[str, tuple[list[Proposal], list[Contact]]]:
    """The proposals (in the order of their messages) and the interviewers not thanked yet, by
    note, in the order of paths."""
    grouped: dict[str, tuple[list[Proposal], list[Contact]]] = defaultdict(lambda: ([], []))
    for proposal in sorted(found.proposals, key=lambda p: (p.path, p.value, p.reason.date or _NEVER, p.key)):
        grouped[proposal.path][0].append(proposal)
    for path, person in found.unthanked:
        grouped[path][1].append(person)
    return {path: grouped[path] for path in sorted(grouped)}


def apply(workspace: Workspace, found: Review) -> Applied:
    """Write each note's proposals in one edit, holding the note's lock. A note that is no
    longer what the proposals were made from is refused whole; a key that holds a date keeps
    it. Every other note is written all the same."""
    written: list[Proposal] = []
    kept: list[tuple[Proposal, date]] = []
    refused: list[tuple[str, str]] = []
    for path, (proposals, _) in by_note(found.proposals).items():
        if not proposals:
            continue
        try:
            done, already = _write(workspace, found.notes[path], proposals)
        except edit.EditError as error:
            refused.append((path, str(error)))
            continue
        written += done
        kept += already
    return Applied(written, kept, refused)


def _write(
    workspace: Workspace, read: Interview, proposals: list[Proposal]
) -> tuple[list[Proposal], list[tuple[Proposal, date]]]:
    shown = read.path
    chosen: list[Proposal] = []
    already: list[tuple[Proposal, date]] = []

    def changes(current: Interview) -> list[edit.Change]:
        if dataclasses.replace(current, slug=read.slug) != read:
            raise edit.EditError(
                f"{shown} changed since followup mail read it (saved in an editor?); nothing "
                "written to it, run followup mail again"
            )
        for proposal in proposals:
            held = getattr(current, proposal.key)
            if proposal.key != "follow_ups" and held is not None:  # never replaced
                already.append((proposal, held))
            elif not (proposal.key == "follow_ups" and proposal.value in held):
                chosen.append(proposal)
        return [
            edit.AppendItem(p.key, p.value) if p.key == "follow_ups" else edit.SetValue(p.key, p.value)
            for p in chosen
        ]

    try:
        edit.record(workspace.root / shown, changes, shown, workspace.config.timezone)
    except FileNotFoundError:
        raise edit.EditError(f"{shown} was removed; nothing written to it") from None
    return chosen, already
