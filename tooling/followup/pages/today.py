"""The home page's part about you: the "Today" panel (overdue, due today, the rest of this
week), what the private site holds, and the links to where you stand.

Written as a Markdown snippet that the home page includes (pymdownx.snippets); the guide-only
build and a fresh clone have no snippet, and the home page is the guide's alone: a copy made
to be shared never calls itself private nor links to pages it leaves out.
"""

from __future__ import annotations

from datetime import timedelta

from followup.pages.markup import md
from followup.pages.progress import application_link, reminder_when
from followup.plan.kinds import guide_page
from followup.plan.progress import Progress
from followup.plan.rules import Reminder

SNIPPET = ".today.md"  # inside docs/: a dot file, so never a page of its own


def _items(reminders: list[Reminder], zone: str) -> list[str]:
    return [
        f"- {reminder_when(r, zone)} · [{md(r.label)}]({guide_page(r)}) · {application_link(r)}"
        for r in reminders
    ]


WELCOME = """\
Welcome. This is your private site for handling interviews well. It holds two things:

- **A short guide** to what to do before, during and after each interview, written to be used, not just read.
- **Your own progress**, built from the notes you keep in `interviews/`: every application, what happens next, \
and what is overdue.

The site loads nothing from other hosts and asks search engines to stay away. It is meant for you.

## Where you stand

- [Board](board.md): every application by stage, from applied to closed.
- [Progress](progress.md): your whole job search at a glance, with next actions sorted by date.
- [Subscribe](subscribe.md): put your reminders in the calendar you already use.
"""


def render(progress: Progress) -> str:
    """The panel (none when there is no note at all), then the welcome."""
    return "\n".join(part for part in (_panel(progress), WELCOME) if part)


def _panel(progress: Progress) -> str:
    if not progress.rows:
        return ""
    today = progress.today
    week_end = today + timedelta(days=6 - today.weekday())
    overdue = [r for r in progress.actions if r.is_overdue(today)]
    due_today = [r for r in progress.actions if r.due == today and not r.is_overdue(today)]
    this_week = [r for r in progress.actions if today < r.due <= week_end]
    lines = ['<div class="fu-today" markdown>', "", f"## Today, {today:%A %-d %B}", ""]
    for heading, found in (("Overdue", overdue), ("Due today", due_today), ("Later this week", this_week)):
        if found:
            lines += [f"### {heading} ({len(found)})", "", *_items(found, progress.zone), ""]
    if not (overdue or due_today or this_week):
        lines += ["Nothing due this week. The [board](board.md) shows where each application stands.", ""]
    else:
        lines += ["The [progress page](progress.md) has every next action, with the command that "
                  "marks it done.", ""]
    lines += ["</div>", ""]
    return "\n".join(lines)
