"""The progress index: one Markdown page with the whole search at a glance."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from followup.applications import Stage
from followup.dates import shown_time
from followup.markup import attr, md
from followup.progress import Progress, Row
from followup.rules import Reminder

TITLE = "Progress"


def page_link(slug: str) -> str:
    return f"interviews/{slug}.md"


def _when(reminder: Reminder, zone: str) -> str:
    start = reminder.start
    if reminder.all_day or not isinstance(start, datetime):
        return f"{reminder.due:%a %Y-%m-%d}"
    return md(shown_time(start, ZoneInfo(zone), "%a %Y-%m-%d %H:%M", reminder.local_zone))


def _due(reminder: Reminder, progress: Progress) -> str:
    if reminder.is_overdue(progress.today):
        return f"**overdue** · {_when(reminder, progress.zone)}"
    if reminder.due == progress.today:
        return f"**today** · {_when(reminder, progress.zone)}"
    return _when(reminder, progress.zone)


def _link(reminder_or_row: Reminder | Row) -> str:
    interview = (
        reminder_or_row.interview
        if isinstance(reminder_or_row, Reminder)
        else reminder_or_row.application.latest
    )
    return f"[{md(interview.name)}]({page_link(interview.slug)})"


def _next(row: Row) -> str:
    if row.moved_on:
        return f"move on: {md(row.moved_on)}"
    if row.waiting_until is not None:
        return f"waiting for an answer to the last follow-up until {row.waiting_until:%Y-%m-%d}"
    if row.next_step is None:
        return "—"
    return f"{md(row.next_step.label)} · {row.next_step.due:%Y-%m-%d}"


def chart(progress: Progress) -> str:
    """Interviews per month as an inline SVG bar chart (drawn at build time, no script)."""
    months = progress.per_month
    peak = max((count for _, count in months), default=0) or 1
    bar, gap, height = 28, 8, 120
    width = len(months) * (bar + gap)
    parts = [
        # The viewBox starts above 0 so the count over the tallest bar is not cut off.
        f'<svg class="followup-chart" role="img" viewBox="0 -16 {width} {height + 50}" '
        f'width="100%" style="max-width:{width}px" xmlns="http://www.w3.org/2000/svg">',
        "<title>Interviews per month, last twelve months</title>",
    ]
    for position, (month, count) in enumerate(months):
        x = position * (bar + gap)
        tall = round(height * count / peak)
        parts.append(
            f'<rect x="{x}" y="{height - tall}" width="{bar}" height="{tall}" rx="3" '
            f'fill="currentColor" opacity="0.75"><title>{attr(month)}: {count}</title></rect>'
        )
        parts.append(
            f'<text x="{x + bar / 2}" y="{height + 14}" font-size="11" text-anchor="middle" '
            f'fill="currentColor">{month[5:]}</text>'
        )
        if count:
            parts.append(
                f'<text x="{x + bar / 2}" y="{height - tall - 4}" font-size="11" '
                f'text-anchor="middle" fill="currentColor">{count}</text>'
            )
    parts.append(
        f'<text x="0" y="{height + 30}" font-size="11" fill="currentColor">'
        f"{attr(months[0][0])} to {attr(months[-1][0])}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def render(progress: Progress) -> str:
    figures = progress.figures
    lines = [
        "---",
        f"title: {TITLE}",
        "---",
        "",
        "# Progress",
        "",
        f"Where every application stands on **{progress.today:%A %-d %B %Y}**.",
        "",
        "## At a glance",
        "",
        "| Status | Applications |",
        "|---|--:|",
    ]
    counts = progress.counts
    lines += [f"| {stage.value.capitalize()} | {count} |" for stage, count in counts.items()]
    lines.append(f"| **All** | **{len(progress.rows)}** |")
    overdue = len(progress.overdue)
    lines += ["", "## Next actions", ""]
    if overdue:
        lines += [f"!!! warning \"{overdue} overdue\"", "    Do these first, or mark them done.", ""]
    if progress.actions:
        lines += ["| Due | What | Application | Mark done |", "|---|---|---|---|"]
        for reminder in progress.actions:
            done = f"`{reminder.done_command}`" if reminder.done_command else ""
            lines.append(
                f"| {_due(reminder, progress)} | {md(reminder.label)} | {_link(reminder)} | {done} |"
            )
    else:
        lines.append("Nothing to do right now.")
    if progress.missed:
        lines += [
            "",
            "## Missed",
            "",
            "Too late to help now, so these left the calendar; next time, do them the same day.",
            "",
            "| Was due | What | Application | Mark done |",
            "|---|---|---|---|",
        ]
        for reminder in progress.missed:
            done = f"`{reminder.done_command}`" if reminder.done_command else ""
            lines.append(
                f"| missed · {_when(reminder, progress.zone)} | {md(reminder.label)} | {_link(reminder)} | {done} |"
            )
    lines += [
        "",
        "## Applications",
        "",
        "| Application | Latest round | Date | Status | Next step |",
        "|---|---|---|---|---|",
    ]
    for row in progress.rows:
        latest = row.application.latest
        rounds = len(row.application.rounds)
        label = md(latest.round) if latest.round else "interview"
        count = f"{rounds} round{'s' if rounds != 1 else ''}"
        if rounds > 1:  # every round's page is reachable from here, not only the latest
            count += ": " + ", ".join(
                f"[{md(r.round) if r.round else r.day}]({page_link(r.slug)})"
                for r in row.application.rounds
            )
        lines.append(
            f"| {_link(row)} | {label} ({count}) | "
            f"{latest.day:%Y-%m-%d} | {row.stage.value} | {_next(row)} |"
        )
    median = figures.median_days_to_reply
    lines += [
        "",
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
        "### Interviews per month",
        "",
        chart(progress),
        "",
    ]
    return "\n".join(lines)
