"""The `followup` command: parses arguments, calls the library, prints. Nothing else lives here.

Heavy modules (MkDocs, icalendar) are imported inside the commands that need them, so
`followup --help` and `followup status` start fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from followup import __version__
from followup.errors import FollowupError, NotesInvalid

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CODES = """\b
Exit codes: 0 success; 1 a problem in the notes, the configuration or the site
(the message says which file and line); 2 a mistake in the command itself."""


class _Group(click.Group):
    """Turns the library's errors into `Error: ...` and exit 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NotesInvalid as error:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            raise click.ClickException(str(error)) from None
        except FollowupError as error:
            raise click.ClickException(str(error)) from None
        except OSError as error:
            where = f" ({error.filename})" if error.filename else ""
            raise click.ClickException(f"{error.strerror or error}{where}") from None


def today_option(command: F) -> F:
    return click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="Plan as if today were this date (YYYY-MM-DD), for reproducible output.",
    )(command)


def _today(value: datetime | None) -> date:
    return value.date() if value else date.today()


def _outcomes() -> list[Any]:
    from followup.model import Outcome

    return list(Outcome)


def _deep_checks(interviews: Any, day: date) -> list[Any]:
    from followup import checks

    return checks.check(interviews, day)


def _workspace(ctx: click.Context) -> Any:
    from followup.workspace import Workspace

    return Workspace.open(ctx.obj)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
@click.version_option(__version__, "-V", "--version", prog_name="followup")
@click.option(
    "-C",
    "--workspace",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    envvar="FOLLOWUP_WORKSPACE",
    show_default=True,
    help="The workspace: the folder with interviews/, docs/ and mkdocs.yml.",
)
@click.pass_context
def cli(ctx: click.Context, workspace: Path) -> None:
    """Turn interview notes into follow-up reminders, a calendar feed and a progress site.

    Keep one Markdown note per interview in interviews/; followup reads them and tells
    you when to prepare, thank, review your notes, follow up, and move on.

    \b
    Example:
        followup new "Acme" "Backend Engineer" --date "2026-12-03 14:00"
        followup check
        followup build
        followup status
    """
    ctx.obj = workspace


@cli.command()
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json prints a list of {path, line, severity, message} for editors and scripts.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@today_option
@click.pass_context
def check(ctx: click.Context, output: str, strict: bool, today: datetime | None) -> None:
    """Check every note and print each problem as path:line: message.

    Exits 1 when any note has an error; warnings (an unknown key, say) do not fail.

    \b
    Example:
        followup check
        followup check --format json
    """
    from followup import checks
    from followup.notes import note_files, read_notes

    workspace = _workspace(ctx)
    notes = read_notes(workspace.notes_dir, workspace.root, workspace.config.timezone)
    found = sorted([*notes.problems, *checks.check(notes.interviews, _today(today))])
    warnings = [p for p in found if p.severity == "warning"]
    if output == "json":
        problems = [
            {"path": p.path, "line": p.line, "severity": p.severity, "message": p.message}
            for p in found
        ]
        click.echo(json.dumps(problems, indent=2, ensure_ascii=False))
    else:
        for problem in found:
            click.echo(str(problem))
        count = len(note_files(workspace.notes_dir))
        click.echo(
            f"{count} note(s): {len(notes.errors)} error(s), {len(warnings)} warning(s)",
            err=True,
        )
    if notes.errors or (strict and warnings):
        ctx.exit(1)


@cli.command()
@today_option
@click.option("--no-site", is_flag=True, help="Write the feed and the progress index only.")
@click.option("--keep-going", is_flag=True, help="Build from the valid notes and name the ones left out.")
@click.pass_context
def build(ctx: click.Context, today: datetime | None, no_site: bool, keep_going: bool) -> None:
    """Write the calendar feed and the progress index, then build the site.

    Nothing is written when any note has an error (unless --keep-going): the previous
    feed, index and site stay as they were.

    \b
    Example:
        followup build
        followup build --no-site --today 2026-11-26
    """
    from followup.build import build_site, generate

    workspace = _workspace(ctx)
    result = generate(workspace, _today(today), pages_too=not no_site, keep_going=keep_going)
    for problem in result.notes.problems:
        click.echo(str(problem), err=True)
    for problem in _deep_checks(result.notes.interviews, _today(today)):
        click.echo(str(problem), err=True)
    if result.skipped:
        click.echo(f"Left out {len(result.skipped)} note(s) with errors: {', '.join(result.skipped)}", err=True)
    if not no_site:
        build_site(workspace)
    reminders = len(result.plan.reminders)
    click.echo(
        f"{len(result.notes.interviews)} interview(s), {reminders} event(s) in "
        f"{workspace.relative(workspace.feed_path)}; index in {workspace.relative(workspace.index_path)}"
        + ("" if no_site else f"; site in {workspace.relative(workspace.site_dir)}/")
    )
    if result.skipped:
        ctx.exit(1)


@cli.command()
@today_option
@click.option("--all", "show_all", is_flag=True, help="List every application, closed ones too.")
@click.pass_context
def status(ctx: click.Context, today: datetime | None, show_all: bool) -> None:
    """Show what to do next and where every application stands.

    \b
    Example:
        followup status
        followup status --all
    """
    from followup.build import load
    from followup.progress import progress
    from followup.status import render

    workspace = _workspace(ctx)
    day = _today(today)
    notes, the_plan = load(workspace, day, keep_going=True)
    for problem in notes.errors:
        click.echo(str(problem), err=True)
    width = min(click.get_terminal_size()[0] if sys.stdout.isatty() else 80, 120)
    for line in render(progress(the_plan, workspace.config, day), width=width, show_all=show_all):
        click.echo(line)
    if notes.errors:
        ctx.exit(1)


@cli.command()
@click.argument("company")
@click.argument("role")
@click.option("--date", "when", default=None, help="When it starts: 2026-12-03 14:00 (default: today).")
@click.option("--no-edit", is_flag=True, help="Do not open the note in $EDITOR.")
@click.pass_context
def new(ctx: click.Context, company: str, role: str, when: str | None, no_edit: bool) -> None:
    """Start a note for an interview from a template, then open it in your editor.

    \b
    Example:
        followup new "Acme" "Backend Engineer" --date "2026-12-03 14:00"
        followup new Initech "Data Analyst" --no-edit
    """
    from followup.dates import DateError, parse_when
    from followup.templates import clean_text, new_note_path, note_text

    workspace = _workspace(ctx)
    zone = workspace.config.zone
    if when is None:
        when = date.today().isoformat()
    try:
        moment = parse_when(when, zone)
    except DateError as error:
        raise click.BadParameter(str(error), param_hint="--date") from None
    if not clean_text(company) or not clean_text(role):
        raise click.BadParameter("company and role must not be empty")
    day = moment.date() if isinstance(moment, datetime) else moment
    path = new_note_path(workspace.notes_dir, company, role, day)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as stream:
        stream.write(note_text(company, role, when.strip(), workspace.config.timezone))
    click.echo(f"Created {workspace.relative(path)}")
    if not no_edit:
        click.edit(filename=str(path))


_ACTIONS = {"thank-you": "thank_you_sent", "review": "notes_reviewed", "follow-up": "follow_ups"}


def _date_option(name: str, help_text: str) -> Callable[[F], F]:
    kind = click.DateTime(formats=["%Y-%m-%d"])
    return click.option(name, type=kind, default=None, help=help_text)


def _record(ctx: click.Context, query: str, changes: list[Any]) -> None:
    from followup import edit
    from followup.notes import read_notes

    workspace = _workspace(ctx)
    notes = read_notes(workspace.notes_dir, workspace.root, workspace.config.timezone)
    companies = {workspace.root / i.path: i.company for i in notes.interviews}
    try:
        path = edit.find_note(query, workspace.notes_dir, workspace.root, companies)
    except edit.NoteLookupError as error:
        raise click.BadParameter(str(error), param_hint="NOTE") from None
    shown = workspace.relative(path)
    plan = edit.record(path, changes, shown, workspace.config.timezone)
    if not plan.changed:
        click.echo(f"{shown}: already recorded, nothing changed")
        return
    for change in changes:
        key, value = change.key, change.value
        click.echo(f"{shown}: {key} {'+=' if isinstance(change, edit.AppendItem) else '='} {value}")


@cli.command()
@click.argument("note")
@click.argument("action", type=click.Choice(list(_ACTIONS)))
@_date_option("--date", "When you did it (YYYY-MM-DD; default: today).")
@click.pass_context
def done(ctx: click.Context, note: str, action: str, date: datetime | None) -> None:
    """Record that you sent the thank-you, reviewed your notes, or followed up.

    NOTE is the note's path, or any unambiguous part of its file name or company.
    Only that one key of the note changes; every other byte stays as it was.

    \b
    Example:
        followup done acme thank-you
        followup done interviews/2026-11-20-acme.md follow-up --date 2026-11-30
    """
    from followup import edit

    day = _today(date)
    key = _ACTIONS[action]
    change: edit.Change = (
        edit.AppendItem(key, day) if key == "follow_ups" else edit.SetValue(key, day)
    )
    _record(ctx, note, [change])


@cli.command()
@click.argument("note")
@click.argument("value", type=click.Choice([o.value for o in _outcomes()]))
@_date_option("--received", "For an offer: the date it arrived (offer_received).")
@_date_option("--deadline", "For an offer: the date it expires (offer_deadline).")
@click.pass_context
def outcome(
    ctx: click.Context, note: str, value: str, received: datetime | None, deadline: datetime | None
) -> None:
    """Record what happened: next-round, offer, rejected, withdrawn, accepted...

    \b
    Example:
        followup outcome acme rejected
        followup outcome globex offer --received 2026-12-01 --deadline 2026-12-08
    """
    from followup import edit
    from followup.model import Outcome

    if (received or deadline) and value != Outcome.OFFER:
        raise click.UsageError("--received and --deadline go with the outcome 'offer'")
    changes: list[edit.Change] = [edit.SetValue("outcome", Outcome(value))]
    if received:
        changes.append(edit.SetValue("offer_received", received.date()))
    if deadline:
        changes.append(edit.SetValue("offer_deadline", deadline.date()))
    _record(ctx, note, changes)


def main() -> None:
    cli(prog_name="followup")
