"""The build cache in `.followup-cache/`: git-ignored, safe to delete, ignored when unreadable.

Two things are kept:

- every note as parsed, keyed by its file's size, modification time and inode, so a build
  reads again only the notes that changed. The whole set is dropped when the tool's code,
  its version or the default time zone changes;
- a fingerprint of everything the last build read (the code, `followup.toml`, the state
  file, every note's stamp, "today", the options) and the stamps of the files it wrote.
  When the next build would read the same and every output is still as it was written,
  there is nothing to do, and its report is given again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from followup import __version__
from followup.fsutil import atomic_write
from followup.notes import NoteSet, Parsed, Stamp, stamp_of

CACHE_DIR = ".followup-cache"
_NOTES = "notes.pickle"
_BUILD = "build.pickle"
_FORMAT = 1


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The tool's version and its code: a new release or a local edit empties the cache."""
    digest = hashlib.sha256(f"{__version__} {_FORMAT}".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        info = path.stat()
        digest.update(f"{path.name} {info.st_size} {info.st_mtime_ns}".encode())
    return digest.hexdigest()


def _read(path: Path) -> Any:
    """A pickled cache file, or None when it is missing, corrupt or from another format."""
    try:
        with path.open("rb") as stream:
            return pickle.load(stream)
    except FileNotFoundError:
        return None
    except Exception:  # a corrupt or foreign cache is only a slower build: start afresh
        return None


def _write(path: Path, value: Any) -> None:
    with contextlib.suppress(OSError):  # a read-only workspace builds as well, without a cache
        atomic_write(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


@dataclass(frozen=True)
class NotesCache:
    """The parsed notes, kept as pickled batches of (path, Parsed, readable): later batches
    override earlier ones, so a build appends what it parsed, and a first build stores the
    batches its worker processes already pickled instead of pickling everything again."""

    entries: dict[str, Parsed]
    batches: tuple[bytes, ...]


def load_notes(root: Path, default_timezone: str) -> NotesCache:
    found = _read(root / CACHE_DIR / _NOTES)
    key = (code_fingerprint(), default_timezone)
    if not (isinstance(found, tuple) and len(found) == 2 and found[0] == key and isinstance(found[1], tuple)):
        return NotesCache({}, ())
    entries: dict[str, Parsed] = {}
    try:
        for data in found[1]:
            entries.update((shown, parsed) for shown, parsed, readable in pickle.loads(data) if readable)
    except Exception:  # a corrupt batch: start afresh
        return NotesCache({}, ())
    return NotesCache(entries, found[1])


def save_notes(root: Path, default_timezone: str, before: NotesCache, notes: NoteSet) -> None:
    now = notes.parsed
    fresh = {shown: parsed for shown, parsed in now.items() if before.entries.get(shown) is not parsed}
    gone = before.entries.keys() - now.keys()
    if not fresh and not gone:
        return
    stored = len(before.entries) + len(fresh)
    if gone or stored > 2 * len(now):  # compact: one batch of what is there now
        batches: tuple[bytes, ...] = (_batch(now),)
    elif notes.batches:  # every fresh entry came from a worker, already pickled
        batches = before.batches + notes.batches
    else:
        batches = (*before.batches, _batch(fresh))
    _write(root / CACHE_DIR / _NOTES, ((code_fingerprint(), default_timezone), batches))


def _batch(entries: Mapping[str, Parsed]) -> bytes:
    batch = [(shown, parsed, True) for shown, parsed in entries.items()]
    return pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)


def stamps_digest(root: Path, stamps: Mapping[Path, Stamp]) -> str:
    prefix = f"{root}{os.sep}"
    text = "".join(f"{str(path).removeprefix(prefix)}\0{stamp}\n" for path, stamp in stamps.items())
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


def previous_report(root: Path, key: str) -> Any:
    """The last build's report when it read exactly `key` and its outputs are untouched."""
    found = _read(root / CACHE_DIR / _BUILD)
    if not (isinstance(found, tuple) and len(found) == 3 and found[0] == key and isinstance(found[1], dict)):
        return None
    outputs: dict[str, Stamp] = found[1]
    if _output_stamps(Path(p) for p in outputs) != outputs:
        return None
    return found[2]


def remember_report(root: Path, key: str, outputs: Iterable[Path], report: Any) -> None:
    stamps = _output_stamps(outputs)
    if stamps is not None:
        _write(root / CACHE_DIR / _BUILD, (key, stamps, report))
