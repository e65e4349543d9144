"""The CalDAV password: from the environment, a command, or ~/.netrc; never from the workspace."""

from __future__ import annotations

import netrc
import subprocess
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from followup.config import CalDAV
from followup.errors import FollowupError

PASSWORD_ENV = "FOLLOWUP_CALDAV_PASSWORD"


def credentials(settings: CalDAV, environ: Mapping[str, str], home: Path) -> tuple[str, str]:
    """(username, password); both empty when nothing is configured (a server without login)."""
    if environ.get(PASSWORD_ENV):
        return settings.username, environ[PASSWORD_ENV]
    if settings.password_command:
        return settings.username, _run_password_command(settings.password_command)
    login, password = _from_netrc(home / ".netrc", urlsplit(settings.url).hostname or "", settings.username)
    if password:
        return settings.username or login, password
    if settings.username:
        raise FollowupError(
            f"no password for {settings.username}: set {PASSWORD_ENV}, or password_command in "
            "[caldav] (a command that prints it), or a machine line in ~/.netrc"
        )
    return "", ""


def _run_password_command(command: tuple[str, ...]) -> str:
    try:
        done = subprocess.run(list(command), capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise FollowupError(f"password_command in [caldav] did not run ({error}); check the command") from None
    lines = done.stdout.splitlines()
    if done.returncode != 0 or not lines or not lines[0]:
        reason = done.stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        raise FollowupError(f"password_command in [caldav] gave no password ({reason[0]}); check the command")
    return lines[0]


def _from_netrc(path: Path, host: str, username: str) -> tuple[str, str]:
    if not path.is_file():
        return "", ""
    try:
        found = netrc.netrc(str(path)).authenticators(host)
    except netrc.NetrcParseError as error:
        raise FollowupError(f"{path}:{error.lineno}: {error.msg}; fix ~/.netrc") from None
    if not found or (username and found[0] != username):
        return "", ""
    return found[0], found[2] or ""
