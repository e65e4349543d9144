"""Run real calendar clients against an iCalendar feed.

Clients:

* ical.js (Node) -- via ``icaljs_dump.mjs`` in this directory; needs ``node``
  and ``npm ci --prefix tests/clients`` to have populated ``node_modules``.
* vdirsyncer (pulls the feed over HTTP into a vdir) + khal (reads the vdir and
  renders events in a configured local timezone).

Typical use from a test (with ``tests/`` on ``sys.path``)::

    from clients.harness import (
        CalendarClients, ServedFeed, clients_available, icaljs_available,
        icaljs_events, require,
    )

    def test_feed(tmp_path):
        require(clients_available(), "khal + vdirsyncer")
        with ServedFeed(feed_dir) as server:
            cc = CalendarClients(tmp_path, server.url_for("feed.ics"),
                                 timezone="America/Los_Angeles")
            cc.sync()
            events = cc.khal_events("2025-01-01", "2025-12-31")

``require(available, what)`` skips the test when a tool is missing, unless the
``CI`` environment variable is set, in which case the test fails instead.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

__all__ = [
    "CLIENTS_DIR",
    "FEED_UID_PROP",
    "ICALJS_SCRIPT",
    "KHAL_DATEFORMAT",
    "KHAL_DATETIMEFORMAT",
    "KHAL_JSON_FIELDS",
    "CalendarClients",
    "ClientError",
    "ServedFeed",
    "clients_available",
    "icaljs_available",
    "icaljs_events",
    "require",
]

CLIENTS_DIR = Path(__file__).resolve().parent
ICALJS_SCRIPT = CLIENTS_DIR / "icaljs_dump.mjs"
ICALJS_PACKAGE = CLIENTS_DIR / "node_modules" / "ical.js" / "package.json"

DEFAULT_TIMEOUT = 60.0

# khal [locale] formats written into the generated config.  They double as the
# formats khal uses to parse the START/END arguments of `khal list`, so pass
# dates as YYYY-MM-DD and datetimes as YYYY-MM-DDTHH:MM.
KHAL_TIMEFORMAT = "%H:%M"
KHAL_DATEFORMAT = "%Y-%m-%d"
KHAL_LONGDATEFORMAT = "%Y-%m-%d"
KHAL_DATETIMEFORMAT = "%Y-%m-%dT%H:%M"
KHAL_LONGDATETIMEFORMAT = "%Y-%m-%dT%H:%M:%S"

# Field names accepted by `khal list --json` in khal 0.14.1 (see
# khal.utils.CONTENT_ATTRIBUTES).  Unknown names are silently dropped by khal.
KHAL_JSON_FIELDS = ("title", "start", "end", "uid", "categories", "all-day")


class ClientError(RuntimeError):
    """A client command failed (non-zero exit, timeout, unparsable output)."""


# --------------------------------------------------------------------------
# availability / skipping
# --------------------------------------------------------------------------


def require(tool_available: bool, what: str) -> None:
    """Skip the calling test if *tool_available* is false -- or fail it when
    the ``CI`` environment variable is set (CI must have every client)."""
    if tool_available:
        return
    import pytest

    if os.environ.get("CI"):
        pytest.fail(f"{what} is required when CI is set, but it is not available", pytrace=False)
    pytest.skip(f"{what} not available")


def _node() -> str | None:
    return shutil.which("node")


def icaljs_available() -> bool:
    """True if ``node`` is on PATH and ``node_modules/ical.js`` is installed."""
    return _node() is not None and ICALJS_PACKAGE.is_file() and ICALJS_SCRIPT.is_file()


def _python_tool(name: str) -> list[str] | None:
    """Command prefix for a Python CLI tool: the executable next to the running
    interpreter, then one on PATH, then ``sys.executable -m name``."""
    candidates = [Path(sys.executable).parent / name]
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return [str(c)]
    try:
        import importlib.util

        if importlib.util.find_spec(name) is not None and importlib.util.find_spec(
            f"{name}.__main__"
        ):
            return [sys.executable, "-m", name]
    except (ImportError, ValueError):
        pass
    return None


def clients_available() -> bool:
    """True if both khal and vdirsyncer can be run."""
    return _python_tool("khal") is not None and _python_tool("vdirsyncer") is not None


# --------------------------------------------------------------------------
# subprocess helper
# --------------------------------------------------------------------------


def _run(
    cmd: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    input: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    shown = " ".join(str(c) for c in cmd)
    try:
        proc = subprocess.run(
            [str(c) for c in cmd],
            env=env,
            input=input if input is not None else "",
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            cwd=cwd,
        )
    except subprocess.TimeoutExpired as exc:
        raise ClientError(
            f"timed out after {timeout}s: {shown}\n"
            f"--- stdout ---\n{exc.stdout or ''}\n--- stderr ---\n{exc.stderr or ''}"
        ) from exc
    except FileNotFoundError as exc:
        raise ClientError(f"cannot execute {shown}: {exc}") from exc
    if proc.returncode != 0:
        raise ClientError(
            f"exit code {proc.returncode}: {shown}\n"
            f"--- stderr ---\n{proc.stderr}\n--- stdout ---\n{proc.stdout}"
        )
    return proc


# --------------------------------------------------------------------------
# ical.js
# --------------------------------------------------------------------------


def icaljs_events(feed: Path, timeout: float = DEFAULT_TIMEOUT) -> list[dict]:
    """Parse *feed* with ical.js and return one dict per VEVENT.

    Keys: uid, summary, description, location, categories (list), all_day,
    start_utc/end_utc ('YYYY-MM-DDTHH:MM:SSZ', None for all-day events),
    start_date/end_date ('YYYY-MM-DD', only for all-day events; end_date is
    the exclusive DTEND), start_tzid/end_tzid, start_floating/end_floating,
    sequence, last_modified, dtstamp, recurrence_id, rrule, status, valarms
    (count), alarm_triggers.  A TZID without a VTIMEZONE in the feed makes the
    script fail (ClientError).
    """
    node = _node()
    if node is None:
        raise RuntimeError(
            "ical.js client unavailable: `node` is not on PATH (install Node.js >= 18)"
        )
    if not ICALJS_PACKAGE.is_file():
        raise RuntimeError(
            f"ical.js client unavailable: {ICALJS_PACKAGE.parent} is missing; "
            f"run `npm ci --prefix {CLIENTS_DIR}`"
        )
    feed = Path(feed)
    if not feed.is_file():
        raise FileNotFoundError(feed)
    proc = _run([node, ICALJS_SCRIPT, feed.resolve()], timeout=timeout, cwd=CLIENTS_DIR)
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise ClientError(
            f"icaljs_dump.mjs printed invalid JSON: {exc}\n{proc.stdout[:2000]}"
        ) from exc
    if not isinstance(data, list):
        raise ClientError(f"icaljs_dump.mjs printed {type(data).__name__}, expected a list")
    return data


# --------------------------------------------------------------------------
# HTTP server
# --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_NO_PROXY_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class ServedFeed:
    """Serve *directory* on 127.0.0.1 with ``python -m http.server``.

    ::

        with ServedFeed(dir) as server:
            url = server.url_for("feed.ics")
            server.publish("feed.ics", new_bytes)   # atomic replace

    The server re-reads files on every request, so replacing a file in the
    directory changes what the next client fetch sees.
    """

    def __init__(self, directory: Path, startup_timeout: float = 15.0) -> None:
        self.directory = Path(directory).resolve()
        self.startup_timeout = startup_timeout
        self.port: int | None = None
        self._proc: subprocess.Popen | None = None
        self._log = None

    # -- lifecycle --------------------------------------------------------
    def start(self) -> ServedFeed:
        if not self.directory.is_dir():
            raise FileNotFoundError(f"not a directory: {self.directory}")
        last_error = ""
        for _attempt in range(3):  # port picked by _free_port() may be taken meanwhile
            self.port = _free_port()
            self._log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 -- lives as long as the server
            self._proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "http.server",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--directory",
                    str(self.directory),
                ],
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
            )
            deadline = time.monotonic() + self.startup_timeout
            while time.monotonic() < deadline:
                if self._proc.poll() is not None:
                    break
                try:
                    with _NO_PROXY_OPENER.open(f"http://127.0.0.1:{self.port}/", timeout=1) as r:
                        r.read()
                    return self
                except (urllib.error.URLError, ConnectionError, OSError):
                    time.sleep(0.05)
            last_error = self._read_log()
            self.stop()
        raise RuntimeError(f"http.server did not come up on 127.0.0.1: {last_error}")

    def _read_log(self) -> str:
        if self._log is None:
            return ""
        try:
            self._log.flush()
            self._log.seek(0)
            return self._log.read()
        except (OSError, ValueError):
            return ""

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> ServedFeed:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # -- helpers ----------------------------------------------------------
    @property
    def base_url(self) -> str:
        if self.port is None:
            raise RuntimeError("server not started")
        return f"http://127.0.0.1:{self.port}/"

    def url_for(self, filename: str) -> str:
        from urllib.parse import quote

        return self.base_url + quote(filename)

    def publish(self, filename: str, content: bytes | str | Path) -> Path:
        """Atomically (re)place *filename* in the served directory.
        *content* may be bytes, str (written as UTF-8), or a Path to copy."""
        if isinstance(content, Path):
            data = content.read_bytes()
        elif isinstance(content, str):
            data = content.encode("utf-8")
        else:
            data = bytes(content)
        target = self.directory / filename
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        return target

    def log(self) -> str:
        """Request log of the server so far."""
        return self._read_log()


# --------------------------------------------------------------------------
# vdirsyncer + khal
# --------------------------------------------------------------------------


_UNESCAPED_COMMA = re.compile(r"(?<!\\),")


def _split_categories(value: str | None) -> list[str]:
    if not value:
        return []
    parts = _UNESCAPED_COMMA.split(value)
    return [
        p.replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\").strip()
        for p in parts
        if p.strip()
    ]


def _vds_str(value: str) -> str:
    # vdirsyncer config values are JSON
    return json.dumps(value)


def _khal_str(value: str) -> str:
    # configobj value; double quotes suffice for paths/zones without '"'
    if '"' in value:
        raise ValueError(f"cannot put {value!r} in a khal config")
    return f'"{value}"'


FEED_UID_PROP = "X-HARNESS-FEED-UID"

# vdirsyncer's `http` storage replaces every item's UID with a hash of its
# content (HttpStorage._ignore_uids, not configurable).  This filter_hook runs
# on each raw item *before* that rewrite and copies the feed's UID of every
# VEVENT/VTODO/VJOURNAL into X-HARNESS-FEED-UID, so the harness can map khal's
# (hashed) uid back to the feed's UID.  Clients ignore unknown X- properties.
_UID_HOOK_SOURCE = r"""
import re, sys
raw = sys.stdin.buffer.read().decode("utf-8")
nl = "\r\n" if "\r\n" in raw else "\n"
lines = re.sub(r"\r?\n[ \t]", "", raw).splitlines()
out, stack = [], []
for line in lines:
    upper = line.upper()
    if upper.startswith("BEGIN:"):
        stack.append(upper[6:].strip())
    elif upper.startswith("END:") and stack:
        stack.pop()
    out.append(line)
    if (stack and stack[-1] in ("VEVENT", "VTODO", "VJOURNAL")
            and re.match(r"UID[;:]", upper)):
        value = line.split(":", 1)[1] if ":" in line else ""
        out.append("%s:%s" % (PROP, value))
sys.stdout.buffer.write((nl.join(out) + nl).encode("utf-8"))
"""


class CalendarClients:
    """vdirsyncer (http feed -> filesystem vdir) and khal over that vdir,
    configured entirely inside *tmp_dir*.

    Layout under *tmp_dir*: ``vdirsyncer/config``, ``vdirsyncer/status/``,
    ``calendars/feed/`` (the vdir), ``khal/config``, ``khal/khal.db``, and
    ``home/`` (HOME/XDG_* for the child processes).
    """

    PAIR = "feed"

    def __init__(
        self,
        tmp_dir: Path,
        feed_url: str,
        timezone: str = "America/Los_Angeles",
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        ZoneInfo(timezone)  # validate early
        self.tmp_dir = Path(tmp_dir).resolve()
        self.feed_url = feed_url
        self.timezone = timezone
        self.tzinfo = ZoneInfo(timezone)
        self.timeout = timeout

        self.vdirsyncer_dir = self.tmp_dir / "vdirsyncer"
        self.vdirsyncer_config = self.vdirsyncer_dir / "config"
        self.status_path = self.vdirsyncer_dir / "status"
        self.vdir = self.tmp_dir / "calendars" / "feed"
        self.khal_dir = self.tmp_dir / "khal"
        self.khal_config = self.khal_dir / "config"
        self.khal_db = self.khal_dir / "khal.db"
        self.home = self.tmp_dir / "home"
        self.uid_hook = self.vdirsyncer_dir / "keep_feed_uid.sh"

        for d in (
            self.vdirsyncer_dir,
            self.status_path,
            self.khal_dir,
            self.home,
            self.vdir.parent,
        ):
            d.mkdir(parents=True, exist_ok=True)
        # self.vdir itself is deliberately not created: `discover` creates it.
        self._write_configs()

    # -- configuration ----------------------------------------------------
    def _write_configs(self) -> None:
        hook_py = self.vdirsyncer_dir / "keep_feed_uid.py"
        hook_py.write_text(f"PROP = {FEED_UID_PROP!r}\n" + _UID_HOOK_SOURCE, encoding="utf-8")
        self.uid_hook.write_text(
            f'#!/bin/sh\nexec "{sys.executable}" "{hook_py}"\n',
            encoding="utf-8",
        )
        self.uid_hook.chmod(0o755)
        self.vdirsyncer_config.write_text(
            "\n".join(
                [
                    "[general]",
                    f"status_path = {_vds_str(str(self.status_path) + '/')}",
                    "",
                    f"[pair {self.PAIR}]",
                    'a = "feed_remote"',
                    'b = "feed_local"',
                    "collections = null",
                    'conflict_resolution = "a wins"',
                    "",
                    "[storage feed_remote]",
                    'type = "http"',
                    f"url = {_vds_str(self.feed_url)}",
                    "read_only = true",
                    f"filter_hook = {_vds_str(str(self.uid_hook))}",
                    "",
                    "[storage feed_local]",
                    'type = "filesystem"',
                    f"path = {_vds_str(str(self.vdir) + '/')}",
                    'fileext = ".ics"',
                    "",
                ]
            ),
            encoding="utf-8",
        )
        self.khal_config.write_text(
            "\n".join(
                [
                    "[calendars]",
                    "[[feed]]",
                    f"path = {_khal_str(str(self.vdir))}",
                    "type = calendar",
                    "readonly = True",
                    "",
                    "[locale]",
                    f"local_timezone = {self.timezone}",
                    f"default_timezone = {self.timezone}",
                    f"timeformat = {KHAL_TIMEFORMAT}",
                    f"dateformat = {KHAL_DATEFORMAT}",
                    f"longdateformat = {KHAL_LONGDATEFORMAT}",
                    f"datetimeformat = {KHAL_DATETIMEFORMAT}",
                    f"longdatetimeformat = {KHAL_LONGDATETIMEFORMAT}",
                    "",
                    "[sqlite]",
                    f"path = {_khal_str(str(self.khal_db))}",
                    "",
                ]
            ),
            encoding="utf-8",
        )

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "NO_PROXY": "127.0.0.1",
                "no_proxy": "127.0.0.1",
                "HOME": str(self.home),
                "XDG_CONFIG_HOME": str(self.home / ".config"),
                "XDG_DATA_HOME": str(self.home / ".local" / "share"),
                "XDG_CACHE_HOME": str(self.home / ".cache"),
                "PYTHONIOENCODING": "utf-8",
                "LC_ALL": "C.UTF-8",
                "LANG": "C.UTF-8",
                "TZ": self.timezone,
            }
        )
        env.pop("VDIRSYNCER_CONFIG", None)
        return env

    @staticmethod
    def _tool(name: str) -> list[str]:
        cmd = _python_tool(name)
        if cmd is None:
            raise RuntimeError(f"{name} is not installed (pip install {name})")
        return cmd

    # -- vdirsyncer -------------------------------------------------------
    def discover(self) -> subprocess.CompletedProcess[str]:
        """`vdirsyncer discover`; answers 'y' to "create the collection?"."""
        return _run(
            [*self._tool("vdirsyncer"), "-c", self.vdirsyncer_config, "discover", self.PAIR],
            env=self._env(),
            input="y\n" * 8,
            timeout=self.timeout,
        )

    def sync(self) -> subprocess.CompletedProcess[str]:
        """discover + sync.  Raises ClientError on failure (vdirsyncer exits
        non-zero when any item fails)."""
        self.discover()
        return _run(
            [*self._tool("vdirsyncer"), "-c", self.vdirsyncer_config, "sync", self.PAIR],
            env=self._env(),
            timeout=self.timeout,
        )

    def vdir_files(self) -> list[Path]:
        """The .ics files vdirsyncer wrote (one per UID), sorted."""
        if not self.vdir.is_dir():
            return []
        return sorted(p for p in self.vdir.iterdir() if p.is_file() and p.suffix == ".ics")

    # -- khal -------------------------------------------------------------
    def khal(self, *args: str) -> subprocess.CompletedProcess[str]:
        return _run(
            [*self._tool("khal"), "-c", self.khal_config, *args],
            env=self._env(),
            timeout=self.timeout,
        )

    def khal_events(
        self,
        start: str,
        end: str,
        extra_fields: Sequence[str] = (),
        *,
        once: bool = False,
    ) -> list[dict]:
        """Events khal lists between START and END (khal syntax, e.g.
        '2025-07-01' or '2025-07-01T08:00'; with a date END, that whole day is
        included).

        Each dict has khal's raw JSON fields ('title', 'start', 'end', 'uid',
        'categories' (comma-joined string), 'all-day' ('True'/'False'), plus
        *extra_fields*) and parsed extras:

        * ``feed_uid`` -- the event's UID in the feed.  khal's own 'uid' is
          vdirsyncer's content hash (see FEED_UID_PROP), so a changed event
          gets a new 'uid' but keeps its ``feed_uid``.

        * ``all_day`` -- bool
        * ``categories_list`` -- list[str]
        * ``start_local`` / ``end_local`` -- timezone-aware datetimes in the
          configured zone, or ``datetime.date`` for all-day events.  NB: khal
          shows all-day ends *inclusively* (DTEND minus one day).

        khal prints one JSON list per day, and repeats an event on every day it
        touches; pass ``once=True`` (``khal list --once``) to de-duplicate by
        UID -- which would also hide genuine duplicates.
        """
        fields = list(dict.fromkeys([*KHAL_JSON_FIELDS, *extra_fields]))
        args = ["list"]
        for f in fields:
            args += ["--json", f]
        args += ["--day-format", ""]
        if once:
            args.append("--once")
        args += [start, end]
        proc = self.khal(*args)

        uid_map = self.feed_uids()
        events: list[dict] = []
        for line in proc.stdout.splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(data, dict):
                data = [data]
            if not isinstance(data, list):
                continue
            events.extend(self._enrich(e, uid_map) for e in data if isinstance(e, dict))
        if not events and proc.stdout.strip() and not proc.stdout.strip().startswith("["):
            raise ClientError(f"khal printed no JSON:\n{proc.stdout}\n{proc.stderr}")
        return events

    def feed_uids(self) -> dict[str, str]:
        """Map vdir UID (vdirsyncer's content hash) -> the UID in the feed."""
        mapping: dict[str, str] = {}
        for path in self.vdir_files():
            text = re.sub(r"\r?\n[ \t]", "", path.read_text(encoding="utf-8"))
            vdir_uid = feed_uid = None
            for line in text.splitlines():
                if line.upper().startswith("UID:") and vdir_uid is None:
                    vdir_uid = line.split(":", 1)[1]
                elif line.upper().startswith(FEED_UID_PROP + ":") and feed_uid is None:
                    feed_uid = line.split(":", 1)[1]
            if vdir_uid is not None and feed_uid is not None:
                mapping[vdir_uid] = feed_uid
        return mapping

    def _enrich(self, e: dict, uid_map: dict[str, str] | None = None) -> dict:
        e = dict(e)
        if uid_map is not None and "uid" in e:
            e["feed_uid"] = uid_map.get(e["uid"])
        all_day = str(e.get("all-day", "")).strip().lower() == "true"
        e["all_day"] = all_day
        e["categories_list"] = _split_categories(e.get("categories"))
        for key in ("start", "end"):
            raw = e.get(key)
            if not raw:
                continue
            if all_day:
                e[f"{key}_local"] = dt.datetime.strptime(raw, KHAL_DATEFORMAT).date()  # noqa: DTZ007 (a day)
            else:
                e[f"{key}_local"] = dt.datetime.strptime(raw, KHAL_DATETIMEFORMAT).replace(tzinfo=self.tzinfo)
        return e
