"""Change tracking: LAST-MODIFIED, DTSTAMP and SEQUENCE across builds, kept in the state file."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest
import time_machine

from conftest import Workspace
from followup.feed.state import Seen, State, dump_state
from followup.feed.state import _seen as read_entry

NOTE = """
---
company: Acme
role: Backend Engineer
date: 2026-12-03 14:00
location: 1 Main Street
interviewers:
  - Jane Doe <jane@acme.example>
---
Notes.
"""
INTERVIEW = "2026-12-03-acme.interview@interview-followup"
PREPARE = "2026-12-03-acme.prepare@interview-followup"


def events(feed: Path) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(feed.read_bytes())
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def stamps(event: icalendar.Event) -> tuple[int, datetime, datetime]:
    return (
        int(event["SEQUENCE"]),
        event["LAST-MODIFIED"].dt,
        event["DTSTAMP"].dt,
    )


def build(space: Workspace, today: str = "2026-11-26") -> None:
    result = space.run("build", "--no-site", today=today)
    assert result.exit_code == 0, result.output


@pytest.fixture
def acme(workspace: Workspace) -> Workspace:
    workspace.note("2026-12-03-acme.md", NOTE)
    build(workspace)
    return workspace


def state_file(space: Workspace) -> Path:
    return space.root / "followup-state.json"


def test_first_build_stamps_every_event_with_sequence_zero(acme: Workspace) -> None:
    found = events(acme.feed)
    assert set(found) >= {INTERVIEW, PREPARE}
    midnight = datetime(2026, 11, 26, tzinfo=UTC)
    for event in found.values():
        assert stamps(event) == (0, midnight, midnight)
    state = json.loads(state_file(acme).read_text())
    assert set(state["events"]) == set(found)


def test_no_change_gives_identical_feed_and_untouched_state(acme: Workspace) -> None:
    feed_before = acme.feed.read_bytes()
    state_before = state_file(acme).stat().st_mtime_ns, state_file(acme).read_bytes()
    build(acme)
    build(acme, today="2026-11-27")  # a later day with the same reminders changes nothing
    assert acme.feed.read_bytes() == feed_before
    assert (state_file(acme).stat().st_mtime_ns, state_file(acme).read_bytes()) == state_before


def test_content_change_raises_last_modified_and_dtstamp_not_sequence(acme: Workspace) -> None:
    acme.note("2026-12-03-acme.md", NOTE.replace("1 Main Street", "2 Side Street"))
    build(acme, today="2026-11-27")
    found = events(acme.feed)
    later = datetime(2026, 11, 27, tzinfo=UTC)
    assert stamps(found[INTERVIEW]) == (0, later, later)
    assert "2 Side Street" in str(found[INTERVIEW]["LOCATION"])
    # the prepare reminder does not mention the location: it stays as it was
    assert stamps(found[PREPARE])[1] == datetime(2026, 11, 26, tzinfo=UTC)


def test_time_change_raises_sequence(acme: Workspace) -> None:
    acme.note("2026-12-03-acme.md", NOTE.replace("14:00", "15:30"))
    build(acme, today="2026-11-27")
    found = events(acme.feed)
    later = datetime(2026, 11, 27, tzinfo=UTC)
    assert stamps(found[INTERVIEW]) == (1, later, later)
    assert found[INTERVIEW]["DTSTART"].dt.hour == 15
    assert stamps(found[PREPARE])[0] == 0  # still 09:00 two days before


def test_values_never_go_backwards(acme: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build with an earlier clock (skew, an old --today) still moves forward by a second."""
    acme.note("2026-12-03-acme.md", NOTE.replace("14:00", "15:30"))
    build(acme, today="2026-11-01")
    sequence, modified, stamp = stamps(events(acme.feed)[INTERVIEW])
    assert (sequence, modified, stamp) == (1, *[datetime(2026, 11, 26, 0, 0, 1, tzinfo=UTC)] * 2)

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")  # 2001
    acme.note("2026-12-03-acme.md", NOTE.replace("14:00", "16:00"))
    build(acme)
    sequence, modified, _ = stamps(events(acme.feed)[INTERVIEW])
    assert (sequence, modified) == (2, datetime(2026, 11, 26, 0, 0, 2, tzinfo=UTC))


def test_source_date_epoch_stamps_changes(acme: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    epoch = int(datetime(2026, 11, 28, 12, 30, 5, tzinfo=UTC).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    acme.note("2026-12-03-acme.md", NOTE.replace("Backend", "Platform"))
    build(acme)
    assert stamps(events(acme.feed)[INTERVIEW])[1] == datetime(2026, 11, 28, 12, 30, 5, tzinfo=UTC)


def test_the_clock_stamps_changes_without_today(acme: Workspace, clock: time_machine.Coordinates) -> None:
    acme.note("2026-12-03-acme.md", NOTE.replace("Backend", "Platform"))
    clock.move_to(datetime(2026, 11, 27, 8, 15, 30, 250000, tzinfo=UTC))
    result = acme.run("build", "--no-site", today=None)
    assert result.exit_code == 0, result.output
    modified = stamps(events(acme.feed)[INTERVIEW])[1]
    assert datetime(2026, 11, 27, 8, 15, 30, tzinfo=UTC) <= modified < datetime(2026, 11, 27, 8, 16, tzinfo=UTC)


def test_fresh_clone_continues_the_sequence(acme: Workspace, tmp_path: Path) -> None:
    acme.note("2026-12-03-acme.md", NOTE.replace("14:00", "15:30"))
    build(acme, today="2026-11-27")
    clone = Workspace(tmp_path / "clone")
    shutil.copytree(acme.root / "interviews", clone.root / "interviews", dirs_exist_ok=True)
    shutil.copy(acme.root / "followup.toml", clone.root / "followup.toml")
    shutil.copy(state_file(acme), state_file(clone))
    build(clone, today="2026-11-27")
    assert clone.feed.read_bytes() == acme.feed.read_bytes()

    clone.note("2026-12-03-acme.md", NOTE.replace("14:00", "10:00"))
    build(clone, today="2026-11-28")
    assert stamps(events(clone.feed)[INTERVIEW])[:2] == (2, datetime(2026, 11, 28, tzinfo=UTC))


def test_vanished_event_keeps_its_history(acme: Workspace) -> None:
    """Cancelled, then back: the sequence carries on rather than restarting at 0."""
    acme.note("2026-12-03-acme.md", NOTE.replace("14:00", "15:30"))
    build(acme, today="2026-11-27")
    note = acme.root / "interviews" / "2026-12-03-acme.md"
    note.rename(note.with_suffix(".txt"))
    build(acme, today="2026-11-28")
    assert INTERVIEW not in events(acme.feed)
    note.with_suffix(".txt").rename(note)
    acme.note("2026-12-03-acme.md", NOTE)
    build(acme, today="2026-11-29")
    assert stamps(events(acme.feed)[INTERVIEW])[:2] == (2, datetime(2026, 11, 29, tzinfo=UTC))


def test_state_file_is_stable_json(acme: Workspace) -> None:
    text = state_file(acme).read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    entry = data["events"][INTERVIEW]
    assert set(entry) == {"content", "time", "sequence", "modified"}
    assert entry["modified"] == "2026-11-26T00:00:00Z"
    assert not list(acme.root.glob(".followup-state.json.*"))  # no temporary file left behind


@pytest.mark.parametrize(
    "text", ["0123abcd", 'a "quoted" word', "back\\slash", "café", "tab\there", "\x01", "\u2028", "😀"]
)
def test_an_entry_holding_any_text_is_written_as_json_writes_it(text: str) -> None:
    """A hand-edited entry may hold anything: it is written as `json.dumps` writes it."""
    data = dump_state(State({"uid": Seen(text, text, 1, datetime(2026, 1, 1, tzinfo=UTC))})).decode()
    assert f'"content": {json.dumps(text)},' in data and f'"time": {json.dumps(text)}\n' in data
    assert json.loads(data)["events"]["uid"]["content"] == text


def test_broken_state_file_is_a_clear_error(acme: Workspace) -> None:
    state_file(acme).write_text('{"events": {"x": {"sequence": "many"}}}', encoding="utf-8")
    before = acme.feed.read_bytes()
    result = acme.run("build", "--no-site")
    assert result.exit_code == 1
    assert "followup-state.json:1: not a valid state file" in result.output
    assert "Traceback" not in result.output
    assert acme.feed.read_bytes() == before


@pytest.mark.parametrize(
    "modified",
    [
        "2026-11-26T09:05:07Z", "2026-1-2T3:4:5Z", "2026-02-30T10:00:00Z", "2026-11-26T24:00:00Z",
        "2026-11-26T10:00:60Z", "2026-11-26T10:00:62Z", "2026-11-26 10:00:00Z",
        "\uff12\uff10\uff12\uff16-11-26T10:00:00Z",  # digits strptime reads, in another script
    ],
)
def test_state_stamps_are_read_as_strptime_reads_them(modified: str) -> None:
    entry = {"content": "c", "time": "t", "sequence": 1, "modified": modified}
    try:
        expected: object = datetime.strptime(modified, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError as error:
        expected = str(error)
    try:
        found: object = read_entry("uid", entry).modified
    except ValueError as error:
        found = str(error)
    assert found == expected
