"""Notes kept in Obsidian or read by other tools: their keys, their links, the user's own keys."""

from __future__ import annotations

import pytest

from conftest import Workspace
from followup.note.parse import parse_note
from followup.note.schema import OTHER_TOOLS_KEYS, SYNONYMS

OBSIDIAN = """\
---
company: "[[Pinecrest Labs]]"
role: Data Engineer
date: 2026-11-20 14:00
tags: [job-search, interview]
aliases: [Pinecrest]
cssclasses: wide
created: 2026-11-01
interviewers:
  - "[[Jane Doe]] <jane@pinecrest.example>"
  - "[[Bob Stone|Bob]]"
recruiter: [[Rita Reed]]
---
Met [[Jane Doe]] in the [[Pinecrest Labs#Office|office]].
"""


def parse(text: str, **options: tuple[str, ...]) -> tuple[object, list[str]]:
    interview, problems = parse_note(text.encode(), "interviews/p.md", "p", "Europe/London", **options)
    return interview, [f"{p.line}: {p.message}" for p in problems]


def test_an_obsidian_note_reads_clean_with_its_links_as_text() -> None:
    interview, problems = parse(OBSIDIAN)
    assert problems == []
    assert interview is not None
    assert interview.company == "Pinecrest Labs"  # type: ignore[attr-defined]
    names = [p.name for p in interview.interviewers]  # type: ignore[attr-defined]
    assert names == ["Jane Doe", "Bob"]
    assert interview.interviewers[0].email == "jane@pinecrest.example"  # type: ignore[attr-defined]
    assert interview.recruiter.name == "Rita Reed"  # type: ignore[attr-defined]


@pytest.mark.parametrize("key", sorted(OTHER_TOOLS_KEYS))
def test_every_key_of_another_tool_passes_without_a_word(key: str) -> None:
    _, problems = parse(f"---\ncompany: A\nrole: B\ndate: 2026-11-20\n{key}: something\n---\n")
    assert problems == []


@pytest.mark.parametrize(("written", "meant"), sorted(SYNONYMS.items()))
def test_a_key_under_another_name_is_pointed_to_the_real_one(written: str, meant: str) -> None:
    _, problems = parse(f"---\ncompany: A\nrole: B\ndate: 2026-11-20\n{written}: x\n---\n")
    assert problems == [f"5: followup does not know the key '{written}' and leaves it aside; did you mean '{meant}'?"]


def test_status_is_pointed_to_outcome_in_a_sentence(workspace: Workspace) -> None:
    workspace.note("a.md", "---\ncompany: A\nrole: B\ndate: 2026-11-20\nstatus: offer\npriority: high\n---\n")
    result = workspace.run("check")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert ("interviews/a.md:5: warning: followup does not know the key 'status' and leaves it aside; "
            "did you mean 'outcome'?") in lines
    assert ("interviews/a.md:6: warning: followup does not know the key 'priority' and leaves it aside; "
            "if you keep it for another tool, list it in extra_keys in followup.toml to silence this") in lines


def test_extra_keys_silence_the_users_own_keys_and_the_cache_follows_the_setting(workspace: Workspace) -> None:
    workspace.note("a.md", "---\ncompany: A\nrole: B\ndate: 2026-11-20\nPriority: high\nrating: 4\n---\n")
    assert workspace.run("check").output.count("does not know the key") == 2
    workspace.config('timezone = "Europe/London"\nextra_keys = ["priority"]\n')
    said = workspace.run("check").output
    assert "'Priority'" not in said and "'rating'" in said
    workspace.config('timezone = "Europe/London"\n')  # taken away: the warning is back, not cached away
    assert workspace.run("check").output.count("does not know the key") == 2


def test_extra_keys_must_be_a_list_of_names(workspace: Workspace) -> None:
    workspace.note("a.md", "---\ncompany: A\nrole: B\ndate: 2026-11-20\n---\n")
    workspace.config('timezone = "Europe/London"\nextra_keys = "priority"\n')
    result = workspace.run("check")
    assert result.exit_code == 1 and "extra_keys must be a list of key names" in result.output


def test_a_link_in_a_note_builds_into_plain_text_on_every_output(workspace: Workspace) -> None:
    workspace.note("p.md", OBSIDIAN)
    result = workspace.run("build", "--no-site")
    assert result.exit_code == 0, result.output
    assert "[[" not in workspace.feed.read_text() and "Pinecrest Labs" in workspace.feed.read_text()
    index = workspace.index.read_text()
    assert "[Pinecrest Labs · Data Engineer](interviews/p.md)" in index and "\\[\\[" not in index
    assert "Rita Reed" in str(workspace.event("follow-up")["description"])
