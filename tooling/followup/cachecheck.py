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

# The model's classes are imported where they are checked: a build with nothing to do
# checks only its last report, and should not pay for loading the parser and the planner.

# The only globals a cache file may name: plain data classes with no side effect.
ALLOWED = {
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("zoneinfo", "ZoneInfo"),
    ("followup.report", "BuildReport"),
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


def _person(value: object, person: type) -> bool:
    return type(value) is person and all(type(text) is str for text in _PERSON_TEXTS(value))


_TEXTS = operator.attrgetter(
    "path", "slug", "company", "role", "timezone", "round", "location", "agency", "application", "body"
)
_DAYS = operator.attrgetter(
    "reply_by", "reply_received", "thank_you_sent", "notes_reviewed", "offer_received", "offer_deadline"
)
_DAY_OR_NONE = frozenset((date, type(None)))


def valid_interview(value: object) -> bool:
    # Thousands of these are checked on every load: plain type tests, no generic walk.
    from followup.note.model import Impression, Interview, Outcome, Person

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
        and all(_person(p, Person) for p in people)
        and (value.recruiter is None or _person(value.recruiter, Person))
        and (value.contact is None or _person(value.contact, Person))
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
    from followup.note.workers import Parsed

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
    """The fields of a build's report (see `report.BuildReport`)."""
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


def valid_entries(values: list[object]) -> bool:
    """Notes as the catalog keeps them (`note.catalog.Entry`), checked together."""
    from followup.note.catalog import Entry

    if not _only(Entry, values):
        return False
    entries: list[Entry] = values  # type: ignore[assignment]
    stamps = [entry.stamp for entry in entries]
    problems = [entry.problems for entry in entries]
    return (
        _only(tuple, stamps) and set(map(len, stamps)) <= {4}
        and _only(int, (number for stamp in stamps for number in stamp))
        and _only(str, (text for entry in entries for text in (entry.slug, entry.application, entry.company)))
        and _only(tuple, problems)
        and all(valid_problem(p) for found in problems for p in found)
    )


def _pairs(values: list[object], first: type, second: type) -> bool:
    """Every value is a (first, second) tuple."""
    return (
        _only(tuple, values)
        and set(map(len, values)) <= {2}  # type: ignore[arg-type]
        and _only(first, map(itemgetter(0), values))  # type: ignore[arg-type]
        and _only(second, map(itemgetter(1), values))  # type: ignore[arg-type]
    )


def _placed(items: list[object], kind: type) -> bool:
    """((when, UID), value of `kind`) pairs, as an application's share holds them."""
    if not _pairs(items, tuple, kind):
        return False
    return _pairs(list(map(itemgetter(0), items)), float, str)  # type: ignore[arg-type]


def valid_parts(values: list[object]) -> bool:
    """Applications' shares of the outputs (`out.parts.Part`), checked together: thousands
    are loaded on every build, so each field is checked across all of them at once."""
    from followup.out.parts import Part
    from followup.plan.applications import Stage

    if not _only(Part, values):
        return False
    parts: list[Part] = values  # type: ignore[assignment]
    field = {name: [getattr(part, name) for part in parts] for name in Part._fields}
    many = ("events", "cards", "missed", "zones", "warnings")
    if not all(_only(tuple, field[name]) for name in many):
        return False
    nested = {name: [item for items in field[name] for item in items] for name in many}
    firsts, rows, zones = field["first"], field["row"], nested["zones"]
    return (
        _only(str, field["fingerprint"])
        and _pairs(firsts, datetime, str)
        and _only(ZoneInfo, (first[0].tzinfo for first in firsts))
        and _only(int, field["rounds"]) and _only(int, field["overdue"])
        and _placed(nested["events"], tuple) and _pairs(list(map(itemgetter(1), nested["events"])), int, int)
        and _placed(nested["cards"], tuple) and _pairs(list(map(itemgetter(1), nested["cards"])), int, int)
        and _placed(nested["missed"], str)
        and _only(tuple, zones) and set(map(len, zones)) <= {3}
        and _only(str, map(itemgetter(0), zones))
        and _only(date, map(itemgetter(1), zones)) and _only(date, map(itemgetter(2), zones))
        and all(valid_problem(p) for p in nested["warnings"])
        and _only(Stage, field["stage"])
        and _pairs(rows, tuple, str)
        and _pairs(list(map(itemgetter(0), rows)), bool, float)
        and all(_tally(tally) for tally in field["tally"])
    )


def _tally(value: object) -> bool:
    from followup.plan.progress import Tally

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
