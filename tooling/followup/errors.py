"""Errors a user can cause and fix, and the problems found in notes."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


_KEPT = frozenset("\n\u200c\u200d")  # line breaks between lines, joiners inside words


def printable(text: str) -> str:
    """Text safe for a terminal: every control or format character (an escape sequence that
    sets the title or clears the screen, a bidi override) shown as an escape, not obeyed."""
    if text.isprintable():
        return text
    return "".join(
        ch if ch in _KEPT or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp")
        else ascii(ch)[1:-1]
        for ch in text
    )


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
        return printable(f"{self.path}:{self.line}: {prefix}{self.message}").replace("\n", "\\n")

    def __reduce__(self) -> tuple[type[Problem], tuple[str, int, str, Severity]]:
        # Pickled by value: a slotted dataclass otherwise goes through `fields()` each time.
        return (Problem, (self.path, self.line, self.message, self.severity))


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


class Problems:
    """The errors and the warnings among a result's `problems`."""

    __slots__ = ()
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")
