"""The workspace configuration: `followup.toml`, every key optional."""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from followup.errors import FollowupError
from followup.workdays import BusinessDays, holiday_code_problem

CONFIG_FILE = "followup.toml"
SITE_BUILDERS = ("mkdocs", "zensical")


@dataclass(frozen=True)
class Config:
    """Settings for the rules, the feed and the site; the defaults follow the guide."""

    timezone: str = "UTC"
    reminder_hour: int = 9
    follow_up_after_days: int = 7
    follow_up_window_days: int = 10
    follow_up_interval_days: int = 7
    max_follow_ups: int = 2
    prepare_days_before: int = 2
    alarm_minutes_before: int = 30
    calendar_name: str = "Interview follow-ups"
    feed_file: str = "followup.ics"
    refresh_hours: int = 6
    site_url: str = ""
    minimal_details: bool = False
    tasks_feed: bool = False
    show_feed_address: bool = False
    holidays: str = ""
    missed_after_days: int = 14
    # Publishing and CalDAV sync: see the block "Publishing and CalDAV sync" below.
    publish_url: str = ""
    feed_days_back: int = 90
    caldav: CalDAV | None = None
    site_builder: str = "mkdocs"  # or "zensical"
    # Your own mail addresses: left out of an invitation's people, and what `followup mail`
    # takes for a message from you.
    me: tuple[str, ...] = ()
    # The mail `followup mail` reads when given no folder: Maildir folders and mbox files.
    mail_folders: tuple[str, ...] = ()
    # Front-matter keys you keep for your own tools: never warned about.
    extra_keys: tuple[str, ...] = ()

    # Where each key was set in followup.toml, for messages about it.
    lines: tuple[tuple[str, int], ...] = field(default=(), compare=False, repr=False)

    @property
    def business_days(self) -> BusinessDays:
        return BusinessDays(self.holidays)

    def line_of(self, key: str) -> int:
        return dict(self.lines).get(key, 1)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


_LIMITS: dict[str, tuple[int, int]] = {
    "reminder_hour": (0, 23),
    "follow_up_after_days": (1, 60),
    "follow_up_window_days": (1, 90),
    "follow_up_interval_days": (1, 60),
    "max_follow_ups": (0, 10),
    "prepare_days_before": (0, 30),
    "alarm_minutes_before": (0, 24 * 60),
    "refresh_hours": (1, 24 * 7),
    "missed_after_days": (1, 365),
    "feed_days_back": (0, 36500),
}
# It is shown on the subscribe page and written into the feed: an address and nothing else.
_SITE_URL = re.compile(r"https?://[A-Za-z0-9._~:/?#\[\]@!$&()*+,;=%-]+")
_FEED_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.ics$")


# --- Publishing and CalDAV sync -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CalDAV:
    """The `[caldav]` table: the calendar `followup sync` keeps equal to the plan.

    A workspace may come from anyone, so it names the calendar and nothing else: the password,
    a command that prints it, and the approval to send it to this address are the user's own
    (see `delivery.caldav.credentials`)."""

    url: str
    username: str = ""
    timeout: int = 30


_CALDAV_KEYS = ("url", "username", "timeout")


def caldav_settings(table: Any, text: str) -> CalDAV:
    """Check the `[caldav]` table and read it; each problem names its line."""
    header = re.search(r"^\s*\[caldav\]\s*$", text, re.MULTILINE)
    line = _line_of("[caldav]", text, table=True) if header else _line_of("caldav", text)
    where = f"{CONFIG_FILE}:{line}"
    if not isinstance(table, dict):
        raise FollowupError(f"{where}: 'caldav' must be a table: [caldav] with url = \"https://…\"")
    for key, value in table.items():
        at = f"{CONFIG_FILE}:{_line_of(key, text)}"
        if key == "password":
            raise FollowupError(
                f"{at}: no password in {CONFIG_FILE}: set FOLLOWUP_CALDAV_PASSWORD, or give "
                "password_command in your own ~/.config/followup/calendars.toml, or a line in ~/.netrc"
            )
        if key == "password_command":
            raise FollowupError(
                f"{at}: password_command runs a command, and a workspace may come from anyone: it "
                "belongs in your own ~/.config/followup/calendars.toml (see `followup sync --help`), "
                f"not in {CONFIG_FILE}; move it there"
            )
        if key not in _CALDAV_KEYS:
            raise FollowupError(f"{at}: {_unknown_in_table(key, 'caldav', _CALDAV_KEYS)}")
        if key in ("url", "username") and not isinstance(value, str):
            raise FollowupError(f"{at}: '{key}' in [caldav] must be a string")
        if key == "timeout" and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 600):
            raise FollowupError(f"{at}: 'timeout' in [caldav] must be seconds between 1 and 600")
    url = table.get("url", "")
    if isinstance(url, str) and re.match(r"^https?://[^/\s]*@", url):
        raise FollowupError(
            f"{where}: the url in [caldav] holds a user name or a password; remove it from the url "
            "(the user name goes in username, the password in FOLLOWUP_CALDAV_PASSWORD)"
        )
    if not re.match(r"^https?://[^/\s]+", url):
        raise FollowupError(
            f"{where}: [caldav] needs url = the calendar's address, starting with https://, like "
            "https://dav.example.com/calendars/jo/interviews/"
        )
    return CalDAV(
        url=url if url.endswith("/") else url + "/",
        username=table.get("username", ""),
        timeout=table.get("timeout", 30),
    )


def _unknown_in_table(key: str, table: str, keys: tuple[str, ...]) -> str:
    """What to say of an unknown key in a table; a top-level setting there (appended after the
    table by a recipe, say) is told to move above it."""
    if key in {f.name for f in fields(Config)} - {"caldav", "mail_folders"}:
        return (f"'{key}' is a setting of its own, not of [{table}]: TOML puts every line after [{table}] "
                f"in that table, so move '{key}' above the [{table}] line")
    close = difflib.get_close_matches(key, keys, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown setting '{key}' in [{table}]{hint}"


def mail_settings(table: Any, text: str) -> tuple[str, ...]:
    """The `[mail]` table: `folders = [...]`, the Maildir folders and mbox files to read."""
    where = f"{CONFIG_FILE}:{_line_of('[mail]', text, table=True)}"
    if not isinstance(table, dict):
        raise FollowupError(f"{where}: 'mail' must be a table: [mail] with folders = [\"~/Mail/INBOX\"]")
    for key in table:
        if key != "folders":
            raise FollowupError(f"{CONFIG_FILE}:{_line_of(key, text)}: {_unknown_in_table(key, 'mail', ('folders',))}")
    folders = table.get("folders", [])
    if not isinstance(folders, list) or not all(isinstance(f, str) and f.strip() for f in folders):
        raise FollowupError(f"{CONFIG_FILE}:{_line_of('folders', text)}: folders in [mail] must be a list of paths")
    return tuple(folders)


def _addresses(value: Any, where: str) -> tuple[str, ...]:
    """`me`: mail addresses, lower-cased."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and re.fullmatch(r"[^@\s<>]+@[^@\s<>]+", v.strip())
                                               for v in value):
        raise FollowupError(f'{where}: me must be your mail addresses, like me = ["jo@example.com"]')
    return tuple(v.strip().lower() for v in value)


# --- end of publishing and CalDAV sync ------------------------------------------------------


def local_timezone() -> str:
    """The machine's IANA zone name, or UTC when it cannot be told."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(IndexError, OSError):
        candidates.append(str(Path("/etc/localtime").resolve()).split("zoneinfo/", 1)[1])
    for name in candidates:
        if name and _is_zone(name):
            return name
    return "UTC"


def _is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def load_config(root: Path) -> Config:
    """Read `followup.toml` in the workspace; a missing file means all defaults."""
    path = root / CONFIG_FILE
    if not path.exists():
        return Config(timezone=local_timezone())
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FollowupError(
            f"{CONFIG_FILE}: byte {error.start + 1} is not UTF-8 text; save the file as UTF-8"
        ) from None
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as error:
        raise FollowupError(f"{CONFIG_FILE}: {error}; {_toml_hint(str(error), text)}") from None
    return _config_from(data, text)


def _config_from(data: dict[str, Any], text: str) -> Config:
    known = {f.name: f for f in fields(Config)}
    values: dict[str, Any] = {"timezone": local_timezone()}
    for key, value in data.items():
        where = f"{CONFIG_FILE}:{_line_of(key, text)}"
        if key == "caldav":
            values[key] = caldav_settings(value, text)
            continue
        if key == "mail":
            values["mail_folders"] = mail_settings(value, text)
            continue
        if key == "me":
            values[key] = _addresses(value, where)
            continue
        if key == "extra_keys":
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise FollowupError(f'{where}: extra_keys must be a list of key names, like ["priority"]')
            values[key] = tuple(v.strip() for v in value)
            continue
        if key not in known or key == "mail_folders":
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise FollowupError(f"{where}: unknown setting '{key}'{hint}")
        expected = type(getattr(Config(), key))
        if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise FollowupError(f"{where}: '{key}' must be a whole number, like {known[key].default}")
        if expected is not int and not isinstance(value, expected):
            raise FollowupError(f"{where}: '{key}' must be a {expected.__name__}")
        if key in _LIMITS:
            low, high = _LIMITS[key]
            if not low <= value <= high:
                raise FollowupError(f"{where}: '{key}' must be between {low} and {high}")
        if key == "timezone" and not _is_zone(value):
            raise FollowupError(
                f"{where}: unknown time zone '{value}'; use an IANA name like Europe/London"
            )
        if key == "holidays":
            value = value.strip().upper()
            problem = holiday_code_problem(value) if value else ""
            if problem:
                raise FollowupError(f"{where}: holidays: {problem}")
        if key == "site_builder" and value not in SITE_BUILDERS:
            raise FollowupError(f"{where}: site_builder must be one of {', '.join(SITE_BUILDERS)}, not '{value}'")
        if key in ("site_url", "publish_url") and value and not _SITE_URL.fullmatch(value):
            raise FollowupError(
                f"{where}: {key} must be an http(s) address with no spaces or quotes, "
                "like https://me.example/search"
            )
        if key == "feed_file" and not _FEED_FILE.match(value):
            raise FollowupError(
                f"{where}: feed_file must be a plain file name ending in .ics, like followup.ics"
            )
        values[key] = value.rstrip("/") if key in ("site_url", "publish_url") else value
    config = Config(**values, lines=tuple((key, _line_of(key, text)) for key in data))
    if config.follow_up_window_days < config.follow_up_after_days:
        raise FollowupError(
            f"{CONFIG_FILE}: follow_up_window_days must not be less than follow_up_after_days"
        )
    return config


_SETTING = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=\s*(.*?)\s*$")


def _toml_hint(message: str, text: str) -> str:
    """Most often a text value written without quotes: show the line with them."""
    found = re.search(r"at line (\d+)", message)
    lines = text.splitlines()
    if found and 0 < int(found.group(1)) <= len(lines):
        line = lines[int(found.group(1)) - 1]
        match = _SETTING.match(line.split(" #", 1)[0])
        if match and match.group(2) and match.group(2)[0] not in "\"'[{":
            key, value = match.groups()
            quoted = f'{key} = "{value}"'
            with contextlib.suppress(tomllib.TOMLDecodeError):
                tomllib.loads(quoted)
                return f"text needs quotes: write {quoted}"
    return "check the TOML syntax"


def _line_of(key: str, text: str, *, table: bool = False) -> int:
    # A key of a table may also be written dotted, as `caldav.url = ...`.
    pattern = rf"\s*{re.escape(key)}\s*$" if table else rf"\s*(?:[\w-]+\.)?{re.escape(key)}\s*="
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(pattern, line):
            return number
    return 1
