"""The CalDAV server as `followup sync` sees it: one listing of the calendar's resources (name
and ETag), then PUTs and DELETEs. Every failure a user can fix becomes a FollowupError saying
what to check."""

from __future__ import annotations

import threading
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from hashlib import sha256
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from followup.config import CalDAV
from followup.errors import FollowupError

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


def uid_of(name: str) -> str:
    """The UID a resource named `name` holds when followup wrote it (`Resource.name`)."""
    return unquote(name).removesuffix(".ics")


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


# A listing of tens of thousands of events is a few megabytes; anything far larger is not a
# calendar answering, and is not read into memory.
MAX_RESPONSE_BYTES = 64 * 1024 * 1024


class Server:
    """The calendar collection, over HTTP(S) with httpx; every failure a user can fix
    becomes a FollowupError saying what to check.

    Each request, its answer read whole, must be done within `timeout` seconds (a server that
    sends its answer a byte at a time cannot hold a sync longer), and an answer may not be
    larger than MAX_RESPONSE_BYTES. Nothing from the environment is used but the proxy
    settings: not a ~/.netrc entry (the password is given, see `credentials`)."""

    def __init__(self, settings: CalDAV, username: str, password: str) -> None:
        import httpx

        self.url = settings.url
        self.timeout = settings.timeout
        # trust_env off: no ~/.netrc for any host (credentials are given); the proxy is the
        # one the environment names for this address, found here.
        self.session = httpx.Client(
            trust_env=False, proxy=_proxy(settings.url), follow_redirects=False, timeout=self.timeout
        )
        self.login = (username, password) if username or password else None
        self.auth: Any = httpx.BasicAuth(*self.login) if self.login else None

    def _request(self, url: str, method: str, body: str = "", headers: Mapping[str, str] | None = None) -> Response:
        response = self._within_time(url, method, body, headers)
        if response.status == 401 and self.login and "digest" in response.headers.get("WWW-Authenticate", "").lower():
            import httpx

            self.auth = httpx.DigestAuth(*self.login)
            response = self._within_time(url, method, body, headers)
        if response.status == 401:
            raise FollowupError(f"the server refused the login for {self.url}; {_CHECK}")
        if response.status == 403:
            if method == "PROPFIND":
                raise FollowupError(f"the server refused the login for {self.url}; {_CHECK}")
            raise FollowupError(
                f"the server does not let you write to {self.url} (HTTP 403); check that it is "
                "your own calendar and not a read-only or shared one"
            )
        return response

    def _within_time(self, url: str, method: str, body: str, headers: Mapping[str, str] | None) -> Response:
        """One request in a thread of its own, waited for at most `timeout` seconds in all."""
        outcome: list[Response | BaseException] = []
        worker = threading.Thread(target=lambda: outcome.append(self._send(url, method, body, headers)), daemon=True)
        worker.start()
        worker.join(self.timeout)
        if not outcome:  # still sending or reading: left behind, it ends with the process
            raise self._no_answer()
        found = outcome[0]
        if isinstance(found, BaseException):
            raise found
        return found

    def _no_answer(self) -> FollowupError:
        return FollowupError(
            f"no answer from {self.url} within {self.timeout} seconds; check the url in "
            "[caldav] and that the server is up (or raise timeout in [caldav])"
        )

    def _send(self, url: str, method: str, body: str, headers: Mapping[str, str] | None) -> Response | BaseException:
        try:
            with self.session.stream(
                method, url, content=body.encode("utf-8") if body else None, headers=dict(headers or {}),
                auth=self.auth,
            ) as answer:
                data = bytearray()
                for chunk in answer.iter_bytes(65536):
                    data += chunk
                    if len(data) > MAX_RESPONSE_BYTES:
                        raise FollowupError(
                            f"{self.url} sent more than {MAX_RESPONSE_BYTES // (1024 * 1024)} MB in answer to "
                            f"{method}; that is not a calendar answering: check the url in [caldav]"
                        )
                return Response(answer.status_code, answer.headers, bytes(data))
        except FollowupError as error:
            return error
        except Exception as error:  # httpx's errors: said as what to check
            timed_out = any("Timeout" in kind.__name__ for kind in type(error).__mro__)
            if timed_out:
                return self._no_answer()
            return FollowupError(
                f"could not reach {self.url} ({_reason(error)}); check the url in [caldav], your "
                "connection, and that the server is up"
            )

    def listing(self) -> dict[str, str]:
        """The calendar's resources, name -> ETag, in one request; checks it is a calendar."""
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
            root = ET.fromstring(response.body)
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
            if name.endswith(".ics"):
                found[quote(unquote(name), safe="@")] = (item.findtext(f".//{_DAV}getetag") or "").strip()
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
        if response.status == 409 or "no-uid-conflict" in response.text:
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


def _proxy(url: str) -> str | None:
    """The proxy the environment names for this address (HTTPS_PROXY, NO_PROXY...), if any."""
    host = urlsplit(url).hostname or ""
    if not host or urllib.request.proxy_bypass(host):
        return None
    return urllib.request.getproxies().get(urlsplit(url).scheme)


def _reason(error: Exception) -> str:
    text = str(error)
    for reason in ("Connection refused", "Name or service not known", "No route to host",
                   "certificate verify failed", "Temporary failure in name resolution"):
        if reason in text:
            return reason.lower()
    return type(error).__name__
