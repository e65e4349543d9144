"""A build after an edit takes every note it did not touch from the cache, and may give the
last build's report again: its feed, index, state file and report must be exactly those of
a build from nothing, whatever the edit."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, TODAY, Workspace
from followup import build as build_module

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # the benchmark's synthetic workspace

OUTPUTS = ("docs/followup.ics", "docs/progress.md", "followup-state.json")


def _outputs(root: Path) -> dict[str, bytes]:
    return {name: (root / name).read_bytes() for name in OUTPUTS if (root / name).exists()}


class Pair:
    """One workspace built again after each edit, checked against a copy built from nothing."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.root = tmp_path / "kept"
        generate.generate(120, self.root)
        self.workspace = Workspace.at(self.root)
        self.builds = 0

    def notes(self) -> list[Path]:
        return sorted((self.root / "interviews").rglob("*.md"))

    def build(self, today: str = TODAY) -> None:
        """Build the kept workspace, and a copy of it (same notes, same state file) with no cache."""
        self.builds += 1
        fresh = self.tmp_path / f"fresh-{self.builds}"
        shutil.copytree(self.root, fresh)
        fresh_workspace = Workspace.at(fresh)
        kept = self.workspace.run("build", "--no-site", "--keep-going", today=today)
        cold = fresh_workspace.run("build", "--no-site", "--keep-going", today=today)
        assert kept.exit_code == cold.exit_code, kept.output + cold.output
        assert kept.output.replace(str(self.root), "") == cold.output.replace(str(fresh), "")
        assert _outputs(self.root) == _outputs(fresh)
        shutil.rmtree(fresh)


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert count == 1, f"{pattern!r} not in {path}"
    path.write_text(changed, encoding="utf-8")


def _append(path: Path, line: str = "One more thought.") -> None:
    with path.open("a", encoding="utf-8") as note:
        note.write(f"\n{line}\n")


def _set(path: Path, key: str, value: str) -> None:
    """Give `key` this value in the front-matter, adding the key when it is not there."""
    text = path.read_text(encoding="utf-8")
    if re.search(rf"^{key}:", text, flags=re.MULTILINE):
        _edit(path, rf"^{key}:.*$", f"{key}: {value}")
    else:
        _edit(path, r"^date:", f"{key}: {value}\ndate:")


def _round_of_several(pair: Pair) -> tuple[Path, Path]:
    """Two notes of one application (the first and a later round)."""
    by_application: dict[str, list[Path]] = {}
    for note in pair.notes():
        found = re.search(r"^company: (.*)$", note.read_text(encoding="utf-8"), flags=re.MULTILINE)
        role = re.search(r"^role: (.*)$", note.read_text(encoding="utf-8"), flags=re.MULTILINE)
        if found and role:
            by_application.setdefault(f"{found[1]}|{role[1]}", []).append(note)
    rounds = next(paths for paths in by_application.values() if len(paths) >= 2)
    return rounds[0], rounds[-1]


EDITS: list[tuple[str, Callable[[Pair], None]]] = [
    ("a line added to a body", lambda p: _append(p.notes()[3])),
    ("a line added to a body, the feed deleted by hand", lambda p: (_append(p.notes()[4]), p.workspace.feed.unlink())),
    ("a line added to a body, the index edited by hand",
     lambda p: (_append(p.notes()[5]), p.workspace.index.write_text("mine", encoding="utf-8"))),
    ("a thank-you recorded", lambda p: _set(p.notes()[-5], "thank_you_sent", "2026-11-20")),
    ("a company renamed: the note changes application", lambda p: _set(p.notes()[-8], "company", "Zeta Moved Ltd")),
    ("an interview moved", lambda p: _edit(p.notes()[-12], r"^date: (\"?\d{4}-\d\d)-\d\d", r"date: \g<1>-01")),
    ("an outcome", lambda p: _set(p.notes()[-15], "outcome", "rejected")),
    ("a recruiter on a first round, inherited by the later ones",
     lambda p: _set(_round_of_several(p)[0], "recruiter", "Rita Reed <rita@hays.example>")),
    ("a later round naming another recruiter",
     lambda p: _set(_round_of_several(p)[-1], "recruiter", "Other Person <other@agency.example>")),
    ("a note deleted", lambda p: p.notes()[-20].unlink()),
    ("a note copied under a new name", lambda p: shutil.copy(p.notes()[-25], p.root / "interviews" / "zz-copy.md")),
    ("a note renamed", lambda p: p.notes()[-30].rename(p.root / "interviews" / "renamed-note.md")),
    ("a note broken", lambda p: _set(p.notes()[-35], "company", "[unclosed")),
    ("the broken note fixed", lambda p: _edit(_broken_note(p), r"^company: \[unclosed$", "company: Fixed Co")),
    ("the configuration changed", lambda p: (p.root / "followup.toml").write_text(
        'timezone = "America/New_York"\nfeed_days_back = 30\n', encoding="utf-8")),
    ("the state file put back as it was before",
     lambda p: (p.root / "followup-state.json").write_bytes(p.tmp_path.joinpath("state-before").read_bytes())),
]


def _broken_note(pair: Pair) -> Path:
    return next(n for n in pair.notes() if "company: [unclosed" in n.read_text(encoding="utf-8"))


def test_every_build_after_an_edit_equals_a_build_from_nothing(tmp_path: Path) -> None:
    today = TODAY
    pair = Pair(tmp_path)
    pair.build(today)
    (tmp_path / "state-before").write_bytes((pair.root / "followup-state.json").read_bytes())
    for name, edit in EDITS:
        edit(pair)
        try:
            pair.build(today)
        except AssertionError as error:
            raise AssertionError(f"after {name}: {error}") from None
    for later in ("2026-11-27", "2026-12-05", "2027-02-01"):  # days pass: reminders fall due, leave
        pair.build(later)


def test_a_body_edit_changes_no_feed_and_is_answered_without_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line added to a note's free text changes no parsed value: the build gives the last
    build's report again and writes nothing; a change the feed shows is built in full."""
    pair = Pair(tmp_path)
    pair.build()
    written = {name: (pair.root / name).stat().st_mtime_ns for name in OUTPUTS}
    made: list[int] = []
    real_plan = build_module.plan
    monkeypatch.setattr(build_module, "plan", lambda *args, **kwargs: made.append(1) or real_plan(*args, **kwargs))
    for count, note in enumerate(pair.notes()[10:14]):
        _append(note, f"Thought number {count}.")
        result = pair.workspace.run("build", "--no-site", "--keep-going")
        assert result.exit_code == 0, result.output
    assert made == [] and {name: (pair.root / name).stat().st_mtime_ns for name in OUTPUTS} == written
    feed = pair.workspace.feed.read_bytes()
    _set(pair.notes()[12], "date", "2026-12-01 10:00")  # a change the feed shows
    pair.build()
    assert made and pair.workspace.feed.read_bytes() != feed
