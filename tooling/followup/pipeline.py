"""The build: nothing done when nothing it reads changed since the last one (see `cache`),
else every output written again from what changed (`outputs`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from followup import cache
from followup.cachecheck import valid_report_fields
from followup.clock import Clock
from followup.config import CONFIG_FILE
from followup.note.files import Stamp, note_stamps, stamp_of
from followup.out.state import STATE_FILE
from followup.report import BuildReport
from followup.workspace import Workspace

__all__ = ["BuildReport", "generate"]


def generate(
    workspace: Workspace,
    clock: Clock,
    *,
    pages_too: bool,
    keep_going: bool = False,
) -> BuildReport:
    """Write the feed and the index (and the interview pages); files are rewritten only on change.

    When nothing it reads changed since the last build and its outputs are untouched, the
    cache answers with that build's report (see `cache`). Otherwise only the applications
    whose notes changed are planned and written again (see `outputs`). Changed events are
    stamped with `clock.changed`.
    """
    root = workspace.root
    stamps = note_stamps(workspace.notes_dir)
    # The state file by its stamp, like the notes: it is megabytes for a large search.
    inputs, state = (root / CONFIG_FILE,), _stamp_or_none(root / STATE_FILE)
    notes_key = cache.stamps_digest(root, stamps)
    key = cache.fingerprint(notes_key, inputs, clock.today, pages_too, keep_going, state)
    last = _last_build(workspace)
    if last is not None and last.key == key:  # nothing it reads changed since
        previous: BuildReport = last.report
        return replace(previous, written=())
    # Only a build with something to do loads the parser, the planner and the writers.
    from followup.outputs import write

    report, written = write(workspace, clock, stamps, last, pages_too=pages_too, keep_going=keep_going)
    # The key again: saving the state may have changed what the next build will read.
    state = _stamp_or_none(root / STATE_FILE)
    key = cache.fingerprint(notes_key, inputs, clock.today, pages_too, keep_going, state)
    cache.remember_report(root, key, written, report)
    return report


def _stamp_or_none(path: Path) -> Stamp | None:
    try:
        return stamp_of(path)
    except OSError:
        return None


def _last_build(workspace: Workspace) -> cache.LastBuild | None:
    """The last build (see `cache.last_build`), when its report is one."""
    last = cache.last_build(workspace.root)
    if last is None:
        return None
    report = last.report
    if isinstance(report, BuildReport) and valid_report_fields(
        report.interviews, report.events, report.problems, report.skipped, report.written, report.feed
    ):
        return last
    return None
