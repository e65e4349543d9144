"""The Org-mode peer: the same notes as Org files, exported by Emacs to one iCalendar file.

Each note becomes an Org file with one entry for the interview and one per open reminder
(SCHEDULED or DEADLINE), following SPEC.md's rules with their default settings, and
``emacs --batch`` runs ``org-icalendar-combine-agenda-files`` over them.
Usage: ``python benchmarks/org_peer.py WORKSPACE [--org-dir DIR] [--single-file]``.
Org timestamps carry no time zone, so every time is taken as the note's local time.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from limit import note_paths, read_front_matter

TODAY = date(2026, 11, 26)
REMINDER_HOUR = 9
PREPARE_DAYS = 2
FOLLOW_UP_DAYS = 7
MAX_FOLLOW_UPS = 2
UID_NAMESPACE = uuid.UUID("6f1c1f64-7d1e-4c55-9a43-0d7f5c1e2b10")
WHEN = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2}))?")


@dataclass(frozen=True)
class Note:
    path: Path
    meta: dict[str, Any]
    body: str
    day: date
    start: datetime | None  # None when the note gives a date alone

    @property
    def application(self) -> str:
        default = f"{self.meta['company']} {self.meta['role']}"
        return str(self.meta.get("application") or default).casefold()

    @property
    def end(self) -> datetime | None:
        minutes = int(self.meta.get("duration") or 60)
        return self.start + timedelta(minutes=minutes) if self.start else None


@dataclass(frozen=True)
class Entry:
    """One Org heading with one planning timestamp."""

    title: str
    keyword: str  # SCHEDULED or DEADLINE
    start: datetime | date
    end: datetime | None = None
    todo: bool = True
    text: str = ""


def parse_when(value: object) -> tuple[date, datetime | None]:
    match = WHEN.match(str(value))
    if not match:
        raise ValueError(f"not a date: {value!r}")
    day = date.fromisoformat(match[1])
    if match[2] is None:
        return day, None
    return day, datetime(day.year, day.month, day.day, int(match[2]), int(match[3]))  # noqa: DTZ001 (Org times are wall-clock)


def parse_day(value: object) -> date:
    return parse_when(value)[0]


def load_note(path: Path) -> Note:
    meta, body = read_front_matter(path)
    day, start = parse_when(meta["date"])
    return Note(path, meta, body, day, start)


def business_day(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def at_hour(day: date, hour: int = REMINDER_HOUR) -> datetime:
    return datetime(day.year, day.month, day.day, hour)  # noqa: DTZ001 (Org times are wall-clock)


def after_interview(note: Note) -> datetime:
    return note.end + timedelta(hours=1) if note.end else at_hour(note.day, 18)


def contact_of(note: Note) -> str:
    meta = note.meta
    person = meta.get("recruiter") or meta.get("contact") or (meta.get("interviewers") or [""])[0]
    return str(person.get("name", "")) if isinstance(person, dict) else str(person)


def follow_up_entries(note: Note, *, latest: bool) -> Iterator[Entry]:
    meta = note.meta
    done = [parse_day(when) for when in meta.get("follow_ups") or []]
    open_case = meta.get("outcome", "pending") == "pending" and meta.get("impression") != "bad"
    if not (latest and open_case) or len(done) >= MAX_FOLLOW_UPS:
        return
    reply_by = meta.get("reply_by")
    wait = timedelta(days=FOLLOW_UP_DAYS)
    first = parse_day(reply_by) + timedelta(days=1) if reply_by else note.day + wait
    when = business_day(done[-1] + wait) if done else business_day(first)
    how = "email or phone" if meta.get("may_call") is True else "email or letter, no phone call"
    yield Entry(
        f"Follow up #{len(done) + 1}: {meta['company']}",
        "DEADLINE",
        at_hour(when),
        text=f"Follow up by {how} with {contact_of(note)}.",
    )


def offer_entries(note: Note) -> Iterator[Entry]:
    meta = note.meta
    if meta.get("outcome") in ("accepted", "withdrawn"):
        return
    if meta.get("offer_received"):
        received = parse_day(meta["offer_received"]) + timedelta(days=1)
        yield Entry(f"Negotiate: {meta['company']}", "SCHEDULED", at_hour(received))
    if meta.get("offer_deadline"):
        deadline = parse_day(meta["offer_deadline"])
        yield Entry(f"Decide: {meta['company']}", "DEADLINE", at_hour(deadline))


def reminders(note: Note, *, latest: bool) -> Iterator[Entry]:
    meta, company = note.meta, note.meta["company"]
    if note.day > TODAY:
        prepare = at_hour(note.day - timedelta(days=PREPARE_DAYS))
        yield Entry(f"Prepare: {company}", "SCHEDULED", prepare, text="Research the company.")
    if not meta.get("thank_you_sent"):
        thanks = f"Send a short thank-you to {contact_of(note)}."
        yield Entry(f"Thank-you: {company}", "SCHEDULED", after_interview(note), text=thanks)
    if not meta.get("notes_reviewed"):
        yield Entry(f"Review notes: {company}", "SCHEDULED", after_interview(note))
    yield from follow_up_entries(note, latest=latest)
    yield from offer_entries(note)


def interview_entry(note: Note) -> Entry:
    meta = note.meta
    title = f"Interview: {meta['company']}, {meta['role']} ({meta.get('round', 'interview')})"
    where = f"Location: {meta['location']}\n" if meta.get("location") else ""
    body = "".join(f"  {line}\n" if line else "\n" for line in note.body.splitlines())
    start = note.start or note.day
    return Entry(title, "SCHEDULED", start, note.end, todo=False, text=where + body)


def latest_rounds(notes: list[Note]) -> set[Path]:
    """The newest round of each application: only it carries follow-ups."""
    newest: dict[str, Note] = {}
    for note in notes:
        current = newest.get(note.application)
        if current is None or (note.day, note.path) > (current.day, current.path):
            newest[note.application] = note
    return {note.path for note in newest.values()}


def timestamp(entry: Entry) -> str:
    start = entry.start
    if not isinstance(start, datetime):
        return f"<{start:%Y-%m-%d %a}>"
    text = f"<{start:%Y-%m-%d %a %H:%M}"
    end = entry.end
    same_day = end is not None and end.date() == start.date()
    return text + (f"-{end:%H:%M}>" if end and same_day else ">")


def org_entry(entry: Entry, uid: str, level: int) -> str:
    todo = "TODO " if entry.todo else ""
    drawer = f":PROPERTIES:\n:ID: {uid}\n:END:\n"
    text = entry.text if entry.text.endswith("\n") or not entry.text else entry.text + "\n"
    stars = "*" * level
    return f"{stars} {todo}{entry.title}\n{entry.keyword}: {timestamp(entry)}\n{drawer}{text}"


def org_document(note: Note, *, latest: bool) -> tuple[str, int]:
    """The Org text for one note, and the number of entries in it."""
    key = note.path.as_posix()
    entries = [(interview_entry(note), 1)] + [(r, 2) for r in reminders(note, latest=latest)]
    parts = [
        org_entry(entry, str(uuid.uuid5(UID_NAMESPACE, f"{key}#{index}")), level)
        for index, (entry, level) in enumerate(entries)
    ]
    return "".join(parts), len(entries)


def convert(workspace: Path, org_dir: Path, *, single_file: bool = False) -> int:
    """Write the Org files for a workspace's notes into org_dir; return the number of entries."""
    notes = [load_note(path) for path in note_paths(workspace)]
    latest = latest_rounds(notes)
    org_dir.mkdir(parents=True, exist_ok=True)
    documents = [org_document(note, latest=note.path in latest) for note in notes]
    if single_file:
        text = "".join(document for document, _ in documents)
        (org_dir / "interviews.org").write_text(text, encoding="utf-8")
    else:
        for index, (document, _) in enumerate(documents):
            (org_dir / f"note-{index:05d}.org").write_text(document, encoding="utf-8")
    return sum(count for _, count in documents)


def elisp_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def export_program(org_dir: Path, ics: Path) -> str:
    return f"""
(progn
  (require 'org-agenda)
  (require 'ox-icalendar)
  (setq org-agenda-files (list {elisp_string(str(org_dir))})
        org-icalendar-combined-agenda-file {elisp_string(str(ics))}
        org-icalendar-combined-name "followup (org peer)"
        org-icalendar-use-scheduled '(event-if-todo event-if-not-todo)
        org-icalendar-use-deadline '(event-if-todo event-if-not-todo)
        org-icalendar-include-todo nil
        org-icalendar-include-body 200
        org-icalendar-store-UID nil
        org-icalendar-timezone "Europe/London")
  (org-icalendar-combine-agenda-files))
"""


def find_emacs() -> str | None:
    return shutil.which("emacs")


def export(emacs: str, org_dir: Path, ics: Path) -> float:
    """Run the Emacs export; return its wall time in seconds."""
    command = [emacs, "--batch", "-Q", "--eval", export_program(org_dir, ics)]
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, text=True, check=True)
    return time.perf_counter() - start


def count_vevents(ics: Path) -> int:
    if not ics.exists():
        return 0
    return ics.read_text(encoding="utf-8").count("BEGIN:VEVENT")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--org-dir", type=Path, help="where to write the Org files (default: temp)")
    parser.add_argument("--single-file", action="store_true", help="one Org file for all notes")
    args = parser.parse_args(argv)
    emacs = find_emacs()
    if emacs is None:
        print("emacs not found: the Org-mode peer is skipped")
        return 0
    with tempfile.TemporaryDirectory(prefix="followup-org-") as scratch:
        org_dir = args.org_dir or Path(scratch) / "org"
        entries = convert(args.workspace, org_dir, single_file=args.single_file)
        ics = Path(scratch) / "combined.ics"
        try:
            seconds = export(emacs, org_dir, ics)
        except subprocess.CalledProcessError as error:
            print(f"emacs failed (exit {error.returncode}):\n{error.stderr}", file=sys.stderr)
            return 1
        events = count_vevents(ics)
    print(f"{entries} Org entries -> {events} VEVENTs in {seconds:.2f} s")
    return 0 if events else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
