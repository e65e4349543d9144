"""The note's keys are declared once (followup.note.schema); the docs' key tables must say the same."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from followup.note.model import Person
from followup.note.parse import parse_note
from followup.note.schema import BY_NAME, NOTE_KEYS, Key, guide_row
from followup.note.template import Carried, note_text
from followup.plan.kinds import DONE_ACTIONS, KINDS
from followup.plan.rules import Kind

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
GUIDE = ROOT / "docs" / "howto" / "notes.md"


def _table(text: str, header: str) -> list[str]:
    """The rows of the Markdown table that starts with `header`."""
    lines = text.split("\n")
    start = lines.index(header)
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def _names(cell: str) -> list[str]:
    return re.findall(r"`([a-z_]+)`", cell)


def readme_differences(keys: tuple[Key, ...], text: str) -> list[str]:
    """How README's key table differs from the declaration: names, required, inherited."""
    documented: dict[str, tuple[bool, str]] = {}
    for row in _table(text, "| key | required | what it holds |"):
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        for name in _names(cells[0]):
            documented[name] = (cells[1] == "yes", cells[2])
    declared = {key.name: key for key in keys}
    found = [f"README.md documents '{name}', which is not declared" for name in documented.keys() - declared.keys()]
    found += [f"'{name}' is declared but not in README.md" for name in declared.keys() - documented.keys()]
    for name in declared.keys() & documented.keys():
        required, meaning = documented[name]
        if required != declared[name].required:
            found.append(f"README.md says '{name}' is {'' if required else 'not '}required")
        if ("later rounds" in meaning) != declared[name].inherited:
            found.append(f"README.md and the declaration differ on whether later rounds keep '{name}'")
    return found


def guide_differences(keys: tuple[Key, ...], text: str) -> list[str]:
    """How the guide's key table differs from the rows the declaration gives."""
    documented = {}
    for row in _table(text, "| key | type | default | example | what it means |"):
        documented[_names(row.split("|")[1])[0]] = row
    declared = {key.name: key for key in keys}
    found = [f"notes.md documents '{name}', which is not declared" for name in documented.keys() - declared.keys()]
    found += [f"'{name}' is declared but not in notes.md" for name in declared.keys() - documented.keys()]
    for name in declared.keys() & documented.keys():
        if documented[name] != guide_row(declared[name]):
            found.append(
                f"notes.md's row for '{name}' is\n  {documented[name]}\n"
                f"the declaration gives\n  {guide_row(declared[name])}"
            )
    return found


def test_readme_key_table_matches_the_declaration() -> None:
    assert readme_differences(NOTE_KEYS, README.read_text(encoding="utf-8")) == []


def test_guide_key_table_matches_the_declaration() -> None:
    assert guide_differences(NOTE_KEYS, GUIDE.read_text(encoding="utf-8")) == []


def test_a_key_declared_but_not_documented_is_found() -> None:
    extra = dataclasses.replace(NOTE_KEYS[-1], name="salary_offered")
    keys = (*NOTE_KEYS, extra)
    assert readme_differences(keys, README.read_text(encoding="utf-8")) == [
        "'salary_offered' is declared but not in README.md"
    ]
    assert guide_differences(keys, GUIDE.read_text(encoding="utf-8")) == [
        "'salary_offered' is declared but not in notes.md"
    ]


def test_a_key_documented_but_not_declared_is_found() -> None:
    keys = tuple(key for key in NOTE_KEYS if key.name != "negotiated")
    assert readme_differences(keys, README.read_text(encoding="utf-8")) == [
        "README.md documents 'negotiated', which is not declared"
    ]
    assert guide_differences(keys, GUIDE.read_text(encoding="utf-8")) == [
        "notes.md documents 'negotiated', which is not declared"
    ]


def test_a_changed_default_or_required_is_found() -> None:
    keys = tuple(
        dataclasses.replace(key, required=True, default="`90`") if key.name == "duration" else key
        for key in NOTE_KEYS
    )
    assert readme_differences(keys, README.read_text(encoding="utf-8")) == ["README.md says 'duration' is not required"]
    assert len(guide_differences(keys, GUIDE.read_text(encoding="utf-8"))) == 1


def test_every_example_in_the_declaration_parses() -> None:
    """The guide's example for each key is a value the parser takes."""
    lines = []
    for key in NOTE_KEYS:
        example = key.example
        lines.append(f"{key.name}:\n  {example}" if example.startswith("- ") else f"{key.name}: {example}")
    data = ("---\n" + "\n".join(lines) + "\n---\n").encode()
    interview, problems = parse_note(data, "interviews/x.md", "x", "UTC")
    assert problems == []
    assert interview is not None
    assert interview.offer_deadline is not None and interview.offer_deadline.isoformat() == "2026-12-09"


def test_the_new_note_parses_and_carries_what_later_rounds_inherit() -> None:
    carried = Carried(
        round="final", application="acme 2026", recruiter=Person("Rita Roe", "rita@agency.example"),
        agency="TalentFirm", contact=Person("Jane Doe", title="CTO"),
        posting="https://jobs.acme.example/7", salary="€70k", source="referred by Sam",
    )
    text = note_text("Acme", "Engineer", "2026-12-01 10:00", "Europe/Paris", carried)
    interview, problems = parse_note(text.encode(), "interviews/x.md", "x", "UTC")
    assert problems == [] and interview is not None
    for key in NOTE_KEYS:
        if key.inherited:
            assert getattr(interview, key.name) == getattr(carried, key.name), key.name
    plain = note_text("Acme", "Engineer", "2026-12-01", "Europe/Paris")
    for key in NOTE_KEYS:
        if key.blank is not None:
            assert f"{key.name}:" in plain, key.name


def test_every_reminder_kind_has_its_guide_page_and_its_done_command() -> None:
    for kind in Kind:
        links = KINDS[kind]
        assert (ROOT / "docs" / links.guide_page).is_file(), kind
        assert not links.note_key or links.note_key in BY_NAME, kind
    assert set(DONE_ACTIONS.values()) <= set(BY_NAME)
    assert re.search(r"^use_directory_urls: false$", (ROOT / "mkdocs.yml").read_text(), re.MULTILINE)
