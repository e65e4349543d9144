"""Reading every note of a workspace into a `NoteSet`: cached notes reused, the rest
parsed, duplicates and oversized applications reported.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from followup.errors import FollowupError, Problem, Problems
from followup.note.files import Stamp, note_stamps, slug_for
from followup.note.model import Interview
from followup.note.parse import (
    MAX_ROUNDS,
    decode_note,
    split_note,
)
from followup.note.workers import Job, Parsed, parse_all


@dataclass(frozen=True)
class NoteSet(Problems):
    """Every note read from a workspace, and every problem found in them."""

    interviews: tuple[Interview, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Parsing:
    """Every note file as parsed (what the cache keeps), and the files that could not be read."""

    parsed: dict[str, Parsed]
    unreadable: tuple[Problem, ...]
    # The notes parsed by worker processes, as the pickled batches they sent (see `cache`).
    batches: tuple[bytes, ...] = ()


def read_notes(
    notes_dir: Path,
    root: Path,
    default_timezone: str,
    stamps: Mapping[str, Stamp] | None = None,
) -> NoteSet:
    """Read every note, with no cache."""
    return note_set(parse_notes(notes_dir, root, default_timezone, {}, stamps))


def parse_notes(
    notes_dir: Path,
    root: Path,
    default_timezone: str,
    known: Mapping[str, Parsed],
    stamps: Mapping[str, Stamp] | None = None,
) -> Parsing:
    """Parse every note whose stamp does not match its entry in `known` (the cache's).

    Bodies are left out (thousands of them would fill memory for nothing): `read_body`
    reads one when a page needs it."""
    root_prefix, notes_prefix = f"{root}{os.sep}", f"{notes_dir}{os.sep}"
    entries: dict[str, Parsed | None] = {}
    jobs: list[Job] = []
    for name, stamp in (stamps if stamps is not None else note_stamps(notes_dir)).items():
        shown = name.removeprefix(root_prefix).replace(os.sep, "/")
        entry = known.get(shown)
        if entry is None or entry.stamp != stamp:
            slug = slug_for(name.removeprefix(notes_prefix).replace(os.sep, "/"))
            jobs.append((shown, name, slug, stamp, default_timezone))
            entry = None
        entries[shown] = entry
    problems: list[Problem] = []
    done, pickled = parse_all(jobs)
    for shown, entry, readable in done:
        if readable:
            entries[shown] = entry
        else:  # not cached: the next build tries the file again
            del entries[shown]
            problems.extend(entry.problems)
    parsed = {shown: entry for shown, entry in entries.items() if entry is not None}
    return Parsing(parsed, tuple(problems), tuple(pickled))


def note_set(parsing: Parsing) -> NoteSet:
    """The valid interviews and every problem: a note's own, shared page names, crowded applications."""
    problems = list(parsing.unreadable)
    valid = []
    for entry in parsing.parsed.values():
        problems.extend(entry.problems)
        if entry.interview is not None:
            valid.append(entry.interview)
    left_out, found = clashes((i.path, i.slug, i.application) for i in valid)
    interviews = [i for i in valid if i.path not in left_out]
    interviews.sort(key=lambda i: i.sort_key)
    return NoteSet(tuple(interviews), tuple(sorted(problems + found)))


def clashes(notes: Iterable[tuple[str, str, str]]) -> tuple[set[str], list[Problem]]:
    """Of the valid notes, given as (path, page name, application), the ones left out and why:
    notes that would share one page and one set of calendar UIDs (never merged silently), and
    every round of an application with more than `MAX_ROUNDS` (no real search has that many;
    each round lists all the others, so their pages would grow with the square)."""
    by_slug: dict[str, list[str]] = {}
    kept: list[tuple[str, str]] = []
    for path, slug, application in notes:
        by_slug.setdefault(slug, []).append(path)
        kept.append((path, application))
    problems: list[Problem] = []
    left_out: set[str] = set()
    for slug, paths in by_slug.items():
        if len(paths) == 1:
            continue
        for path in paths:
            others = ", ".join(other for other in paths if other != path)
            left_out.add(path)
            problems.append(Problem(
                path, 1,
                f"this note and {others} would share one page and one calendar identity "
                f"('{slug}'); rename one of the files",
            ))
    sizes = Counter(application for path, application in kept if path not in left_out)
    for path, application in kept:
        if path not in left_out and sizes[application] > MAX_ROUNDS:
            problems.append(Problem(
                path, 1,
                f"this note is one of {sizes[application]:,} rounds of '{application}', "
                f"more than the {MAX_ROUNDS} an application may have; give the notes their own "
                "`application:` (or company and role)",
            ))
    left_out |= {path for path, application in kept if sizes[application] > MAX_ROUNDS}
    return left_out, problems


def read_body(path: Path, shown: str) -> str:
    """The Markdown below a note's front-matter; a note that cannot be read now is an error."""
    try:
        split = split_note(decode_note(path.read_bytes()))
    except OSError as error:
        raise FollowupError(f"{shown}:1: cannot read the file: {error.strerror}") from None
    except UnicodeDecodeError:
        raise FollowupError(f"{shown}:1: the file is not UTF-8 text; save it as UTF-8 in your editor") from None
    return split[2] if split else ""
