"""What a build knows of every note without holding it: its stamp, page name, application,
company and problems. Kept between builds (see `cache`), so that a build parses only the
notes whose files changed, and the rounds of the applications those notes belong to.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from followup.errors import Problem, Problems
from followup.note.files import Stamp, slug_for
from followup.note.model import Interview
from followup.note.read import clashes
from followup.note.workers import Job, Parsed, parse_all, parse_job


class Entry(NamedTuple):
    """One readable note, as the catalog keeps it (a tuple: thousands are loaded on every build)."""

    stamp: Stamp
    slug: str
    application: str  # "" when the note has errors: it belongs to no application
    company: str
    problems: tuple[Problem, ...]


def entry(parsed: Parsed, slug: str) -> Entry:
    interview = parsed.interview
    if interview is None:
        return Entry(parsed.stamp, slug, "", "", parsed.problems)
    return Entry(parsed.stamp, interview.slug, interview.application, interview.company, parsed.problems)


@dataclass(frozen=True)
class Catalog(Problems):
    """Every note of the workspace, and the ones this build parsed."""

    entries: dict[str, Entry]  # every readable note, by its path as messages show it
    files: dict[str, str]  # the same paths, and the file each one is read from
    parsed: dict[str, Parsed]  # the notes parsed by this build
    problems: tuple[Problem, ...]  # every note's, sorted; see `rounds` for the notes left out
    rounds: dict[str, tuple[str, ...]]  # each application's notes, by its key
    # Worker processes' results as pickled batches, when they parsed the notes (see `cache`).
    batches: tuple[bytes, ...] = ()

    def interviews(self, paths: Iterable[str], zone: str, read: Mapping[str, Interview]) -> list[Interview]:
        """The notes at `paths`, from this build's parse, from `read` (the same notes read
        otherwise), or read again (a note unchanged since the last build, in an application
        that changed)."""
        found = []
        for path in paths:
            if path in read:
                found.append(read[path])
                continue
            parsed = self.parsed.get(path)
            if parsed is None:
                known = self.entries[path]
                parsed, _ = parse_job((path, self.files[path], known.slug, known.stamp, zone))
            if parsed.interview is not None:
                found.append(parsed.interview)
        return found


def catalog(
    stamps: Mapping[str, Stamp],
    notes_dir: Path,
    root: Path,
    zone: str,
    known: Mapping[str, Entry],
) -> Catalog:
    """Every note in `stamps`: those whose stamp matches their entry in `known` (the last
    build's) taken from there, the rest parsed."""
    root_prefix, notes_prefix = f"{root}{os.sep}", f"{notes_dir}{os.sep}"
    entries: dict[str, Entry] = {}
    files: dict[str, str] = {}
    jobs: list[Job] = []
    for name, stamp in stamps.items():
        shown = name.removeprefix(root_prefix).replace(os.sep, "/")
        files[shown] = name
        before = known.get(shown)
        if before is not None and before.stamp == stamp:
            entries[shown] = before
        else:
            slug = slug_for(name.removeprefix(notes_prefix).replace(os.sep, "/"))
            jobs.append((shown, name, slug, stamp, zone))
    done, pickled = parse_all(jobs)
    unreadable: list[Problem] = []
    parsed: dict[str, Parsed] = {}
    slugs = {job[0]: job[2] for job in jobs}
    for shown, result, readable in done:
        if readable:
            parsed[shown] = result
            entries[shown] = entry(result, slugs[shown])
        else:  # not kept: the next build tries the file again
            unreadable.extend(result.problems)
            del files[shown]
    entries = {shown: entries[shown] for shown in files}  # in the files' order
    valid = [(shown, e.slug, e.application) for shown, e in entries.items() if e.application]
    left_out, problems = clashes(valid)
    problems += unreadable
    for found in entries.values():
        problems += found.problems
    rounds: dict[str, list[str]] = {}
    for shown, _, application in valid:
        if shown not in left_out:
            rounds.setdefault(application, []).append(shown)
    return Catalog(
        entries, files, parsed, tuple(sorted(problems)),
        {key: tuple(paths) for key, paths in rounds.items()}, tuple(pickled),
    )
