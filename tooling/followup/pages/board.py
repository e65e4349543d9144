"""The board: one column per stage, one card per application, as job-search tools show it.

Plain HTML and CSS from Markdown (md_in_html): no script. Columns sit side by side where
there is room and stack on a phone (see the site's stylesheet).
"""

from __future__ import annotations

from followup.pages.markup import md
from followup.pages.progress import cancelled_step, page_link, reminder_when
from followup.pages.timetext import when
from followup.plan.applications import Stage
from followup.plan.progress import Progress, Row

TITLE = "Board"

# (column heading, what it holds)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("Interview ahead", "An interview still to come."),
    ("Awaiting reply", "Interviewed; no answer yet, or the next round still to be set."),
    ("Following up", "You have followed up and wait for an answer."),
    ("Offer", "An offer on the table, or accepted."),
    ("Closed", "Rejected, withdrawn, no response, or time to move on."),
)


def column_of(row: Row) -> str:
    stage = row.stage
    if stage is Stage.UPCOMING:
        return "Interview ahead"
    if stage in (Stage.OFFER, Stage.ACCEPTED):
        return "Offer"
    if stage in (Stage.AWAITING, Stage.NEXT_ROUND, Stage.CANCELLED):
        return "Following up" if row.application.latest.follow_ups else "Awaiting reply"
    return "Closed"


def _card(row: Row, zone: str) -> list[str]:
    latest = row.application.latest
    label = md(latest.round) if latest.round else "interview"
    rounds = len(row.application.rounds)
    if cancelled := cancelled_step(row):
        step = cancelled.capitalize()
    elif row.moved_on is not None:
        step = f"Move on: {md(row.moved_on)}"
    elif row.waiting_until is not None:
        step = f"Waiting for an answer to the last follow-up until {when(row.waiting_until)}"
    elif row.next_step is not None:
        step = f"Next: {md(row.next_step.label)} · {reminder_when(row.next_step, zone)}"
    else:
        step = f"Status: {row.stage.value}"
    return [
        '<div class="fu-card" markdown>',
        "",
        f"**[{md(latest.company)}]({page_link(latest.slug)})**  ",
        f"{md(latest.role)}  ",
        f"{label} · {when(latest.start or latest.day, zone, latest.timezone)}"
        + (f" · {rounds} rounds" if rounds > 1 else "") + "  ",
        step,
        "",
        "</div>",
        "",
    ]


def render(progress: Progress) -> str:
    by_column: dict[str, list[Row]] = {name: [] for name, _ in COLUMNS}
    for row in progress.rows:
        by_column[column_of(row)].append(row)
    lines = [
        "---",
        f"title: {TITLE}",
        "hide:",  # five columns need the whole width
        "  - navigation",
        "  - toc",
        "---",
        "",
        "# Board",
        "",
        f"Every application by stage on **{progress.today:%A %-d %B %Y}**; "
        "the [progress page](progress.md) lists what to do next.",
        "",
        '<div class="fu-board" markdown>',
        "",
    ]
    for name, meaning in COLUMNS:
        rows = by_column[name]
        lines += [
            '<div class="fu-column" markdown>',
            "",
            f"## {name} ({len(rows)})",
            "",
            f"{meaning}",
            "{: .fu-meaning }",
            "",
        ]
        for row in rows:
            lines += _card(row, progress.zone)
        lines += ["</div>", ""]
    lines += ["</div>", ""]
    return "\n".join(lines)
