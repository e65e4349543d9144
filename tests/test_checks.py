"""Deeper checks: likely mistakes reported as warnings with file and line, by check and build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, Workspace

ODD = """
---
company: Acme
role: Backend Engineer
date: 2026-11-20 14:00
interviewers:
  - Jane Doe <jane@acme.example>
recruiter: Rita Recruiter <rita@agency.example>
contact: Jane Doe
reply_by: 2026-11-18
thank_you_sent: 2026-11-19
follow_ups: [2026-11-10]
may_call: true
---
"""


def _warnings(workspace: Workspace, *args: str) -> dict[tuple[str, int], str]:
    result = workspace.run("check", "--format", "json", "--today", "2026-11-26", *args)
    assert result.exit_code == 0, result.output
    return {
        (p["path"], p["line"]): p["message"]
        for p in json.loads(result.stdout)
        if p["severity"] == "warning"
    }


def test_impossible_dates_recruiter_contact_and_may_call(workspace: Workspace) -> None:
    workspace.note("acme.md", ODD)
    found = _warnings(workspace)
    path = "interviews/acme.md"
    assert "'reply_by' (2026-11-18) is before the interview" in found[(path, 9)]
    assert "the thank-you (2026-11-19) is before the interview" in found[(path, 10)]
    assert "a follow-up (2026-11-10) is before the interview" in found[(path, 11)]
    assert "follow-ups go through Rita Recruiter" in found[(path, 8)]
    assert "no phone number for Rita Recruiter" in found[(path, 12)]
    assert len(found) == 5


def test_a_sound_note_has_no_warning(workspace: Workspace) -> None:
    workspace.note(
        "acme.md",
        """
        ---
        company: Acme
        role: Backend Engineer
        date: 2026-11-20 14:00
        interviewers:
          - {name: Jane Doe, email: jane@acme.example, phone: "+44 20 7946 0000"}
        reply_by: 2026-11-27
        thank_you_sent: 2026-11-20
        follow_ups: [2026-11-28]
        may_call: true
        ---
        """,
    )
    assert _warnings(workspace) == {}


def test_far_future_and_duplicate_notes(workspace: Workspace) -> None:
    workspace.note("typo.md", "---\ncompany: Hooli\nrole: SRE\ndate: 2062-11-20\n---\n")
    same = "---\ncompany: Acme\nrole: Dev\ndate: 2026-11-20 14:00\n---\n"
    workspace.note("acme.md", same)
    workspace.note("acme-copy.md", same)
    found = _warnings(workspace)
    assert "more than a year away" in found[("interviews/typo.md", 4)]
    assert (
        "same application at the same time (interviews/acme.md)"
        in found[("interviews/acme-copy.md", 4)]
    )
    assert "(interviews/acme-copy.md)" in found[("interviews/acme.md", 4)]


def test_text_output_strict_and_build_show_the_warnings(workspace: Workspace) -> None:
    workspace.note("acme.md", ODD)
    text = workspace.run("check", "--today", "2026-11-26")
    assert text.exit_code == 0
    assert "interviews/acme.md:9: warning: 'reply_by'" in text.output
    assert "1 note(s): 0 error(s), 5 warning(s)" in text.output
    assert workspace.run("check", "--strict", "--today", "2026-11-26").exit_code == 1
    build = workspace.run("build", "--no-site")
    assert build.exit_code == 0
    assert "interviews/acme.md:12: warning: 'may_call' is true" in build.output


def test_pre_commit_hook_runs_followup_check() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in hooks if h["id"] == "followup-check"]
    assert hook["entry"] == "followup check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    import re

    pattern = re.compile(hook["files"])
    assert pattern.search("interviews/2026-11-20-acme.md")
    assert not pattern.search("docs/guide.md")
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'followup = "followup.cli:main"' in pyproject
    assert Path(ROOT / ".pre-commit-hooks.yaml").exists()


def _notes_with_unknown_keys(workspace: Workspace, count: int) -> None:
    for n in range(count):
        text = f"---\ncompany: Co{n}\nrole: Dev\ndate: 2026-11-{1 + n % 28:02} 10:00\nsalery: 1\n---\n"
        workspace.note(f"n{n:02}.md", text)


@pytest.mark.parametrize("count", [1, 20])
def test_build_prints_every_warning_up_to_twenty(workspace: Workspace, count: int) -> None:
    _notes_with_unknown_keys(workspace, count)
    result = workspace.run("build", "--no-site")
    assert result.exit_code == 0, result.output
    assert result.stderr.count("the key 'salery'") == count
    assert "followup check" not in result.stderr


def test_build_past_twenty_warnings_prints_the_first_few_and_the_count(workspace: Workspace) -> None:
    _notes_with_unknown_keys(workspace, 21)
    workspace.note("bad.md", "---\ncompany: Bad\nrole: Dev\ndate: 2026-13-01\n---\n")
    result = workspace.run("build", "--no-site", "--keep-going")
    lines = result.stderr.splitlines()
    shown = [line for line in lines if "the key 'salery'" in line]
    assert [line.split(":")[0] for line in shown] == [f"interviews/n{n:02}.md" for n in range(5)]
    assert any(line.startswith("interviews/bad.md:4:") for line in lines)  # errors are never left out
    assert "... and 16 more warning(s), 21 in all; run `followup check` to see them all" in lines
    check = workspace.run("check")
    assert check.stdout.count("the key 'salery'") == 21
