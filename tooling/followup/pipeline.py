"""The build pipeline: notes read, reminders planned, then the feed, the index and the
pages written, each only when its content changed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from followup import cache, loading
from followup.cachecheck import valid_report_fields
from followup.clock import Clock
from followup.config import CONFIG_FILE
from followup.errors import FollowupError, Problem
from followup.fsutil import write_if_changed
from followup.note import body as notebody
from followup.note.files import note_stamps
from followup.note.read import read_body
from followup.out import board, feed, index, pages, revisions, tasks
from followup.out import state as state_file
from followup.out import today as today_panel
from followup.out.subscription import FeedNames, feed_names, remove_stale_feeds
from followup.plan import checks
from followup.plan.progress import progress
from followup.plan.rules import Plan, plan
from followup.plan.shortnames import short_names
from followup.site.builder import (
    _AnyTagLoader,
)
from followup.workspace import GENERATED_BOARD, GENERATED_SUBSCRIBE, GENERATED_TODAY, Workspace


@dataclass(frozen=True)
class BuildReport:
    """What a build did, as the command reports it (and the cache gives again)."""

    interviews: int
    events: int
    problems: tuple[Problem, ...]  # the notes' own, then the deeper checks' warnings
    skipped: tuple[str, ...]  # notes left out for their errors (--keep-going)
    written: tuple[str, ...]  # files rewritten because their content changed
    feed: str  # the feed's file in docs/, or "" when its name is secret
    warnings: tuple[str, ...] = ()  # about the output, such as a feed too large for Google


def generate(
    workspace: Workspace,
    clock: Clock,
    *,
    pages_too: bool,
    keep_going: bool = False,
) -> BuildReport:
    """Write the feed and the index (and the interview pages); files are rewritten only on change.

    When nothing it reads changed since the last build and its outputs are untouched, the
    cache answers with that build's report (see `cache`). Changed events are stamped with
    `clock.changed`.
    """
    today = clock.today
    config = workspace.config
    stamps = note_stamps(workspace.notes_dir)
    inputs = (workspace.root / CONFIG_FILE, state_file.state_path(workspace.root))
    notes_key = cache.stamps_digest(workspace.root, stamps)
    key = cache.fingerprint(notes_key, inputs, today, pages_too, keep_going)
    previous = _cached_report(workspace, key)
    if previous is not None:
        return previous
    notes = loading.read(workspace, keep_going=keep_going, stamps=stamps)
    planned = plan(notes.interviews, config, today)
    shown = feed.in_window(planned, config, today)
    events = feed.texts(shown, config)
    history = revisions.track(shown, config, state_file.load_state(workspace.root), clock.changed, events)
    changes = revisions.revisions(shown, config, history)
    feeds = feed_names(config, history.feed_secret)
    write = _Writer(workspace, history.feed_secret)

    # One output at a time, each let go once written: a large feed is tens of megabytes.
    feed_data = feed.render(shown, config, today, changes, events)
    outputs = [write(workspace.docs_dir / feeds.events, feed_data)]
    too_big = feed.size_warning(len(feed_data))
    del events, feed_data
    the_progress = progress(planned, config, today)
    names = _short_names(workspace, stamps, {i.path: i.company for i in notes.interviews})
    outputs.append(write(workspace.index_path, index.render(the_progress, names)))
    if config.tasks_feed:
        outputs.append(write(workspace.docs_dir / feeds.tasks, tasks.render(shown, config, today, changes)))
    if pages_too:
        outputs.append(write(workspace.docs_dir / GENERATED_BOARD, board.render(the_progress)))
        outputs.append(write(workspace.docs_dir / GENERATED_TODAY, today_panel.render(the_progress)))
        outputs += [write(path, text) for path, text in _pages(workspace, planned, today, feeds, names)]
        _remove_stale_pages(workspace.pages_dir, set(outputs))
    state_file.save_state(workspace.root, history)
    remove_stale_feeds(workspace.docs_dir, config, {p.name for p in outputs})
    report = BuildReport(
        interviews=len(notes.interviews),
        events=len(shown.reminders),
        problems=notes.problems + tuple(checks.check(notes.interviews, today, config)),
        skipped=tuple(sorted({p.path for p in notes.errors})),
        written=tuple(write.written),
        feed="" if feeds.secret else workspace.relative(workspace.docs_dir / feeds.events),
        warnings=(too_big,) if too_big else (),
    )
    # The key again: saving the state may have changed what the next build will read.
    key = cache.fingerprint(notes_key, inputs, today, pages_too, keep_going)
    cache.remember_report(workspace.root, key, outputs, report)
    return report


def _cached_report(workspace: Workspace, key: str) -> BuildReport | None:
    """The last build's report when nothing it read has changed since, else None."""
    previous = cache.previous_report(workspace.root, key)
    if isinstance(previous, BuildReport) and valid_report_fields(
        previous.interviews, previous.events, previous.problems, previous.skipped, previous.written, previous.feed
    ):
        return replace(previous, written=())
    return None


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


def _short_names(workspace: Workspace, files: Iterable[Path], companies: dict[str, str]) -> dict[str, str]:
    """`{note path as Interview.path: short name}` for every note file, valid or not."""
    inside = {shown: p.relative_to(workspace.notes_dir).as_posix() for p, shown in _shown_paths(workspace, files)}
    pairs = [(name, companies.get(path, "")) for path, name in inside.items()]
    key = hashlib.sha256("".join(f"{name}\0{company}\n" for name, company in pairs).encode()).hexdigest()
    short = cache.cached_names(workspace.root, key)
    if short is None or short.keys() != {name for name, _ in pairs}:
        short = short_names(pairs)
        cache.remember_names(workspace.root, key, short)
    return {path: short[name] for path, name in inside.items()}


def _shown_paths(workspace: Workspace, files: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    """Each file with `workspace.relative(file)`, resolved only where a link may be on the way."""
    prefix = f"{workspace.root}{os.sep}"
    real: dict[Path, bool] = {}
    for path in files:
        folder = path.parent
        if folder not in real:
            real[folder] = os.path.realpath(folder) == str(folder)
        text = str(path)
        if real[folder] and text.startswith(prefix) and not path.is_symlink():
            yield path, text.removeprefix(prefix).replace(os.sep, "/")
        else:
            yield path, workspace.relative(path)


def _pages(
    workspace: Workspace, planned: Plan, today: date, feeds: FeedNames, names: dict[str, str]
) -> Iterator[tuple[Path, str]]:
    """The subscribe page and one page per interview, made one at a time."""
    config = workspace.config
    shown = not feeds.secret or config.show_feed_address
    yield workspace.docs_dir / GENERATED_SUBSCRIBE, pages.subscribe_page(
        config,
        feeds.events if shown else "",
        tasks_address=feeds.tasks if shown and config.tasks_feed else "",
    )
    for interview in (i for a in planned.applications for i in a.rounds):
        body = notebody.embed(read_body(workspace.root / interview.path, interview.path))
        yield workspace.pages_dir / f"{interview.slug}.md", pages.interview_page(
            interview, planned, today, body, names=names, config=config
        )


def _remove_stale_pages(folder: Path, wanted: set[Path]) -> None:
    if not folder.is_dir():
        return
    for path in folder.rglob("*.md"):
        if path not in wanted:
            path.unlink()


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)
