"""Attacks and faults on a workspace: a cloned repository, concurrent commands, missing or
unreadable notes, broken state, a full disk. Each ends in a clear message or in the right
result, never in lost reminders, a traceback or someone else's code running."""

from __future__ import annotations

import builtins
import contextlib
import errno
import json
import os
import pickle
import shutil
import signal
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, Workspace
from followup import cache

NOTE = """
---
company: Acme
role: Engineer
date: 2026-11-20 14:00
interviewers: Jane Roe <jane@acme.example>
---
What we talked about.
"""


def cli(workspace: Workspace, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real command in its own process, as a second terminal would run it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tooling")}
    return subprocess.run(
        [sys.executable, "-m", "followup", "-C", str(workspace.root), *args],
        capture_output=True, text=True, env=env, timeout=timeout, check=False,
    )


class Payload:
    """Unpickling this runs a shell command: what a hostile cache file would carry."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.marker}",))


# -- 4: a cloned workspace must not run code -----------------------------------


def test_a_cache_carried_by_the_repository_is_never_loaded(workspace: Workspace, tmp_path: Path) -> None:
    workspace.note("acme.md", NOTE)
    marker = tmp_path / "ran"
    for carried in (workspace.root / ".followup-cache", workspace.root / ".cache" / "followup"):
        carried.mkdir(parents=True)
        (carried / "cache.sqlite3").write_bytes(pickle.dumps(Payload(marker)))
    for command in (("status",), ("build", "--no-site"), ("check",)):
        result = workspace.run(*command)
        assert result.exit_code == 0, result.output
    assert not marker.exists()
    folder = cache.cache_dir(workspace.root)
    assert folder is not None and not folder.is_relative_to(workspace.root)


def test_a_hostile_cache_in_the_cache_folder_runs_nothing_and_is_dropped(
    workspace: Workspace, tmp_path: Path
) -> None:
    workspace.note("acme.md", NOTE)
    assert workspace.run("build", "--no-site").exit_code == 0
    folder = cache.cache_dir(workspace.root)
    assert folder is not None
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm"))) == ["cache.sqlite3"]
    marker = tmp_path / "ran"
    for path in folder.iterdir():
        path.write_bytes(pickle.dumps(Payload(marker)))
    workspace.feed.unlink()
    result = workspace.run("build", "--no-site")
    assert result.exit_code == 0, result.output
    assert not marker.exists() and workspace.feed.is_file()


@pytest.mark.parametrize("value", [
    b'{"interview": {"company": 5}, "problems": []}',
    b'{"problems": [["x", "one", "m", "error"]], "interview": null}',
    b'{"inputs": "x", "outputs": {}, "report": "not a report"}',
    b"[1, 2, 3]",
    b"\x80 not JSON",
    pickle.dumps(Payload(Path("/nonexistent"))),
])
def test_a_well_formed_cache_entry_of_the_wrong_shape_is_not_used(workspace: Workspace, value: bytes) -> None:
    """Every entry (the notes' and the last build's) holding what a real one would not: the
    commands work as with no cache, and give the same bytes."""
    workspace.note("acme.md", NOTE)
    assert workspace.run("build", "--no-site").exit_code == 0
    feed, index = workspace.feed.read_bytes(), workspace.index.read_bytes()
    folder = cache.cache_dir(workspace.root)
    assert folder is not None
    store = sqlite3.connect(folder / "cache.sqlite3")
    with store:
        store.execute("UPDATE entries SET value = ?", (value,))
    store.close()
    for command in ("status", "build"):
        result = workspace.run(command, *(["--no-site"] if command == "build" else []))
        assert result.exit_code == 0, result.output
        assert "Acme" in result.output or command == "build"
    assert workspace.feed.read_bytes() == feed and workspace.index.read_bytes() == index


def test_a_foreign_hook_in_mkdocs_yml_is_named_before_it_runs(workspace: Workspace) -> None:
    workspace.note("acme.md", NOTE)
    workspace.with_site()
    config = workspace.root / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "  - hooks/followup_hook.py", "  - hooks/followup_hook.py\n  - hooks/other.py"
    ))
    (workspace.root / "hooks" / "other.py").write_text("")
    result = workspace.run("build")
    assert result.exit_code == 0, result.output
    assert "warning: mkdocs.yml runs the hook hooks/other.py" in result.stderr
    config.write_text(config.read_text().replace("  - hooks/other.py\n", ""))
    assert "warning" not in workspace.run("build").stderr


# -- 5, 6: one change at a time -------------------------------------------------


def test_concurrent_recordings_on_one_note_are_all_kept_or_refused(workspace: Workspace) -> None:
    path = workspace.note("acme.md", NOTE)
    commands = [
        ("done", "acme", "thank-you", "--date", "2026-11-20"),
        ("done", "acme", "review", "--date", "2026-11-21"),
        ("done", "acme", "follow-up", "--date", "2026-11-27"),
        ("outcome", "acme", "rejected"),
    ]
    expected = ["thank_you_sent: 2026-11-20", "notes_reviewed: 2026-11-21", "2026-11-27", "outcome: rejected"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tooling")}
    for _ in range(6):
        path.write_text(NOTE.lstrip("\n"))
        running = [
            subprocess.Popen([sys.executable, "-m", "followup", "-C", str(workspace.root), *command],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            for command in commands
        ]
        results = [(process.wait(60), *process.communicate()) for process in running]
        text = path.read_text()
        for (code, _out, err), change in zip(results, expected, strict=True):
            if code == 0:
                assert change in text, f"exit 0 but {change} lost:\n{text}"
            else:
                assert "Traceback" not in err and "Error:" in err, err


def _holder(lock: Path) -> subprocess.Popen[str]:
    """Another process holding the build lock until its stdin is closed: a build elsewhere."""
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, os, sys; h = os.open(sys.argv[1], os.O_RDONLY); "
         "fcntl.flock(h, fcntl.LOCK_EX); print('held', flush=True); sys.stdin.read()", str(lock)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    return holder


def test_a_lock_file_committed_as_a_link_makes_no_file_where_it_points(workspace: Workspace, tmp_path: Path) -> None:
    workspace.note("acme.md", NOTE)
    target = tmp_path / "elsewhere" / "planted"
    target.parent.mkdir()
    (workspace.root / ".followup.lock").symlink_to(target)
    assert workspace.run("build", "--no-site").exit_code == 0
    assert not target.exists()


def test_a_second_build_says_it_waits_and_builds_once_the_first_is_done(workspace: Workspace) -> None:
    """Driven by what the processes say, not by how long anything takes: the lock is held, the
    build says it waits, the lock is let go, the build finishes."""
    workspace.note("acme.md", NOTE)
    holder = _holder(workspace.root)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tooling")}
    build = subprocess.Popen(
        [sys.executable, "-m", "followup", "-C", str(workspace.root), "build", "--no-site", "--today", "2026-11-26"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        assert build.stderr is not None
        said = build.stderr.readline()
        assert "Another followup command is building" in said and "waiting for it to finish" in said
        assert build.poll() is None and not workspace.feed.exists()  # it waits, and wrote nothing
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(60)
    assert build.wait(120) == 0, build.stderr.read() if build.stderr else ""
    assert workspace.feed.is_file()


def test_a_killed_build_leaves_no_lock_that_blocks_the_next(workspace: Workspace) -> None:
    workspace.note("acme.md", NOTE)
    holder = _holder(workspace.root)
    holder.send_signal(signal.SIGKILL)
    holder.wait(10)
    result = cli(workspace, "build", "--no-site", "--today", "2026-11-26", timeout=60)
    assert result.returncode == 0, result.stderr


def test_two_builds_at_once_both_give_the_whole_site(workspace: Workspace) -> None:
    for day in range(10, 20):
        workspace.note(f"2026-11-{day}-acme.md", NOTE.replace("2026-11-20", f"2026-11-{day}"))
    workspace.with_site()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tooling")}
    command = [sys.executable, "-m", "followup", "-C", str(workspace.root), "build", "--today", "2026-11-26"]
    running = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(2)]
    codes = [process.wait(300) for process in running]
    assert codes == [0, 0], [process.communicate() for process in running]
    built = sorted(p.relative_to(workspace.root / "site") for p in (workspace.root / "site").rglob("*"))
    shutil.rmtree(workspace.root / "site")
    assert workspace.run("build").exit_code == 0
    assert built == sorted(p.relative_to(workspace.root / "site") for p in (workspace.root / "site").rglob("*"))
    assert not (workspace.root / ".site.new").exists()


# -- 7: the site swap -----------------------------------------------------------


def test_the_site_is_whole_at_every_instant_of_the_swap(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace.note("acme.md", NOTE)
    workspace.with_site()
    assert workspace.run("build").exit_code == 0
    renames: list[tuple[Path, Path]] = []
    real_rename = Path.rename

    def killed_after_one_rename(self: Path, target: Any) -> Any:
        renames.append((self, Path(target)))
        if len(renames) > 1:
            raise KeyboardInterrupt  # the process is killed here
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", killed_after_one_rename)
    workspace.note("acme.md", NOTE.replace("Acme", "Acme Two"))
    with contextlib.suppress(KeyboardInterrupt):
        workspace.run("build")
    assert (workspace.root / "site" / "index.html").is_file()
    assert (workspace.root / "site" / "progress.html").is_file()


def test_every_temporary_name_is_git_ignored(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    shutil.copy(ROOT / ".gitignore", tmp_path / ".gitignore")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    names = [".site.new/index.html", ".site.old/index.html", "docs/.followup.ics.abc123.tmp",
             "interviews/.note.md.x1.tmp", ".followup.lock", ".followup-cache/notes.pickle"]
    found = subprocess.run(["git", "-C", str(tmp_path), "check-ignore", *names],
                           capture_output=True, text=True, check=False)
    assert found.stdout.split() == names


# -- 8, 9, 10: never lose the reminders -----------------------------------------


def _built(workspace: Workspace) -> dict[str, bytes]:
    docs = workspace.root / "docs"
    return {str(p.relative_to(docs)): p.read_bytes() for p in docs.rglob("*") if p.is_file()}


def test_a_missing_notes_folder_is_an_error_and_nothing_is_written(workspace: Workspace, tmp_path: Path) -> None:
    workspace.note("acme.md", NOTE)
    assert workspace.run("build", "--no-site").exit_code == 0
    before = _built(workspace)
    disk = tmp_path / "disk" / "interviews"
    shutil.move(workspace.root / "interviews", disk)
    (workspace.root / "interviews").symlink_to(disk)
    assert workspace.run("build", "--no-site").exit_code == 0  # a link to a mounted disk is fine
    shutil.rmtree(disk)  # the disk is unmounted
    for command in ("build", "status", "check"):
        result = workspace.run(command, *(["--no-site"] if command == "build" else []))
        assert result.exit_code == 1, (command, result.output)
        assert "no notes folder" in result.output and "Traceback" not in result.output
    assert _built(workspace) == before


def test_an_unreadable_notes_folder_is_an_error(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace.note("acme.md", NOTE)
    workspace.note("2025/old.md", NOTE.replace("Acme", "Old"))
    assert workspace.run("build", "--no-site").exit_code == 0
    before = _built(workspace)
    folder = workspace.root / "interviews" / "2025"
    folder.chmod(0o300)
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:  # what the kernel says to anyone but root
        if os.fspath(path) == str(folder):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_scandir(path)

    if os.geteuid() == 0:
        monkeypatch.setattr(os, "scandir", scandir)
    try:
        result = workspace.run("build", "--no-site")
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 1
    assert "cannot read the folder" in result.output and "2025" in result.output
    assert _built(workspace) == before


def test_build_outside_a_workspace_writes_nothing(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from followup.cli import cli as command

    empty = tmp_path / "not-a-workspace"
    empty.mkdir()
    for args in (["build"], ["build", "--no-site"]):
        result = CliRunner().invoke(command, ["-C", str(empty), *args])
        assert result.exit_code == 1, result.output
        assert list(empty.iterdir()) == []
        folder = cache.cache_dir(empty)
        assert folder is None or not folder.exists()
    result = CliRunner().invoke(command, ["-C", str(tmp_path / "missing"), "build"])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_a_note_that_cannot_be_read_is_an_error_not_an_empty_page(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workspace.note("acme.md", NOTE)
    workspace.with_site()
    assert workspace.run("build").exit_code == 0
    path.chmod(0o000)  # and, as root reads it anyway, opening it fails as it would for a user
    real_open = builtins.open

    def opening(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file).endswith("acme.md"):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", opening)
    try:
        result = workspace.run("build")
    finally:
        path.chmod(0o644)
    assert result.exit_code == 1
    assert "interviews/acme.md:1: cannot read the file: Permission denied" in result.output
    assert "What we talked about." in (workspace.root / "site" / "interviews" / "acme.html").read_text()


# -- 11, 12: one page per note, notes inside the workspace ----------------------


def test_two_notes_that_would_share_a_page_are_an_error_naming_both(workspace: Workspace) -> None:
    workspace.note("Acme Corp.md", NOTE)
    workspace.note("acme-corp.md", NOTE.replace("Engineer", "Designer"))
    for command in ("check", "build"):
        result = workspace.run(command, *(["--no-site"] if command == "build" else []))
        assert result.exit_code == 1
        assert "interviews/Acme Corp.md:1: this note and interviews/acme-corp.md would share" in result.output
        assert "interviews/acme-corp.md:1: this note and interviews/Acme Corp.md would share" in result.output
    assert not workspace.feed.exists()


def test_a_note_linked_from_outside_is_an_error(workspace: Workspace, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text(NOTE.lstrip("\n"))
    workspace.note("acme.md", NOTE.replace("Acme", "Globex"))
    (workspace.root / "interviews" / "linked.md").symlink_to(outside)
    for command in ("build", "check", "status"):
        result = workspace.run(command, *(["--no-site"] if command == "build" else []))
        assert result.exit_code == 1, result.output
        assert "linked.md is a link to" in result.output and "outside the workspace" in result.output
    assert workspace.run("done", str(outside), "thank-you").exit_code != 0
    assert outside.read_text() == NOTE.lstrip("\n")


def test_done_on_a_link_inside_the_workspace_edits_its_target_and_keeps_the_link(workspace: Workspace) -> None:
    shelf = workspace.root / "shelf" / "acme.md"
    shelf.parent.mkdir()
    shelf.write_text(NOTE.lstrip("\n"))
    link = workspace.root / "interviews" / "current.md"
    link.symlink_to(Path("..") / "shelf" / "acme.md")
    assert workspace.run("build", "--no-site").exit_code == 0
    result = workspace.run("done", "interviews/current.md", "thank-you", "--date", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == "../shelf/acme.md"
    assert "thank_you_sent: 2026-11-20" in shelf.read_text()
    result = workspace.run("done", "acme", "review", "--date", "2026-11-21")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and "notes_reviewed: 2026-11-21" in shelf.read_text()


# -- 13: broken state, cache and configuration ---------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '{"events": {"a": {"content": "x", "time": "t", "sequence": -5, "modified": "2026-11-20T10:00:00Z"}}}',
        '{"events": {"a": {"content": "x", "time": "t", "sequence": 1180591620717411303424, '
        '"modified": "2026-11-20T10:00:00Z"}}}',
        '{"events": {"a": {"content": "x", "time": "t", "sequence": 1e400, "modified": "2026-11-20T10:00:00Z"}}}',
        '{"events": {"a": {"content": "x", "time": "t", "sequence": NaN, "modified": "2026-11-20T10:00:00Z"}}}',
        '{"events": {"a": {"content": "x", "time": "t", "sequence": true, "modified": "2026-11-20T10:00:00Z"}}}',
        '{"events": {"a": {"content": "x", "time": "t", "sequence": 1, "modified": "9999-12-31T23:59:59Z"}}}',
        '{"events": {"a": {"content": 5, "time": "t", "sequence": 1, "modified": "2026-11-20T10:00:00Z"}}}',
        '{"events": []}',
        "[" * 100_000 + "]" * 100_000,
        b'{"events": {}, "feed_secret": "\xff\xfe"}',
    ],
    ids=["negative", "2^70", "1e400", "nan", "bool", "year-9999", "content-number", "list", "deep", "not-utf8"],
)
def test_a_bad_state_file_is_a_clear_error(workspace: Workspace, text: str | bytes) -> None:
    workspace.note("acme.md", NOTE)
    state = workspace.root / "followup-state.json"
    state.write_bytes(text if isinstance(text, bytes) else text.encode())
    result = workspace.run("build", "--no-site")
    assert result.exit_code == 1
    assert "followup-state.json:1: not a valid state file" in result.output
    assert "restore it from version control, or delete it" in result.output
    assert not workspace.feed.exists()


def test_a_deeply_nested_unknown_key_gives_a_message_in_done(workspace: Workspace) -> None:
    deep = "x: " + "[" * 900 + "]" * 900
    workspace.note("acme.md", NOTE.replace("---\nWhat", deep + "\n---\nWhat"))
    result = workspace.run("done", "acme", "thank-you")
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output and "RecursionError" not in result.output
    if result.exit_code:
        assert "nested too deeply" in result.output


def test_a_configuration_that_is_not_utf8_is_a_clear_error(workspace: Workspace) -> None:
    workspace.note("acme.md", NOTE)
    (workspace.root / "followup.toml").write_bytes(b'timezone = "Europe/London"\nsite_url = "\xff"\n')
    result = workspace.run("status")
    assert result.exit_code == 1
    assert "followup.toml: byte 40 is not UTF-8 text; save the file as UTF-8" in result.output


# -- 14: nothing a note holds can drive the terminal ------------------------------


def test_status_and_check_print_no_control_characters(workspace: Workspace) -> None:
    workspace.note("acme.md", NOTE.replace("company: Acme", 'company: "Acme\\e]0;title\\a\\e[2J\\u202e"'))
    workspace.note("bad\x1b[31m\nname.md", NOTE.replace("role: Engineer", "role: [a, b]"))
    for command in ("status", "check"):
        result = workspace.run(command)
        for text in (result.stdout, result.stderr):
            assert not any(ch in text for ch in "\x1b\x07\u202e"), (command, text)
        assert "Acme\\x1b]0;title\\x07" in result.output or command == "check"
    lines = workspace.run("check").stdout.splitlines()
    assert any(line.startswith("interviews/bad\\x1b[31m\\nname.md:3:") for line in lines), lines
    result = workspace.run("check", "--format", "json")
    assert "\x1b" not in result.stdout and json.loads(result.stdout)[0]["path"].startswith("interviews/bad\x1b")


# -- 15: limits no real note reaches -------------------------------------------------


def test_too_many_people_and_too_many_bytes_are_errors_with_the_number(workspace: Workspace) -> None:
    people = "\n".join(f"  - Person {n} <p{n}@acme.example>" for n in range(101))
    workspace.note("crowd.md", NOTE.replace("interviewers: Jane Roe <jane@acme.example>", f"interviewers:\n{people}"))
    workspace.note("listed.md", NOTE.replace(
        "Jane Roe <jane@acme.example>", '"' + ", ".join(f"P{n} <p{n}@a.example>" for n in range(101)) + '"'
    ).replace("Acme", "Listed"))
    workspace.note("big.md", NOTE.replace("Acme", "Big") + "x" * (1024 * 1024))
    result = workspace.run("check")
    assert result.exit_code == 1
    assert "interviews/crowd.md:6: 'interviewers' lists more than 100 people" in result.output
    assert "interviews/listed.md:5: 'interviewers' lists more than 100 people" in result.output
    assert "interviews/big.md:1: the note is 1,048,700 bytes" in result.output
    assert "more than the 1,048,576 a note may have" in result.output


# -- 16: a full disk ---------------------------------------------------------------


def test_a_disk_that_fills_during_the_site_build_names_the_output_and_keeps_the_old_site(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace.note("acme.md", NOTE)
    workspace.with_site()
    assert workspace.run("build").exit_code == 0
    site = {p: p.read_bytes() for p in (workspace.root / "site").rglob("*") if p.is_file()}

    def full(source: str, target: str, *args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", target)

    monkeypatch.setattr(shutil, "copyfile", full)
    workspace.note("acme.md", NOTE.replace("Acme", "Acme Two"))
    result = workspace.run("build")
    assert result.exit_code == 1
    assert "could not write the site into site/ (No space left on device)" in result.output
    assert "material" not in result.output
    assert {p: p.read_bytes() for p in (workspace.root / "site").rglob("*") if p.is_file()} == site
    assert not (workspace.root / ".site.new").exists()


def test_a_disk_that_fills_while_writing_the_feed_names_the_feed(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from followup import fsutil

    workspace.note("acme.md", NOTE)

    def full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(fsutil, "atomic_write", full)
    result = workspace.run("build", "--no-site")
    assert result.exit_code == 1
    assert "could not write docs/followup.ics (No space left on device)" in result.output


def test_a_value_too_long_and_an_application_with_too_many_rounds_are_errors(workspace: Workspace) -> None:
    workspace.note("long.md", NOTE.replace("company: Acme", "company: " + "A*[b]_ " * 300))
    for n in range(51):
        when = f"2026-11-{1 + n % 28:02d} {n % 24:02d}:00"
        workspace.note(f"round-{n:02d}.md", NOTE.replace("Acme", "Crowded").replace("2026-11-20 14:00", when))
    result = workspace.run("check")
    assert result.exit_code == 1
    assert "interviews/long.md:2: 'company' is 2,099 characters long, more than the 2,000" in result.output
    assert "interviews/round-50.md:1: this note is one of 51 rounds of 'crowded / engineer'" in result.output
    (workspace.root / "interviews" / "round-50.md").unlink()
    (workspace.root / "interviews" / "long.md").unlink()
    assert workspace.run("check").exit_code == 0


def test_each_interviewer_has_a_row_of_its_own(workspace: Workspace) -> None:
    from followup.build import generate
    from followup.clock import Clock
    from followup.workspace import Workspace as OnDisk

    people = "\n".join(f"  - Person {n} <p{n}@acme.example>" for n in range(3))
    workspace.note("acme.md", NOTE.replace("interviewers: Jane Roe <jane@acme.example>", f"interviewers:\n{people}"))
    generate(OnDisk.open(workspace.root), Clock.fixed(date(2026, 11, 26)), pages_too=True)
    page = (workspace.root / "docs" / "interviews" / "acme.md").read_text()
    rows = [line for line in page.splitlines() if line.startswith(("| Interviewers |", "|   |"))]
    assert len(rows) == 3 and rows[0].startswith("| Interviewers | Person 0 ") and rows[1].startswith("|   | Person 1 ")
