"""One name for each reminder, one count for each stage, figures that say what they count, and one
rule for which round a command means: checked across the feed, the terminal, the pages and the guide.
"""

from __future__ import annotations

import re
from statistics import median

import pytest

from conftest import ROOT, Workspace
from followup.plan.applications import COLUMNS
from followup.plan.rules import LABELS

NAMES = set(LABELS.values())


def build(workspace: Workspace, today: str = "2026-11-26") -> str:
    result = workspace.run("build", "--no-site", today=today)
    assert result.exit_code == 0, result.output
    return workspace.index.read_text(encoding="utf-8")


def _name(text: str) -> str:
    """`Follow-up #2` -> `Follow-up`."""
    return re.sub(r" \\?#\d+$", "", text)


def _offer_search(workspace: Workspace) -> None:
    workspace.note("hooli.md", "---\ncompany: Hooli\nrole: SRE\ndate: 2026-11-05 11:00\n"
                   "thank_you_sent: 2026-11-05\nnotes_reviewed: 2026-11-05\noutcome: offer\n"
                   "offer_received: 2026-11-24\noffer_deadline: 2026-12-04\n---\n")
    workspace.note("acme.md", "---\ncompany: Acme\nrole: Dev\ndate: 2026-11-16 10:00\n"
                   "interviewers: Jo Lee <jo@acme.example>\nfollow_ups: [2026-11-25]\n---\n")
    workspace.note("kestrel.md", "---\ncompany: Kestrel\nrole: Dev\ndate: 2026-12-01 10:00\n---\n")


@pytest.mark.parametrize("minimal", [False, True])
def test_each_reminder_has_one_name_in_the_feed_the_terminal_and_the_pages(
    workspace: Workspace, minimal: bool
) -> None:
    _offer_search(workspace)
    if minimal:
        workspace.config('timezone = "Europe/London"\nminimal_details = true\n')
    index = build(workspace)
    feed_names = {_name(str(e["summary"]).split(":")[0]) for e in workspace.events()}
    status = workspace.run("status", "--all").output
    status_names = {_name(m) for m in re.findall(r"\d\d:\d\d(?: \([^)]*\))?  ([A-Z][\w -]*?(?: #\d)?): ", status)}
    page_names = {_name(m) for m in re.findall(r"^\[([^\]]+)\]\(guide/", index, re.MULTILINE)}
    assert feed_names <= NAMES and status_names <= NAMES and page_names <= NAMES
    assert {"Negotiate", "Decide", "Follow-up", "Prepare"} <= feed_names & status_names & page_names
    guide = (ROOT / "docs" / "howto" / "reminders.md").read_text(encoding="utf-8")
    assert all(re.search(rf"\| {re.escape(name)}(?: #\d)? \(`", guide) for name in NAMES)


def test_the_board_the_progress_page_and_status_count_alike(sample_workspace: Workspace) -> None:
    sample_workspace.with_site()
    result = sample_workspace.run("build", today="2026-11-26")
    assert result.exit_code == 0, result.output
    board = (sample_workspace.root / "docs" / "board.md").read_text(encoding="utf-8")
    on_board = {name: int(n) for name, n in re.findall(r"^## (.+?) \((\d+)\)$", board, re.MULTILINE)}
    index = sample_workspace.index.read_text(encoding="utf-8")
    on_page = {name: int(n) for name, n in re.findall(r"^\| ([A-Z][\w ]+) \| (\d+) \|$", index, re.MULTILINE)}
    status = sample_workspace.run("status").output.splitlines()
    counts = " ".join(status[1:3])
    in_status = {name: int(n) for n, name in re.findall(r"(\d+) ([a-z ]+?)(?:,|$)", counts)}
    assert list(on_board) == [name for name, _, _ in COLUMNS]
    assert on_board == on_page
    assert in_status == {name.lower(): n for name, n in on_board.items() if n}
    assert sum(on_board.values()) == len(re.findall(r'<div class="fu-card"', board))


def test_every_figure_says_what_it_counts_and_the_charts_agree(workspace: Workspace) -> None:
    # Known numbers: four applications; three interviews in November, one in October; thank-yous
    # on time for two of the four held; replies after 3, 5 and 10 days; one offer.
    workspace.note("a.md", "---\ncompany: Alpha\nrole: Dev\ndate: 2026-10-20 10:00\n"
                   "thank_you_sent: 2026-10-20\nreply_received: 2026-10-23\noutcome: rejected\n---\n")
    workspace.note("b.md", "---\ncompany: Beta\nrole: Dev\ndate: 2026-11-02 10:00\n"
                   "thank_you_sent: 2026-11-04\nreply_received: 2026-11-07\noutcome: rejected\n---\n")
    workspace.note("c.md", "---\ncompany: Gamma\nrole: Dev\ndate: 2026-11-10 10:00\n"
                   "thank_you_sent: 2026-11-10\noutcome: offer\noffer_received: 2026-11-20\n"
                   "offer_deadline: 2026-12-01\n---\n")
    workspace.note("d.md", "---\ncompany: Delta\nrole: Dev\ndate: 2026-11-24 10:00\n---\n")
    index = build(workspace)
    figures = index.split("## Figures")[1]
    assert "- Interviews in November 2026: **3**" in figures
    assert "- Thank-yous sent within a day of the interview: **2** of the **4** interviews held" in figures
    assert "- Replies with a date (`reply_received`, or an offer's `offer_received`): **3**" in figures
    waits = [3, 5, 10]
    assert f"- Median days from an interview to its reply: **{median(waits):g}** (over those 3)" in figures
    assert "- Applications with an offer, received or accepted: **1**" in figures
    bars = re.search(r'fu-waits-d">([^<]*)<', figures)
    assert bars and len(bars[1].split("&#59;")) == 3  # one bar per reply counted
    months = re.search(r'fu-months-d">([^<]*)<', figures)
    assert months and months[1].replace("&#58;", ":").replace("&#59;", ";") == (
        "October 2026: 1; November 2026: 3")
    labels = re.findall(r'fu-chart-months.*?</svg>', figures, re.DOTALL)[0]
    assert re.findall(r'class="fu-label"[^>]*>([^<]+)<', labels) == ["Oct", "Nov"]
    funnel = re.search(r'fu-funnel-d">([^<]*)<', figures)
    assert funnel and "Applications&#58; 4" in funnel[1] and "Offers&#58; 1" in funnel[1]


def test_done_outcome_and_new_after_mean_the_same_round(workspace: Workspace) -> None:
    rounds = (("b1.md", "2026-11-10 10:00", "phone screen"), ("b2.md", "2026-11-18 10:00", "onsite"))
    for name, day, round_name in rounds:
        workspace.note(name, f"---\ncompany: Brightwave\nrole: Dev\ndate: {day}\nround: {round_name}\n---\n")
    done = workspace.run("done", "brightwave", "thank-you", "--date", "2026-11-18")
    assert done.exit_code == 0, done.output
    assert "interviews/b2.md: the latest round of" in done.output and "--round NAME picks another" in done.output
    assert "thank_you_sent: 2026-11-18" in (workspace.root / "interviews" / "b2.md").read_text()
    earlier = workspace.run("done", "brightwave", "review", "--round", "Phone Screen", "--date", "2026-11-10")
    assert earlier.exit_code == 0, earlier.output
    assert "notes_reviewed: 2026-11-10" in (workspace.root / "interviews" / "b1.md").read_text()
    missing = workspace.run("outcome", "brightwave", "rejected", "--round", "final")
    assert missing.exit_code == 2 and "no round of it is named 'final'" in missing.output
    after = workspace.run("new", "--after", "brightwave", "--round", "final", "--date", "2026-12-01 10:00",
                          "--no-edit")
    assert after.exit_code == 0, after.output
    assert "interviews/b2.md: the latest round of" in after.output
