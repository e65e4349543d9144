"""The progress index: one Markdown page with the whole search at a glance.

Laid out for reading on any screen: next actions as cards (each with a copyable command),
applications in a table that the stylesheet stacks on a phone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from followup.pages import charts
from followup.pages.markup import md
from followup.pages.timetext import when
from followup.plan.applications import Stage
from followup.plan.kinds import done_command, guide_page
from followup.plan.progress import Figures, Progress, Row
from followup.plan.rules import Reminder

TITLE = "Progress"


def page_link(slug: str) -> str:
    return f"interviews/{slug}.md"


def reminder_when(reminder: Reminder, zone: str) -> str:
    """When a reminder is due, in the user's `zone` (and the interview's own local time)."""
    return when(reminder.start, zone, reminder.local_zone)


def due_text(reminder: Reminder, today: date, zone: str) -> str:
    if reminder.is_overdue(today):
        return f"**overdue** · {reminder_when(reminder, zone)}"
    if reminder.due == today:
        return f"**today** · {reminder_when(reminder, zone)}"
    return reminder_when(reminder, zone)


def application_link(reminder_or_row: Reminder | Row, up: str = "") -> str:
    interview = (
        reminder_or_row.interview
        if isinstance(reminder_or_row, Reminder)
        else reminder_or_row.application.latest
    )
    return f"[{md(interview.name)}]({up}{page_link(interview.slug)})"


def cancelled_step(row: Row) -> str:
    """What to do about an application whose latest interview was cancelled; '' for the others."""
    cancelled = row.application.latest.cancelled
    if row.stage is not Stage.CANCELLED or cancelled is None:
        return ""
    return f"cancelled on {when(cancelled)}: ask for a new date"


def next_step(row: Row, zone: str) -> str:
    if cancelled := cancelled_step(row):
        return cancelled
    if row.moved_on is not None:
        return f"move on: {md(row.moved_on)}"
    if row.waiting_until is not None:
        return f"waiting for an answer to the last follow-up until {when(row.waiting_until)}"
    if row.next_step is None:
        return "—"
    return f"{md(row.next_step.label)} · {reminder_when(row.next_step, zone)}"


def action_card(reminder: Reminder, today: date, zone: str, names: Mapping[str, str] | None) -> str:
    """A next action's card, as Markdown lines."""
    return "\n".join(card(
        due_text(reminder, today, zone),
        f"[{md(reminder.label)}]({guide_page(reminder)}) · {application_link(reminder)}",
        done_command(reminder, names),
        overdue=reminder.is_overdue(today),
    ))


def card(when: str, what: str, command: str, *, overdue: bool = False) -> list[str]:
    """One reminder as a card: when, what (Markdown), and the command that marks it done."""
    lines = [
        f'<div class="fu-card{" fu-overdue" if overdue else ""}" markdown>',
        "",
        f"{when}  ",
        what,
        "",
    ]
    if command:
        lines += ["```text", command, "```", ""]
    lines += ["</div>", ""]
    return lines


@dataclass(frozen=True)
class Content:
    """What the page shows, each card and row already written: from a `Progress`, or put
    together from each application's share (`out.parts`)."""

    today: date
    counts: dict[Stage, int]
    overdue: int
    cards: str  # every next action's card, one after another
    missed: Sequence[str]
    rows: Sequence[str]
    figures: Figures
    per_month: tuple[tuple[str, int], ...]
    funnel: tuple[tuple[str, int], ...]
    waits: tuple[tuple[str, int], ...]


def render(progress: Progress, names: Mapping[str, str] | None = None) -> str:
    """The page; `names` are the notes' short names (`shortnames`) for the done commands."""
    found = names
    today, zone = progress.today, progress.zone
    return page(Content(
        today=today,
        counts=progress.counts,
        overdue=len(progress.overdue),
        cards="\n".join(action_card(r, today, zone, found) for r in progress.actions),
        missed=[missed_line(r, zone) for r in progress.missed],
        rows=[row_line(row, zone) for row in progress.rows],
        figures=progress.figures,
        per_month=progress.per_month,
        funnel=progress.funnel,
        waits=progress.waits,
    ))


def page(content: Content) -> str:
    figures, counts = content.figures, content.counts
    lines = [
        "---",
        f"title: {TITLE}",
        "---",
        "",
        "# Progress",
        "",
        f"Where every application stands on **{content.today:%A %-d %B %Y}**. "
        "The [board](board.md) shows the same applications by stage.",
        "",
        "## At a glance",
        "",
        "| Status | Applications |",
        "|---|--:|",
    ]
    lines += [f"| {stage.value.capitalize()} | {count} |" for stage, count in counts.items()]
    lines.append(f"| **All** | **{len(content.rows)}** |")
    lines += ["", "## Next actions", ""]
    if content.overdue:
        lines += [f"!!! warning \"{content.overdue} overdue\"", "    Do these first, or mark them done.", ""]
    if content.cards:
        lines += ['<div class="fu-cards" markdown>', "", content.cards, "</div>", ""]
    else:
        lines += ["Nothing to do right now.", ""]
    if content.missed:
        lines += [
            "## Missed",
            "",
            "Too late to help now, so these left the calendar; next time, do them the same day.",
            "",
            *content.missed,
            "",
        ]
    lines += [
        "## Applications",
        "",
        '<div class="fu-stack" markdown>',
        "",
        "| Application | Status | Next step |",
        "|---|---|---|",
        *content.rows,
        "",
        "</div>",
        "",
    ]
    median = figures.median_days_to_reply
    lines += [
        "## Figures",
        "",
        f"- Interviews this month: **{figures.interviews_this_month}**",
        f"- Thank-yous sent within a day: **{figures.thank_yous_on_time}** of "
        f"{figures.thank_yous_due} past interviews",
        f"- Replies received: **{figures.replies}**",
        "- Median days from interview to reply: "
        + (f"**{median:g}**" if median is not None else "not known yet (record `reply_received`)"),
        f"- Offers: **{counts.get(Stage.OFFER, 0) + counts.get(Stage.ACCEPTED, 0)}**",
        "",
        *_charts(content),
    ]
    return "\n".join(lines)


def missed_line(reminder: Reminder, zone: str) -> str:
    """A reminder too late to act on, listed so that the next ones are done in time."""
    return f"- missed · {reminder_when(reminder, zone)} · {md(reminder.label)} · {application_link(reminder)}"


def row_line(row: Row, zone: str) -> str:
    """An application's row: its latest round, its stage and its next step."""
    latest = row.application.latest
    rounds = row.application.rounds
    label = md(latest.round) if latest.round else "interview"
    detail = f"{label} · {when(latest.start or latest.day, zone, latest.timezone)}"
    if len(rounds) > 1:  # every round's page is reachable from here, not only the latest
        detail += " · rounds: " + ", ".join(
            f"[{md(r.round) if r.round else r.day}]({page_link(r.slug)})" for r in rounds
        )
    return f"| {application_link(row)}<br>{detail} | {row.stage.value} | {next_step(row, zone)} |"


def _charts(progress: Content) -> list[str]:
    lines = [
        "### How far your applications got",
        "",
        charts.bars("funnel", "How far your applications got", progress.funnel),
        "",
        "### Days each company took to reply",
        "",
    ]
    if progress.waits:
        lines.append(charts.bars("waits", "Days from the interview to the company's reply",
                                 progress.waits, unit=" d"))
    else:
        lines.append("No reply recorded yet: add `reply_received` to a note when they answer.")
    lines += ["", "### Interviews per month", ""]
    if progress.per_month:
        first, last = progress.per_month[0][0], progress.per_month[-1][0]
        lines.append(charts.columns(
            "months", f"Interviews per month, {first} to {last}",
            [(month, month[5:], count) for month, count in progress.per_month],
        ))
    else:
        lines.append("No interview yet.")
    lines.append("")
    return lines
