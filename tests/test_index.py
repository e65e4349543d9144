"""The progress index: the whole search at a glance, with values from notes shown as text."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import Workspace

GOLDEN = Path(__file__).parent / "golden"


def build(workspace: Workspace, today: str = "2026-11-26") -> str:
    result = workspace.run("build", "--no-site", today=today)
    assert result.exit_code == 0, result.output
    return workspace.index.read_text(encoding="utf-8")


def test_sample_index_matches_golden(sample_workspace: Workspace, update_golden: bool) -> None:
    text = build(sample_workspace)
    golden = GOLDEN / "progress.md"
    if update_golden:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), "index changed: review, then --update-golden"


def test_index_counts_actions_applications_and_figures(sample_workspace: Workspace) -> None:
    text = build(sample_workspace)
    assert "| Interview ahead | 1 |" in text and "| Offer | 1 |" in text and "| Closed | 2 |" in text
    assert "| Awaiting reply | 1 |" in text and "| Following up | 1 |" in text and "| Applied | 1 |" in text
    assert "| **All** | **7** |" in text
    assert "**overdue** · Thu 19 Nov 17:30  \n[Review notes](guide/after.md)" in text
    assert "**today** · Thu 26 Nov 09:00  \n[Follow-up \\#1](guide/following-up.md)" in text
    # the short name `followup done` finds: the company when it has one note, else a word of the file
    assert "```text\nfollowup done onsite follow-up\n```" in text
    assert "```text\nfollowup done hooli negotiate\n```" in text
    assert "move on: no reply after two follow-ups" in text
    assert "move on: it went badly" in text
    # several rounds: the round tells them apart
    assert (
        "[Northwind Traders · Backend Engineer \\(onsite\\)]"
        "(interviews/2026-11-19-northwind-backend-engineer-onsite.md)" in text
    )
    assert "- Interviews in November 2026: **5**" in text
    assert "- Median days from an interview to its reply: **11** (over those 2)" in text
    assert '<svg class="followup-chart fu-chart-funnel"' in text
    assert '<svg class="followup-chart fu-chart-months"' in text


def test_next_actions_are_sorted_by_due_date(sample_workspace: Workspace) -> None:
    text = build(sample_workspace)
    section = text.split("## Next actions")[1].split("## Applications")[0]
    months = {"Nov": 11, "Dec": 12}
    found = re.findall(r"^(?:\*\*\w+\*\* · )?\w{3} (\d\d) (\w{3}) (\d\d:\d\d)  $", section, re.M)
    moments = [(months[month], day, hour) for day, month, hour in found]
    assert moments == sorted(moments) and len(moments) >= 5


def test_values_from_notes_render_as_text(workspace: Workspace) -> None:
    workspace.note(
        "x.md",
        '---\ncompany: "A|B <script>alert(1)</script> *bold* [link](http://x)"\nrole: "_r_"\n'
        "date: 2026-11-20 14:00\n---\n",
    )
    text = build(workspace)
    assert "<script>" not in text
    assert "A\\|B &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\*bold\\* \\[link\\]\\(http&#58;//x\\)" in text
    assert "\\_r\\_" in text
    rows = [line for line in text.splitlines() if line.startswith("| [A")]
    assert rows and all(line.count(" | ") == 2 for line in rows)  # no cell was split by the |
