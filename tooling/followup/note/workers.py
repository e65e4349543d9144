"""Parsing many notes at once: on several processes for a first build of thousands, each
worker's results pickled once, and kept as they are for the cache.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass

from followup import parallel
from followup.errors import Problem
from followup.note.files import Stamp
from followup.note.model import Interview
from followup.note.parse import (
    parse_note,
)


@dataclass(frozen=True, slots=True)
class Parsed:
    """One note as read: kept in the cache, and used again while the file's stamp is the same."""

    stamp: Stamp
    interview: Interview | None
    problems: tuple[Problem, ...]

    def __reduce__(self) -> tuple[type[Parsed], tuple[Stamp, Interview | None, tuple[Problem, ...]]]:
        return (Parsed, (self.stamp, self.interview, self.problems))  # see `Interview.__reduce__`


Job = tuple[str, str, str, Stamp, str]  # shown path, file, slug, stamp, default time zone


_PARALLEL_FROM = 2000  # below this, starting processes costs more than it saves


def parse_job(job: Job) -> tuple[Parsed, bool]:
    """One note parsed (in this process or a worker); False when the file could not be read."""
    shown, name, slug, stamp, zone = job
    try:
        with open(name, "rb") as file:  # not Path(name): thousands of paths to parse for nothing
            data = file.read()
    except OSError as error:
        return Parsed(stamp, None, (Problem(shown, 1, f"cannot read the file: {error.strerror}"),)), False
    interview, found = parse_note(data, shown, slug, zone, keep_body=False)
    return Parsed(stamp, interview, tuple(found)), True


Batch = list[tuple[str, Parsed, bool]]  # shown path, the note parsed, whether it was readable


def _parse_batch(jobs: list[Job]) -> bytes:
    """A worker's share, pickled by the worker: the parent keeps these bytes for the cache."""
    batch: Batch = [(job[0], *parse_job(job)) for job in jobs]
    return pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)


def parse_all(jobs: list[Job]) -> tuple[Batch, list[bytes]]:
    """Every job parsed, and (when worker processes did it) their results as pickled batches.

    Thousands of notes to read (a first build) are parsed on every core (`parallel`)."""
    workers = parallel.processes(len(jobs), _PARALLEL_FROM)
    if workers == 1:
        return [(job[0], *parse_job(job)) for job in jobs], []
    done: Batch = []
    pickled: list[bytes] = []
    # Each batch is unpickled here while the workers parse the next ones.
    for data in parallel.forked_map(_parse_batch, parallel.chunks(jobs, workers), workers):
        pickled.append(data)
        done += pickle.loads(data)
    return done, pickled
