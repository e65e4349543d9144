"""Errors a user can cause and fix, and the problems found in notes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


class FollowupError(Exception):
    """A problem the user can fix; the command line prints it as `Error: ...` and exits 1."""


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    """One thing wrong with a note (or the configuration), located by file and line."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}"


class NotesInvalid(FollowupError):
    """Raised when a command cannot go on because some notes have errors."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        files = {p.path for p in errors}
        super().__init__(
            f"{len(errors)} problem(s) in {len(files)} note(s); fix them "
            "(or run `followup check` to list them again)"
        )
