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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from followup.cache import Cache, Record, digest
from followup.errors import FollowupError, NotesInvalid, Problem, Problems
from followup.note.files import note_names, slug_for
from followup.note.model import Impression, Interview, Outcome, Person
from followup.note.schema import MAX_NOTE_BYTES, MAX_ROUNDS
from followup.workspace import Workspace


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


def workspace_notes(workspace: Workspace, *, keep_going: bool = False) -> NoteSet:
    """Every note of the workspace, with its cache; any error stops here unless `keep_going`."""
    with Cache.of(workspace.root) as cache:
        notes = read_notes(
            workspace.root, workspace.notes_dir, workspace.config.timezone, cache,
            extra_keys=workspace.config.extra_keys,
        )
    if notes.errors and not keep_going:
        raise NotesInvalid(list(notes.problems))
    return notes


def read_notes(
    root: Path, notes_dir: Path, default_timezone: str, cache: Cache | None = None, *,
    extra_keys: tuple[str, ...] = (),
) -> NoteSet:
    """Every note below `notes_dir`, parsed again only where its bytes (or the settings it is
    read with) changed."""
    settings = digest(default_timezone, *sorted(extra_keys))
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
            if not _plain_name(shown):
                unreadable.append(Problem(shown, 1, _NAME_WARNING, "warning"))
            data = _note_bytes(name, shown)
            if isinstance(data, Problem):
                unreadable.append(data)
                continue
            slug = slug_for(name.removeprefix(notes_prefix).replace(os.sep, "/"))
            key = digest(shown, slug, settings, data)
            read.append((shown, slug, key, data))
        found = store.get_many_raw(NOTE, [key for _, _, key, _ in read])
        for shown, slug, key, data in read:
            raw = found.get(key)
            parsed = _decoded(raw) if raw is not None else None
            if parsed is None or raw is None:
                from followup.note.parse import parse_note  # YAML: loaded only when a note changed

                interview, problems = parse_note(
                    data, shown, slug, default_timezone, keep_body=False, extra_keys=extra_keys
                )
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


# Characters a shell, Markdown or HTML reads as code: a file name holding one is shown as text
# everywhere, but no command can name the note by it.
_CODE_MARKS = frozenset("`$<>|;&\\\"'")
_NAME_WARNING = (
    "the file name holds characters that command lines and pages read as code (` $ < > | ; & \\ "
    "quotes or control characters); rename the file with letters, digits, - and _"
)


def _plain_name(shown: str) -> bool:
    return shown.isprintable() and not (_CODE_MARKS & set(shown))


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
    from followup.note.parse import decode_note, split_note

    data = _note_bytes(str(path), shown)
    if isinstance(data, Problem):
        raise FollowupError(str(data))
    try:
        split = split_note(decode_note(data))
    except UnicodeDecodeError:
        raise FollowupError(f"{shown}:1: the file is not UTF-8 text; save it as UTF-8 in your editor") from None
    return split[2] if split else ""


# -- the cache record -----------------------------------------------------------------------
# An interview is kept as a JSON list of its fields, in order, each written and read by the
# codec its type calls for (dates as ISO text, people as lists, the start as its wall time,
# fold and zone); reading checks every type, so an entry that is not one is a miss. The body
# is never kept.

_STORED = tuple(f.name for f in fields(Interview) if f.name != "body")


def _of(kind: type, value: Any) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"expected {kind.__name__}")
    return value


def _person(value: Any) -> Person:
    name, email, title, phone = _of(list, value)
    return Person(_of(str, name), _of(str, email), _of(str, title), _of(str, phone))


def _day(value: Any) -> date:
    return date.fromisoformat(_of(str, value))


def _start(value: Any) -> datetime:
    at, fold, zone = _of(list, value)
    return datetime.fromisoformat(_of(str, at)).replace(tzinfo=ZoneInfo(_of(str, zone)), fold=_of(int, fold))


def _maybe(read: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else read(value)


def _many(read: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: tuple(read(item) for item in _of(list, value))


def _line(value: Any) -> tuple[str, int]:
    key, number = _of(list, value)
    return _of(str, key), _of(int, number)


def _enum(kind: type[Enum]) -> Callable[[Any], Any]:
    return lambda value: kind(_of(str, value))


def _write(value: Any) -> Any:
    if isinstance(value, datetime):  # the wall time as read: a time in a clock change stays as it was
        return [value.replace(tzinfo=None).isoformat(), value.fold, str(value.tzinfo)]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Person):
        return [value.name, value.email, value.title, value.phone]
    if isinstance(value, tuple):
        return [_write(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, str | int):
        return value
    raise TypeError(f"cannot keep {type(value).__name__} in the cache")


# Each field's reader, by its annotation as written (the model's are strings: `from __future__
# import annotations`).
_READERS: dict[str, Callable[[Any], Any]] = {
    "str": lambda value: _of(str, value),
    "int": lambda value: _of(int, value),
    "bool": lambda value: _of(bool, value),
    "date": _day,
    "date | None": _maybe(_day),
    "datetime | None": _maybe(_start),
    "Person | None": _maybe(_person),
    "tuple[Person, ...]": _many(_person),
    "tuple[date, ...]": _many(_day),
    "tuple[tuple[str, int], ...]": _many(_line),
    "tuple[str, ...]": _many(lambda value: _of(str, value)),
    "Impression": _enum(Impression),
    "Outcome": _enum(Outcome),
}
_FIELD_READERS = tuple(_READERS[str(f.type)] for f in fields(Interview) if f.name != "body")


def _encode(parsed: Parsed) -> Any:
    interview = parsed.interview
    return [
        [[p.path, p.line, p.message, p.severity] for p in parsed.problems],
        None if interview is None else [_write(getattr(interview, name)) for name in _STORED],
    ]


def _decode(value: Any) -> Parsed:
    problems, stored = _of(list, value)
    found = tuple(
        Problem(_of(str, path), _of(int, line), _of(str, message), "warning" if severity == "warning" else "error")
        for path, line, message, severity in problems
    )
    if stored is None:
        return Parsed(None, found)
    # Another version's length raises (strict): a miss.
    values = {name: read(item) for name, read, item in zip(_STORED, _FIELD_READERS, _of(list, stored), strict=True)}
    return Parsed(Interview(**values), found)


NOTE: Record[Parsed] = Record("note", 5, _encode, _decode)
