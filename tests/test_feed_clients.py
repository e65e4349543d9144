"""The feed in real calendar clients: subscribe, update, remove, never duplicate.

The notes are in Europe/London; khal shows them in America/Los_Angeles, eight hours
behind London in winter. ical.js checks every time in UTC across both daylight-saving
changes. Expected times are worked out by hand from the rules in the guide.
"""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest

from clients.harness import (
    CalendarClients,
    ServedFeed,
    clients_available,
    icaljs_available,
    icaljs_events,
    require,
)
from conftest import Workspace

ACME = """
---
company: Acme
role: Backend Engineer
date: 2026-12-03 14:00
interviewers:
  - Jane Doe <jane@acme.example>
---
"""
GLOBEX = """
---
company: Globex
role: Data Analyst
date: 2026-11-19 13:30
duration: 90
interviewers:
  - Sam Lee <sam@globex.example>
---
Went well.
"""


def uid(note: str, kind: str) -> str:
    return f"{note}.{kind}@interview-followup"


A, G = "2026-12-03-acme", "2026-11-19-globex"

# feed UID -> khal start in Los Angeles (PST, UTC-8; London is on GMT from 25 October)
BEFORE = {
    uid(A, "prepare"): "2026-12-01T01:00",  # 09:00 two days before
    uid(A, "interview"): "2026-12-03T06:00",  # 14:00
    uid(A, "thank-you"): "2026-12-03T08:00",  # an hour after the end, 16:00
    uid(A, "review-notes"): "2026-12-03T08:00",
    uid(A, "follow-up-1"): "2026-12-10T01:00",  # 09:00 seven days later, a Thursday
    uid(G, "interview"): "2026-11-19T05:30",  # 13:30
    uid(G, "thank-you"): "2026-11-19T08:00",  # ends 15:00, + 1 h = 16:00
    uid(G, "review-notes"): "2026-11-19T08:00",
    uid(G, "follow-up-1"): "2026-11-26T01:00",  # Thursday 26 November, 09:00
}
# Acme moves to Friday 4 December 10:00; Globex's thank-you is recorded as sent.
AFTER = {
    uid(A, "prepare"): "2026-12-02T01:00",
    uid(A, "interview"): "2026-12-04T02:00",
    uid(A, "thank-you"): "2026-12-04T04:00",
    uid(A, "review-notes"): "2026-12-04T04:00",
    uid(A, "follow-up-1"): "2026-12-11T01:00",
    uid(G, "interview"): "2026-11-19T05:30",
    uid(G, "review-notes"): "2026-11-19T08:00",
    uid(G, "follow-up-1"): "2026-11-26T01:00",
}


def build(space: Workspace) -> None:
    result = space.run("build", "--no-site")
    assert result.exit_code == 0, result.output


def khal_starts(clients: CalendarClients) -> dict[str, str]:
    events = clients.khal_events("2026-11-01", "2027-01-31")
    uids = [e["feed_uid"] for e in events]
    assert len(uids) == len(set(uids)), f"duplicated events: {sorted(uids)}"
    assert len({e["uid"] for e in events}) == len(events)
    return {e["feed_uid"]: e["start"] for e in events}


def test_subscribe_then_edit_notes_in_vdirsyncer_and_khal(
    workspace: Workspace, tmp_path: Path
) -> None:
    require(clients_available(), "khal + vdirsyncer")
    require(icaljs_available(), "ical.js (node + `npm ci --prefix tests/clients`)")
    workspace.note(f"{A}.md", ACME)
    globex = workspace.note(f"{G}.md", GLOBEX)
    build(workspace)
    with ServedFeed(workspace.root / "docs") as server:
        clients = CalendarClients(
            tmp_path / "clients", server.url_for("followup.ics"), timezone="America/Los_Angeles"
        )
        clients.sync()
        assert khal_starts(clients) == BEFORE
        assert len(clients.vdir_files()) == len(BEFORE)
        assert {e["uid"] for e in icaljs_events(workspace.feed)} == set(BEFORE)

        # a thank-you recorded by hand in the note's text, and the interview moved
        text = globex.read_text(encoding="utf-8")
        sent = "duration: 90\nthank_you_sent: 2026-11-19\n"
        globex.write_text(text.replace("duration: 90\n", sent), encoding="utf-8")
        acme = workspace.root / "interviews" / f"{A}.md"
        acme.write_text(acme.read_text().replace("2026-12-03 14:00", "2026-12-04 10:00"))
        build(workspace)
        clients.sync()
        assert khal_starts(clients) == AFTER
        assert clients.khal_events("2026-12-03", "2026-12-03") == []  # the old slot is empty
        assert len(clients.vdir_files()) == len(AFTER)
        assert {e["uid"] for e in icaljs_events(workspace.feed)} == set(AFTER)
        moved = [p for p in clients.vdir_files() if "Interview: Acme" in p.read_text()]
        assert len(moved) == 1 and "SEQUENCE:1" in moved[0].read_text()
        assert "GET /followup.ics" in server.log()


DST_NOTES = {
    # the Monday after the clocks went back (Sunday 25 October 2026)
    "2026-10-26-initech.md": "company: Initech\nrole: Analyst\ndate: 2026-10-26 10:00\n",
    # the Monday after the clocks go forward (Sunday 28 March 2027)
    "2027-03-29-umbrella.md": "company: Umbrella\nrole: Engineer\ndate: 2027-03-29 10:00\n",
    # an all-day interview with no time known: stays on its date
    "2027-03-28-hooli.md": "company: Hooli\nrole: SRE\ndate: 2027-03-28\n",
}
# UID -> (start, end) in UTC, worked out by hand; today is Tuesday 20 October 2026
DST_UTC = {
    # prepare falls on Saturday, so it moves back to the Friday before
    "2026-10-26-initech.prepare": ("2026-10-23T08:00:00Z", "2026-10-23T08:30:00Z"),  # BST
    "2026-10-26-initech.interview": ("2026-10-26T10:00:00Z", "2026-10-26T11:00:00Z"),  # GMT
    "2026-10-26-initech.thank-you": ("2026-10-26T12:00:00Z", "2026-10-26T12:30:00Z"),
    "2026-10-26-initech.review-notes": ("2026-10-26T12:00:00Z", "2026-10-26T12:30:00Z"),
    "2026-10-26-initech.follow-up-1": ("2026-11-02T09:00:00Z", "2026-11-02T09:30:00Z"),
    "2027-03-29-umbrella.prepare": ("2027-03-26T09:00:00Z", "2027-03-26T09:30:00Z"),  # GMT, Friday
    "2027-03-29-umbrella.interview": ("2027-03-29T09:00:00Z", "2027-03-29T10:00:00Z"),  # BST
    "2027-03-29-umbrella.thank-you": ("2027-03-29T11:00:00Z", "2027-03-29T11:30:00Z"),
    "2027-03-29-umbrella.review-notes": ("2027-03-29T11:00:00Z", "2027-03-29T11:30:00Z"),
    "2027-03-29-umbrella.follow-up-1": ("2027-04-05T08:00:00Z", "2027-04-05T08:30:00Z"),
    "2027-03-28-hooli.prepare": ("2027-03-26T09:00:00Z", "2027-03-26T09:30:00Z"),  # GMT
    "2027-03-28-hooli.thank-you": ("2027-03-28T17:00:00Z", "2027-03-28T17:30:00Z"),  # 18:00 BST
    "2027-03-28-hooli.review-notes": ("2027-03-28T17:00:00Z", "2027-03-28T17:30:00Z"),
    "2027-03-28-hooli.follow-up-1": ("2027-04-05T08:00:00Z", "2027-04-05T08:30:00Z"),
}


@pytest.fixture
def dst_feed(workspace: Workspace) -> Path:
    for name, front in DST_NOTES.items():
        workspace.note(name, f"---\n{front}---\n")
    result = workspace.run("build", "--no-site", today="2026-10-20")
    assert result.exit_code == 0, result.output
    return workspace.feed


def test_icaljs_times_across_daylight_saving_changes(dst_feed: Path) -> None:
    require(icaljs_available(), "ical.js (node + `npm ci --prefix tests/clients`)")
    events = icaljs_events(dst_feed)
    timed = {
        e["uid"].removesuffix("@interview-followup"): (e["start_utc"], e["end_utc"])
        for e in events
        if not e["all_day"]
    }
    assert timed == DST_UTC
    (all_day,) = [e for e in events if e["all_day"]]
    assert all_day["uid"] == "2027-03-28-hooli.interview@interview-followup"
    assert (all_day["start_date"], all_day["end_date"]) == ("2027-03-28", "2027-03-29")
    assert all(e["start_tzid"] == "Europe/London" for e in events if not e["all_day"])


def test_main_feed_has_events_only_and_the_task_feed_has_tasks(workspace: Workspace) -> None:
    workspace.note(f"{A}.md", ACME)
    workspace.note(f"{G}.md", GLOBEX)
    build(workspace)
    assert not (workspace.root / "docs" / "followup-tasks.ics").exists()
    workspace.config('timezone = "Europe/London"\ntasks_feed = true\n')
    build(workspace)
    main = icalendar.Calendar.from_ical(workspace.feed.read_bytes())
    assert main.walk("VTODO") == [] and len(main.walk("VEVENT")) == len(BEFORE)
    tasks = icalendar.Calendar.from_ical(
        (workspace.root / "docs" / "followup-tasks.ics").read_bytes()
    )
    assert tasks.walk("VEVENT") == []
    todos = {str(t["UID"]): t for t in tasks.walk("VTODO")}
    actions = {u for u in BEFORE if ".interview@" not in u}
    assert set(todos) == {u.replace("@", ".task@") for u in actions}
    thanks = todos[uid(A, "thank-you").replace("@", ".task@")]
    assert str(thanks["STATUS"]) == "NEEDS-ACTION"
    assert thanks["DUE"].dt.isoformat() == "2026-12-03T16:00:00+00:00"
    assert str(thanks["DUE"].params["TZID"]) == "Europe/London"
    assert str(thanks["SUMMARY"]) == "Thank-you: Acme"
    assert "Jane Doe" in str(thanks["DESCRIPTION"])
    assert thanks.categories == ["thank-you"]


def test_task_feed_in_icaljs(workspace: Workspace) -> None:
    """ical.js (Thunderbird's parser) reads the task feed without error."""
    require(icaljs_available(), "ical.js (node + `npm ci --prefix tests/clients`)")
    workspace.config('timezone = "Europe/London"\ntasks_feed = true\n')
    workspace.note(f"{A}.md", ACME)
    build(workspace)
    assert icaljs_events(workspace.root / "docs" / "followup-tasks.ics") == []  # VTODOs only
