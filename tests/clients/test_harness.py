"""End-to-end checks of the client harness on a hand-written feed.

fixtures/sample.ics has three events (times in Europe/London):

* summer-talk        2025-07-15 10:00-11:30 BST  = 09:00-10:30Z
* clocks-back-night  2025-10-25 23:00 BST -> 2025-10-26 03:00 GMT
                     = 22:00Z -> 03:00Z (5 h: the clocks go back at 02:00 BST)
* winter-fair        all day 2025-12-13

In America/Los_Angeles (still on PDT until 2025-11-02) those are
02:00-03:30 PDT, 15:00-20:00 PDT on 2025-10-25, and 2025-12-13.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

_TESTS_DIR = str(Path(__file__).resolve().parents[1])
if _TESTS_DIR not in sys.path:  # make `clients.harness` importable however pytest was invoked
    sys.path.insert(0, _TESTS_DIR)

from clients.harness import (  # noqa: E402
    CalendarClients,
    ServedFeed,
    clients_available,
    icaljs_available,
    icaljs_events,
    require,
)

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "sample.ics"
LONDON = ZoneInfo("Europe/London")
LA = ZoneInfo("America/Los_Angeles")
UTC = dt.UTC

SUMMER = "summer-talk@harness.example"
NIGHT = "clocks-back-night@harness.example"
FAIR = "winter-fair@harness.example"

MOVED_START = dt.datetime(2025, 7, 16, 14, 0, tzinfo=LONDON)  # 13:00Z, 06:00 PDT
MOVED_END = dt.datetime(2025, 7, 16, 15, 30, tzinfo=LONDON)


def updated_feed() -> bytes:
    """The fixture with winter-fair removed and summer-talk moved a day later
    (SEQUENCE and LAST-MODIFIED bumped), as a publisher would update it."""
    cal = icalendar.Calendar.from_ical(FIXTURE.read_bytes())
    kept = []
    for comp in cal.subcomponents:
        if comp.name == "VEVENT" and str(comp["UID"]) == FAIR:
            continue
        if comp.name == "VEVENT" and str(comp["UID"]) == SUMMER:
            for prop in ("DTSTART", "DTEND", "SEQUENCE", "LAST-MODIFIED", "DTSTAMP"):
                comp.pop(prop, None)
            comp.add("DTSTART", MOVED_START)
            comp.add("DTEND", MOVED_END)
            comp.add("SEQUENCE", 1)
            comp.add("LAST-MODIFIED", dt.datetime(2025, 2, 1, 12, 0, tzinfo=UTC))
            comp.add("DTSTAMP", dt.datetime(2025, 2, 1, 12, 0, tzinfo=UTC))
        kept.append(comp)
    cal.subcomponents = kept
    return cal.to_ical()


def _utc(d: dt.datetime) -> str:
    return d.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------


def test_require_skips_locally_and_fails_in_ci(monkeypatch):
    require(tool_available=True, what="anything")  # no-op
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require(tool_available=False, what="some tool")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="some tool"):
        require(tool_available=False, what="some tool")


def test_icaljs_resolves_vtimezone_across_dst(tmp_path):
    require(icaljs_available(), "ical.js (node + `npm ci --prefix tests/clients`)")

    events = {e["uid"]: e for e in icaljs_events(FIXTURE)}
    assert set(events) == {SUMMER, NIGHT, FAIR}

    summer = events[SUMMER]
    assert summer["start_utc"] == "2025-07-15T09:00:00Z"  # BST = UTC+1
    assert summer["end_utc"] == "2025-07-15T10:30:00Z"
    assert summer["start_utc"] == _utc(dt.datetime(2025, 7, 15, 10, 0, tzinfo=LONDON))
    assert summer["all_day"] is False
    assert summer["categories"] == ["Talk", "Science"]
    assert summer["location"] == "Room 1, Main Hall"
    assert summer["start_tzid"] == "Europe/London"

    night = events[NIGHT]
    assert night["start_utc"] == "2025-10-25T22:00:00Z"  # still BST
    assert night["end_utc"] == "2025-10-26T03:00:00Z"  # already GMT
    assert night["end_utc"] == _utc(dt.datetime(2025, 10, 26, 3, 0, tzinfo=LONDON))

    fair = events[FAIR]
    assert fair["all_day"] is True
    assert (fair["start_date"], fair["end_date"]) == ("2025-12-13", "2025-12-14")
    assert fair["start_utc"] is None and fair["end_utc"] is None
    assert fair["categories"] == ["Fair"]

    for e in events.values():
        assert e["valarms"] == 1
        assert e["sequence"] == 0
        assert e["last_modified"] == "2025-01-01T12:00:00Z"
        assert e["summary"] and e["description"]

    # the updated feed as the publisher would serve it
    updated = tmp_path / "updated.ics"
    updated.write_bytes(updated_feed())
    events = {e["uid"]: e for e in icaljs_events(updated)}
    assert set(events) == {SUMMER, NIGHT}
    assert events[SUMMER]["start_utc"] == "2025-07-16T13:00:00Z"
    assert events[SUMMER]["end_utc"] == "2025-07-16T14:30:00Z"
    assert events[SUMMER]["sequence"] == 1
    assert events[SUMMER]["last_modified"] == "2025-02-01T12:00:00Z"
    assert events[NIGHT]["end_utc"] == "2025-10-26T03:00:00Z"


def test_vdirsyncer_khal_sync_then_update(tmp_path):
    require(clients_available(), "khal + vdirsyncer")

    served = tmp_path / "served"
    served.mkdir()
    with ServedFeed(served) as server:
        server.publish("feed.ics", FIXTURE)
        clients = CalendarClients(
            tmp_path / "clients", server.url_for("feed.ics"), timezone="America/Los_Angeles"
        )

        # --- initial sync ---------------------------------------------------
        clients.sync()
        assert len(clients.vdir_files()) == 3

        events = clients.khal_events("2025-01-01", "2025-12-31")
        assert len(events) == 3, events
        by_uid = {e["feed_uid"]: e for e in events}
        assert set(by_uid) == {SUMMER, NIGHT, FAIR}

        summer = by_uid[SUMMER]
        assert summer["title"] == "Summer talk"
        assert summer["all_day"] is False
        assert summer["start"] == "2025-07-15T02:00"  # 10:00 BST = 02:00 PDT
        assert summer["end"] == "2025-07-15T03:30"
        assert summer["start_local"] == dt.datetime(2025, 7, 15, 10, 0, tzinfo=LONDON).astimezone(
            LA
        )
        assert summer["categories_list"] == ["Talk", "Science"]

        night = by_uid[NIGHT]
        assert night["start"] == "2025-10-25T15:00"  # 22:00Z
        assert night["end"] == "2025-10-25T20:00"  # 03:00Z -- 5 h, not 4 or 6
        assert night["end_local"] - night["start_local"] == dt.timedelta(hours=5)

        fair = by_uid[FAIR]
        assert fair["all_day"] is True
        assert fair["start_local"] == dt.date(2025, 12, 13)
        assert fair["end_local"] == dt.date(2025, 12, 13)  # khal shows all-day ends inclusively
        assert fair["categories_list"] == ["Fair"]

        # --- publisher removes one event and moves another ---------------------
        server.publish("feed.ics", updated_feed())
        clients.sync()
        assert len(clients.vdir_files()) == 2

        events = clients.khal_events("2025-01-01", "2025-12-31")
        assert len(events) == 2, events
        feed_uids = [e["feed_uid"] for e in events]
        assert sorted(feed_uids) == sorted({SUMMER, NIGHT})  # no duplicates, fair gone
        assert len({e["uid"] for e in events}) == 2

        moved = next(e for e in events if e["feed_uid"] == SUMMER)
        assert moved["start"] == "2025-07-16T06:00"  # 14:00 BST = 06:00 PDT
        assert moved["end"] == "2025-07-16T07:30"
        assert clients.khal_events("2025-07-15", "2025-07-15") == []  # old slot empty
        assert clients.khal_events("2025-12-13", "2025-12-13") == []

        night = next(e for e in events if e["feed_uid"] == NIGHT)
        assert (night["start"], night["end"]) == ("2025-10-25T15:00", "2025-10-25T20:00")

        assert "GET /feed.ics" in server.log()
