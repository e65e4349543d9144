"""Recording what happened in a note: a precise edit of one front-matter key, written safely.

The edit is planned on the file's own text: the key's value is located through the YAML
node marks, only that value is replaced (a list gets one item in its own style, a missing
key one new line before the closing `---`), and every other byte stays as it was. Reading,
planning and writing are separate steps, so the write can refuse when the file changed on
disk in between. Before anything is written the new text is parsed again and must give the
same interview plus the intended change, else nothing is written.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from followup.errors import FollowupError
from followup.fsutil import Busy, atomic_write, locked
from followup.note.dates import parse_when
from followup.note.files import note_files
from followup.note.model import Interview, Outcome
from followup.note.parse import decode_note, normalise_key, parse_note, split_note
from followup.note.template import yaml_string

_BREAK = re.compile(r"\r\n|\r|\n")
_BOM = "\ufeff"
_DASH_PREFIX = re.compile(r"[ ]*-[ ]+")
_PLAIN_SAFE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]*$")
# Text that YAML reads back as the same text without quotes (a date-time, a zone, a plain
# address): words of letters, digits and `_./+-`, a colon only inside a word, single spaces.
_PLAIN_TEXT = re.compile(
    r"^[0-9A-Za-z][0-9A-Za-z_./+-]*(?::[0-9A-Za-z_./+-]+)*(?: [0-9A-Za-z_./+-]+(?::[0-9A-Za-z_./+-]+)*)*$"
)
# Plain words a reader takes for nothing, a yes or no, or a number.
_NOT_PLAIN_TEXT = re.compile(
    r"^(?:~|null|none|true|false|yes|no|on|off|y|n|[-+]?[0-9][0-9_.]*(?:e[-+]?[0-9]+)?)$", re.IGNORECASE
)

class EditError(FollowupError):
    """The note cannot be edited safely; nothing was written."""


class NoteLookupError(FollowupError):
    """NOTE matched no note, or more than one (`matches`)."""

    def __init__(self, message: str, matches: tuple[Path, ...] = ()) -> None:
        super().__init__(message)
        self.matches = matches


@dataclass(frozen=True)
class SetValue:
    """Give `key` this value: a date, an instant (an aware datetime, written in UTC), an
    outcome, a text or a whole number (None: `null`, as if the key were not there). The
    note's `date` takes its text: `2026-12-04 14:00`."""

    key: str
    value: date | Outcome | str | int | None


@dataclass(frozen=True)
class AppendItem:
    """Add one date at the end of the list under `key`."""

    key: str
    value: date


Change = SetValue | AppendItem


@dataclass(frozen=True)
class Snapshot:
    """A note as it was read: its bytes, and what identifies that version on disk."""

    path: Path
    data: bytes
    mtime_ns: int
    size: int
    digest: str


@dataclass(frozen=True)
class PlannedEdit:
    """The bytes to write, and the interview before and after."""

    snapshot: Snapshot
    data: bytes
    before: Interview
    after: Interview

    @property
    def changed(self) -> bool:
        return self.data != self.snapshot.data


def read(path: Path) -> Snapshot:
    data = path.read_bytes()
    stat = path.stat()
    return Snapshot(path, data, stat.st_mtime_ns, stat.st_size, hashlib.sha256(data).hexdigest())


def write(plan: PlannedEdit) -> None:
    """Write the planned bytes atomically, unless the file changed since it was read."""
    snapshot = plan.snapshot
    try:
        now = read(snapshot.path)
    except FileNotFoundError:
        raise EditError(f"{snapshot.path} was removed during the edit; nothing written") from None
    if (now.digest, now.size, now.mtime_ns) != (snapshot.digest, snapshot.size, snapshot.mtime_ns):
        raise EditError(
            f"{snapshot.path} changed on disk since it was read (saved in an editor?); "
            "nothing written, run the command again"
        )
    if plan.changed:
        atomic_write(snapshot.path, plan.data)


# The changes to make, or what chooses them from the note as it reads (under its lock).
Changes = list[Change] | Callable[[Interview], list[Change]]


def plan_edit(snapshot: Snapshot, changes: Changes, shown: str, default_timezone: str) -> PlannedEdit:
    """The new bytes for `changes`, proven to parse to the same interview plus the changes."""
    before = _parse(snapshot.data, shown, default_timezone)
    if callable(changes):
        changes = changes(before)
    changes = [c for c in changes if not _already(before, c)]
    data = snapshot.data
    try:
        for change in changes:
            data = apply(data, change)
    except RecursionError:  # the pure-Python YAML reader that gives the layout recurses
        raise EditError(
            f"{shown}: the front-matter is nested too deeply to edit safely; flatten it, or "
            "edit the note by hand"
        ) from None
    try:
        after = _parse(data, shown, default_timezone)
    except EditError:
        after = None
    expected = expected_after(before, changes)
    if after is None or after != expected or after.body != before.body:
        raise EditError(
            f"{shown}: cannot record this without changing more than the one key "
            "(an unusual layout of the front-matter?); edit the note by hand"
        )
    return PlannedEdit(snapshot, data, before, after)


def _already(interview: Interview, change: Change) -> bool:
    if isinstance(change, AppendItem):
        return change.value in getattr(interview, change.key)
    return expected_after(interview, [change]) == interview


def expected_after(before: Interview, changes: list[Change]) -> Interview:
    """The interview as it should read after the changes."""
    fields: dict[str, Any] = {}
    for change in changes:
        if isinstance(change, AppendItem):
            current = fields.get(change.key, getattr(before, change.key))
            fields[change.key] = tuple(sorted((*current, change.value)))
        else:
            fields[change.key] = change.value
    if "date" in fields or fields.get("timezone", before.timezone) != before.timezone:
        fields.update(_moment(before, fields.pop("date", None), fields.get("timezone", before.timezone)))
    return dataclasses.replace(before, **fields)


def _moment(before: Interview, when: Any, timezone: str) -> dict[str, Any]:
    """`day` and `start` as the note reads them once its `date` is `when` (None: as it is)
    and its `timezone` is `timezone`: a time without an offset is read in the new zone."""
    zone = ZoneInfo(timezone)
    if when is None:
        if before.start is None:
            return {}
        wall = before.start.astimezone(before.zone).replace(tzinfo=None)
        moment: date | datetime = wall.replace(tzinfo=zone)
    else:
        moment = parse_when(when.isoformat() if isinstance(when, date) else str(when), zone)
    if isinstance(moment, datetime):
        start = moment.astimezone(zone)
        return {"day": start.date(), "start": start}
    return {"day": moment, "start": None}


def _parse(data: bytes, shown: str, default_timezone: str) -> Interview:
    interview, problems = parse_note(data, shown, "note", default_timezone)
    errors = [p for p in problems if p.severity == "error"]
    if interview is None or errors:
        listed = "; ".join(f"line {p.line}: {p.message}" for p in errors)
        raise EditError(f"{shown} has errors, fix them first ({listed})")
    return interview


# -- the text edit ------------------------------------------------------------


def apply(data: bytes, change: Change) -> bytes:
    """One change made to the note's bytes; everything else is kept byte for byte."""
    raw = data.decode("utf-8")
    bom = _BOM if raw.startswith(_BOM) else ""
    raw = raw.removeprefix(bom)
    layout = _Layout(raw)
    root = layout.root
    entry = _find_key(root, change.key)
    if entry is None:
        line = f"{change.key}: {_item_text(change)}"
        edited = layout.fill_placeholder(change.key, line, _key_indent(root)) or layout.insert_line(
            line, _key_indent(root)
        )
    elif isinstance(change, SetValue):
        edited = _set(layout, entry[1], _scalar_text(change.value, entry[1]))
    else:
        edited = _append(layout, entry[1], change.value)
    return (bom + edited).encode("utf-8")


def _item_text(change: Change) -> str:
    text = _scalar_text(change.value, None)
    return f"[{text}]" if isinstance(change, AppendItem) else text


def _scalar_text(value: date | Outcome | str | int | None, like: yaml.Node | None) -> str:
    style = like.style if isinstance(like, yaml.ScalarNode) else None
    if value is None:
        return "null"
    if isinstance(value, datetime):  # an instant: in UTC, as `2026-11-20T14:03:00Z`
        value = f"{value.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
    if isinstance(value, str) and not isinstance(value, Outcome):
        # Any text: plain where the note had it plain and YAML reads it back as itself,
        # else double-quoted, every character that could end the line or the value escaped.
        if style is None and _PLAIN_TEXT.match(value) and not _NOT_PLAIN_TEXT.match(value):
            return value
        return yaml_string(value)
    text = value.isoformat() if isinstance(value, date) else str(value)
    if style == '"':
        return f'"{text}"'
    if style == "'" or not _PLAIN_SAFE.match(text):
        return f"'{text}'"
    return text


class _Layout:
    """The note's text, with positions in the composed front-matter mapped back to it."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        text = decode_note(raw.encode("utf-8"))
        split = split_note(text)
        if split is None:
            raise EditError("the note has no closed front-matter")
        front, _, _ = split
        self.front_start = text.find(front, 3)
        self.front_end = self.front_start + len(front)
        self.norm_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.raw_starts = [0] + [m.end() for m in _BREAK.finditer(raw)]
        first_break = _BREAK.search(raw)
        self.eol = first_break.group() if first_break else "\n"
        node = yaml.compose(front, Loader=yaml.SafeLoader)
        if not isinstance(node, yaml.MappingNode) or node.flow_style:
            raise EditError("the front-matter is not a list of `key: value` lines")
        self.root = node

    def position(self, mark: yaml.Mark) -> int:
        """A mark in the front-matter as an index into the raw text."""
        return self.raw_index(self.front_start + mark.index)

    def line_end(self, position: int) -> int:
        found = _BREAK.search(self.raw, position)
        return found.start() if found else len(self.raw)

    def line_start(self, position: int) -> int:
        return max(self.raw.rfind("\n", 0, position), self.raw.rfind("\r", 0, position)) + 1

    def insert_line(self, line: str, indent: str) -> str:
        """A new line just before the closing `---`."""
        at = self.position_of_front_end()
        return self.raw[:at] + indent + line + self.eol + self.raw[at:]

    def fill_placeholder(self, key: str, line: str, indent: str) -> str | None:
        """The text with the template's commented line for `key` (`# reply_by: 2026-11-27  # the
        date...`) made the key's line, its explaining comment kept; None when there is none."""
        start, end = self.raw_index(self.front_start), self.position_of_front_end()
        pattern = re.compile(
            rf"^{re.escape(indent)}#[ \t]*{re.escape(key)}[ \t]*:[^#\r\n]*?(?P<comment>[ \t]+#[^\r\n]*)?[ \t]*$",
            re.MULTILINE,
        )
        found = pattern.search(self.raw, start, end)
        if found is None:
            return None
        return self.raw[:found.start()] + indent + line + (found["comment"] or "") + self.raw[found.end():]

    def position_of_front_end(self) -> int:
        return self.raw_index(self.front_end)

    def raw_index(self, index: int) -> int:
        """An index into the normalised text as an index into the raw text."""
        line = bisect.bisect_right(self.norm_starts, index) - 1
        return self.raw_starts[line] + (index - self.norm_starts[line])


def _find_key(root: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    for key_node, value_node in root.value:
        if isinstance(key_node, yaml.ScalarNode) and normalise_key(key_node.value) == key:
            return key_node, value_node
    return None


def _key_indent(root: yaml.MappingNode) -> str:
    return " " * root.value[0][0].start_mark.column if root.value else ""


def _is_null(node: yaml.Node) -> bool:
    return (
        isinstance(node, yaml.ScalarNode)
        and node.style is None
        and node.value.strip().lower() in ("", "~", "null", "none")
    )


def _replace(layout: _Layout, node: yaml.Node, text: str) -> str:
    start, end = layout.position(node.start_mark), layout.position(node.end_mark)
    raw = layout.raw
    if start == end and start > 0 and raw[start - 1] == ":":
        text = " " + text
    return raw[:start] + text + raw[end:]


def _set(layout: _Layout, node: yaml.Node, text: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or node.style in ("|", ">"):
        raise EditError("the value is not a single value on its line; edit the note by hand")
    return _replace(layout, node, text)


def _append(layout: _Layout, node: yaml.Node, value: date) -> str:
    raw = layout.raw
    if isinstance(node, yaml.ScalarNode):
        if node.style in ("|", ">"):
            raise EditError("the list is written as a block of text; edit the note by hand")
        if _is_null(node):
            return _replace(layout, node, f"[{_scalar_text(value, None)}]")
        start, end = layout.position(node.start_mark), layout.position(node.end_mark)
        return _replace(layout, node, f"[{raw[start:end]}, {_scalar_text(value, node)}]")
    if not isinstance(node, yaml.SequenceNode):
        raise EditError("the value is not a list of dates; edit the note by hand")
    last = node.value[-1] if node.value else None
    if node.flow_style:
        close = raw.rfind("]", 0, layout.position(node.end_mark))
        if last is None:
            return raw[:close] + _scalar_text(value, None) + raw[close:]
        after = layout.position(last.end_mark)
        return raw[:after] + ", " + _scalar_text(value, last) + raw[after:]
    if last is None:  # a block sequence always has an item
        raise EditError("the list is empty in an unusual way; edit the note by hand")
    item_start = layout.position(last.start_mark)
    prefix = raw[layout.line_start(item_start) : item_start]
    if not _DASH_PREFIX.fullmatch(prefix):
        raise EditError("the list's items are laid out unusually; edit the note by hand")
    at = layout.line_end(layout.position(last.end_mark))
    return raw[:at] + layout.eol + prefix + _scalar_text(value, last) + raw[at:]


# -- finding the note ---------------------------------------------------------


def find_note(query: str, notes_dir: Path, root: Path, companies: dict[Path, str]) -> Path:
    """A note named by a path, or by any unambiguous part of its file name or company."""
    for base in (Path.cwd(), root, notes_dir):
        candidate = base / query
        if candidate.is_file():
            named = candidate.resolve()
            homes = (root.resolve(), notes_dir.resolve())
            if not any(named.is_relative_to(home) for home in homes):
                raise NoteLookupError(f"{query} is not a note inside the workspace ({root})")
            return named
    wanted = query.casefold().strip()
    if not wanted:
        raise NoteLookupError("give part of a note's file name or company")
    files = note_files(notes_dir)
    exact = [p for p in files if wanted in (p.stem.casefold(), companies.get(p, "").casefold())]
    found = exact or [
        p
        for p in files
        if wanted in p.relative_to(notes_dir).as_posix().casefold()
        or wanted in companies.get(p, "").casefold()
    ]
    if len(found) == 1:
        return found[0]
    if not found:
        raise NoteLookupError(f"no note matches '{query}'; give its path or part of its file name")
    listed = "\n".join(f"  {p.relative_to(root).as_posix()}" for p in found)
    raise NoteLookupError(f"'{query}' matches {len(found)} notes; be more precise:\n{listed}", tuple(found))


NOTE_WAIT = 10.0  # seconds to wait for another command changing the same note


def record(path: Path, changes: Changes, shown: str, default_timezone: str) -> PlannedEdit:
    """Read, plan and write in one go, holding the note's lock (the command line's path).

    Commands changing the same note take turns, each reading what the one before wrote; a
    link is edited where it points, and stays a link. `changes` may be chosen from the note as
    read here (a command that must see the note as the lock holds it)."""
    target = path.resolve()
    try:
        with locked(target, NOTE_WAIT, create=False):
            plan = plan_edit(read(target), changes, shown, default_timezone)
            write(plan)
    except Busy:
        raise EditError(
            f"{shown}: another followup command is changing this note; nothing written, run this again"
        ) from None
    return plan
