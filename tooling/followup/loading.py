"""Reading a workspace into a plan: the shared first step of every command.

Kept apart from `build` so that `followup status` never imports the feed or MkDocs.
"""

from __future__ import annotations

from datetime import date

from followup.errors import NotesInvalid
from followup.notes import NoteSet, read_notes
from followup.rules import Plan, plan
from followup.workspace import Workspace


def load(workspace: Workspace, today: date, keep_going: bool = False) -> tuple[NoteSet, Plan]:
    """Read every note and plan the reminders; any error stops here unless `keep_going`."""
    notes = read_notes(workspace.notes_dir, workspace.root, workspace.config.timezone)
    if notes.errors and not keep_going:
        raise NotesInvalid(list(notes.problems))
    return notes, plan(notes.interviews, workspace.config, today)
