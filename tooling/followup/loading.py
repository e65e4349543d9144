"""Reading a workspace into a plan: the shared first step of every command.

Kept apart from `build` so that `followup status` never imports the feed or MkDocs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from followup import cache
from followup.errors import NotesInvalid
from followup.note.files import Stamp
from followup.note.read import NoteSet, note_set, parse_notes
from followup.plan.rules import Plan, plan
from followup.workspace import Workspace


def read(
    workspace: Workspace, *, keep_going: bool = False, stamps: Mapping[str, Stamp] | None = None
) -> NoteSet:
    """Every note, parsed again only where its file changed; any error stops here unless
    `keep_going`."""
    zone = workspace.config.timezone
    cached = cache.load_notes(workspace.root, zone)
    parsing = parse_notes(workspace.notes_dir, workspace.root, zone, cached.entries, stamps)
    cache.save_notes(workspace.root, zone, cached, parsing)
    notes = note_set(parsing)
    if notes.errors and not keep_going:
        raise NotesInvalid(list(notes.problems))
    return notes


def load(workspace: Workspace, today: date, *, keep_going: bool = False) -> tuple[NoteSet, Plan]:
    """Read every note and plan the reminders."""
    notes = read(workspace, keep_going=keep_going)
    return notes, plan(notes.interviews, workspace.config, today)
