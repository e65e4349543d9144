"""What a build did, as `followup build` reports it (and the build cache gives again)."""

from __future__ import annotations

from dataclasses import dataclass

from followup.errors import Problem


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
