"""The pages a job seeker opens every morning: home's Today panel, the board, the charts,
the interview page's timeline, the subscribe page, the short done commands, and Zensical."""

from __future__ import annotations

import html
import importlib.util
import os
import re
import shlex
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from clients.harness import require
from conftest import ROOT, Workspace, shared_setting
from followup.note import edit
from followup.plan import shortnames

HOSTILE = "<script>alert(1)</script> | *Star* [x](javascript:alert(2)) --8<-- \"progress.md\""

EARLY = """\
---
company: Acme Rockets
role: Engineer
round: phone screen
date: 2026-09-10 10:00
recruiter:
  name: Rita Recruiter
  email: rita@agency.example
  phone: +44 20 7946 0000
agency: Talent & Co
may_call: true
thank_you_sent: 2026-09-10
reply_received: 2026-09-14
outcome: next-round
---
"""

LATER = """\
---
company: Acme Rockets
role: Engineer
round: onsite
date: 2026-11-05 14:00
interviewers:
  - name: Olga Onsite
    phone: +44 20 7946 0001
thank_you_sent: 2026-11-05
follow_ups: [2026-11-12, 2026-11-18]
---
"""


def _build(workspace: Workspace, *extra: str, today: str = "2026-11-26") -> None:
    result = workspace.run("build", *extra, today=today)
    assert result.exit_code == 0, result.output


NOTE_NAMES = (b"Acme Rockets", b"Globex", b"Initech", b"Rita")  # what the search's notes name


def _site_files(workspace: Workspace) -> list[tuple[Path, bytes]]:
    return [(p, p.read_bytes()) for p in (workspace.root / "site").rglob("*") if p.is_file()]


def _page(workspace: Workspace, name: str) -> str:
    return (workspace.root / "site" / name).read_text(encoding="utf-8")


@pytest.fixture
def search(workspace: Workspace) -> Workspace:
    return _with_notes(workspace)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The search built once on 26 November, for the tests that only read the site."""
    with shared_setting(tmp_path_factory):
        space = _with_notes(Workspace(tmp_path_factory.mktemp("pages") / "search"))
        _build(space)
    return space


def _with_notes(workspace: Workspace) -> Workspace:
    workspace.with_site()
    workspace.note("2026-09-10-acme-phone.md", EARLY)
    workspace.note("2026-11-05-acme-onsite.md", LATER)
    workspace.note(
        "2026-11-20-globex.md",
        "---\ncompany: Globex\nrole: Analyst\ndate: 2026-11-20 09:00\nreply_by: 2026-11-24\n---\n",
    )
    workspace.note("2026-12-01-initech.md", "---\ncompany: Initech\nrole: PM\ndate: 2026-12-01\n---\n")
    return workspace


def test_home_shows_today_panel_with_overdue_today_and_this_week(built: Workspace) -> None:
    home = _page(built, "index.html")
    panel = home[home.index('class="fu-today"'):]
    panel = panel[: panel.index("</div>")]
    assert "Today, Thursday 26 November" in panel
    overdue = panel[panel.index("Overdue (3)"): panel.index("Later this week")]
    assert "Globex" in overdue and 'href="interviews/2026-11-20-globex.html"' in overdue
    assert "Fri 20 Nov 11:00" in overdue and "Thank-you" in overdue  # Globex's, never sent
    assert "Due today" not in panel  # nothing falls on the day itself
    later = panel[panel.index("Later this week (1)"):]
    assert "Prepare" in later and "Initech" in later  # the interview itself is next week
    assert home.index('class="fu-today"') < home.index("Welcome.")  # above the guide


def test_home_has_no_panel_without_notes_nor_in_the_guide_only_build(search: Workspace) -> None:
    _build(search)
    result = search.run("build", "--guide-only", today=None)
    assert result.exit_code == 0, result.output
    for path, data in _site_files(search):
        assert not [name for name in NOTE_NAMES if name in data], path
        assert path.suffix != ".html" or b"fu-today" not in data, path
    home = _page(search, "index.html")
    # A copy made to be shared: the guide's home, never "private", no link to what it leaves out.
    assert "Welcome." not in home and "private" not in home.lower() and 'href="board.html"' not in home
    assert 'href="guide/before.html"' in home
    assert "leaves out the notes" in _page(search, "board.html")


def test_board_puts_each_application_in_its_column(built: Workspace) -> None:
    board = _page(built, "board.html")
    columns = dict(re.findall(r'<h2 id="[^"]*">([A-Za-z ]+) \(\d+\)(.*?)(?=<h2 |$)', board, re.S))
    assert "Initech" in columns["Interview ahead"]
    assert "Globex" in columns["Awaiting reply"]
    assert "Acme Rockets" in columns["Closed"]  # two follow-ups, no reply: move on
    assert "Move on: no reply after two follow-ups" in columns["Closed"]
    # the card links the latest round's page
    assert 'href="interviews/2026-11-05-acme-onsite.html"' in columns["Closed"]
    assert "2 rounds" in columns["Closed"]
    assert "<title>Board" in board and 'href="board.html"' in _page(built, "index.html")


def test_interview_page_has_contact_timeline_and_where_it_stands(built: Workspace) -> None:
    later = _page(built, "interviews/2026-11-05-acme-onsite.html")
    assert "Moved on</strong>: moved on because no reply after two follow-ups" in later
    # the recruiter, the agency and (a call was invited) the phone number
    early = _page(built, "interviews/2026-09-10-acme-phone.html")
    assert "Rita Recruiter" in early and "Talent &amp; Co" in early
    assert 'href="mailto:rita@agency.example"' in early and "+44 20 7946 0000" in early
    assert "earlier round" in early and "Moved on" in early
    assert "+44 20 7946 0001" not in later  # no call invited in that round: no number shown
    timeline = later[later.index('id="timeline"'): later.index('id="reminders"')]
    steps = re.findall(r"<li>(\w{3} \d\d \w{3} \d{4}) · ([^<]+)", timeline)
    labels = [label for _, label in steps]
    assert labels == [
        "Interview: phone screen", "Thank-you sent (phone screen)", "Reply received",
        "Interview: onsite", "Thank-you sent (onsite)", "Follow-up #1 sent", "Follow-up #2 sent",
    ]
    days = [datetime.strptime(day, "%a %d %b %Y").date() for day, _ in steps]  # noqa: DTZ007 (days)
    assert days == sorted(days)
    assert "<th></th>" not in later and "<th> </th>" not in later  # every column has a header


def test_short_done_commands_find_their_own_note(built: Workspace) -> None:
    progress = built.index.read_text(encoding="utf-8")
    commands = re.findall(r"^followup (?:done|outcome) (\S+) ", progress, re.M)
    assert commands and all(len(name) < 12 for name in commands), commands
    notes = built.root / "interviews"
    companies = {p: re.findall(r"company: (.*)", p.read_text())[0] for p in notes.glob("*.md")}
    for name in commands:
        edit.find_note(name, notes, built.root, companies)  # unambiguous: no error


@pytest.mark.parametrize(
    "files",
    [
        [("2026-01-01-acme.md", "Acme"), ("2026-02-01-acme.md", "Acme")],
        [("acme.md", "Acme"), ("acme-2.md", "Acme"), ("b/acme-3.md", "Acme Corp")],
        [("x-phone.md", "A B"), ("x-onsite.md", "A B"), ("y-phone.md", "C"), ("y.md", "phone")],
        [("2026-11-20-o'brien & sons.md", "O'Brien & Sons"), ("2026-11-21-obrien.md", "Obrien")],
        [(f"2026-11-{d:02d}-same-company.md", "Same Company") for d in range(1, 20)],
    ],
)
def test_every_short_name_resolves_to_its_note(tmp_path: Path, files: list[tuple[str, str]]) -> None:
    notes = tmp_path / "interviews"
    for name, _ in files:
        (notes / name).parent.mkdir(parents=True, exist_ok=True)
        (notes / name).write_text("---\n---\n")
    names = shortnames.short_names(files)
    companies = {notes / name: company for name, company in files}
    for name, _ in files:
        query = shlex.split(names[name])[0]
        assert edit.find_note(query, notes, tmp_path, companies) == (notes / name).resolve(), (name, query)


def test_charts_answer_the_questions_with_a_text_alternative(built: Workspace) -> None:
    page = _page(built, "progress.html")
    charts = re.findall(r'<svg class="followup-chart fu-chart-(\w+)"(.*?)</svg>', page, re.S)
    found = {name: html.unescape(svg) for name, svg in charts}  # as a screen reader reads it
    assert set(found) == {"funnel", "waits", "months"}
    assert "Applications: 3; Interviewed: 2; Second round: 1; Offers: 0; Accepted: 0" in found["funnel"]
    assert "Acme Rockets · phone screen: 4 d" in found["waits"]
    # months from the first interview (September) to this month, nothing empty before
    assert "<desc" in found["months"]
    assert "September 2026: 1; October 2026: 0; November 2026: 2" in found["months"]
    assert "August" not in found["months"]
    assert re.findall(r"class=\"fu-label\"[^>]*>([^<]+)<", found["months"]) == ["Sep", "Oct", "Nov", "Dec"]
    for svg in found.values():
        assert 'role="img"' in svg and "<title" in svg and "style=" not in svg


def test_note_text_is_escaped_on_board_home_and_charts(workspace: Workspace) -> None:
    workspace.with_site()
    workspace.note(
        "hostile.md",
        f"---\ncompany: '{HOSTILE.replace(chr(39), chr(39) * 2)}'\nrole: '{HOSTILE.replace(chr(39), chr(39) * 2)}'\n"
        "round: '<img src=x onerror=alert(3)>'\ndate: 2026-11-20 10:00\nreply_received: 2026-11-23\n---\n",
    )
    # A second round this week, so that the home page's Today panel names the company too.
    workspace.note(
        "hostile-2.md",
        f"---\ncompany: '{HOSTILE.replace(chr(39), chr(39) * 2)}'\nrole: '{HOSTILE.replace(chr(39), chr(39) * 2)}'\n"
        "round: final\ndate: 2026-11-27 10:00\n---\n",
    )
    _build(workspace)
    for name in ("index.html", "board.html", "progress.html", "interviews/hostile.html"):
        page = _page(workspace, name)
        assert "<script>alert" not in page and "<img src=x" not in page, name
        assert "javascript:alert" not in page.replace("[x](javascript:alert(2))", ""), name
        assert 'href="javascript' not in page, name
        assert "&lt;script&gt;alert(1)&lt;/script&gt; | *Star*" in page, name
        assert "Interview follow-ups" in page  # the snippet marker did not pull in another page
    waits = re.search(r'fu-chart-waits".*?</svg>', _page(workspace, "progress.html"), re.S)
    assert waits and "&lt;script&gt;" in waits[0] and "<script>" not in waits[0]


def test_subscribe_page_roads_address_and_qr_code(search: Workspace) -> None:
    search.config('timezone = "Europe/London"\nsite_url = "https://me.example/s"\nshow_feed_address = true\n')
    _build(search)
    page = _page(search, "subscribe.html")
    for road in ("followup publish --dir PATH", "followup sync", "[caldav]", "followup serve"):
        assert road in page, road
    assert "https://me.example/s/followup.ics" in page and "webcal://me.example/s/followup.ics" in page
    qr = re.search(r'<svg role="img" viewBox="[^"]+" class="fu-qr">.*?</svg>', page, re.S)
    assert qr and "QR code of webcal://me.example/s/followup.ics" in qr[0]
    # The address goes where `followup publish` puts the feed, when that is set.
    search.config(
        'timezone = "Europe/London"\nsite_url = "https://me.example/s"\npublish_url = "https://cal.example/f/"\n'
    )
    _build(search)
    page = _page(search, "subscribe.html")
    assert "https://cal.example/f/followup.ics" in page and 'class="fu-qr"' not in page


def test_secret_feed_keeps_address_and_qr_code_off_the_page(search: Workspace) -> None:
    search.config('timezone = "Europe/London"\nsite_url = "https://me.example/s"\n')
    assert search.run("feed", "rotate").exit_code == 0
    _build(search)
    page = _page(search, "subscribe.html")
    assert "followup feed url" in page and "fu-qr" not in page
    assert not re.search(r"followup-[A-Za-z0-9_-]{22}", page)
    # Published elsewhere: the page names where, says why the address is not on it, and how to
    # show it; with show_feed_address it does, as the README's settings table says.
    search.config('timezone = "Europe/London"\npublish_url = "https://cal.example/f/"\n')
    _build(search)
    page = html.unescape(re.sub(r"<[^>]+>", "", _page(search, "subscribe.html")))
    assert "published under https://cal.example/f with a secret name, and this page does not show it" in page
    assert "whoever can read this site could otherwise subscribe" in page and "show_feed_address = true" in page
    assert not re.search(r"followup-[A-Za-z0-9_-]{22}", page)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `publish_url` |"))
    assert "shows the whole address only with `show_feed_address`" in row
    search.config('timezone = "Europe/London"\npublish_url = "https://cal.example/f/"\nshow_feed_address = true\n')
    _build(search)
    assert re.search(r"https://cal\.example/f/followup-[A-Za-z0-9_-]{22}\.ics", _page(search, "subscribe.html"))


def test_unknown_site_builder_is_a_clear_error(search: Workspace) -> None:
    search.config('timezone = "Europe/London"\nsite_builder = "hugo"\n')
    result = search.run("build")
    assert result.exit_code == 1
    assert "followup.toml:2: site_builder must be one of mkdocs, zensical, not 'hugo'" in result.output


def test_zensical_builds_the_same_site_privately(search: Workspace) -> None:
    require(importlib.util.find_spec("zensical") is not None, "zensical")
    search.config('timezone = "Europe/London"\nsite_builder = "zensical"\n')
    (search.root / "site").mkdir()
    (search.root / "site" / "old.html").write_text("from before")
    _build(search)
    out = search.root / "site"
    assert not (out / "old.html").exists()  # swapped in whole
    for name in ("index.html", "board.html", "progress.html", "subscribe.html", "followup.ics",
                 "interviews/2026-11-05-acme-onsite.html", "guide/thank-you.html"):
        assert (out / name).is_file(), name
    assert 'class="fu-today"' in _page(search, "index.html")
    assert "noindex,nofollow" in _page(search, "board.html")
    expected = (".followup-cache",)
    leftovers = [p.name for p in search.root.iterdir() if p.name.startswith(".") and p.name not in expected]
    assert leftovers == [], leftovers  # no configuration copy, scratch folder or cache left behind
    outside = re.compile(r"\b(?:src|href|action)\s*=\s*[\"']?\s*(?:https?:)?//", re.I)
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not outside.search(text), page
        assert 'role="dialog" aria-label="Search">' in text, page  # the search box has a name
    # A failed build keeps the old site.
    (search.root / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text() + "\nnav: 3\n")
    result = search.run("build")
    assert result.exit_code == 1 and "did not build with Zensical" in result.output
    assert (out / "board.html").is_file()


def test_zensical_guide_only_build_leaves_every_note_out(search: Workspace) -> None:
    require(importlib.util.find_spec("zensical") is not None, "zensical")
    search.config('timezone = "Europe/London"\nsite_builder = "zensical"\n')
    _build(search)
    result = search.run("build", "--guide-only", today=None)
    assert result.exit_code == 0, result.output
    for path, data in _site_files(search):
        assert not [name for name in NOTE_NAMES if name in data], path
    home = _page(search, "index.html")
    assert "private" not in home.lower() and "Welcome." not in home


def test_zensical_missing_says_how_to_install(search: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    search.config('timezone = "Europe/London"\nsite_builder = "zensical"\n')
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "zensical" else real(name, *a))
    result = search.run("build")
    assert result.exit_code == 1
    assert 'pip install "interview-followup[zensical]"' in result.output
    assert (search.root / "docs" / "board.md").is_file()  # the notes' outputs were still written


def test_plain_mkdocs_from_another_folder_still_shows_the_today_panel(search: Workspace, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "tooling"), os.environ.get("PYTHONPATH", "")]))
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(search.root / "mkdocs.yml"),
         "-d", str(elsewhere / "site")],
        cwd=elsewhere, capture_output=True, text=True, env=env, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert 'class="fu-today"' in (elsewhere / "site" / "index.html").read_text(encoding="utf-8")
