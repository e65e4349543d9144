"""One build at a time per workspace: a second `followup` command waits until the first is done."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from followup.fsutil import locked
from followup.workspace import Workspace


@contextlib.contextmanager
def one_build_at_a_time(workspace: Workspace, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the workspace's build lock; a second build calls `waiting` (to tell the user) and
    waits for the first, however long it takes: a build that ends, or is killed, lets go.

    The lock is taken on the workspace's folder itself: no lock file is made, so none can be
    committed as a link that would have a build create a file wherever it points."""
    with locked(workspace.root, None, create=False, waiting=waiting):
        yield


@contextlib.contextmanager
def planning(workspace: Workspace, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """For a command that plans from every note and writes what a build writes (publish, sync):
    the notes folder checked before anything is written, then the build lock held."""
    from followup.note.files import check_notes_dir

    check_notes_dir(workspace.notes_dir)
    with one_build_at_a_time(workspace, waiting):
        yield
