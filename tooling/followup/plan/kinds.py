"""What each kind of reminder is tied to outside the rules: the note key that records it
done, the command that writes that key, and the guide page that explains it.

The rules know none of this; the feed, the index and the pages ask here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI imports this table for its choices, and starts fast without the rules
    from followup.plan.rules import Reminder

# The site is built with `use_directory_urls: false` (mkdocs.yml): a page is `name.html`.
PAGE_SUFFIX = ".html"


@dataclass(frozen=True, slots=True)
class KindLinks:
    """One kind's ties: the note key that closes it ('' when none), and the command that
    writes that key (`{note}` stands for the note's name; '' when none)."""

    guide_page: str  # a path inside docs/
    note_key: str = ""
    command: str = ""

    @property
    def done_action(self) -> str:
        """The action `followup done` takes for this kind, or ''."""
        return self.command.removeprefix("done {note} ") if self.command.startswith("done ") else ""


# Keyed by `rules.Kind` values.
KINDS: dict[str, KindLinks] = {
    "interview": KindLinks("guide/during.md"),
    "prepare": KindLinks("guide/before.md"),
    "thank-you": KindLinks("guide/thank-you.md", "thank_you_sent", "done {note} thank-you"),
    "review-notes": KindLinks("guide/after.md", "notes_reviewed", "done {note} review"),
    "follow-up": KindLinks("guide/following-up.md", "follow_ups", "done {note} follow-up"),
    "negotiate": KindLinks("guide/negotiating.md", "negotiated", "done {note} negotiate"),
    "decide": KindLinks("guide/negotiating.md", "outcome", "outcome {note} accepted"),
    "withdraw": KindLinks("guide/negotiating.md", "outcome", "outcome {note} withdrawn"),
}

# `followup done ACTION`: the action's name -> the note key it sets.
DONE_ACTIONS: dict[str, str] = {
    links.done_action: links.note_key for links in KINDS.values() if links.done_action
}


def guide_page(reminder: Reminder) -> str:
    return KINDS[reminder.kind].guide_page


def guide_url(reminder: Reminder, site_url: str) -> str:
    """The published guide page behind a reminder."""
    return f"{site_url}/{guide_page(reminder).removesuffix('.md')}{PAGE_SUFFIX}"


def done_command(reminder: Reminder, names: Mapping[str, str] | None = None) -> str:
    """The command that records `reminder` as done, or ''; the note is named by its short
    name in `names` (see `shortnames`; '' when the note has none, and then there is no
    command), else, without `names`, by its page name."""
    interview = reminder.interview
    name = interview.slug.rsplit("/", 1)[-1] if names is None else names.get(interview.path, "")
    command = KINDS[reminder.kind].command
    return f"followup {command.format(note=name)}" if command and name else ""
