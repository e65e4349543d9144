"""`followup sync`: a CalDAV calendar made to hold exactly the plan's events.

One PROPFIND lists the calendar (each resource's ETag); then only the needed PUTs and
DELETEs follow. Ours are the resources named after our UIDs (`…@interview-followup.ics`):
anything else in the calendar is never read, changed or deleted. A small file in the
cache folder remembers, per UID, the ETag the server gave and the digest of what we sent,
so a sync with nothing changed writes nothing. Losing that file costs one rewrite of our
events, nothing more; a sync cut off halfway is finished by the next one, which lists again.
"""

from __future__ import annotations

import json
import netrc
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from hashlib import sha256
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import icalendar

from followup.cache import cache_dir
from followup.clock import Clock
from followup.config import CalDAV
from followup.errors import FollowupError
from followup.fsutil import atomic_write
from followup.out.eventtext import EventText, uses_tzid
from followup.out.feed import build_stamp
from followup.out.state import Revision
from followup.out.vcalendar import PRODID
from followup.workspace import Workspace

PASSWORD_ENV = "FOLLOWUP_CALDAV_PASSWORD"
OURS = "@interview-followup"  # every UID the feed writes ends so (see feed.event_uid)
STATE_NAME = "caldav.json"
_DAV = "{DAV:}"
_CALENDAR = "{urn:ietf:params:xml:ns:caldav}calendar"
_LISTING = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:resourcetype/></d:prop></d:propfind>'
)
_CHECK = (
    "check username in [caldav] and the password (FOLLOWUP_CALDAV_PASSWORD, password_command "
    "or ~/.netrc); iCloud needs an app-specific password"
)


@dataclass(frozen=True, slots=True)
class Resource:
    """One event as the calendar should hold it: a calendar object resource of its own."""

    uid: str
    body: bytes

    @property
    def name(self) -> str:
        return quote(self.uid, safe="@") + ".ics"

    @property
    def digest(self) -> str:
        return sha256(self.body).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Known:
    """What the last sync left on the server for one UID."""

    etag: str  # "" when the server gave none on PUT: the next listing's is taken
    digest: str


@dataclass(frozen=True, slots=True)
class Changes:
    """What a sync does: resources to create, to update, names of ours to delete."""

    create: tuple[Resource, ...]
    update: tuple[Resource, ...]
    remove: tuple[str, ...]
    unchanged: int

    def summary(self) -> str:
        return (
            f"{len(self.create)} created, {len(self.update)} updated, "
            f"{len(self.remove)} removed, {self.unchanged} unchanged"
        )


def resources(events: Iterable[EventText], zones: Iterable[tuple[str, date] | None], today: date,
              revisions: Mapping[str, Revision]) -> list[Resource]:
    """Each event in a VCALENDAR of its own, with the VTIMEZONE its times need."""
    stamp = build_stamp(today)
    head = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:{PRODID}\r\nCALSCALE:GREGORIAN\r\n"
    found = []
    for text, zone in zip(events, zones, strict=True):
        timezone = _timezone(*zone) if zone else ""
        body = head + timezone + text.render(stamp, revisions.get(text.uid)) + "END:VCALENDAR\r\n"
        found.append(Resource(text.uid, body.encode("utf-8")))
    return found


def zone_of(start: datetime | date, zone: str) -> tuple[str, date] | None:
    """The zone and day an event's VTIMEZONE must cover, or None (all-day, or UTC)."""
    if isinstance(start, datetime) and uses_tzid(zone):
        return zone, start.date()
    return None


@lru_cache(maxsize=4096)
def _timezone(zone: str, day: date) -> str:
    one_day = timedelta(days=1)
    item = icalendar.Timezone.from_tzid(zone, first_date=day - one_day, last_date=day + one_day)
    text: bytes = item.to_ical()
    return text.decode("utf-8")


def compare(wanted: Iterable[Resource], listing: Mapping[str, str], known: Mapping[str, Known]) -> Changes:
    """What to write so that the server's resources of ours (`listing`: name -> ETag) become
    `wanted`, given what the last sync left (`known`, by UID)."""
    create, update = [], []
    unchanged = 0
    names = set()
    for resource in wanted:
        names.add(resource.name)
        etag = listing.get(resource.name)
        before = known.get(resource.uid)
        if etag is None:
            create.append(resource)
        elif before and before.digest == resource.digest and before.etag in ("", etag):
            unchanged += 1
        else:
            update.append(resource)
    remove = sorted(name for name in listing if name not in names)
    return Changes(tuple(create), tuple(update), tuple(remove), unchanged)


def is_ours(name: str) -> bool:
    return unquote(name).endswith(OURS + ".ics")


# --- the password, read from the environment, a command, or ~/.netrc -----------------------


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


# --- talking to the server -------------------------------------------------------------------


class Server:
    """The calendar collection, through the caldav library's client; every failure a user can
    fix becomes a FollowupError saying what to check."""

    def __init__(self, settings: CalDAV, username: str, password: str) -> None:
        from caldav.davclient import DAVClient

        self.url = settings.url
        self.timeout = settings.timeout
        self.client = DAVClient(
            url=settings.url, username=username or None, password=password or None,
            timeout=settings.timeout, enable_rfc6764=False,
        )

    def _request(self, url: str, method: str, body: str = "", headers: Mapping[str, str] | None = None) -> Any:
        from caldav.lib.error import AuthorizationError, DAVError

        try:
            return self.client.request(url, method, body, dict(headers or {}))
        except AuthorizationError as error:
            if method != "PROPFIND" and "Forbidden" in str(error):
                raise FollowupError(
                    f"the server does not let you write to {self.url} (HTTP 403); check that it is "
                    "your own calendar and not a read-only or shared one"
                ) from None
            raise FollowupError(f"the server refused the login for {self.url}; {_CHECK}") from None
        except DAVError as error:
            raise FollowupError(f"{method} {url} failed: {error}") from None
        except OSError as error:  # requests' and niquests' errors derive from it
            if any("Timeout" in kind.__name__ for kind in type(error).__mro__):
                raise FollowupError(
                    f"no answer from {self.url} within {self.timeout} seconds; check the url in "
                    "[caldav] and that the server is up (or raise timeout in [caldav])"
                ) from None
            raise FollowupError(
                f"could not reach {self.url} ({_reason(error)}); check the url in [caldav], your "
                "connection, and that the server is up"
            ) from None

    def listing(self) -> dict[str, str]:
        """Our resources in the calendar, name -> ETag, in one request; checks it is a calendar."""
        response = self._request(self.url, "PROPFIND", _LISTING, {"Depth": "1", "Content-Type":
                                 "application/xml; charset=utf-8"})
        if response.status == 404:
            raise FollowupError(
                f"there is no calendar at {self.url} (HTTP 404); check the url in [caldav]: it must "
                "be an existing calendar, made in your calendar app or on the server"
            )
        if response.status != 207:
            raise FollowupError(f"{self.url} answered the listing with HTTP {response.status}; check the url")
        try:
            root = ET.fromstring(response.raw.encode("utf-8"))
        except ET.ParseError as error:
            raise FollowupError(f"{self.url} sent a listing that is not XML ({error})") from None
        found, is_calendar = {}, False
        own_path = unquote(urlsplit(self.url).path).rstrip("/")
        for item in root.iter(f"{_DAV}response"):
            href = unquote(urlsplit(item.findtext(f"{_DAV}href", "")).path)
            if href.rstrip("/") == own_path:
                is_calendar = item.find(f".//{_DAV}resourcetype/{_CALENDAR}") is not None
                continue
            name = href.rsplit("/", 1)[-1]
            if is_ours(name):
                found[quote(name, safe="@")] = (item.findtext(f".//{_DAV}getetag") or "").strip()
        if not is_calendar:
            raise FollowupError(
                f"{self.url} is not a calendar; check the url in [caldav]: it must point at one "
                "calendar (a collection of events), not at your account or a folder of calendars"
            )
        return found

    def put(self, resource: Resource, etag: str | None) -> str:
        """Create (etag None) or replace a resource; returns the ETag the server gives, or ''."""
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        if etag is None:
            headers["If-None-Match"] = "*"
        elif etag:
            headers["If-Match"] = etag
        response = self._request(self.url + resource.name, "PUT", resource.body.decode("utf-8"), headers)
        if response.status == 412:
            raise FollowupError(
                f"{resource.uid} changed on the server while syncing; run `followup sync` again"
            )
        if response.status == 409 or "no-uid-conflict" in str(getattr(response, "raw", "")):
            raise FollowupError(
                f"the calendar already holds an event with the UID {resource.uid} that followup did "
                "not write (the feed imported by hand?); delete that copy in your calendar app, or "
                "sync into a calendar of its own"
            )
        if response.status not in (200, 201, 204):
            raise FollowupError(
                f"the server refused to save {resource.uid} (HTTP {response.status}); check that "
                f"{self.url} is a calendar you may write to"
            )
        return str(response.headers.get("ETag") or "")

    def delete(self, name: str) -> None:
        response = self._request(self.url + name, "DELETE")
        if response.status not in (200, 202, 204, 404):
            raise FollowupError(f"the server refused to delete {unquote(name)} (HTTP {response.status})")


def _reason(error: OSError) -> str:
    text = str(error)
    for reason in ("Connection refused", "Name or service not known", "No route to host",
                   "certificate verify failed", "Temporary failure in name resolution"):
        if reason in text:
            return reason.lower()
    return type(error).__name__


# --- the sync itself ------------------------------------------------------------------------


def state_path(root: Path) -> Path:
    """Beside the build cache, outside the workspace; losing it costs one rewrite of our events."""
    folder = cache_dir(root) or root / ".followup-cache"
    return folder / STATE_NAME


def load_known(root: Path, settings: CalDAV) -> dict[str, Known]:
    """What the last sync to this calendar left there; empty for another calendar or none."""
    try:
        data = json.loads(state_path(root).read_text(encoding="utf-8"))
        if data.get("url") != settings.url:
            return {}
        return {str(uid): Known(str(etag), str(digest)) for uid, (etag, digest) in data["events"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}  # a cache: without it, the next sync rewrites our events once


def save_known(root: Path, settings: CalDAV, known: Mapping[str, Known]) -> None:
    events = {uid: [k.etag, k.digest] for uid, k in sorted(known.items())}
    data = json.dumps({"url": settings.url, "events": events}, indent=1, sort_keys=True)
    atomic_write(state_path(root), data.encode("utf-8"))


def apply(server: Server, changes: Changes, listing: Mapping[str, str], known: dict[str, Known]) -> None:
    """Write the changes, recording each in `known` as it succeeds (the caller saves it,
    even after a failure, so the next sync knows what already went through)."""
    for resource in changes.create:
        known[resource.uid] = Known(server.put(resource, None), resource.digest)
    for resource in changes.update:
        known[resource.uid] = Known(server.put(resource, listing[resource.name]), resource.digest)
    for name in changes.remove:
        server.delete(name)
        known.pop(unquote(name).removesuffix(".ics"), None)


def wanted(workspace: Workspace, clock: Clock, *, remember: bool) -> list[Resource]:
    """The plan's events inside the feed window, as resources; like `build`, it records each
    event's SEQUENCE and LAST-MODIFIED in the state file (unless `remember` is False)."""
    from followup import loading
    from followup.out import feed, revisions
    from followup.out import state as state_file

    config, today = workspace.config, clock.today
    _, planned = loading.load(workspace, today)
    shown = feed.in_window(planned, config, today)
    texts = feed.texts(shown, config)
    history = revisions.track(
        shown, config, state_file.load_state(workspace.root), clock.changed, texts
    )
    if remember:
        state_file.save_state(workspace.root, history)
    zones = [zone_of(r.start, r.interview.timezone) for r in shown.reminders]
    return resources(texts, zones, today, revisions.revisions(shown, config, history))


def sync(workspace: Workspace, clock: Clock, *, dry_run: bool,
         environ: Mapping[str, str], home: Path) -> Changes:
    """Make the calendar of `[caldav]` hold exactly the plan's events among ours."""
    settings = workspace.config.caldav
    if settings is None:
        raise FollowupError(
            "no calendar to sync with: add a [caldav] table to followup.toml, with url = the "
            "calendar's address and username = your login"
        )
    server = Server(settings, *credentials(settings, environ, home))
    resources_wanted = wanted(workspace, clock, remember=not dry_run)
    listing = server.listing()
    known = load_known(workspace.root, settings)
    changes = compare(resources_wanted, listing, known)
    if dry_run:
        return changes
    for resource in resources_wanted:  # the server's ETag, where its PUT gave none
        before = known.get(resource.uid)
        if before and not before.etag and resource.name in listing:
            known[resource.uid] = Known(listing[resource.name], before.digest)
    try:
        apply(server, changes, listing, known)
    finally:
        save_known(workspace.root, settings, known)
    return changes
