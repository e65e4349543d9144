"""Fuzzing the note parser and the feed writer: only the tool's own errors, feeds that parse."""

from __future__ import annotations

from datetime import date

import icalendar
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import examples, generated_cases
from followup.config import Config
from followup.errors import FollowupError
from followup.feed import calendar as vcalendar
from followup.note.parse import KEYS, parse_note
from followup.plan.rules import plan
from hypo_notes import notes

TODAY = date(2026, 11, 26)
CASES = generated_cases("test_fuzz")
FAST = settings(deadline=None, database=None, suppress_health_check=list(HealthCheck))




def _count(name: str) -> None:
    CASES[name] = CASES.get(name, 0) + 1


def _parse_and_publish(data: bytes, timezone: str = "Europe/London") -> None:
    """Parse; when the note is valid, write the feed and read it back with icalendar."""
    try:
        interview, problems = parse_note(data, "n.md", "n", timezone)
    except FollowupError:
        return
    assert all(p.line >= 1 and p.message for p in problems)
    if interview is None:
        return
    _count("valid notes")
    planned = plan((interview,), Config(timezone=timezone), TODAY)
    for minimal in (False, True):
        config = Config(timezone=timezone, minimal_details=minimal)
        try:
            text = vcalendar.render(planned, config, TODAY)
        except FollowupError:
            continue
        raw = text.encode() if isinstance(text, str) else text
        parsed = icalendar.Calendar.from_ical(raw)
        events = [c for c in parsed.walk() if c.name == "VEVENT"]
        assert len(events) == len(planned.reminders)
        for line in raw.split(b"\r\n"):
            assert b"\n" not in line and b"\r" not in line


# Values with the characters that break things: line separators, controls, quotes, YAML syntax.
NASTY = st.lists(
    st.one_of(
        st.characters(),
        st.sampled_from(
            [
                "\r",
                "\n",
                "\u2028",
                "\u0085",
                "\x00",
                "\t",
                ": ",
                "#",
                "'",
                '"',
                "[",
                "{",
                "- ",
                "*",
                "&",
                "!",
                "|",
                ">",
                "%",
                "@",
                "`",
                ",",
                "\\",
                "BEGIN:VEVENT",
                "\\n",
                "Jane <j@x.example>",
            ]
        ),
    ),
    max_size=12,
).map("".join)
VALUE = st.one_of(
    NASTY,
    st.sampled_from(
        [
            "2026-11-20",
            "2026-11-20 14:00",
            "2026-11-20T14:00+05:30",
            "2026-02-30",
            "9999-12-31 23:59",
            "0001-01-01",
            "~",
            "",
            "true",
            "[]",
            "{}",
            "14:00",
            "Jane <jane@x.example>",
            "offer",
            "bad",
            "90",
        ]
    ),
)


@st.composite
def fronts(draw: st.DrawFn) -> bytes:
    keys = draw(st.lists(st.one_of(st.sampled_from(list(KEYS)), NASTY), max_size=10))
    lines = ["---", "company: Acme", "role: Dev", "date: 2026-11-20 14:00"]
    for key in keys:
        value = draw(VALUE)
        form = draw(st.sampled_from(["plain", "double", "flow", "block"]))
        if form == "double":
            value = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        elif form == "flow":
            value = "[" + value + "]"
        elif form == "block":
            value = "\n  - " + value
        lines.append(f"{key}: {value}")
    lines += ["---", draw(NASTY)]
    eol = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return eol.join(lines).encode("utf-8", "surrogatepass")


@settings(FAST, max_examples=1200)
@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    _count("random bytes")
    _parse_and_publish(data)
    _parse_and_publish(b"---\n" + data)


@settings(FAST, max_examples=examples(1200, ci=400))
@given(fronts())
# Inputs that once failed, kept so that they are tried on every run.
@example(b"---\ncompany: Acme\nrole: Dev\ndate: 2026-11-20 14:00\noffer_deadline: 0001-01-01\n---\n")
@example(b"---\ncompany: Acme\nrole: Dev\ndate: 9999-12-31 23:30\nreply_by: 9999-12-31\n---\n")
def test_random_front_matter(data: bytes) -> None:
    _count("random front-matter")
    _parse_and_publish(data)


@settings(FAST, max_examples=examples(300, ci=120))
@given(notes(), st.sampled_from(["Europe/London", "America/New_York", "Asia/Kathmandu", "UTC"]))
def test_valid_notes_always_publish(note, timezone: str) -> None:  # type: ignore[no-untyped-def]
    _count("valid generated notes")
    _parse_and_publish(note.data, timezone)
