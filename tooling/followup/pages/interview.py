"""An interview's page: its details, where the application stands, its timeline, its reminders, the notes."""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import date

from followup.config import Config
from followup.note.model import Interview, Outcome, Person
from followup.note.template import yaml_string
from followup.pages.markup import attr, linked, md, one_line, web_link
from followup.pages.progress import card
from followup.pages.timetext import when
from followup.plan.applications import Application, Stage
from followup.plan.drafts import links
from followup.plan.kinds import done_command, guide_page
from followup.plan.rules import Kind, Plan, Reminder


def _person(person: Person, *, may_call: bool = False) -> str:
    text = md(person.label)
    if person.email:
        # Inline HTML, not an autolink: Markdown escapes inside <...> would garble the address.
        # `attr` leaves nothing in it that Markdown or HTML could read as markup.
        email = attr(person.email)
        text += f' <a href="mailto:{email}">{email}</a>'
    if person.phone and may_call:  # a number is shown only where they invited a call
        text += f" · {md(person.phone)}"
    return text


def _state(reminder: Reminder, today: date) -> str:
    if reminder.kind is Kind.INTERVIEW:
        return "past" if reminder.due < today else ("today" if reminder.due == today else "upcoming")
    if reminder.is_overdue(today):
        return "**overdue**"
    return "due today" if reminder.due == today else "open"


def _application(interview: Interview, plan: Plan) -> Application | None:
    for application in plan.applications:
        if any(r is interview for r in application.rounds):
            return application
    return None


def timeline(application: Application) -> list[tuple[date, str]]:
    """Everything that happened in one application, in date order (the outcome last)."""
    events: list[tuple[date, int, str]] = []
    for number, interview in enumerate(application.rounds):
        if interview.applied is not None:
            events.append((interview.applied, -1, "Applied"))
        if not interview.scheduled:
            continue
        name = md(interview.round) if interview.round else "interview"
        events.append((interview.day, number, f"Interview: {name}" + (" (cancelled)" if interview.cancelled else "")))
        if interview.cancelled:
            events.append((interview.cancelled, number, f"Cancelled ({name})"))
        if interview.thank_you_sent:
            events.append((interview.thank_you_sent, number, f"Thank-you sent ({name})"))
        if interview.notes_reviewed:
            events.append((interview.notes_reviewed, number, f"Notes reviewed ({name})"))
        for count, day in enumerate(interview.follow_ups, start=1):
            events.append((day, number, f"Follow-up #{count} sent"))
        if interview.reply_by:
            events.append((interview.reply_by, number, "Reply promised by this day"))
        if interview.reply_received:
            events.append((interview.reply_received, number, "Reply received"))
        if interview.offer_received:
            events.append((interview.offer_received, number, "Offer received"))
        if interview.offer_deadline:
            events.append((interview.offer_deadline, number, "Offer expires"))
    events.sort(key=lambda item: (item[0], item[1]))
    return [(day, text) for day, _, text in events]


def _standing(interview: Interview, application: Application, plan: Plan, today: date, config: Config) -> str:
    stage = application.stage(today, config)
    text = f"**{stage.value.capitalize()}**"
    if stage is Stage.CANCELLED and application.latest.cancelled is not None:
        text += f" on {when(application.latest.cancelled)}: ask them for a new date"
    if not application.is_latest(interview):
        text += f" (this is an earlier round; the latest is {md(application.latest.round or 'a later interview')})"
    reason = application.moved_on_reason(config, today)
    if reason is not None:
        text += f": moved on because {md(reason)}"
    waiting = application.last_try_waits_until(config) if reason is None else None
    if waiting is not None:
        text += f": waiting for an answer to the last follow-up until {when(waiting)}"
    if application.outcome is not Outcome.PENDING:
        text += f". Outcome: {application.outcome.value}"
    if not interview.scheduled and application.is_latest(interview):
        text += ". No reminder until an interview is set: when they invite you, start its note with "
        text += "`followup new --after`, or import the invitation with `followup invite`"
    mine = sorted(
        (r for i in application.rounds for r in plan.for_interview(i)
         if r.kind is not Kind.INTERVIEW or r.due >= today),
        key=lambda r: (r.due, str(r.start)),
    )
    if mine and not reason:
        first = mine[0]
        late = "overdue: " if first.is_overdue(today) else ""
        text += f". Next: {late}{md(first.label)} · {when(first.start, config.timezone, first.local_zone)}"
    return text + "."


def render(
    interview: Interview, plan: Plan, today: date, body: str, *,
    names: Mapping[str, str] | None = None, config: Config | None = None,
) -> str:
    """Details, where the application stands, its timeline, this note's reminders, the notes.

    `body` is the note's Markdown, already made safe by the caller.
    """
    config = config or Config()
    zone = config.timezone
    up = "../" * (interview.slug.count("/") + 1)
    title = interview.name
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
        f"# {md(interview.name)}",
        "",
    ]
    application = _application(interview, plan)
    if application is not None:
        lines += ["## Where it stands", "", _standing(interview, application, plan, today, config), ""]
    lines += ["## Details", "", '<div class="fu-details" markdown>', "", "| Detail | Value |", "|---|---|"]
    lines += [f"| {label} | {value} |" for label, value in _detail_rows(interview, zone) if value]
    lines += ["", "</div>", ""]
    if application is not None:
        lines += ["## Timeline", ""]
        lines += [f"- {when(day)} · {text}" for day, text in timeline(application)]
        if application.outcome is not Outcome.PENDING:
            lines.append(f"- Outcome: **{application.outcome.value}**")
        lines.append("")
    lines += ["## Reminders", ""]
    lines += _reminder_cards(plan.for_interview(interview), today, up, names, zone) if interview.scheduled else [
        "None until an interview is set.", ""]
    lines += _other_rounds(interview, application, up)
    lines += ["", "## Notes", "", body.strip() or "_No notes yet._", ""]
    return "\n".join(lines)


def _detail_rows(interview: Interview, zone: str) -> list[tuple[str, str]]:
    """The Details table: (label, value), a row left out later when its value is ''."""
    contact = interview.contact
    return [
        ("Company", md(interview.company)),
        ("Role", md(interview.role)),
        ("Round", md(interview.round)),
        ("Applied", when(interview.applied) if interview.applied else ""),
        ("When", _when(interview, zone)),
        ("Time zone", md(interview.timezone) if interview.start and interview.timezone != zone else ""),
        ("Duration", f"{interview.duration} minutes" if interview.start else ""),
        ("Where", linked(interview.location)),
        # One row per person: a table cell is processed in time that grows with the square of
        # its length, so no cell may grow with the number of people.
        *(
            (("Interviewers" if n == 0 else " "), _person(p, may_call=interview.may_call))
            for n, p in enumerate(interview.interviewers)
        ),
        ("Recruiter", _person(interview.recruiter, may_call=interview.may_call) if interview.recruiter else ""),
        ("Agency", md(interview.agency)),
        ("Contact", _person(contact, may_call=interview.may_call) if contact else ""),
        ("Follow up with", _person(interview.follow_up_to) if interview.follow_up_to else ""),
        ("Phone call", "" if not interview.scheduled
         else "welcome: they invited a call" if interview.may_call else "only by email or letter"),
        ("Cancelled", f"{when(interview.cancelled)}: ask for a new date" if interview.cancelled else ""),
        ("Impression", interview.impression.value if interview.scheduled else ""),
        ("Outcome", interview.outcome.value),
        ("Reply promised by", when(interview.reply_by) if interview.reply_by else ""),
        ("Reply received", when(interview.reply_received) if interview.reply_received else ""),
        ("Thank-you sent", when(interview.thank_you_sent) if interview.thank_you_sent else ""),
        ("Notes reviewed", when(interview.notes_reviewed) if interview.notes_reviewed else ""),
        ("Follow-ups", ", ".join(when(d) for d in interview.follow_ups)),
        ("Offer received", when(interview.offer_received) if interview.offer_received else ""),
        ("Offer expires", when(interview.offer_deadline) if interview.offer_deadline else ""),
        ("Decided", when(interview.decided) if interview.decided else ""),
        ("Job ad", web_link(interview.posting) if interview.posting else ""),
        ("Salary", md(interview.salary)),
        ("Source", md(interview.source)),
        ("Note", f"<code>{attr(interview.path)}</code>"),
    ]


def _when(interview: Interview, zone: str) -> str:
    if not interview.scheduled:
        return "no interview yet"
    if interview.start:
        return when(interview.start, zone, interview.timezone)
    return f"{when(interview.day)} (time not known)"


def _reminder_cards(
    reminders: tuple[Reminder, ...], today: date, up: str, names: Mapping[str, str] | None, zone: str
) -> list[str]:
    """One card per reminder of the note: when, its state, its guide page, drafts, the done command."""
    lines: list[str] = []
    if reminders:
        lines += ['<div class="fu-cards" markdown>', ""]
        for reminder in reminders:
            drafts = " ".join(f"[✉ {md(p.first_name)}]({link})" for p, link in links(reminder))
            lines += card(
                f"{when(reminder.start, zone, reminder.local_zone)} · {_state(reminder, today)}",
                f"[{md(reminder.label)}]({up}{guide_page(reminder)}) {drafts}",
                done_command(reminder, names),
            )
        lines += ["</div>", ""]
    else:
        lines += ["Nothing left to do for this interview.", ""]
    return lines


def _other_rounds(interview: Interview, application: Application | None, up: str) -> list[str]:
    """Links to the other rounds of the same application, oldest first."""
    if application is None:
        return []
    others = [r for r in application.rounds if r is not interview]
    if not others:
        return []
    lines = ["## Other rounds", ""]
    for other in others:
        label = md(other.round or other.role) if other.scheduled else "application"
        lines.append(f"- [{when(other.day)} · {label}]({up}interviews/{other.slug}.md)")
    return lines


def _title(text: str) -> str:
    """The page title for the front-matter, HTML-escaped: the theme puts it in the page as is."""
    return yaml_string(html.escape(one_line(text), quote=False))
