"""The workspace configuration: `followup.toml`, every key optional."""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from followup.errors import FollowupError

CONFIG_FILE = "followup.toml"


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
}
# It is shown on the subscribe page and written into the feed: an address and nothing else.
_SITE_URL = re.compile(r"https?://[A-Za-z0-9._~:/?#\[\]@!$&()*+,;=%-]+")
_FEED_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.ics$")


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
        raise FollowupError(f"{CONFIG_FILE}: {error}; check the TOML syntax") from None
    return _config_from(data, text)


def _config_from(data: dict[str, Any], text: str) -> Config:
    known = {f.name: f for f in fields(Config)}
    values: dict[str, Any] = {"timezone": local_timezone()}
    for key, value in data.items():
        where = f"{CONFIG_FILE}:{_line_of(key, text)}"
        if key not in known:
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
        if key == "site_url" and value and not _SITE_URL.fullmatch(value):
            raise FollowupError(
                f"{where}: site_url must be an http(s) address with no spaces or quotes, "
                "like https://me.example/search"
            )
        if key == "feed_file" and not _FEED_FILE.match(value):
            raise FollowupError(
                f"{where}: feed_file must be a plain file name ending in .ics, like followup.ics"
            )
        values[key] = value.rstrip("/") if key == "site_url" else value
    config = Config(**values)
    if config.follow_up_window_days < config.follow_up_after_days:
        raise FollowupError(
            f"{CONFIG_FILE}: follow_up_window_days must not be less than follow_up_after_days"
        )
    return config


def _line_of(key: str, text: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return 1
