"""Reading interview notes: front-matter validated into `Interview`s, every problem collected.

Front-matter is composed (never constructed) with PyYAML's safe loader, so no tag in a
note can run code, and every value is taken from its source text with its line number.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Collection
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import yaml
from frontmatter.default_handlers import YAMLHandler

from followup.errors import Problem
from followup.note.addresses import is_email, parse_people
from followup.note.dates import fixed_offset_hint, parse_date, parse_when
from followup.note.model import Impression, Interview, Outcome, Person
from followup.note.schema import (
    MAX_NOTE_BYTES,
    MAX_PEOPLE,
    MAX_VALUE_CHARS,
    NOTE_KEYS,
    OTHER_TOOLS_KEYS,
    REQUIRED,
    SYNONYMS,
    Kind,
)

# The C loader is about eight times faster; PyYAML built without libyaml lacks it.
_Base: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_KIND_TAGS = {
    yaml.ScalarNode: "tag:yaml.org,2002:str",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """Composes nodes without guessing types: every value is read from its text here, and
    only explicit tags (`!!python/...`) matter, to be refused."""

    def resolve(self, kind: type[yaml.Node], value: object, implicit: object) -> str:
        return _KIND_TAGS[kind]


# Markdown (Python-Markdown) takes time growing with the square of the text for some inputs:
# each `[` is matched against the rest of its paragraph (or list item), each unclosed HTML tag
# against the rest of the notes, and lists or quotes nested deep exhaust its recursion. The
# work those take is kept under MAX_MARKDOWN_WORK character steps (about half a second); notes
# within it convert in time linear in their length.
MAX_MARKDOWN_WORK = 2_000_000
MAX_NESTING = 20
_START_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)")
_END_TAG = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)")
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
})
_NEW_UNIT = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)]|#{1,6}|>)\s")
_MARKER = r"(?:[-*+]|\d{1,9}[.)])"
_DEEP_NESTING = re.compile(  # many markers on one line, or one indented past the limit
    rf"^(?:[ \t]*(?:{_MARKER}|>)[ \t]+){{{MAX_NESTING + 1},}}|^ {{{4 * MAX_NESTING},}}[ \t]*{_MARKER}\s"
)

# Keys whose value the reader works out itself rather than taking it as read.
_READ_APART = frozenset({"company", "role", "date", "timezone", "contact", "application"})

# Every key a note may have, with what it holds (for messages).
KEYS: dict[str, str] = {key.name: key.meaning for key in NOTE_KEYS}


_PERSON_KEYS = {"name", "title", "email", "phone"}


_SAFE_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp", "merge")
}


_NULLS = {"", "~", "null", "none"}


_TRUE = {"true", "yes", "on", "y"}


_FALSE = {"false", "no", "off", "n"}


_TIME_KEYS = {"time", "start", "start_time", "starts", "hour", "at"}


# Keys holding text (or a person written as text): a bare YAML number or boolean there is a slip.
_TEXT_KEYS = {"company", "role", "agency", "recruiter", "contact", "interviewers"}


# Lines that are Markdown, not YAML: a heading, a list item, a line of prose without a colon.
_MARKDOWN_LINE = re.compile(r"^(?:#{1,6}\s|[-*+]\s|\d+\.\s|[^:#\s-][^:]*$)")


_NOT_TEXT = re.compile(r"^(?:[-+]?\d[\d_]*(?:\.\d*)?(?:e[-+]?\d+)?|true|false|yes|no|on|off)$", re.IGNORECASE)


_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+$")


_NAMED_ADDRESS = re.compile(r"^(.*?)\s*<([^<>]*)>$")




T = TypeVar("T")


def parse_note(
    data: bytes, path: str, slug: str, default_timezone: str, *, keep_body: bool = True,
    extra_keys: Collection[str] = (),
) -> tuple[Interview | None, list[Problem]]:
    """Parse one note's bytes; the interview is None when any error was found.

    Without `keep_body` the interview's body is left empty (see `read_body`). `extra_keys`
    are keys the user keeps for other tools (`extra_keys` in followup.toml): no warning."""
    reader = _NoteReader(path, keep_body=keep_body, extra_keys=extra_keys)
    interview = reader.read(data, slug, default_timezone)
    has_error = any(p.severity == "error" for p in reader.problems)
    return (None if has_error else interview), reader.problems


def decode_note(data: bytes) -> str:
    """UTF-8 text with a byte-order mark dropped and line endings made `\\n`."""
    text = data.decode("utf-8")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split_note(text: str) -> tuple[str, int, str] | None:
    """(front-matter, number of lines before it, body), or None without a closed front-matter."""
    handler = YAMLHandler()
    if not handler.detect(text):
        return None
    try:
        front, body = handler.split(text)
    except ValueError:
        return None
    start = text.find(front, 3)
    return front, text.count("\n", 0, start), body


class _NoteReader:
    """Turns one note into an Interview, recording problems as it goes."""

    def __init__(self, path: str, *, keep_body: bool = True, extra_keys: Collection[str] = ()) -> None:
        self.path = path
        self.keep_body = keep_body
        self.ignored = OTHER_TOOLS_KEYS | {normalise_key(k) for k in extra_keys}
        self.problems: list[Problem] = []
        self.offset = 0

    def problem(self, line: int, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.path, line, message, "warning" if severity == "warning" else "error"))

    def line(self, node: yaml.Node) -> int:
        return self.offset + node.start_mark.line + 1

    def read(self, data: bytes, slug: str, default_timezone: str) -> Interview | None:
        if len(data) > MAX_NOTE_BYTES:
            self.problem(
                1,
                f"the note is {len(data):,} bytes, more than the {MAX_NOTE_BYTES:,} a note may have; "
                "move long material (a pasted document, an image) out of it",
            )
            return None
        try:
            text = decode_note(data)
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            self.problem(line, "the file is not UTF-8 text; save it as UTF-8 in your editor")
            return None
        if not text.strip():
            self.problem(1, "the file is empty; start it with front-matter (run `followup new`)")
            return None
        split = split_note(text)
        if split is None:
            if text.lstrip("\n").startswith("---"):
                self.problem(
                    1,
                    "the front-matter is not closed; add a line `---` after the last key",
                )
            else:
                self.problem(
                    1,
                    "no front-matter; start the file with a line `---`, the keys "
                    "(company, role, date...), then another `---`",
                )
            return None
        front, self.offset, body = split
        root = self.compose(front)
        values = self.collect(root) if root is not None else {}
        if self.problems and (line := self.closing_line(front)):
            self.problem(
                line,
                "the front-matter is not closed: the notes below were read as keys; "
                f"add a line `---` before line {line}",
            )
            return None
        if root is None:
            return None
        self.check_body(body, text.count("\n") - body.count("\n") + 1)
        return self.build(values, body, slug, default_timezone, root)

    def check_body(self, body: str, first_line: int) -> None:
        """The Markdown below the front-matter, within what Markdown converts in time linear in
        its length (see `MAX_MARKDOWN_WORK`): otherwise an error with the line, never a build
        that takes hours or a traceback."""
        unit_start, unit_brackets, unit_length, work = first_line, 0, 0, 0
        for number, line in enumerate(body.split("\n"), start=first_line):
            if _DEEP_NESTING.match(line):
                self.problem(
                    number,
                    f"lists or quotes nested more than {MAX_NESTING} deep here; Markdown cannot read that "
                    "nesting: flatten the list",
                )
                return
            if not line.strip() or _NEW_UNIT.match(line):  # a new paragraph, list item or heading
                work += unit_brackets * unit_length
                unit_start, unit_brackets, unit_length = number + (not line.strip()), 0, 0
            unit_brackets += line.count("[")
            unit_length += len(line) + 1
            if work + unit_brackets * unit_length > MAX_MARKDOWN_WORK:
                self.problem(
                    unit_start,
                    "the text from here on holds so many '[' that Markdown would take minutes over it; "
                    "remove some, or put the text in a code block (```)",
                )
                return
        opened = Counter(name.lower() for name in _START_TAG.findall(body))
        closed = Counter(name.lower() for name in _END_TAG.findall(body))
        unclosed = sum(max(count - closed[name], 0) for name, count in opened.items() if name not in _VOID)
        if unclosed * len(body) > MAX_MARKDOWN_WORK:
            first_tag = _START_TAG.search(body)
            self.problem(
                first_line + body[: first_tag.start() if first_tag else 0].count("\n"),
                f"the notes open {unclosed:,} HTML elements they never close, more than Markdown can read "
                "in reasonable time; write '<' as &lt;, close the elements, or put the text in a code block",
            )

    def closing_line(self, front: str) -> int:
        """Where a missing closing `---` belongs, when a later `---` in the body closed the
        front-matter instead: the first blank line after which every new problem lies, with
        a complete front-matter before it. 0 when it does not look like that."""
        lines = front.split("\n")
        for index, line in enumerate(lines):
            if line.strip():
                continue
            probe = _NoteReader(self.path, keep_body=False)
            probe.offset = self.offset
            root = probe.compose("\n".join(lines[:index]))
            keys = probe.collect(root) if root is not None else {}
            if any(p.severity == "error" for p in probe.problems) or not all(k in keys for k in REQUIRED):
                continue
            new = [p for p in self.problems if p not in probe.problems]
            markdown = any(_MARKDOWN_LINE.match(rest) for rest in lines[index:])
            if markdown and new and all(p.line > self.offset + index for p in new):
                self.problems = probe.problems
                return self.offset + index + 1
            return 0
        return 0

    def compose(self, front: str) -> yaml.MappingNode | None:
        try:
            root = yaml.compose(front, Loader=_Loader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = self.offset + (mark.line + 1 if mark else 1)
            what = error.problem or error.context or "unreadable YAML"
            hint = _yaml_hint(what, front, mark.line if mark else 0)
            context = error.context_mark
            if context is not None and mark is not None and context.line != mark.line:
                hint += f" (it started on line {self.offset + context.line + 1})"
            self.problem(line, f"YAML syntax error: {what}{hint}")
            return None
        except yaml.YAMLError as error:
            self.problem(self.offset + 1, f"YAML error: {error}")
            return None
        except RecursionError:
            self.problem(self.offset + 1, "the front-matter is nested too deeply; keep it to `key: value` lines")
            return None
        if root is None:
            self.problem(1, "the front-matter is empty; add at least company, role and date")
            return None
        if not isinstance(root, yaml.MappingNode):
            self.problem(self.line(root), "the front-matter must be `key: value` lines")
            return None
        if "!" in front:  # an explicit tag needs a "!"; most notes have none
            self.check_tags(root)
        return root

    def check_tags(self, root: yaml.Node) -> None:
        """Report tags that would construct objects; nothing here is ever constructed anyway."""
        seen: set[int] = set()
        stack: list[yaml.Node] = [root]
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if node.tag not in _SAFE_TAGS:
                tag = node.tag.replace("tag:yaml.org,2002:", "!!")
                self.problem(self.line(node), f"the YAML tag '{tag}' is not allowed in a note; remove it")
            if isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
            elif isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    stack.extend((key, value))

    def collect(self, root: yaml.MappingNode) -> dict[str, tuple[yaml.Node, int]]:
        """Known keys (normalised) -> (value node, line); unknown and repeated keys reported."""
        values: dict[str, tuple[yaml.Node, int]] = {}
        for key_node, value_node in root.value:
            line = self.line(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(line, "a key must be a plain word such as `company`")
                continue
            key = normalise_key(key_node.value)
            if key in _TIME_KEYS:
                self.problem(
                    line,
                    f"'{key_node.value}' is not a key: put the time in 'date', like `date: 2026-11-20 14:00`",
                    "warning",
                )
                continue
            if key not in KEYS:
                if key not in self.ignored:
                    self.problem(line, _unknown_key(key_node.value, key), "warning")
                continue
            if key in values:
                self.problem(line, f"'{key}' appears twice (also on line {values[key][1]}); keep one")
                continue
            values[key] = (value_node, line)
        return values

    # -- values ---------------------------------------------------------------

    def text(self, node: yaml.Node, key: str, limit: int = MAX_VALUE_CHARS) -> str | None:
        node = _unquoted_link(node)
        if isinstance(node, yaml.ScalarNode):
            if not node.style and node.value.strip().lower() in _NULLS:
                return None
            value = str(node.value).strip()
            if "[[" in value:
                value = _WIKILINK.sub(_link_text, value)
            if not node.style and key in _TEXT_KEYS and _NOT_TEXT.match(value):
                self.problem(
                    self.line(node),
                    f"'{key}' is {value!r}, which reads as a number or true/false, not as "
                    f"{KEYS[key]}; write the text, in quotes if it really is \"{value}\"",
                )
                return None
            if len(value) > limit:
                self.problem(
                    self.line(node),
                    f"'{key}' is {len(value):,} characters long, more than the {limit:,} a value may "
                    "have; shorten it (long text belongs in the notes below the front-matter)",
                )
                return None
            return value
        self.problem(self.line(node), f"'{key}' must be a single value, not a list or mapping")
        return None

    def convert(self, node: yaml.Node, key: str, parse: Callable[[str], T]) -> T | None:
        raw = self.text(node, key)
        if raw is None:
            return None
        try:
            return parse(raw)
        except ValueError as error:
            self.problem(self.line(node), f"{key}: {error}")
            return None

    def items(self, node: yaml.Node) -> list[yaml.Node]:
        """A list, or one value standing for a one-item list."""
        if isinstance(node, yaml.SequenceNode) and _unquoted_link(node) is node:
            return list(node.value)
        # libyaml gives plain scalars the style '', pure-Python PyYAML None
        if isinstance(node, yaml.ScalarNode) and not node.style and node.value.strip().lower() in _NULLS:
            return []
        return [node]

    def person(self, node: yaml.Node, key: str) -> Person | None:
        if isinstance(node, yaml.MappingNode):
            fields: dict[str, str] = {}
            for key_node, value_node in node.value:
                name = normalise_key(str(key_node.value))
                name = {"mail": "email", "role": "title", "position": "title"}.get(name, name)
                if name not in _PERSON_KEYS:
                    self.problem(
                        self.line(key_node),
                        f"unknown field '{key_node.value}' for a person in '{key}'; "
                        "use name, title, email or phone",
                        "warning",
                    )
                    continue
                value = self.text(value_node, f"{key}.{name}")
                if value:
                    fields[name] = value
            if "name" not in fields and "email" not in fields:
                self.problem(self.line(node), f"a person in '{key}' needs at least a name or an email")
                return None
            email = fields.get("email", "")
            if email and not is_email(email):
                self.problem(self.line(node), f"'{email}' in '{key}' is not an email address")
                return None
            return Person(
                name=fields.get("name") or email.split("@")[0],
                email=email,
                title=fields.get("title", ""),
                phone=fields.get("phone", ""),
            )
        found = self.listed_people(node, key)
        if len(found) > 1:
            self.problem(self.line(node), f"'{key}' names {len(found)} people; give one")
            return None
        return found[0] if found else None

    def listed_people(self, node: yaml.Node, key: str) -> list[Person]:
        """The people in one text value, an address list as in an email header."""
        raw = self.text(node, key, limit=MAX_VALUE_CHARS * MAX_PEOPLE)  # each person is checked below
        if raw is None:
            return []
        try:
            people = parse_people(raw)
        except ValueError as error:
            self.problem(self.line(node), f"{key}: {error}")
            return []
        for person in people:
            if len(person.name) > MAX_VALUE_CHARS:
                self.problem(
                    self.line(node),
                    f"{key}: a name is {len(person.name):,} characters long, more than the "
                    f"{MAX_VALUE_CHARS:,} a value may have; shorten it",
                )
                return []
        return people

    def people(self, node: yaml.Node, key: str) -> tuple[Person, ...]:
        found: list[Person] = []
        for item in self.items(node):
            if isinstance(item, yaml.ScalarNode):
                found += self.listed_people(item, key)
            elif (person := self.person(item, key)) is not None:
                found.append(person)
            if len(found) > MAX_PEOPLE:
                self.problem(
                    self.line(node),
                    f"'{key}' lists more than {MAX_PEOPLE} people, the most a note may have; "
                    "keep the ones you met",
                )
                return ()
        return tuple(found)

    def choice(self, node: yaml.Node, key: str, choices: type[T]) -> T | None:
        raw = self.text(node, key)
        if raw is None:
            return None
        value = raw.lower().replace("_", "-").replace(" ", "-")
        options = [member.value for member in choices]  # type: ignore[attr-defined]
        if value in options:
            return choices(value)  # type: ignore[call-arg]
        close = difflib.get_close_matches(value, options, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        self.problem(self.line(node), f"{key}: '{raw}' is not allowed; {hint}use one of {', '.join(options)}")
        return None

    def flag(self, node: yaml.Node, key: str) -> bool | None:
        raw = self.text(node, key)
        if raw is None:
            return None
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        self.problem(self.line(node), f"{key}: '{raw}' must be true or false")
        return None

    def minutes(self, raw: str) -> int:
        digits = re.sub(r"\s*(minutes|minute|mins|min|m)$", "", raw.lower())
        if not digits.isdigit() or not 1 <= int(digits) <= 24 * 60:
            raise ValueError(f"'{raw}' must be a number of minutes between 1 and 1440, like 45")
        return int(digits)

    def number(self, raw: str) -> int:
        if not re.fullmatch(r"[0-9]{1,9}", raw):
            raise ValueError(f"'{raw}' must be a whole number, like 2")
        return int(raw)

    def instant(self, raw: str, zone: ZoneInfo) -> datetime:
        moment = parse_when(raw, zone)
        if not isinstance(moment, datetime):
            raise ValueError(f"'{raw}' needs a time as well, like 2026-11-20T14:03:00Z")
        return moment.astimezone(UTC)

    def key_names(self, node: yaml.Node, key: str) -> tuple[str, ...]:
        """Names of a note's keys: a list, or one value with commas."""
        found: list[str] = []
        for item in self.items(node):
            raw = self.text(item, key)
            for name in (raw or "").split(","):
                if not name.strip():
                    continue
                if normalise_key(name) not in KEYS:
                    self.problem(self.line(item), f"{key}: '{name.strip()}' is not a key of a note", "warning")
                elif normalise_key(name) not in found:
                    found.append(normalise_key(name))
        return tuple(found)

    def zone(self, raw: str) -> str:
        try:
            ZoneInfo(raw)
        except (ZoneInfoNotFoundError, ValueError):
            close = difflib.get_close_matches(raw, available_timezones(), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise ValueError(
                f"unknown time zone '{raw}'; {hint}use an IANA name such as Europe/London"
            ) from None
        return raw

    # -- the model ------------------------------------------------------------

    def build(
        self,
        values: dict[str, tuple[yaml.Node, int]],
        body: str,
        slug: str,
        default_timezone: str,
        root: yaml.Node,
    ) -> Interview | None:
        for key in REQUIRED:
            if key == "date" and "applied" in values:
                continue  # an application with no interview yet
            if key not in values:
                example = {"company": "Acme", "role": "Backend Engineer", "date": "2026-11-20 14:00"}[key]
                also = " (or `applied: DATE` for an application with no interview yet)" if key == "date" else ""
                self.problem(1, f"missing required key '{key}'; add `{key}: {example}` to the front-matter{also}")
        timezone = default_timezone
        if "timezone" in values:
            timezone = self.convert(values["timezone"][0], "timezone", self.zone) or default_timezone
            if fixed := fixed_offset_hint(timezone):
                self.problem(values["timezone"][1], f"timezone: {fixed}", "warning")
        read = self.readers(ZoneInfo(timezone))
        found = {
            key.name: read[key.kind](values[key.name][0], key.name)
            for key in NOTE_KEYS
            if key.name in values and key.name != "timezone"
        }
        self.report_empty(values, found)
        company, role, when = found.get("company"), found.get("role"), found.get("date")
        scheduled = "date" in values
        if not scheduled and found.get("applied") is not None:
            when = found["applied"]
        interviewers = found.get("interviewers") or ()
        contact = found.get("contact")
        if contact is not None and not contact.email:
            named = [p for p in interviewers if p.name.casefold() == contact.name.casefold()]
            contact = named[0] if named else contact
        if not (company and role and when):
            return None
        if isinstance(when, datetime):
            start = when.astimezone(ZoneInfo(timezone))
            day = start.date()
        else:
            day, start = when, None
        application = (found.get("application") or f"{company} / {role}").casefold()
        plain: dict[str, Any] = {
            key.name: key.absent if found.get(key.name) is None else found[key.name]
            for key in NOTE_KEYS if key.name not in _READ_APART
        }
        return Interview(
            path=self.path,
            slug=slug,
            company=company,
            role=role,
            day=day,
            start=start,
            timezone=timezone,
            contact=contact,
            application=" ".join(application.split()),
            scheduled=scheduled,
            body=body if self.keep_body else "",
            lines=tuple((key, line) for key, (_, line) in values.items()),
            **plain,
        )

    def readers(self, zone: ZoneInfo) -> dict[Kind, Callable[[yaml.Node, str], Any]]:
        """How a value of each kind is read; dates and times in the note's time zone."""

        def dates(node: yaml.Node, key: str) -> tuple[date, ...]:
            parsed = (self.convert(item, key, parse_date) for item in self.items(node))
            return tuple(sorted(d for d in parsed if d is not None))

        return {
            Kind.TEXT: self.text,
            Kind.WHEN: lambda node, key: self.convert(node, key, lambda raw: parse_when(raw, zone)),
            Kind.ZONE: lambda node, key: self.convert(node, key, self.zone),
            Kind.MINUTES: lambda node, key: self.convert(node, key, self.minutes),
            Kind.PEOPLE: self.people,
            Kind.PERSON: self.person,
            Kind.DATE: lambda node, key: self.convert(node, key, parse_date),
            Kind.DATES: dates,
            Kind.IMPRESSION: lambda node, key: self.choice(node, key, Impression),
            Kind.OUTCOME: lambda node, key: self.choice(node, key, Outcome),
            Kind.FLAG: self.flag,
            Kind.NUMBER: lambda node, key: self.convert(node, key, self.number),
            Kind.INSTANT: lambda node, key: self.convert(node, key, lambda raw: self.instant(raw, zone)),
            Kind.KEYS: self.key_names,
        }

    def report_empty(self, values: dict[str, tuple[yaml.Node, int]], found: dict[str, Any]) -> None:
        """A required key written with no value, when nothing else was said about its line."""
        for key in REQUIRED:
            if key not in values or found.get(key) or any(p.line == values[key][1] for p in self.problems):
                continue
            if key == "date":
                self.problem(values[key][1], "'date' is empty; write 2026-11-20 14:00 or 2026-11-20")
            elif isinstance(values[key][0], yaml.ScalarNode):
                self.problem(values[key][1], f"'{key}' is empty; write {KEYS[key]}")


# A link as Obsidian writes it: [[Page]], [[Page|shown text]], [[Page#Heading]].
_WIKILINK = re.compile(r"\[\[([^\[\]|#]*)(?:#[^\[\]|]*)?(?:\|([^\[\]]*))?\]\]")


def _link_text(found: re.Match[str]) -> str:
    return (found[2] or found[1]).strip()


def _unquoted_link(node: yaml.Node) -> yaml.Node:
    """`company: [[Pinecrest Labs]]` left unquoted is, to YAML, a list in a list: read it as the
    link it is, a scalar `[[Pinecrest Labs]]`. Any other node is returned as it is."""
    if (
        isinstance(node, yaml.SequenceNode) and node.flow_style and len(node.value) == 1
        and isinstance(inner := node.value[0], yaml.SequenceNode) and inner.flow_style and len(inner.value) == 1
        and isinstance(word := inner.value[0], yaml.ScalarNode) and isinstance(word.value, str)
    ):
        return yaml.ScalarNode("tag:yaml.org,2002:str", f"[[{word.value}]]", node.start_mark, node.end_mark, "'")
    return node


def _unknown_key(written: str, key: str) -> str:
    meant = SYNONYMS.get(key) or next(iter(difflib.get_close_matches(key, KEYS, n=1, cutoff=0.6)), None)
    hint = (f"did you mean '{meant}'?" if meant else
            "if you keep it for another tool, list it in extra_keys in followup.toml to silence this")
    return f"followup does not know the key '{written}' and leaves it aside; {hint}"


@lru_cache(maxsize=1024)
def normalise_key(key: str) -> str:
    """`Thank-You Sent` -> `thank_you_sent`."""
    return re.sub(r"[\s-]+", "_", key.strip()).lower()


def _yaml_hint(what: str, front: str, line: int) -> str:
    lines = front.split("\n")
    current = lines[line] if 0 <= line < len(lines) else ""
    if "\t" in current or "tab" in what:
        return "; YAML does not allow tabs for indentation, use spaces"
    if "mapping values are not allowed" in what:
        return "; put quotes around a value that contains ': '"
    if "found character '@'" in what or "found character '`'" in what:
        return "; put quotes around a value that starts with @ or `"
    return "; check the quotes and indentation on this line"
