"""Finding the notes of a workspace: which files are notes, their page names, and the
stamps that tell a changed note from an unchanged one.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from followup.errors import FollowupError


def check_notes_dir(notes_dir: Path) -> None:
    """A missing notes folder (not a workspace, a disk not mounted behind a link) is an error."""
    if not notes_dir.is_dir():
        how = f" (a link to {os.readlink(notes_dir)}, which is not there)" if notes_dir.is_symlink() else ""
        raise FollowupError(
            f"no notes folder: {notes_dir} is missing{how}; run followup in your workspace "
            "(or give it with -C DIR), or create the folder with `followup new`"
        )


def note_files(notes_dir: Path) -> list[Path]:
    """Every note file (see `note_names`)."""
    return [Path(name) for name in note_names(notes_dir)]


def note_names(notes_dir: Path) -> list[str]:
    """Every `*.md` below the folder; names starting with `_` or `.`, and READMEs, are not notes.

    A missing or unreadable folder is an error, never "no notes": an empty list would empty
    the feed for every subscriber. Links are followed when they stay inside the workspace (or
    the notes folder, itself perhaps a link to another disk), and are an error otherwise."""
    check_notes_dir(notes_dir)
    homes = (os.path.realpath(notes_dir), os.path.realpath(notes_dir.parent))
    found: list[str] = []
    seen: set[str] = set()

    def listing(folder: str) -> Iterator[os.DirEntry[str]]:
        real = os.path.realpath(folder)
        if real in seen:  # a link back to a folder already read
            return iter(())
        seen.add(real)
        try:
            with os.scandir(folder) as entries:
                return iter(sorted(entries, key=lambda entry: entry.name))
        except OSError as error:
            raise FollowupError(
                f"cannot read the folder {folder}: {error.strerror}; check its permissions "
                "(nothing was written)"
            ) from None

    # Depth first, each folder's entries in name order: the list comes out sorted as
    # `split(os.sep)` sorts paths, with no sort of its own (and no recursion limit).
    folders = [listing(str(notes_dir))]
    while folders:
        entry = next(folders[-1], None)
        if entry is None:
            folders.pop()
            continue
        name = entry.name
        if name.startswith((".", "_")):
            continue
        if entry.is_symlink():
            target = os.path.realpath(entry.path)
            if not any(target == home or target.startswith(home + os.sep) for home in homes):
                raise FollowupError(
                    f"{entry.path} is a link to {target}, outside the workspace; notes must be "
                    "files inside it: copy the note in, or remove the link"
                )
        if entry.is_dir():
            folders.append(listing(entry.path))
        elif name.endswith(".md") and name.lower() != "readme.md":
            found.append(entry.path)
    return found


def slug_for(relative: str) -> str:
    """A URL-safe, readable page name from a note's path inside `interviews/` (`/`-separated)."""
    pieces = []
    for part in relative.removesuffix(".md").split("/"):
        text = unicodedata.normalize("NFKC", part).lower()
        text = re.sub(r"[^\w-]+", "-", text).strip("-_")
        pieces.append(text or "note")
    return "/".join(pieces)


# size, modification time (ns), inode, change time (ns): a file unchanged since, even in its
# permissions (a note made unreadable is read again, and reported).
Stamp = tuple[int, int, int, int]


def stamp_of(path: Path | str) -> Stamp:
    info = os.stat(path)
    return (info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns)


def note_stamps(notes_dir: Path) -> dict[str, Stamp]:
    """Every note's file name and its stamp (a note that vanished meanwhile is left out)."""
    stamps = {}
    for path in note_names(notes_dir):
        try:
            stamps[path] = stamp_of(path)
        except OSError:
            continue
    return stamps
