"""Generated site pages: one per interview, and the page that shows how to subscribe."""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import date

from followup.config import Config
from followup.note.model import Interview, Outcome, Person
from followup.out.drafts import links
from followup.out.index import card
from followup.out.markup import attr, md, one_line, yaml_string
from followup.out.timetext import when
from followup.plan.applications import Application
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
        name = md(interview.round) if interview.round else "interview"
        events.append((interview.day, number, f"Interview: {name}"))
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


def interview_page(
    interview: Interview, plan: Plan, today: date, body: str, *,
    names: Mapping[str, str] | None = None, config: Config | None = None,
) -> str:
    """Details, where the application stands, its timeline, this note's reminders, the notes.

    `body` is the note's Markdown, already made safe by the caller.
    """
    names = names or {}
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
    lines += _reminder_cards(plan.for_interview(interview), today, up, names, zone)
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
        ("When", when(interview.start, zone, interview.timezone)
         if interview.start else f"{when(interview.day)} (time not known)"),
        ("Time zone", md(interview.timezone) if interview.start and interview.timezone != zone else ""),
        ("Duration", f"{interview.duration} minutes" if interview.start else ""),
        ("Where", md(interview.location)),
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
        ("Phone call", "welcome: they invited a call" if interview.may_call else "only by email or letter"),
        ("Impression", interview.impression.value),
        ("Outcome", interview.outcome.value),
        ("Reply promised by", when(interview.reply_by) if interview.reply_by else ""),
        ("Reply received", when(interview.reply_received) if interview.reply_received else ""),
        ("Thank-you sent", when(interview.thank_you_sent) if interview.thank_you_sent else ""),
        ("Notes reviewed", when(interview.notes_reviewed) if interview.notes_reviewed else ""),
        ("Follow-ups", ", ".join(when(d) for d in interview.follow_ups)),
        ("Offer received", when(interview.offer_received) if interview.offer_received else ""),
        ("Offer expires", when(interview.offer_deadline) if interview.offer_deadline else ""),
        ("Note", f"<code>{attr(interview.path)}</code>"),
    ]


def _reminder_cards(
    reminders: tuple[Reminder, ...], today: date, up: str, names: Mapping[str, str], zone: str
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
        label = md(other.round or other.role)
        lines.append(f"- [{when(other.day)} · {label}]({up}interviews/{other.slug}.md)")
    return lines


def _title(text: str) -> str:
    """The page title for the front-matter, HTML-escaped: the theme puts it in the page as is."""
    return yaml_string(html.escape(one_line(text), quote=False))


def qr_code(address: str) -> str:
    """The address as a QR code, inline SVG drawn here (segno): a phone's camera subscribes."""
    import segno

    svg = segno.make(address, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", svgclass="fu-qr", lineclass=None, omitsize=True,
        title=f"QR code of {address}",
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)


def feed_address(config: Config, feed_file: str) -> str:
    """The full address of the feed: where `followup publish` puts it, else on the site; or ''."""
    base = config.publish_url or config.site_url
    return f"{base.rstrip('/')}/{feed_file}" if base and feed_file else ""


def subscribe_page(config: Config, feed_file: str, tasks_address: str = "") -> str:
    """The roads to a calendar; an empty `feed_file` means a secret name this page must not show."""
    address = feed_address(config, feed_file)
    lines = ["---", "title: Subscribe", "---", "", "# Subscribe to your reminders", ""]
    if not feed_file:
        lines += [
            "Your feed has a private address, which this site does not show. On your own "
            "computer, run `followup feed url` to see it (`followup feed url --site-url "
            "https://…` when `site_url` is not set), and paste it into your calendar app. "
            "If the address leaks, `followup feed rotate` gives the feed a new one.",
            "",
        ]
    elif address:
        webcal = "webcal://" + address.split("://", 1)[-1]
        lines += ['<div class="fu-address" markdown>', "", "Subscribe with this address:", "",
                  "```text", address, "```", "", "Apple Calendar and Outlook also take:", "",
                  "```text", webcal, "```", "", "</div>", ""]
        if config.show_feed_address:
            lines += ['<div class="fu-qr-box" markdown>', "", qr_code(webcal), "",
                      "Point a phone's camera at this code to subscribe on the phone.", "", "</div>", ""]
    else:
        lines += [
            f"The feed is published beside this page as [`{feed_file}`]({feed_file}). "
            "Set `site_url` (or `publish_url`) in `followup.toml` and this page shows the "
            "full subscription address.",
            "",
        ]
    if tasks_address:
        lines += [
            f"Your open actions are also published as tasks, in `{tasks_address}` beside "
            "the feed, for apps with a task list such as Thunderbird and Evolution.",
            "",
        ]
    lines += [
        "## Four roads to your calendar",
        "",
        "**Subscribe by address.** Publish this site somewhere only you know (`site_url`), "
        "and paste the feed's address into Google Calendar, Apple Calendar, Outlook or "
        "Thunderbird. The app fetches it again every few hours.",
        "",
        "**Publish the feed alone.** `followup publish --dir PATH` copies the feed under its "
        "secret name, with a robots.txt and an index that names nobody, into a folder your web "
        "server serves; `followup publish --git REMOTE` pushes the same files to a repository "
        "that a static host publishes. Set `publish_url` to that address and this page shows it.",
        "",
        "**Sync with a CalDAV calendar.** `followup sync` keeps a calendar on your own CalDAV "
        "server (Nextcloud, Radicale, Fastmail…) equal to your plan, configured by a "
        "`[caldav]` table in `followup.toml`. Nothing needs to be published.",
        "",
        "**Preview on this computer.** While `followup serve` runs, Apple Calendar or "
        "Thunderbird on the same machine can subscribe to the feed at "
        + (f"`http://127.0.0.1:8000/{feed_file}`" if feed_file else
           "the address `followup feed url --site-url http://127.0.0.1:8000` prints")
        + "; other devices cannot reach it.",
        "",
        "Each reminder is an event at the time to act: many calendar apps drop alerts from "
        "subscribed calendars, so set a default alert for this calendar in your app. "
        "See [calendar apps](howto/calendar-apps.md) for Google, Apple, Outlook and Thunderbird.",
        "",
    ]
    return "\n".join(lines)
