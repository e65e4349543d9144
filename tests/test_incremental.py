"""A build after an edit reuses what the last build made of every application the edit did
not touch (`out.parts`): its feed, index, state file and report must be exactly those of a
build from nothing, whatever the edit."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, TODAY, Workspace
from followup import cache, outputs, parallel

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


def test_a_new_day_that_plans_every_application_again_reads_the_cached_notes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past `_READ_ALL_FROM` notes to read again, the parsed notes come from the cache of
    parsed notes (as `status` reads them), with the same result."""
    monkeypatch.setattr(outputs, "_READ_ALL_FROM", 0)
    pair = Pair(tmp_path)
    pair.build(TODAY)
    _set(pair.notes()[-5], "thank_you_sent", "2026-11-20")
    pair.build("2026-11-27")
    pair.notes()[-9].unlink()
    pair.build("2026-11-28")


def test_a_first_build_of_thousands_made_on_every_core_equals_one_made_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thousands of notes are parsed, and thousands of applications made, in forked
    processes (`parallel`): the outputs are those of one process doing it all."""
    forked, alone = tmp_path / "forked", tmp_path / "alone"
    generate.generate(2600, forked)
    shutil.copytree(forked, alone)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tooling")}
    env.pop("SOURCE_DATE_EPOCH", None)
    command = [sys.executable, "-m", "followup", "-C", str(forked), "build", "--no-site", "--today", TODAY]
    ran = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert ran.returncode == 0, ran.stderr
    folder = cache.cache_dir(forked)  # written by a forked process too: complete on return
    assert folder is not None and (folder / "made.pickle").is_file()
    _append(sorted((forked / "interviews").rglob("*.md"))[7])  # a quiet change trusts that cache
    ran = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert ran.returncode == 0, ran.stderr
    _append(sorted((alone / "interviews").rglob("*.md"))[7])
    monkeypatch.setattr(parallel, "processes", lambda items, minimum: 1)
    workspace = Workspace.at(alone)
    assert workspace.run("build", "--no-site").exit_code == 0
    assert _outputs(forked) == _outputs(alone)
    assert len(_outputs(forked)[OUTPUTS[0]]) > 1_000_000


def test_a_change_no_output_shows_is_built_from_its_application_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line added to a note's free text changes no reminder: the build plans that note's
    application again, finds it says what it said, and leaves the other applications'
    shares, the store of texts and every output alone."""
    pair = Pair(tmp_path)
    pair.build()
    written = {name: (pair.root / name).stat().st_mtime_ns for name in OUTPUTS}

    def not_needed(*args: object, **kwargs: object) -> None:
        raise AssertionError("a quiet change loaded every share")

    with monkeypatch.context() as patched:
        patched.setattr(cache, "load_texts", not_needed)
        for count, note in enumerate(pair.notes()[10:14]):
            _append(note, f"Thought number {count}.")
            result = pair.workspace.run("build", "--no-site", "--keep-going")
            assert result.exit_code == 0, result.output
    assert {name: (pair.root / name).stat().st_mtime_ns for name in OUTPUTS} == written
    pair.build()  # the same as a build from nothing
    feed = pair.workspace.feed.read_bytes()
    _set(pair.notes()[12], "date", "2026-12-01 10:00")  # a change the feed shows
    pair.build()
    assert pair.workspace.feed.read_bytes() != feed


def test_a_build_cut_short_leaves_no_record_a_quiet_change_would_trust(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record of what the shares were made with goes before any share is written, and
    comes back only once all are: a build stopped between the two cannot be taken for one
    that finished."""
    pair = Pair(tmp_path)
    pair.build()
    folder = cache.cache_dir(pair.root)
    assert folder is not None and (folder / "made.pickle").is_file()
    _set(pair.notes()[7], "date", "2026-12-01 10:00")  # the feed changes: every share is loaded

    def stopped(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(outputs, "_shares", stopped)
        assert pair.workspace.run("build", "--no-site").exit_code != 0  # Ctrl+C while making shares
    assert not (folder / "made.pickle").exists()
    _append(pair.notes()[7])
    pair.build()
