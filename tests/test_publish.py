"""`followup publish`: only the feed under its secret name goes public, by folder or by git."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import icalendar
import pytest

from clients.harness import CalendarClients, ServedFeed, clients_available, require
from conftest import Workspace

NOTE = """\
---
company: Northwind Traders
role: Backend Engineer
date: 2026-11-19 13:30
location: 77 Larkspur Lane, Leeds
interviewers:
  - Priya Natarajan <priya@northwind.example>
recruiter: Sam Okafor <sam@agency.example>
agency: Blue Door Recruiting
---
Priya mentioned the Kafka migration.
"""
PRIVATE = ("Northwind", "Priya", "northwind.example", "Larkspur", "Okafor", "Blue Door", "Kafka")

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True).stdout.strip()


def _secret(workspace: Workspace) -> str:
    state = json.loads((workspace.root / "followup-state.json").read_text(encoding="utf-8"))
    return str(state["feed_secret"])


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _branch_files(repo: Path, branch: str) -> dict[str, bytes]:
    names = _git("-C", str(repo), "ls-tree", "-r", "--name-only", branch).splitlines()
    return {
        n: subprocess.run(["git", "-C", str(repo), "show", f"{branch}:{n}"], check=True,
                          capture_output=True).stdout
        for n in names
    }


@pytest.fixture
def noted(workspace: Workspace) -> Workspace:
    workspace.note("2026-11-19-northwind.md", NOTE)
    return workspace


def test_the_bundle_holds_only_the_secret_feed_and_files_that_name_nobody(noted: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "public"
    result = noted.run("publish", "--dir", str(out), "--today", "2026-11-26")
    assert result.exit_code == 0, result.output
    secret = _secret(noted)
    assert len(secret) == 22  # 132 random bits, made by this first publish
    files = _tree(out)
    feed_name = f"followup-{secret}.ics"
    assert set(files) == {feed_name, "robots.txt", "index.html", ".nojekyll"}
    assert b"Disallow: /" in files["robots.txt"] and b"User-agent: *" in files["robots.txt"]
    for name, data in files.items():
        if name != feed_name:
            assert not any(word.encode() in data for word in PRIVATE), name
            assert secret.encode() not in data, f"{name} links to the feed"
    feed = icalendar.Calendar.from_ical(files[feed_name])
    assert any("Northwind" in str(e["summary"]) for e in feed.events)
    assert secret not in result.output  # no publish_url: no address printed
    # the build's own output never names the secret either
    built = noted.run("build", "--no-site")
    assert secret not in built.output
    assert not (noted.root / "docs" / "followup.ics").exists()


def test_the_task_feed_goes_along_when_it_is_on(noted: Workspace, tmp_path: Path) -> None:
    noted.config('timezone = "Europe/London"\ntasks_feed = true\n')
    assert noted.run("publish", "--dir", str(tmp_path / "out"), "--today", "2026-11-26").exit_code == 0
    secret = _secret(noted)
    assert {f"followup-{secret}.ics", f"followup-{secret}-tasks.ics"} <= set(_tree(tmp_path / "out"))


def test_publish_url_prints_both_addresses_and_feed_url_agrees(noted: Workspace, tmp_path: Path) -> None:
    noted.config('timezone = "Europe/London"\npublish_url = "https://f.example.org/cal/"\n')
    no_secret = noted.run("feed", "url")
    assert no_secret.exit_code == 1 and "followup publish" in no_secret.output
    result = noted.run("publish", "--dir", str(tmp_path / "out"), "--today", "2026-11-26")
    secret = _secret(noted)
    https = f"https://f.example.org/cal/followup-{secret}.ics"
    assert https in result.output and f"webcal://f.example.org/cal/followup-{secret}.ics" in result.output
    assert noted.run("feed", "url").output.splitlines() == [https.replace("https", "webcal", 1), https]


def test_a_later_publish_replaces_what_the_earlier_one_wrote(noted: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out"
    noted.run("publish", "--dir", str(out), "--today", "2026-11-26")
    old = _secret(noted)
    assert noted.run("feed", "rotate").exit_code == 0
    assert noted.run("publish", "--dir", str(out), "--today", "2026-11-26").exit_code == 0
    names = set(_tree(out))
    assert f"followup-{_secret(noted)}.ics" in names and f"followup-{old}.ics" not in names
    assert len(names) == 4


def test_a_folder_it_did_not_make_is_refused_and_left_alone(noted: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.txt").write_text("years of work", encoding="utf-8")
    result = noted.run("publish", "--dir", str(out), "--today", "2026-11-26")
    assert result.exit_code == 1 and "Error:" in result.output and "not made by" in result.output
    assert _tree(out) == {"thesis.txt": b"years of work"}


def test_a_guessable_secret_is_refused(noted: Workspace, tmp_path: Path) -> None:
    (noted.root / "followup-state.json").write_text(
        json.dumps({"events": {}, "feed_secret": "a" * 22, "version": 1}), encoding="utf-8"
    )
    result = noted.run("publish", "--dir", str(tmp_path / "out"), "--today", "2026-11-26")
    assert result.exit_code == 1 and "guessable" in result.output and "feed rotate" in result.output
    assert not (tmp_path / "out").exists()


def test_publish_needs_exactly_one_destination(noted: Workspace, tmp_path: Path) -> None:
    assert noted.run("publish").exit_code == 2
    assert noted.run("publish", "--dir", str(tmp_path), "--git", str(tmp_path)).exit_code == 2


@needs_git
def test_git_and_dir_give_the_same_bundle_in_one_commit_without_history(noted: Workspace, tmp_path: Path) -> None:
    assert not (noted.root / ".git").exists()  # the workspace is no git repository
    remote = tmp_path / "remote.git"
    _git("init", "-q", "--bare", str(remote))
    first = noted.run("publish", "--git", str(remote), "--today", "2026-11-26")
    assert first.exit_code == 0, first.output
    noted.run("publish", "--dir", str(tmp_path / "out"), "--today", "2026-11-26")
    assert _branch_files(remote, "gh-pages") == _tree(tmp_path / "out")
    head = _git("-C", str(remote), "rev-parse", "gh-pages")
    assert _git("-C", str(remote), "rev-list", "--count", "gh-pages") == "1"
    author = _git("-C", str(remote), "log", "-1", "--format=%an <%ae>", "gh-pages")
    assert "Priya" not in author and "followup" in author

    again = noted.run("publish", "--git", str(remote), "--today", "2026-11-26")
    assert again.exit_code == 0 and "Nothing to push" in again.output
    assert _git("-C", str(remote), "rev-parse", "gh-pages") == head

    assert noted.run("done", "northwind", "thank-you", "--date", "2026-11-19").exit_code == 0
    later = noted.run("publish", "--git", str(remote), "--today", "2026-11-26")
    assert later.exit_code == 0 and "Pushed" in later.output
    assert _git("-C", str(remote), "rev-parse", "gh-pages") != head
    assert _git("-C", str(remote), "rev-list", "--count", "gh-pages") == "1"
    assert _git("-C", str(remote), "log", "-1", "--format=%P", "gh-pages") == ""
    feed = _branch_files(remote, "gh-pages")[f"followup-{_secret(noted)}.ics"]
    kinds = [str(c) for e in icalendar.Calendar.from_ical(feed).events for c in e.categories]
    assert "thank-you" not in kinds and "review-notes" in kinds


@needs_git
def test_another_branch_and_a_bad_remote(noted: Workspace, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    _git("init", "-q", "--bare", str(remote))
    assert noted.run("publish", "--git", str(remote), "--branch", "pages", "--today", "2026-11-26").exit_code == 0
    assert _git("-C", str(remote), "branch", "--format=%(refname:short)") == "pages"
    bad = noted.run("publish", "--git", str(tmp_path / "missing.git"), "--today", "2026-11-26")
    assert bad.exit_code == 1 and bad.output.startswith("Error: git") and "Traceback" not in bad.output


def test_with_guide_adds_the_guide_and_still_no_note(noted: Workspace, tmp_path: Path) -> None:
    noted.with_site()
    out = tmp_path / "out"
    result = noted.run("publish", "--dir", str(out), "--with-guide", "--today", "2026-11-26")
    assert result.exit_code == 0, result.output
    files = _tree(out)
    feed_name = f"followup-{_secret(noted)}.ics"
    assert "guide/thank-you/index.html" in files or "guide/thank-you.html" in files
    assert files["robots.txt"].startswith(b"# Published by followup")
    assert not any(n.startswith("interviews/") or "sitemap" in n or "search_index" in n
                   for n in files)
    for name, data in files.items():
        if name != feed_name:
            assert not any(word.encode() in data for word in PRIVATE), name


def test_a_calendar_subscribes_to_the_published_address(noted: Workspace, tmp_path: Path) -> None:
    """From nothing to a subscribed calendar: publish, serve the folder, subscribe with the
    address `followup feed url` prints (vdirsyncer fetches it over HTTP, khal reads it)."""
    require(clients_available(), "khal + vdirsyncer")
    out = tmp_path / "public"
    out.mkdir()
    with ServedFeed(out) as server:
        noted.config(f'timezone = "Europe/London"\npublish_url = "{server.base_url}"\n')
        assert noted.run("publish", "--dir", str(out), "--today", "2026-11-26").exit_code == 0
        address = noted.run("feed", "url").output.splitlines()[1]
        clients = CalendarClients(tmp_path / "clients", address, timezone="Europe/London")
        clients.sync()
        titles = sorted(e["title"] for e in clients.khal_events("2026-11-01", "2027-01-31"))
        assert titles and all("Northwind Traders" in t for t in titles)
        assert "Thank-you: Northwind Traders" in titles

        assert noted.run("done", "northwind", "thank-you", "--date", "2026-11-19").exit_code == 0
        assert noted.run("publish", "--dir", str(out), "--today", "2026-11-26").exit_code == 0
        clients.sync()
        after = sorted(e["title"] for e in clients.khal_events("2026-11-01", "2027-01-31"))
        assert after == [t for t in titles if not t.startswith("Thank-you")]


def test_publish_says_what_the_feed_lets_anyone_read(noted: Workspace, tmp_path: Path) -> None:
    noted.note("2026-11-24-globex.md", "---\ncompany: Globex\nrole: Analyst\ndate: 2026-11-24 10:00\n"
               "location: Video https://meet.example/globex-1\n"
               "interviewers: {name: Ada Byron, email: ada@globex.example, phone: '+44 20 7946 0000'}\n"
               "may_call: true\n---\n")
    result = noted.run("publish", "--dir", str(tmp_path / "public"), "--today", "2026-11-26")
    assert result.exit_code == 0, result.output
    said = next(line for line in result.output.splitlines() if line.startswith("Anyone with the feed's address"))
    # What a reader of the published file finds in it, counted from the file itself.
    feed = next((tmp_path / "public").glob("followup-*.ics")).read_text(encoding="utf-8")
    events = feed.count("BEGIN:VEVENT")
    assert f"can read its {events} event(s): 2 companies" in said
    assert "3 people by name (Ada Byron, Priya Natarajan, Sam Okafor)" in said
    assert "1 web link(s)" in said and "1 phone number(s)" in said
    assert "email address(es)" in said
    assert "minimal_details = true" in result.output
    noted.config('timezone = "Europe/London"\nminimal_details = true\n')
    result = noted.run("publish", "--dir", str(tmp_path / "public"), "--today", "2026-11-26")
    said = next(line for line in result.output.splitlines() if line.startswith("Anyone with the feed's address"))
    assert said.endswith(": 2 companies.") and "minimal_details = true" not in result.output


def test_the_guide_published_with_the_feed_never_calls_itself_private(noted: Workspace, tmp_path: Path) -> None:
    noted.with_site()
    result = noted.run("publish", "--dir", str(tmp_path / "public"), "--with-guide", "--today", "2026-11-26")
    assert result.exit_code == 0, result.output
    home = (tmp_path / "public" / "index.html").read_text(encoding="utf-8")
    assert "private" not in home.lower() and "Before the interview" in home
    assert not [word for word in PRIVATE if word in home]
