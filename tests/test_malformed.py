"""A corpus of broken notes: `followup check` names every file and line, exits 1, runs nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import Workspace

CORPUS = Path(__file__).parent / "malformed"

# file -> (line, part of the message)
EXPECTED = {
    "yaml-syntax.md": (5, "YAML syntax error"),
    "missing-keys.md": (1, "missing required key 'role'"),
    "wrong-types.md": (2, "'company' must be a single value"),
    "key-typos.md": (5, "did you mean 'thank_you_sent'"),
    "bad-flow-list.md": (6, "YAML syntax error"),
    "bad-date-and-zone.md": (4, "is not a real date"),
    "bad-offset.md": (4, "date:"),
    "tabs.md": (6, "does not allow tabs"),
    "no-front-matter.md": (1, "no front-matter"),
    "unterminated.md": (1, "not closed"),
    "empty.md": (1, "the file is empty"),
    "not-utf8.md": (2, "not UTF-8"),
    "python-tag.md": (5, "'!!python/object/apply:os.system' is not allowed"),
    "duplicate-key.md": (5, "appears twice"),
    "not-a-mapping.md": (2, "must be `key: value` lines"),
}


def test_corpus_is_complete() -> None:
    assert sorted(p.name for p in CORPUS.glob("*.md")) == sorted(EXPECTED)


@pytest.fixture
def broken(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    shutil.copytree(CORPUS, workspace.root / "interviews", dirs_exist_ok=True)
    monkeypatch.chdir(workspace.root)  # where the tag's command would create its file
    return workspace


def test_check_names_every_file_and_line(broken: Workspace) -> None:
    result = broken.run("check")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    for name, (line, message) in EXPECTED.items():
        hits = [
            row
            for row in result.output.splitlines()
            if row.startswith(f"interviews/{name}:{line}: ")
        ]
        assert any(message in row for row in hits), (name, hits)
    assert not (broken.root / "pwned-by-a-note").exists()


def test_check_json_lists_the_same_problems(broken: Workspace) -> None:
    result = broken.run("check", "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert {p["path"] for p in problems} == {f"interviews/{name}" for name in EXPECTED}
    assert all(set(p) == {"path", "line", "severity", "message"} for p in problems)
    tag = [p for p in problems if p["path"] == "interviews/python-tag.md" and "tag" in p["message"]]
    assert tag == [
        {
            "path": "interviews/python-tag.md",
            "line": 5,
            "severity": "error",
            "message": "the YAML tag '!!python/object/apply:os.system' is not allowed "
            "in a note; remove it",
        }
    ]


def test_build_refuses_and_runs_nothing(broken: Workspace) -> None:
    result = broken.run("build", "--no-site")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert not broken.feed.exists()
    assert not (broken.root / "pwned-by-a-note").exists()


def test_the_tag_would_run_code_if_a_note_were_constructed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shows that the absence of the file above is meaningful: an unsafe loader does create it."""
    monkeypatch.chdir(tmp_path)
    front = (CORPUS / "python-tag.md").read_text().split("---")[1]
    yaml.unsafe_load(front)
    assert (tmp_path / "pwned-by-a-note").exists()
