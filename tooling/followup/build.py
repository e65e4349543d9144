"""The build: every note read, the plan made, and the feed, the index (and, for the site, the
board, the Today panel, the subscribe page and a page per interview) written, each file only
when its content changed.

Notes are parsed once and then found in the cache by their bytes (`note.read`); everything
else is made again on every build. One record is kept besides: what the last build read and
wrote. When a build would read exactly the same (the notes' parsed values, and their bytes
when pages are written; the configuration; the state file; "today"; the options; and, through
the cache's fingerprint, the code and its libraries) and every output it wrote is still as it
left it, its report is given again and nothing is made or written.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from followup.cache import Cache, Record, digest
from followup.clock import Clock
from followup.errors import FollowupError, NotesInvalid, Problem
from followup.feed import calendar, revisions
from followup.feed import state as state_file
from followup.feed.events import EventText
from followup.feed.names import FeedNames, feed_names, remove_stale_feeds
from followup.feed.state import Revision
from followup.fsutil import write_if_changed
from followup.note.read import NoteSet, read_body, read_notes, workspace_notes
from followup.plan import checks
from followup.plan.progress import Progress, progress
from followup.plan.rules import Plan, plan
from followup.plan.shortnames import short_names
from followup.workspace import GENERATED_BOARD, GENERATED_SUBSCRIBE, GENERATED_TODAY, Workspace


@dataclass(frozen=True)
class BuildReport:
    """What a build did, as the command reports it."""

    interviews: int
    events: int
    problems: tuple[Problem, ...]  # the notes' own, then the deeper checks' warnings
    skipped: tuple[str, ...]  # notes left out for their errors (--keep-going)
    written: tuple[str, ...]  # files rewritten because their content changed
    feed: str  # the feed's file in docs/, or "" when its name is secret
    warnings: tuple[str, ...] = ()  # about the output, such as a feed too large for Google
    applied: int = 0  # applications with no interview yet


def generate(workspace: Workspace, clock: Clock, *, pages_too: bool, keep_going: bool = False) -> BuildReport:
    """Write the feed and the index (and the site's generated pages, with `pages_too`); each
    file is rewritten only when its content changed. Changed events are stamped with
    `clock.changed`."""
    root = workspace.root
    with Cache.of(root) as cache:
        notes = read_notes(
            root, workspace.notes_dir, workspace.config.timezone, cache, extra_keys=workspace.config.extra_keys
        )
        if notes.errors and not keep_going:
            raise NotesInvalid(list(notes.problems))
        inputs = _inputs(workspace, clock, notes, pages_too=pages_too, keep_going=keep_going)
        last = cache.get(LAST_BUILD, "last")
        if last is not None and last.inputs == inputs and _unchanged(root, last.outputs):
            return replace(last.report, written=())
        report, outputs = _write(workspace, clock, notes, cache, pages_too=pages_too)
        # Read again: the build may have written the state file, which the next one reads.
        inputs = _inputs(workspace, clock, notes, pages_too=pages_too, keep_going=keep_going)
        cache.put(LAST_BUILD, "last", LastBuild(inputs, _digests(root, outputs), report))
    return report


def _inputs(workspace: Workspace, clock: Clock, notes: NoteSet, *, pages_too: bool, keep_going: bool) -> str:
    """A digest of everything a build reads besides the code (which the cache's fingerprint
    covers): a build with the same digest writes the same bytes."""
    try:
        state = state_file.state_path(workspace.root).read_bytes()
    except FileNotFoundError:
        state = b"(none)"
    return digest(
        repr(workspace.config), clock.today.isoformat(), f"{pages_too} {keep_going}",
        os.environ.get("SOURCE_DATE_EPOCH", ""), notes.values_digest,
        notes.bytes_digest if pages_too else "", state,
    )


def _digests(root: Path, outputs: Sequence[Path]) -> dict[str, str]:
    found = {}
    for path in outputs:
        try:
            found[str(path.relative_to(root))] = digest(path.read_bytes())
        except (OSError, ValueError):
            found[str(path)] = ""  # never matches: the next build writes again
    return found


def _unchanged(root: Path, outputs: Mapping[str, str]) -> bool:
    """Whether every output holds what the last build wrote."""
    for name, expected in outputs.items():
        try:
            if digest((root / name).read_bytes()) != expected:
                return False
        except OSError:
            return False
    return True


def _write(
    workspace: Workspace, clock: Clock, notes: NoteSet, cache: Cache, *, pages_too: bool
) -> tuple[BuildReport, list[Path]]:
    """Make and write every output; the report, and every file written or left as it was."""
    config, today = workspace.config, clock.today
    planned = plan(notes.interviews, config, today)
    names = names_of(workspace, notes)
    known = state_file.load_state(workspace.root)
    feeds = feed_names(config, known.feed_secret)
    writer = _Writer(workspace, known.feed_secret)
    shown = calendar.in_window(planned, config, today)
    texts = calendar.texts(shown, config)
    history = revisions.track(shown, config, known, clock.changed, texts)
    seen = revisions.revisions(shown, config, history)
    feed_data = calendar.render(shown, config, today, seen, texts)
    too_big = calendar.size_warning(len(feed_data))
    outputs = [writer(workspace.docs_dir / feeds.events, feed_data)]
    del feed_data
    the_progress = progress(planned, config, today)
    from followup.pages import progress as progress_page

    outputs.append(writer(workspace.index_path, progress_page.render(the_progress, names)))
    if config.tasks_feed:
        from followup.feed import tasks

        outputs.append(writer(workspace.docs_dir / feeds.tasks, tasks.render(shown, config, today, seen)))
    if pages_too:
        outputs += _pages(workspace, planned, the_progress, today, feeds, names, writer, cache)
    write_if_changed(state_file.state_path(workspace.root), state_file.dump_state(history))
    remove_stale_feeds(workspace.docs_dir, config, {p.name for p in outputs})
    report = BuildReport(
        interviews=sum(1 for i in notes.interviews if i.scheduled),
        events=len(shown.reminders),
        problems=notes.problems + tuple(checks.check(notes.interviews, today, config)),
        skipped=tuple(sorted({p.path for p in notes.errors})),
        written=tuple(writer.written),
        feed="" if feeds.secret else workspace.relative(workspace.docs_dir / feeds.events),
        warnings=(too_big,) if too_big else (),
        applied=sum(1 for i in notes.interviews if not i.scheduled),
    )
    return report, outputs


def names_of(workspace: Workspace, notes: NoteSet) -> dict[str, str]:
    """`{note path as Interview.path: short name}` for every note file, valid or not."""
    folder = workspace.relative(workspace.notes_dir) + "/"
    companies = notes.companies or {}
    found = short_names((path.removeprefix(folder), companies.get(path, "")) for path in notes.files)
    return {path: found[path.removeprefix(folder)] for path in notes.files}


def _pages(
    workspace: Workspace,
    planned: Plan,
    the_progress: Progress,
    today: date,
    feeds: FeedNames,
    names: Mapping[str, str],
    writer: _Writer,
    cache: Cache,
) -> list[Path]:
    """The board, the Today panel, the subscribe page and one page per interview (stale ones
    removed). A note's free text, made safe HTML, is kept in the cache by the text."""
    from followup.pages import board, interview, notebody, subscribe
    from followup.pages import today as today_panel

    config = workspace.config
    outputs = [
        writer(workspace.docs_dir / GENERATED_BOARD, board.render(the_progress)),
        writer(workspace.docs_dir / GENERATED_TODAY, today_panel.render(the_progress)),
    ]
    shown = not feeds.secret or config.show_feed_address
    outputs.append(writer(workspace.docs_dir / GENERATED_SUBSCRIBE, subscribe.render(
        config,
        feeds.events if shown else "",
        tasks_address=feeds.tasks if shown and config.tasks_feed else "",
    )))
    rounds = [i for a in planned.applications for i in a.rounds]
    texts = {each.path: read_body(workspace.root / each.path, each.path) for each in rounds}
    keys = {path: digest(text) for path, text in texts.items()}
    kept = cache.get_many(BODY, set(keys.values()))
    for each in rounds:
        key = keys[each.path]
        body = kept.get(key)
        if body is None:
            body = kept[key] = notebody.embed(texts[each.path])
            cache.put(BODY, key, body)
        page = interview.render(each, planned, today, body, names=names, config=config)
        outputs.append(writer(workspace.pages_dir / f"{each.slug}.md", page))
    cache.keep_only(BODY, kept)
    _remove_stale_pages(workspace.pages_dir, set(outputs))
    return outputs


def _remove_stale_pages(folder: Path, wanted: set[Path]) -> None:
    if not folder.is_dir():
        return
    for path in folder.rglob("*.md"):
        if path not in wanted:
            path.unlink()


class _Writer:
    """Writes an output when its content changed, and remembers which ones it wrote."""

    def __init__(self, workspace: Workspace, secret: str) -> None:
        self.workspace, self.secret = workspace, secret
        self.written: list[str] = []

    def __call__(self, path: Path, content: str | bytes) -> Path:
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        try:
            changed = write_if_changed(path, data)
        except OSError as error:
            shown = self.shown(path)
            raise FollowupError(f"could not write {shown} ({error.strerror or error}); it is as it was") from None
        if changed:
            self.written.append(self.shown(path))
        return path

    def shown(self, path: Path) -> str:
        """The path as messages show it: the feed's secret name kept out (`followup feed url` shows it)."""
        shown = self.workspace.relative(path)
        return shown.replace(self.secret, "<secret>") if self.secret else shown


# -- the last build, as the cache keeps it --------------------------------------------------


@dataclass(frozen=True)
class LastBuild:
    inputs: str  # see `_inputs`
    outputs: dict[str, str]  # each file written or left as it was, by path in the workspace: its digest
    report: BuildReport


def _encode(last: LastBuild) -> Any:
    report = last.report
    return {
        "inputs": last.inputs,
        "outputs": last.outputs,
        "report": {
            "interviews": report.interviews, "events": report.events,
            "problems": [[p.path, p.line, p.message, p.severity] for p in report.problems],
            "skipped": list(report.skipped), "written": list(report.written), "feed": report.feed,
            "warnings": list(report.warnings), "applied": report.applied,
        },
    }


def _decode(value: Any) -> LastBuild:
    report = value["report"]
    outputs = {str(name): str(found) for name, found in value["outputs"].items()}
    return LastBuild(str(value["inputs"]), outputs, BuildReport(
        interviews=int(report["interviews"]), events=int(report["events"]),
        problems=tuple(
            Problem(str(path), int(line), str(message), "warning" if severity == "warning" else "error")
            for path, line, message, severity in report["problems"]
        ),
        skipped=tuple(map(str, report["skipped"])), written=tuple(map(str, report["written"])),
        feed=str(report["feed"]), warnings=tuple(map(str, report["warnings"])),
        applied=int(report["applied"]),
    ))


LAST_BUILD: Record[LastBuild] = Record("last-build", 2, _encode, _decode)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value


BODY: Record[str] = Record("note-body-html", 1, str, _text)


@dataclass(frozen=True)
class FeedEvents:
    """The feed's events as a build writes them: what `followup sync` sends."""

    texts: list[EventText]
    starts: list[tuple[datetime | date, str]]  # each event's start and its interview's zone
    revisions: dict[str, Revision]
    published: frozenset[str]  # every UID the workspace ever published (its state file's)


def feed_events(workspace: Workspace, clock: Clock, *, remember: bool) -> FeedEvents:
    """The plan's events inside the feed's window; like a build, it records each event's
    SEQUENCE and LAST-MODIFIED in the state file (unless `remember` is False)."""
    config, today = workspace.config, clock.today
    made = plan(workspace_notes(workspace).interviews, config, today)
    shown = calendar.in_window(made, config, today)
    texts = calendar.texts(shown, config)
    history = revisions.track(shown, config, state_file.load_state(workspace.root), clock.changed, texts)
    if remember:
        state_file.save_state(workspace.root, history)
    starts = [(r.start, r.interview.timezone) for r in shown.reminders]
    return FeedEvents(texts, starts, revisions.revisions(shown, config, history), frozenset(history.events))
