"""One build at a time per workspace: a second `followup` command waits for the first."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from followup.errors import FollowupError
from followup.fsutil import Busy, locked
from followup.workspace import Workspace

LOCK_FILE = ".followup.lock"
BUILD_WAIT = 10.0  # seconds a second build waits for the first


@contextlib.contextmanager
def one_build_at_a_time(workspace: Workspace) -> Iterator[None]:
    """Hold the workspace's build lock (`.followup.lock`); a second build waits, then gives up."""
    lock = workspace.root / LOCK_FILE
    try:
        os.close(os.open(lock, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o666))
    except OSError:  # a read-only workspace: the build fails on its own outputs, or writes none
        writable = False
    else:
        writable = True
    if not writable:
        yield
        return
    try:
        with locked(lock, BUILD_WAIT):
            yield
    except Busy:
        raise FollowupError(
            f"another followup build is running in {workspace.root}; wait for it to finish and "
            "run this again"
        ) from None


@contextlib.contextmanager
def planning(workspace: Workspace) -> Iterator[None]:
    """For a command that plans from every note and writes what a build writes (publish, sync):
    the notes folder checked before anything is written, then the build lock held."""
    from followup.note.files import check_notes_dir

    check_notes_dir(workspace.notes_dir)
    with one_build_at_a_time(workspace):
        yield
