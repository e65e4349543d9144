"""Each rule of the advice, and each exception to it, seen in the built feed."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from conftest import Workspace

LONDON = ZoneInfo("Europe/London")


def at(text: str, zone: ZoneInfo = LONDON) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def build(workspace: Workspace, today: str = "2026-11-26") -> None:
    result = workspace.run("build", "--no-site", today=today)
    assert result.exit_code == 0, result.output


INTERVIEW = """
---
company: Acme
role: Backend Engineer
date: 2026-11-20 14:00
duration: 90
interviewers:
  - Jane Doe <jane@acme.example>
  - Bob Stone
---
Notes.
"""


def test_interview_event_runs_from_start_to_end(workspace: Workspace) -> None:
    workspace.note("acme.md", INTERVIEW)
    build(workspace)
    event = workspace.event("interview")
    assert event.start == at("2026-11-20 14:00")
    assert event.end == at("2026-11-20 15:30")
    assert str(event["DTSTART"].params["TZID"]) == "Europe/London"
    assert "Acme" in event["summary"] and "Backend Engineer" in event["summary"]
    assert "Jane Doe" in event["description"] and "Bob Stone" in event["description"]


def test_thank_you_and_review_one_hour_after_the_end(workspace: Workspace) -> None:
    workspace.note("acme.md", INTERVIEW)
    build(workspace)
    for kind in ("thank-you", "review-notes"):
        assert workspace.event(kind).start == at("2026-11-20 16:30")
    thanks = workspace.event("thank-you")
    assert "Jane Doe" in thanks["description"] and "Bob Stone" in thanks["description"]
    assert "mailto:jane@acme.example?subject=" in thanks["description"]
    assert "No email address in the note for: Bob Stone" in thanks["description"]


def test_date_only_interview_is_all_day_and_reminders_fall_at_six(workspace: Workspace) -> None:
    workspace.note("acme.md", INTERVIEW.replace("2026-11-20 14:00", "2026-11-20"))
    build(workspace)
    interview = workspace.event("interview")
    assert interview.start == date(2026, 11, 20) and interview.end == date(2026, 11, 21)
    assert workspace.event("thank-you").start == at("2026-11-20 18:00")
    assert workspace.event("review-notes").start == at("2026-11-20 18:00")


def test_done_reminders_leave_the_feed(workspace: Workspace) -> None:
    workspace.note(
        "acme.md",
        INTERVIEW.replace("---\nNotes", "thank_you_sent: 2026-11-20\nnotes_reviewed: 2026-11-21\n---\nNotes"),
    )
    build(workspace)
    assert workspace.kinds() == ["follow-up", "interview"]


def test_prepare_two_days_before_only_for_future_interviews(workspace: Workspace) -> None:
    workspace.note("acme.md", INTERVIEW.replace("2026-11-20 14:00", "2026-12-03 14:00"))
    build(workspace)
    assert workspace.event("prepare").start == at("2026-12-01 09:00")
    build(workspace, today="2026-12-04")
    assert "prepare" not in workspace.kinds()


def test_follow_up_seven_days_after_on_a_business_day(workspace: Workspace) -> None:
    # 2026-11-20 is a Friday: day 7 is Friday 27th.
    workspace.note("acme.md", INTERVIEW)
    build(workspace)
    event = workspace.event("follow-up")
    assert event.start == at("2026-11-27 09:00")
    assert "2026-11-30" in event["description"]  # the window runs to day 10
    assert "mailto:jane@acme.example" in event["description"]  # the first interviewer


def test_follow_up_due_on_a_weekend_moves_to_monday(workspace: Workspace) -> None:
    # Sunday 15 Nov + 7 = Sunday 22 Nov -> Monday 23 Nov.
    workspace.note("acme.md", INTERVIEW.replace("2026-11-20 14:00", "2026-11-15 10:00"))
    build(workspace)
    assert workspace.event("follow-up").start == at("2026-11-23 09:00")


def test_follow_up_the_business_day_after_reply_by(workspace: Workspace) -> None:
    # reply_by Friday 27 Nov -> Saturday 28th -> Monday 30th.
    workspace.note("acme.md", INTERVIEW.replace("---\nNotes", "reply_by: 2026-11-27\n---\nNotes"))
    build(workspace)
    event = workspace.event("follow-up")
    assert event.start == at("2026-11-30 09:00")
    assert "2026-11-27" in event["description"]


def test_second_follow_up_a_week_after_the_first(workspace: Workspace) -> None:
    workspace.note("acme.md", INTERVIEW.replace("---\nNotes", "follow_ups: [2026-11-27]\n---\nNotes"))
    build(workspace)
    event = workspace.event("follow-up")
    assert "#2" in event["summary"]
    assert event.start == at("2026-12-04 09:00")
    assert "last" in event["description"]


def test_two_unanswered_follow_ups_mean_move_on(workspace: Workspace) -> None:
    workspace.note(
        "acme.md", INTERVIEW.replace("---\nNotes", "follow_ups: [2026-11-27, 2026-12-04]\n---\nNotes")
    )
    build(workspace, today="2026-12-20")
    assert "follow-up" not in workspace.kinds()
    assert "move on: no reply after two follow-ups" in workspace.index.read_text()


def test_the_maximum_number_of_follow_ups_is_configurable(workspace: Workspace) -> None:
    workspace.config('timezone = "Europe/London"\nmax_follow_ups = 1\n')
    workspace.note("acme.md", INTERVIEW.replace("---\nNotes", "follow_ups: [2026-11-27]\n---\nNotes"))
    build(workspace)
    assert "follow-up" not in workspace.kinds()


def test_recruiter_receives_every_follow_up(workspace: Workspace) -> None:
    workspace.note(
        "acme.md",
        INTERVIEW.replace(
            "---\nNotes",
            "recruiter: Rita Moreno <rita@agency.example>\nagency: BrightPath\n---\nNotes",
        ),
    )
    build(workspace)
    description = str(workspace.event("follow-up")["description"])
    assert "Rita Moreno" in description and "BrightPath" in description
    assert "mailto:rita@agency.example" in description
    assert "jane@acme.example" not in description
    assert "never go around them" in description


@pytest.mark.parametrize(
    ("may_call", "expected"),
    [("false", "do not phone unless they invited you"), ("true", "phoning is fine")],
)
def test_write_rather_than_phone_unless_invited(workspace: Workspace, may_call: str, expected: str) -> None:
    workspace.note("acme.md", INTERVIEW.replace("---\nNotes", f"may_call: {may_call}\n---\nNotes"))
    build(workspace)
    assert expected in str(workspace.event("follow-up")["description"])


def test_contact_named_as_an_interviewer_gets_the_follow_up(workspace: Workspace) -> None:
    workspace.note(
        "acme.md",
        INTERVIEW.replace("---\nNotes", "contact: bob stone\n---\nNotes").replace(
            "Bob Stone", "Bob Stone <bob@acme.example>"
        ),
    )
    build(workspace)
    assert "mailto:bob@acme.example" in str(workspace.event("follow-up")["description"])


@pytest.mark.parametrize(
    "extra",
    ["impression: bad", "outcome: rejected", "outcome: next-round", "outcome: withdrawn"],
)
def test_no_follow_up_after_a_bad_impression_or_an_outcome(workspace: Workspace, extra: str) -> None:
    workspace.note("acme.md", INTERVIEW.replace("---\nNotes", f"{extra}\n---\nNotes"))
    build(workspace)
    assert "follow-up" not in workspace.kinds()
    assert "thank-you" in workspace.kinds()  # thanks are due after every round all the same


def test_only_the_latest_round_follows_up(workspace: Workspace) -> None:
    workspace.note("acme-1.md", INTERVIEW.replace("date: 2026-11-20 14:00", "date: 2026-11-16 14:00\nround: screen"))
    workspace.note("acme-2.md", INTERVIEW.replace("date: 2026-11-20 14:00", "date: 2026-11-20 14:00\nround: onsite"))
    build(workspace)
    follow_ups = [e for e in workspace.events() if e.categories == ["follow-up"]]
    assert len(follow_ups) == 1
    assert follow_ups[0]["uid"].startswith("acme-2.")
    # The screen's thank-you, left undone once the onsite took place, is missed.
    thanks = [e for e in workspace.events() if e.categories == ["thank-you"]]
    assert [str(e["summary"]) for e in thanks] == ["Thank-you: Acme (onsite)"]
    assert "· Thank-you · [Acme · Backend Engineer \\(screen\\)](interviews/acme-1.md)" in workspace.index.read_text()


def test_application_key_groups_rounds_with_different_titles(workspace: Workspace) -> None:
    workspace.note("a.md", INTERVIEW.replace("date: 2026-11-20 14:00", "date: 2026-11-10 14:00\napplication: acme-be"))
    workspace.note(
        "b.md",
        INTERVIEW.replace("Backend Engineer", "Senior Backend Engineer").replace(
            "date: 2026-11-20 14:00", "date: 2026-11-20 14:00\napplication: ACME-BE"
        ),
    )
    build(workspace)
    assert len([e for e in workspace.events() if e.categories == ["follow-up"]]) == 1


def test_offer_brings_negotiate_and_decide(workspace: Workspace) -> None:
    workspace.note(
        "acme.md",
        INTERVIEW.replace(
            "---\nNotes",
            "outcome: offer\noffer_received: 2026-11-24\noffer_deadline: 2026-12-01\n---\nNotes",
        ),
    )
    build(workspace)
    assert workspace.event("negotiate").start == at("2026-11-25 09:00")
    assert workspace.event("decide").start == at("2026-12-01 09:00")
    assert "follow-up" not in workspace.kinds()


@pytest.mark.parametrize("outcome", ["accepted", "withdrawn"])
def test_an_answered_offer_closes_negotiate_and_decide(workspace: Workspace, outcome: str) -> None:
    workspace.note(
        "acme.md",
        INTERVIEW.replace(
            "---\nNotes",
            f"outcome: {outcome}\noffer_received: 2026-11-24\noffer_deadline: 2026-12-01\n---\nNotes",
        ),
    )
    build(workspace)
    assert not {"negotiate", "decide"} & set(workspace.kinds())


def test_reminder_hour_and_prepare_lead_time_are_configurable(workspace: Workspace) -> None:
    workspace.config('timezone = "Europe/London"\nreminder_hour = 8\nprepare_days_before = 3\n')
    workspace.note("acme.md", INTERVIEW.replace("2026-11-20 14:00", "2026-12-03 14:00"))
    build(workspace)
    assert workspace.event("prepare").start == at("2026-11-30 08:00")
    assert workspace.event("follow-up").start == at("2026-12-10 08:00")


def test_note_time_zone_overrides_the_configured_one(workspace: Workspace) -> None:
    workspace.note("acme.md", INTERVIEW.replace("---\nNotes", "timezone: America/New_York\n---\nNotes"))
    build(workspace)
    new_york = ZoneInfo("America/New_York")
    assert workspace.event("interview").start == at("2026-11-20 14:00", new_york)
    # the user acts in the workspace's zone (London here): 09:00 their time, on the date
    # counted from the interview's own local date
    assert workspace.event("follow-up").start == at("2026-11-27 09:00")


def test_every_reminder_explains_its_rule(workspace: Workspace) -> None:
    workspace.note("acme.md", INTERVIEW)
    build(workspace)
    for event in workspace.events():
        assert "Why: " in str(event["description"]), event["summary"]
