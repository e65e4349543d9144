"""`followup sync`: a CalDAV calendar made to hold exactly the plan's events.

One PROPFIND lists the calendar (each resource's ETag); then only the needed PUTs and
DELETEs follow (`storage`). Ours are the resources named after our UIDs
(`…@interview-followup.ics`): anything else in the calendar is never read, changed or
deleted. A small file beside the cache remembers, per UID, the ETag the server gave and the
digest of what we sent, so a sync with nothing changed writes nothing. Losing that file
costs one rewrite of our events, nothing more; a sync cut off halfway is finished by the
next one, which lists again.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

import icalendar

from followup.cache import cache_dir
from followup.config import CalDAV
from followup.delivery.caldav.storage import Resource, Server, uid_of
from followup.feed.calendar import PRODID, build_stamp
from followup.feed.events import EventText, uses_tzid
from followup.feed.state import Revision
from followup.fsutil import atomic_write

STATE_NAME = "caldav.json"


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


def compare(
    wanted: Iterable[Resource], listing: Mapping[str, str], known: Mapping[str, Known], ours: Collection[str]
) -> Changes:
    """What to write so that the calendar's resources (`listing`: name -> ETag) hold `wanted`,
    given what the last sync left (`known`, by UID). Only resources named after a UID this
    workspace made (`ours`: its state file names every event it ever published, and `known`
    every one it sent) are removed: never another program's or another workspace's."""
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
    remove = sorted(
        name for name in listing if name not in names and (uid_of(name) in ours or uid_of(name) in known)
    )
    return Changes(tuple(create), tuple(update), tuple(remove), unchanged)


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


def wanted(texts: Sequence[EventText], starts: Sequence[tuple[datetime | date, str]], today: date,
           revisions: Mapping[str, Revision]) -> list[Resource]:
    """The plan's events as resources: each event with its start and its interview's zone."""
    return resources(texts, [zone_of(start, zone) for start, zone in starts], today, revisions)


def sync(
    root: Path, settings: CalDAV, server: Server, wanted: Sequence[Resource], ours: Collection[str], *, dry_run: bool
) -> Changes:
    """Make the calendar hold exactly `wanted` among the resources this workspace made (`ours`:
    the UIDs its state file names)."""
    listing = server.listing()
    known = load_known(root, settings)
    changes = compare(wanted, listing, known, {*ours, *(r.uid for r in wanted)})
    if dry_run:
        return changes
    for resource in wanted:  # the server's ETag, where its PUT gave none
        before = known.get(resource.uid)
        if before and not before.etag and resource.name in listing:
            known[resource.uid] = Known(listing[resource.name], before.digest)
    try:
        apply(server, changes, listing, known)
    finally:
        save_known(root, settings, known)
    return changes
