"""The private site, built from a temporary workspace as a user would build it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from conftest import TODAY, Workspace, shared_setting
from followup import build as build_module
from followup.pages import notebody
from followup.site import livepreview
from serving import ServerLog, ctrl_c_stops_children, env_with_package, fetch, free_port

HOSTILE_BODY = """\
## What they asked

- **Bold** and *italic* stay.

<script>alert('script')</script>
<img src="x.png" onerror="alert('onerror')">
<img src="https://tracker.example/pixel.gif">
<a href="javascript:alert('link')">a javascript link</a>
[a markdown javascript link](javascript:alert('md'))
<iframe src="https://frame.example/"></iframe>
<div onclick="alert('click')" style="background:url(https://style.example/x)">a div</div>
<svg onload="alert('svg')"></svg>
<form action="https://form.example/"><input name="q"></form>

| col | umn |
|---|---|
| a | b |

!!! tip "Admonition"
    Still formatted.
"""

PHONE = """\
---
company: Zyxwvut Corp
role: Quantum Plumber
round: phone screen
date: 2026-11-02 10:00
interviewers:
  - Quilla Marchetti <quilla@zyxwvut.example>
thank_you_sent: 2026-11-02
notes_reviewed: 2026-11-02
outcome: next-round
---

Quilla asked about the qubit pipes.
"""

ONSITE = """\
---
company: Zyxwvut Corp
role: Quantum Plumber
round: onsite
date: 2026-11-20 14:00
interviewers:
  - Quilla Marchetti <quilla@zyxwvut.example>
---

{body}
"""

ESCAPED = """\
---
company: "<b>Bold</b> | Pipe *Star* Ltd"
role: "Role <script>alert('fm')</script>"
date: 2026-11-24 09:00
location: "<img src=x onerror=alert('loc')>"
---
"""

SECRETS = ("zyxwvut", "quantum plumber", "quilla", "marchetti", "qubit")


def _built(workspace: Workspace) -> Workspace:
    workspace.with_site()
    workspace.config('timezone = "Europe/London"\nsite_url = "https://example.org/search"\n')
    workspace.note("2026-11-02-zyxwvut-phone.md", PHONE)
    workspace.note("2026-11-20-zyxwvut-onsite.md", ONSITE.format(body=HOSTILE_BODY))
    workspace.note("2026-11-24-escaped.md", ESCAPED)
    result = workspace.run("build")
    assert result.exit_code == 0, result.output
    return workspace


@pytest.fixture
def site(workspace: Workspace) -> Workspace:
    """A built site of its own, for a test that changes or rebuilds it."""
    return _built(workspace)


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The same site built once, for the tests that only read it."""
    with shared_setting(tmp_path_factory):
        return _built(Workspace(tmp_path_factory.mktemp("site") / "search"))


def html(workspace: Workspace, page: str) -> str:
    return (workspace.root / "site" / page).read_text(encoding="utf-8")


def site_files(workspace: Workspace) -> list[Path]:
    return [p for p in (workspace.root / "site").rglob("*") if p.is_file()]


def test_progress_index_has_the_chart_and_links_every_interview(built_site: Workspace) -> None:
    page = html(built_site, "progress.html")
    assert '<svg class="followup-chart fu-chart-funnel"' in page
    for slug in ("2026-11-02-zyxwvut-phone", "2026-11-20-zyxwvut-onsite", "2026-11-24-escaped"):
        assert f'href="interviews/{slug}.html"' in page
        assert (built_site.root / "site" / "interviews" / f"{slug}.html").is_file()


def test_interview_page_shows_details_reminders_notes_and_the_way_back(built_site: Workspace) -> None:
    page = html(built_site, "interviews/2026-11-20-zyxwvut-onsite.html")
    assert "Zyxwvut Corp" in page and "Quantum Plumber" in page
    assert 'href="../progress.html"' in page
    # the reminders this note produced, each linked to the guide page behind it
    assert "Thank-you" in page and 'href="../guide/thank-you.html"' in page
    assert "overdue" in page
    # the other round of the same application
    assert 'href="2026-11-02-zyxwvut-phone.html"' in page
    assert '<a href="mailto:quilla@zyxwvut.example">quilla@zyxwvut.example</a>' in page
    assert "Quilla asked about the qubit pipes." in html(
        built_site, "interviews/2026-11-02-zyxwvut-phone.html"
    )


def test_hostile_note_body_is_sanitised_and_formatting_kept(built_site: Workspace) -> None:
    page = html(built_site, "interviews/2026-11-20-zyxwvut-onsite.html")
    notes = page[page.index('class="followup-notes"') :]
    notes = notes[: notes.index("</article>")]
    for gone in ("alert(", "<script", "onerror", "onclick", "onload", "javascript:", "<iframe",
                 "tracker.example", "style.example", "frame.example", "<form", "<input", "style="):
        assert gone not in notes, gone
    assert "<strong>Bold</strong>" in notes and "<em>italic</em>" in notes
    assert "<table>" in notes and "a javascript link" in notes
    assert 'class="admonition tip"' in notes and "Still formatted." in notes


def test_front_matter_values_are_escaped_everywhere(built_site: Workspace) -> None:
    for name in ("progress.html", "interviews/2026-11-24-escaped.html"):
        page = html(built_site, name)
        assert "<b>Bold</b>" not in page, name
        assert "<script>alert" not in page and "<img src=x" not in page, name
        assert "&lt;b&gt;Bold&lt;/b&gt;" in page, name


def test_chart_labels_stay_inside_the_picture(built_site: Workspace) -> None:
    charts = re.findall(r"<svg class=\"followup-chart .*?</svg>", html(built_site, "progress.html"), re.S)
    assert len(charts) >= 2  # the funnel and the months; no reply recorded here
    for svg in charts:
        _, top, _, tall = (float(v) for v in re.search(r'viewBox="([^"]+)"', svg)[1].split())
        for y in (float(v) for v in re.findall(r'<text [^>]*\by="([-\d.]+)"', svg)):
            assert top + 10 <= y <= top + tall, y


def test_interview_pages_stay_out_of_the_navigation(built_site: Workspace) -> None:
    for name in ("index.html", "progress.html", "guide/before.html",
                 "interviews/2026-11-20-zyxwvut-onsite.html"):
        nav = html(built_site, name).split('<div class="md-content"', 1)[0]
        assert "interviews/20" not in nav, name


def test_no_request_leaves_the_site_and_search_engines_are_told_no(built_site: Workspace) -> None:
    attribute = r"\b(?:src|href|srcset|action|poster|data)\s*=\s*[\"']?\s*"
    outside = re.compile(attribute + r"(?:https?:)?//", re.IGNORECASE)
    pages = [p for p in site_files(built_site) if p.suffix == ".html"]
    assert len(pages) > 15
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not outside.findall(text), (page, outside.findall(text))
        assert '<meta name="robots" content="noindex,nofollow">' in text, page
        assert 'name="generator"' not in text, page
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, page
    css = [p for p in site_files(built_site) if p.suffix == ".css"]
    for sheet in css:
        assert not re.search(r"url\(\s*[\"']?(?:https?:)?//", sheet.read_text("utf-8")), sheet
    assert "Disallow: /" in html(built_site, "robots.txt")


def test_every_dialog_has_a_name_for_screen_readers(built_site: Workspace) -> None:
    pages = [p for p in site_files(built_site) if p.suffix == ".html"]
    named = 0
    for page in pages:
        for tag in re.findall(r"<[a-z]+\b[^>]*\brole=\"(?:alert)?dialog\"[^>]*>", page.read_text("utf-8")):
            assert re.search(r'\baria-label(?:ledby)?="[^"]+"', tag), (page, tag)
            named += 1
    assert named >= len(pages)  # the search box on every page is one


def test_feed_is_published_at_the_site_root_with_a_subscribe_page(built_site: Workspace) -> None:
    published = built_site.root / "site" / "followup.ics"
    assert published.read_bytes() == built_site.feed.read_bytes()
    page = html(built_site, "subscribe.html")
    assert "https://example.org/search/followup.ics" in page
    assert "webcal://example.org/search/followup.ics" in page


def test_every_guide_link_in_the_feed_is_a_page_of_the_built_site(built_site: Workspace) -> None:
    unfolded = built_site.feed.read_bytes().decode("utf-8").replace("\r\n ", "").replace("\r\n", "\n")
    urls = set(re.findall(r"^URL[^:]*:(.*)$", unfolded, re.MULTILINE))
    urls |= set(re.findall(r"Guide: (https://\S+?)(?:\\n|$)", unfolded, re.MULTILINE))
    assert urls
    for url in urls:
        assert url.startswith("https://example.org/search/"), url
        path = url.removeprefix("https://example.org/search/")
        assert (built_site.root / "site" / path).is_file(), url


def test_guide_only_build_leaves_every_note_out(site: Workspace) -> None:
    result = site.run("build", "--guide-only", today=None)
    assert result.exit_code == 0, result.output
    out = site.root / "site"
    assert not (out / "followup.ics").exists()
    assert not (out / "interviews").exists()
    assert (out / "guide" / "thank-you.html").is_file()
    for path in site_files(site):
        data = path.read_bytes().lower()
        for secret in SECRETS:
            assert secret.encode() not in data, (path, secret)
    # The links from the guide to the personal pages still land on a page, out of the nav.
    assert "leaves out the notes" in html(site, "progress.html")
    nav = html(site, "index.html").split('<div class="md-content"', 1)[0]
    assert 'href="progress.html"' not in nav and 'href="subscribe.html"' not in nav
    # the private files stay in docs/ for the next full build
    assert site.feed.exists() and site.index.exists()


def test_guide_only_does_not_go_with_no_site(site: Workspace) -> None:
    result = site.run("build", "--guide-only", "--no-site", today=None)
    assert result.exit_code == 2


def test_properdocs_builds_the_same_configuration(site: Workspace, tmp_path: Path) -> None:
    properdocs = shutil.which("properdocs")
    if properdocs is None:
        if os.environ.get("CI"):
            pytest.fail("properdocs is required when CI is set")
        pytest.skip("properdocs not installed")
    out = tmp_path / "properdocs-site"
    run = subprocess.run(
        [properdocs, "build", "--strict", "-f", "mkdocs.yml", "-d", str(out)],
        cwd=site.root, capture_output=True, text=True, env=env_with_package(), timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert (out / "interviews" / "2026-11-20-zyxwvut-onsite.html").is_file()
    assert (out / "followup.ics").is_file()


def test_plain_mkdocs_build_in_a_fresh_clone_generates_first(workspace: Workspace, tmp_path: Path) -> None:
    workspace.with_site()
    workspace.note("2026-11-02-zyxwvut-phone.md", PHONE)
    assert not workspace.index.exists()
    out = tmp_path / "plain-site"
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=workspace.root, capture_output=True, text=True, env=env_with_package(), timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert (out / "interviews" / "2026-11-02-zyxwvut-phone.html").is_file()
    assert "Zyxwvut" in (out / "progress.html").read_text(encoding="utf-8")


def test_followup_build_generates_once(site: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = build_module.generate

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "generate", counting)
    result = site.run("build")
    assert result.exit_code == 0, result.output
    assert len(calls) == 1


def test_hook_regenerates_only_for_the_mkdocs_command_and_only_what_changed(site: Workspace) -> None:
    try:
        assert livepreview.regenerate(site.root) == []  # run by `followup build`: it generated already
        # The fixture built for TODAY: the preview plans for the same day, not the machine's.
        livepreview.start("serve", date.fromisoformat(TODAY))
        assert livepreview.regenerate(site.root) == []  # nothing changed since the build
        note = site.root / "interviews" / "2026-11-02-zyxwvut-phone.md"
        note.write_text(note.read_text().replace("qubit pipes", "qubit valves"))
        written = livepreview.regenerate(site.root)
        assert written == ["docs/interviews/2026-11-02-zyxwvut-phone.md"]
        assert livepreview.regenerate(site.root) == []
    finally:
        livepreview.stop()


@pytest.mark.parametrize(
    ("body", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src=x onerror="alert(1)">', "onerror"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ("[x](javascript:alert(1))", "javascript:"),
        ('<a href="JaVaScRiPt&#58;alert(1)">x</a>', "alert"),
        ('<iframe src="https://evil.example/"></iframe>', "iframe"),
        ('<p style="background:url(//evil.example/a)">x</p>', "evil.example"),
        ('<img src="//evil.example/a.png">', "evil.example"),
        ('<object data="https://evil.example/x"></object>', "evil.example"),
        ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "onerror"),
    ],
)
def test_note_bodies_are_sanitised(body: str, forbidden: str) -> None:
    assert forbidden.lower() not in notebody.to_html(body).lower()


def test_sanitiser_keeps_ordinary_formatting() -> None:
    out = notebody.to_html(
        "# Title\n\nSome **bold**, a [link](https://acme.example/jobs), `code`.\n\n"
        "1. one\n2. two\n\n> quoted\n\n```python\nprint('hi')\n```\n"
    )
    assert "<h2>Title</h2>" in out
    assert "<strong>bold</strong>" in out
    assert '<a href="https://acme.example/jobs" rel="noopener noreferrer">link</a>' in out
    assert "<ol>" in out and "<blockquote>" in out and "<code>code</code>" in out
    assert 'class="highlight"' in out and ">print</span>" in out


def _edit_until_rebuilt(log: ServerLog, edit: Callable[[], None]) -> None:
    """Make a change and wait for the rebuild it causes; made again (with a new time) if the
    server's watch, which compares the files every half second, had not started yet."""
    before = log.count("Reloading browsers")
    for _ in range(10):
        edit()
        if log.wait_for("Reloading browsers", before + 1, timeout=30):
            return
    raise AssertionError(f"no rebuild after the change:\n{log.text}")


@pytest.mark.parametrize("command", ["mkdocs", "followup"])
def test_serve_rebuilds_once_when_a_note_changes(site: Workspace, command: str) -> None:
    port = free_port()
    address = f"127.0.0.1:{port}"
    argv = {
        "mkdocs": [sys.executable, "-m", "mkdocs", "serve", "-a", address],
        "followup": [sys.executable, "-m", "followup", "serve", "--dev-addr", address,
                     "--today", "2026-11-26"],
    }[command]
    page = f"http://{address}/interviews/2026-11-02-zyxwvut-phone.html"
    index = f"http://{address}/progress.html"
    note = site.root / "interviews" / "2026-11-02-zyxwvut-phone.md"
    with ctrl_c_stops_children():
        server = subprocess.Popen(argv, cwd=site.root, env=env_with_package(), stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
    log = ServerLog(server)
    try:
        assert log.wait_for("Serving on"), log.text
        assert "qubit pipes" in fetch(page)
        if command == "followup":
            assert "Thursday 26 November 2026" in fetch(index)
        text = note.read_text()
        _edit_until_rebuilt(log, lambda: note.write_text(text.replace("qubit pipes", "qubit valves")))
        assert "qubit valves" in fetch(page)  # after the one rebuild the edit caused
        _edit_until_rebuilt(log, lambda: site.note(
            "2026-11-25-newco.md", "---\ncompany: Newco\nrole: QA\ndate: 2026-11-25\n---\n"))
        assert "Newco" in fetch(index)
        assert "fu-serve-banner" not in fetch(index)
        broken = site.root / "interviews" / "2026-11-26-broken.md"
        _edit_until_rebuilt(log, lambda: broken.write_text("---\ncompany: [oops\n---\n"))
        assert log.wait_for("2026-11-26-broken.md:"), log.text
        # Every page says which note is left out, and why, until it is fixed.
        for url in (index, page):
            shown = fetch(url)
            assert "Newco" in shown or url == page
            banner = shown[shown.index('class="fu-serve-banner"'):]
            assert "interviews/2026-11-26-broken.md:" in banner[: banner.index("</div>")]
        assert server.poll() is None  # still serving
        _edit_until_rebuilt(log, lambda: broken.write_text("---\ncompany: Fixed\nrole: QA\ndate: 2026-11-26\n---\n"))
        assert "fu-serve-banner" not in fetch(index) and "Fixed" in fetch(index)
        if command == "followup":
            server.send_signal(signal.SIGINT)
            server.wait(timeout=60)
            assert log.wait_for("Stopped serving."), log.text
            said = log.text
            assert f"Serving the site on http://{address}/ (Ctrl+C stops)" in said
            assert "followup: regenerated docs/interviews/2026-11-02-zyxwvut-phone.md" in said
            assert said.rstrip().endswith("Stopped serving."), said[-300:]
    finally:
        if server.poll() is None:
            server.terminate()
        server.wait(timeout=60)


def test_the_preview_watch_leaves_out_what_a_rebuild_writes(site: Workspace) -> None:
    """A rebuild writes generated pages into docs/: were they watched, each edit would cause a
    second rebuild. Events, not time: the generated file's change is seen and left out, the
    guide page's change asks for a rebuild."""
    from mkdocs.livereload import LiveReloadServer

    docs = site.root / "docs"
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=free_port(), root=str(site.root))
    server.watch(str(docs))
    seen: list[str] = []
    real = livepreview._generated
    asked = threading.Condition()

    def generated(path: str, folder: str) -> bool:
        with asked:
            seen.append(path)
            asked.notify_all()
        return real(path, folder)

    try:
        with pytest.MonkeyPatch.context() as patched:
            patched.setattr(livepreview, "_generated", generated)
            livepreview.watch(server, str(docs), site.root)
            server.observer.start()
            progress = docs / "progress.md"
            for _ in range(10):  # until the watch, polling every half second, has seen it
                progress.write_text(progress.read_text() + "\n")
                with asked:
                    if asked.wait_for(lambda: str(progress) in seen, timeout=30):
                        break
            assert str(progress) in seen and not server._want_rebuild
            guide = docs / "guide" / "after.md"
            guide.write_text(guide.read_text() + "\nOne more line.\n")
            with server._rebuild_cond:
                assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=60)
    finally:
        server.observer.stop()
        server.observer.join()
