"""The calendar feed as calendar apps read it: structure, stability, safety, golden output."""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest

from conftest import Workspace

GOLDEN = Path(__file__).parent / "golden"
KINDS = {"interview", "prepare", "thank-you", "review-notes", "follow-up", "negotiate", "decide"}


def build(workspace: Workspace, today: str = "2026-11-26") -> bytes:
    result = workspace.run("build", "--no-site", today=today)
    assert result.exit_code == 0, result.output
    return workspace.feed.read_bytes()


def test_sample_feed_matches_golden(sample_workspace: Workspace, update_golden: bool) -> None:
    data = build(sample_workspace)
    golden = GOLDEN / "feed.ics"
    if update_golden:
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(data)
    assert data == golden.read_bytes(), "feed changed: review it, then run pytest --update-golden"


def test_feed_structure(sample_workspace: Workspace) -> None:
    calendar = icalendar.Calendar.from_ical(build(sample_workspace))
    assert calendar["X-WR-CALNAME"] == "Job search: interview follow-ups"
    assert calendar["NAME"] == calendar["X-WR-CALNAME"]
    assert "REFRESH-INTERVAL" in calendar and "X-PUBLISHED-TTL" in calendar
    assert "UID" not in calendar  # a calendar-level UID breaks vdirsyncer
    assert {c.name for c in calendar.subcomponents} == {"VTIMEZONE", "VEVENT"}
    used = {str(e["DTSTART"].params["TZID"]) for e in calendar.events if "TZID" in e["DTSTART"].params}
    assert {tz.tz_name for tz in calendar.timezones} == used == {"Europe/London", "America/New_York"}
    for event in calendar.events:
        assert len(event.categories) == 1 and event.categories[0] in KINDS
        assert "ATTENDEE" not in event and "ORGANIZER" not in event
        assert event["SUMMARY"] and event["DESCRIPTION"] and event["DTSTAMP"]
        assert [a["ACTION"] for a in event.walk("VALARM")] == ["DISPLAY"]
    uids = [e["UID"] for e in calendar.events]
    assert len(uids) == len(set(uids))


def test_timezones_cover_only_the_dates_in_use(sample_workspace: Workspace) -> None:
    calendar = icalendar.Calendar.from_ical(build(sample_workspace))
    for timezone in calendar.timezones:
        starts = [sub.DTSTART.year for sub in timezone.walk() if sub.name in ("STANDARD", "DAYLIGHT")]
        assert starts and min(starts) >= 2026 - 1 and max(starts) <= 2027


def test_uids_are_stable_between_builds_and_days(sample_workspace: Workspace) -> None:
    first = {e["UID"]: e.categories[0] for e in icalendar.Calendar.from_ical(build(sample_workspace)).events}
    later = icalendar.Calendar.from_ical(build(sample_workspace, today="2026-11-28")).events
    for event in later:
        if event["UID"] in first:
            assert first[event["UID"]] == event.categories[0]
    assert len(set(first) & {e["UID"] for e in later}) >= len(first) - 2


def test_same_input_gives_byte_identical_feed(sample_workspace: Workspace) -> None:
    first = build(sample_workspace)
    sample_workspace.feed.unlink()
    assert build(sample_workspace) == first


def test_source_date_epoch_sets_dtstamp(sample_workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    for event in icalendar.Calendar.from_ical(build(sample_workspace)).events:
        assert event["DTSTAMP"].to_ical() == b"20260101T000000Z"


def test_feed_is_written_atomically_and_only_when_changed(sample_workspace: Workspace) -> None:
    build(sample_workspace)
    before = sample_workspace.feed.stat().st_mtime_ns
    build(sample_workspace)
    assert sample_workspace.feed.stat().st_mtime_ns == before
    leftovers = [p.name for p in sample_workspace.feed.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_text_from_notes_cannot_break_the_feed(workspace: Workspace) -> None:
    workspace.note(
        "evil.md",
        '---\ncompany: "Evil\\r\\nEND:VEVENT\\nBEGIN:VEVENT\\u2028Corp\\u0007 \\\\N; x, y"\n'
        'role: "Dev\\u2029Ops"\ndate: 2026-11-20 14:00\nlocation: "Room\\r1"\n---\n',
    )
    data = build(workspace)
    lines = data.split(b"\r\n")
    assert lines.count(b"BEGIN:VEVENT") == lines.count(b"END:VEVENT") == 4
    assert b"\x07" not in data and "\u2028".encode() not in data and "\u2029".encode() not in data
    for line in lines:
        assert b"\n" not in line and b"\r" not in line
    calendar = icalendar.Calendar.from_ical(data)
    assert len(calendar.events) == 4
    summary = str(workspace.event("interview")["SUMMARY"])
    assert summary == "Interview: Evil END:VEVENT BEGIN:VEVENT Corp \\N; x, y · Dev Ops"


def test_minimal_details_writes_only_kind_and_company(workspace: Workspace) -> None:
    workspace.config('timezone = "Europe/London"\nminimal_details = true\n')
    workspace.note(
        "acme.md",
        "---\ncompany: Acme\nrole: Secret Role\ndate: 2026-11-20 14:00\n"
        "location: 1 Hidden Street\ninterviewers: Jane Doe <jane@acme.example>\n---\nprivate notes\n",
    )
    data = build(workspace)
    for secret in (b"Secret Role", b"Hidden", b"Jane", b"jane@", b"private", b"acme.md", b"acme."):
        assert secret not in data
    summaries = sorted(str(e["SUMMARY"]) for e in workspace.events())
    assert summaries == ["Follow-up #1: Acme", "Interview: Acme", "Review notes: Acme", "Thank-you: Acme"]


def test_site_url_links_each_reminder_to_its_guide_page(workspace: Workspace) -> None:
    workspace.config('timezone = "Europe/London"\nsite_url = "https://me.example/search/"\n')
    workspace.note("acme.md", "---\ncompany: Acme\nrole: Dev\ndate: 2026-11-20 14:00\n---\n")
    build(workspace)
    assert str(workspace.event("thank-you")["URL"]) == "https://me.example/search/guide/thank-you.html"
    assert str(workspace.event("follow-up")["URL"]) == "https://me.example/search/guide/following-up.html"


def test_a_drafted_email_subject_cannot_add_a_header(workspace: Workspace) -> None:
    workspace.note(
        "acme.md",
        '---\ncompany: Acme\nrole: "Dev\\r\\nBcc: spy@evil.example"\ndate: 2026-11-20 14:00\n'
        "interviewers: Jane <jane@acme.example>\n---\n",
    )
    build(workspace)
    link = next(
        line for line in str(workspace.event("thank-you")["DESCRIPTION"]).splitlines() if "mailto:" in line
    )
    subject = link.split("subject=")[1].split("&")[0]
    assert "%0A" not in subject and "%0D" not in subject
    assert "Bcc%3A" in subject  # kept as words in the subject, not as a header
