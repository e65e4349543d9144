"""The build cache and the fast feed: faster, never different."""

from __future__ import annotations

import json
import os
import pickle
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FEED_DIFFERS, Workspace
from followup import cache
from followup.out import eventtext
from followup.out import state as state_file

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


def test_a_corrupt_cache_is_ignored(three: Workspace) -> None:
    cold = build(three)
    for path in (cache_folder(three)).iterdir():
        path.write_bytes(b"\x80\x04garbage, not a pickle")
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


def test_notes_parsed_and_applications_made_on_several_cores_give_the_same_feed(
    three: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from followup import outputs, parallel
    from followup.note import workers as notes

    three.note("broken.md", "---\ncompany: Nobody\n---\n")
    serial = three.run("build", "--no-site", "--keep-going")
    serial_feed = three.feed.read_bytes()
    shutil.rmtree(cache_folder(three))
    three.feed.unlink()
    monkeypatch.setattr(notes, "_PARALLEL_FROM", 2)  # what a first build of thousands of notes does
    monkeypatch.setattr(outputs, "_FORK_FROM", 2)  # and of thousands of applications
    forked_work: list[str] = []
    real_map = parallel.forked_map

    def counting_map(function: Any, pieces: Any, workers: int) -> Any:
        forked_work.append(function.__name__)
        return real_map(function, pieces, workers)

    monkeypatch.setattr(parallel, "forked_map", counting_map)
    forked = three.run("build", "--no-site", "--keep-going")
    # The build parses its notes and makes its applications in worker processes (the suite's
    # own check of the feed parses the notes once more).
    assert {"_parse_batch", "_make_piece"} <= set(forked_work), forked_work
    assert forked.exit_code == serial.exit_code == 1
    assert forked.stderr == serial.stderr and "interviews/broken.md:1: missing required key 'role'" in serial.stderr
    assert three.feed.read_bytes() == serial_feed


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


def test_a_short_names_cache_of_the_wrong_shape_is_ignored(three: Workspace) -> None:
    build(three)
    cold = three.index.read_text()
    names = cache_folder(three) / "names.pickle"
    key, found = cache.loads(names.read_bytes())
    for planted in ((key, dict.fromkeys(found, 1)), (key,), (key, {})):
        names.write_bytes(pickle.dumps(planted))
        three.index.unlink()
        build(three)
        assert three.index.read_text() == cold
