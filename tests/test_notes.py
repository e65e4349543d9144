"""Reading notes: what people type is accepted; every mistake is named with its file and line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import Workspace
from followup.note.files import note_names

GOOD = """
---
company: Acme
role: Backend Engineer
date: 2026-11-20 14:00
---
"""


def with_keys(*lines: str) -> str:
    return GOOD.rstrip().removesuffix("---") + "\n".join(lines) + "\n---\n"


def check(workspace: Workspace) -> tuple[int, str]:
    result = workspace.run("check")
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout


def test_a_good_note_passes(workspace: Workspace) -> None:
    workspace.note("acme.md", GOOD)
    code, out = check(workspace)
    assert code == 0 and out == ""


def test_bom_crlf_any_key_case_and_one_item_lists_are_normal(workspace: Workspace) -> None:
    text = (
        "\ufeff---\r\nCompany: Acme\r\nRole: Backend\r\nDate: 2026-11-20T14:00\r\n"
        "Interviewers: Jane Doe <jane@acme.example>\r\nFollow-Ups: 2026-11-27\r\n"
        "Thank You Sent: 2026-11-20\r\n---\r\nbody\r\n"
    )
    (workspace.root / "interviews" / "acme.md").write_bytes(text.encode("utf-8"))
    assert check(workspace) == (0, "")
    assert workspace.run("build", "--no-site").exit_code == 0
    kinds = workspace.kinds()
    assert "thank-you" not in kinds and "follow-up" in kinds  # follow-up #2 after the one recorded
    assert "#2" in str(workspace.event("follow-up")["summary"])


def test_people_as_strings_and_mappings(workspace: Workspace) -> None:
    workspace.note(
        "acme.md",
        """
        ---
        company: Acme
        role: Backend
        date: 2026-11-20 14:00
        interviewers:
          - Jane Doe <jane@acme.example>
          - name: Tom Okafor
            title: Staff Engineer
            email: tom@acme.example
          - lena@acme.example
        ---
        """,
    )
    assert workspace.run("build", "--no-site").exit_code == 0
    description = str(workspace.event("thank-you")["description"])
    assert "Tom Okafor (Staff Engineer) <tom@acme.example>" in description
    assert "mailto:lena@acme.example" in description


def test_unquoted_time_is_not_read_as_a_number(workspace: Workspace) -> None:
    # YAML 1.1 reads 14:00 alone as 840; the tool reads the text.
    workspace.note("acme.md", GOOD.replace("2026-11-20 14:00", "2026-11-20 09:05"))
    assert workspace.run("build", "--no-site").exit_code == 0
    assert workspace.event("interview").start.strftime("%H:%M") == "09:05"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (GOOD.replace("company: Acme\n", ""), 1, "missing required key 'company'"),
        (GOOD.replace("role:", "rol:"), 3,
         "followup does not know the key 'rol' and leaves it aside; did you mean 'role'?"),
        (GOOD.replace("14:00", "25:00"), 4, "date: '2026-11-20 25:00' is not a real date and time"),
        (GOOD.replace("2026-11-20 14:00", "20/11/2026"), 4, "write 2026-11-20 or 2026-11-20 14:00"),
        (with_keys("timezone: Europe/Londn"), 5, "did you mean 'Europe/London'?"),
        (with_keys("duration: long"), 5, "duration: 'long' must be a number of minutes"),
        (with_keys("impression: great"), 5, "impression: 'great' is not allowed"),
        (with_keys("may_call: maybe"), 5, "may_call: 'maybe' must be true or false"),
        (with_keys("reply_by: next week"), 5, "reply_by: 'next week' is not a date"),
        (with_keys("interviewers: Jane <jane at acme>"), 5, "is not an email address"),
        (GOOD.replace("role: Backend Engineer", "role: [Backend"), 4, "YAML syntax error"),
        (GOOD.replace("role: Backend Engineer", "role: Backend: Engineer"), 3, "put quotes around a value"),
        (GOOD.replace("company: Acme", "\tcompany: Acme"), 2, "does not allow tabs"),
        (GOOD.replace("company: Acme", "company: [Acme, Initech]"), 2, "'company' must be a single value"),
        (with_keys("company: Again"), 5, "'company' appears twice (also on line 2)"),
        ("just some text\n", 1, "no front-matter"),
        ("---\ncompany: Acme\n", 1, "the front-matter is not closed"),
        ("", 1, "the file is empty"),
        ("---\n---\nbody\n", 1, "the front-matter is empty"),
        (
            GOOD.replace("company: Acme", "company: !!python/object/apply:os.system ['touch pwned']"),
            2,
            "the YAML tag '!!python/object/apply:os.system' is not allowed",
        ),
    ],
)
def test_each_mistake_is_named_with_file_and_line(
    workspace: Workspace, text: str, line: int, message: str
) -> None:
    workspace.note("acme.md", text)
    code, out = check(workspace)
    expected = "interviews/acme.md:" + str(line) + ": "
    matching = [row for row in out.splitlines() if row.startswith(expected) and message in row]
    assert matching, out
    assert code == 1
    assert not (workspace.root / "pwned").exists()


def test_non_utf8_bytes_are_reported(workspace: Workspace) -> None:
    (workspace.root / "interviews" / "latin.md").write_bytes(
        b"---\ncompany: Caf\xe9\nrole: x\ndate: 2026-11-20\n---\n"
    )
    code, out = check(workspace)
    assert code == 1
    assert out.startswith("interviews/latin.md:2: the file is not UTF-8")


def test_every_problem_in_every_file_is_listed(workspace: Workspace) -> None:
    workspace.note("a.md", GOOD.replace("2026-11-20 14:00", "2026-13-01").replace("Acme", ""))
    workspace.note("b.md", with_keys("outcome: hired"))
    code, out = check(workspace)
    assert code == 1
    assert [row.split(":")[0] for row in out.splitlines()] == [
        "interviews/a.md",
        "interviews/a.md",
        "interviews/b.md",
    ]


def test_check_json_format(workspace: Workspace) -> None:
    workspace.note("a.md", GOOD.replace("role:", "rol:"))
    result = workspace.run("check", "--format", "json")
    problems = json.loads(result.stdout)
    assert result.exit_code == 1
    assert {
        "path": "interviews/a.md",
        "line": 3,
        "severity": "warning",
        "message": "followup does not know the key 'rol' and leaves it aside; did you mean 'role'?",
    } in problems
    assert any(p["severity"] == "error" and "'role'" in p["message"] for p in problems)


def test_notes_in_subfolders_are_read_and_readmes_skipped(workspace: Workspace) -> None:
    workspace.note("2026/11/acme.md", GOOD)
    workspace.note("README.md", "# My notes\n")
    workspace.note("_drafts/idea.md", "not a note")
    assert check(workspace) == (0, "")
    assert workspace.run("build", "--no-site").exit_code == 0
    assert workspace.event("interview")["uid"].startswith("2026.11.acme.")


def test_notes_are_listed_in_path_order_whatever_the_folders(tmp_path: Path) -> None:
    """Folders and files whose names sort differently as whole paths than part by part
    (`2026-02/` beside `2026-02-01.md`, `2026-02.md`, `2026-02 b/`) come out part by part,
    the order every output follows."""
    folder = tmp_path / "interviews"
    names = [
        "2026-02/b.md", "2026-02/a.md", "2026-02-01.md", "2026-02.md", "2026-02 b/c.md", "2026-1/z.md",
        "A.md", "a.md", "2026-02/deeper/x.md", "2026-02/deeper-x.md", "é.md", "z/y/x/w.md",
    ]
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("x", encoding="utf-8")
    found = note_names(folder)
    assert found == sorted((str(folder / name) for name in names), key=lambda path: path.split(os.sep))
