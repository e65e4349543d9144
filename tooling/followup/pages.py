"""Generated site pages: one per interview, and the page that shows how to subscribe."""

from __future__ import annotations

import html
from datetime import date

from followup.config import Config
from followup.drafts import links
from followup.markup import attr, md, one_line, yaml_string
from followup.model import Interview, Person
from followup.rules import Kind, Plan, Reminder


def _person(person: Person) -> str:
    text = md(person.label)
    if not person.email:
        return text
    # Inline HTML, not an autolink: Markdown escapes inside <...> would garble the address.
    # `attr` leaves nothing in it that Markdown or HTML could read as markup.
    email = attr(person.email)
    return f'{text} <a href="mailto:{email}">{email}</a>'


def _state(reminder: Reminder, today: date) -> str:
    if reminder.kind is Kind.INTERVIEW:
        return "past" if reminder.due < today else ("today" if reminder.due == today else "upcoming")
    if reminder.is_overdue(today):
        return "**overdue**"
    return "due today" if reminder.due == today else "open"


def interview_page(interview: Interview, plan: Plan, today: date, body: str) -> str:
    """Details, the reminders this note produced with their state, and the notes themselves.

    `body` is the note's Markdown, already made safe by the caller.
    """
    rows = [
        ("Company", md(interview.company)),
        ("Role", md(interview.role)),
        ("Round", md(interview.round)),
        ("When", f"{interview.start:%a %Y-%m-%d %H:%M} ({md(interview.timezone)})"
         if interview.start else f"{interview.day:%a %Y-%m-%d} (time not known)"),
        ("Duration", f"{interview.duration} minutes" if interview.start else ""),
        ("Where", md(interview.location)),
        # One row per person: a table cell is processed in time that grows with the square of
        # its length, so no cell may grow with the number of people.
        *((("Interviewers" if n == 0 else " "), _person(p)) for n, p in enumerate(interview.interviewers)),
        ("Recruiter", _person(interview.recruiter) if interview.recruiter else ""),
        ("Agency", md(interview.agency)),
        ("Impression", interview.impression.value),
        ("Outcome", interview.outcome.value),
        ("Reply promised by", f"{interview.reply_by}" if interview.reply_by else ""),
        ("Reply received", f"{interview.reply_received}" if interview.reply_received else ""),
        ("Thank-you sent", f"{interview.thank_you_sent}" if interview.thank_you_sent else ""),
        ("Notes reviewed", f"{interview.notes_reviewed}" if interview.notes_reviewed else ""),
        ("Follow-ups", ", ".join(str(d) for d in interview.follow_ups)),
        ("Note", f"<code>{attr(interview.path)}</code>"),
    ]
    up = "../" * (interview.slug.count("/") + 1)
    title = f"{interview.company} · {interview.role}"
    lines = [
        "---",
        f"title: {_title(title)}",
        "search:",
        "  boost: 2",
        "---",
        "",
        f"[← Progress]({up}progress.md)",
        "{: data-search-exclude }",
        "",
        f"# {md(interview.company)} · {md(interview.role)}",
        "",
        "| Detail | |",
        "|---|---|",
    ]
    lines += [f"| {label} | {value} |" for label, value in rows if value]
    lines += ["", "## Reminders", ""]
    reminders = plan.for_interview(interview)
    if reminders:
        lines += ["| When | Reminder | State | Mark done |", "|---|---|---|---|"]
        for reminder in reminders:
            when = f"{reminder.start:%a %Y-%m-%d %H:%M}" if not reminder.all_day else f"{reminder.due}"
            done = f"`{reminder.done_command}`" if reminder.done_command else ""
            drafts = " ".join(f"[✉ {md(p.first_name)}]({link})" for p, link in links(reminder))
            lines.append(
                f"| {when} | [{md(reminder.label)}]({up}{reminder.guide_page}) {drafts} "
                f"| {_state(reminder, today)} | {done} |"
            )
    else:
        lines.append("Nothing left to do for this interview.")
    lines += _other_rounds(interview, plan, up)
    lines += ["", "## Notes", "", body.strip() or "_No notes yet._", ""]
    return "\n".join(lines)


def _other_rounds(interview: Interview, plan: Plan, up: str) -> list[str]:
    """Links to the other rounds of the same application, oldest first."""
    for application in plan.applications:
        if any(r is interview for r in application.rounds):
            others = [r for r in application.rounds if r is not interview]
            if not others:
                return []
            lines = ["", "## Other rounds", ""]
            for other in others:
                label = md(other.round or other.role)
                lines.append(f"- [{other.day} · {label}]({up}interviews/{other.slug}.md)")
            return lines
    return []


def _title(text: str) -> str:
    """The page title for the front-matter, HTML-escaped: the theme puts it in the page as is."""
    return yaml_string(html.escape(one_line(text), quote=False))


def subscribe_page(config: Config, feed_address: str, tasks_address: str = "") -> str:
    """How to subscribe; an empty `feed_address` means a secret one this page must not show."""
    if not feed_address:
        where = (
            "Your feed has a private address, which this site does not show. On your own "
            "computer, run `followup feed url` to see it (`followup feed url --site-url "
            "https://…` when `site_url` is not set), and paste it into your calendar app. "
            "If the address leaks, `followup feed rotate` gives the feed a new one."
        )
    elif config.site_url:
        https = f"{config.site_url}/{feed_address}"
        webcal = "webcal://" + https.split("://", 1)[-1]
        where = (
            "Subscribe with this address:\n\n"
            f"```\n{https}\n```\n\n"
            f"Apple Calendar and Outlook also take `{webcal}`."
        )
    else:
        where = (
            f"The feed is published beside this page as [`{feed_address}`]({feed_address}). "
            "Set `site_url` in `followup.toml` to the address where you publish the site, and "
            "this page will show the full subscription address."
        )
    if tasks_address:
        where += (
            f"\n\nYour open actions are also published as tasks, in `{tasks_address}` beside "
            "the feed, for apps with a task list such as Thunderbird and Evolution."
        )
    return "\n".join(
        [
            "---",
            "title: Subscribe",
            "---",
            "",
            "# Subscribe to your reminders",
            "",
            where,
            "",
            "Each reminder is an event at the time to act: many calendar apps drop alerts from "
            "subscribed calendars, so set a default alert for this calendar in your app. "
            "See [calendar apps](howto/calendar-apps.md) for Google, Apple, Outlook and Thunderbird.",
            "",
        ]
    )
