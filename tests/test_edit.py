"""`followup done` / `followup outcome`: only the intended key changes, atomically, safely."""

from __future__ import annotations

import dataclasses
import difflib
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TODAY, Workspace, examples, generated_cases
from followup.note import edit
from followup.note.model import Outcome
from followup.note.parse import parse_note
from hypo_notes import DATES, Generated, notes

ZONE = "Europe/London"
CASES = generated_cases("test_edit")




def _today() -> date:
    """Today as `followup done` reads it when no --date is given: the suite's clock's."""
    return date.fromisoformat(TODAY)


def _parse(data: bytes):  # type: ignore[no-untyped-def]
    interview, problems = parse_note(data, "n.md", "n", ZONE)
    assert interview is not None, problems
    return interview


def _changes(day: date, outcome: Outcome) -> list[edit.Change]:
    return [
        edit.SetValue("thank_you_sent", day),
        edit.SetValue("notes_reviewed", day),
        edit.AppendItem("follow_ups", day),
        edit.SetValue("outcome", outcome),
        edit.SetValue("offer_received", day),
        edit.SetValue("offer_deadline", day),
    ]


def _assert_only_key_changed(old: bytes, new: bytes, change: edit.Change, eol: str) -> None:
    """The bytes differ in one span, on lines that belong to the key, in the file's own style."""
    old_lines = old.decode("utf-8").splitlines(keepends=True)
    new_lines = new.decode("utf-8").splitlines(keepends=True)
    text = new.decode("utf-8")
    key, value = change.key, change.value
    shown = value.isoformat() if isinstance(value, date) else str(value)
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    touched = [
        line
        for tag, a1, a2, b1, b2 in matcher.get_opcodes()
        if tag != "equal"
        for line in (*old_lines[a1:a2], *new_lines[b1:b2])
    ]
    assert touched and any(shown in line for line in touched)
    for line in touched:
        assert re.match(rf"\ufeff?\s*({key}:|- ['\"]?{shown})", line), (line, touched)
        assert line.endswith(eol) or line == new_lines[-1] == old_lines[-1]
    # no new kind of line ending, and the byte-order mark is where it was
    assert text.count("\r\n") == text.count("\n") or eol == "\n"
    if eol == "\n":
        assert "\r" not in text
    assert new.startswith(b"\xef\xbb\xbf") == old.startswith(b"\xef\xbb\xbf")


@settings(
    max_examples=examples(400, ci=200), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(notes(), DATES, st.sampled_from(list(Outcome)))
def test_every_recording_changes_only_its_key(note: Generated, day: date, outcome: Outcome) -> None:
    CASES["property notes"] = CASES.get("property notes", 0) + 1
    before = _parse(note.data)
    snapshot = edit.Snapshot(Path("n.md"), note.data, 0, len(note.data), "")
    for change in _changes(day, outcome):
        plan = edit.plan_edit(snapshot, [change], "n.md", ZONE)
        CASES["property edits"] = CASES.get("property edits", 0) + 1
        after = _parse(plan.data)
        current = getattr(before, change.key)
        if isinstance(change, edit.AppendItem):
            wanted = current if day in current else tuple(sorted((*current, day)))
        else:
            wanted = change.value
        assert after == dataclasses.replace(before, **{change.key: wanted})
        assert after.body == before.body
        if plan.data == note.data:
            assert current == wanted or (isinstance(current, tuple) and day in current)
        else:
            _assert_only_key_changed(note.data, plan.data, change, note.eol)


NOTE = """\
\ufeff---\r
# Acme, second round\r
company: 'Acme, Inc.'   # the legal name\r
role: "Backend Engineer"\r
date: 2026-11-20 14:00\r
follow_ups:\r
    - "2026-11-27"   # by email\r
outcome: pending # for now\r
---\r
Body stays.\r
No final newline"""


def test_block_list_gets_an_item_in_its_own_style(workspace: Workspace) -> None:
    path = workspace.root / "interviews" / "acme.md"
    path.write_bytes(NOTE.encode())
    path.chmod(0o640)
    result = workspace.run("done", "acme", "follow-up", "--date", "2026-11-26")
    assert result.exit_code == 0, result.output
    expected = NOTE.replace(
        '    - "2026-11-27"   # by email\r\n',
        '    - "2026-11-27"   # by email\r\n    - "2026-11-26"\r\n',
    )
    assert path.read_bytes() == expected.encode()
    assert path.stat().st_mode & 0o777 == 0o640


def test_outcome_offer_sets_value_and_adds_missing_keys(workspace: Workspace) -> None:
    path = workspace.root / "interviews" / "acme.md"
    path.write_bytes(NOTE.encode())
    result = workspace.run(
        "outcome", "Acme, Inc.", "offer", "--received", "2026-11-24", "--deadline", "2026-12-08"
    )
    assert result.exit_code == 0, result.output
    expected = NOTE.replace(
        "outcome: pending # for now\r\n", "outcome: offer # for now\r\n"
    ).replace(
        "---\r\nBody", "offer_received: 2026-11-24\r\noffer_deadline: 2026-12-08\r\n---\r\nBody"
    )
    assert path.read_bytes() == expected.encode()


def test_done_defaults_to_today_and_flow_list_stays_flow(workspace: Workspace) -> None:
    path = workspace.note(
        "2026-11-20-globex.md",
        """
        ---
        company: Globex
        role: Analyst
        date: 2026-11-20
        follow_ups: [2026-11-27]
        ---
        """,
    )
    assert workspace.run("done", "globex", "follow-up").exit_code == 0
    assert f"follow_ups: [2026-11-27, {_today().isoformat()}]\n" in path.read_text()
    assert workspace.run("done", "globex", "thank-you", "--date", "2026-11-20").exit_code == 0
    assert path.read_text().endswith(
        "follow_ups: [2026-11-27, "
        + _today().isoformat()
        + "]\nthank_you_sent: 2026-11-20\n---\n"
    )


def test_ambiguous_or_unknown_note_lists_candidates(workspace: Workspace) -> None:
    for name in ("2026-11-10-northwind-phone.md", "2026-11-19-northwind-onsite.md"):
        workspace.note(name, "---\ncompany: Northwind\nrole: Dev\ndate: 2026-11-10\n---\n")
    # Rounds of one application: the latest, said in the output; --round picks another.
    result = workspace.run("done", "northwind", "review", "--date", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert "latest round of" in result.output and "--round" in result.output
    onsite = workspace.root / "interviews" / "2026-11-19-northwind-onsite.md"
    assert "notes_reviewed: 2026-11-20" in onsite.read_text()
    workspace.note("2026-11-12-northwind-ops.md", "---\ncompany: Northwind\nrole: Ops\ndate: 2026-11-12\n---\n")
    result = workspace.run("done", "northwind", "review")
    assert result.exit_code == 2
    assert "matches 3 note(s)" in result.output and "different applications" in result.output
    assert "interviews/2026-11-10-northwind-phone.md" in result.output
    assert "interviews/2026-11-12-northwind-ops.md" in result.output
    assert workspace.run("done", "initech", "review").exit_code == 2
    ok = workspace.run("done", "onsite", "review", "--date", "2026-11-19")
    assert ok.exit_code == 0, ok.output
    assert (
        "notes_reviewed: 2026-11-19"
        in (workspace.root / "interviews" / "2026-11-19-northwind-onsite.md").read_text()
    )


def test_note_with_errors_is_not_edited(workspace: Workspace) -> None:
    path = workspace.note("bad.md", "---\ncompany: Acme\nrole: Dev\ndate: 2026-13-40\n---\n")
    before = path.read_bytes()
    result = workspace.run("done", "bad.md", "review")
    assert result.exit_code == 1
    assert "has errors" in result.output and "Traceback" not in result.output
    assert path.read_bytes() == before


def test_edit_refuses_when_the_file_changed_underneath(workspace: Workspace) -> None:
    path = workspace.note("acme.md", "---\ncompany: Acme\nrole: Dev\ndate: 2026-11-20\n---\nbody\n")
    snapshot = edit.read(path)
    plan = edit.plan_edit(
        snapshot, [edit.SetValue("notes_reviewed", date(2026, 11, 21))], "acme.md", ZONE
    )
    assert plan.changed
    # the user saves the note in an editor between the read and the write
    edited_by_user = b"---\ncompany: Acme\nrole: Dev\ndate: 2026-11-20\n---\nbody, and more\n"
    path.write_bytes(edited_by_user)
    with pytest.raises(edit.EditError, match="changed on disk"):
        edit.write(plan)
    assert path.read_bytes() == edited_by_user
    # the same plan against an unchanged file goes through
    fresh = edit.plan_edit(
        edit.read(path), [edit.SetValue("notes_reviewed", date(2026, 11, 21))], "acme.md", ZONE
    )
    edit.write(fresh)
    assert path.read_bytes() == edited_by_user.replace(
        b"---\nbody", b"notes_reviewed: 2026-11-21\n---\nbody"
    )


def test_unusual_layout_is_refused_not_mangled(workspace: Workspace) -> None:
    text = "---\ncompany: Acme\nrole: Dev\ndate: 2026-11-20\nfollow_ups: |\n  2026-11-27\n---\n"
    path = workspace.note("acme.md", text)
    result = workspace.run("done", "acme", "follow-up", "--date", "2026-11-26")
    assert result.exit_code == 1
    assert path.read_text() == text


def test_done_fills_the_templates_commented_line_for_its_key(workspace: Workspace) -> None:
    assert workspace.run("new", "Acme", "Dev", "--date", "2026-11-20 10:00", "--no-edit").exit_code == 0
    path = workspace.root / "interviews" / "2026-11-20-acme-dev.md"
    before = path.read_text()
    assert "# thank_you_sent: 2026-11-20\n" in before and "# reply_by: 2026-11-27  # the date" in before
    assert workspace.run("done", "acme", "thank-you", "--date", "2026-11-21").exit_code == 0
    assert workspace.run("done", "acme", "review", "--date", "2026-11-20").exit_code == 0
    after = path.read_text()
    assert after == before.replace("# thank_you_sent: 2026-11-20\n", "thank_you_sent: 2026-11-21\n").replace(
        "# notes_reviewed: 2026-11-21\n", "notes_reviewed: 2026-11-20\n"
    )
    # A key the template has no line for still goes last, before the closing line.
    assert workspace.run("outcome", "acme", "offer", "--received", "2026-11-25").exit_code == 0
    assert "offer_received: 2026-11-25\n---\n" in path.read_text()


def test_a_date_after_today_is_refused_and_nothing_is_written(workspace: Workspace) -> None:
    path = workspace.note("acme.md", "---\ncompany: Acme\nrole: Dev\ndate: 2026-11-20\n---\n")
    before = path.read_bytes()
    for command in (("done", "acme", "thank-you", "--date", "2026-11-27"),
                    ("outcome", "acme", "accepted", "--on", "2026-12-01")):
        result = workspace.run(*command)
        assert result.exit_code == 2 and "is after today (2026-11-26)" in result.output, result.output
    assert path.read_bytes() == before
