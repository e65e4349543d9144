"""Subscription options: minimal details, a secret feed address, rotating and showing it."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import icalendar

from conftest import Workspace
from followup.build import generate
from followup.clock import Clock
from followup.workspace import Workspace as FollowupWorkspace

NOTE = """
---
company: Acme
role: Backend Engineer
date: 2026-12-03 14:00
location: 1 Secret Street
interviewers:
  - Jane Doe <jane@acme.example>
---
Private notes.
"""


def secret_of(space: Workspace) -> str:
    return str(json.loads((space.root / "followup-state.json").read_text())["feed_secret"])


def docs_feeds(space: Workspace) -> list[str]:
    return sorted(p.name for p in (space.root / "docs").glob("*.ics"))


def test_minimal_details_tell_only_the_kind_and_the_company(workspace: Workspace) -> None:
    workspace.config('timezone = "Europe/London"\nminimal_details = true\nsite_url = "https://x.example"\n')
    workspace.note("2026-12-03-acme.md", NOTE)
    assert workspace.run("build", "--no-site").exit_code == 0
    data = workspace.feed.read_bytes()
    cal = icalendar.Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    assert {str(e["SUMMARY"]) for e in events} == {
        "Prepare: Acme", "Interview: Acme", "Thank-you: Acme", "Review notes: Acme",
        "Follow-up #1: Acme",
    }
    for event in events:
        assert re.fullmatch(r"[0-9a-f]{32}@interview-followup", str(event["UID"]))
        assert not {"DESCRIPTION", "LOCATION", "URL"} & set(event)
    for secret in (b"Backend", b"Jane", b"jane@", b"Secret Street", b"2026-12-03-acme", b"Private"):
        assert secret not in data
    # the hashed UIDs are stable from build to build
    assert workspace.run("build", "--no-site", today="2026-11-27").exit_code == 0
    assert {str(e["UID"]) for e in icalendar.Calendar.from_ical(workspace.feed.read_bytes())
            .walk("VEVENT")} == {str(e["UID"]) for e in events}


def test_rotate_publishes_under_a_secret_name_only(workspace: Workspace) -> None:
    workspace.note("2026-12-03-acme.md", NOTE)
    assert workspace.run("build", "--no-site").exit_code == 0
    assert docs_feeds(workspace) == ["followup.ics"]

    rotated = workspace.run("feed", "rotate")
    assert rotated.exit_code == 0
    secret = secret_of(workspace)
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", secret)  # 22 base64url characters = 128 bits
    assert secret not in rotated.output

    built = workspace.run("build", "--no-site")
    assert built.exit_code == 0, built.output
    assert secret not in built.output
    assert docs_feeds(workspace) == [f"followup-{secret}.ics"]  # followup.ics is gone

    assert workspace.run("feed", "rotate").exit_code == 0
    second = secret_of(workspace)
    assert second != secret
    assert workspace.run("build", "--no-site").exit_code == 0
    assert docs_feeds(workspace) == [f"followup-{second}.ics"]  # the old address stops working


def test_secret_task_feed_and_stable_names_removed(workspace: Workspace) -> None:
    workspace.config('timezone = "Europe/London"\ntasks_feed = true\n')
    workspace.note("2026-12-03-acme.md", NOTE)
    assert workspace.run("build", "--no-site").exit_code == 0
    assert docs_feeds(workspace) == ["followup-tasks.ics", "followup.ics"]
    assert workspace.run("feed", "rotate").exit_code == 0
    assert workspace.run("build", "--no-site").exit_code == 0
    secret = secret_of(workspace)
    assert docs_feeds(workspace) == [f"followup-{secret}-tasks.ics", f"followup-{secret}.ics"]


def test_feed_url_prints_webcal_and_https(workspace: Workspace) -> None:
    workspace.config('timezone = "Europe/London"\nsite_url = "https://me.example/search"\n')
    shown = workspace.run("feed", "url")
    assert shown.exit_code == 0
    assert shown.output.splitlines() == [
        "webcal://me.example/search/followup.ics",
        "https://me.example/search/followup.ics",
    ]
    assert workspace.run("feed", "rotate").exit_code == 0
    secret = secret_of(workspace)
    shown = workspace.run("feed", "url", "--site-url", "https://other.example/")
    assert shown.output.splitlines() == [
        f"webcal://other.example/followup-{secret}.ics",
        f"https://other.example/followup-{secret}.ics",
    ]


def test_feed_url_needs_a_site_url(workspace: Workspace) -> None:
    missing = workspace.run("feed", "url")
    assert missing.exit_code == 2
    assert "--site-url" in missing.output
    wrong = workspace.run("feed", "url", "--site-url", "me.example")
    assert wrong.exit_code == 1
    assert "Error: site URL must start with https://" in wrong.output


def subscribe_page(space: Workspace) -> str:
    generate(FollowupWorkspace.open(space.root), Clock.fixed(date(2026, 11, 26)), pages_too=True)
    return (space.root / "docs" / "subscribe.md").read_text(encoding="utf-8")


def test_subscribe_page_hides_the_secret_unless_asked(workspace: Workspace) -> None:
    workspace.config('timezone = "Europe/London"\nsite_url = "https://me.example"\n')
    workspace.note("2026-12-03-acme.md", NOTE)
    assert "https://me.example/followup.ics" in subscribe_page(workspace)
    assert workspace.run("feed", "rotate").exit_code == 0
    secret = secret_of(workspace)
    page = subscribe_page(workspace)
    assert secret not in page and "followup.ics" not in page
    assert "followup feed url" in page
    workspace.config(
        'timezone = "Europe/London"\nsite_url = "https://me.example"\nshow_feed_address = true\n'
    )
    assert f"https://me.example/followup-{secret}.ics" in subscribe_page(workspace)


def test_site_never_shows_the_secret(workspace: Workspace) -> None:
    space = workspace.with_site()
    space.note("2026-12-03-acme.md", NOTE)
    assert space.run("feed", "rotate").exit_code == 0
    secret = secret_of(space)
    built = space.run("build")
    assert built.exit_code == 0, built.output
    assert secret not in built.output
    site = space.root / "site"
    holding = [
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and secret.encode() in p.read_bytes()
    ]
    assert holding == []
    assert [p.name for p in site.glob("*.ics")] == [f"followup-{secret}.ics"]


def test_broken_secret_is_an_error(workspace: Workspace) -> None:
    state = workspace.root / "followup-state.json"
    state.write_text('{"events": {}, "feed_secret": "../../etc/passwd"}\n', encoding="utf-8")
    workspace.note("2026-12-03-acme.md", NOTE)
    result = workspace.run("build", "--no-site")
    assert result.exit_code == 1
    assert "followup-state.json:1:" in result.output
    assert not list(Path(workspace.root / "docs").glob("*.ics"))
