"""The built sample site in a real headless browser (Chromium, driven by Playwright).

Served by `python -m http.server` on 127.0.0.1, and opened straight from the file system.
Screenshots go to test-artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from clients.harness import require
from conftest import ROOT, Workspace

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SHOTS = ROOT / "test-artifacts" / "screenshots"
INTERVIEW = "interviews/2026-11-19-northwind-backend-engineer-onsite.html"
PAGES = {"home": "index.html", "progress": "progress.html", "interview": INTERVIEW}


def _playwright_available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return os.access(CHROMIUM, os.X_OK)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require(_playwright_available(), f"playwright with {CHROMIUM}")
    space = Workspace(tmp_path_factory.mktemp("browser") / "sample")
    shutil.copytree(ROOT / "interviews", space.root / "interviews", dirs_exist_ok=True)
    shutil.copy(ROOT / "followup.toml", space.root / "followup.toml")
    space.with_site()
    result = space.run("build")
    assert result.exit_code == 0, result.output
    return space.root / "site"


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """`python -m http.server` on a free port of 127.0.0.1, serving `folder`; yields its URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serving(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser(site: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Visit:
    """What a page did while it loaded: its console errors and every request it made."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def visit(browser: Any, url: str, width: int = 1280, height: int = 800) -> Visit:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    seen = Visit(page)
    page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.errors.append(str(e)))
    page.on("request", lambda r: seen.requests.append(r.url))
    page.goto(url, wait_until="networkidle")
    return seen


def shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _local(url: str, base: str) -> bool:
    return url.startswith(base) or url.startswith(("data:", "blob:", "about:"))


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_cleanly_and_asks_only_the_local_server(
    browser: Any, base_url: str, name: str
) -> None:
    seen = visit(browser, base_url + PAGES[name])
    try:
        assert seen.errors == []
        assert seen.requests, "no request seen at all"
        assert [u for u in seen.requests if not _local(u, base_url)] == []
        assert seen.page.locator("h1").first.is_visible()
        shoot(seen.page, f"{name}-desktop")
    finally:
        seen.page.context.close()


def test_progress_index_shows_the_chart_and_reaches_an_interview(
    browser: Any, base_url: str
) -> None:
    seen = visit(browser, base_url + "progress.html")
    try:
        assert seen.page.locator("svg.followup-chart").is_visible()
        seen.page.locator("a[href$='northwind-backend-engineer-onsite.html']").first.click()
        seen.page.wait_for_load_state("networkidle")
        assert seen.page.url.endswith(INTERVIEW)
        assert "Northwind Traders" in seen.page.locator("h1").inner_text()
        seen.page.locator("a", has_text="Progress").first.click()
        seen.page.wait_for_load_state("networkidle")
        assert seen.page.url.endswith("progress.html")
    finally:
        seen.page.context.close()


def _search(page: Any, words: str) -> Any:
    # Typed key by key, as a person would: Material searches on key events.
    page.locator("input.md-search__input").click()
    page.keyboard.type(words, delay=30)
    result = page.locator(".md-search-result__item", has_text=words).first
    result.wait_for(state="visible", timeout=15_000)
    return result


def test_search_finds_a_company_by_name(browser: Any, base_url: str) -> None:
    seen = visit(browser, base_url + "index.html")
    try:
        result = _search(seen.page, "Globex")
        assert "Globex" in result.inner_text()
        shoot(seen.page, "search-desktop")
        assert seen.errors == []
        assert [u for u in seen.requests if not _local(u, base_url)] == []
    finally:
        seen.page.context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_phone_viewport_is_readable(browser: Any, base_url: str, name: str) -> None:
    seen = visit(browser, base_url + PAGES[name], width=390, height=844)
    try:
        page = seen.page
        widths = page.evaluate(
            "() => ({doc: document.documentElement.scrollWidth, body: document.body.scrollWidth,"
            " view: window.innerWidth})"
        )
        assert widths["doc"] <= widths["view"] and widths["body"] <= widths["view"], widths
        # Wide tables scroll inside their own wrapper instead of widening the page.
        for wrapper in page.locator(".md-typeset__scrollwrap").all():
            box = wrapper.bounding_box()
            assert box is not None and box["x"] >= -0.5 and box["x"] + box["width"] <= 390.5
            overflow = wrapper.evaluate("e => getComputedStyle(e).overflowX")
            assert overflow in ("auto", "scroll"), overflow
        font = page.evaluate(
            "() => parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)"
        )
        assert font >= 12
        assert seen.errors == []
        shoot(page, f"{name}-phone")
    finally:
        seen.page.context.close()


def test_site_opens_from_the_file_system(browser: Any, site: Path) -> None:
    """Without a server: pages, links and search work from file://, and nothing is fetched."""
    base = site.as_uri() + "/"
    OFFLINE = ("file:", "data:", "blob:", "about:")
    seen = visit(browser, base + "progress.html")
    try:
        assert seen.errors == []
        assert [u for u in seen.requests if not u.startswith(OFFLINE)] == []
        seen.page.locator("a[href$='northwind-backend-engineer-onsite.html']").first.click()
        seen.page.wait_for_load_state("load")
        assert "Northwind Traders" in seen.page.locator("h1").inner_text()
        result = _search(seen.page, "Hooli")
        assert "Hooli" in result.inner_text()
        assert [u for u in seen.requests if not u.startswith(OFFLINE)] == []
    finally:
        seen.page.context.close()
