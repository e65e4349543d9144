"""The advice over a whole search: rounds, replies, business days and holidays, the user's own hours.

Every expectation is an exact date and time worked out by hand from a calendar.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from conftest import Workspace
from followup.note.parse import parse_note

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


def at(text: str, zone: ZoneInfo = LONDON) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def build(workspace: Workspace, today: str = "2026-11-26") -> None:
    result = workspace.run("build", "--no-site", today=today)
    assert result.exit_code == 0, result.output


def note(company: str = "Acme", day: str = "2026-11-20 14:00", extra: str = "") -> str:
    return (
        f"---\ncompany: {company}\nrole: Backend Engineer\ndate: {day}\n"
        f"interviewers: Jane Doe <jane@acme.example>\n{extra}---\nNotes.\n"
    )


# -- rounds of one application ----------------------------------------------------------

SCREEN = note(
    "Kestrel Logistics",
    "2026-11-10 10:00",
    "round: phone screen\nrecruiter: Rita Reed <rita@hays.example>\nagency: Hays\n"
    "thank_you_sent: 2026-11-10\nnotes_reviewed: 2026-11-10\n",
).replace("Backend Engineer", "Platform Engineer")
FINAL = note(
    "Kestrel Logistics",
    "2026-11-20 14:00",
    "round: final\ncontact: Hugo Hart <hugo@kestrel.example>\n",
).replace("Backend Engineer", "Platform Engineer")


def test_a_later_round_keeps_the_recruiter_of_an_earlier_one(workspace: Workspace) -> None:
    workspace.note("k1.md", SCREEN)
    workspace.note("k2.md", FINAL.replace("contact: Hugo Hart <hugo@kestrel.example>\n", ""))
    build(workspace)
    follow_up = workspace.event("follow-up")
    text = str(follow_up["description"])
    assert "Write to your recruiter, Rita Reed at Hays, and only to them" in text
    assert "mailto:rita@hays.example" in text and "mailto:jane@" not in text
    assert str(follow_up["summary"]) == "Follow-up #1: Kestrel Logistics (final)"


def test_a_contact_in_a_later_round_does_not_go_around_the_recruiter(workspace: Workspace) -> None:
    workspace.note("k1.md", SCREEN)
    workspace.note("k2.md", FINAL)
    build(workspace)
    text = str(workspace.event("follow-up")["description"])
    assert "mailto:rita@hays.example" in text and "hugo@" not in text


def test_check_warns_when_rounds_name_different_recruiters(workspace: Workspace) -> None:
    workspace.note("k1.md", SCREEN)
    workspace.note("k2.md", FINAL.replace("contact: Hugo", "recruiter: Rob Roe <rob@other.example>\ncontact: Hugo"))
    result = workspace.run("check")
    assert "interviews/k2.md:" in result.output
    assert "Rob Roe" in result.output and "Rita Reed" in result.output and "interviews/k1.md" in result.output
    workspace.note("k2.md", FINAL.replace("contact: Hugo", "recruiter: R. Reed <RITA@hays.example>\ncontact: Hugo"))
    assert "recruiter here" not in workspace.run("check").output  # same address: same person


def test_new_after_starts_the_next_round(workspace: Workspace) -> None:
    workspace.note("k1.md", SCREEN.replace("---\nNotes", "timezone: America/New_York\n---\nNotes"))
    result = workspace.run("new", "--after", "k1", "--round", "final", "--date", "2026-12-03 09:00", "--no-edit")
    assert result.exit_code == 0, result.output
    [path] = [p for p in (workspace.root / "interviews").iterdir() if p.name != "k1.md"]
    assert "final" in path.name
    interview, problems = parse_note(path.read_bytes(), path.name, "n", "Europe/London")
    assert interview is not None, problems
    assert (interview.company, interview.role, interview.round) == ("Kestrel Logistics", "Platform Engineer", "final")
    assert interview.timezone == "America/New_York" and interview.start == at("2026-12-03 09:00", NEW_YORK)
    assert interview.recruiter is not None and interview.recruiter.email == "rita@hays.example"
    assert interview.agency == "Hays"
    build(workspace)
    assert len([e for e in workspace.events() if e.categories == ["follow-up"]]) == 1  # one application


@pytest.mark.parametrize("written", [
    '{name: "Reed, Rita", email: rita@hays.example}',  # a name written family name first
    "rita@hays.example",  # an address alone
])
def test_new_after_writes_the_recruiter_back_as_it_reads(workspace: Workspace, written: str) -> None:
    workspace.note("k1.md", SCREEN.replace("Rita Reed <rita@hays.example>", written))
    result = workspace.run("new", "--after", "k1", "--round", "final", "--date", "2026-12-03 09:00", "--no-edit")
    assert result.exit_code == 0, result.output
    [path] = [p for p in (workspace.root / "interviews").iterdir() if p.name != "k1.md"]
    interview, problems = parse_note(path.read_bytes(), path.name, "n", "Europe/London")
    earlier, _ = parse_note((workspace.root / "interviews" / "k1.md").read_bytes(), "k1.md", "k", "Europe/London")
    assert interview is not None and earlier is not None, problems
    assert interview.recruiter == earlier.recruiter
    assert workspace.run("check").exit_code == 0


def test_new_after_keeps_a_named_application_and_a_person_with_a_phone(workspace: Workspace) -> None:
    workspace.note(
        "k1.md",
        note(extra="application: acme platform hire\n"
                   "recruiter: {name: Rita Reed, email: rita@hays.example, phone: '+44 20 7946 0000'}\n"),
    )
    result = workspace.run("new", "--after", "k1.md", "--date", "2026-12-01", "--no-edit")
    assert result.exit_code == 0, result.output
    [path] = [p for p in (workspace.root / "interviews").iterdir() if p.name != "k1.md"]
    interview, _ = parse_note(path.read_bytes(), path.name, "n", "Europe/London")
    assert interview is not None
    assert interview.application == "acme platform hire"
    assert interview.recruiter is not None and interview.recruiter.phone == "+44 20 7946 0000"


def test_new_after_a_company_with_several_rounds_follows_the_latest(workspace: Workspace) -> None:
    workspace.note("k1.md", SCREEN)
    workspace.note("k2.md", FINAL)
    workspace.note("other.md", note("Kestrel Freight"))  # another application matching "kestrel"
    result = workspace.run("new", "--after", "kestrel logistics", "--round", "offer chat", "--no-edit")
    assert result.exit_code == 0, result.output
    [path] = [p for p in (workspace.root / "interviews").iterdir() if "offer-chat" in p.name]
    interview, _ = parse_note(path.read_bytes(), path.name, "n", "Europe/London")
    assert interview is not None and interview.company == "Kestrel Logistics"
    assert interview.recruiter is not None and interview.recruiter.email == "rita@hays.example"
    result = workspace.run("new", "--after", "kestrel", "--no-edit")  # two applications: say which
    assert result.exit_code == 2 and "matches" in result.output and "other.md" in result.output


def test_new_after_a_note_that_does_not_exist_is_a_usage_error(workspace: Workspace) -> None:
    result = workspace.run("new", "--after", "nothing-like-it", "--no-edit")
    assert result.exit_code == 2 and "no note matches" in result.output


def test_the_round_shows_only_where_there_are_several(workspace: Workspace) -> None:
    workspace.note("k1.md", SCREEN.replace("Kestrel Logistics", "Kestrel"))
    workspace.note("k2.md", FINAL.replace("Kestrel Logistics", "Kestrel"))
    workspace.note("solo.md", note("Globex", extra="round: technical\n"))
    result = workspace.run("build", "--no-site")
    assert result.exit_code == 0, result.output
    index = workspace.index.read_text()
    assert "[Kestrel · Platform Engineer \\(final\\)](interviews/k2.md)" in index
    assert "[Globex · Backend Engineer](interviews/solo.md)" in index
    status = workspace.run("status", "--all").output
    assert "Kestrel · Platform Engineer (final)" in status
    assert "Globex · Backend Engineer (technical)" not in status
    summaries = {str(e["summary"]) for e in workspace.events()}
    assert "Thank-you: Kestrel (final)" in summaries and "Thank-you: Globex" in summaries


def test_status_keeps_the_round_when_a_long_name_is_cut(workspace: Workspace) -> None:
    long_role = "Senior Staff Platform Reliability and Infrastructure Engineer"
    workspace.note("k1.md", SCREEN.replace("Platform Engineer", long_role))
    workspace.note("k2.md", FINAL.replace("Platform Engineer", long_role))
    status = workspace.run("status", "--all", today="2026-11-26").output
    lines = [line for line in status.splitlines() if "Kestrel" in line]
    assert lines and all("(final)" in line for line in lines), status
    assert all(len(line) <= 80 for line in status.splitlines()), status
    assert "…" in status  # the role was shortened, not the round


def test_interview_page_titles_carry_the_round(workspace: Workspace) -> None:
    from followup.config import Config
    from followup.pages.interview import render as interview_page
    from followup.plan.rules import plan

    first, _ = parse_note(SCREEN.encode(), "k1.md", "k1", "Europe/London")
    second, _ = parse_note(FINAL.encode(), "k2.md", "k2", "Europe/London")
    assert first is not None and second is not None
    planned = plan((first, second), Config(timezone="Europe/London"), date(2026, 11, 26))
    final = planned.applications[0].latest
    page = interview_page(final, planned, date(2026, 11, 26), "", config=Config(timezone="Europe/London"))
    assert 'title: "Kestrel Logistics · Platform Engineer (final)"' in page
    assert "# Kestrel Logistics · Platform Engineer \\(final\\)" in page


# -- replies and moving on ----------------------------------------------------------------


def test_a_reply_ends_the_follow_ups(workspace: Workspace) -> None:
    workspace.note("a.md", note(extra="reply_received: 2026-11-24\n"))
    build(workspace)
    assert "follow-up" not in workspace.kinds()


def test_a_later_reply_by_after_the_reply_counts_again_from_that_date(workspace: Workspace) -> None:
    # They answered on 24 Nov "we decide by Friday 4 Dec": follow-up #1 on Monday 7 Dec; the
    # follow-up sent before their answer does not count toward the limit.
    workspace.note(
        "a.md", note(extra="reply_received: 2026-11-24\nreply_by: 2026-12-04\nfollow_ups: [2026-11-23]\n")
    )
    build(workspace)
    event = workspace.event("follow-up")
    assert event.start == at("2026-12-07 09:00")
    assert str(event["summary"]) == "Follow-up #1: Acme"


def test_the_last_follow_up_gets_the_usual_wait_before_moving_on(workspace: Workspace) -> None:
    # Second and last follow-up on Tuesday 1 Dec: moved on from Tuesday 8 Dec, not before.
    workspace.note("a.md", note(extra="follow_ups: [2026-11-27, 2026-12-01]\n"))
    build(workspace, today="2026-12-02")
    assert "follow-up" not in workspace.kinds()
    index = workspace.index.read_text()
    assert "waiting for an answer to the last follow-up until Tue 08 Dec 2026" in index
    assert "| following up |" in index and "move on" not in index
    status = workspace.run("status", today="2026-12-07").output
    assert "waiting for an answer to the last follow-up until 08 Dec" in status
    build(workspace, today="2026-12-08")
    index = workspace.index.read_text()
    assert "| moved on | move on: no reply after two follow-ups |" in index


def test_the_wait_after_the_last_follow_up_skips_holidays(workspace: Workspace) -> None:
    # Last follow-up Friday 18 Dec + 7 = Friday 25 Dec, Christmas; Boxing Day observed Monday 28.
    workspace.config('timezone = "Europe/London"\nholidays = "GB"\n')
    workspace.note("a.md", note(extra="follow_ups: [2026-12-10, 2026-12-18]\n"))
    build(workspace, today="2026-12-28")
    assert "until Tue 29 Dec 2026" in workspace.index.read_text()


def test_negotiate_closes_on_its_own_and_decide_stays(workspace: Workspace) -> None:
    workspace.note(
        "a.md",
        note(extra="outcome: offer\noffer_received: 2026-11-23\noffer_deadline: 2026-12-04\n"
                   "thank_you_sent: 2026-11-20\nnotes_reviewed: 2026-11-20\n"),
    )
    build(workspace)
    assert workspace.kinds() == ["decide", "interview", "negotiate"]
    result = workspace.run("done", "a", "negotiate", "--date", "2026-11-25")
    assert result.exit_code == 0, result.output
    assert "negotiated: 2026-11-25" in (workspace.root / "interviews" / "a.md").read_text()
    build(workspace)
    assert workspace.kinds() == ["decide", "interview"]


@pytest.mark.parametrize(("today", "in_feed"), [("2026-12-04", True), ("2026-12-05", False)])
def test_a_thank_you_left_undone_two_weeks_is_missed(workspace: Workspace, today: str, in_feed: bool) -> None:
    # Due Friday 20 Nov 16:00: still in the feed 14 days later, missed on the 15th.
    workspace.note("a.md", note())
    build(workspace, today=today)
    kinds = workspace.kinds()
    assert ("thank-you" in kinds) is in_feed and ("review-notes" in kinds) is in_feed
    index = workspace.index.read_text()
    assert ("## Missed" in index) is not in_feed
    if not in_feed:
        assert "- missed · Fri 20 Nov 16:00 · Thank-you" in index
        assert "Missed" in workspace.run("status", today=today).output


def test_missed_after_days_is_configurable(workspace: Workspace) -> None:
    workspace.config('timezone = "Europe/London"\nmissed_after_days = 3\n')
    workspace.note("a.md", note())
    build(workspace, today="2026-11-24")
    assert "thank-you" not in workspace.kinds()


# -- business days and holidays -----------------------------------------------------------


@pytest.mark.parametrize(
    ("holidays", "expected"),
    [
        ("", "2026-12-25 09:00"),  # Friday 25 December: no holidays, a business day
        ('holidays = "GB"\n', "2026-12-29 09:00"),  # Christmas, then Boxing Day observed Monday 28
        ('holidays = "US"\n', "2026-12-28 09:00"),  # only Christmas Day in the US
        ('holidays = "US-CA"\n', "2026-12-28 09:00"),
        ('holidays = "DE-BY"\n', "2026-12-28 09:00"),  # 25 and 26 December; 26 is a Saturday
    ],
)
def test_follow_up_due_on_christmas(workspace: Workspace, holidays: str, expected: str) -> None:
    workspace.config(f'timezone = "Europe/London"\n{holidays}')
    workspace.note("a.md", note(day="2026-12-18 10:00"))
    build(workspace, today="2026-12-19")
    assert workspace.event("follow-up").start == at(expected)


def test_thanksgiving_moves_a_us_follow_up(workspace: Workspace) -> None:
    # Thursday 19 Nov + 7 = Thanksgiving, Thursday 26 Nov 2026: the Friday with US holidays.
    workspace.config('timezone = "America/New_York"\nholidays = "US"\n')
    workspace.note("a.md", note(day="2026-11-19 10:00"))
    build(workspace, today="2026-11-20")
    assert workspace.event("follow-up").start == at("2026-11-27 09:00", NEW_YORK)


def test_prepare_moves_back_past_a_weekend_and_a_holiday(workspace: Workspace) -> None:
    # Monday 4 Jan 2027 - 2 = Saturday 2 Jan -> Friday 1 Jan is New Year's Day -> Thursday 31 Dec.
    workspace.config('timezone = "Europe/London"\nholidays = "GB"\n')
    workspace.note("a.md", note(day="2027-01-04 10:00"))
    build(workspace, today="2026-12-20")
    assert workspace.event("prepare").start == at("2026-12-31 09:00")


def test_negotiate_moves_forward_and_decide_moves_back(workspace: Workspace) -> None:
    # Offer on Friday 27 Nov: negotiate Monday 30 Nov. Deadline Sunday 6 Dec: decide Friday 4 Dec.
    workspace.note(
        "a.md", note(extra="outcome: offer\noffer_received: 2026-11-27\noffer_deadline: 2026-12-06\n")
    )
    build(workspace)
    assert workspace.event("negotiate").start == at("2026-11-30 09:00")
    assert workspace.event("decide").start == at("2026-12-04 09:00")


def test_decide_on_a_holiday_moves_to_the_working_day_before(workspace: Workspace) -> None:
    # Deadline Monday 28 Dec (Boxing Day observed): decide on Thursday 24 Dec.
    workspace.config('timezone = "Europe/London"\nholidays = "GB"\n')
    workspace.note(
        "a.md", note(extra="outcome: offer\noffer_received: 2026-12-21\noffer_deadline: 2026-12-28\n")
    )
    build(workspace, today="2026-12-21")
    assert workspace.event("decide").start == at("2026-12-24 09:00")


@pytest.mark.parametrize(
    ("code", "hint"),
    [
        ("XX", "unknown country 'XX'"),
        ("GB-SCO", "did you mean 'GB-SCT'?"), ("US-ZZ", "'US' has no subdivision 'ZZ'"),
    ],
)
def test_an_unknown_holiday_code_is_a_configuration_error(workspace: Workspace, code: str, hint: str) -> None:
    workspace.config(f'timezone = "Europe/London"\nholidays = "{code}"\n')
    workspace.note("a.md", note())
    result = workspace.run("build", "--no-site")
    assert result.exit_code == 1
    assert "followup.toml:2: holidays:" in result.output and hint in result.output


# -- the user's own zone and hours ----------------------------------------------------------


def test_new_york_interview_for_someone_in_london(workspace: Workspace) -> None:
    # 14:00-15:00 New York is 19:00-20:00 London: the thank-you at 21:00 would be in quiet
    # hours, so it comes at 09:00 the next morning; the day reminders come at 09:00 London.
    workspace.note("a.md", note(day="2026-12-03 14:00", extra="timezone: America/New_York\n"))
    build(workspace)
    interview = workspace.event("interview")
    assert interview.start == at("2026-12-03 14:00", NEW_YORK)
    assert str(interview["DTSTART"].params["TZID"]) == "America/New_York"
    assert workspace.event("prepare").start == at("2026-12-01 09:00")
    assert workspace.event("thank-you").start == at("2026-12-04 09:00")
    assert workspace.event("review-notes").start == at("2026-12-04 09:00")
    assert workspace.event("follow-up").start == at("2026-12-10 09:00")
    assert str(workspace.event("follow-up")["DTSTART"].params["TZID"]) == "Europe/London"


@pytest.mark.parametrize(
    ("start", "thank_you"),
    [
        ("2026-11-20 22:30", "2026-11-21 09:00"),  # ends 23:30: 00:30 is quiet, 09:00 next day
        ("2026-11-20 23:30", "2026-11-21 09:00"),  # ends 00:30: 01:30 is quiet, 09:00 same day
        ("2026-11-20 18:59", "2026-11-20 20:59"),  # just before quiet hours
        ("2026-11-20 19:00", "2026-11-21 09:00"),  # 21:00 exactly is quiet
        ("2026-11-20 06:00", "2026-11-20 08:00"),  # 08:00 exactly is not
        ("2026-11-20 05:00", "2026-11-20 09:00"),  # 07:00 is quiet: reminder_hour that morning
    ],
)
def test_quiet_hours(workspace: Workspace, start: str, thank_you: str) -> None:
    workspace.note("a.md", note(day=start))
    build(workspace)
    assert workspace.event("thank-you").start == at(thank_you)


def test_tokyo_user_london_interview(workspace: Workspace) -> None:
    # London 10:00-11:00 GMT is 19:00-20:00 Tokyo: thank-you at 21:00 is quiet -> 09:00 next day.
    workspace.config('timezone = "Asia/Tokyo"\n')
    workspace.note("a.md", note(day="2026-11-20 10:00", extra="timezone: Europe/London\n"))
    build(workspace)
    assert workspace.event("thank-you").start == at("2026-11-21 09:00", TOKYO)
    # day reminders on dates counted from the London date, at 09:00 Tokyo
    assert workspace.event("follow-up").start == at("2026-11-27 09:00", TOKYO)


def test_new_york_user_berlin_interview(workspace: Workspace) -> None:
    # Berlin 09:00-10:00 is 03:00-04:00 New York: 05:00 is quiet -> 09:00 the same day.
    workspace.config('timezone = "America/New_York"\n')
    workspace.note("a.md", note(day="2026-11-20 09:00", extra="timezone: Europe/Berlin\n"))
    build(workspace)
    assert workspace.event("thank-you").start == at("2026-11-20 09:00", NEW_YORK)
    assert workspace.event("follow-up").start == at("2026-11-27 09:00", NEW_YORK)


def test_an_interview_without_time_reminds_at_six_in_the_users_zone(workspace: Workspace) -> None:
    workspace.config('timezone = "Asia/Tokyo"\n')
    workspace.note("a.md", note(day="2026-11-20", extra="timezone: America/New_York\n"))
    build(workspace)
    assert workspace.event("thank-you").start == at("2026-11-20 18:00", TOKYO)


def test_times_shown_in_the_users_zone_with_the_local_time(workspace: Workspace) -> None:
    workspace.note("a.md", note(day="2026-12-03 09:00", extra="timezone: America/New_York\n"))
    workspace.note("b.md", note("Globex", day="2026-12-04 11:00"))
    status = workspace.run("status").output
    assert "Thu 03 Dec 14:00 (09:00 New York)" in status
    assert "Fri 04 Dec 11:00  Interview" in status  # same zone: no second time
    build(workspace)
    index = workspace.index.read_text()
    assert "Thu 03 Dec 14:00 (09:00 New York)" in index


def test_the_interview_page_shows_both_times(workspace: Workspace) -> None:
    from followup.config import Config
    from followup.pages.interview import render as interview_page
    from followup.plan.rules import plan

    interview, _ = parse_note(
        note(day="2026-12-03 09:00", extra="timezone: America/New_York\n").encode(), "a.md", "a", "Europe/London"
    )
    assert interview is not None
    planned = plan((interview,), Config(timezone="Europe/London"), date(2026, 11, 26))
    page = interview_page(interview, planned, date(2026, 11, 26), "", config=Config(timezone="Europe/London"))
    assert "| When | Thu 03 Dec 14:00 (09:00 New York) |" in page
    assert "Thu 03 Dec 16:00 · open  \n[Thank-you]" in page


# -- people and dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("contact: 5", "'contact' is '5'"),
        ("role: true", "'role' is 'true'"),
        ("agency: 7", "'agency' is '7'"),
        ("recruiter: yes", "'recruiter' is 'yes'"),
    ],
)
def test_a_number_or_boolean_where_text_belongs_is_an_error(workspace: Workspace, line: str, message: str) -> None:
    key = line.split(":")[0]
    text = note() if key == "role" else note(extra=f"{line}\n")
    if key == "role":
        text = text.replace("role: Backend Engineer", line)
    workspace.note("a.md", text)
    result = workspace.run("check")
    assert result.exit_code == 1 and "interviews/a.md:" in result.output and message in result.output
    workspace.note("a.md", text.replace(line, f'{key}: "{line.split(": ")[1]}"'))
    assert workspace.run("check").exit_code == 0  # quoted, it is text


def test_an_address_without_a_name_is_greeted_without_one(workspace: Workspace) -> None:
    workspace.note("a.md", note().replace("Jane Doe <jane@acme.example>", "cto@acme.example"))
    build(workspace)
    text = str(workspace.event("thank-you")["description"])
    assert "body=Hello%2C%0A" in text and "Dear%20cto" not in text


def test_a_time_key_points_to_date(workspace: Workspace) -> None:
    workspace.note("a.md", note(day="2026-11-20", extra="time: 14:00\n"))
    result = workspace.run("check")
    assert "interviews/a.md:6: warning: 'time' is not a key: put the time in 'date'" in result.output


def test_front_matter_closed_only_by_a_later_rule_in_the_body(workspace: Workspace) -> None:
    workspace.note(
        "a.md",
        "---\ncompany: Acme\nrole: Dev\ndate: 2026-11-20 14:00\n\n## During\n\n- Who I met: Jane\n"
        "- Next steps: a week\n\n---\n\nMore notes.\n",
    )
    result = workspace.run("check")
    assert result.exit_code == 1
    assert "interviews/a.md:5: the front-matter is not closed" in result.output
    assert "does not know the key" not in result.output and "YAML" not in result.output


def test_a_misspelt_key_after_a_blank_line_is_still_a_misspelt_key(workspace: Workspace) -> None:
    workspace.note("a.md", "---\ncompany: Acme\nrole: Dev\ndate: 2026-11-20 14:00\n\nthank_you_snet: 2026-11-20\n---\n")
    result = workspace.run("check")
    assert ("warning: followup does not know the key 'thank_you_snet' and leaves it aside; "
            "did you mean 'thank_you_sent'?") in result.output
    assert "not closed" not in result.output


def test_done_with_an_impossible_date_says_what_is_wrong(workspace: Workspace) -> None:
    workspace.note("a.md", note())
    result = workspace.run("done", "a", "thank-you", "--date", "2026-13-01")
    assert result.exit_code == 2
    assert "'2026-13-01' is not a real date (month must be in 1..12)" in result.output
    result = workspace.run("done", "a", "thank-you", "--date", "9999-01-01")
    assert result.exit_code == 2 and "year 9999" in result.output


def test_an_unquoted_text_value_in_the_configuration_suggests_quotes(workspace: Workspace) -> None:
    workspace.config("reminder_hour = 8\ntimezone = Europe/London\n")
    workspace.note("a.md", note())
    result = workspace.run("build", "--no-site")
    assert result.exit_code == 1
    assert 'write timezone = "Europe/London"' in result.output


@pytest.mark.parametrize(("zone", "city"), [("EST", "America/New_York"), ("MST", "America/Denver")])
def test_a_fixed_offset_zone_is_warned_about(workspace: Workspace, zone: str, city: str) -> None:
    workspace.note("a.md", note(extra=f"timezone: {zone}\n"))
    result = workspace.run("check")
    assert f"warning: timezone: '{zone}' is a fixed offset with no daylight saving; use '{city}'" in result.output


def test_a_fixed_offset_zone_in_the_configuration_is_warned_about(workspace: Workspace) -> None:
    workspace.config('reminder_hour = 8\ntimezone = "EST"\n')
    workspace.note("a.md", note())
    result = workspace.run("check")
    assert result.exit_code == 0
    assert "followup.toml:2: warning: timezone: 'EST' is a fixed offset" in result.output
    assert "'America/New_York'" in result.output


def test_the_follow_up_that_allows_a_call_shows_the_number(workspace: Workspace) -> None:
    workspace.note(
        "a.md",
        note(extra="may_call: true\ncontact: {name: Pepper Potts, phone: '+1 212 555 0142'}\n"),
    )
    build(workspace)
    assert "phoning Pepper Potts on +1 212 555 0142 is fine" in str(workspace.event("follow-up")["description"])


def test_a_round_called_video_interview_is_not_doubled(workspace: Workspace) -> None:
    workspace.note("a.md", note(extra="round: Video Interview\n"))
    build(workspace)
    text = str(workspace.event("thank-you")["description"])
    assert "Video%20Interview" in text and "Interview%20interview" not in text
