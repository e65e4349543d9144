"""The build cache: kept outside the workspace, safe to delete, dropped when unreadable or wrong.

It lives in the user's cache folder (`$XDG_CACHE_HOME/followup/`, `~/.cache/followup/` by
default), one folder per workspace named by a hash of its path: nothing a cloned repository
carries is ever loaded as a cache. What is loaded is unpickled with only the model's own
plain classes allowed (no other callable can be named), then checked field by field; anything
else drops the cache, and the build reads every note again.

Seven things are kept:

- every note as parsed, keyed by its file's size, modification time and inode, so a build
  reads again only the notes that changed. The whole set is dropped when the tool's code,
  its version or the default time zone changes;
- the short names of the notes (see `plan.shortnames`), keyed by every note's path and
  company: they change only when a note is added, removed, renamed or changes company;
- the catalog of the notes (`note.catalog`): what a build knows of each note without
  holding it, keyed by its file's stamp, so that an incremental build reads only the
  notes that changed, and the other rounds of their applications. Builds append the
  entries they changed to it, and write it whole again once those are many;
- each application's share of the feed and the index (`out.parts`), with the fingerprint
  of what it was made from, in shards by application; its events and cards are kept
  apart, one after another in `texts.bin`, which a build appends to (and writes anew once
  it is mostly texts no longer used);
- the state file as the last build wrote it, entry by entry (`out.state.Ledger`), with the
  digest of the file: when the file is no longer what the build wrote (a `git checkout`,
  a sync, a hand edit), it is read again and the applications' shares are made anew;
- a fingerprint of everything the last build read (the code, `followup.toml`, the state
  file, every note's stamp, "today", the options) and the stamps of the files it wrote.
  When the next build would read the same and every output is still as it was written,
  there is nothing to do, and its report is given again;
- what the shares were made with (the configuration, today, the code) and the warnings
  they gave, written once every share is: a build whose changed notes come out the same
  (a line added to a note's free text) then touches only their applications' shares.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from followup import __version__
from followup.cachecheck import (
    ALLOWED,
    valid_batch,
    valid_entries,
    valid_parts,
    valid_problem,
    valid_stamps,
    zone_getattr,
)
from followup.errors import Problem
from followup.fsutil import atomic_write
from followup.note.files import Stamp, stamp_of

if TYPE_CHECKING:  # a build with nothing to do imports none of these
    from followup.note.catalog import Entry
    from followup.note.read import Parsing
    from followup.note.workers import Parsed
    from followup.out.eventtext import Answers

_NOTES = "notes.pickle"
_BUILD = "build.pickle"
_NAMES = "names.pickle"
_CATALOG = "catalog.pickle"
_LEDGER = "state.pickle"
_PARTS = "parts-{:02d}.pickle"
_MADE = "made.pickle"
_SHARDS = 32  # a build rewrites only the shards holding an application that changed
_FORMAT = 2


def cache_dir(root: Path) -> Path | None:
    """This workspace's cache folder, outside it; None when there is no home to keep one in."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:
            return None
    key = hashlib.sha256(os.fsencode(root.resolve())).hexdigest()[:32]
    return Path(base) / "followup" / key


class _Unpickler(pickle.Unpickler):
    """Names only the plain classes a cache holds: no other function can be reached."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("builtins", "getattr"):
            return zone_getattr
        if (module, name) not in ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache")
        return super().find_class(module, name)


def loads(data: bytes) -> Any:
    """Unpickle cache data with only the allowed classes (see `ALLOWED`)."""
    return _Unpickler(io.BytesIO(data)).load()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The tool's version and its code: a new release or a local edit empties the cache."""
    digest = hashlib.sha256(f"{__version__} {_FORMAT}".encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        info = path.stat()
        digest.update(f"{path.relative_to(package)} {info.st_size} {info.st_mtime_ns}".encode())
    return digest.hexdigest()


def _read(root: Path, name: str) -> Any:
    """A cache file, or None when it is missing, corrupt, from another format or not allowed."""
    folder = cache_dir(root)
    if folder is None:
        return None
    try:
        return loads((folder / name).read_bytes())
    except Exception:  # a corrupt or foreign cache is only a slower build: start afresh
        return None


def _write(root: Path, name: str, value: Any) -> None:
    folder = cache_dir(root)
    if folder is None:
        return
    with contextlib.suppress(OSError):  # without a writable cache folder, builds still work
        atomic_write(folder / name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


@dataclass(frozen=True)
class NotesCache:
    """The parsed notes, kept as pickled batches of (path, Parsed, readable): later batches
    override earlier ones, so a build appends what it parsed, and a first build stores the
    batches its worker processes already pickled instead of pickling everything again."""

    entries: dict[str, Parsed]
    batches: tuple[bytes, ...]


def load_notes(root: Path, default_timezone: str) -> NotesCache:
    found = _read(root, _NOTES)
    key = (code_fingerprint(), default_timezone)
    if not (isinstance(found, tuple) and len(found) == 2 and found[0] == key
            and isinstance(found[1], tuple) and all(isinstance(b, bytes) for b in found[1])):
        return NotesCache({}, ())
    entries: dict[str, Parsed] = {}
    try:
        for data in found[1]:
            batch = loads(data)
            if not valid_batch(batch):
                return NotesCache({}, ())
            entries.update((shown, parsed) for shown, parsed, readable in batch if readable)
    except Exception:  # a corrupt batch: start afresh
        return NotesCache({}, ())
    return NotesCache(entries, found[1])


def save_notes(root: Path, default_timezone: str, before: NotesCache, parsing: Parsing) -> None:
    now = parsing.parsed
    fresh = {shown: parsed for shown, parsed in now.items() if before.entries.get(shown) is not parsed}
    gone = before.entries.keys() - now.keys()
    if not fresh and not gone:
        return
    stored = len(before.entries) + len(fresh)
    if gone or stored > 2 * len(now):  # compact: one batch of what is there now
        batches: tuple[bytes, ...] = (_batch(now),)
    elif parsing.batches:  # every fresh entry came from a worker, already pickled
        batches = before.batches + parsing.batches
    else:
        batches = (*before.batches, _batch(fresh))
    _write(root, _NOTES, ((code_fingerprint(), default_timezone), batches))


def _batch(entries: Mapping[str, Parsed]) -> bytes:
    batch = [(shown, parsed, True) for shown, parsed in entries.items()]
    return pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)


def stamps_digest(root: Path, stamps: Mapping[str, Stamp]) -> str:
    prefix = f"{root}{os.sep}"
    text = "".join(f"{path.removeprefix(prefix)}\0{stamp}\n" for path, stamp in stamps.items())
    return hashlib.sha256(text.encode()).hexdigest()


def fingerprint(notes: str, inputs: Iterable[Path], *options: object) -> str:
    """What a build reads: the code, the notes (`stamps_digest`), the given files' bytes, the
    options."""
    digest = hashlib.sha256(f"{code_fingerprint()} {notes}".encode())
    digest.update(repr(options).encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    for path in inputs:
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"(missing)")
        digest.update(b"\0")
    return digest.hexdigest()


def _output_stamps(paths: Iterable[Path]) -> dict[str, Stamp] | None:
    try:
        return {str(path): stamp_of(path) for path in paths}
    except OSError:
        return None


class LastBuild(NamedTuple):
    """What the last build read (`fingerprint`), the files it wrote or left as they were,
    and its report."""

    key: str
    outputs: list[Path]
    report: Any


def last_build(root: Path) -> LastBuild | None:
    """The last build, when every file it wrote or left as it was is still as it left it."""
    found = _read(root, _BUILD)
    if not (isinstance(found, tuple) and len(found) == 3 and isinstance(found[0], str) and valid_stamps(found[1])):
        return None
    outputs = [Path(path) for path in found[1]]
    if _output_stamps(outputs) != found[1]:
        return None
    return LastBuild(found[0], outputs, found[2])


def cached_names(root: Path, key: str) -> dict[str, str] | None:
    """The short names last worked out for exactly these notes (`key`), else None."""
    found = _read(root, _NAMES)
    if not (isinstance(found, tuple) and len(found) == 2 and found[0] == key and isinstance(found[1], dict)):
        return None
    names: dict[str, str] = found[1]
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in names.items()):
        return None
    return names


def remember_names(root: Path, key: str, names: dict[str, str]) -> None:
    _write(root, _NAMES, (key, names))


def remember_report(root: Path, key: str, outputs: Iterable[Path], report: Any) -> None:
    stamps = _output_stamps(outputs)
    if stamps is not None:
        _write(root, _BUILD, (key, stamps, report))


# The catalog is written whole now and then; in between, each build appends only the
# entries it changed (one note edited: a few hundred bytes, not a megabyte).
_CATALOG_CHANGES = "catalog-changes.pickle"
_CHANGES_LIMIT = 1_000_000  # bytes of changes, past which the catalog is written whole again


class KeptCatalog(NamedTuple):
    token: str  # names the catalog file: changes appended for another one are not applied
    entries: dict[str, Entry]


def load_catalog(root: Path, default_timezone: str) -> KeptCatalog:
    """The catalog the last build kept (`note.catalog`): empty when there is none to trust."""
    found = _read(root, _CATALOG)
    key = (code_fingerprint(), default_timezone)
    if not (isinstance(found, tuple) and len(found) == 3 and found[0] == key
            and isinstance(found[1], str) and isinstance(found[2], dict)):
        return KeptCatalog("", {})
    token, entries = found[1], found[2]
    try:
        for change in _changes(root, token):
            for path, entry in change.items():
                if entry is None:
                    entries.pop(path, None)
                else:
                    entries[path] = entry
    except Exception:  # damaged changes: the catalog cannot be trusted
        return KeptCatalog("", {})
    if not (set(map(type, entries)) <= {str} and valid_entries(list(entries.values()))):
        return KeptCatalog("", {})
    return KeptCatalog(token, entries)


def _changes(root: Path, token: str) -> list[dict[str, Any]]:
    """The changes appended to the catalog named `token`, oldest first."""
    folder = cache_dir(root)
    try:
        data = (folder / _CATALOG_CHANGES).read_bytes() if folder is not None else b""
    except FileNotFoundError:
        return []
    stream = io.BytesIO(data)
    reader = _Unpickler(stream)
    changes = []
    while stream.tell() < len(data):
        found = reader.load()
        if not (isinstance(found, tuple) and len(found) == 2 and found[0] == token and isinstance(found[1], dict)):
            raise ValueError("not a change of this catalog")
        changes.append(found[1])
    return changes


def save_catalog(root: Path, default_timezone: str, entries: dict[str, Entry], kept: KeptCatalog) -> None:
    """Keep the catalog: the entries changed since `kept` (as loaded) appended to it, or all
    of them written anew when there is no catalog to add to or the changes grew large."""
    folder = cache_dir(root)
    if folder is None:
        return
    before = kept.entries
    changed: dict[str, Entry | None] = {path: entry for path, entry in entries.items() if before.get(path) is not entry}
    changed.update((path, None) for path in before.keys() - entries.keys())
    if kept.token and not changed:
        return
    journal = folder / _CATALOG_CHANGES
    with contextlib.suppress(OSError):
        if kept.token:
            data = pickle.dumps((kept.token, changed), protocol=pickle.HIGHEST_PROTOCOL)
            size = journal.stat().st_size if journal.exists() else 0
            if size + len(data) <= _CHANGES_LIMIT:
                with journal.open("ab") as stream:
                    stream.write(data)
                return
    # A new token: changes appended for the catalog this replaces are never applied to it.
    _write(root, _CATALOG, ((code_fingerprint(), default_timezone), new_token(), entries))
    with contextlib.suppress(OSError):
        journal.unlink(missing_ok=True)


def load_ledger(root: Path, digest: str) -> tuple[dict[str, str], str] | None:
    """The state file's entries and feed secret as the last build wrote them, when the file
    (`digest`, see `file_digest`) is still what it wrote; else None."""
    found = _read(root, _LEDGER)
    if not (isinstance(found, tuple) and len(found) == 3 and found[0] == digest
            and isinstance(found[1], dict) and isinstance(found[2], str)):
        return None
    entries: dict[str, str] = found[1]
    if not all(type(uid) is str and type(entry) is str for uid, entry in entries.items()):
        return None
    return entries, found[2]


def save_ledger(root: Path, digest: str, entries: dict[str, str], secret: str) -> None:
    _write(root, _LEDGER, (digest, entries, secret))


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _shard(application: str) -> int:
    return int.from_bytes(hashlib.blake2b(application.encode(), digest_size=2).digest()) % _SHARDS


_TEXTS = "texts.bin"
_TEXTS_HEADER = b"followup texts %s\n"  # with a token of 16 hex digits
TEXTS_START = 32  # the header's length: the first text's offset


def load_texts(root: Path) -> tuple[str, bytes]:
    """The store of the shares' texts (`out.parts.Texts`): its token and its bytes, or a new
    token and nothing when there is none."""
    folder = cache_dir(root)
    try:
        data = (folder / _TEXTS).read_bytes() if folder is not None else b""
    except OSError:
        data = b""
    token, valid = _texts_header(data[:TEXTS_START])
    return (token, data) if valid else (new_token(), b"")


def new_token() -> str:
    return os.urandom(8).hex()


def save_texts(root: Path, token: str, kept: int, added: bytes | bytearray) -> None:
    """Append this build's texts to the store, or write it anew when it held nothing (`kept`
    is its size as loaded)."""
    folder = cache_dir(root)
    if folder is None:
        return
    with contextlib.suppress(OSError):
        if kept:
            with (folder / _TEXTS).open("ab") as store:
                store.write(added)
        else:
            atomic_write(folder / _TEXTS, _TEXTS_HEADER % token.encode() + added)


def texts_token(root: Path) -> str | None:
    """The token of the store of texts, read from its header alone; None without a store."""
    folder = cache_dir(root)
    if folder is None:
        return None
    try:
        with (folder / _TEXTS).open("rb") as store:
            header = store.read(TEXTS_START)
    except OSError:
        return None
    token, valid = _texts_header(header)
    return token if valid else None


def read_spans(root: Path, token: str, spans: Iterable[tuple[int, int]]) -> list[bytes] | None:
    """The texts at these spans of the store named `token`; None when it is another store or
    ends before one of them."""
    folder = cache_dir(root)
    if folder is None:
        return None
    found = []
    try:
        with (folder / _TEXTS).open("rb") as store:
            if _texts_header(store.read(TEXTS_START)) != (token, True):
                return None
            for offset, length in spans:
                if offset < TEXTS_START:
                    return None
                store.seek(offset)
                found.append(store.read(length))
                if len(found[-1]) != length:
                    return None
    except OSError:
        return None
    return found


def _texts_header(header: bytes) -> tuple[str, bool]:
    """The token a store's header names, and whether it is a store's header at all."""
    if len(header) == TEXTS_START and header.startswith(b"followup texts ") and header.endswith(b"\n"):
        token = header[15:31].decode("ascii", "replace")
        if all(c in "0123456789abcdef" for c in token):
            return token, True
    return "", False


def load_parts(root: Path, token: str, applications: Iterable[str] | None = None) -> dict[str, Any]:
    """The applications' shares kept by the last build (see `out.parts`) for the store of
    texts named `token`, by the application's key: every one, or those of the shards that
    hold `applications`."""
    parts: dict[str, Any] = {}
    numbers = range(_SHARDS) if applications is None else sorted({_shard(key) for key in applications})
    for number in numbers:
        found = _read(root, _PARTS.format(number))
        if not (isinstance(found, tuple) and len(found) == 3 and found[0] == code_fingerprint()
                and found[1] == token and isinstance(found[2], dict)):
            continue
        shard: dict[Any, Any] = found[2]
        if all(isinstance(key, str) and _shard(key) == number for key in shard) and valid_parts(list(shard.values())):
            parts.update(shard)
    return parts


def save_parts(root: Path, token: str, parts: Mapping[str, Any], changed: Iterable[str]) -> None:
    """Write again the shards holding an application in `changed` (made, or gone)."""
    shards: dict[int, dict[str, Any]] = {number: {} for number in {_shard(key) for key in changed}}
    if not shards:
        return
    for key, part in parts.items():
        if (number := _shard(key)) in shards:
            shards[number][key] = part
    for number, kept in shards.items():
        _write(root, _PARTS.format(number), (code_fingerprint(), token, kept))


def load_made(root: Path) -> tuple[str, tuple[Problem, ...], Answers] | None:
    """What every kept share was made with (see `save_made`), the warnings they gave, and
    icalendar's answers for the zones and alarms they use (`out.eventtext.Answers`)."""
    found = _read(root, _MADE)
    if not (isinstance(found, tuple) and len(found) == 5 and found[0] == code_fingerprint()
            and isinstance(found[1], str) and isinstance(found[2], tuple)
            and all(valid_problem(p) for p in found[2]) and _valid_answers(found[3], found[4])):
        return None
    from followup.out.eventtext import Answers

    return found[1], found[2], Answers(found[3], found[4])


def _valid_answers(zones: object, durations: object) -> bool:
    return (
        isinstance(zones, dict) and isinstance(durations, dict)
        and all(type(zone) is str and type(written) is tuple and len(written) == 2
                and all(type(part) is str for part in written) for zone, written in zones.items())
        and all(type(key) is tuple and len(key) == 3 and all(type(n) is int for n in key) and type(text) is str
                for key, text in durations.items())
    )


def save_made(root: Path, settings: str, warnings: tuple[Problem, ...], answers: Answers) -> None:
    """Record that every kept share was made with `settings` (the configuration, today: see
    `outputs`), giving `warnings` with the configuration's own, with `answers`."""
    _write(root, _MADE, (code_fingerprint(), settings, warnings, answers.zones, answers.durations))


def forget_made(root: Path) -> None:
    """Before shares are written: a build cut short must not leave the record of another."""
    folder = cache_dir(root)
    if folder is not None:
        with contextlib.suppress(OSError):
            (folder / _MADE).unlink(missing_ok=True)
