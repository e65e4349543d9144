"""The CalDAV server as `followup sync` sees it: one listing of our resources (name and ETag),
PUTs and DELETEs, through the caldav library's client. Every failure a user can fix becomes
a FollowupError saying what to check."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from hashlib import sha256
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from followup.config import CalDAV
from followup.errors import FollowupError

OURS = "@interview-followup"  # every UID the feed writes ends so (see feed.events.event_uid)
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


def is_ours(name: str) -> bool:
    return unquote(name).endswith(OURS + ".ics")


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
