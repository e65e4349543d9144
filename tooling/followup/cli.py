"""The `followup` command: parses arguments, calls the library, prints. Nothing else lives here.

Heavy modules (MkDocs, icalendar) are imported inside the commands that need them, so
`followup --help` and `followup status` start fast.
"""

from __future__ import annotations

import gc
import json
import shutil
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from followup import __version__
from followup.clock import read_clock
from followup.errors import FollowupError, NotesInvalid, printable
from followup.note.model import Outcome  # light: the outcome command's choices
from followup.plan.kinds import DONE_ACTIONS

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from followup.errors import Problem
    from followup.mail.review import Applied, Review
    from followup.mail.scan import Message
    from followup.note.model import Interview
    from followup.note.read import NoteSet
    from followup.workspace import Workspace

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
            _say_problems(error.problems)
            raise click.ClickException(printable(str(error))) from None
        except FollowupError as error:
            raise click.ClickException(printable(str(error))) from None
        except BrokenPipeError:
            raise  # the reader went away (`followup status | head`): Click exits quietly
        except OSError as error:
            where = f" ({error.filename})" if error.filename else ""
            raise click.ClickException(printable(f"{error.strerror or error}{where}")) from None


def _say_left_out(skipped: Sequence[str]) -> None:
    for name in skipped:
        _say(f"warning: {name} left out of the guide: it is not a regular file inside the workspace "
             "(a link to a file or folder elsewhere)", err=True)


def _warn_foreign_hooks(workspace: Any) -> None:
    from followup.site.builder import foreign_hooks

    for hook in foreign_hooks(workspace):
        _say(
            f"warning: mkdocs.yml runs the hook {hook}: MkDocs runs a hook's Python code on every "
            "build, so build only if you trust where this workspace came from",
            err=True,
        )


# Past this many warnings a build shows only the first few, and how many there are in all.
MANY_WARNINGS = 20
FIRST_WARNINGS = 5


def _say_problems(problems: Sequence[Problem]) -> None:
    """Every error, and the warnings, or (when there are many) the first few and the count."""
    warnings = [p for p in problems if p.severity == "warning"]
    hidden = set(map(id, warnings[FIRST_WARNINGS:])) if len(warnings) > MANY_WARNINGS else set()
    for problem in problems:
        if id(problem) not in hidden:
            _say(str(problem), err=True)
    if hidden:
        _say(
            f"... and {len(hidden)} more warning(s), {len(warnings)} in all; "
            "run `followup check` to see them all",
            err=True,
        )


def _say(text: str, *, err: bool = False) -> None:
    """Print text that may hold a note's values: no control character reaches the terminal."""
    click.echo(printable(text), err=err)


class _Date(click.ParamType):  # type: ignore[type-arg]  # generic only in recent Click
    """A date as notes take it (`2026-11-20`), with the same messages as `check`."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        from followup.note.dates import DateError, parse_date

        try:
            return parse_date(str(value))
        except DateError as error:
            self.fail(str(error), param, ctx)


def _date_option(name: str, help_text: str) -> Callable[[F], F]:
    return click.option(name, type=_Date(), default=None, help=help_text)


today_option = _date_option("--today", "Plan as if today were this date (YYYY-MM-DD), for reproducible output.")


def _today(value: date | None) -> date:
    return read_clock(value).today


def _waiting(workspace: Workspace) -> Callable[[], None]:
    """What a command says when another build holds the workspace: it then waits its turn."""
    return lambda: _say(
        f"Another followup command is building {workspace.root}; waiting for it to finish "
        "(Ctrl+C stops waiting)...",
        err=True,
    )


def _workspace(ctx: click.Context) -> Workspace:
    from followup.workspace import Workspace

    return Workspace.open(ctx.obj)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
@click.version_option(__version__, "-V", "--version", prog_name="followup")
@click.option(
    "-C",
    "--workspace",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
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
def check(ctx: click.Context, *, output: str, strict: bool, today: date | None) -> None:
    """Check every note and print each problem as path:line: message.

    Exits 1 when any note has an error; warnings (an unknown key, say) do not fail.

    \b
    Example:
        followup check
        followup check --format json
    """
    from followup.note.read import workspace_notes
    from followup.plan.checks import check as deeper_checks

    workspace = _workspace(ctx)
    notes = workspace_notes(workspace, keep_going=True)
    found = tuple(sorted([*notes.problems, *deeper_checks(notes.interviews, _today(today), workspace.config)]))
    errors = [p for p in found if p.severity == "error"]
    warnings = [p for p in found if p.severity == "warning"]
    if output == "json":
        problems = [
            {"path": p.path, "line": p.line, "severity": p.severity, "message": p.message}
            for p in found
        ]
        _echo_json(problems)
    else:
        for problem in found:
            _say(str(problem))
        click.echo(
            f"{len(notes.files)} note(s): {len(errors)} error(s), {len(warnings)} warning(s)",
            err=True,
        )
    if errors or (strict and warnings):
        ctx.exit(1)


@cli.command()
@today_option
@click.option("--no-site", is_flag=True, help="Write the feed and the progress index only.")
@click.option("--keep-going", is_flag=True, help="Build from the valid notes and name the ones left out.")
@click.option("--guide-only", is_flag=True,
              help="Build the site with the guide alone (no notes, pages or feed), to share.")
@click.pass_context
def build(
    ctx: click.Context, *, today: date | None, no_site: bool, keep_going: bool, guide_only: bool
) -> None:
    """Write the calendar feed and the progress index, then build the site.

    Nothing is written when any note has an error (unless --keep-going): the previous
    feed, index and site stay as they were.

    \b
    Example:
        followup build
        followup build --no-site --today 2026-11-26
        followup build --guide-only
    """
    from followup.build import generate
    from followup.lock import one_build_at_a_time
    from followup.note.files import check_notes_dir

    workspace = _workspace(ctx)
    if guide_only and no_site:
        raise click.UsageError("--guide-only builds the site; it cannot go with --no-site")
    if not guide_only:
        check_notes_dir(workspace.notes_dir)  # before anything, the lock file too, is written
    if not no_site:
        from followup.site.builder import build_site, check_site_config

        check_site_config(workspace)
        _warn_foreign_hooks(workspace)
    with one_build_at_a_time(workspace, _waiting(workspace)):
        if guide_only:
            _say_left_out(build_site(workspace, guide_only=True))
            click.echo(f"The guide alone, with no note, in {workspace.relative(workspace.site_dir)}/")
            return
        result = generate(workspace, read_clock(today), pages_too=not no_site, keep_going=keep_going)
        _say_problems(result.problems)
        for warning in result.warnings:
            _say(f"warning: {warning}", err=True)
        if result.skipped:
            _say(f"Left out {len(result.skipped)} note(s) with errors: {', '.join(result.skipped)}", err=True)
        if not no_site:
            build_site(workspace)
    where = result.feed or "the private feed (followup feed url shows its address)"
    _say(
        f"{result.interviews} interview(s), "
        + (f"{result.applied} application(s) with no interview yet, " if result.applied else "")
        + f"{result.events} event(s) in "
        f"{where}; index in {workspace.relative(workspace.index_path)}"
        + ("" if no_site else f"; site in {workspace.relative(workspace.site_dir)}/")
    )
    if result.skipped:
        ctx.exit(1)


@cli.command()
@today_option
@click.option("--all", "show_all", is_flag=True, help="List every application, closed ones too.")
@click.pass_context
def status(ctx: click.Context, *, today: date | None, show_all: bool) -> None:
    """Show what to do next and where every application stands.

    \b
    Example:
        followup status
        followup status --all
    """
    from followup.note.read import workspace_notes
    from followup.plan.progress import progress
    from followup.plan.rules import plan
    from followup.status import render

    workspace = _workspace(ctx)
    day = _today(today)
    notes = workspace_notes(workspace, keep_going=True)
    planned = plan(notes.interviews, workspace.config, day)
    for problem in notes.errors:
        _say(str(problem), err=True)
    width = min(shutil.get_terminal_size().columns if sys.stdout.isatty() else 80, 120)
    for line in render(progress(planned, workspace.config, day), width=width, show_all=show_all):
        click.echo(line)
    if notes.errors:
        ctx.exit(1)


@cli.command()
@click.argument("company", required=False)
@click.argument("role", required=False)
@click.option("--date", "when", default=None, help="When it starts: 2026-12-03 14:00 (default: today).")
@click.option("--after", "after", default=None, metavar="NOTE",
              help="Start the next round of NOTE's application: company, role, recruiter... filled in.")
@click.option("--round", "round_name", default="", metavar="NAME", help="This round's name: technical, final...")
@_date_option("--applied", "An application with no interview yet: the day you applied.")
@click.option("--no-edit", is_flag=True, help="Do not open the note in $EDITOR.")
@click.pass_context
def new(
    ctx: click.Context,
    *,
    company: str | None,
    role: str | None,
    when: str | None,
    after: str | None,
    round_name: str,
    applied: date | None,
    no_edit: bool,
) -> None:
    """Start a note for an interview from a template, then open it in your editor.

    With --after NOTE it starts the next round of that note's application (the first
    interview, after an application note), with the company, role, application,
    recruiter, agency, contact and time zone filled in; NOTE naming several rounds means
    the latest. With --applied DATE it starts an application with no interview yet.

    \b
    Example:
        followup new "Acme" "Backend Engineer" --date "2026-12-03 14:00"
        followup new "Globex" "Data Engineer" --applied 2026-11-02
        followup new --after acme --round final --date "2026-12-10 10:00"
    """
    from followup.note.dates import DateError
    from followup.note.template import Carried, create_note

    workspace = _workspace(ctx)
    timezone = workspace.config.timezone
    carried = Carried(round=round_name)
    if after is not None:
        if company or role:
            raise click.UsageError("give COMPANY and ROLE, or --after NOTE, not both")
        _, previous = _round_of(ctx, after, hint="--after")
        company, role, timezone = previous.company, previous.role, previous.timezone
        carried = Carried.after(previous, round_name)
    if company is None or role is None:
        raise click.UsageError("give COMPANY and ROLE (or --after NOTE for the next round)")
    if applied is not None and (when or after):
        raise click.UsageError("--applied starts an application with no interview yet: leave out --date and --after")
    try:
        if applied is not None:
            day = _not_after_today(applied, "--applied").isoformat()
            path = create_note(workspace.notes_dir, company, role, day, timezone, carried, applied=True)
        else:
            path = create_note(workspace.notes_dir, company, role, when or _today(None).isoformat(), timezone, carried)
    except DateError as error:
        raise click.BadParameter(printable(str(error)), param_hint="--date") from None
    except ValueError as error:
        raise click.BadParameter(printable(str(error))) from None
    _say(f"Created {workspace.relative(path)}")
    if not no_edit:
        try:
            click.edit(filename=str(path))
        except click.ClickException:
            _say(f"No editor could be started (set $EDITOR): open {workspace.relative(path)} in yours.")


@cli.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...",
                type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--company", default="", help="The employer, for a new note (default: guessed from the addresses).")
@click.option("--role", default="", help="The position, for a new note (default: guessed from the title).")
@click.option("--all", "every", is_flag=True, help="Import every event of a file that holds several.")
@click.option("--uid", default=None, metavar="UID", help="Import only the event with this UID.")
@click.pass_context
def invite(
    ctx: click.Context, *, files: tuple[str, ...], company: str, role: str, every: bool, uid: str | None
) -> None:
    """Start, move or cancel interview notes from calendar invitations.

    FILE is an .ics file or a whole email saved from your mail program (.eml), or - to read
    one from standard input. A new invitation starts a note (time, zone, length, place,
    interviewers; company and role guessed unless you give them, and `followup check`
    reminds you to look at the guesses). A later version of an invitation already imported
    moves its note; a cancellation marks it cancelled. An older or identical one changes
    nothing.

    \b
    Example:
        followup invite ~/Downloads/invite.ics
        followup invite --company "Acme" --role "Data Engineer" interview.eml
        cat interview.eml | followup invite -
    """
    from followup.invite import notes as invited
    from followup.invite.parse import MAX_BYTES, InvitationError, read_invitations
    from followup.note.read import workspace_notes

    if every and uid is not None:
        raise click.UsageError("give --all or --uid, not both")
    workspace = _workspace(ctx)
    if not workspace.notes_dir.exists() and not workspace.notes_dir.is_symlink():
        workspace.notes_dir.mkdir()
    today = _today(None)
    failed = False
    for name in files:
        source = "standard input" if name == "-" else name
        try:
            if name == "-":
                data = click.get_binary_stream("stdin").read(MAX_BYTES + 1)
            else:
                with open(name, "rb") as stream:
                    data = stream.read(MAX_BYTES + 1)
            found = read_invitations(data, source, user_zone=workspace.config.timezone)
            for inv in invited.choose(found, source, uid=uid, every=every):
                for warning in inv.warnings:
                    _say(f"warning: {source}: {warning}", err=True)
                notes = workspace_notes(workspace, keep_going=True)
                done = invited.import_invitation(inv, workspace, notes, today, company=company, role=role)
                _say(done.message)
                for warning in done.warnings:
                    _say(f"warning: {source}: {warning}", err=True)
        except FollowupError as error:  # an InvitationError names the file itself
            _say(f"Error: {error if isinstance(error, InvitationError) else f'{source}: {error}'}", err=True)
            failed = True
        except OSError as error:
            _say(f"Error: {source}: {error.strerror or error}", err=True)
            failed = True
    if failed:
        ctx.exit(1)


def _round_of(ctx: click.Context, query: str, round_name: str = "", hint: str = "NOTE") -> tuple[Workspace, Interview]:
    """The round NOTE means, as the plan sees it (with what it takes from earlier rounds).

    NOTE naming several rounds of one application means its latest round, or with
    `round_name` the round of that name; naming several applications is a usage error."""
    from followup.note import edit
    from followup.plan.applications import choose_round

    workspace, notes = _read_notes(ctx)
    # A note may be a link inside the workspace: the lookup names its target, the plan the link.
    read_as = {(workspace.root / i.path).resolve(): i.path for i in notes.interviews}

    def shown(found: Path) -> str:
        return read_as.get(found.resolve(), workspace.relative(found))

    try:
        paths = [shown(_lookup(workspace, notes, query))]
    except edit.NoteLookupError as error:
        if not error.matches:
            raise click.BadParameter(printable(str(error)), param_hint=hint) from None
        paths = [shown(p) for p in error.matches]
        if not any(i.path in paths for i in notes.interviews):
            raise click.BadParameter(printable(str(error)), param_hint=hint) from None
    found = choose_round(notes.interviews, paths, round_name)
    if found is None and len(paths) == 1 and not round_name:
        raise FollowupError(f"{paths[0]} has errors; fix them first (followup check)")
    if found is None:
        listed = "\n".join(f"  {p}" for p in paths)
        why = (f"no round of it is named '{round_name}'" if round_name
               else "they are rounds of different applications; be more precise")
        raise click.BadParameter(printable(f"'{query}' matches {len(paths)} note(s), and {why}:\n{listed}"),
                                 param_hint=hint)
    if len(paths) > 1 or round_name:
        _say(f"{found.path}: the {'round named' if round_name else 'latest round of'} "
             f"{found.application_name}{'' if round_name else ' (--round NAME picks another)'}", err=True)
    return workspace, found


def _read_notes(ctx: click.Context) -> tuple[Workspace, NoteSet]:
    from followup.note.read import workspace_notes

    workspace = _workspace(ctx)
    return workspace, workspace_notes(workspace, keep_going=True)


def _lookup(workspace: Workspace, notes: NoteSet, query: str) -> Path:
    """The note QUERY names: a path, or part of a file name or company (see `edit.find_note`)."""
    from followup.note import edit

    companies = {workspace.root / i.path: i.company for i in notes.interviews}
    return edit.find_note(query, workspace.notes_dir, workspace.root, companies)


@cli.group(cls=_Group)
def feed() -> None:
    """The calendar feed's address: keep it secret, rotate it, show it.

    By default the feed is published beside the site as followup.ics, an address anyone
    who knows the site can guess. After `followup feed rotate` it is published under a
    secret name (128 random bits) instead, and followup.ics is no longer published at all.
    The secret is kept in followup-state.json (commit it with your notes, so a build from
    another clone publishes the same address); it is never printed by `followup build`
    nor shown on the site's subscribe page, unless `show_feed_address = true`.
    `followup publish` puts the feed alone on a public host, under that secret name.

    \b
    Example:
        followup feed rotate
        followup feed url --site-url https://me.example/search
    """


@feed.command()
@click.pass_context
def rotate(ctx: click.Context) -> None:
    """Give the feed a new secret address (or its first one).

    The old address stops working once you build and publish the site again; everyone
    subscribed must then subscribe again with the new address (see `followup feed url`).

    \b
    Example:
        followup feed rotate
        followup build && followup feed url
    """
    from followup.feed.names import rotate as rotate_secret

    workspace = _workspace(ctx)
    rotate_secret(workspace.root)
    click.echo(
        "The feed has a new secret address; build and publish the site, then run "
        "`followup feed url` to see it."
    )


@feed.command()
@click.option("--site-url", default=None, metavar="URL",
              help="Where the site is published (default: site_url in followup.toml).")
@click.pass_context
def url(ctx: click.Context, site_url: str | None) -> None:
    """Print the address to subscribe to, as webcal:// and as https://.

    This prints the secret address when there is one: share it only with your calendar.

    \b
    Example:
        followup feed url
        followup feed url --site-url https://example.org/my-search
    """
    from followup.feed.names import feed_names
    from followup.feed.state import load_state

    workspace = _workspace(ctx)
    config = workspace.config
    base = site_url if site_url is not None else (config.publish_url or config.site_url)
    if not base:
        raise click.UsageError(
            "no address: set publish_url (or site_url) in followup.toml, or pass --site-url"
        )
    secret = load_state(workspace.root).feed_secret
    if base == config.publish_url and site_url is None and not secret:
        raise FollowupError("the feed has no secret name yet: `followup publish` gives it one")
    _print_addresses(base, feed_names(config, secret), tasks_feed=config.tasks_feed)


def _print_addresses(base: str, names: Any, *, tasks_feed: bool) -> None:
    from followup.feed.names import addresses

    webcal, web = addresses(base, names.events)
    click.echo(webcal)
    click.echo(web)
    if tasks_feed:
        click.echo(addresses(base, names.tasks)[1])


@cli.command()
@today_option
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write the bundle into this folder, for a static host's upload or rsync.")
@click.option("--git", "remote", default=None, metavar="REMOTE",
              help="Push the bundle as one commit without history to this git URL or path.")
@click.option("--branch", default="gh-pages", show_default=True, help="The branch --git pushes to.")
@click.option("--with-guide", is_flag=True, help="Add the guide-only site (no note in it).")
@click.pass_context
def publish(
    ctx: click.Context, *, today: date | None, folder: Path | None, remote: str | None, branch: str,
    with_guide: bool,
) -> None:
    """Publish only what a calendar app needs: the feed under its secret name.

    The bundle holds the feed (and the task feed when tasks_feed is on), a robots.txt
    that turns crawlers away, an index page naming nobody, and .nojekyll: never the site,
    the progress page or an interview page. The first publish gives the feed a secret name.
    Set publish_url in followup.toml to where the bundle is served to see the address.

    \b
    Example:
        followup publish --dir ../public
        followup publish --git git@example.org:me/feed.git --branch pages
    """
    import tempfile

    from followup.build import generate
    from followup.delivery.publish import exposure, feed_secret, make_bundle, push_git, write_dir
    from followup.lock import planning
    from followup.note.read import workspace_notes

    if (folder is None) == (remote is None):
        raise click.UsageError("give one of --dir PATH or --git REMOTE")
    workspace = _workspace(ctx)
    with planning(workspace, _waiting(workspace)), tempfile.TemporaryDirectory(prefix="followup-publish-") as scratch:
        secret = feed_secret(workspace.root)
        report = generate(workspace, read_clock(today), pages_too=False)
        guide = None
        if with_guide:
            from followup.site.builder import build_site

            _warn_foreign_hooks(workspace)
            guide = Path(scratch) / "site"
            _say_left_out(build_site(workspace, guide_only=True, site_dir=guide))
        bundle = make_bundle(workspace, secret, guide_site=guide, warnings=report.warnings)
    for warning in bundle.warnings:
        _say(f"warning: {warning}", err=True)
    if folder is not None:
        changed = write_dir(bundle, folder)
        click.echo(f"{len(bundle.files)} file(s) in {folder} ({changed} changed)")
    elif (pushed := push_git(bundle, str(remote), branch)).pushed:
        click.echo(f"Pushed {len(bundle.files)} file(s) to {branch} of {remote}")
        if pushed.replaced:
            _say(
                f"warning: {branch} no longer holds {', '.join(pushed.replaced)}, but the host keeps the "
                "commit that did until it prunes unreachable commits, and anyone who has its hash can still "
                "fetch it. To expire it now: on GitLab, Settings > General > Advanced > Housekeeping, prune "
                "unreachable objects; on GitHub, ask GitHub Support to remove the unreachable commit; on your "
                "own server, run `git gc --prune=now` in the repository (README, Security)",
                err=True,
            )
    else:
        click.echo(f"Nothing to push: {branch} of {remote} already holds this bundle")
    config = workspace.config
    shown = exposure(bundle, workspace_notes(workspace).interviews)
    for sentence in shown.sentences(minimal=config.minimal_details):
        _say(sentence)
    if config.publish_url:
        from followup.feed.names import feed_names
        from followup.feed.state import load_state

        click.echo("Subscribe with:")
        _print_addresses(config.publish_url, feed_names(config, load_state(workspace.root).feed_secret),
                         tasks_feed=config.tasks_feed)
    else:
        click.echo("Set publish_url in followup.toml to where this is served to see the address "
                   "to subscribe to (then `followup feed url` shows it too).")


@cli.command()
@today_option
@click.option("--dry-run", is_flag=True, help="Say what would change, and write nothing.")
@click.option("--trust", is_flag=True,
              help="Approve the calendar in followup.toml (remembered outside the workspace).")
@click.pass_context
def sync(ctx: click.Context, *, today: date | None, dry_run: bool, trust: bool) -> None:
    """Make the CalDAV calendar in [caldav] hold exactly your reminders.

    Creates the missing events, updates the changed ones, removes the ones this workspace
    made that left the plan, and never touches an event it did not make.

    A workspace names a calendar; you approve it. The first sync to a calendar asks you (or
    --trust approves it), and your approval is kept in ~/.config/followup/calendars.toml,
    outside any workspace. The password comes from FOLLOWUP_CALDAV_PASSWORD, else the
    approved calendar's password_command in that file, else its host's machine line in
    ~/.netrc.

    \b
    Example:
        followup sync --dry-run
        FOLLOWUP_CALDAV_PASSWORD=... followup sync
    """
    import os

    from followup.build import feed_events
    from followup.delivery.caldav import credentials, storage
    from followup.delivery.caldav import sync as caldav_sync
    from followup.lock import planning

    workspace = _workspace(ctx)
    settings = workspace.config.caldav
    if settings is None:
        raise FollowupError(
            "no calendar to sync with: add a [caldav] table to followup.toml, with url = the "
            "calendar's address and username = your login"
        )
    environ, home = os.environ, Path.home()
    calendar = credentials.approved(settings, environ, home)
    if calendar is None:
        question = (f"followup.toml asks to send your reminders (and your password) to {settings.url}. "
                    "Approve this calendar?")
        if not (trust or (sys.stdin.isatty() and click.confirm(printable(question), default=False))):
            raise FollowupError(
                f"{settings.url} is not a calendar you approved on this computer; a workspace may come "
                "from anyone, so followup sends nothing there until you do: check the address, then "
                f"run `followup sync --trust` (kept in {credentials.calendars_file(environ, home)})"
            )
        _say(f"Approved {settings.url} in {credentials.approve(settings, environ, home)}", err=True)
        calendar = credentials.Approved(settings.url)  # as approve wrote it: no password_command yet
    clock = read_clock(today)
    with planning(workspace, _waiting(workspace)):
        server = storage.Server(settings, *credentials.credentials(settings, calendar, environ, home))
        events = feed_events(workspace, clock, remember=not dry_run)
        wanted = caldav_sync.wanted(events.texts, events.starts, clock.today, events.revisions)
        changes = caldav_sync.sync(workspace.root, settings, server, wanted, events.published, dry_run=dry_run)
    click.echo(changes.summary() + (" (dry run: nothing written)" if dry_run else ""))


def _record(workspace: Workspace, shown: str, changes: list[Any]) -> None:
    from followup.note import edit

    path = workspace.root / shown
    plan = edit.record(path, changes, shown, workspace.config.timezone)
    if not plan.changed:
        _say(f"{shown}: already recorded, nothing changed")
        return
    for change in changes:
        key, value = change.key, change.value
        _say(f"{shown}: {key} {'+=' if isinstance(change, edit.AppendItem) else '='} {value}")


round_option = click.option(
    "--round", "round_name", default="", metavar="NAME",
    help="When NOTE names several rounds of one application: the round of this name (default: the latest).",
)


def _not_after_today(day: date | None, option: str) -> date:
    today = _today(None)
    if day is not None and day > today:
        raise click.BadParameter(f"{day} is after today ({today}); record what you did once it is done",
                                 param_hint=option)
    return day or today


@cli.command()
@click.argument("note")
@click.argument("action", type=click.Choice(list(DONE_ACTIONS)))
@_date_option("--date", "When you did it (YYYY-MM-DD; default: today).")
@round_option
@click.pass_context
def done(ctx: click.Context, note: str, action: str, date: date | None, round_name: str) -> None:
    """Record that you sent the thank-you, reviewed your notes, followed up, or answered an
    offer with your counter-proposal (negotiate).

    NOTE is the note's path, or any unambiguous part of its file name or company; when it
    names several rounds of one application, the latest (or --round NAME). Only that one
    key of the note changes; every other byte stays as it was.

    \b
    Example:
        followup done acme thank-you
        followup done brightwave thank-you --round technical
        followup done interviews/2026-11-20-acme.md follow-up --date 2026-11-30
    """
    from followup.note import edit

    day = _not_after_today(date, "--date")
    key = DONE_ACTIONS[action]
    change: edit.Change = (
        edit.AppendItem(key, day) if key == "follow_ups" else edit.SetValue(key, day)
    )
    workspace, interview = _round_of(ctx, note, round_name)
    _record(workspace, interview.path, [change])


@cli.command()
@click.argument("note")
@click.argument("value", type=click.Choice([o.value for o in Outcome]))
@_date_option("--received", "For an offer: the date it arrived (offer_received; default: today).")
@_date_option("--deadline", "For an offer: the date it expires (offer_deadline).")
@_date_option("--on", "For accepted or withdrawn: the day you decided (decided; default: today).")
@round_option
@click.pass_context
def outcome(
    ctx: click.Context, note: str, value: str, received: date | None, deadline: date | None, on: date | None,
    round_name: str,
) -> None:
    """Record what happened: next-round, offer, rejected, withdrawn, accepted...

    An offer records the day it arrived (today, or --received) unless the note has it;
    accepting or withdrawing records the day you decided (today, or --on). Once you accept
    an offer, every other open application gets a reminder to withdraw from it.

    \b
    Example:
        followup outcome acme rejected
        followup outcome globex offer --received 2026-12-01 --deadline 2026-12-08
        followup outcome globex accepted
    """
    from followup.note import edit

    chosen = Outcome(value)
    if (received or deadline) and chosen is not Outcome.OFFER:
        raise click.UsageError("--received and --deadline go with the outcome 'offer'")
    if on and chosen not in (Outcome.ACCEPTED, Outcome.WITHDRAWN):
        raise click.UsageError("--on goes with the outcomes 'accepted' and 'withdrawn'")
    workspace, interview = _round_of(ctx, note, round_name)
    changes: list[edit.Change] = [edit.SetValue("outcome", chosen)]
    if chosen is Outcome.OFFER and (received or interview.offer_received is None):
        changes.append(edit.SetValue("offer_received", _not_after_today(received, "--received")))
    if deadline:
        changes.append(edit.SetValue("offer_deadline", deadline))
    if chosen in (Outcome.ACCEPTED, Outcome.WITHDRAWN) and (on or interview.decided is None):
        changes.append(edit.SetValue("decided", _not_after_today(on, "--on")))
    _record(workspace, interview.path, changes)


@cli.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--apply", "write", is_flag=True, help="Write the proposed dates into the notes.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json prints the proposals, the interviewers not thanked yet and the invitations, for scripts.")
@today_option
@click.pass_context
def mail(ctx: click.Context, *, paths: tuple[str, ...], write: bool, output: str, today: date | None) -> None:
    """Read your own mail and propose what the notes should record.

    Each PATH is a Maildir folder (with cur/ and new/) or an mbox file; without any, the
    folders of [mail] in followup.toml. For each note it finds their reply
    (reply_received), your first thank-you (thank_you_sent) and your later follow-ups
    (follow_ups), each with the message that shows it; it names the interviewers you have
    not thanked yet, and lists invitations no note has yet. It reads headers only, changes
    no message, and writes nothing without --apply; then it records each date as
    `followup done` does, never replacing a date a note holds.

    \b
    Example:
        followup mail ~/Mail/INBOX ~/Mail/Sent
        followup mail --apply
        followup mail --format json
    """
    from followup.mail import review

    workspace = _workspace(ctx)
    if not workspace.config.me:
        raise FollowupError(review.ME_MISSING)
    if paths:
        try:
            folders = review.check_folders(paths)
        except review.NotMail as error:
            raise click.BadParameter(printable(str(error)), param_hint="PATH") from None
    elif workspace.config.mail_folders:
        try:
            folders = review.check_folders(review.configured_folders(workspace))
        except review.NotMail as error:
            raise FollowupError(f"{error} (in [mail] folders of followup.toml)") from None
    else:
        raise click.UsageError(
            "no mail to read: give Maildir folders or mbox files, or name them in followup.toml:\n\n"
            '[mail]\nfolders = ["~/Mail/INBOX", "~/Mail/Sent"]'
        )
    found = review.review(workspace, folders, now=read_clock(today).now(workspace.config.zone))
    applied = review.apply(workspace, found) if write else None
    for path in found.left_out:
        _say(f"warning: {path} has errors and was left out (followup check lists them)", err=True)
    for warning in found.warnings:
        _say(f"warning: {warning}", err=True)
    zone = workspace.config.zone
    if output == "json":
        _echo_json(_mail_json(found, applied, zone))
    else:
        _say_mail(found, applied, zone)
    _say(f"Read the headers of {found.read} new message(s); {found.reused} known from an earlier run.", err=True)
    if applied is not None and applied.refused:
        ctx.exit(1)


def _evidence(message: Message, zone: ZoneInfo) -> str:
    """`2026-11-24 09:15  Sam Green <sam@acme.example>  "Subject"`: the message a proposal rests on."""
    when = message.date.astimezone(zone).strftime("%Y-%m-%d %H:%M") if message.date else "(no date)"
    name, address = message.sender
    return f'{when}  {f"{name} <{address}>" if name else address or "(no sender)"}  "{message.subject}"'


def _say_mail(found: Review, applied: Applied | None, zone: ZoneInfo) -> None:
    import shlex

    from followup.mail.review import by_note

    for path, (proposals, unthanked) in by_note(found.proposals).items():
        _say(path)
        for proposal in proposals:
            _say(f"  {proposal.key} {'+=' if proposal.key == 'follow_ups' else '='} {proposal.value}")
            _say(f"      {_evidence(proposal.reason, zone)}")
        for person in unthanked:
            _say(f"  not thanked yet: {person.name} <{person.email}>")
    if found.proposals.invitations:
        _say("Invitations no note has yet:")
    for message, file in zip(found.proposals.invitations, found.invitation_files, strict=True):
        _say(f"  {_evidence(message, zone)}")
        _say(f"      followup invite {shlex.quote(file)}" if file else
             f"      in the mbox file {message.folder}: save this message from your mail client as a file, "
             "then run followup invite FILE")
    dates = found.proposals.proposals
    if not dates:
        _say("Nothing new to record from the mail.")
        return
    if applied is None:
        _say(f"{len(dates)} date(s) to record in {len({p.path for p in dates})} note(s); nothing written "
             "(--apply records them)")
        return
    for proposal in applied.written:
        _say(f"{proposal.path}: {proposal.key} {'+=' if proposal.key == 'follow_ups' else '='} {proposal.value}")
    for proposal, held in applied.kept:
        _say(f"{proposal.path}: {proposal.key} kept as {held} (the mail says {proposal.value})")
    for path, reason in applied.refused:
        _say(f"{path}: not written: {reason}", err=True)
    _say(f"Wrote {len(applied.written)} date(s) into {len({p.path for p in applied.written})} note(s).")


def _mail_json(found: Review, applied: Applied | None, zone: ZoneInfo) -> dict[str, Any]:
    from followup.mail.review import by_note

    def message(m: Message) -> dict[str, Any]:
        return {
            "date": m.date.astimezone(zone).isoformat() if m.date else None, "from": m.sender[1],
            "name": m.sender[0], "subject": m.subject, "folder": m.folder, "message_id": m.message_id,
        }

    result: dict[str, Any] = {
        "proposals": [
            {"note": p.path, "key": p.key, "value": p.value.isoformat(), "message": message(p.reason)}
            for proposals, _ in by_note(found.proposals).values() for p in proposals
        ],
        "unthanked": [
            {"note": path, "name": person.name, "email": person.email} for path, person in found.proposals.unthanked
        ],
        "invitations": [
            {**message(m), "uid": m.invitation_uid, "file": file}
            for m, file in zip(found.proposals.invitations, found.invitation_files, strict=True)
        ],
        "left_out": list(found.left_out),
        "warnings": list(found.warnings),
    }
    if applied is not None:
        result["written"] = [{"note": p.path, "key": p.key, "value": p.value.isoformat()} for p in applied.written]
        result["kept"] = [
            {"note": p.path, "key": p.key, "value": p.value.isoformat(), "recorded": held.isoformat()}
            for p, held in applied.kept
        ]
        result["refused"] = [{"note": path, "reason": reason} for path, reason in applied.refused]
    return result


def _echo_json(value: Any) -> None:
    # JSON escapes C0 controls itself; the rest that a terminal obeys, as \\u escapes too.
    text = json.dumps(value, indent=2, ensure_ascii=False)
    click.echo("".join(ch if ch.isprintable() or ch == "\n" else json.dumps(ch)[1:-1] for ch in text))


@cli.command()
@today_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT",
              help="The address to serve on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in your browser.")
@click.pass_context
def serve(ctx: click.Context, *, today: date | None, dev_addr: str, open_browser: bool) -> None:
    """Serve the site locally, regenerating pages and feed whenever a note changes.

    It prints the address, each rebuild with the files that changed, and problems in a note
    without stopping. Stop it with Ctrl+C. Plain `mkdocs serve` does the same (with today's
    date). The preview always uses MkDocs, whatever `site_builder` says.

    \b
    Example:
        followup serve
        followup serve --dev-addr 127.0.0.1:8001 --today 2026-11-26
    """
    from followup.site import livepreview

    workspace = _workspace(ctx)
    _warn_foreign_hooks(workspace)
    click.echo(f"Serving the site on http://{dev_addr}/ (Ctrl+C stops)")
    livepreview.serve(workspace, dev_addr, today=_today(today) if today else None, open_browser=open_browser)
    click.echo("Stopped serving.")


def main() -> None:
    # A build keeps hundreds of thousands of objects (notes, reminders, events) and makes
    # almost no reference cycles; at Python's default thresholds the collector walks them
    # all again and again (0.6 s of a cold build of 10,000 notes). It runs far less often.
    gc.set_threshold(50_000, 20, 20)
    cli(prog_name="followup")
