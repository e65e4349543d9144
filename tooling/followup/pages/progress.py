"""The progress index: one Markdown page with the whole search at a glance.

Laid out for reading on any screen: next actions as cards (each with a copyable command),
applications in a table that the stylesheet stacks on a phone.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from followup.note.model import Interview
from followup.pages import charts
from followup.pages.markup import md
from followup.pages.timetext import when
from followup.plan.applications import Stage
from followup.plan.kinds import done_command, guide_page
from followup.plan.progress import Progress, Row
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


def situation(row: Row) -> str | None:
    """What stands in place of the next reminder, when something does: a lapsed offer, a
    cancelled interview, an application to move on from, the wait after the last follow-up."""
    if row.lapsed is not None:
        return (f"the offer's deadline ({when(row.lapsed)}) has passed: record what happened "
                "(`followup outcome` accepted, withdrawn or rejected)")
    if cancelled := cancelled_step(row):
        return cancelled
    if row.moved_on is not None:
        return f"move on: {md(row.moved_on)}"
    if row.waiting_until is not None:
        return f"waiting for an answer to the last follow-up until {when(row.waiting_until)}"
    return None


def next_step(row: Row, zone: str) -> str:
    """What to do next in an application, in the words the progress page and the board share."""
    if (said := situation(row)) is not None:
        return said
    if row.next_step is None:
        return APPLIED_STEP if row.stage is Stage.APPLIED else "—"
    return f"{md(row.next_step.label)} · {reminder_when(row.next_step, zone)}"


# No reminder before an interview is set: the application waits for their answer.
APPLIED_STEP = "when they invite you, add the interview (`followup new --after`)"


def round_detail(interview: Interview, zone: str) -> str:
    """`technical · Thu 03 Dec 14:00`, or `applied · Mon 02 Nov 2026` before any interview."""
    if not interview.scheduled:
        return f"applied · {when(interview.day)}"
    label = md(interview.round) if interview.round else "interview"
    return f"{label} · {when(interview.start or interview.day, zone, interview.timezone)}"


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


def render(progress: Progress, names: Mapping[str, str] | None = None) -> str:
    """The page; `names` are the notes' short names (`shortnames`) for the done commands."""
    today, zone, figures = progress.today, progress.zone, progress.figures
    lines = [
        "---",
        f"title: {TITLE}",
        "---",
        "",
        "# Progress",
        "",
        f"Where every application stands on **{today:%A %-d %B %Y}**. "
        "The [board](board.md) shows the same applications by stage.",
        "",
        "## At a glance",
        "",
        "| Stage | Applications |",
        "|---|--:|",
    ]
    lines += [f"| {name} | {count} |" for name, count in progress.columns.items()]
    lines.append(f"| **All** | **{len(progress.rows)}** |")
    lines += ["", "## Next actions", ""]
    overdue = len(progress.overdue)
    if overdue:
        lines += [f"!!! warning \"{overdue} overdue\"", "    Do these first, or mark them done.", ""]
    if progress.actions:
        cards = "\n".join(action_card(r, today, zone, names) for r in progress.actions)
        lines += ['<div class="fu-cards" markdown>', "", cards, "</div>", ""]
    else:
        lines += ["Nothing to do right now.", ""]
    if progress.missed:
        lines += [
            "## Missed",
            "",
            "Too late to help now, so these left the calendar; next time, do them the same day.",
            "",
            *(missed_line(r, zone) for r in progress.missed),
            "",
        ]
    lines += [
        "## Applications",
        "",
        '<div class="fu-stack" markdown>',
        "",
        "| Application | Stage | Next step |",
        "|---|---|---|",
        *(row_line(row, zone) for row in progress.rows),
        "",
        "</div>",
        "",
    ]
    median = figures.median_days_to_reply
    lines += [
        "## Figures",
        "",
        f"- Interviews in {figures.month}: **{figures.interviews_this_month}**",
        f"- Thank-yous sent within a day of the interview: **{figures.thank_yous_on_time}** of the "
        f"**{figures.thank_yous_due}** interviews held",
        f"- Replies with a date (`reply_received`, or an offer's `offer_received`): **{figures.replies}**",
        "- Median days from an interview to its reply: "
        + (f"**{median:g}** (over those {figures.replies})" if median is not None
           else "not known yet (record `reply_received` when they answer)"),
        f"- Applications with an offer, received or accepted: **{figures.offers}**",
        "",
        *_charts(progress),
    ]
    return "\n".join(lines)


def missed_line(reminder: Reminder, zone: str) -> str:
    """A reminder too late to act on, listed so that the next ones are done in time."""
    return f"- missed · {reminder_when(reminder, zone)} · {md(reminder.label)} · {application_link(reminder)}"


def row_line(row: Row, zone: str) -> str:
    """An application's row: its latest round, its stage and its next step."""
    latest = row.application.latest
    rounds = row.application.rounds
    detail = round_detail(latest, zone)
    if len(rounds) > 1:  # every round's page is reachable from here, not only the latest
        detail += " · rounds: " + ", ".join(
            f"[{md(r.round) if r.round else (r.day if r.scheduled else 'application')}]({page_link(r.slug)})"
            for r in rounds
        )
    return f"| {application_link(row)}<br>{detail} | {row.stage.value} | {next_step(row, zone)} |"


def _charts(progress: Progress) -> list[str]:
    figures = progress.figures
    lines = [
        "### How far your applications got",
        "",
        charts.bars("funnel", "How far your applications got", progress.funnel),
        "",
        "### Days each company took to reply",
        "",
    ]
    if progress.waits:
        shown = len(progress.waits)
        latest = f"the {shown} latest of the {figures.replies} replies" if shown < figures.replies else "every reply"
        lines.append(charts.bars("waits", f"Days from the interview to the company's reply ({latest})",
                                 progress.waits, unit=" d"))
    else:
        lines.append("No reply recorded yet: add `reply_received` to a note when they answer.")
    lines += ["", "### Interviews per month", ""]
    if progress.per_month:
        first, last = _month(progress.per_month[0][0]), _month(progress.per_month[-1][0])
        lines.append(charts.columns(
            "months", f"Interviews per month, {first} to {last}",
            [(_month(month), _month(month)[:3], count) for month, count in progress.per_month],
        ))
    else:
        lines.append("No interview yet.")
    lines.append("")
    return lines


def _month(key: str) -> str:
    """`2026-11` -> `November 2026`."""
    return f"{date(int(key[:4]), int(key[5:]), 1):%B %Y}"
