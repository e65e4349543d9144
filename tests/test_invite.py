"""`followup invite`: real invitations become notes, updates move them, cancellations cancel them.

Everything goes through the command line over a throwaway workspace. Each instant is checked
against the one icalendar computes from the same file (tests/test_invite_parse.py holds that
reference), each note must pass `followup check`, and hostile invitations are followed to the
generated pages.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import icalendar
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import TODAY, Workspace
from followup.build import generate
from followup.clock import Clock
from followup.note import edit
from followup.note.model import Interview
from followup.note.parse import parse_note
from followup.note.read import read_notes
from followup.note.template import yaml_string
from followup.workspace import Workspace as WorkspaceOnDisk
from test_hostile_site import _generated_problems, _render
from test_invite_parse import MADE, REAL, REAL_CASES, REAL_ERRORS, Real, icalendar_start

LOTUS_0 = REAL / "lotus_eastern_request_seq0.ics"
LOTUS_1 = REAL / "lotus_eastern_reschedule_seq1.ics"
CANCEL = MADE / "google_cancel_utc.ics"
TEAMS = MADE / "teams_request_windows_zone.ics"
ME = "alex.candidate@mail.example"


def notes(workspace: Workspace) -> list[Interview]:
    """Every valid note, read as every command reads them."""
    root = workspace.root
    return list(read_notes(root, root / "interviews", "Europe/London").interviews)


def note_files(workspace: Workspace) -> list[Path]:
    return sorted((workspace.root / "interviews").glob("*.md"))


def the_note(workspace: Workspace) -> Interview:
    found = notes(workspace)
    assert len(found) == 1, found
    return found[0]


def front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    front = text[4:].split("\n---\n", 1)[0]
    loaded = yaml.safe_load(front)
    assert isinstance(loaded, dict)
    return loaded


def checks_clean(workspace: Workspace) -> str:
    """`followup check` passes (warnings allowed); what it said."""
    result = workspace.run("check")
    assert result.exit_code == 0, result.output
    assert ": error:" not in result.output and " 0 error(s)" in result.stderr
    return result.output


def request_from_cancel(sequence: int = 1) -> str:
    """The invitation the made Google cancellation cancels: the same event, as a request."""
    text = CANCEL.read_text(encoding="utf-8")
    text = text.replace("METHOD:CANCEL", "METHOD:REQUEST").replace("STATUS:CANCELLED", "STATUS:CONFIRMED")
    return text.replace("SEQUENCE:2", f"SEQUENCE:{sequence}").replace("Canceled: ", "")


def ics(*lines: str, method: str = "REQUEST") -> str:
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//followup tests//EN", f"METHOD:{method}", "BEGIN:VEVENT"]
    return "\r\n".join([*head, *lines, "END:VEVENT", "END:VCALENDAR"]) + "\r\n"


# Every real invitation, through the command


@pytest.mark.parametrize("case", [c for c in REAL_CASES if not c.cancelled], ids=lambda c: f"{c.file}:{c.uid[:12]}")
def test_real_invitation_becomes_a_note_at_its_instant(workspace: Workspace, case: Real) -> None:
    path = REAL / case.file
    result = workspace.run("invite", str(path), "--uid", case.uid, "--company", "Umbrella", "--role", "Analyst")
    assert result.exit_code == 0, result.output
    assert f"{path}: created interviews/" in result.stdout
    note = the_note(workspace)
    expected = icalendar_start(path, case.uid, case.recurrence, case.fallback_zone)
    if case.zone:
        assert note.start is not None and note.start.astimezone(UTC) == expected
        assert note.timezone == case.zone
        assert note.duration == (case.duration or 60)
    else:
        assert note.start is None and note.day == expected
    assert (note.company, note.role, note.guessed) == ("Umbrella", "Analyst", ())
    assert (note.invite_uid, note.invite_sequence) == (case.uid, case.sequence)
    assert note.location == (case.location or case.link)
    if case.warning:
        assert case.warning in result.stderr
    checks_clean(workspace)


@pytest.mark.parametrize("name", sorted(REAL_ERRORS))
def test_a_file_that_is_no_invitation_is_one_line_naming_it(workspace: Workspace, name: str) -> None:
    path = REAL / name
    result = workspace.run("invite", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path}: ") and REAL_ERRORS[name] in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert note_files(workspace) == []


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "neither a calendar invitation (.ics) nor an email"),
        (b"From: jo@example.com\r\nTo: me@example.com\r\nSubject: lunch\r\n\r\nSee you at noon.\r\n",
         "this email has no calendar invitation in it"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2027", "the calendar data is damaged"),
    ],
    ids=["garbage", "email-without-calendar", "broken-calendar"],
)
def test_what_is_not_an_invitation_is_refused(workspace: Workspace, data: bytes, reason: str) -> None:
    path = workspace.root / "given.eml"
    path.write_bytes(data)
    result = workspace.run("invite", str(path))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: {path}: ") and reason in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert note_files(workspace) == []


def test_one_bad_file_among_good_ones(workspace: Workspace) -> None:
    result = workspace.run("invite", str(REAL / "exchange_reply_declined.ics"), str(TEAMS))
    assert result.exit_code == 1
    assert "METHOD:REPLY" in result.stderr and f"{TEAMS}: created interviews/" in result.stdout
    assert len(note_files(workspace)) == 1


# What is read, what is guessed


def test_teams_invitation_guessed_and_checked_until_confirmed(workspace: Workspace) -> None:
    workspace.config(f'timezone = "Europe/London"\nme = ["{ME.upper()}"]\n')
    result = workspace.run("invite", str(TEAMS))
    assert result.exit_code == 0, result.output
    shown = "interviews/2027-03-15-acme-analytics-senior-data-engineer.md"
    assert result.stdout == f"{TEAMS}: created {shown}: Mon 15 Mar 09:00 (10:00 Berlin), 45 minutes\n"
    assert "company “Acme Analytics” and role “Senior Data Engineer” were guessed" in result.stderr
    note = the_note(workspace)
    assert (note.company, note.role, note.guessed) == ("Acme Analytics", "Senior Data Engineer", ("company", "role"))
    assert note.start == datetime(2027, 3, 15, 9, 0, tzinfo=UTC) and note.timezone == "Europe/Berlin"
    assert note.start == icalendar_start(TEAMS, note.invite_uid, "", "Europe/London")
    assert note.location.startswith("https://teams.microsoft.com/l/meetup-join/")  # not "Microsoft Teams Meeting"
    # The room is not a person, and `me` (any case) is left out: only the organizer remains.
    assert [(p.name, p.email) for p in note.interviewers] == [
        ("Dana Recruiter", "dana.recruiter@acme-analytics.example")
    ]
    said = checks_clean(workspace)
    assert (
        f"{shown}:4: warning: company and role were guessed from the invitation (company: Acme Analytics, "
        "role: Senior Data Engineer); correct them if needed and remove the line `guessed: [company, role]`"
    ) in said
    # The description is kept below the notes, as text.
    body = (workspace.root / shown).read_text(encoding="utf-8")
    assert "\n## Invitation\n" in body and "\n    Title: Interview: Senior Data Engineer @ Acme Analytics\n" in body
    assert "\n    Click here to join the meeting<https://teams.microsoft.com/" in body
    # Confirmed: the line removed, the warning gone.
    path = workspace.root / shown
    path.write_text(re.sub(r"(?m)^guessed:.*\n", "", path.read_text(encoding="utf-8")), encoding="utf-8")
    assert "guessed" not in workspace.run("check").output


def test_company_and_role_given_are_not_guessed(workspace: Workspace) -> None:
    result = workspace.run("invite", str(TEAMS), "--company", "Acme Analytics GmbH", "--role", "Data Engineer")
    assert result.exit_code == 0 and "guessed" not in result.stderr
    note = the_note(workspace)
    assert (note.company, note.role, note.guessed) == ("Acme Analytics GmbH", "Data Engineer", ())
    assert "guessed" not in workspace.run("check").output


def test_without_me_the_user_stays_among_the_people_and_is_told(workspace: Workspace) -> None:
    result = workspace.run("invite", str(TEAMS))
    assert "set `me` in followup.toml" in result.stderr
    assert ME in [p.email for p in the_note(workspace).interviewers]


def test_icloud_relay_names_the_person_and_the_zoom_link(workspace: Workspace) -> None:
    workspace.config(f'timezone = "Europe/London"\nme = ["{ME}"]\n')
    assert workspace.run("invite", str(MADE / "icloud_relay_request.ics")).exit_code == 0
    note = the_note(workspace)
    assert (note.company, note.role) == ("Globex", "Product Designer")
    assert [(p.name, p.email) for p in note.interviewers] == [("Sam Lee", "sam.lee@globex.example")]
    assert note.location == "https://globex.zoom.us/j/81234567890?pwd=abc123"
    assert note.start == datetime(2027, 4, 8, 21, 0, tzinfo=UTC) and note.duration == 30
    assert note.start == icalendar_start(MADE / "icloud_relay_request.ics", note.invite_uid, "", "Europe/London")
    checks_clean(workspace)


def test_google_meet_in_utc(workspace: Workspace) -> None:
    result = workspace.run("invite", str(REAL / "google_meet_utc_publish.ics"))
    assert result.exit_code == 0, result.output
    note = the_note(workspace)
    assert note.location == "https://meet.google.com/xxx-xxxx-xxx"
    assert note.start == datetime(2022, 3, 1, 17, 0, tzinfo=UTC) and note.timezone == "Europe/London"
    assert note.start == icalendar_start(REAL / "google_meet_utc_publish.ics", note.invite_uid, "", "Europe/London")
    assert note.duration == 90 and note.guessed == ("company", "role")
    checks_clean(workspace)


def test_a_name_with_a_comma_stays_one_person(workspace: Workspace) -> None:
    result = workspace.run("invite", str(REAL / "outlook2010_eastern_request.ics"), "--role", "Analyst")
    assert result.exit_code == 0, result.output
    note = the_note(workspace)
    assert ("Smith, Bob", "bobsmith@example.com") in [(p.name, p.email) for p in note.interviewers]
    assert note.guessed == ("company",) and note.company == "Example"
    assert "company “Example” was guessed" in result.stderr
    checks_clean(workspace)


def test_nothing_to_guess_from_asks_for_the_names(workspace: Workspace) -> None:
    path = REAL / "exchange2010_pacific_request.ics"
    result = workspace.run("invite", str(path))
    assert result.exit_code == 1 and "give it with --company NAME" in result.stderr
    assert result.stderr.startswith(f"Error: {path}: ") and result.stderr.count("\n") == 1
    result = workspace.run("invite", str(REAL / "exchange_request_base64.eml"))
    assert result.exit_code == 1 and "give it with --role NAME" in result.stderr
    assert note_files(workspace) == []


def test_an_email_and_standard_input(workspace: Workspace) -> None:
    path = REAL / "bounce_with_forwarded_request.eml"
    result = workspace.run("invite", "-", input=path.read_bytes())
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("standard input: created interviews/2008-08-12-example-new-event.md")
    note = the_note(workspace)
    assert note.start is not None
    assert note.start.astimezone(UTC) == icalendar_start(path, note.invite_uid, "", "Europe/London")
    checks_clean(workspace)


def test_a_day_without_a_time_and_no_length(workspace: Workspace) -> None:
    path = REAL / "apple_ical_allday_and_timed.ics"
    result = workspace.run(
        "invite", str(path), "--uid", "89859717-6BE4-4BD8-BFF8-A026C960B5D7", "--company", "Co", "--role", "R"
    )
    assert result.exit_code == 0, result.output
    note = the_note(workspace)
    assert note.start is None and note.day == date(2014, 2, 14)
    assert front_matter(note_files(workspace)[0])["date"] == date(2014, 2, 14)
    result = workspace.run("invite", str(REAL / "outlook_tzid_canberra_sydney.ics"), "--company", "A", "--role", "B")
    assert "the note says 60 minutes, followup's default" in result.stderr
    checks_clean(workspace)


def test_a_recurring_invitation_takes_its_first_occurrence(workspace: Workspace) -> None:
    path = REAL / "google_recurring_with_override.ics"
    result = workspace.run("invite", str(path), "--company", "A", "--role", "B")
    assert result.exit_code == 0
    assert f"warning: {path}: This is a recurring event; its first occurrence (2016-08-25) was taken." in result.stderr
    assert the_note(workspace).day == date(2016, 8, 25)


def test_a_description_markdown_could_not_read_in_time_is_left_out(workspace: Workspace) -> None:
    invitation = ics("UID:brackets@example.com", "DTSTAMP:20261120T100000Z", "DTSTART:20261203T100000Z",
                     "SUMMARY:Phone screen", "DESCRIPTION:" + "[" * 3000)
    result = workspace.run("invite", "-", "--company", "Acme", "--role", "Engineer", input=invitation)
    assert result.exit_code == 0, result.output
    assert "the invitation's description was left out of the note" in result.stderr
    (path,) = note_files(workspace)
    text = path.read_text(encoding="utf-8")
    assert "    Title: Phone screen\n" in text and "[[[" not in text
    checks_clean(workspace)


# Several events in one file


def test_several_events_are_listed_then_imported_with_all_or_uid(workspace: Workspace) -> None:
    path = REAL / "apple_ical_allday_and_timed.ics"
    listed = workspace.run("invite", str(path))
    assert listed.exit_code == 1 and note_files(workspace) == []
    assert f"Error: {path}: it holds 5 events; import them all with --all, or one with --uid UID:" in listed.stderr
    assert "  Sun 09 Feb 2014 13:00 · test event cu invitatie · --uid F1BFA65C-325F-4A64-B089-D0D152E75613" in (
        listed.stderr
    )
    one = workspace.run("invite", str(path), "--uid", "F1BFA65C-325F-4A64-B089-D0D152E75613", "--company", "Web")
    assert one.exit_code == 0, one.output
    assert [n.invite_uid for n in notes(workspace)] == ["F1BFA65C-325F-4A64-B089-D0D152E75613"]
    missing = workspace.run("invite", str(path), "--uid", "nope")
    assert missing.exit_code == 1 and "no event has the UID nope; its events:" in missing.stderr
    assert workspace.run("invite", str(path), "--all", "--uid", "x").exit_code == 2


def test_all_imports_every_event_even_on_one_day(workspace: Workspace) -> None:
    path = REAL / "ical_floating_utc_allday_request.ics"
    result = workspace.run("invite", str(path), "--all", "--company", "Initrode", "--role", "Engineer")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("created interviews/2002-10-2") == 5
    files = [p.name for p in note_files(workspace)]
    assert "2002-10-28-initrode-engineer.md" in files and "2002-10-28-initrode-engineer-2.md" in files
    found = notes(workspace)
    assert len(found) == 5
    for note in found:
        expected = icalendar_start(path, note.invite_uid, "", "America/Los_Angeles" if note.invite_uid.startswith(
            "1C") else "Europe/London")
        assert (note.start.astimezone(UTC) if note.start else note.day) == expected
    checks_clean(workspace)


# Updates


def test_a_reschedule_moves_the_note_and_changes_only_its_keys(workspace: Workspace) -> None:
    workspace.config('timezone = "Europe/London"\nme = ["nobody@example.com"]\n')
    assert workspace.run("invite", str(LOTUS_0), "--company", "CoffeeBean", "--role", "Barista").exit_code == 0
    (path,) = note_files(workspace)
    before = path.read_bytes()
    moved = workspace.run("invite", str(LOTUS_1))
    assert moved.exit_code == 0, moved.output
    assert moved.stdout == (
        f"{LOTUS_1}: interviews/{path.name} moved from Mon 11 Apr 14:00 (09:00 New York) to "
        "Mon 11 Apr 15:00 (10:00 New York)\n"
    )
    after = path.read_bytes()
    changed = [(a, b) for a, b in zip(before.split(b"\n"), after.split(b"\n"), strict=True) if a != b]
    assert changed == [
        (b"date: 2005-04-11 09:00            # 2026-11-20 14:00, or the date alone",
         b"date: 2005-04-11 10:00            # 2026-11-20 14:00, or the date alone"),
        (b"invite_sequence: 0", b"invite_sequence: 1"),
        (b"invite_stamp: 2005-04-06T20:12:21Z", b"invite_stamp: 2005-04-06T20:23:03Z"),
    ]
    note = the_note(workspace)
    assert note.start is not None
    assert note.start.astimezone(UTC) == icalendar_start(LOTUS_1, note.invite_uid, "", "Europe/London")
    stamp = path.stat().st_mtime_ns
    older = workspace.run("invite", str(LOTUS_0))
    assert older.exit_code == 0
    assert older.stdout == (
        f"{LOTUS_0}: interviews/{path.name} holds a later version of this invitation (SEQUENCE 1) than this one "
        "(SEQUENCE 0); nothing changed\n"
    )
    same = workspace.run("invite", str(LOTUS_1))
    assert "is already up to date with this invitation; nothing changed" in same.stdout
    assert path.read_bytes() == after and path.stat().st_mtime_ns == stamp
    checks_clean(workspace)


def test_the_same_sequence_with_a_later_stamp_is_newer(workspace: Workspace) -> None:
    def version(stamp: str, start: str, where: str) -> str:
        return ics("UID:same-seq@example.com", "SEQUENCE:0", f"DTSTAMP:{stamp}", f"DTSTART:{start}",
                   "DURATION:PT45M", f"LOCATION:{where}", "SUMMARY:Interview: Platform Engineer",
                   "ORGANIZER;CN=Kim Ode:mailto:kim@hooli.example")

    assert workspace.run("invite", "-", input=version("20261120T100000Z", "20261203T100000Z", "Room 1")).exit_code == 0
    later = workspace.run("invite", "-", input=version("20261121T100000Z", "20261204T140000Z", "Room 2"))
    assert later.stdout.endswith(
        "moved from Thu 03 Dec 10:00 to Fri 04 Dec 14:00; the place is now Room 2\n"
    ), later.output
    earlier = workspace.run("invite", "-", input=version("20261119T100000Z", "20261202T100000Z", "Room 0"))
    assert "holds a later version of this invitation (sent 2026-11-21 10:00 UTC) than this one " \
        "(sent 2026-11-19 10:00 UTC); nothing changed" in earlier.stdout  # the same SEQUENCE: the stamps say which
    note = the_note(workspace)
    assert note.start == datetime(2026, 12, 4, 14, 0, tzinfo=UTC) and note.location == "Room 2"
    assert note.invite_stamp == datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
    longer = workspace.run("invite", "-", input=version("20261122T100000Z", "20261204T140000Z", "Room 2").replace(
        "PT45M", "PT90M"))
    assert longer.stdout.endswith(": interviews/2026-12-03-hooli-platform-engineer.md now 90 minutes (was 45)\n")
    checks_clean(workspace)


def test_a_note_with_errors_cannot_be_matched(workspace: Workspace) -> None:
    assert workspace.run("invite", str(LOTUS_0), "--company", "C", "--role", "R").exit_code == 0
    (path,) = note_files(workspace)
    path.write_text(path.read_text(encoding="utf-8").replace("duration: 60", "duration: forever"), encoding="utf-8")
    result = workspace.run("invite", str(LOTUS_1))
    assert result.exit_code == 1
    assert f"{path.name} seems to hold this invitation but has errors, so it cannot be matched" in result.stderr
    assert note_files(workspace) == [path]


# Cancellations


def test_a_cancellation_takes_the_interview_out_of_the_calendar(workspace: Workspace) -> None:
    assert workspace.run("invite", "-", input=request_from_cancel()).exit_code == 0
    (path,) = note_files(workspace)
    assert workspace.run("build", "--no-site").exit_code == 0
    slug = path.stem
    assert {"interview", "prepare", "thank-you", "review-notes"} <= set(_kinds_of(workspace, slug))
    before = path.read_bytes()
    result = workspace.run("invite", str(CANCEL))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{CANCEL}: interviews/{path.name} cancelled (the interview of Thu 20 May 16:00): its interview, "
        "prepare, thank-you and review reminders leave the calendar; ask them for a new date\n"
    )
    after = path.read_bytes()
    assert after.replace(b"cancelled: 2026-11-26\n", b"").replace(b"invite_sequence: 2", b"invite_sequence: 1") == (
        before
    )
    assert the_note(workspace).cancelled == date.fromisoformat(TODAY)
    checks_clean(workspace)
    assert workspace.run("build", "--no-site").exit_code == 0
    kinds = _kinds_of(workspace, slug)
    assert not {"interview", "prepare", "thank-you", "review-notes"} & set(kinds), kinds
    index = workspace.index.read_text(encoding="utf-8")
    assert "| cancelled | cancelled on Thu 26 Nov 2026: ask for a new date |" in index
    assert "Initech · Backend Engineer  cancelled       cancelled on 26 Nov: ask for a new date" in (
        workspace.run("status").stdout
    )
    again = workspace.run("invite", str(CANCEL))
    assert "is already marked cancelled (on 2026-11-26); nothing changed" in again.stdout
    # The organizer invites again with a later version: the interview is back.
    back = workspace.run("invite", "-", input=request_from_cancel(3))
    assert back.exit_code == 0 and back.stdout.endswith("no longer cancelled\n"), back.output
    assert the_note(workspace).cancelled is None
    assert workspace.run("build", "--no-site").exit_code == 0
    assert "interview" in _kinds_of(workspace, slug)


def _kinds_of(workspace: Workspace, slug: str) -> list[str]:
    calendar = icalendar.Calendar.from_ical(workspace.feed.read_bytes())
    return [str(c) for e in calendar.walk("VEVENT") if str(e["UID"]).startswith(f"{slug}.") for c in e.categories]


def test_a_cancellation_of_no_note_creates_nothing(workspace: Workspace) -> None:
    result = workspace.run("invite", str(CANCEL))
    assert result.exit_code == 0
    assert "this cancels an invitation that no note holds (UID 5h2kq1v0c8tr3p9folloWupmade@google.com)" in (
        result.stdout
    )
    assert note_files(workspace) == []


def test_the_calconnect_sequence_imports_its_latest_request(workspace: Workspace) -> None:
    """Its CANCEL has a lower SEQUENCE than the last REQUEST: the request stands."""
    path = REAL / "calconnect_itip_request_reply_cancel_counter.ics"
    result = workspace.run("invite", str(path), "--role", "Host")
    assert result.exit_code == 0, result.output
    note = the_note(workspace)
    assert (note.invite_sequence, note.cancelled) == (2, None)
    assert note.start is not None
    assert note.start.astimezone(UTC) == icalendar_start(path, note.invite_uid, "", "Europe/London")


# Hostile invitations


EVIL = "Eve\n---\ncompany: Evil\n<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(2)>"


def _escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def hostile_invitation() -> str:
    cn = EVIL.replace("\n", "^n").replace('"', "'")
    return ics(
        "UID:evil-1@evil-corp.example",
        "DTSTAMP:20261120T100000Z",
        "DTSTART:20261210T150000Z",
        "DTEND:20261210T160000Z",
        f"SUMMARY:{_escaped(EVIL)} \x1b[2J\u202e\u2028Senior Engineer",
        f"DESCRIPTION:{_escaped(EVIL)}\\n---\\n\\ninvite_uid: forged\\n# Heading\\n*bold* | cell |\\n"
        "    ---\\n\\x07\x1b]0;title\x07\u2029end",
        f"LOCATION:{_escaped(EVIL)}",
        f'ORGANIZER;CN="{cn}":mailto:boss@evil-corp.example',
        'ATTENDEE;CN="Mal\\, \'Lory\' ^n---^nrole: Hacker":mailto:mal@evil-corp.example',
    )


def test_a_hostile_invitation_adds_no_key_and_no_markup(workspace: Workspace) -> None:
    result = workspace.run("invite", "-", input=hostile_invitation())
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output
    (path,) = note_files(workspace)
    front = front_matter(path)
    assert set(front) == {
        "company", "role", "guessed", "date", "round", "timezone", "duration", "location", "interviewers",
        "impression", "may_call", "follow_ups", "outcome", "invite_uid", "invite_sequence", "invite_stamp",
    }
    assert front["company"] == "Evil Corp" and front["invite_uid"] == "evil-1@evil-corp.example"
    note = the_note(workspace)
    assert note.company == "Evil Corp" and note.invite_uid == "evil-1@evil-corp.example"
    assert note.location == " ".join(EVIL.split())
    assert [p.email for p in note.interviewers] == ["boss@evil-corp.example", "mal@evil-corp.example"]
    text = path.read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    assert all(line.startswith("    ") for line in body.split("## Invitation", 1)[1].splitlines()[4:] if line)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\u202e]", text)
    checks_clean(workspace)
    # The pages: no markup from the invitation anywhere, its text shown as text.
    generate(WorkspaceOnDisk.open(workspace.root), Clock.fixed(date.fromisoformat(TODAY)), pages_too=True)
    assert _generated_problems(workspace) == []
    for page in [*(workspace.root / "docs" / "interviews").glob("*.md"), workspace.index]:
        html = _render(page.read_text(encoding="utf-8"))
        assert "<script" not in html and "<img" not in html and 'href="javascript' not in html, page
        assert html.count("<h1") == 1 and "<em>bold" not in html and "<td>cell" not in html, page
    page = next((workspace.root / "docs" / "interviews").glob("*.md")).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the description, shown
    assert workspace.run("build", "--no-site").exit_code == 0


@settings(max_examples=200, deadline=None)
@given(st.text())
@example("a\nb\r\u2028\u2029\x85\x00\x1b\ufeff\u202e\ud800\U0001f600\\\"'#: -\t")
def test_yaml_string_holds_any_text_on_one_line(value: str) -> None:
    written = yaml_string(value)
    kept = "".join(ch for ch in value if not 0xD800 <= ord(ch) <= 0xDFFF)  # no file holds a lone surrogate
    assert not [ch for ch in written if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")]
    for loader in (yaml.SafeLoader, yaml.CSafeLoader):
        assert yaml.load(f"k: {written}\n", Loader=loader) == {"k": kept}


@pytest.mark.parametrize(
    ("change", "line"),
    [
        (edit.SetValue("location", "Room 5, Level 2 # back"), 'location: "Room 5, Level 2 # back"'),
        (edit.SetValue("location", "Zoom"), 'location: "Zoom"'),  # it was quoted: it stays quoted
        (edit.SetValue("location", "null"), 'location: "null"'),
        (edit.SetValue("location", "x\n---\ncompany: Evil"), 'location: "x\\n---\\ncompany: Evil"'),
        (edit.SetValue("duration", 90), "duration: 90"),
        (edit.SetValue("round", "final"), "round: final"),
        (edit.SetValue("timezone", "America/New_York"), "timezone: America/New_York"),
        (edit.SetValue("date", "2026-12-04 14:30"), "date: 2026-12-04 14:30  # moved"),
        (edit.SetValue("invite_uid", "a\u202eb"), 'invite_uid: "a\\u202eb"'),
        (edit.SetValue("invite_stamp", datetime(2026, 11, 20, 14, 3, tzinfo=UTC)),
         "invite_stamp: 2026-11-20T14:03:00Z"),
    ],
)
def test_a_text_or_a_number_is_set_as_one_inert_value(tmp_path: Path, change: edit.SetValue, line: str) -> None:
    path = tmp_path / "n.md"
    path.write_bytes(
        b"---\r\ncompany: Acme\r\nrole: R\r\ndate: 2026-12-03 10:00  # moved\r\ntimezone: Europe/London\r\n"
        b"duration: 45\r\nlocation: 'Room 1'\r\n---\r\n\r\nnotes\r\n"
    )
    before = path.read_bytes()
    plan = edit.record(path, [change], "n.md", "UTC")
    assert plan.changed
    new = [ln for ln in path.read_bytes().split(b"\r\n") if ln not in before.split(b"\r\n")]
    assert new == [line.encode()]
    interview, problems = parse_note(path.read_bytes(), "n.md", "n", "UTC")
    assert problems == [] and interview is not None
    if change.key == "date":
        assert interview.start == datetime(2026, 12, 4, 14, 30, tzinfo=UTC)
    elif change.key != "timezone":
        assert getattr(interview, change.key) == change.value
