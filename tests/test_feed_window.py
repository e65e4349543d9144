"""The feed window (`feed_days_back`) and the warning for a feed too large for Google."""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import icalendar
from click.testing import CliRunner

from conftest import ROOT, TODAY, Workspace
from followup.cli import cli
from followup.feed.calendar import GOOGLE_LIMIT, size_warning

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # the benchmark's synthetic workspace


def _note(workspace: Workspace, company: str, day: date, *, duration: int = 60, time: str = " 10:00") -> None:
    workspace.note(
        f"{day}-{company.lower()}.md",
        f"""
        ---
        company: {company}
        role: Engineer
        date: {day}{time}
        duration: {duration}
        ---
        """,
    )


def _companies(workspace: Workspace) -> set[str]:
    return {str(e["summary"]).split(": ", 1)[-1].split(" ")[0] for e in workspace.events()}


def test_interviews_that_ended_long_ago_leave_the_feed_but_not_the_index(workspace: Workspace) -> None:
    today = date.fromisoformat(TODAY)
    _note(workspace, "Oldco", today - timedelta(days=91))
    _note(workspace, "Edgeco", today - timedelta(days=90))
    _note(workspace, "Allday", today - timedelta(days=95), time="")
    _note(workspace, "Newco", today - timedelta(days=3))
    result = workspace.run("build", "--no-site")
    assert result.exit_code == 0, result.output
    summaries = " ".join(str(e["summary"]) for e in workspace.events())
    assert "Edgeco" in summaries and "Newco" in summaries
    assert "Oldco" not in summaries and "Allday" not in summaries
    index = workspace.index.read_text(encoding="utf-8")
    assert all(name in index for name in ("Oldco", "Edgeco", "Allday", "Newco"))


def test_a_long_interview_counts_from_its_end(workspace: Workspace) -> None:
    today = date.fromisoformat(TODAY)
    # starts 91 days ago at 20:00 and runs past midnight: it ended 90 days ago
    _note(workspace, "Nightco", today - timedelta(days=91), duration=300, time=" 20:00")
    workspace.run("build", "--no-site")
    assert any("Nightco" in str(e["summary"]) for e in workspace.events())


def test_feed_days_back_is_configurable_and_checked(workspace: Workspace) -> None:
    today = date.fromisoformat(TODAY)
    _note(workspace, "Oldco", today - timedelta(days=200))
    workspace.config('timezone = "Europe/London"\nfeed_days_back = 365\n')
    workspace.run("build", "--no-site")
    assert any("Oldco" in str(e["summary"]) for e in workspace.events())
    workspace.config('timezone = "Europe/London"\nfeed_days_back = 0\n')
    workspace.run("build", "--no-site")
    assert not any("Oldco" in str(e["summary"]) for e in workspace.events())
    workspace.config('timezone = "Europe/London"\nfeed_days_back = -1\n')
    bad = workspace.run("build", "--no-site")
    assert bad.exit_code == 1 and "followup.toml:2" in bad.output and "feed_days_back" in bad.output


def test_the_warning_names_the_limit_and_what_shrinks_the_feed() -> None:
    assert size_warning(GOOGLE_LIMIT) == ""
    text = size_warning(GOOGLE_LIMIT + 1)
    assert "1 MB" in text and "Google" in text and "feed_days_back" in text and "minimal_details" in text


def test_a_thousand_notes_stay_in_the_window_and_warn_when_over_a_megabyte(tmp_path: Path) -> None:
    root = tmp_path / "thousand"
    generate.generate(1000, root)
    runner = CliRunner()
    result = runner.invoke(cli, ["-C", str(root), "build", "--no-site", "--today", TODAY])
    assert result.exit_code == 0, result.output
    feed = next((root / "docs").glob("*.ics"))
    events = list(icalendar.Calendar.from_ical(feed.read_bytes()).events)
    first = date.fromisoformat(TODAY) - timedelta(days=91)  # the window, and a day for zones
    starts = [e.start.date() if isinstance(e.start, datetime) else e.start for e in events]
    assert events and min(starts) >= first
    assert feed.stat().st_size > GOOGLE_LIMIT and "Google Calendar ignores" in result.stderr
    published = runner.invoke(cli, ["-C", str(root), "publish", "--dir", str(tmp_path / "out"), "--today", TODAY])
    assert published.exit_code == 0 and "Google Calendar ignores" in published.stderr
    feed = next((root / "docs").glob("*.ics"))  # published under its secret name now
    # the minimal feed of the same notes is smaller, per event too
    full = feed.stat().st_size / len(events)
    (root / "followup.toml").write_text(
        (root / "followup.toml").read_text(encoding="utf-8") + "minimal_details = true\n", encoding="utf-8"
    )
    runner.invoke(cli, ["-C", str(root), "build", "--no-site", "--today", TODAY])
    assert feed.stat().st_size / len(events) < full / 2
