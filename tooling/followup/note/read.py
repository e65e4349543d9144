"""Reading every note of a workspace: the one way every command reads them.

Each note is parsed once: its result is kept in the cache (`followup.cache`) under the
note's path, the default time zone and the digest of its bytes, so a command parses
again only the notes whose bytes changed. Bodies are not kept (thousands would fill
memory for nothing): `read_body` reads one when a page needs it.
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from followup.cache import Cache, Record, digest
from followup.errors import FollowupError, Problem, Problems
from followup.note.files import note_names, slug_for
from followup.note.model import Interview, Person
from followup.note.parse import MAX_NOTE_BYTES, MAX_ROUNDS, decode_note, parse_note, split_note


@dataclass(frozen=True, slots=True)
class Parsed:
    """One note as read: the interview (None when the note has an error) and its problems."""

    interview: Interview | None
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class NoteSet(Problems):
    """Every note read from a workspace, and every problem found in them."""

    interviews: tuple[Interview, ...]
    problems: tuple[Problem, ...]
    files: tuple[str, ...] = ()  # every note file, valid or not, as messages name it
    companies: dict[str, str] | None = None  # each readable note's company ('' with errors)
    # Digests of what was read: every note's parsed values (what the feed and the index are
    # made from), and every note's bytes (what its page is made from, its body included).
    values_digest: str = ""
    bytes_digest: str = ""


def read_notes(root: Path, notes_dir: Path, default_timezone: str, cache: Cache | None = None) -> NoteSet:
    """Every note below `notes_dir`, parsed again only where its bytes changed."""
    store = cache or Cache.none()
    root_prefix, notes_prefix = f"{root}{os.sep}", f"{notes_dir}{os.sep}"
    entries: dict[str, Parsed] = {}
    unreadable: list[Problem] = []
    values, contents, keys = [], [], []
    files = note_names(notes_dir)
    for batch in _batches(files, 500):  # a batch's bytes are held only until it is parsed
        read = []
        for name in batch:
            shown = name.removeprefix(root_prefix).replace(os.sep, "/")
            data = _note_bytes(name, shown)
            if isinstance(data, Problem):
                unreadable.append(data)
                continue
            slug = slug_for(name.removeprefix(notes_prefix).replace(os.sep, "/"))
            key = digest(shown, slug, default_timezone, data)
            read.append((shown, slug, key, data))
        found = store.get_many_raw(NOTE, [key for _, _, key, _ in read])
        for shown, slug, key, data in read:
            raw = found.get(key)
            parsed = _decoded(raw) if raw is not None else None
            if parsed is None or raw is None:
                interview, problems = parse_note(data, shown, slug, default_timezone, keep_body=False)
                parsed = Parsed(interview, tuple(problems))
                raw = store.put(NOTE, key, parsed)
            entries[shown] = parsed
            keys.append(key)
            values.append(digest(shown, raw))
            contents.append(key)
    store.keep_only(NOTE, keys)
    store.save()
    shown_files = tuple(name.removeprefix(root_prefix).replace(os.sep, "/") for name in files)
    companies = {
        shown: parsed.interview.company if parsed.interview else "" for shown, parsed in entries.items()
    }
    notes = note_set(entries.values(), unreadable)
    return NoteSet(
        notes.interviews, notes.problems, shown_files, companies,
        values_digest=digest(*values), bytes_digest=digest(*contents),
    )


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _decoded(raw: bytes) -> Parsed | None:
    try:
        return NOTE.loads(raw)
    except Exception:  # an entry that does not read back is a miss: parsed again
        return None


def _note_bytes(name: str, shown: str) -> bytes | Problem:
    """A note's bytes, or the problem that kept them from being read. A FIFO or a device
    named `*.md` is never opened (it could block or never end), and a note over the size
    limit is refused by its size, before it is read."""
    try:
        info = os.stat(name)
        if not stat.S_ISREG(info.st_mode):
            return Problem(shown, 1, "not a regular file (a pipe, a device or a folder?); notes must be plain files")
        if info.st_size > MAX_NOTE_BYTES:
            return Problem(shown, 1, too_large(info.st_size))
        with open(name, "rb") as stream:
            data = stream.read(MAX_NOTE_BYTES + 1)
    except OSError as error:
        return Problem(shown, 1, f"cannot read the file: {error.strerror}")
    if len(data) > MAX_NOTE_BYTES:  # it grew since
        return Problem(shown, 1, too_large(len(data)))
    return data


def too_large(size: int) -> str:
    return (
        f"the note is {size:,} bytes, more than the {MAX_NOTE_BYTES:,} a note may have; "
        "move long material (a pasted document, an image) out of it"
    )


def note_set(entries: Iterable[Parsed], unreadable: Iterable[Problem] = ()) -> NoteSet:
    """The valid interviews and every problem: a note's own, shared page names, crowded applications."""
    problems = list(unreadable)
    valid = []
    for entry in entries:
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
    data = _note_bytes(str(path), shown)
    if isinstance(data, Problem):
        raise FollowupError(str(data))
    try:
        split = split_note(decode_note(data))
    except UnicodeDecodeError:
        raise FollowupError(f"{shown}:1: the file is not UTF-8 text; save it as UTF-8 in your editor") from None
    return split[2] if split else ""


# -- the cache record -----------------------------------------------------------------------
# Values as tagged JSON: a date is {"date": …}, a time {"at": …, "zone": …}, a person
# {"person": […]}; a tuple is a list; an enumeration its value. The body is never kept.

_STORED = tuple(f.name for f in fields(Interview) if f.name != "body")
_ENUMS = {f.name: type(f.default) for f in fields(Interview) if isinstance(f.default, Enum)}


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime):  # the wall time as read: a time in a clock change stays as it was
        return {"at": value.replace(tzinfo=None).isoformat(), "fold": value.fold, "zone": str(value.tzinfo)}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, Person):
        return {"person": [value.name, value.email, value.title, value.phone]}
    if isinstance(value, tuple):
        return [_to_json(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, str | int):
        return value
    raise TypeError(f"cannot keep {type(value).__name__} in the cache")


def _from_json(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_from_json(item) for item in value)
    if isinstance(value, dict):
        if "at" in value:
            return datetime.fromisoformat(value["at"]).replace(tzinfo=ZoneInfo(value["zone"]), fold=value["fold"])
        if "date" in value:
            return date.fromisoformat(value["date"])
        name, email, title, phone = value["person"]
        return Person(name, email, title, phone)
    if value is None or isinstance(value, str | int):
        return value
    raise TypeError("not a value the cache keeps")


def _encode(parsed: Parsed) -> Any:
    interview = parsed.interview
    return {
        "problems": [[p.path, p.line, p.message, p.severity] for p in parsed.problems],
        "interview": None if interview is None else {name: _to_json(getattr(interview, name)) for name in _STORED},
    }


def _decode(value: Any) -> Parsed:
    problems = tuple(
        Problem(str(path), int(line), str(message), "warning" if severity == "warning" else "error")
        for path, line, message, severity in value["problems"]
    )
    stored = value["interview"]
    if stored is None:
        return Parsed(None, problems)
    values = {name: _from_json(stored[name]) for name in _STORED}
    for name, kind in _ENUMS.items():
        values[name] = kind(values[name])
    return Parsed(Interview(**values), problems)


NOTE: Record[Parsed] = Record("note", 2, _encode, _decode)
