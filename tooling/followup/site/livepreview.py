"""Live preview: while `mkdocs serve` (or `followup serve`) runs, regenerate on every rebuild.

MkDocs loads a fresh copy of the hook file for each rebuild, so the state that must outlive
one build (which command? which "today"?) lives here, in a module imported once.
"""

from __future__ import annotations

import html
import logging
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

from followup.errors import FollowupError
from followup.workspace import Workspace

log = logging.getLogger("mkdocs.hooks.followup")


class _State:
    generating = False
    today: date | None = None
    trouble: tuple[str, ...] = ()  # what the last regeneration could not do, shown on every page


state = _State()


def start(command: str, today: date | None = None) -> None:
    """Called when the `mkdocs` (or `properdocs`) command starts: `serve` regenerates on every
    rebuild, and a plain `build` once, so a fresh clone builds with no other step.
    `followup build` runs MkDocs without this event: it has generated everything already.
    """
    state.generating = command in ("serve", "build", "gh-deploy")
    if today is not None:
        state.today = today


class _Brief(logging.Formatter):
    """`[14:02:11] followup: regenerated docs/progress.md`, as `mkdocs serve` prints."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        level = "" if record.levelno == logging.INFO else f"{record.levelname}: "
        if message.startswith("[") and message[1:3].isdigit():  # the server stamps its own
            return f"{level}{message}"
        return f"[{self.formatTime(record, '%H:%M:%S')}] {level}{message}"


def show_progress() -> None:
    """Print what the server does (its address, each rebuild, problems in notes) to stderr."""
    logger = logging.getLogger("mkdocs")
    if any(getattr(h, "followup_serve", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler()
    handler.setLevel(logging.INFO)
    handler.setFormatter(_Brief())
    handler.followup_serve = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def serve(workspace: Workspace, dev_addr: str, *, today: date | None, open_browser: bool) -> None:
    """Serve the workspace's site with `mkdocs serve`; the hook in mkdocs.yml regenerates the
    pages and the feed before each rebuild, for `today` (else the day it runs)."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    config_file = workspace.root / "mkdocs.yml"
    if not config_file.exists():
        raise FollowupError(f"no mkdocs.yml in {workspace.root}; the site needs one")
    state.today = today
    show_progress()
    try:
        mkdocs_serve(str(config_file), dev_addr=dev_addr, open_in_browser=open_browser)
    except MkDocsException as error:
        raise FollowupError(f"the site did not build: {error}") from None


def stop() -> None:
    state.generating = False
    state.today = None


def watched(root: Path) -> list[Path]:
    """What the server watches besides docs/: the notes and the configuration."""
    from followup.config import CONFIG_FILE

    return [path for path in (root / "interviews", root / CONFIG_FILE) if path.exists()]


def watch(server: Any, docs_dir: str, root: Path) -> None:
    """Watch the notes and the configuration; and docs/ without the files the rebuild itself
    generates there, so that one edit makes one rebuild, not a second for what the first wrote.
    Also: answer only requests for the address served (a page another site's DNS points at
    127.0.0.1 cannot read the preview), and allow the live-reload script by its hash.

    MkDocs has no setting for these: its own watch of docs/ is replaced by one that leaves the
    generated files out (where its server is not as expected, its watch is kept)."""
    for path in watched(root):
        server.watch(str(path))
    _guard(server)
    docs = os.path.abspath(docs_dir)
    refs, observer = getattr(server, "_watch_refs", None), getattr(server, "observer", None)
    wanted = getattr(server, "_rebuild_cond", None)
    if not isinstance(refs, dict) or docs not in refs or observer is None or wanted is None:
        return
    from watchdog.events import FileSystemEvent, FileSystemEventHandler

    def changed(event: FileSystemEvent) -> None:
        paths = [event.src_path, getattr(event, "dest_path", "")]
        if event.is_directory or all(_generated(str(path), docs) for path in paths if path):
            return
        with wanted:
            server._want_rebuild = True
            wanted.notify_all()

    handler = FileSystemEventHandler()
    handler.on_any_event = changed  # type: ignore[method-assign]
    observer.unschedule(refs[docs])
    refs[docs] = observer.schedule(handler, docs, recursive=True)


def _guard(server: Any) -> None:
    """Requests naming another host refused; the scripts the preview adds allowed by the policy."""
    from followup.site import csp

    host, port = server.server_address[:2]
    allowed = {f"{host}:{port}", f"localhost:{port}"} if host in ("127.0.0.1", "::1") else {f"{host}:{port}"}
    if port == 80:
        allowed |= {name.rsplit(":", 1)[0] for name in allowed}
    serve_request = server.serve_request

    def checked(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("HTTP_HOST", "").lower() not in allowed:
            start_response("421 Misdirected Request", [("Content-Type", "text/plain")])
            return [b"This preview answers only at its own address.\n"]
        return serve_request(environ, start_response)

    server.set_app(checked)
    inject = getattr(server, "_inject_js_into_html", None)
    if inject is not None:
        server._inject_js_into_html = lambda content, epoch: csp.allow_added_scripts(
            content, with_banner(inject(content, epoch), state.trouble)
        )


_BODY = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


def with_banner(page: bytes, trouble: tuple[str, ...]) -> bytes:
    """The served page with a banner at the top naming the notes left out for their errors, so
    that a mistake is seen in the browser, not only in the terminal."""
    body = _BODY.search(page)
    if not trouble or body is None:
        return page
    shown = trouble[:_BANNER_LINES]
    hidden = len(trouble) - len(shown)
    more = f"<li>and {hidden} more (followup check lists them all)</li>" if hidden else ""
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in shown)
    banner = (
        '<div class="fu-serve-banner" role="alert"><p><strong>Not up to date:</strong> '
        "these problems keep notes out of the site until they are fixed.</p>"
        f"<ul>{items}{more}</ul></div>"
    ).encode()
    return page[: body.end()] + banner + page[body.end() :]


_BANNER_LINES = 5


def _generated(path: str, docs: str) -> bool:
    """A file a build writes in docs/ (or one of its temporary names while it writes)."""
    from followup.site.guideonly import generated_name

    relative = Path(os.path.relpath(path, docs))
    name = relative.name
    return generated_name(relative) or (name.startswith(".") and name.endswith(".tmp"))


def _waiting() -> None:
    log.info("followup: another followup command is building this workspace; waiting for it to finish")


def regenerate(root: Path) -> list[str]:
    """Rewrite the generated pages and feed that changed; problems in notes are logged, not fatal.

    Returns the files written. Unchanged files are left alone, so the server's own watch on
    docs/ sees nothing and the rebuilds stop.
    """
    from followup.build import generate
    from followup.clock import Clock, read_clock
    from followup.lock import one_build_at_a_time

    if not state.generating:
        return []
    try:
        workspace = Workspace.open(root)
        with one_build_at_a_time(workspace, _waiting):
            clock = Clock.fixed(state.today or read_clock(None).today)
            result = generate(workspace, clock, pages_too=True, keep_going=True)
    except FollowupError as error:
        log.error("followup: %s", error)
        state.trouble = (str(error),)
        return []
    state.trouble = tuple(str(p) for p in result.problems if p.severity == "error")
    # Info, not warning: a note half-typed must not abort the strict preview build.
    for problem in result.problems:
        log.info("followup: %s", problem)
    if result.written:
        log.info("followup: regenerated %s", ", ".join(result.written))
    return list(result.written)
