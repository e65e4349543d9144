"""Writing files so that a reader never sees half of one, and unchanged files are left alone."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode: int | None = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically write `data` unless the file already holds it; True when written.

    Leaving unchanged files untouched keeps `mkdocs serve` from rebuilding in a loop.
    """
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    atomic_write(path, data)
    return True


class Busy(Exception):
    """The lock is held by another process and was not let go in time."""


@contextlib.contextmanager
def locked(
    path: Path, wait: float | None, *, create: bool = True, waiting: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created when missing, if `create`) for the block.

    When another process holds it, `waiting` is called once, then this one waits: for as long
    as it takes when `wait` is None, else at most `wait` seconds (then `Busy`). A `flock` lock
    belongs to the open file, so a process that dies, however it dies, lets go of it: no stale
    lock can outlive its owner. When the file is replaced by a rename while we wait (a note
    written by `atomic_write`), the lock is taken again on the new one.
    """
    deadline = None if wait is None else time.monotonic() + wait
    told = False
    while True:
        handle = os.open(path, os.O_RDONLY | os.O_CLOEXEC | (os.O_CREAT if create else 0), 0o666)
        try:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if waiting is not None and not told:
                        waiting()
                        told = True
                    if deadline is None:
                        fcntl.flock(handle, fcntl.LOCK_EX)  # until the other one lets go
                        break
                    if time.monotonic() > deadline:
                        raise Busy(str(path)) from None
                    time.sleep(0.05)
            try:
                same = os.fstat(handle).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                yield
                return
        finally:
            os.close(handle)


_RENAME_EXCHANGE = 2


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux `renameat2`); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_cwd = -100
    result = renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def replace_folder(fresh: Path, final: Path) -> None:
    """Put `fresh` where `final` is, so that at every instant one of the two is there whole.

    The old folder ends up at `fresh`'s name, and is removed."""
    if not final.exists():
        fresh.rename(final)
        return
    if exchange(fresh, final):
        shutil.rmtree(fresh, ignore_errors=True)
        return
    old = final.with_name(f".{final.name}.old")  # no atomic swap here: the best we can do
    shutil.rmtree(old, ignore_errors=True)
    final.rename(old)
    fresh.rename(final)
    shutil.rmtree(old, ignore_errors=True)
