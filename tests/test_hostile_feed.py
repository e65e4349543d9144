"""Hostile notes: whatever a note says, the feed keeps one property per logical line, no
component can be forged, and three real parsers see exactly the expected events with the
text intact (after the documented cleaning: control characters removed, line breaks made
spaces in titles and places, newlines in descriptions).

The expected events come from the same notes with a plain company name: the UIDs depend
on the file names only, and each summary must be the plain one with the hostile name in
place of the plain one.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clients.harness import (
    CalendarClients,
    ServedFeed,
    clients_available,
    icaljs_available,
    icaljs_events,
    require,
)
from conftest import Workspace, shared_setting
from followup.feed.calendar import Text
from followup.feed.events import clean, one_line


def plain(key: str) -> str:
    """A plain name per note: one shared name would make the notes one application."""
    return f"PLAIN{key.upper()}COMPANY"


HOSTILE = {
    "forge": "Evil\u2028Corp\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Forged\nUID:x@y",
    "controls": "Ctrl\x00\x07\x1b[31mRed\x7f\x85Next\u2029Para\tTab\x9bEnd\rCR",
    "escapes": 'Back\\N\\nslash; semi, comma: colon "quote" \\, \\;',
    "emoji": "\U0001f600 Emoji \U0001f469\u200d\U0001f4bb Corp \U0001f1ec\U0001f1e7",
    "rtl": "\u05e9\u05dc\u05d5\u05dd \u202eRTL\u202c \u0645\u0631\u062d\u0628\u0627 \ufeffBOM",
    "markup": "<script>alert('x')</script> &amp; **bold** _it_ | pipe `code` [a](http://x) # h",
    "yaml": "key: value # not a comment - dash *alias &anchor !tag {a: b} [c] --- ... %YAML",
    "long": "\u0141ong\u00fc" * 400,  # 2,000 characters, most of them two bytes in UTF-8
}
LOCATION = "Room 1\r\nBEGIN:VALARM\u2028Floor\\N 2; B, C"


def yaml_quoted(text: str) -> str:
    """A YAML double-quoted scalar holding exactly `text`."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF):
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def cleaned(text: str, line: bool) -> str:
    """The documented cleaning, written out independently of feed.py."""
    text = text.replace("\r\n", "\n")
    for breaker in "\r\u2028\u2029\x85":
        text = text.replace(breaker, "\n")
    text = text.replace("\t", " ")
    text = "".join(
        c for c in text if c == "\n" or not (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c == "\ufeff")
    )
    return text.replace("\n", " ") if line else text


def write_corpus(space: Workspace, name_of: dict[str, str], location: str) -> None:
    for day, (key, company) in enumerate(sorted(name_of.items()), start=1):
        space.note(
            f"2026-12-{day:02d}-{key}.md",
            f"""
            ---
            company: {yaml_quoted(company)}
            role: Engineer
            date: 2026-12-{day:02d} 14:00
            location: {yaml_quoted(location)}
            application: {key}
            interviewers:
              - name: Jane Roe
                email: jane@{key}.example
            ---
            {company[:100].replace(chr(10), " ")}
            """,
        )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The hostile feed and the plain one, built from the same corpus of notes."""
    feeds = []
    for names in (HOSTILE, {key: plain(key) for key in HOSTILE}):
        space = Workspace(tmp_path_factory.mktemp("corpus"))
        write_corpus(space, names, LOCATION if names is HOSTILE else "PLAINPLACE")
        with shared_setting(tmp_path_factory):
            result = space.run("build", "--no-site")
        assert result.exit_code == 0, result.output
        feeds.append(space.feed)
    return feeds[0], feeds[1]


def key_of(uid: str) -> str:
    return uid.split(".", 1)[0].split("-", 3)[3]


def naming_the_company(plain_feed: Path) -> set[str]:
    """UIDs of the events whose description names the company (outside mailto: links,
    where it is percent-encoded)."""
    cal = icalendar.Calendar.from_ical(plain_feed.read_bytes())
    return {
        str(e["UID"])
        for e in cal.walk("VEVENT")
        if plain(key_of(str(e["UID"]))) in re.sub(r"mailto:\S+", "", str(e["DESCRIPTION"]))
    }


def expected(plain_feed: Path) -> dict[str, str]:
    """UID -> the summary each hostile event must have."""
    cal = icalendar.Calendar.from_ical(plain_feed.read_bytes())
    result = {}
    for event in cal.walk("VEVENT"):
        uid = str(event["UID"])
        key = key_of(uid)
        result[uid] = str(event["SUMMARY"]).replace(plain(key), cleaned(HOSTILE[key], line=True))
    return result


def test_raw_feed_has_only_real_lines_and_components(built: tuple[Path, Path]) -> None:
    hostile, plain = built
    data = hostile.read_bytes()
    physical = data.split(b"\r\n")
    assert physical[-1] == b""
    assert all(len(line) <= 75 for line in physical)  # folded, never split inside a character
    for line in physical[:-1]:
        line.decode("utf-8")
        assert b"\r" not in line and b"\n" not in line
    logical = re.sub(r"\r\n[ \t]", "", data.decode("utf-8")).split("\r\n")[:-1]
    names = [re.match(r"[A-Z-]+", line) for line in logical]
    assert all(names), [line for line, name in zip(logical, names, strict=True) if not name]
    structure = [line for line in logical if line.startswith(("BEGIN:", "END:"))]
    plain_logical = re.sub(r"\r\n[ \t]", "", plain.read_bytes().decode("utf-8")).split("\r\n")
    assert structure == [line for line in plain_logical if line.startswith(("BEGIN:", "END:"))]
    assert structure.count("BEGIN:VEVENT") == len(expected(plain)) == 5 * len(HOSTILE)
    for line in logical:
        assert "\u2028" not in line and "\u2029" not in line and "\x85" not in line


def test_icalendar_sees_the_text_intact(built: tuple[Path, Path]) -> None:
    hostile, plain = built
    want = expected(plain)
    cal = icalendar.Calendar.from_ical(hostile.read_bytes())
    seen = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert {uid: str(e["SUMMARY"]) for uid, e in seen.items()} == want
    named = naming_the_company(plain)
    assert len(named) >= len(HOSTILE)
    for uid, event in seen.items():
        if uid in named:
            assert cleaned(HOSTILE[key_of(uid)], line=False) in str(event["DESCRIPTION"])
        if uid.endswith(".interview@interview-followup"):
            assert str(event["LOCATION"]) == cleaned(LOCATION, line=True)
    assert len(cal.walk("VEVENT")) == len(want)


def test_icaljs_sees_the_text_intact(built: tuple[Path, Path]) -> None:
    require(icaljs_available(), "ical.js (node + `npm ci --prefix tests/clients`)")
    hostile, plain = built
    want = expected(plain)
    events = icaljs_events(hostile)
    assert len(events) == len(want)
    assert {e["uid"]: e["summary"] for e in events} == want
    named = naming_the_company(plain)
    for event in events:
        if event["uid"] in named:
            assert cleaned(HOSTILE[key_of(event["uid"])], line=False) in event["description"]
        assert event["categories"] and len(event["categories"]) == 1


def test_vdirsyncer_and_khal_see_the_text_intact(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    require(clients_available(), "khal + vdirsyncer")
    hostile, plain = built
    want = expected(plain)
    served = tmp_path / "served"
    served.mkdir()
    shutil.copy(hostile, served / "followup.ics")
    with ServedFeed(served) as server:
        clients = CalendarClients(tmp_path / "clients", server.url_for("followup.ics"))
        clients.sync()
        assert len(clients.vdir_files()) == len(want)
        events = clients.khal_events("2026-11-01", "2027-02-28", once=False)
    assert sorted(e["feed_uid"] for e in events) == sorted(want)
    assert {e["feed_uid"]: e["title"] for e in events} == want


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300))
def test_any_text_stays_one_property(text: str) -> None:
    """Any string, escaped by vcalendar.Text after cleaning, reads back as itself."""
    cal = icalendar.Calendar()
    event = icalendar.Event()
    event.add("uid", "x@y")
    event["summary"] = Text(one_line(text))
    event["description"] = Text(clean(text))
    cal.add_component(event)
    data = cal.to_ical()
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    (back,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(back["SUMMARY"]) == cleaned(text, line=True)
    assert str(back["DESCRIPTION"]) == cleaned(text, line=False)
    assert set(back) == {"UID", "SUMMARY", "DESCRIPTION"}
