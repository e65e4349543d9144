"""A real Radicale CalDAV server on 127.0.0.1 and a free port, with a password file, for the
sync tests and the benchmark. Nothing here talks CalDAV for followup: only set-up and checks."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

USER, PASSWORD = "jo", "correct horse"
_PROPS = (
    '<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/">'
    "<d:prop><d:getetag/><cs:getctag/></d:prop></d:propfind>"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Radicale:
    base: str  # http://127.0.0.1:PORT

    @property
    def auth(self) -> tuple[str, str]:
        return USER, PASSWORD

    def new_calendar(self) -> str:
        """An empty calendar collection of its own; returns its URL."""
        url = f"{self.base}/{USER}/{uuid.uuid4().hex[:12]}/"
        response = httpx.request("MKCALENDAR", url, auth=self.auth, timeout=10)
        assert response.status_code == 201, response.status_code
        return url

    def listing(self, calendar: str) -> dict[str, str]:
        """Resource name -> ETag, and '' -> the collection's CTag (it changes on any write)."""
        response = httpx.request("PROPFIND", calendar, content=_PROPS, headers={"Depth": "1"},
                                 auth=self.auth, timeout=10)
        import xml.etree.ElementTree as ET
        from urllib.parse import unquote

        found = {}
        for item in ET.fromstring(response.content).iter("{DAV:}response"):
            href = unquote(item.findtext("{DAV:}href", ""))
            name = href.rstrip("/").rsplit("/", 1)[-1] if not href.endswith("/") else ""
            tag = item.findtext(".//{DAV:}getetag") if name else item.findtext(
                ".//{http://calendarserver.org/ns/}getctag")
            found[name] = tag or ""
        return found

    def get(self, url: str) -> bytes:
        response = httpx.get(url, auth=self.auth, timeout=10)
        assert response.status_code == 200, response.status_code
        return bytes(response.content or b"")

    def put(self, url: str, body: bytes) -> None:
        response = httpx.put(url, content=body, auth=self.auth, timeout=10,
                             headers={"Content-Type": "text/calendar; charset=utf-8"})
        assert response.status_code in (201, 204), response.status_code


@contextmanager
def running(folder: Path) -> Iterator[Radicale]:
    """Radicale serving `folder`, users from an htpasswd file (plain), until the block ends."""
    folder.mkdir(parents=True, exist_ok=True)
    users = folder / "users"
    users.write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
    port = free_port()
    command = [
        sys.executable, "-m", "radicale", "--config", "",
        "--server-hosts", f"127.0.0.1:{port}",
        "--storage-filesystem-folder", str(folder / "collections"),
        "--auth-type", "htpasswd", "--auth-htpasswd-filename", str(users),
        "--auth-htpasswd-encryption", "plain", "--auth-delay", "0",
        "--logging-level", "error",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("Radicale did not start") from None
                time.sleep(0.1)
        yield Radicale(f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
