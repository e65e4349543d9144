"""Work spread over the machine's cores by forking: each child starts with the parent's
memory as it was (the notes already read), so only the results travel back, pickled."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

T = TypeVar("T")
R = TypeVar("R")


def processes(items: int, minimum: int) -> int:
    """How many processes share `items` pieces of work: one below `minimum` (starting
    processes would cost more than it saves), or where forking is unsafe (another thread is
    running, as under `mkdocs serve`) or impossible."""
    workers = min(os.cpu_count() or 1, 8)
    if items < minimum or workers < 2:
        return 1  # decided before importing multiprocessing: a small build never needs it
    import multiprocessing

    forkable = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    return workers if forkable else 1


def chunks(items: list[T], workers: int) -> list[list[T]]:
    """`items` in about four pieces per process, so that a slow piece does not hold up the rest."""
    size = -(-len(items) // (workers * 4))
    return [items[start : start + size] for start in range(0, len(items), size)]


def forked_map(function: Callable[[T], R], pieces: Iterable[T], workers: int) -> Iterator[R]:
    """`function` of each piece, in order, computed in `workers` forked processes."""
    futures, stop = _started(function, pieces, workers)
    try:
        for future in futures:
            yield future.result()
    finally:
        stop()


def forked_later(function: Callable[[T], R], pieces: Iterable[T], workers: int) -> Callable[[], list[R]]:
    """`forked_map` started now and collected later: the pieces are worked on while this
    process does something else, and the function returned waits for their results, in order."""
    futures, stop = _started(function, pieces, workers)

    def results() -> list[R]:
        try:
            return [future.result() for future in futures]
        finally:
            stop()

    return results


def _started(
    function: Callable[[T], R], pieces: Iterable[T], workers: int
) -> tuple[list[Future[R]], Callable[[], None]]:
    """Every piece handed to `workers` forked processes; their futures, and what stops them."""
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # The parent's objects out of the collector's sight: a collection in a child would touch
    # every one of them, and so copy the parent's memory page by page.
    gc.freeze()
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))

    def stop() -> None:
        pool.shutdown(cancel_futures=True)
        gc.unfreeze()

    try:
        return [pool.submit(function, piece) for piece in pieces], stop
    except BaseException:
        stop()
        raise


@contextlib.contextmanager
def aside(work: Callable[[], None], *, worth_it: bool) -> Iterator[None]:
    """`work` done in a forked process while the `with` block runs, and waited for when the
    block ends, even when it fails: nothing is left running once the caller goes on. Done
    here first when it is not `worth_it` or forking is unsafe (see `processes`), and done
    here again after the block when the forked process failed, so that its error shows."""
    if not worth_it or processes(2, 2) == 1:
        work()
        yield
        return
    child = os.fork()
    if child == 0:  # the forked process: never back into the caller's code
        status = 1
        try:
            work()
            status = 0
        finally:
            os._exit(status)
    try:
        yield
    finally:
        _, status = os.waitpid(child, 0)
    if status != 0:
        work()
