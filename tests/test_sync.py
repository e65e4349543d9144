"""`followup sync` against a real Radicale server started on 127.0.0.1 with a password file."""

from __future__ import annotations

import http.server
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import icalendar
import pytest

from caldav_server import PASSWORD, USER, Radicale, free_port, running
from conftest import Workspace
from followup.config import CalDAV
from followup.delivery.caldav import storage
from followup.delivery.caldav import sync as caldavsync
from followup.errors import FollowupError

pytest.importorskip("radicale", reason="Radicale (the test extra) is not installed")

NOTE = """\
---
company: Northwind Traders
role: Backend Engineer
date: {date}
interviewers:
  - Priya Natarajan <priya@northwind.example>
---
"""
FOREIGN = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//someone//else//EN\r\nBEGIN:VEVENT\r\n"
    b"UID:dentist-42@example.com\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261127T090000Z\r\n"
    b"SUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    with running(tmp_path_factory.mktemp("radicale")) as server:
        yield server


@pytest.fixture
def calendar(radicale: Radicale) -> str:
    return radicale.new_calendar()


@pytest.fixture
def synced(workspace: Workspace, calendar: str, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """A workspace with one interview, its [caldav] table, and the password in the environment."""
    workspace.config(f'timezone = "Europe/London"\n\n[caldav]\nurl = "{calendar}"\nusername = "{USER}"\n')
    workspace.note("2026-11-19-northwind.md", NOTE.format(date="2026-11-19 13:30"))
    monkeypatch.setenv("FOLLOWUP_CALDAV_PASSWORD", PASSWORD)
    monkeypatch.setenv("HOME", str(workspace.root.parent / "home"))
    _approve(calendar)  # as the first `followup sync --trust` would
    return workspace


def _sync(workspace: Workspace, *args: str, trust: bool = True) -> Any:
    """`followup sync` on the suite's day; the calendar approved (see the tests of approval)."""
    return workspace.run("sync", "--today", "2026-11-26", *(["--trust"] if trust else []), *args)


def _server_events(radicale: Radicale, calendar: str) -> dict[str, icalendar.Event]:
    found = {}
    for name in radicale.listing(calendar):
        if name:
            event = next(iter(icalendar.Calendar.from_ical(radicale.get(calendar + name)).events))
            found[str(event["uid"])] = event
    return found


def _feed_events(workspace: Workspace) -> dict[str, icalendar.Event]:
    workspace.run("build", "--no-site")
    return {str(e["uid"]): e for e in workspace.events()}


@pytest.fixture
def requests_made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every request the sync sends, as its HTTP method."""
    made: list[str] = []
    original = storage.Server._request

    def recording(self: storage.Server, url: str, method: str, *args: Any, **kwargs: Any) -> Any:
        made.append(method)
        return original(self, url, method, *args, **kwargs)

    monkeypatch.setattr(storage.Server, "_request", recording)
    return made


def test_first_sync_then_a_sync_with_nothing_changed_writes_nothing(
    synced: Workspace, radicale: Radicale, calendar: str, requests_made: list[str]
) -> None:
    first = _sync(synced)
    assert first.exit_code == 0, first.output
    wanted = _feed_events(synced)
    assert first.output.strip() == f"{len(wanted)} created, 0 updated, 0 removed, 0 unchanged"
    held = _server_events(radicale, calendar)
    assert set(held) == set(wanted)
    for uid, event in held.items():  # the same events as the feed, alarms and all
        assert event["summary"] == wanted[uid]["summary"]
        assert event.start == wanted[uid].start and event.end == wanted[uid].end
        assert event["sequence"] == wanted[uid]["sequence"]
        assert list(event.walk("VALARM"))

    before = radicale.listing(calendar)
    requests_made.clear()
    again = _sync(synced)
    assert again.output.strip() == f"0 created, 0 updated, 0 removed, {len(wanted)} unchanged"
    assert requests_made == ["PROPFIND"]  # one listing, no write
    assert radicale.listing(calendar) == before  # every ETag and the collection's CTag


def test_an_edit_moves_the_interview_and_done_removes_the_reminder(
    synced: Workspace, radicale: Radicale, calendar: str
) -> None:
    _sync(synced)
    first = _server_events(radicale, calendar)
    interview = next(uid for uid, e in first.items() if e.categories == ["interview"])
    note = synced.root / "interviews" / "2026-11-19-northwind.md"
    note.write_text(NOTE.format(date="2026-11-19 15:00"), encoding="utf-8")
    assert synced.run("done", "northwind", "thank-you", "--date", "2026-11-19").exit_code == 0
    result = _sync(synced)
    assert result.exit_code == 0, result.output
    held = _server_events(radicale, calendar)
    assert set(held) == set(_feed_events(synced))
    assert not any(e.categories == ["thank-you"] for e in held.values())
    assert held[interview].start.hour == 15 and held[interview]["sequence"] > first[interview]["sequence"]
    changed = sum(1 for uid in held if held[uid].to_ical() != first[uid].to_ical())
    assert result.output.strip() == (
        f"0 created, {changed} updated, 1 removed, {len(held) - changed} unchanged"
    )


def test_events_leave_the_calendar_with_the_feed_window(synced: Workspace, radicale: Radicale, calendar: str) -> None:
    assert _sync(synced).exit_code == 0
    count = len(radicale.listing(calendar)) - 1
    later = synced.run("sync", "--today", "2027-02-18")  # 91 days after the interview
    assert later.output.strip() == f"0 created, 0 updated, {count} removed, 0 unchanged"
    assert radicale.listing(calendar).keys() == {""}


def test_events_it_did_not_make_are_never_touched(synced: Workspace, radicale: Radicale, calendar: str) -> None:
    radicale.put(calendar + "dentist.ics", FOREIGN)
    tag, body = radicale.listing(calendar)["dentist.ics"], radicale.get(calendar + "dentist.ics")
    _sync(synced)
    (synced.root / "interviews" / "2026-11-19-northwind.md").unlink()  # every event of ours goes
    result = _sync(synced)
    assert result.exit_code == 0, result.output
    assert radicale.listing(calendar).keys() == {"", "dentist.ics"}
    assert radicale.listing(calendar)["dentist.ics"] == tag
    assert radicale.get(calendar + "dentist.ics") == body


def test_an_event_named_like_ours_that_this_workspace_never_made_is_kept(
    synced: Workspace, radicale: Radicale, calendar: str
) -> None:
    """Ours are the UIDs the workspace's state file names, not any UID with our suffix."""
    lookalike = FOREIGN.replace(b"dentist-42@example.com", b"dentist@interview-followup")
    radicale.put(calendar + "dentist@interview-followup.ics", lookalike)
    tag = radicale.listing(calendar)["dentist@interview-followup.ics"]
    assert _sync(synced).exit_code == 0
    assert radicale.listing(calendar).get("dentist@interview-followup.ics") == tag  # untouched


def test_two_workspaces_on_one_calendar_leave_each_other_s_events(
    synced: Workspace, radicale: Radicale, calendar: str, tmp_path: Path
) -> None:
    other = Workspace(tmp_path / "other")
    other.config(synced_config(calendar))
    other.note("2026-11-20-initech.md", NOTE.replace("Northwind Traders", "Initech").format(date="2026-11-20 10:00"))
    assert _sync(synced).exit_code == 0 and _sync(other).exit_code == 0
    assert _sync(synced).output.strip().endswith("0 removed, 4 unchanged")
    both = set(radicale.listing(calendar)) - {""}
    assert any(name.startswith("2026-11-19-northwind") for name in both)
    assert any(name.startswith("2026-11-20-initech") for name in both)


def test_our_uid_under_another_name_is_named_not_overwritten(
    synced: Workspace, radicale: Radicale, calendar: str
) -> None:
    uid = next(iter(_feed_events(synced)))
    imported = FOREIGN.replace(b"dentist-42@example.com", uid.encode())
    radicale.put(calendar + "imported-by-hand.ics", imported)
    _fails_with(_sync(synced), "already holds an event with the UID", uid)
    assert radicale.get(calendar + "imported-by-hand.ics")  # still there, unchanged


def test_dry_run_says_the_same_and_writes_nothing(synced: Workspace, radicale: Radicale, calendar: str) -> None:
    before = radicale.listing(calendar)
    dry = _sync(synced, "--dry-run")
    assert dry.exit_code == 0 and " created, 0 updated, 0 removed, 0 unchanged" in dry.output
    assert radicale.listing(calendar) == before
    real = _sync(synced)
    assert dry.output.startswith(real.output.strip())


def test_a_sync_cut_short_is_finished_by_the_next(
    synced: Workspace, radicale: Radicale, calendar: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = storage.Server.put
    calls = []

    def failing(self: storage.Server, resource: storage.Resource, etag: str | None) -> str:
        calls.append(resource.uid)
        if len(calls) == 3:
            raise storage.FollowupError("the connection dropped")
        return original(self, resource, etag)

    monkeypatch.setattr(storage.Server, "put", failing)
    broken = _sync(synced)
    assert broken.exit_code == 1 and "connection dropped" in broken.output
    monkeypatch.setattr(storage.Server, "put", original)
    wanted = _feed_events(synced)
    finished = _sync(synced)
    assert finished.output.strip() == f"{len(wanted) - 2} created, 0 updated, 0 removed, 2 unchanged"
    assert set(_server_events(radicale, calendar)) == set(wanted)


def test_a_lost_state_file_rewrites_ours_once_and_duplicates_nothing(
    synced: Workspace, radicale: Radicale, calendar: str
) -> None:
    _sync(synced)
    caldavsync.state_path(synced.root).unlink()
    result = _sync(synced)
    count = len(_feed_events(synced))
    assert result.output.strip() == f"0 created, {count} updated, 0 removed, 0 unchanged"
    assert len(radicale.listing(calendar)) == count + 1
    assert _sync(synced).output.strip() == f"0 created, 0 updated, 0 removed, {count} unchanged"


def test_minimal_details_sync_uses_the_hashed_uids(synced: Workspace, radicale: Radicale, calendar: str) -> None:
    synced.config("minimal_details = true\n" + synced_config(calendar))
    assert _sync(synced).exit_code == 0
    held = _server_events(radicale, calendar)
    assert held.keys() == _feed_events(synced).keys()
    assert not any("Priya" in e.to_ical().decode() for e in held.values())


def synced_config(calendar: str, extra: str = "") -> str:
    return f'timezone = "Europe/London"\n\n[caldav]\nurl = "{calendar}"\nusername = "{USER}"\n{extra}'


# --- where the password comes from -----------------------------------------------------------


def _approve(calendar: str, command: str = "") -> Path:
    """The user's own approval of `calendar`, with a password command, as they would write it."""
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "followup" / "calendars.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[[calendar]]\nurl = "{calendar}"\n{command}', encoding="utf-8")
    return path


def test_password_from_the_approved_calendar_s_command(
    synced: Workspace, calendar: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FOLLOWUP_CALDAV_PASSWORD")
    _approve(calendar, f'password_command = ["echo", "{PASSWORD}"]\n')
    assert _sync(synced, trust=False).exit_code == 0
    _approve(calendar, 'password_command = ["false"]\n')
    failed = _sync(synced, trust=False)
    assert failed.exit_code == 1 and "password_command" in failed.output


def test_password_from_netrc(synced: Workspace, calendar: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FOLLOWUP_CALDAV_PASSWORD")
    home = Path(os.environ["HOME"])
    home.mkdir(parents=True, exist_ok=True)
    missing = _sync(synced)
    assert missing.exit_code == 1 and "FOLLOWUP_CALDAV_PASSWORD" in missing.output
    netrc = home / ".netrc"
    netrc.write_text(f'default login {USER} password "{PASSWORD}"\n', encoding="utf-8")
    netrc.chmod(0o600)
    unused = _sync(synced)  # a default entry would send the password to any host named
    assert unused.exit_code == 1 and "FOLLOWUP_CALDAV_PASSWORD" in unused.output
    netrc.write_text(f'machine 127.0.0.1 login {USER} password "{PASSWORD}"\n', encoding="utf-8")
    assert _sync(synced).exit_code == 0


def test_a_calendar_not_yet_approved_gets_nothing_and_nothing_runs(
    synced: Workspace, calendar: str, requests_made: list[str]
) -> None:
    (Path(os.environ["XDG_CONFIG_HOME"]) / "followup" / "calendars.toml").unlink()
    result = _sync(synced, trust=False)
    _fails_with(result, "is not a calendar you approved", "followup sync --trust", calendar)
    assert requests_made == []  # not even a listing: the password went nowhere
    approved = _sync(synced)  # --trust: approved, and remembered outside the workspace
    assert approved.exit_code == 0 and f"Approved {calendar}" in approved.output
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "followup" / "calendars.toml"
    assert calendar in path.read_text(encoding="utf-8")
    assert _sync(synced, trust=False).exit_code == 0
    assert not any(p.name == "calendars.toml" for p in synced.root.rglob("*"))


def test_a_cloned_workspace_cannot_make_sync_run_a_command(synced: Workspace, calendar: str, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    synced.config(synced_config(calendar, f'password_command = ["touch", "{marker}"]\n'))
    for args in (("--dry-run",), ()):
        result = _sync(synced, *args)
        _fails_with(result, "followup.toml:6:", "belongs in your own")
    assert not marker.exists()


def test_a_password_in_the_url_is_refused_and_never_shown(synced: Workspace, radicale: Radicale) -> None:
    secret = "s3cr3t-in-url"
    synced.config(synced_config(radicale.base.replace("://", f"://{USER}:{secret}@") + f"/{USER}/cal/"))
    result = _sync(synced)
    _fails_with(result, "holds a user name or a password")
    assert secret not in result.output


def test_the_password_is_refused_in_the_workspace(synced: Workspace, calendar: str) -> None:
    synced.config(synced_config(calendar, 'password = "hunter2"\n'))
    result = _sync(synced)
    assert result.exit_code == 1 and "followup.toml:6" in result.output and "FOLLOWUP_CALDAV_PASSWORD" in result.output


# --- failures a user can fix -----------------------------------------------------------------


def _fails_with(result: Any, *words: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[-1].startswith("Error: ") and "Traceback" not in result.output
    for word in words:
        assert word in result.output


def test_a_wrong_password(synced: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOLLOWUP_CALDAV_PASSWORD", "wrong")
    _fails_with(_sync(synced), "refused the login", "password")


def test_a_url_that_is_not_a_calendar(synced: Workspace, radicale: Radicale) -> None:
    synced.config(synced_config(f"{radicale.base}/{USER}/"))
    _fails_with(_sync(synced), "is not a calendar")
    synced.config(synced_config(f"{radicale.base}/{USER}/no-such-calendar/"))
    _fails_with(_sync(synced), "no calendar at", "404")


def test_a_server_that_is_down(synced: Workspace) -> None:
    synced.config(synced_config(f"http://127.0.0.1:{free_port()}/{USER}/cal/"))
    _fails_with(_sync(synced), "could not reach", "check the url")


def test_a_server_that_does_not_answer(synced: Workspace) -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    accepted: list[socket.socket] = []
    thread = threading.Thread(target=lambda: accepted.append(silent.accept()[0]), daemon=True)
    thread.start()
    try:
        port = silent.getsockname()[1]
        synced.config(synced_config(f"http://127.0.0.1:{port}/{USER}/cal/", "timeout = 1\n"))
        _fails_with(_sync(synced), "no answer", "1 seconds")
    finally:
        for connection in accepted:
            connection.close()
        silent.close()


def test_no_caldav_table(workspace: Workspace) -> None:
    _fails_with(workspace.run("sync"), "[caldav]")


@pytest.mark.parametrize(
    ("table", "line", "words"),
    [
        ('[caldav]\nusername = "jo"\n', 3, ["needs url"]),
        ('[caldav]\nurl = "dav.example.com/cal/"\n', 3, ["https://"]),
        ('[caldav]\nurl = "https://dav.example.com/cal/"\nusername = "jo"\nusrname = "x"\n', 6,
         ["unknown setting 'usrname'", "did you mean 'username'"]),
        ('[caldav]\nurl = "https://dav.example.com/cal/"\npassword_command = ["sh", "-c", "id"]\n', 5,
         ["belongs in your own ~/.config/followup/calendars.toml"]),
        ('[caldav]\nurl = "https://dav.example.com/cal/"\ntimeout = 0\n', 5, ["between 1 and 600"]),
        ('caldav = "https://dav.example.com/cal/"\n', 3, ["must be a table"]),
    ],
)
def test_a_bad_caldav_table_is_named_with_its_line(workspace: Workspace, table: str, line: int,
                                                   words: list[str]) -> None:
    workspace.config(f'timezone = "Europe/London"\n\n{table}')
    result = workspace.run("sync")
    _fails_with(result, f"followup.toml:{line}:", *words)


# -- a server that asks for Digest authentication (SabreDAV's default: Baïkal, Nextcloud's older) --

_REALM, _NONCE = "SabreDAV", "dcd98b7102dd2f0e8b11d0f600bfb0c093"
_LISTING_207 = (
    b'<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
    b"<d:response><d:href>/jo/cal/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/>"
    b"<c:calendar/></d:resourcetype></d:prop></d:propstat></d:response>"
    b"<d:response><d:href>/jo/cal/a%40b.ics</d:href><d:propstat><d:prop>"
    b'<d:getetag>"e1"</d:getetag></d:prop></d:propstat></d:response></d:multistatus>'
)


def _digest_ok(method: str, header: str, password: str) -> bool:
    """Whether `header` answers our challenge for USER and `password` (RFC 7616, MD5, qop=auth)."""
    import hashlib
    import re

    if not header.startswith("Digest "):
        return False
    fields = dict(re.findall(r'(\w+)="?([^",]*)"?', header[len("Digest "):]))
    md5 = lambda text: hashlib.md5(text.encode()).hexdigest()  # noqa: E731
    first = md5(f"{USER}:{_REALM}:{password}")
    second = md5(f"{method}:{fields.get('uri', '')}")
    expected = md5(f"{first}:{_NONCE}:{fields.get('nc', '')}:{fields.get('cnonce', '')}:auth:{second}")
    return fields.get("username") == USER and fields.get("nonce") == _NONCE and fields.get("response") == expected


class _DigestHandler(http.server.BaseHTTPRequestHandler):
    def do_PROPFIND(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.seen.append(self.headers.get("Authorization", ""))  # type: ignore[attr-defined]
        if _digest_ok("PROPFIND", self.headers.get("Authorization", ""), PASSWORD):
            self.send_response(207)
            self.send_header("Content-Length", str(len(_LISTING_207)))
            self.end_headers()
            self.wfile.write(_LISTING_207)
            return
        self.send_response(401)
        self.send_header("WWW-Authenticate", f'Digest realm="{_REALM}", qop="auth", nonce="{_NONCE}", algorithm=MD5')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def digest_server() -> Iterator[tuple[str, list[str]]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _DigestHandler)
    server.seen = []  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/jo/cal/", server.seen  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def test_a_server_asking_for_digest_authentication_gets_it(digest_server: tuple[str, list[str]]) -> None:
    url, seen = digest_server
    server = storage.Server(CalDAV(url, USER, timeout=10), USER, PASSWORD)
    assert server.listing() == {"a@b.ics": '"e1"'}
    # Basic first (most servers), then Digest once the server asks for it; the password itself never sent.
    assert seen[0].startswith("Basic ") and seen[-1].startswith("Digest ")
    assert all(PASSWORD not in header for header in seen[1:])


def test_a_wrong_password_for_a_digest_server_is_refused_clearly(digest_server: tuple[str, list[str]]) -> None:
    url, _ = digest_server
    server = storage.Server(CalDAV(url, USER, timeout=10), USER, "wrong horse")
    with pytest.raises(FollowupError, match="the server refused the login"):
        server.listing()
