"""`followup new` with hostile names: a safe file inside interviews/, never an overwrite."""

from __future__ import annotations

import pytest

from conftest import Workspace
from followup.note.parse import parse_note

HOSTILE = [
    ("../../etc/passwd", "../role"),
    ("a/b\\c", "x/../../y"),
    ("..", "."),
    ("!!!", "???"),
    ("Acme\x00\x1b[31m\r\nevil: true", "Dev\u2028---\u202e"),
    ("Ünïcødé Çafé 東京 कंपनी", "Инженер"),
    ("\"quoted\" 'single' --- #hash", ": colon"),
    ("A" * 300, "東" * 300),
    ("CON", "NUL"),
    ("Acme\udcff\udcfe", "Dev"),
]


@pytest.mark.parametrize(("company", "role"), HOSTILE)
def test_hostile_names_give_a_safe_note(workspace: Workspace, company: str, role: str) -> None:
    result = workspace.run("new", company, role, "--date", "2026-12-03 14:00", "--no-edit")
    notes_dir = workspace.root / "interviews"
    created = sorted(notes_dir.iterdir())
    assert len(created) == 1, result.output
    path = created[0]
    assert result.exit_code == 0, result.output
    name = path.name
    assert name.startswith("2026-12-03-") and name.endswith(".md")
    assert "/" not in name and ".." not in name and "\\" not in name
    assert all(ch.isprintable() for ch in name)
    assert len(name.encode()) <= 255
    interview, problems = parse_note(path.read_bytes(), name, "n", "Europe/London")
    assert interview is not None, problems
    assert "\n" not in interview.company and "\x1b" not in interview.company
    assert [
        p
        for p in workspace.root.parent.rglob("*")
        if p.is_file() and p.parent != notes_dir and p.name != "followup.toml"
    ] == []


def test_unicode_stays_readable(workspace: Workspace) -> None:
    workspace.run("new", "Ünïcødé Café 東京", "कंपनी Dev", "--date", "2026-12-03", "--no-edit")
    (path,) = (workspace.root / "interviews").iterdir()
    assert path.name == "2026-12-03-ünïcødé-café-東京-कंपनी-dev.md"


def test_existing_note_is_never_overwritten(workspace: Workspace) -> None:
    first = workspace.run("new", "Acme", "Dev", "--date", "2026-12-03", "--no-edit")
    assert first.exit_code == 0
    (path,) = (workspace.root / "interviews").iterdir()
    path.write_text("my notes\n")
    again = workspace.run("new", "acme", "dev", "--date", "2026-12-03", "--no-edit")
    assert again.exit_code == 1
    assert "already exists" in again.output
    assert path.read_text() == "my notes\n"


def test_empty_after_cleaning_is_a_usage_error(workspace: Workspace) -> None:
    result = workspace.run("new", "\x00\x01", "Dev", "--no-edit")
    assert result.exit_code == 2
    assert list((workspace.root / "interviews").iterdir()) == []
