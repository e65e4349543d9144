"""The CalDAV password, and the user's approval to send it (and their events) to a calendar.

A workspace can come from anyone (a clone, a shared folder), so it only names a calendar. What
the user alone decides lives outside it, in `~/.config/followup/calendars.toml`
(`$XDG_CONFIG_HOME/followup/`): the calendars they approved, each by its address, and for
each, if they want, a `password_command` that prints its password. `followup sync` sends
nothing, runs nothing and reads no password until the workspace's calendar is one of them;
the first time, it asks (or `--trust` approves it), and the answer is kept there.

The password comes from `FOLLOWUP_CALDAV_PASSWORD`, else the approved calendar's
`password_command`, else the `machine` line of `~/.netrc` for the calendar's host (never its
`default` line, which would hand the password to any host).
"""

from __future__ import annotations

import json
import netrc
import os
import subprocess
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from followup.config import CalDAV
from followup.errors import FollowupError
from followup.fsutil import atomic_write

PASSWORD_ENV = "FOLLOWUP_CALDAV_PASSWORD"
CALENDARS_FILE = "calendars.toml"


@dataclass(frozen=True, slots=True)
class Approved:
    """A calendar the user approved, as `calendars.toml` lists it."""

    url: str
    password_command: tuple[str, ...] = ()


def calendars_file(environ: Mapping[str, str], home: Path) -> Path:
    base = environ.get("XDG_CONFIG_HOME", "")
    folder = Path(base) if os.path.isabs(base) else home / ".config"
    return folder / "followup" / CALENDARS_FILE


def _same(url: str, other: str) -> bool:
    return url.rstrip("/") == other.rstrip("/")


def approved(settings: CalDAV, environ: Mapping[str, str], home: Path) -> Approved | None:
    """The user's approval of the workspace's calendar, or None."""
    for calendar in _approved(calendars_file(environ, home)):
        if _same(calendar.url, settings.url):
            return calendar
    return None


def _approved(path: Path) -> list[Approved]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise FollowupError(f"{path}: cannot be read ({error}); fix or delete it") from None
    found = []
    for item in data.get("calendar", []) if isinstance(data.get("calendar"), list) else []:
        url, command = item.get("url") if isinstance(item, dict) else None, item.get("password_command", [])
        if not isinstance(url, str) or not (isinstance(command, list) and all(isinstance(c, str) for c in command)):
            raise FollowupError(
                f"{path}: each [[calendar]] needs url = \"https://…\" and, if any, "
                "password_command = [\"pass\", \"show\", \"caldav\"]"
            )
        found.append(Approved(url, tuple(command)))
    return found


def approve(settings: CalDAV, environ: Mapping[str, str], home: Path) -> Path:
    """Add the workspace's calendar to the user's approved ones; the file written."""
    path = calendars_file(environ, home)
    _approved(path)  # a damaged file is said, not overwritten
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = "# Calendars `followup sync` may send your events and password to (one [[calendar]] each).\n"
    entry = f"\n[[calendar]]\nurl = {json.dumps(settings.url)}\n"
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write(path, (text.rstrip("\n") + "\n" + entry).encode("utf-8"))
    return path


def credentials(
    settings: CalDAV, calendar: Approved, environ: Mapping[str, str], home: Path
) -> tuple[str, str]:
    """(username, password) for an approved calendar; both empty when nothing is configured
    (a server without login)."""
    if environ.get(PASSWORD_ENV):
        return settings.username, environ[PASSWORD_ENV]
    if calendar.password_command:
        return settings.username, _run_password_command(calendar.password_command)
    login, password = _from_netrc(home / ".netrc", urlsplit(settings.url).hostname or "", settings.username)
    if password:
        return settings.username or login, password
    if settings.username:
        raise FollowupError(
            f"no password for {settings.username}: set {PASSWORD_ENV}, or password_command for this "
            f"calendar in {calendars_file(environ, home)} (a command that prints it), or a machine "
            "line in ~/.netrc"
        )
    return "", ""


def _run_password_command(command: tuple[str, ...]) -> str:
    try:
        done = subprocess.run(list(command), capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise FollowupError(f"the calendar's password_command did not run ({error}); check the command") from None
    lines = done.stdout.splitlines()
    if done.returncode != 0 or not lines or not lines[0]:
        reason = done.stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        raise FollowupError(f"the calendar's password_command gave no password ({reason[0]}); check the command")
    return lines[0]


def _from_netrc(path: Path, host: str, username: str) -> tuple[str, str]:
    """The `machine` entry for `host` only: a `default` entry would go to any host named."""
    if not path.is_file():
        return "", ""
    try:
        entries = netrc.netrc(str(path))
    except netrc.NetrcParseError as error:
        raise FollowupError(f"{path}:{error.lineno}: {error.msg}; fix ~/.netrc") from None
    found = entries.hosts.get(host)
    if not found or (username and found[0] != username):
        return "", ""
    return found[0], found[2] or ""
