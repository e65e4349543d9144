"""Offers handled to the end, applications before the first interview, the far side of the world.

Every expected date is worked out by hand from a calendar (GB holidays: Friday 25 December,
Boxing Day observed on Monday 28 December 2026).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from conftest import Workspace
from followup.config import Config
from followup.note.parse import parse_note
from followup.plan.rules import Kind, plan

LONDON = ZoneInfo("Europe/London")


def build(workspace: Workspace, today: str = "2026-11-26") -> None:
    result = workspace.run("build", "--no-site", today=today)
    assert result.exit_code == 0, result.output


def note(company: str, day: str = "2026-11-20 10:00", extra: str = "", person: str = "") -> str:
    person = person or f"Ann Lee <ann@{company.lower()}.example>"
    return f"---\ncompany: {company}\nrole: Engineer\ndate: {day}\ninterviewers: {person}\n{extra}---\nNotes.\n"


def starts(workspace: Workspace) -> dict[str, datetime]:
    """Each event's start in London, by its kind (tests here have one event of each)."""
    return {str(e.categories[0]): e.start.astimezone(LONDON) for e in workspace.events()}


# -- 1: negotiate before the decision ------------------------------------------------------------


def test_christmas_offer_negotiates_before_it_decides(workspace: Workspace) -> None:
    workspace.config('timezone = "Europe/London"\nholidays = "GB"\n')
    workspace.note("nimbus.md", note("Nimbus", "2026-12-10 10:00", (
        "thank_you_sent: 2026-12-10\nnotes_reviewed: 2026-12-10\noutcome: offer\n"
        "offer_received: 2026-12-24\noffer_deadline: 2026-12-28\n")))
    build(workspace, today="2026-12-24")
    seen = starts(workspace)
    # The business day after the 24th is Tuesday 29th, past the deadline; the business day
    # before the deadline (Monday 28th, a holiday) is Thursday 24th: negotiate then, decide after.
    assert seen["negotiate"] == datetime(2026, 12, 24, 9, 0, tzinfo=LONDON)
    assert seen["decide"] == datetime(2026, 12, 24, 10, 0, tzinfo=LONDON)
    status = workspace.run("status", today="2026-12-24").output
    assert status.index("Negotiate: Nimbus") < status.index("Decide: Nimbus")


def test_negotiate_is_the_business_day_after_the_offer_when_there_is_time(workspace: Workspace) -> None:
    offer = "outcome: offer\noffer_received: 2026-11-27\noffer_deadline: 2026-12-09\n"
    workspace.note("a.md", note("Acme", extra=offer))
    build(workspace, today="2026-11-27")
    seen = starts(workspace)
    assert seen["negotiate"] == datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)  # Friday's offer, Monday
    assert seen["decide"] == datetime(2026, 12, 9, 9, 0, tzinfo=LONDON)


@pytest.mark.parametrize("seed", range(3))
def test_negotiate_always_comes_before_decide_and_within_the_offer(seed: int) -> None:
    rng = random.Random(seed)
    config = Config(timezone="Europe/London", holidays="GB")
    days = config.business_days
    for _ in range(300):
        received = date(2026, 12, 1) + timedelta(days=rng.randrange(60))
        deadline = received + timedelta(days=rng.randrange(0, 15))
        text = (f"---\ncompany: A\nrole: B\ndate: 2026-11-20 10:00\noutcome: offer\n"
                f"offer_received: {received}\noffer_deadline: {deadline}\n---\n")
        interview, problems = parse_note(text.encode(), "a.md", "a", "Europe/London")
        assert interview is not None, problems
        found = {r.kind: r for r in plan((interview,), config, received).reminders}
        negotiate, decide = found[Kind.NEGOTIATE], found[Kind.DECIDE]
        assert negotiate.start < decide.start, (received, deadline)
        assert received <= negotiate.due <= max(received, deadline), (received, deadline)
        last = days.on_or_before(deadline - timedelta(days=1))
        if last >= received:  # a business day before the deadline, from the offer on
            assert negotiate.due <= last, (received, deadline)


# -- 2: an offer without dates -------------------------------------------------------------------


def test_outcome_offer_records_the_day_it_arrived_and_check_warns_on_missing_dates(workspace: Workspace) -> None:
    path = workspace.note("nimbus.md", note("Nimbus"))
    result = workspace.run("outcome", "nimbus", "offer")
    assert result.exit_code == 0, result.output
    assert "offer_received: 2026-11-26" in path.read_text()  # the fixture's today
    build(workspace)
    assert "negotiate" in workspace.kinds()
    # written by hand: an offer with no date, and an offer's dates with the outcome still pending
    workspace.note("nimbus.md", note("Nimbus", extra="outcome: offer\n"))
    workspace.note("orbital.md", note("Orbital", extra="offer_deadline: 2026-12-04\n"))
    check = workspace.run("check").output
    assert "interviews/nimbus.md:6: warning: the outcome is 'offer' but the note has no 'offer_received'" in check
    assert "interviews/orbital.md:6: warning: 'offer_deadline' is set but the outcome is still 'pending'" in check


def test_received_in_the_future_is_refused(workspace: Workspace) -> None:
    path = workspace.note("nimbus.md", note("Nimbus"))
    before = path.read_bytes()
    result = workspace.run("outcome", "nimbus", "offer", "--received", "2026-11-27")
    assert result.exit_code == 2 and "after today" in result.output
    assert path.read_bytes() == before


# -- 3: accepting an offer -------------------------------------------------------------------------


def test_accepting_an_offer_turns_every_other_open_application_into_one_withdraw(workspace: Workspace) -> None:
    workspace.note("nimbus.md", note("Nimbus", extra=(
        "thank_you_sent: 2026-11-20\nnotes_reviewed: 2026-11-20\noutcome: offer\n"
        "offer_received: 2026-11-24\noffer_deadline: 2026-12-04\n")))
    workspace.note("orbital.md", note("Orbital", "2026-11-23 10:00",
                                      "recruiter: Rita Roe <rita@hays.example>\nagency: Hays\n"))
    workspace.note("kestrel.md", note("Kestrel", "2026-12-02 15:00"))
    workspace.note("gone.md", note("Gone", "2026-11-02 10:00", "outcome: rejected\n"))
    build(workspace)
    assert {"prepare", "follow-up"} <= set(workspace.kinds())
    result = workspace.run("outcome", "nimbus", "accepted")
    assert result.exit_code == 0, result.output
    assert "decided: 2026-11-26" in (workspace.root / "interviews" / "nimbus.md").read_text()
    build(workspace)
    withdraws = [e for e in workspace.events() if e.categories == ["withdraw"]]
    assert sorted(str(e["summary"]) for e in withdraws) == ["Withdraw: Kestrel", "Withdraw: Orbital"]
    assert all(e.start.astimezone(LONDON) == datetime(2026, 11, 27, 9, 0, tzinfo=LONDON) for e in withdraws)
    orbital = next(e for e in withdraws if "Orbital" in str(e["summary"]))
    text = str(orbital["description"])
    assert "your recruiter, Rita Roe at Hays" in text and "mailto:rita@hays.example" in text
    assert "ann@orbital" not in text  # never around the recruiter
    kinds = workspace.kinds()
    assert "prepare" not in kinds and "follow-up" not in kinds and "negotiate" not in kinds
    assert kinds.count("interview") == 4  # what happened, and the interview still booked, stay
    index = workspace.index.read_text()
    assert "followup outcome orbital withdrawn" in index and "followup outcome kestrel withdrawn" in index
    # Withdrawn from: the reminder closes.
    assert workspace.run("outcome", "orbital", "withdrawn").exit_code == 0
    build(workspace)
    assert [str(e["summary"]) for e in workspace.events() if e.categories == ["withdraw"]] == ["Withdraw: Kestrel"]


# -- 4: an offer left past its deadline ------------------------------------------------------------


def test_an_offer_past_its_deadline_leaves_the_feed_and_asks_what_happened(workspace: Workspace) -> None:
    workspace.note("nimbus.md", note("Nimbus", extra=(
        "thank_you_sent: 2026-11-20\nnotes_reviewed: 2026-11-20\noutcome: offer\n"
        "offer_received: 2026-11-23\noffer_deadline: 2026-11-27\n")))
    build(workspace, today="2026-11-27")
    assert {"negotiate", "decide"} <= set(workspace.kinds())
    build(workspace, today="2026-12-04")
    assert "negotiate" not in workspace.kinds() and "decide" not in workspace.kinds()
    index = workspace.index.read_text()
    assert "the offer's deadline (Fri 27 Nov 2026) has passed: record what happened" in index
    status = workspace.run("status", today="2026-12-04").output
    assert "offer deadline 27 Nov passed: record what happened" in status
    assert "overdue" not in status


# -- 5: the far side of the world ----------------------------------------------------------------

ZONES = [
    "Pacific/Honolulu", "America/Los_Angeles", "America/New_York", "America/Sao_Paulo", "UTC",
    "Europe/London", "Europe/Berlin", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tokyo",
    "Australia/Sydney", "Pacific/Auckland", "Pacific/Kiritimati",
]


def test_kookaburra_is_past_in_london_before_its_day_begins_in_sydney(workspace: Workspace) -> None:
    # Friday 20 Nov 08:00 in Sydney is Thursday 19 Nov 21:00 in London.
    workspace.note("kb.md", note("Kookaburra", "2026-11-20 08:00", "timezone: Australia/Sydney\n"))
    status = workspace.run("status", today="2026-11-20").output
    assert "Prepare" not in status and "Interview:" not in status.split("Applications")[0]
    assert "today   Fri 20 Nov 09:00  Thank-you: Kookaburra" in status
    status = workspace.run("status", today="2026-11-19").output
    assert "today   Thu 19 Nov 21:00 (Fri 08:00 Sydney)  Interview: Kookaburra" in status
    assert "overdue Tue 17 Nov 09:00  Prepare: Kookaburra" in status  # two business days before the 19th


@pytest.mark.parametrize("user_zone", ["Pacific/Honolulu", "Europe/London", "Pacific/Kiritimati"])
def test_every_day_is_the_users_day_from_the_events_instant(user_zone: str) -> None:
    config = Config(timezone=user_zone)
    mine = ZoneInfo(user_zone)
    for zone in ZONES:
        for hour in (0, 8, 13, 23):
            text = f"---\ncompany: A\nrole: B\ndate: 2026-11-20 {hour:02d}:30\ntimezone: {zone}\n---\n"
            interview, problems = parse_note(text.encode(), "a.md", "a", user_zone)
            assert interview is not None and interview.start is not None, problems
            local_day = interview.start.astimezone(mine).date()
            for today in (local_day - timedelta(days=1), local_day, local_day + timedelta(days=1)):
                found = {r.kind: r for r in plan((interview,), config, today).reminders}
                event = found[Kind.INTERVIEW]
                assert event.due == local_day, (zone, hour, today)
                assert (Kind.PREPARE in found) is (local_day >= today), (zone, hour, today)
                if Kind.PREPARE in found:
                    prepare = found[Kind.PREPARE]
                    assert prepare.start.astimezone(mine).date() == prepare.due
                    assert config.business_days.on_or_after(prepare.due) == prepare.due
                    assert prepare.due < local_day
                thanks = found[Kind.THANK_YOU]
                assert thanks.due == thanks.start.astimezone(mine).date() >= local_day


# -- 6: the company's own recruiter --------------------------------------------------------------


def test_an_in_house_recruiter_gets_in_house_words(workspace: Workspace) -> None:
    workspace.note("orbital.md", note("Orbital", extra="recruiter: Rita Roe <rita@orbital.example>\n"))
    build(workspace)
    text = str(workspace.event("follow-up")["description"])
    assert "Rita Roe, the recruiter at Orbital who handles your application" in text
    assert "represent" not in text and "go around" not in text and "agency" not in text.lower()
    assert "mailto:rita@orbital.example" in text and "ann@" not in text
    assert "heard%20anything%20from%20Orbital" not in text  # they are Orbital
    workspace.note("orbital.md", note("Orbital", extra="recruiter: Rita Roe <rita@hays.example>\nagency: Hays\n"))
    build(workspace)
    text = str(workspace.event("follow-up")["description"])
    assert "your recruiter, Rita Roe at Hays, and only to them" in text and "go around" in text


# -- 7: a late thank-you does not outrank what came after ----------------------------------------


@pytest.mark.parametrize(
    "later",
    ["follow_ups: [2026-11-26]\n", "reply_received: 2026-11-25\n", None],
)
def test_a_thank_you_left_undone_is_missed_once_a_later_step_is_done(workspace: Workspace, later: str | None) -> None:
    workspace.note("orbital.md", note("Orbital", "2026-11-16 10:00", later or "round: screen\n"))
    if later is None:  # the next round took place
        workspace.note("orbital-2.md", note("Orbital", "2026-11-24 10:00", "round: onsite\n"
                                            "thank_you_sent: 2026-11-24\nnotes_reviewed: 2026-11-24\n"))
    build(workspace)
    assert not [e for e in workspace.events() if "Orbital" in str(e["summary"])
                and e.categories in (["thank-you"], ["review-notes"]) and "onsite" not in str(e["summary"])]
    index = workspace.index.read_text()
    assert "- missed · Mon 16 Nov 12:00 · Thank-you ·" in index
    status = workspace.run("status").output
    assert "Thank-you: Orbital" not in status.split("Missed")[0]
    next_step = next(line for line in index.splitlines() if line.startswith("| [Orbital"))
    assert "Thank-you" not in next_step


# -- 12: applications before any interview --------------------------------------------------------


def test_an_application_has_no_reminder_until_its_interview_is_added(workspace: Workspace) -> None:
    result = workspace.run("new", "Wayne Enterprises", "Data Engineer", "--applied", "2026-11-23", "--no-edit")
    assert result.exit_code == 0, result.output
    path = workspace.root / "interviews" / "2026-11-23-wayne-enterprises-data-engineer.md"
    text = path.read_text()
    assert "applied: 2026-11-23" in text and "\ndate:" not in text and "# date:" in text
    assert "interviewers" not in text and "thank_you_sent" not in text  # nothing to note before an interview
    assert workspace.run("check").exit_code == 0
    build(workspace)
    assert not workspace.feed.exists() or workspace.events() == []
    index = workspace.index.read_text()
    assert "| Applied | 1 |" in index and "| **All** | **1** |" in index
    assert "applied · Mon 23 Nov 2026 | applied | when they invite you, add the interview" in index
    status = workspace.run("status").output
    assert "1 applied" in status and "applied; waiting to hear" in status
    # The invitation came: the first round, with what the application said.
    path.write_text(text.replace('# posting: "https://jobs.acme.example/123"',
                                 'posting: "https://careers.wayne.example/4521"'))
    result = workspace.run(
        "new", "--after", "wayne", "--round", "phone screen", "--date", "2026-12-01 10:00", "--no-edit"
    )
    assert result.exit_code == 0, result.output
    first = workspace.root / "interviews" / "2026-12-01-wayne-enterprises-data-engineer-phone-screen.md"
    assert 'posting: "https://careers.wayne.example/4521"' in first.read_text()
    assert "applied:" not in first.read_text()
    build(workspace)
    assert {"interview", "prepare", "thank-you"} <= set(workspace.kinds())
    index = workspace.index.read_text()
    assert "| Applied | 0 |" in index and "| Interview ahead | 1 |" in index and "| **All** | **1** |" in index


def test_new_applied_refuses_a_future_day_and_a_time(workspace: Workspace) -> None:
    assert workspace.run("new", "A", "B", "--applied", "2026-11-27", "--no-edit").exit_code == 2
    both = workspace.run("new", "A", "B", "--applied", "2026-11-20", "--date", "2026-12-01", "--no-edit")
    assert both.exit_code == 2 and "leave out --date" in both.output
    assert list((workspace.root / "interviews").iterdir()) == []


def test_a_note_needs_a_date_or_applied(workspace: Workspace) -> None:
    workspace.note("a.md", "---\ncompany: A\nrole: B\n---\n")
    result = workspace.run("check")
    assert result.exit_code == 1 and "interviews/a.md:" in result.output and "date" in result.output


def test_posting_salary_and_source_are_kept_by_later_rounds(workspace: Workspace) -> None:
    workspace.with_site()
    workspace.note("w0.md", "---\ncompany: Wayne\nrole: Dev\napplied: 2026-11-10\n"
                   "posting: https://careers.wayne.example/1\nsalary: £60k\nsource: Lucius Fox\n---\n")
    workspace.note("w1.md", note("Wayne", "2026-11-20 10:00").replace("Engineer", "Dev"))
    result = workspace.run("build", today="2026-11-26")
    assert result.exit_code == 0, result.output
    page = (workspace.root / "site" / "interviews" / "w1.html").read_text()
    assert 'href="https&#58;//careers.wayne.example/1"' in page or 'href="https://careers.wayne.example/1"' in page
    assert "£60k" in page and "Lucius Fox" in page
    application = (workspace.root / "site" / "interviews" / "w0.html").read_text()
    assert "Applied" in application and "no interview yet" in application


def test_a_posting_that_is_not_a_web_address_is_not_a_link(workspace: Workspace) -> None:
    workspace.with_site()
    workspace.note("w0.md", "---\ncompany: Wayne\nrole: Dev\napplied: 2026-11-10\n"
                   "posting: 'javascript:alert(1)'\nlocation: 'Zoom https://zoom.example/j/1 or room 4'\n---\n")
    assert workspace.run("build", today="2026-11-26").exit_code == 0
    page = (workspace.root / "site" / "interviews" / "w0.html").read_text()
    assert 'href="javascript' not in page and "javascript&#58;alert" in page


def test_the_whole_feed_reads_back_with_a_withdraw_event(workspace: Workspace) -> None:
    workspace.note("a.md", note("Acme", extra="outcome: accepted\ndecided: 2026-11-25\n"))
    workspace.note("b.md", note("Beta", "2026-11-24 10:00"))
    build(workspace)
    calendar = icalendar.Calendar.from_ical(workspace.feed.read_bytes())
    withdraw = [e for e in calendar.walk("VEVENT") if str(e["CATEGORIES"].cats[0]) == "withdraw"]
    assert len(withdraw) == 1 and str(withdraw[0]["SUMMARY"]) == "Withdraw: Beta"


def test_a_card_names_a_reminder_as_next_only_when_nothing_stands_in_its_place(workspace: Workspace) -> None:
    """After the last follow-up the board says it waits, even when the note (its offer dates
    set, its outcome still pending) also gives a reminder; a plain next reminder says Next."""
    from followup.build import generate
    from followup.clock import Clock
    from followup.workspace import Workspace as OnDisk

    workspace.note("acme.md", note("Acme", "2026-11-02 10:00", (
        "thank_you_sent: 2026-11-02\nnotes_reviewed: 2026-11-02\nfollow_ups: [2026-11-16, 2026-11-23]\n"
        "offer_received: 2026-11-25\n")))
    workspace.note("globex.md", note("Globex", "2026-12-02 10:00"))
    generate(OnDisk.open(workspace.root), Clock.fixed(date(2026, 11, 26)), pages_too=True, keep_going=True)
    board = (workspace.root / "docs" / "board.md").read_text(encoding="utf-8")
    acme = board[board.index("**[Acme]"):]
    acme = acme[: acme.index("</div>")]
    assert "Waiting for an answer to the last follow-up until" in acme and "Next:" not in acme
    globex = board[board.index("**[Globex]"):]
    assert "Next: Prepare" in globex[: globex.index("</div>")]
