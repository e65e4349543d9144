"""The third attack (issue 20): what a cloned workspace, a file name or a server could do.

Each test reproduces one attack as it was found and checks it fails now. The hostile file
names in every builder and under `serve` are in test_hostile_site; the CalDAV settings in
test_sync; the lock file committed as a link in test_hostile_workspace.
"""

from __future__ import annotations

import http.client
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import Workspace
from followup.site import csp
from serving import ServerLog, env_with_package, free_port

NOTE = """\
---
company: Acme
role: Engineer
date: 2026-11-20 14:00
interviewers: Jane Roe <jane@acme.example>
---
Notes.
"""
EVIL_NAME = "zz\n```\n<img src=x onerror=alert(document.domain)>\n```-engineer.md"


# -- 1: a file name breaks out of the command's code block ---------------------------------


def test_a_file_name_never_reaches_a_page_as_markup_and_commands_are_shell_words(workspace: Workspace) -> None:
    workspace.note(EVIL_NAME, NOTE)
    workspace.note("quote'n$(rm -rf x).md", NOTE.replace("Acme", "Globex"))
    checked = workspace.run("check")
    assert "rename the file" in checked.output  # check names both files
    assert checked.output.count("holds characters that command lines and pages read as code") == 2
    assert workspace.run("build", "--no-site").exit_code == 0
    index = workspace.index.read_text(encoding="utf-8")
    commands = [line for line in index.splitlines() if line.startswith("followup ")]
    assert commands and "<img" not in index and "$(" not in index
    for command in commands:
        assert all(ch.isalnum() or ch in " ._/-+,@%:=" for ch in command), command
    assert "followup done acme thank-you" in commands  # the note with the hostile name has its own


@pytest.mark.parametrize("tag", [
    '<meta http-equiv="refresh" content="0;url=https:evil.example">',
    "<META HTTP-EQUIV=Refresh CONTENT='0;url=//evil.example'>",
    '<meta content="x>y" http-equiv="refresh">',
    '<base href="https://evil.example/">',
])
def test_no_page_keeps_a_refresh_or_a_base_whatever_brought_it(tag: str) -> None:
    page = f"<html><head><title>t</title></head><body><article>{tag}<p>text</p></article></body></html>"
    protected = csp.protect(page)
    assert "evil.example" not in protected and "<p>text</p>" in protected
    assert csp.MARKER in protected


def test_a_policy_written_in_a_page_never_stands_in_for_the_site_s() -> None:
    """A cloned guide page that brings its own permissive policy and a script: the site's policy
    still comes first in <head> (browsers enforce every policy a page carries), and the script
    that came with the content is not among those it allows."""
    own = '<meta http-equiv="Content-Security-Policy" content="default-src * \'unsafe-inline\'">'
    article = f'<article class="md-content__inner">{own}<script>alert(1)</script></article>'
    page = f"<html><head><title>t</title><script>var theme = 1;</script></head><body>{article}</body></html>"
    for protected in (csp.protect(page, article), csp.protect(csp.protect(page, article), article)):
        head = protected.split("<head>", 1)[1]
        assert head.startswith(f"<meta {csp.MARKER} content=") and protected.count(csp.MARKER) == 2
        allowed = head.split('content="', 1)[1].split('"', 1)[0]
        assert csp.policy("<script>alert(1)</script>").split("'sha256-")[1].split("'")[0] not in allowed
        assert csp.policy("<script>var theme = 1;</script>").split("'sha256-")[1].split("'")[0] in allowed


def test_a_guide_page_s_own_refresh_never_reaches_the_site(workspace: Workspace) -> None:
    workspace.with_site()
    workspace.note("acme.md", NOTE)
    guide = workspace.root / "docs" / "guide" / "after.md"
    guide.write_text(guide.read_text() + '\n<meta http-equiv="refresh" content="0;url=https:evil.example">\n')
    assert workspace.run("build").exit_code == 0
    assert "evil.example" not in (workspace.root / "site" / "guide" / "after.html").read_text()


# -- 2, 11: publishing copies regular files inside the workspace only ------------------------


def test_publish_with_the_guide_leaves_out_links_to_files_outside(workspace: Workspace, tmp_path: Path) -> None:
    workspace.with_site()
    workspace.note("acme.md", NOTE)
    key = tmp_path / "home" / ".ssh" / "id_ed25519"
    key.parent.mkdir(parents=True)
    key.write_text("-----BEGIN OPENSSH PRIVATE KEY----- secret")
    assets = workspace.root / "docs" / "assets"
    (assets / "favicon.txt").symlink_to(os.path.relpath(key, assets))
    (workspace.root / "overrides" / "leak.txt").symlink_to(key)
    out = tmp_path / "public"
    result = workspace.run("publish", "--dir", str(out), "--with-guide", "--today", "2026-11-26")
    assert result.exit_code == 0, result.output
    assert "docs/assets/favicon.txt left out of the guide" in result.output
    assert "overrides/leak.txt left out of the guide" in result.output
    published = [p for p in out.rglob("*") if p.is_file()]
    assert published and not any(b"PRIVATE KEY" in p.read_bytes() for p in published)


def test_publish_dir_never_writes_through_a_link_in_the_folder(workspace: Workspace, tmp_path: Path) -> None:
    workspace.note("acme.md", NOTE)
    out = tmp_path / "public"
    assert workspace.run("publish", "--dir", str(out), "--today", "2026-11-26").exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine")
    feed = next(out.glob("followup-*.ics"))
    feed.unlink()
    feed.symlink_to(elsewhere / "keep.txt")  # a link where publish writes
    (out / "assets").symlink_to(elsewhere)  # and a folder link
    result = workspace.run("publish", "--dir", str(out), "--today", "2026-11-26")
    assert result.exit_code == 0, result.output
    assert (elsewhere / "keep.txt").read_text() == "mine"
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]
    assert not feed.is_symlink() and feed.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert not (out / "assets").exists()


def test_publish_with_the_guide_names_a_foreign_hook_first(workspace: Workspace, tmp_path: Path) -> None:
    workspace.with_site()
    workspace.note("acme.md", NOTE)
    (workspace.root / "hooks" / "other.py").write_text("# a hook from elsewhere\n")
    config = workspace.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("hooks:\n", "hooks:\n  - hooks/other.py\n"))
    result = workspace.run("publish", "--dir", str(tmp_path / "out"), "--with-guide", "--today", "2026-11-26")
    assert "warning: mkdocs.yml runs the hook hooks/other.py" in result.output


# -- 3, 4: the preview carries the policy and answers only at its own address -------------


@pytest.fixture
def preview(workspace: Workspace) -> Iterator[tuple[str, int]]:
    workspace.with_site()
    workspace.note("acme.md", NOTE)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "followup", "serve", "--dev-addr", f"127.0.0.1:{port}", "--today", "2026-11-26"],
        cwd=workspace.root, env=env_with_package(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    log = ServerLog(server)
    try:
        assert log.wait_for("Serving on"), log.text
        yield "127.0.0.1", port
    finally:
        server.terminate()
        server.wait(60)


def _get(port: int, path: str, host: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Host": host})
        answer = connection.getresponse()
        return answer.status, answer.read().decode("utf-8", "replace")
    finally:
        connection.close()


def test_the_preview_answers_only_its_own_host(preview: tuple[str, int]) -> None:
    _, port = preview
    assert _get(port, "/progress.html", f"127.0.0.1:{port}")[0] == 200
    assert _get(port, "/progress.html", f"localhost:{port}")[0] == 200
    for host in ("attacker.example", f"attacker.example:{port}", f"127.0.0.1.evil.example:{port}"):
        status, body = _get(port, "/followup.ics", host)
        assert status == 421 and "BEGIN:VCALENDAR" not in body


def test_every_page_of_the_preview_carries_the_policy_with_the_live_reload_script(preview: tuple[str, int]) -> None:
    _, port = preview
    status, page = _get(port, "/interviews/acme.html", f"127.0.0.1:{port}")
    assert status == 200 and csp.MARKER in page and "livereload(" in page
    policy = page.split('content="', 1)[1].split('"', 1)[0] if csp.MARKER in page.split("<head>", 1)[1][:200] else ""
    script = page.rsplit("<script>", 1)[1].split("</script>", 1)[0]
    expected = csp.policy(f"<script>{script}</script>").split("'sha256-")[1].split("'")[0]
    assert f"sha256-{expected}" in policy and "unsafe-inline" not in policy.split("style-src")[0]


# -- 7, 8: notes that would stall or crash the build ------------------------------------------


@pytest.mark.parametrize(("body", "line", "words"), [
    ("[" * 10_000, 9, "so many '['"),
    ("<div>" * 20_000, 9, "never close"),
    ("<a " * 3_000, 9, "never close"),
    ("".join("    " * depth + "- item\n" for depth in range(500)), 29, "nested more than 20 deep"),
    ("1. " * 500 + "x", 9, "nested more than 20 deep"),
    ("> " * 500 + "x", 9, "nested more than 20 deep"),
], ids=["brackets", "divs", "unclosed tags", "deep list", "list markers", "quotes"])
def test_markdown_that_would_take_hours_is_a_check_error_with_its_line(
    workspace: Workspace, body: str, line: int, words: str
) -> None:
    workspace.note("acme.md", NOTE + "\n" + body + "\n")
    checked = workspace.run("check")
    assert checked.exit_code == 1 and f"interviews/acme.md:{line}:" in checked.output and words in checked.output
    built = workspace.run("build", "--no-site")
    assert built.exit_code == 1 and "Traceback" not in built.output


def test_a_pipe_or_a_huge_file_named_like_a_note_is_refused_without_reading_it(workspace: Workspace) -> None:
    workspace.note("acme.md", NOTE)
    os.mkfifo(workspace.root / "interviews" / "pipe.md")  # opened, it would wait for a writer for ever
    huge = workspace.root / "interviews" / "huge.md"
    with huge.open("wb") as sparse:
        sparse.truncate(8 * 1024**3)  # 8 GiB, never read
    result = workspace.run("check")
    assert "interviews/pipe.md:1: not a regular file" in result.output
    assert "interviews/huge.md:1: the note is 8,589,934,592 bytes" in result.output


# -- 9: names shown in the terminal --------------------------------------------------------


def test_ambiguous_matches_are_named_without_escape_sequences(workspace: Workspace) -> None:
    workspace.note("acme-\x1b]0;pwned\x07-one.md", NOTE)
    workspace.note("acme-\x1b[2J-two.md", NOTE.replace("14:00", "16:00"))
    # Two rounds of one application: the latest is chosen, and named.
    result = workspace.run("done", "acme", "thank-you")
    assert result.exit_code == 0 and "latest round of" in result.output
    assert "\x1b" not in result.output and "\\x1b" in result.output
    # Two applications: refused, each named.
    workspace.note("acme-\x1b[2J-two.md", NOTE.replace("14:00", "16:00").replace("role:", "role: Lead"))
    for command in (("done", "acme", "review"), ("outcome", "acme", "rejected")):
        result = workspace.run(*command)
        assert result.exit_code == 2 and "matches 2 note" in result.output
        assert "\x1b" not in result.output and "\\x1b" in result.output


# -- 10: a server that trickles, or sends without end -----------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    mode = "trickle"

    def do_PROPFIND(self) -> None:
        self.send_response(207)
        self.send_header("Content-Type", "application/xml")
        self.end_headers()
        if self.mode == "trickle":
            try:
                while True:  # a byte whenever the client would give up waiting for one
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    self.server.stop.wait(0.3)  # type: ignore[attr-defined]
                    if self.server.stop.is_set():  # type: ignore[attr-defined]
                        return
            except OSError:
                return
        chunk = b"<!-- " + b"x" * 65_000 + b" -->"
        try:
            for _ in range(1_100):  # about 70 MB
                self.wfile.write(chunk)
        except OSError:
            return

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(params=["trickle", "flood"])
def hostile_server(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    handler = type("Handler", (_Handler,), {"mode": request.param})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.stop = threading.Event()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield request.param, f"http://127.0.0.1:{server.server_address[1]}/jo/cal/"
    finally:
        server.stop.set()  # type: ignore[attr-defined]
        server.shutdown()
        server.server_close()


def test_a_trickling_or_flooding_server_is_given_up_with_a_clear_message(
    workspace: Workspace, hostile_server: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    mode, url = hostile_server
    workspace.note("acme.md", NOTE)
    workspace.config(f'timezone = "Europe/London"\n\n[caldav]\nurl = "{url}"\ntimeout = 2\n')
    result = workspace.run("sync", "--trust", "--today", "2026-11-26")
    assert result.exit_code == 1 and "Traceback" not in result.output
    if mode == "trickle":
        assert "no answer from" in result.output and "within 2 seconds" in result.output
    else:
        assert "sent more than 64 MB" in result.output


# -- 14: the old commit after `feed rotate` ----------------------------------------------------


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_rotating_then_pushing_says_the_host_still_keeps_the_old_commit(workspace: Workspace, tmp_path: Path) -> None:
    workspace.note("acme.md", NOTE)
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    assert workspace.run("publish", "--git", str(remote), "--today", "2026-11-26").exit_code == 0
    assert workspace.run("feed", "rotate").exit_code == 0
    pushed = workspace.run("publish", "--git", str(remote), "--today", "2026-11-26")
    assert pushed.exit_code == 0 and "no longer holds followup-" in pushed.output
    assert "prune unreachable objects" in pushed.output and "git gc --prune=now" in pushed.output

