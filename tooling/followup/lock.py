"""One build at a time per workspace: a second `followup` command waits until the first is done."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator

from followup.fsutil import locked
from followup.workspace import Workspace

LOCK_FILE = ".followup.lock"


@contextlib.contextmanager
def one_build_at_a_time(workspace: Workspace, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the workspace's build lock (`.followup.lock`); a second build calls `waiting`
    (to tell the user) and waits for the first, however long it takes: a build that ends, or
    is killed, lets go of the lock."""
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
    with locked(lock, None, waiting=waiting):
        yield


@contextlib.contextmanager
def planning(workspace: Workspace, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """For a command that plans from every note and writes what a build writes (publish, sync):
    the notes folder checked before anything is written, then the build lock held."""
    from followup.note.files import check_notes_dir

    check_notes_dir(workspace.notes_dir)
    with one_build_at_a_time(workspace, waiting):
        yield
