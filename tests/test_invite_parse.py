"""Reading calendar invitations: real files from other projects' test suites (see
tests/invitations/SOURCES.md), zone names of every kind, invitations inside emails, the
errors a user can meet, hostile text, and fuzzing that only InvitationError ever escapes.

Every instant is checked against the one icalendar itself computes from the same file; no
test reads the clock or the machine's time zone (user_zone is always given).
"""

from __future__ import annotations

import base64
import contextlib
import time
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import icalendar
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from icalendar.timezone import tzp
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from conftest import examples, generated_cases
from followup.invite import zones
from followup.invite.guess import guess_company, guess_role
from followup.invite.parse import Invitation, InvitationError, Person, read_invitations

HERE = Path(__file__).resolve().parent / "invitations"
REAL = HERE / "real"
MADE = HERE / "made"
LONDON = "Europe/London"
UTC_MIN = datetime.min.replace(tzinfo=UTC)
CASES = generated_cases("test_invite_parse")
FAST = settings(deadline=None, database=None, suppress_health_check=list(HealthCheck))


def read(path: Path, user_zone: str = LONDON) -> list[Invitation]:
    return read_invitations(path.read_bytes(), path.name, user_zone=user_zone)


def one(data: bytes | str, user_zone: str = LONDON, source: str = "invite.ics") -> Invitation:
    raw = data.encode() if isinstance(data, str) else data
    found = read_invitations(raw, source, user_zone=user_zone)
    assert len(found) == 1, found
    return found[0]


def ics(*event_lines: str, calendar_lines: tuple[str, ...] = (), method: str = "REQUEST") -> str:
    """A calendar of one event, from its lines (UID and DTSTAMP added when missing)."""
    lines = list(event_lines)
    if not any(line.startswith("UID") for line in lines):
        lines.insert(0, "UID:test-1@example.com")
    if not any(line.startswith("DTSTAMP") for line in lines):
        lines.insert(0, "DTSTAMP:20270101T120000Z")
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//followup tests//EN"]
    if method:
        head.append(f"METHOD:{method}")
    body = [*head, *calendar_lines, "BEGIN:VEVENT", *lines, "END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(body) + "\r\n"


def assert_zone_consistent(inv: Invitation) -> None:
    """The start is aware, in ZoneInfo(zone), and the zone is a real IANA name."""
    assert isinstance(inv.start, datetime)
    assert inv.zone in zoneinfo.available_timezones()
    assert isinstance(inv.start.tzinfo, zoneinfo.ZoneInfo)
    assert inv.start.tzinfo.key == inv.zone
    assert zoneinfo.ZoneInfo(inv.zone).utcoffset(inv.start.replace(tzinfo=None)) is not None
    assert inv.start.astimezone(zoneinfo.ZoneInfo(inv.zone)).utcoffset() == inv.start.utcoffset()


# What icalendar itself says an event's start is


def _tzid_key(tzid: str) -> str:
    return " ".join(tzid.replace("\\,", ",").strip().strip('"').casefold().split())


def icalendar_start(path: Path, uid: str, recurrence: str, fallback_zone: str) -> datetime | date:
    """The start of the event with `uid`, computed by icalendar from the file alone.

    icalendar attaches the zone of a custom TZID from a process-wide cache, so a custom zone
    is rebuilt here from this file's own VTIMEZONE with Timezone.to_tz(lookup_tzid=False).
    Times icalendar leaves without a zone (floating, or a TZID it cannot resolve) are read
    in `fallback_zone`, the zone the parser is specified to use for them.
    """
    raw = path.read_bytes()
    if path.suffix == ".eml":
        import email

        message = email.message_from_bytes(raw)
        parts = [part.get_payload(decode=True) for part in message.walk() if part.get_content_type() == "text/calendar"]
        raw = next(part for part in parts if isinstance(part, bytes))
    versions = [
        (calendar, event)
        for calendar in icalendar.Calendar.from_ical(raw, multiple=True)
        if str(calendar.get("METHOD", "")).upper() not in ("REPLY", "COUNTER")
        for event in calendar.walk("VEVENT")
        if str(event.get("UID", "")) == uid and _occurrence(event) == recurrence and "DTSTART" in event
    ]
    if not versions:
        raise AssertionError(f"no event {uid} in {path.name}")
    # The version the file says is current: highest SEQUENCE, then latest DTSTAMP.
    calendar, event = max(versions, key=lambda pair: (int(pair[1].get("SEQUENCE", 0)), _stamp(pair[1])))
    prop = event["DTSTART"]
    value = prop.dt
    if not isinstance(value, datetime):
        return value
    tzid = prop.params.get("TZID")
    if tzid is None:
        if value.tzinfo is not None:
            return value.astimezone(UTC)
        return value.replace(tzinfo=zoneinfo.ZoneInfo(fallback_zone)).astimezone(UTC)
    known = tzp.timezone(tzid)
    own = [tz for tz in calendar.walk("VTIMEZONE") if _tzid_key(str(tz["TZID"])) == _tzid_key(tzid)]
    if isinstance(known, zoneinfo.ZoneInfo) and tzid.strip("/") not in WINDOWS_TO_OLSON:
        zone = known
    elif own:
        zone = own[0].to_tz(lookup_tzid=False)
    elif tzid in WINDOWS_TO_OLSON:
        zone = zoneinfo.ZoneInfo(WINDOWS_TO_OLSON[tzid])
    else:
        zone = zoneinfo.ZoneInfo(fallback_zone)
    return value.replace(tzinfo=zone).astimezone(UTC)


def _occurrence(event: icalendar.Component) -> str:
    return event["RECURRENCE-ID"].to_ical().decode() if "RECURRENCE-ID" in event else ""


def _stamp(event: icalendar.Component) -> datetime:
    return event["DTSTAMP"].dt if "DTSTAMP" in event else UTC_MIN


# Real invitations


@dataclass(frozen=True)
class Real:
    """What one real file must give (the invitation with `uid`, among `count`)."""

    file: str
    count: int
    uid: str
    zone: str
    duration: int
    method: str = ""
    sequence: int = 0
    cancelled: bool = False
    organizer: str = ""
    attendees: int = 0
    location: str = ""
    link: str = ""
    summary: str = ""
    warning: str = ""  # a part of one warning; '' when there must be none
    recurrence: str = ""  # the chosen version changes this occurrence (its RECURRENCE-ID)
    fallback_zone: str = LONDON  # where icalendar leaves the time without a zone


REAL_CASES = [
    Real("google_meet_utc_publish.ics", 1, "37dfo8hp5hdsxxxxxxxxxxxxxx@google.com", LONDON, 90,
         method="PUBLISH", organizer="xxxx.xxxxxxxxxxxxxxx@xxxxxxxxxxxx.de", attendees=2,
         location="https://meet.google.com/xxx-xxxx-xxx", link="https://meet.google.com/xxx-xxxx-xxx"),
    Real("exchange_windows_zones_publish.ics", 3,
         "040000008200E00074C5B7101A82E0080000000070DE40F38786D601000000000000000010000000D2A9BA8A3668CA4ABB2CC6838268179F",
         "Europe/Berlin", 30, method="PUBLISH", summary="test", warning="could not be used and were skipped"),
    Real("exchange_windows_zones_publish.ics", 3,
         "040000008200E00074C5B7101A82E00800000000C8CF296B9654D60100000000000000001000000031C6A267A9E4A2489CEB57D709E7A37F",
         "America/Los_Angeles", 30, method="PUBLISH", sequence=3, location="https://bluejeans.com/7999979999",
         link="https://bluejeans.com/7999979999", warning="recurring event"),
    Real("exchange_display_name_bangkok.ics", 1,
         "040000008200E00074C5B7101A82E00800000000C9AB6E5A6AFED401000000000000000010000000C55132227F0F0948A7D58F6190A3AEF9",
         "Asia/Bangkok", 180, method="PUBLISH", summary="Test event"),
    Real("display_name_eastern_no_vtimezone.ics", 1, "0000001", "America/New_York", 240,
         summary="Treasure Hunting", warning="recurring event", fallback_zone="America/New_York"),
    Real("exchange_customized_time_zone.ics", 1, "1173422081SZR322", "America/New_York", 75,
         method="PUBLISH", location="[private]", warning="recurring event"),
    Real("google_recurring_with_override.ics", 1, "6m2q7kb2l02798oagemrcgm6pk@google.com", "Europe/Kyiv", 60,
         method="PUBLISH", summary="repeated", warning="first occurrence (2016-08-25)"),
    Real("ical_floating_utc_allday_request.ics", 5, "1C9439B1-FF65-11D6-9973-003065F99D04", "America/Los_Angeles",
         1440, method="REQUEST", summary="No Timezone", fallback_zone="America/Los_Angeles"),
    Real("ical_floating_utc_allday_request.ics", 5, "2C9439B1-FF65-11D6-9973-003065F99D04", LONDON, 1440,
         method="REQUEST", summary="UTC Timezone"),
    Real("ical_floating_utc_allday_request.ics", 5, "3C9439B1-FF65-11D6-9973-003065F99D04", "America/New_York",
         1440, method="REQUEST", summary="Inline Timezone"),
    Real("ical_floating_utc_allday_request.ics", 5, "5C9439B1-FF65-11D6-9973-003065F99D04", "", 0,
         method="REQUEST", summary="Date Only (Implicit)"),
    Real("exchange_tzid_space_one.ics", 2,
         "040000008200E00074C5B7101A82E008000000008D1F7DAB8632DA010000000000000000100000008EF89A92C90D1342BF1F2CB714276CCC",
         "Europe/Berlin", 60, sequence=3, location="https://visio-agents.education.fr/",
         link="https://visio-agents.education.fr/"),
    Real("library_made_duplicate_uid_sequence.ics", 2, "newer-wins-test@node-ical.test", LONDON, 60,
         sequence=3, summary="Updated version (SEQUENCE 3) - should win"),
    Real("outlook_display_name_athens_recurring.ics", 56,
         "040000008200E00074C5B7101A82E0080000000040D76F07BDCBCD0100000000000000001000000083E39564BB3D8D49AD2C623DDF5C06E5",
         "Europe/Bucharest", 120, sequence=4, organizer="ciprian.baltatescu@1and1.ro", attendees=5,
         location="Training room", summary="Canceled: Automation Workshop", warning="recurring event"),
    Real("outlook_display_name_athens_recurring.ics", 56,
         "040000008200E00074C5B7101A82E0080000000020AB795AD32BCE010000000000000000100000002113BDDF7B432F498E5774CA4E56C56D",
         "Europe/Bucharest", 60, location="0503 / Cloud / 5th floor / Tel. 9264", warning="as the organizer moved it",
         recurrence="20130412T120000Z"),
    Real("yahoo_request_tzid_with_z.ics", 1, "19df7f27-3f11-4c04-bf80-9df63e1be04d", LONDON, 30,
         method="REQUEST", organizer="abc@yahoo.com", attendees=1, location="Room 502", summary="ABCyahoo"),
    Real("apple_ical_allday_and_timed.ics", 5, "F1BFA65C-325F-4A64-B089-D0D152E75613", "Europe/Bucharest", 60,
         sequence=4, organizer="moldoveanu.cristian@web.de", attendees=1, summary="test event cu invitatie"),
    Real("apple_ical_allday_and_timed.ics", 5, "89859717-6BE4-4BD8-BFF8-A026C960B5D7", "", 0,
         sequence=4, summary="all day"),
    Real("lotus_eastern_request_seq0.ics", 1, "E88157FE01BE8A5C85256FDB006EBCC3-Lotus_Notes_Generated",
         "America/New_York", 60, method="REQUEST", organizer="iCalChair@coffeebean.com", attendees=1,
         warning="recurring event"),
    Real("lotus_eastern_reschedule_seq1.ics", 1, "E88157FE01BE8A5C85256FDB006EBCC3-Lotus_Notes_Generated",
         "America/New_York", 60, method="REQUEST", sequence=1, organizer="iCalChair@coffeebean.com",
         attendees=1, warning="recurring event"),
    Real("lotus_eastern_override_only.ics", 1, "6BA1ECA4D58B306C85256FDB0071B664-Lotus_Notes_Generated",
         "America/New_York", 60, method="REQUEST", sequence=1, organizer="iCalChair@coffeebean.com",
         attendees=1, warning="changes one occurrence", recurrence="20050426T130000Z"),
    Real("calconnect_itip_request_reply_cancel_counter.ics", 1, "calsrv.example.com-873970198738777@example.com",
         LONDON, 30, method="REQUEST", sequence=2, organizer="B@example.com", attendees=4, summary="Pool party"),
    Real("exchange_cdo_pacific_tijuana.ics", 1,
         "CD0000008B9511D182D800C04FB1625D17D373499F99F547A0016BEAC6AB5576", "America/Los_Angeles", 90,
         method="REQUEST", organizer="meher.tendjoukian@verdisoft.com", attendees=2, location="Test Location"),
    Real("exchange2010_pacific_request.ics", 1,
         "040000008200E00074C5B7101A82E0080000000090E19664858ED20100000000000000", "America/Los_Angeles", 30,
         method="REQUEST", summary="Test 4"),
    Real("lotus_western_central_europe_override.ics", 1, "BF5109494E67AAE20025875100566D31-Lotus_Notes_Generated",
         "Europe/Berlin", 30, attendees=1, warning="changes one occurrence", recurrence="20211101T150000Z"),
    Real("exchange_israel_request_hebrew.ics", 1,
         "040000008200E00074C5B7101A82E0080000000010FAD95E7008D40100000000000000001000000053FEBBF5E4391447865D627F95C692CE",
         "Asia/Jerusalem", 30, method="REQUEST", sequence=3, organizer="shmuel@bgu.ac.il", attendees=2,
         location="שמוליק"),
    Real("outlook2010_eastern_request.ics", 1,
         "040000009200E00074C5B7101A82E00800000000C0383BE68041CE0100000000000000001000000070D00A2F625AC34BB6542DE0D19E67E1",
         "America/New_York", 60, method="REQUEST", sequence=1, organizer="bobsmith@example.com", attendees=2,
         location="Auditorium 16", summary="Team Meeting"),
    Real("google_tzid_leading_slash.ics", 1, "pdhtelaeqstgnbr9f0hrdioij0@google.com", "America/New_York", 60,
         summary="Daily Until 12/23", warning="recurring event"),
    Real("outlook2007_allday_resource.ics", 1,
         "040000008200E00074C5B7101A82E00800000000900AD080B5F2C901000000000000000010000000B29680BF9E5DC246B5EDDE228038E71F",
         "", 0, method="PUBLISH", organizer="some.attendee@somewhere.com", attendees=2,
         location="The Exceptionally Long Named Meeting Room Whose Name Wraps Over Several Lines When Exported From "
         "Leading Calendar and Office Software Application Microsoft Office 2007"),
    Real("outlook_tzid_canberra_sydney.ics", 1, "CommaTest", "Australia/Sydney", 0, warning="no end time"),
    Real("outlook_tzid_cyrillic_yekaterinburg.ics", 1, "CyrillicTest", "Asia/Yekaterinburg", 0, warning="no end time"),
    Real("khal_windows_id_contradicting_vtimezone.ics", 1, "PERSOYPOYGVR55JMICVAFVDWWBIKPC9PTAG6SN4B2YT", LONDON, 90,
         warning="matches no known zone; its time was converted to Europe/London"),
    Real("office365_undefined_custom_zone.ics", 1,
         "040000008200E00074C5B7101A82E00800000000687C546B5596DA01000000000000000010000000309AE93C8C3A94489F90ADBEA30C2F2B",
         LONDON, 60, method="PUBLISH", summary="Uffe", warning="not recognised and is not defined in it"),
    Real("exchange_request_base64.eml", 1,
         "040000008200E00074C5B7101A82E008000000006055F2A81B4ACF01000000000000000010000000B361C9BCE384F548A0527FAF6CC1EDC2",
         "Europe/Kyiv", 30, method="REQUEST", sequence=5, organizer="newsletter@finntack.com", attendees=1,
         location="Meeting Room", summary="1"),
    Real("bounce_with_forwarded_request.eml", 1, "1E71F9C8-AEDA-48EB-98D0-76E898F6BB5C", "America/Los_Angeles", 60,
         method="REQUEST", sequence=2, organizer="xyzzy+8e16b897-d544-4217-88e9-a363d0846f6c@example.com",
         attendees=2, summary="New Event"),
]

REAL_ERRORS = {
    "exchange_cdo_gmt_offsets_without_uid.ics": "the event has no UID",
    "owa_display_names_without_uid.ics": "the event has no UID",
    "exchange_zoom_broken_description.ics": "the event has no UID",
    "exchange_reply_declined.ics": "answer to an invitation (METHOD:REPLY)",
    "ical_reply_quoted_printable.eml": "answer to an invitation (METHOD:REPLY)",
}


def test_every_real_file_is_covered_and_recorded() -> None:
    files = {path.name for path in REAL.iterdir()}
    covered = {case.file for case in REAL_CASES} | set(REAL_ERRORS)
    assert files == covered
    sources = (HERE / "SOURCES.md").read_text(encoding="utf-8")
    for name in files | {path.name for path in MADE.iterdir()}:
        assert f"`{name}`" in sources, f"{name} is not recorded in SOURCES.md"


@pytest.mark.parametrize("case", REAL_CASES, ids=lambda case: f"{case.file}:{case.uid[:12]}")
def test_real_invitation(case: Real) -> None:
    path = REAL / case.file
    found = read(path)
    assert len(found) == case.count
    inv = next(inv for inv in found if inv.uid == case.uid)
    assert inv.source == case.file
    assert inv.zone == case.zone
    expected = icalendar_start(path, case.uid, case.recurrence, case.fallback_zone)
    if case.zone:
        assert_zone_consistent(inv)
        assert isinstance(inv.start, datetime)
        assert inv.start.astimezone(UTC) == expected
    else:
        assert inv.start == expected
        assert not isinstance(inv.start, datetime)
    assert inv.duration == case.duration
    assert inv.method == case.method
    assert inv.sequence == case.sequence
    assert inv.cancelled is case.cancelled
    assert (inv.organizer.email if inv.organizer else "") == case.organizer
    assert len(inv.attendees) == case.attendees
    assert inv.location == case.location
    assert inv.link == case.link
    if case.summary:
        assert inv.summary == case.summary
    if case.warning:
        assert any(case.warning in warning for warning in inv.warnings), inv.warnings
    else:
        assert inv.warnings == ()
    assert inv.stamp is None or inv.stamp.tzinfo is UTC


@pytest.mark.parametrize("name", sorted(REAL_ERRORS))
def test_real_file_refused(name: str) -> None:
    with pytest.raises(InvitationError) as caught:
        read(REAL / name)
    message = str(caught.value)
    assert message.startswith(f"{name}: ")
    assert REAL_ERRORS[name] in message
    assert "\n" not in message


def test_real_reschedule_pair_same_uid_higher_sequence_later_time() -> None:
    first = read(REAL / "lotus_eastern_request_seq0.ics")[0]
    moved = read(REAL / "lotus_eastern_reschedule_seq1.ics")[0]
    assert first.uid == moved.uid
    assert (first.sequence, moved.sequence) == (0, 1)
    assert isinstance(first.start, datetime) and isinstance(moved.start, datetime)
    assert moved.start - first.start == timedelta(hours=1)
    # Both versions in one file: the later one wins.
    names = ("lotus_eastern_request_seq0.ics", "lotus_eastern_reschedule_seq1.ics")
    files = [(REAL / name).read_bytes() for name in names]
    assert one(b"\r\n".join(files)).start == moved.start
    assert one(b"\r\n".join(reversed(files))).sequence == 1


def test_real_people_names_and_addresses() -> None:
    inv = read(REAL / "outlook2010_eastern_request.ics")[0]
    assert inv.organizer == Person("Smith, Bob", "bobsmith@example.com")
    assert inv.attendees == (Person("Doe, John", "johndoe@example.com"), Person("Doe, Jane", "janedoe@example.com"))
    tijuana = read(REAL / "exchange_cdo_pacific_tijuana.ics")[0]
    # CN="'meher.t@gmail.com'": quotes gone, and a name that is only the address is no name.
    assert tijuana.attendees == (Person("", "Tendjoukian@yahoo.de"), Person("", "meher.t@gmail.com"))
    hebrew = read(REAL / "exchange_israel_request_hebrew.ics")[0]
    assert hebrew.organizer == Person("שמואל גרובר", "shmuel@bgu.ac.il")


def test_real_descriptions_are_plain_text() -> None:
    outlook = read(REAL / "outlook2010_eastern_request.ics")[0]
    assert outlook.description == (
        "Meeting will discuss objectives for next project.\nWill include a presentation and food."
    )
    athens = read(REAL / "outlook_display_name_athens_recurring.ics")[0]
    assert athens.description.startswith("When: Occurs every Friday effective 12/7/2012 from 4:00 PM to 6:00 PM")


def test_calendar_inline_and_attached_counted_once() -> None:
    """Google sends the invitation twice, inline and as invite.ics: it is one invitation."""
    found = read_invitations(_email_with_calendar_twice(), "twice.eml", user_zone=LONDON)
    assert [inv.uid for inv in found] == ["twice@example.com"]


def _email_with_calendar_twice() -> bytes:
    body = ics("DTSTART:20270102T100000Z", "UID:twice@example.com", "SUMMARY:Twice")
    outer = MIMEMultipart("mixed")
    outer["From"] = "a@example.com"
    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText("See the invitation.", "plain"))
    alternative.attach(MIMEText(body, "calendar", "utf-8"))
    outer.attach(alternative)
    attachment = MIMEApplication(body.encode(), "ics", name="invite.ics")
    attachment.add_header("Content-Disposition", "attachment", filename="invite.ics")
    outer.attach(attachment)
    return outer.as_bytes()


# Made invitations (no permissive real one was found; see SOURCES.md)


def test_made_teams_invitation() -> None:
    inv = read(MADE / "teams_request_windows_zone.ics")[0]
    assert inv.zone == "Europe/Berlin"
    assert inv.start == datetime(2027, 3, 15, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
    assert inv.link.startswith("https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzI5")
    assert inv.link.endswith("%7d")
    assert inv.location == inv.link  # its LOCATION, "Microsoft Teams Meeting", only names the service
    assert inv.duration == 45
    assert inv.organizer == Person("Dana Recruiter", "dana.recruiter@acme-analytics.example")
    # The organizer listed again in another case is not repeated; the room is left out.
    assert inv.attendees == (Person("Alex Candidate", "alex.candidate@mail.example"),)
    company = guess_company(inv, ["alex.candidate@mail.example"])
    assert company == "Acme Analytics"
    assert guess_role(inv, company) == "Senior Data Engineer"


def test_made_icloud_relay_organizer_named_by_email_parameter() -> None:
    inv = read(MADE / "icloud_relay_request.ics")[0]
    assert inv.organizer == Person("Sam Lee", "sam.lee@globex.example")
    assert inv.attendees == (Person("Alex Candidate", "alex.candidate@mail.example"),)
    assert inv.link == "https://globex.zoom.us/j/81234567890?pwd=abc123"
    assert inv.location == inv.link
    assert inv.zone == "America/Los_Angeles"
    assert inv.start == datetime(2027, 4, 8, 14, 0, tzinfo=zoneinfo.ZoneInfo("America/Los_Angeles"))
    assert guess_company(inv, ["alex.candidate@mail.example"]) == "Globex"
    assert guess_role(inv, "Globex") == "Product Designer"


def test_made_google_cancellation() -> None:
    inv = read(MADE / "google_cancel_utc.ics")[0]
    assert inv.cancelled and inv.method == "CANCEL" and inv.sequence == 2
    assert inv.start == datetime(2027, 5, 20, 15, 0, tzinfo=UTC)
    assert inv.zone == LONDON
    assert inv.link == "https://meet.google.com/abc-defg-hij"
    assert inv.attendees == (Person("", "alex.candidate@mail.example"),)  # the room resource is left out
    assert guess_role(inv, guess_company(inv, [])) == "Backend Engineer"


def test_cancellation_without_start_is_kept() -> None:
    inv = one(ics("UID:gone@example.com", "SEQUENCE:3", "STATUS:CANCELLED", method="CANCEL"))
    assert inv.cancelled and inv.start is None and inv.zone == "" and inv.duration == 0


def test_status_cancelled_without_method() -> None:
    assert one(ics("DTSTART:20270102T100000Z", "STATUS:CANCELLED", method="")).cancelled


# Zone names


WINDOWS_IDS = [
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Romance Standard Time", "Europe/Paris"),
    ("GMT Standard Time", "Europe/London"),
    ("FLE Standard Time", "Europe/Kyiv"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("Eastern Standard Time", "America/New_York"),
    ("India Standard Time", "Asia/Kolkata"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("E. South America Standard Time", "America/Sao_Paulo"),
    ("UTC", "UTC"),
]

DISPLAY_NAMES = [
    ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Berlin"),
    ("(UTC+01:00) Brussels, Copenhagen, Madrid, Paris", "Europe/Paris"),
    ("(UTC+00:00) Dublin, Edinburgh, Lisbon, London", "Europe/London"),
    ("(GMT) Greenwich Mean Time : Dublin, Edinburgh, Lisbon, London", "Europe/London"),
    ("(UTC-05:00) Eastern Time (US & Canada)", "America/New_York"),
    ("(UTC-06:00) Central Time (US & Canada)", "America/Chicago"),
    ("(GMT-08:00) Pacific Time (US & Canada)", "America/Los_Angeles"),
    ("(UTC-03:00) Brasília", "America/Sao_Paulo"),
    ("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi", "Asia/Kolkata"),
    ("(UTC+08:00) Beijing, Chongqing, Hong Kong, Urumqi", "Asia/Shanghai"),
    ("(UTC+09:00) Osaka, Sapporo, Tokyo", "Asia/Tokyo"),
    ("(UTC+10:00) Canberra, Melbourne, Sydney", "Australia/Sydney"),
    ("(UTC+12:00) Auckland, Wellington", "Pacific/Auckland"),
    ("(UTC) Coordinated Universal Time", "UTC"),
]

EU_RULES = (
    "BEGIN:STANDARD", "DTSTART:16010101T030000", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100",
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10", "END:STANDARD",
    "BEGIN:DAYLIGHT", "DTSTART:16010101T020000", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200",
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3", "END:DAYLIGHT",
)
US_EASTERN_RULES = (
    "BEGIN:STANDARD", "DTSTART:16010101T020000", "TZOFFSETFROM:-0400", "TZOFFSETTO:-0500",
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11", "END:STANDARD",
    "BEGIN:DAYLIGHT", "DTSTART:16010101T020000", "TZOFFSETFROM:-0500", "TZOFFSETTO:-0400",
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=2SU;BYMONTH=3", "END:DAYLIGHT",
)


def vtimezone(tzid: str, rules: tuple[str, ...]) -> tuple[str, ...]:
    escaped = tzid.replace(",", "\\,")
    return ("BEGIN:VTIMEZONE", f"TZID:{escaped}", *rules, "END:VTIMEZONE")


def zoned(tzid: str, wall: str = "20270610T093000", *, rules: tuple[str, ...] = (), extra: tuple[str, ...] = ()) -> str:
    calendar_lines = (*extra, *(vtimezone(tzid, rules) if rules else ()))
    return ics(f'DTSTART;TZID="{tzid}":{wall}', "DURATION:PT1H", calendar_lines=calendar_lines)


IANA_NAMES = [
    ("Europe/Paris", "Europe/Paris"),
    ("America/Sao_Paulo", "America/Sao_Paulo"),
    ("europe/berlin", "Europe/Berlin"),
    ("US/Pacific", "America/Los_Angeles"),
    ("/freeassociation.sourceforge.net/Tzfile/Europe/London", "Europe/London"),
]


@pytest.mark.parametrize(("tzid", "zone"), IANA_NAMES)
def test_iana_tzid(tzid: str, zone: str) -> None:
    inv = one(zoned(tzid))
    assert inv.zone == zone and inv.warnings == ()
    assert inv.start == datetime(2027, 6, 10, 9, 30, tzinfo=zoneinfo.ZoneInfo(zone))


@pytest.mark.parametrize(("tzid", "zone"), WINDOWS_IDS)
def test_windows_zone_id(tzid: str, zone: str) -> None:
    inv = one(zoned(tzid))
    assert (inv.zone, inv.warnings) == (zone, ())
    assert inv.start == datetime(2027, 6, 10, 9, 30, tzinfo=zoneinfo.ZoneInfo(zone))
    assert_zone_consistent(inv)


@pytest.mark.parametrize(("tzid", "zone"), DISPLAY_NAMES)
def test_windows_display_name(tzid: str, zone: str) -> None:
    inv = one(zoned(tzid))
    assert (inv.zone, inv.warnings) == (zone, ())
    assert inv.start == datetime(2027, 6, 10, 9, 30, tzinfo=zoneinfo.ZoneInfo(zone))


def test_display_name_with_its_outlook_vtimezone() -> None:
    tzid = "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"
    winter = one(zoned(tzid, "20270115T093000", rules=EU_RULES))
    summer = one(zoned(tzid, "20270715T093000", rules=EU_RULES))
    assert (winter.zone, summer.zone) == ("Europe/Berlin", "Europe/Berlin")
    assert winter.start.astimezone(UTC) == datetime(2027, 1, 15, 8, 30, tzinfo=UTC)  # type: ignore[union-attr]
    assert summer.start.astimezone(UTC) == datetime(2027, 7, 15, 7, 30, tzinfo=UTC)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("tzid", "rules", "extra", "zone"),
    [
        ("Customized Time Zone", EU_RULES, (), "Europe/Berlin"),
        ("Customized Time Zone", EU_RULES, ("X-WR-TIMEZONE:Europe/Paris",), "Europe/Paris"),
        ("Paris", EU_RULES, (), "Europe/Paris"),
        ("tzone://Microsoft/Custom", US_EASTERN_RULES, (), "America/New_York"),
        ("Eastern", US_EASTERN_RULES, (), "America/New_York"),
        ("a name made up by someone", US_EASTERN_RULES, (), "America/New_York"),
    ],
)
def test_custom_vtimezone_matched_to_iana(tzid: str, rules: tuple[str, ...], extra: tuple[str, ...], zone: str) -> None:
    for wall, month in (("20270115T093000", 1), ("20270715T093000", 7)):
        inv = one(zoned(tzid, wall, rules=rules, extra=extra))
        assert (inv.zone, inv.warnings) == (zone, ())
        assert inv.start == datetime(2027, month, 15, 9, 30, tzinfo=zoneinfo.ZoneInfo(zone))


def test_custom_vtimezone_of_another_file_does_not_leak() -> None:
    """icalendar caches custom zones by TZID for the whole process; a second file with the same
    TZID and other rules must still be read with its own."""
    europe = one(zoned("Customized Time Zone", "20270610T093000", rules=EU_RULES))
    america = one(zoned("Customized Time Zone", "20270610T093000", rules=US_EASTERN_RULES))
    assert (europe.zone, america.zone) == ("Europe/Berlin", "America/New_York")
    assert america.start.astimezone(UTC) == datetime(2027, 6, 10, 13, 30, tzinfo=UTC)  # type: ignore[union-attr]
    undefined = one(zoned("Customized Time Zone", "20270610T093000"))
    assert undefined.zone == LONDON and "not recognised" in undefined.warnings[0]


def test_custom_vtimezone_unmatched_is_converted_with_warning() -> None:
    odd = ("BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:+0123", "TZOFFSETTO:+0123", "END:STANDARD")
    inv = one(zoned("Somewhere Odd", rules=odd), user_zone="Asia/Tokyo")
    assert inv.zone == "Asia/Tokyo"
    assert inv.start.astimezone(UTC) == datetime(2027, 6, 10, 8, 7, tzinfo=UTC)  # type: ignore[union-attr]
    assert inv.warnings == (
        "The time zone “Somewhere Odd” of this invitation matches no known zone; its time was converted to Asia/Tokyo.",
    )


def test_unknown_display_name_read_at_its_offset() -> None:
    inv = one(zoned("(UTC+05:00) Nowhere In Particular"))
    assert inv.zone == LONDON
    assert inv.start.astimezone(UTC) == datetime(2027, 6, 10, 4, 30, tzinfo=UTC)  # type: ignore[union-attr]
    assert "read as UTC+05:00 and converted to Europe/London" in inv.warnings[0]


def test_utc_time_in_user_zone() -> None:
    inv = one(ics("DTSTART:20270610T093000Z", "DTEND:20270610T100000Z"), user_zone="America/Chicago")
    assert inv.zone == "America/Chicago"
    assert inv.start == datetime(2027, 6, 10, 9, 30, tzinfo=UTC)
    assert inv.start.utcoffset() == timedelta(hours=-5)  # type: ignore[union-attr]
    assert (inv.duration, inv.warnings) == (30, ())


def test_floating_time_with_and_without_calendar_zone() -> None:
    tokyo = one(ics("DTSTART:20270610T093000", "DURATION:PT1H", calendar_lines=("X-WR-TIMEZONE:Asia/Tokyo",)))
    assert (tokyo.zone, tokyo.warnings) == ("Asia/Tokyo", ())
    assert tokyo.start == datetime(2027, 6, 10, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))
    mine = one(ics("DTSTART:20270610T093000", calendar_lines=("X-WR-TIMEZONE:Not/AZone",)), user_zone="Europe/Madrid")
    assert mine.zone == "Europe/Madrid"
    assert mine.start == datetime(2027, 6, 10, 9, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Madrid"))
    assert mine.warnings == ("The invitation gives no time zone for its time; it was read as Europe/Madrid time.",
                             "The invitation gives no end time.")


def test_all_day_event() -> None:
    inv = one(ics("DTSTART;VALUE=DATE:20270610", "DTEND;VALUE=DATE:20270611"))
    assert (inv.start, inv.zone, inv.duration, inv.warnings) == (date(2027, 6, 10), "", 0, ())


@pytest.mark.parametrize(
    ("lines", "minutes", "warning"),
    [
        (("DTSTART:20270610T090000Z", "DTEND:20270610T101500Z"), 75, ""),
        (("DTSTART:20270610T090000Z", "DURATION:PT1H30M"), 90, ""),
        (("DTSTART:20270610T090000Z",), 0, "no end time"),
        (("DTSTART:20270610T090000Z", "DTEND:20270610T080000Z"), 0, "ends before it starts"),
        (("DTSTART:20270610T090000Z", "DURATION:P3D"), 1440, "capped at 24 hours"),
        (('DTSTART;TZID="Europe/Paris":20270610T090000', 'DTEND;TZID="America/New_York":20270610T090000'), 360, ""),
    ],
)
def test_duration(lines: tuple[str, ...], minutes: int, warning: str) -> None:
    inv = one(ics(*lines))
    assert inv.duration == minutes
    assert (any(warning in item for item in inv.warnings) if warning else inv.warnings == ())


def test_zone_helpers() -> None:
    assert zones.iana_zone("localtime") == ""  # the machine's own zone is never taken
    assert zones.named_zone("Eastern Daylight Time") == "America/New_York"
    assert zones.display_offset("(UTC-03:30) Newfoundland") == -timedelta(hours=3, minutes=30)
    assert zones.display_offset("W. Europe Standard Time") is None


def test_result_does_not_depend_on_machine_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (REAL / "google_meet_utc_publish.ics").read_bytes()
    floating = ics("DTSTART:20270610T093000")
    before = (read_invitations(data, "a.ics", user_zone=LONDON), one(floating))
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    try:
        after = (read_invitations(data, "a.ics", user_zone=LONDON), one(floating))
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert before == after


# Recurrence and versions


def test_recurring_master_gives_first_occurrence() -> None:
    inv = one(ics("DTSTART:20270105T100000Z", "RRULE:FREQ=WEEKLY;COUNT=4", "SUMMARY:Weekly"))
    assert inv.start == datetime(2027, 1, 5, 10, 0, tzinfo=UTC)
    assert inv.warnings == ("This is a recurring event; its first occurrence (2027-01-05) was taken.",
                            "The invitation gives no end time.")


def test_several_uids_all_returned_in_order() -> None:
    second = "BEGIN:VEVENT\r\nUID:a@x.example\r\nDTSTAMP:20270101T000000Z\r\nDTSTART:20270106T100000Z\r\nEND:VEVENT"
    text = ics("UID:b@x.example", "DTSTART:20270105T100000Z").replace("END:VCALENDAR", f"{second}\r\nEND:VCALENDAR")
    found = read_invitations(text.encode(), "two.ics", user_zone=LONDON)
    assert [inv.uid for inv in found] == ["b@x.example", "a@x.example"]


def test_same_sequence_later_stamp_wins() -> None:
    older = ics("UID:s@x.example", "SEQUENCE:1", "DTSTAMP:20270101T000000Z", "DTSTART:20270105T100000Z")
    newer = ics("UID:s@x.example", "SEQUENCE:1", "DTSTAMP:20270102T000000Z", "DTSTART:20270105T110000Z")
    assert one(older + newer).start == one(newer + older).start == datetime(2027, 1, 5, 11, 0, tzinfo=UTC)


# Emails


CALENDAR = ics(
    'DTSTART;TZID="W. Europe Standard Time":20270610T093000', "DTEND;TZID=W. Europe Standard Time:20270610T103000",
    "UID:mail@example.com", "SUMMARY:Interview: Zoë Data Engineer", "ORGANIZER;CN=Dana:mailto:dana@acme.example",
)


def _mail(*parts: MIMEBase, kind: str = "mixed") -> MIMEMultipart:
    message = MIMEMultipart(kind)
    message["From"] = "Dana <dana@acme.example>"
    message["To"] = "alex@mail.example"
    message["Subject"] = "Invitation"
    for part in parts:
        message.attach(part)
    return message


def _calendar_part(encoding: str, charset: str = "utf-8", kind: str = "calendar") -> MIMEBase:
    part = MIMEBase("text", kind, charset=charset, method="REQUEST")
    payload = CALENDAR.encode(charset)
    if encoding == "base64":
        part.set_payload(base64.encodebytes(payload).decode())
    else:
        import quopri

        part.set_payload(quopri.encodestring(payload).decode())
    part["Content-Transfer-Encoding"] = encoding
    return part


def _nested(depth: int, inner: MIMEBase) -> MIMEBase:
    for _ in range(depth):
        inner = _mail(MIMEText("text", "plain"), inner, kind="alternative")
    return inner


def _attachment(kind: str, subtype: str, filename: str) -> MIMEBase:
    part = MIMEBase(kind, subtype, name=filename)
    part.set_payload(base64.encodebytes(CALENDAR.encode()).decode())
    part["Content-Transfer-Encoding"] = "base64"
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def _forwarded() -> MIMEMultipart:
    original = _mail(MIMEText("Original invitation", "plain"), _calendar_part("base64"), kind="alternative")
    return _mail(MIMEText("FYI, forwarding.", "plain"), MIMEMessage(original))


def _latin1() -> MIMEMultipart:
    return _mail(MIMEText("hi", "plain"), _calendar_part("quoted-printable", "iso-8859-1"))


def _single_part() -> MIMEBase:
    message = _calendar_part("base64")
    message["From"] = "dana@acme.example"
    message["Subject"] = "Invitation"
    return message


EMAILS = {
    "nested multipart with base64": _mail(_nested(5, _calendar_part("base64"))),
    "quoted-printable": _mail(MIMEText("hi", "plain"), _calendar_part("quoted-printable"), kind="alternative"),
    "application/ics attachment": _mail(MIMEText("hi", "plain"), _attachment("application", "ics", "invite.ics")),
    ".ics attachment of a generic type": _mail(_attachment("application", "octet-stream", "Meeting.ICS")),
    "forwarded message/rfc822": _forwarded(),
    "latin-1 charset": _latin1(),
    "a message that is only the calendar": _single_part(),
}


@pytest.mark.parametrize("name", sorted(EMAILS))
def test_invitation_found_in_email(name: str) -> None:
    inv = one(EMAILS[name].as_bytes(), source="invite.eml")
    assert inv.uid == "mail@example.com"
    assert inv.summary == "Interview: Zoë Data Engineer"
    assert inv.zone == "Europe/Berlin" and inv.duration == 60
    assert inv.start == datetime(2027, 6, 10, 9, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
    assert inv.organizer == Person("Dana", "dana@acme.example")


def test_email_saved_with_crlf_and_from_line() -> None:
    saved = EMAILS["quoted-printable"].as_bytes().replace(b"\n", b"\r\n")
    raw = b"From dana@acme.example Mon Jan  4 10:00:00 2027\r\n" + saved
    assert one(raw, source="saved.eml").uid == "mail@example.com"


# Errors


def _message(data: bytes | str, source: str = "invite.ics") -> str:
    raw = data.encode() if isinstance(data, str) else data
    with pytest.raises(InvitationError) as caught:
        read_invitations(raw, source, user_zone=LONDON)
    message = str(caught.value)
    assert message.startswith(f"{source}: ")
    assert "\n" not in message and "Traceback" not in message
    return message


def test_email_without_calendar() -> None:
    plain = _mail(MIMEText("Shall we meet on Tuesday?", "plain"), MIMEText("<p>Tuesday?</p>", "html"))
    assert "this email has no calendar invitation in it" in _message(plain.as_bytes(), "note.eml")


@pytest.mark.parametrize("data", [b"", b"hello world", b"\x00\x01\x02", b"%PDF-1.7\n%\xe2\xe3", b"Dear Alex,\nbye"])
def test_neither_email_nor_calendar(data: bytes) -> None:
    assert "neither a calendar invitation (.ics) nor an email" in _message(data)


@pytest.mark.parametrize("method", ["REPLY", "COUNTER", "reply"])
def test_answers_refused(method: str) -> None:
    message = _message(ics("DTSTART:20270610T093000Z", method=method))
    assert f"answer to an invitation (METHOD:{method.upper()})" in message


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nUID:1\r\nEND:VTODO\r\nEND:VCALENDAR\r\n", "no event in it"),
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "no event in it"),
        (ics("DTSTART:20270610T093000Z", "UID:"), "no UID"),
        (ics("SUMMARY:No start"), "no usable start time"),
        (ics("DTSTART:not-a-date"), "no usable start time"),
        ("BEGIN:VCALENDAR\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "could not be read"),
        ("BEGIN:VCALENDAR\r\n:::\r\n", ""),
    ],
)
def test_unusable_calendars(data: str, reason: str) -> None:
    assert reason in _message(data)


def test_unknown_user_zone() -> None:
    with pytest.raises(InvitationError, match="is not a known time zone"):
        read_invitations(ics("DTSTART:20270610T093000Z").encode(), "x.ics", user_zone="Mars/Olympus")


def test_source_name_kept_on_one_line() -> None:
    with pytest.raises(InvitationError) as caught:
        read_invitations(b"nothing", "evil\nname.ics", user_zone=LONDON)
    assert str(caught.value).startswith("evil name.ics: ")
    assert caught.value.source == "evil\nname.ics"


# Meeting links


@pytest.mark.parametrize(
    ("lines", "link", "location"),
    [
        (("X-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij",), "https://meet.google.com/abc-defg-hij", ""),
        (("CONFERENCE;VALUE=URI;FEATURE=PHONE:tel:+1-555-0100",
          "CONFERENCE;VALUE=URI;FEATURE=VIDEO:https://chat.example/room/7"), "https://chat.example/room/7", ""),
        (("X-MICROSOFT-ONLINEMEETINGCONFLINK:conf:sip:a@b.example\\;gruu\\;opaque=x?url=https://teams.live.com/meet/9",),
         "https://teams.live.com/meet/9", ""),
        (("DESCRIPTION:Join: <https://acme.webex.com/acme/j.php?MTID=m1>.",),
         "https://acme.webex.com/acme/j.php?MTID=m1", ""),
        (("DESCRIPTION:See https://docs.example/agenda then https://us02web.zoom.us/j/8512?pwd=Q1).",),
         "https://us02web.zoom.us/j/8512?pwd=Q1", ""),
        (("LOCATION:Room 5", "DESCRIPTION:https://teams.microsoft.com/meet/3874?p=a"),
         "https://teams.microsoft.com/meet/3874?p=a", "Room 5"),
        (("LOCATION:https://whereby.example/alex",), "https://whereby.example/alex", "https://whereby.example/alex"),
        # A LOCATION naming only the service gives way to the link; a place, or a name alone, stays.
        (("LOCATION:Microsoft Teams Meeting", "X-MICROSOFT-SKYPETEAMSMEETINGURL:https://teams.microsoft.com/l/x"),
         "https://teams.microsoft.com/l/x", ""),
        (("LOCATION:Zoom meeting.", "DESCRIPTION:Join https://acme.zoom.us/j/123"), "https://acme.zoom.us/j/123", ""),
        (("LOCATION:Google Meet", "X-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij"),
         "https://meet.google.com/abc-defg-hij", ""),
        (("LOCATION:Zoom Room 3, Acme HQ", "DESCRIPTION:Join https://acme.zoom.us/j/123"),
         "https://acme.zoom.us/j/123", "Zoom Room 3, Acme HQ"),
        (("LOCATION:Microsoft Teams Meeting",), "", "Microsoft Teams Meeting"),
        (("LOCATION:ftp://files.example/x", "DESCRIPTION:javascript:alert(1) http://"), "", "ftp://files.example/x"),
    ],
)
def test_meeting_link(lines: tuple[str, ...], link: str, location: str) -> None:
    inv = one(ics("DTSTART:20270610T093000Z", "DURATION:PT30M", *lines))
    assert inv.link == link
    assert inv.location == (location or link)


# Hostile text


HOSTILE = "---\ncompany: evil\n---\n<script>alert(1)</script> **bold** [x](javascript:alert(1))"


def test_hostile_text_kept_as_data() -> None:
    escaped = HOSTILE.replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")
    inv = one(ics(
        "DTSTART:20270610T093000Z",
        f"SUMMARY:{escaped}",
        f"DESCRIPTION:{escaped}",
        f"LOCATION:{escaped}",
        'ORGANIZER;CN="Eve\\n---\\ncompany: evil":mailto:eve@evil.example',
    ))
    assert inv.summary == HOSTILE
    assert inv.location == HOSTILE
    assert "company: evil" in inv.description and "---" in inv.description
    assert inv.organizer is not None and "\n" not in inv.organizer.name


def test_control_characters_removed() -> None:
    nasty = "A\x00B\x07C\x1b[2JD\x7fE\u0085F\tG"
    inv = one(ics("DTSTART:20270610T093000Z", f"SUMMARY:{nasty}", f"DESCRIPTION:{nasty}"))
    assert inv.summary == "ABC[2JDEF\tG"
    assert inv.description == inv.summary


def test_html_description_turned_to_text() -> None:
    html = (
        "<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>"
        "<p>Hello &amp; welcome</p><p><a href='https://acme.zoom.us/j/123?pwd=x'>Join</a></p></body></html>"
    )
    inv = one(ics("DTSTART:20270610T093000Z", f"X-ALT-DESC;FMTTYPE=text/html:{html}"))
    assert inv.description == "Hello & welcome\n\nJoin (https://acme.zoom.us/j/123?pwd=x)"
    assert inv.link == "https://acme.zoom.us/j/123?pwd=x"


def test_huge_values_are_cut_with_warning() -> None:
    inv = one(ics("DTSTART:20270610T093000Z", "DTEND:20270610T103000Z", "SUMMARY:" + "S" * 100_000,
                  "DESCRIPTION:" + "D" * 1_000_000, 'ORGANIZER;CN="' + "N" * 5_000 + '":mailto:n@x.example'))
    assert len(inv.summary) == 2_000 and len(inv.description) == 20_000
    assert inv.organizer is not None and len(inv.organizer.name) == 2_000
    assert "The summary was longer than 2,000 characters and was cut." in inv.warnings
    assert "The description was longer than 20,000 characters and was cut." in inv.warnings


@pytest.mark.parametrize(
    "line",
    [
        "SEQUENCE:abc", "SEQUENCE:-5", "SEQUENCE:" + "9" * 5000, "DTSTAMP:garbage", "DURATION:-P1W",
        "RRULE:FREQ=NEVER", "ORGANIZER:javascript:alert(1)", "ATTENDEE;CN=:mailto:", "ATTENDEE:urn:uuid:123",
        "X-GOOGLE-CONFERENCE:javascript:alert(1)", "LOCATION:ftp://files.example/x", "RECURRENCE-ID:garbage",
        'DTEND;TZID="Nowhere":20270610T100000', "X-ALT-DESC;FMTTYPE=text/html:<a href=",
    ],
)
def test_odd_properties_never_crash(line: str) -> None:
    inv = one(ics("DTSTART:20270610T093000Z", line))
    assert inv.sequence >= 0
    assert inv.link == "" or inv.link.startswith(("http://", "https://"))


@pytest.mark.parametrize("year", ["0001", "1601", "2040", "9999"])
def test_extreme_years(year: str) -> None:
    inv = one(ics(f'DTSTART;TZID="Customized":{year}0610T093000', "DURATION:PT1H",
                  calendar_lines=vtimezone("Customized", EU_RULES)))
    assert isinstance(inv.start, datetime)
    assert abs(inv.start.year - int(year)) <= 1
    assert inv.zone == "Europe/Berlin" or "only read for the years 1800 to 2200" in inv.warnings[0]


def test_vtimezone_with_runaway_rules_is_not_expanded() -> None:
    """Rules that repeat every minute since 1601 would keep icalendar and dateutil busy for
    hours; such a VTIMEZONE is not used (the time is read in the user's zone, with a warning)."""
    rules = (
        "BEGIN:STANDARD", "DTSTART:16010101T000000", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200",
        "RRULE:FREQ=MINUTELY", "END:STANDARD",
        "BEGIN:DAYLIGHT", "DTSTART:16010101T000030", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100",
        "RRULE:FREQ=YEARLY;BYMONTHDAY=1,2,3,4,5,6,7,8,9,10;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11", "END:DAYLIGHT",
    )
    inv = one(ics('DTSTART;TZID="Runaway":20270610T093000', 'RECURRENCE-ID;TZID="Runaway":20270610T093000',
                  'DTSTAMP;TZID="Runaway":20270101T000000', "DURATION:PT1H",
                  calendar_lines=vtimezone("Runaway", rules)))
    assert inv.zone == LONDON
    assert inv.start == datetime(2027, 6, 10, 9, 30, tzinfo=zoneinfo.ZoneInfo(LONDON))
    assert any("is defined in a way this tool cannot use" in warning for warning in inv.warnings)


def test_deeply_nested_mime_never_crashes() -> None:
    deep = _nested(200, _calendar_part("base64"))
    with contextlib.suppress(InvitationError):
        read_invitations(_mail(deep).as_bytes(), "deep.eml", user_zone=LONDON)
    boundaries = "".join(f'Content-Type: multipart/mixed; boundary="b{n}"\r\n\r\n--b{n}\r\n' for n in range(3000))
    with pytest.raises(InvitationError):
        read_invitations(("From: a@b.example\r\n" + boundaries).encode(), "deeper.eml", user_zone=LONDON)


def test_broken_base64_calendar_part() -> None:
    part = MIMEBase("text", "calendar")
    part.set_payload("QkVHSU46VkNBTEVOREFS!!!not base64 at all***")
    part["Content-Transfer-Encoding"] = "base64"
    with pytest.raises(InvitationError):
        read_invitations(_mail(part).as_bytes(), "broken.eml", user_zone=LONDON)


# Guesses


def _with(summary: str, organizer: str = "", attendees: tuple[str, ...] = ()) -> Invitation:
    return Invitation(
        source="x.ics", method="REQUEST", uid="u", sequence=0, stamp=None, cancelled=False,
        start=datetime(2027, 1, 1, tzinfo=UTC), zone="UTC", duration=30, location="", link="",
        summary=summary, description="", organizer=Person("", organizer) if organizer else None,
        attendees=tuple(Person("", address) for address in attendees),
    )


@pytest.mark.parametrize(
    ("organizer", "attendees", "me", "company"),
    [
        ("dana@acme-analytics.example", (), (), "Acme Analytics"),
        ("jobs@greenhouse.io", ("alex@gmail.com", "sam@globex.co.uk"), ("alex@gmail.com",), "Globex"),
        ("alex@initech.example", ("kim@initech.example",), ("ALEX@initech.example",), "Initech"),
        ("x@imip.me.com", ("me@gmail.com",), ("me@gmail.com",), ""),
        ("hr@mail.big_corp-eu.com", (), (), "Big Corp Eu"),
        ("", (), (), ""),
    ],
)
def test_guess_company(organizer: str, attendees: tuple[str, ...], me: tuple[str, ...], company: str) -> None:
    assert guess_company(_with("x", organizer, attendees), me) == company


@pytest.mark.parametrize(
    ("summary", "company", "role"),
    [
        ("Interview: Senior Data Engineer @ Acme", "Acme", "Senior Data Engineer"),
        ("Updated invitation: Interview with Jane Doe - Backend Engineer @ Wed Mar 3, 2027 10am - 11am (GMT) "
         "(alex@gmail.com)", "", "Backend Engineer"),
        ("Acme | Product Manager Interview (30 min)", "Acme", "Product Manager"),
        ("Phone screen: Data Scientist at Acme", "Acme", "Data Scientist"),
        ("Invitation: Acme - Technical interview - Frontend Developer", "Acme", "Frontend Developer"),
        ("Interview", "Acme", ""),
        ("Call with Jane", "", ""),
        ("", "", ""),
    ],
)
def test_guess_role(summary: str, company: str, role: str) -> None:
    assert guess_role(_with(summary), company) == role


# Fuzzing: only InvitationError ever escapes


def _check(data: bytes, source: str = "fuzz.ics") -> None:
    try:
        found = read_invitations(data, source, user_zone=LONDON)
    except InvitationError as error:
        assert str(error).startswith(f"{source}: ")
        CASES["refused"] = CASES.get("refused", 0) + 1
        return
    CASES["read"] = CASES.get("read", 0) + 1
    for inv in found:
        if isinstance(inv.start, datetime):
            assert_zone_consistent(inv)
        assert 0 <= inv.duration <= 24 * 60
        for value in (inv.summary, inv.location, inv.link, inv.uid):
            assert len(value) <= 2_000
        assert len(inv.description) <= 20_000


SEEDS = sorted([*REAL.iterdir(), *MADE.iterdir()])
EDITS = ["flip", "flip", "insert", "drop", "cut"]  # cutting mostly leaves nothing to read
SMALL_SEEDS = [path for path in SEEDS if path.stat().st_size < 20_000]


@settings(FAST, max_examples=examples(400, 150))
@given(st.binary(max_size=4_000))
@example(b"BEGIN:VCALENDAR")
@example(b"From: a\r\nContent-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR\r\n")
@example(b"\xff\xfeB\x00E\x00")
def test_fuzz_random_bytes(data: bytes) -> None:
    _check(data)


@settings(FAST, max_examples=examples(300, 100))
@given(
    st.sampled_from(SMALL_SEEDS),
    st.lists(
        st.tuples(st.integers(0, 20_000), st.integers(0, 255), st.sampled_from(EDITS)),
        min_size=1, max_size=4,
    ),
)
def test_fuzz_mutated_real_files(seed: Path, edits: list[tuple[int, int, str]]) -> None:
    data = bytearray(seed.read_bytes())
    for position, value, action in edits:
        where = position % (len(data) + 1)
        if action == "flip" and where < len(data):
            data[where] = value
        elif action == "cut":
            del data[where:]
        elif action == "insert":
            data[where:where] = bytes([value]) * (1 + value % 5)
        elif action == "drop" and where < len(data):
            del data[where : where + 1 + value % 40]
    _check(bytes(data), seed.name)


LINES = st.sampled_from([
    "DTSTART:20270610T093000Z", 'DTSTART;TZID="W. Europe Standard Time":20270610T093000', "DTSTART;VALUE=DATE:20270610",
    'DTSTART;TZID="Customized Time Zone":20270610T093000', "DTEND:20270610T083000Z", "DURATION:PT45M",
    "RRULE:FREQ=DAILY;COUNT=3", "RECURRENCE-ID:20270611T093000Z", "SEQUENCE:7", "STATUS:CANCELLED", "UID:other@x",
    "ORGANIZER;CN=A;EMAIL=a@b.example:mailto:x@imip.me.com", "ATTENDEE;CUTYPE=ROOM:mailto:r@x.example",
    "BEGIN:VEVENT", "END:VEVENT", "BEGIN:VTIMEZONE", "TZID:Customized Time Zone", *EU_RULES, "END:VTIMEZONE",
    "METHOD:CANCEL", "X-ALT-DESC;FMTTYPE=text/html:<p>x</p>",
])


@settings(FAST, max_examples=examples(300, 100))
@given(st.lists(st.one_of(LINES, st.text(max_size=60).map(lambda text: "SUMMARY:" + text)), max_size=25))
def test_fuzz_calendar_shaped(lines: list[str]) -> None:
    _check(ics(*lines).encode("utf-8", errors="surrogatepass"))

