"""The one cache: answers kept between commands, outside the workspace, found only by what
made them.

An entry is found by two things together: the content it was made from (a note's bytes,
a page's Markdown), which its caller puts in the key, and one fingerprint of everything
else that can change an answer (`fingerprint`): this file's `SCHEMA`, the bytes of
followup's own source, every installed distribution and its version, Python's version and
the time zone database's. Change any of them and no old entry is found again, so a stale
answer cannot be given: there is nothing to invalidate, by hand or by a clock.

Each kind of entry is a `Record`: a name, a version, and how its value is written to JSON
and read back. A value that does not read back is a miss. The entries of a workspace live
in one SQLite file in the user's cache folder (`$XDG_CACHE_HOME/followup/`, private to the
user), never in the workspace; a cache that cannot be opened or read is rebuilt silently,
and deleting it changes no output, only the time a command takes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import sys
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar

SCHEMA = 1  # the layout of the store itself; a record's own layout has its `version`
_FILE = "cache.sqlite3"
_CHUNK = 500  # keys per query: SQLite limits the parameters of one statement

T = TypeVar("T")


@dataclass(frozen=True)
class Record(Generic[T]):
    """A kind of entry: its values written as JSON (`encode`) and read back (`decode`, which
    raises on anything it does not recognise: the entry is then a miss)."""

    name: str
    version: int
    encode: Callable[[T], Any]
    decode: Callable[[Any], T]

    def dumps(self, value: T) -> bytes:
        return json.dumps(self.encode(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def loads(self, data: bytes) -> T:
        return self.decode(json.loads(data))


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


def digest(*parts: str | bytes) -> str:
    """A hex digest of the parts, kept apart from each other."""
    pieces: list[bytes] = []
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        pieces += (len(data).to_bytes(8, "big"), data)
    return hashlib.sha256(b"".join(pieces)).hexdigest()


# -- the fingerprint ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """Everything besides an entry's own key that can change an answer (see the module)."""
    return digest(str(SCHEMA), _source_digest(), _distributions(), sys.version, sys.implementation.cache_tag,
                  _zone_data())


def _source_digest() -> str:
    """The bytes of every file of the followup package, by name: an edit anywhere, even one
    that keeps a file's size and time, is a new fingerprint."""
    package = Path(__file__).resolve().parent
    found = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            found.update(path.relative_to(package).as_posix().encode() + b"\0")
            found.update(path.read_bytes() + b"\0")
    return found.hexdigest()


def _distributions() -> str:
    """Every installed distribution with its version, as the names of their metadata folders
    say (`icalendar-7.3.2.dist-info`): one listing per folder of `sys.path`, much faster than
    asking `importlib.metadata` for each. Any install or upgrade is a new fingerprint."""
    names: set[str] = set()
    for entry in sys.path:
        with contextlib.suppress(OSError):
            names.update(
                name for name in os.listdir(entry or ".") if name.endswith((".dist-info", ".egg-info"))
            )
    return "\n".join(sorted(names))


def _zone_data() -> str:
    """The version of the time zone database zoneinfo reads (the system's, else tzdata's)."""
    versions = []
    for folder in zoneinfo.TZPATH:
        with contextlib.suppress(OSError), open(os.path.join(folder, "tzdata.zi"), "rb") as stream:
            versions.append(stream.readline().decode("ascii", "replace").strip())
    return "\n".join(versions)


# -- the store ------------------------------------------------------------------------------


class Cache:
    """The entries of one workspace. Reads go straight to the file; writes are gathered and
    made in one transaction by `save` (or on leaving a `with` block without an error)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._pending: dict[str, tuple[str, bytes]] = {}
        if path is not None:
            self._db = _connect(path)

    @classmethod
    def of(cls, root: Path) -> Cache:
        folder = cache_dir(root)
        return cls(folder / _FILE if folder is not None else None)

    @classmethod
    def none(cls) -> Cache:
        """A cache that keeps nothing: every answer is made afresh."""
        return cls(None)

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        if kind is None:
            self.save()
        self.close()

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def get(self, record: Record[T], key: str) -> T | None:
        return self.get_many(record, [key]).get(key)

    def get_many(self, record: Record[T], keys: Iterable[str]) -> dict[str, T]:
        """The entries found for these keys (each decoded; one that does not decode is left out)."""
        found: dict[str, T] = {}
        for key, data in self.get_many_raw(record, keys).items():
            with contextlib.suppress(Exception):  # a value that does not read back is a miss
                found[key] = record.loads(data)
        return found

    def get_many_raw(self, record: Record[Any], keys: Iterable[str]) -> dict[str, bytes]:
        """The entries found for these keys, as stored (`Record.loads` reads one)."""
        wanted = {_entry_key(record, key): key for key in keys}
        return {wanted[stored]: bytes(data) for stored, data in self._select(list(wanted))}

    def put(self, record: Record[T], key: str, value: T) -> bytes:
        """Keep `value` under `key` (written by the next `save`); its bytes as stored."""
        data = record.dumps(value)
        if self._db is not None:
            self._pending[_entry_key(record, key)] = (record.name, data)
        return data

    def save(self) -> None:
        """Write the entries put since the last save, in one transaction."""
        if self._db is None or not self._pending:
            return
        rows = [(key, name, data) for key, (name, data) in self._pending.items()]
        self._pending = {}
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", rows)
        except sqlite3.Error:
            self._broken()

    def keep_only(self, record: Record[T], keys: Iterable[str], *, slack: int | None = None) -> None:
        """Forget every entry of `record` but these, once the others are many (more than
        `slack`, by default as many as these and a hundred): for a caller that has just asked
        for every entry of the kind it still needs (every note's)."""
        if self._db is None:
            return
        kept = [_entry_key(record, key) for key in keys]
        try:
            (count,) = self._db.execute("SELECT count(*) FROM entries WHERE record = ?", (record.name,)).fetchone()
            if count <= len(kept) + (len(kept) + 100 if slack is None else slack):
                return
            with self._db:
                self._db.execute("CREATE TEMP TABLE IF NOT EXISTS kept (key TEXT PRIMARY KEY)")
                self._db.execute("DELETE FROM kept")
                self._db.executemany("INSERT OR IGNORE INTO kept VALUES (?)", ((key,) for key in kept))
                self._db.execute(
                    "DELETE FROM entries WHERE record = ? AND key NOT IN (SELECT key FROM kept)", (record.name,)
                )
        except sqlite3.Error:
            self._broken()

    def _select(self, keys: list[str]) -> Iterator[tuple[str, bytes]]:
        if self._db is None:
            return
        try:
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                yield from self._db.execute(f"SELECT key, value FROM entries WHERE key IN ({marks})", chunk)
        except sqlite3.Error:
            self._broken()

    def _broken(self) -> None:
        """A damaged file: removed, and a new one started (or none, when that fails too)."""
        self.close()
        self._pending = {}
        if self.path is None:
            return
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")
        self._db = _connect(self.path, retry=False)


def _entry_key(record: Record[Any], key: str) -> str:
    return digest(fingerprint(), record.name, str(record.version), key)


def _connect(path: Path, *, retry: bool = True) -> sqlite3.Connection | None:
    """The store at `path`, made private to the user; None when it cannot be had."""
    try:
        private_folder(path.parent)
        db = sqlite3.connect(path, timeout=10, check_same_thread=False)
        os.chmod(path, 0o600)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(
            "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, record TEXT NOT NULL, value BLOB NOT NULL)"
            " WITHOUT ROWID"
        )
        return db
    except sqlite3.DatabaseError:
        if not retry:
            return None
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(f"{path}{suffix}")
        return _connect(path, retry=False)
    except (OSError, sqlite3.Error):
        return None


def private_folder(folder: Path) -> None:
    """The folder and the one above it (`followup/` for a workspace's cache), readable by the user
    alone: they hold notes' data."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for path in (folder.parent, folder):
        if path.name and path.stat().st_mode & 0o077:
            os.chmod(path, 0o700)

