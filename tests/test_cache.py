"""The cache and the fast feed: faster, never different, never stale."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FEED_DIFFERS, ROOT, TODAY, Workspace
from followup import cache
from followup.feed import events as eventtext
from followup.feed import state as state_file

NOTE = """
---
company: {company}
role: Engineer
date: {date}
interviewers: Jane Roe <jane@{company}.example>
---
notes
"""


def cache_folder(workspace: Workspace) -> Path:
    folder = cache.cache_dir(workspace.root)
    assert folder is not None
    return folder


def build(workspace: Workspace, today: str = "2026-11-26") -> bytes:
    result = workspace.run("build", "--no-site", today=today)
    assert result.exit_code == 0, result.output
    return workspace.feed.read_bytes()


def events_by_uid(data: bytes) -> dict[str, bytes]:
    found = {}
    for chunk in data.split(b"BEGIN:VEVENT\r\n")[1:]:
        body = chunk.split(b"END:VEVENT\r\n")[0].replace(b"\r\n ", b"")
        uid = next(line for line in body.split(b"\r\n") if line.startswith(b"UID:"))
        found[uid.decode()] = body
    return found


@pytest.fixture
def three(workspace: Workspace) -> Workspace:
    notes = (("acme", "2026-11-20 14:00"), ("globex", "2026-11-23 10:00"), ("initech", "2026-11-30 09:00"))
    for company, when in notes:
        workspace.note(f"{company}.md", NOTE.format(company=company, date=when))
    return workspace


def test_warm_build_is_byte_identical_to_a_cold_one(three: Workspace) -> None:
    cold = build(three)
    state = (three.root / "followup-state.json").read_bytes()
    assert (cache_folder(three)).is_dir()
    assert build(three) == cold  # answered by the cache
    shutil.rmtree(cache_folder(three))
    three.feed.unlink()
    assert build(three) == cold
    assert (three.root / "followup-state.json").read_bytes() == state


def test_a_corrupt_cache_is_ignored_and_made_again(three: Workspace) -> None:
    cold = build(three)
    for path in (cache_folder(three)).iterdir():
        path.write_bytes(b"\x80\x04garbage, not a database")
    three.feed.unlink()
    assert build(three) == cold
    assert build(three) == cold  # from the cache made again


def test_an_entry_that_does_not_read_back_is_parsed_again(three: Workspace) -> None:
    cold = build(three)
    store = sqlite3.connect(cache_folder(three) / "cache.sqlite3")
    with store:
        store.execute("UPDATE entries SET value = ?", (b'{"interview": {"company": 5}}',))
    store.close()
    three.feed.unlink()
    assert build(three) == cold


def test_a_deleted_output_is_written_again(three: Workspace) -> None:
    cold = build(three)
    three.feed.unlink()
    assert build(three) == cold
    three.index.write_text("edited by hand")
    build(three)
    assert "Where every application stands" in three.index.read_text()


def test_a_changed_note_changes_exactly_its_own_events(three: Workspace) -> None:
    before = events_by_uid(build(three))
    note = three.root / "interviews" / "globex.md"
    note.write_text(note.read_text().replace("2026-11-23 10:00", "2026-11-23 11:00"))
    after = events_by_uid(build(three))
    changed = {uid for uid in before.keys() | after.keys() if before.get(uid) != after.get(uid)}
    # The interview moved an hour: it, and what falls an hour after it, moved; its follow-up
    # (09:00 a week later) and the other notes' events are the same bytes as before.
    assert changed == {f"UID:globex.{kind}@interview-followup" for kind in ("interview", "thank-you", "review-notes")}


def test_a_changed_configuration_changes_exactly_what_it_governs(three: Workspace) -> None:
    before = events_by_uid(build(three))
    three.config('timezone = "Europe/London"\nreminder_hour = 8\n')
    after = events_by_uid(build(three))
    changed = {uid for uid in after if before.get(uid) != after[uid]}
    kinds = {uid.split(".")[1].split("@")[0].rstrip("-0123456789") for uid in changed}
    assert kinds == {"follow-up", "prepare"}  # the 09:00 reminders; interviews and thanks stay


def test_a_new_today_changes_exactly_what_depends_on_it(three: Workspace) -> None:
    before = events_by_uid(build(three, today="2026-11-26"))
    after = events_by_uid(build(three, today="2026-12-01"))
    # Initech's interview (30 Nov) has happened: its prepare reminder is gone; nothing else moved.
    assert before.keys() - after.keys() == {"UID:initech.prepare@interview-followup"}
    assert all(after[uid] == before[uid] for uid in after)


def test_a_note_touched_but_unchanged_gives_the_same_feed(three: Workspace) -> None:
    cold = build(three)
    note = three.root / "interviews" / "acme.md"
    os.utime(note, ns=(note.stat().st_atime_ns, note.stat().st_mtime_ns + 10**9))
    assert build(three) == cold


def test_the_fast_feed_is_checked_against_icalendar(three: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check every test build runs catches a fast path that drifts from icalendar."""
    monkeypatch.setattr(eventtext, "escape", lambda text: text)  # forget to escape commas
    with pytest.raises(AssertionError, match=FEED_DIFFERS):
        three.run("build", "--no-site")


@settings(max_examples=2000, deadline=None)
@given(st.text(st.sampled_from("ab\\^,;é€😀 \u0301"), max_size=400))
def test_folding_is_exactly_icalendars(line: str) -> None:
    from icalendar.parser.string import _foldline

    assert eventtext.fold(line) == _foldline(line)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=20),
        # hypothesis bounds are naive; the drawn times get UTC below
        st.tuples(st.integers(0, 99), st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1))),  # noqa: DTZ001
        max_size=5,
    ),
    st.sampled_from(["", "abcdefghijklmnopqrstuv"]),
)
def test_the_state_file_is_the_json_it_claims_to_be(events: dict[str, tuple[int, datetime]], secret: str) -> None:
    seen = {
        uid: state_file.Seen("c" * 32, "t" * 32, n, moment.replace(microsecond=0, tzinfo=UTC))
        for uid, (n, moment) in events.items()
    }
    state = state_file.State(seen, secret)
    data = {
        "version": state_file.STATE_VERSION,
        "events": {
            uid: {"content": "c" * 32, "time": "t" * 32, "sequence": n, "modified": f"{moment:%Y-%m-%dT%H:%M:%SZ}"}
            for uid, (n, moment) in events.items()
        },
    }
    if secret:
        data["feed_secret"] = secret
    expected = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert state_file.dump_state(state) == expected.encode()


def test_after_edits_and_a_removal_the_cache_agrees_with_a_cold_build(three: Workspace) -> None:
    build(three)
    note = three.root / "interviews" / "globex.md"
    for hour in ("11:00", "12:00"):  # two edits: the later parse must win over the cached one
        note.write_text(note.read_text().replace("10:00", hour).replace("11:00", hour))
        build(three)
    (three.root / "interviews" / "acme.md").unlink()
    warm = build(three)
    assert b"acme." not in warm and b"DTSTART;TZID=Europe/London:20261123T120000" in warm
    shutil.rmtree(cache_folder(three))
    three.feed.unlink()
    assert build(three) == warm



def _cold_index(workspace: Workspace) -> str:
    shutil.rmtree(cache_folder(workspace))
    workspace.index.unlink()
    build(workspace)
    return workspace.index.read_text()


def _done_names(index: str) -> set[str]:
    return {line.split()[2] for line in index.splitlines() if line.startswith("followup done ")}


def test_short_names_follow_added_renamed_and_deleted_notes(three: Workspace) -> None:
    build(three)
    assert "acme" in _done_names(three.index.read_text())
    notes = three.root / "interviews"
    # A second Acme note: `acme` no longer names one note, in the warm index as in a cold one.
    three.note("acme-onsite.md", NOTE.format(company="acme", date="2026-11-25 10:00"))
    build(three)
    warm = three.index.read_text()
    assert "acme" not in _done_names(warm) and "onsite" in _done_names(warm)
    assert warm == _cold_index(three)
    (notes / "acme-onsite.md").rename(notes / "acme-final.md")
    build(three)
    warm = three.index.read_text()
    assert "final" in _done_names(warm) and "onsite" not in _done_names(warm)
    assert warm == _cold_index(three)
    (notes / "acme-final.md").unlink()
    build(three)
    warm = three.index.read_text()
    assert "acme" in _done_names(warm) and warm == _cold_index(three)


def test_short_names_follow_a_changed_company(three: Workspace) -> None:
    build(three)
    note = three.root / "interviews" / "initech.md"
    note.write_text(note.read_text().replace("company: initech", "company: acme"))
    build(three)
    warm = three.index.read_text()
    assert "acme" not in _done_names(warm) and warm == _cold_index(three)


# -- nothing a warm build gives can be stale ------------------------------------------------


def _outputs(root: Path) -> dict[str, bytes]:
    names = ("docs/followup.ics", "docs/progress.md", "followup-state.json")
    return {name: (root / name).read_bytes() for name in names}


class Copies:
    """A workspace built by `followup` in another process, from a copy of the package (so that
    a test may change its code), with its cache in a folder of its own."""

    def __init__(self, tmp_path: Path, workspace: Workspace) -> None:
        self.tmp_path, self.root = tmp_path, workspace.root
        self.package = tmp_path / "code"
        shutil.copytree(ROOT / "tooling" / "followup", self.package / "followup",
                        ignore=shutil.ignore_patterns("__pycache__"))
        self.paths = [str(self.package)]

    def run(self, root: Path, cache_home: Path) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(self.paths), "XDG_CACHE_HOME": str(cache_home),
               "PYTHONDONTWRITEBYTECODE": "1"}  # Python's own bytecode cache trusts size and time
        env.pop("SOURCE_DATE_EPOCH", None)
        command = [sys.executable, "-m", "followup", "-C", str(root), "build", "--no-site", "--today", TODAY]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        return done

    def warm_equals_cold(self) -> dict[str, bytes]:
        """Build the workspace with its warm cache, and a copy of it with none: the same bytes."""
        fresh = self.tmp_path / f"fresh-{len(list(self.tmp_path.glob('fresh-*')))}"
        shutil.copytree(self.root, fresh)
        warm = self.run(self.root, self.tmp_path / "cache")
        cold = self.run(fresh, fresh.with_name(fresh.name + "-cache"))
        assert warm.stdout.replace(str(self.root), "") == cold.stdout.replace(str(fresh), "")
        assert _outputs(self.root) == _outputs(fresh)
        return _outputs(self.root)


def test_a_rule_changed_with_its_file_size_and_time_kept_is_seen(three: Workspace, tmp_path: Path) -> None:
    copies = Copies(tmp_path, three)
    before = copies.warm_equals_cold()
    rules = copies.package / "followup" / "plan" / "rules.py"
    kept = rules.stat()
    text = rules.read_text(encoding="utf-8")
    changed = text.replace("REMINDER_MINUTES = 30", "REMINDER_MINUTES = 45")  # the same size
    assert changed != text and len(changed) == len(text)
    rules.write_text(changed, encoding="utf-8")
    os.utime(rules, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    after = copies.warm_equals_cold()
    assert after["docs/followup.ics"] != before["docs/followup.ics"]
    assert b"DTEND;TZID=Europe/London:20261127T094500" in after["docs/followup.ics"]


def test_a_library_release_that_adds_a_holiday_is_seen(three: Workspace, tmp_path: Path) -> None:
    three.config('timezone = "Europe/London"\nholidays = "GB"\n')
    copies = Copies(tmp_path, three)
    before = copies.warm_equals_cold()
    # A "newer" holidays, first on the path, that makes Friday 27 November a holiday: Acme's
    # follow-up (due that day) moves to Monday.
    release = tmp_path / "newer"
    (release / "holidays").mkdir(parents=True)
    (release / "holidays" / "__init__.py").write_text(
        "from datetime import date\n"
        "def list_supported_countries():\n    return {'GB': []}\n"
        "def country_holidays(country, subdiv=None):\n    return {date(2026, 11, 27): 'New holiday'}\n",
        encoding="utf-8",
    )
    (release / "holidays-999.0.dist-info").mkdir()
    (release / "holidays-999.0.dist-info" / "METADATA").write_text("Name: holidays\nVersion: 999.0\n")
    copies.paths.insert(0, str(release))
    after = copies.warm_equals_cold()
    assert after["docs/followup.ics"] != before["docs/followup.ics"]
    assert b"DTSTART;TZID=Europe/London:20261130T090000" in after["docs/followup.ics"]


def test_a_note_deleted_and_another_made_in_its_place_is_never_named_again(workspace: Workspace) -> None:
    good = workspace.note("a-typos.md", NOTE.format(company="acme", date="2026-11-20 14:00"))
    workspace.note("b-broken.md", NOTE.format(company="globex", date="2026-13-01 10:00"))
    first = workspace.run("build", "--no-site")
    assert first.exit_code == 1 and "interviews/b-broken.md:4:" in first.stderr
    kept = good.stat()
    good.unlink()  # a new file of the same size and time, most likely on the same inode
    made = workspace.note("c-other.md", NOTE.format(company="acmf", date="2026-11-31 14:00"))
    os.utime(made, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    second = workspace.run("build", "--no-site")
    assert "a-typos" not in second.stderr
    assert "interviews/c-other.md:4:" in second.stderr and "interviews/b-broken.md:4:" in second.stderr
    shutil.rmtree(cache_folder(workspace))
    assert workspace.run("build", "--no-site").stderr == second.stderr


def test_the_cache_folder_is_private_to_the_user(three: Workspace) -> None:
    build(three)
    folder = cache_folder(three)
    for path in (folder.parent, folder):
        assert path.stat().st_mode & 0o777 == 0o700, path
    assert (folder / "cache.sqlite3").stat().st_mode & 0o777 == 0o600


def test_the_fingerprint_follows_the_code_bytes_and_the_installed_libraries(tmp_path: Path) -> None:
    before = cache.fingerprint()
    cache.fingerprint.cache_clear()
    assert cache.fingerprint() == before  # the same code and libraries: the same fingerprint
    site = tmp_path / "site"
    (site / "somelib-1.0.dist-info").mkdir(parents=True)
    sys.path.append(str(site))
    try:
        cache.fingerprint.cache_clear()
        with_one = cache.fingerprint()
        (site / "somelib-1.0.dist-info").rename(site / "somelib-1.1.dist-info")
        cache.fingerprint.cache_clear()
        with_other = cache.fingerprint()
    finally:
        sys.path.remove(str(site))
        cache.fingerprint.cache_clear()
    assert len({before, with_one, with_other}) == 3
