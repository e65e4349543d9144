"""What a cache may hold, and the check that it holds exactly that.

A cache entry of the wrong shape (a corrupt file, another version's data, a hand-made one)
would otherwise surface as a crash far from here, in every command, until deleted: each
value is checked against the model's own field types before the cache is used at all.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from datetime import date, datetime
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from followup.errors import Problem
from followup.note.catalog import Entry
from followup.note.model import Impression, Interview, Outcome, Person
from followup.note.workers import Parsed
from followup.plan.applications import Stage
from followup.plan.progress import Tally

# The only globals a cache file may name: plain data classes with no side effect.
ALLOWED = {
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("zoneinfo", "ZoneInfo"),
    ("followup.pipeline", "BuildReport"),
    ("followup.errors", "Problem"),
    ("followup.note.model", "Impression"),
    ("followup.note.model", "Interview"),
    ("followup.note.model", "Outcome"),
    ("followup.note.model", "Person"),
    ("followup.note.workers", "Parsed"),
    ("followup.note.catalog", "Entry"),
    ("followup.out.parts", "Part"),
    ("followup.plan.progress", "Tally"),
    ("followup.plan.applications", "Stage"),
}


def zone_getattr(owner: object, name: str) -> Any:
    """The one attribute lookup a pickled time zone needs (`ZoneInfo._unpickle`), and no other."""
    if owner is ZoneInfo and name == "_unpickle":
        return ZoneInfo._unpickle  # type: ignore[attr-defined]
    raise ValueError(f"{name} is not allowed in a cache")


def _texts(value: object) -> bool:
    return isinstance(value, tuple) and all(isinstance(item, str) for item in value)


def _optional(value: object, kind: type) -> bool:
    return value is None or isinstance(value, kind)


def _int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def valid_stamp(value: object) -> bool:
    return isinstance(value, tuple) and len(value) == 4 and all(_int(part) for part in value)


def valid_stamps(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(path, str) and valid_stamp(stamp) for path, stamp in value.items()
    )


def valid_problem(value: object) -> bool:
    return (
        isinstance(value, Problem)
        and isinstance(value.path, str)
        and _int(value.line)
        and isinstance(value.message, str)
        and value.severity in ("error", "warning")
    )


_PERSON_TEXTS = operator.attrgetter("name", "email", "title", "phone")


def _person(value: object) -> bool:
    return type(value) is Person and all(type(text) is str for text in _PERSON_TEXTS(value))


_TEXTS = operator.attrgetter(
    "path", "slug", "company", "role", "timezone", "round", "location", "agency", "application", "body"
)
_DAYS = operator.attrgetter(
    "reply_by", "reply_received", "thank_you_sent", "notes_reviewed", "offer_received", "offer_deadline"
)
_DAY_OR_NONE = frozenset((date, type(None)))


def valid_interview(value: object) -> bool:
    # Thousands of these are checked on every load: plain type tests, no generic walk.
    if type(value) is not Interview:
        return False
    start = value.start
    people = value.interviewers
    return (
        all(type(text) is str for text in _TEXTS(value))
        and type(value.day) is date
        and (start is None or (type(start) is datetime and type(start.tzinfo) is ZoneInfo))
        and type(value.duration) is int
        and type(people) is tuple
        and all(_person(p) for p in people)
        and (value.recruiter is None or _person(value.recruiter))
        and (value.contact is None or _person(value.contact))
        and all(type(day) in _DAY_OR_NONE for day in _DAYS(value))
        and type(value.impression) is Impression
        and type(value.outcome) is Outcome
        and type(value.may_call) is bool
        and type(value.follow_ups) is tuple
        and all(type(day) is date for day in value.follow_ups)
        and type(value.lines) is tuple
        and all(
            type(pair) is tuple and len(pair) == 2 and type(pair[0]) is str and type(pair[1]) is int
            for pair in value.lines
        )
    )


def valid_parsed(value: object) -> bool:
    return (
        isinstance(value, Parsed)
        and valid_stamp(value.stamp)
        and (value.interview is None or valid_interview(value.interview))
        and isinstance(value.problems, tuple)
        and all(valid_problem(p) for p in value.problems)
    )


def valid_batch(value: object) -> bool:
    """A list of (shown path, Parsed, readable) as `notes` makes them."""
    return isinstance(value, list) and all(
        isinstance(item, tuple)
        and len(item) == 3
        and isinstance(item[0], str)
        and valid_parsed(item[1])
        and isinstance(item[2], bool)
        for item in value
    )


def valid_report_fields(interviews: object, events: object, problems: object, *texts: object) -> bool:
    """The fields of a build's report (see `build.BuildReport`)."""
    return (
        _int(interviews)
        and _int(events)
        and isinstance(problems, tuple)
        and all(valid_problem(p) for p in problems)
        and all(_texts(t) or isinstance(t, str) for t in texts)
    )


def _only(kind: type, values: Iterable[object]) -> bool:
    """Every value is exactly of `kind` (checked at C speed: tens of thousands per build)."""
    return set(map(type, values)) <= {kind}


def valid_entry(value: object) -> bool:
    """A note as the catalog keeps it (`note.catalog.Entry`)."""
    return (
        type(value) is Entry
        and valid_stamp(value.stamp)
        and _only(str, (value.slug, value.application, value.company))
        and type(value.problems) is tuple
        and all(valid_problem(p) for p in value.problems)
    )


def _ordered(value: object, kind: type) -> bool:
    """A tuple of ((when, UID), value of `kind`), as an application's share holds them."""
    if type(value) is not tuple:
        return False
    orders = list(map(itemgetter(0), value)) if _only(tuple, value) and set(map(len, value)) <= {2} else None
    return (
        orders is not None
        and _only(kind, map(itemgetter(1), value))
        and _only(tuple, orders)
        and set(map(len, orders)) <= {2}
        and _only(float, map(itemgetter(0), orders))
        and _only(str, map(itemgetter(1), orders))
    )


def _tally(value: object) -> bool:
    if type(value) is not Tally:
        return False
    answers = value.answers
    return (
        _only(int, (value.this_month, value.past, value.on_time, value.replied, *value.reached))
        and len(value.reached) == 4
        and type(value.waits) is tuple and _only(int, value.waits)
        and _texts(value.months)
        and type(answers) is tuple and _only(tuple, answers) and set(map(len, answers)) <= {3}
        and _only(date, map(itemgetter(0), answers))
        and _only(str, map(itemgetter(1), answers))
        and _only(int, map(itemgetter(2), answers))
    )


def valid_part(value: object) -> bool:
    """An application's share of the outputs (`out.parts.Part`)."""
    from followup.out.parts import Part  # the feed's modules: only a build loads them

    if type(value) is not Part:
        return False
    first, row, zones = value.first, value.row, value.zones
    return (
        type(value.fingerprint) is str
        and type(first) is tuple and len(first) == 2
        and type(first[0]) is datetime and type(first[0].tzinfo) is ZoneInfo and type(first[1]) is str
        and _int(value.rounds)
        and _ordered(value.events, bytes)
        and type(zones) is tuple and _only(tuple, zones) and set(map(len, zones)) <= {3}
        and _only(str, map(itemgetter(0), zones))
        and _only(date, map(itemgetter(1), zones)) and _only(date, map(itemgetter(2), zones))
        and type(value.warnings) is tuple and all(valid_problem(p) for p in value.warnings)
        and type(value.stage) is Stage
        and type(row) is tuple and len(row) == 2 and type(row[1]) is str
        and type(row[0]) is tuple and len(row[0]) == 2 and type(row[0][0]) is bool and type(row[0][1]) is float
        and _ordered(value.cards, str)
        and _int(value.overdue)
        and _ordered(value.missed, str)
        and _tally(value.tally)
    )
