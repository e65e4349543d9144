"""The built sample site in a real headless browser (Chromium, driven by Playwright).

Served by `python -m http.server` on 127.0.0.1, and opened straight from the file system.
Screenshots go to test-artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import contextlib
import importlib.util
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
from conftest import ROOT, Workspace, shared_setting

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
AXE = ROOT / "tests" / "clients" / "node_modules" / "axe-core" / "axe.min.js"
INTERVIEW = "interviews/2026-11-19-northwind-backend-engineer-onsite.html"
PAGES = {"home": "index.html", "progress": "progress.html", "interview": INTERVIEW}
# Every kind of page, in each builder, width and palette.
ALL_PAGES = {
    "home": "index.html",
    "board": "board.html",
    "progress": "progress.html",
    "interview": INTERVIEW,
    "subscribe": "subscribe.html",
    "guide": "guide/following-up.html",
}
VIEWS = [(1280, 900, "light"), (1280, 900, "dark"), (390, 844, "light"), (390, 844, "dark")]
# The subscribe page shows the address and its QR code.
SHOWN_ADDRESS = 'site_url = "https://search.example.org/private"\nshow_feed_address = true\n'


def _playwright_available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return os.access(CHROMIUM, os.X_OK)


def _build_sample(tmp_path_factory: pytest.TempPathFactory, builder: str) -> Path:
    require(_playwright_available(), f"playwright with {CHROMIUM}")
    space = Workspace(tmp_path_factory.mktemp(f"browser-{builder}") / "sample")
    shutil.copytree(ROOT / "interviews", space.root / "interviews", dirs_exist_ok=True)
    settings = (ROOT / "followup.toml").read_text(encoding="utf-8")
    space.config(settings + SHOWN_ADDRESS + f'site_builder = "{builder}"\n')
    space.with_site()
    with shared_setting(tmp_path_factory):
        result = space.run("build")
    assert result.exit_code == 0, result.output
    return space.root / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site built by MkDocs, read by every test here that uses MkDocs."""
    return _build_sample(tmp_path_factory, "mkdocs")


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(builder, base URL) of the sample site built by each builder and served."""
    builder = str(request.param)
    if builder == "zensical":
        require(importlib.util.find_spec("zensical") is not None, "zensical")
    site = request.getfixturevalue("site") if builder == "mkdocs" else _build_sample(tmp_path_factory, builder)
    with serving(site) as url:
        yield builder, url


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

    def listen(self) -> Visit:
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        return self

    def start(self, url: str) -> Visit:
        """Begin loading `url` without waiting, so that several tabs load at once."""
        self.errors.clear()
        self.requests.clear()
        self.page.goto(url, wait_until="commit")
        return self

    def settle(self) -> Visit:
        self.page.wait_for_load_state("networkidle")
        return self


def _context(browser: Any, width: int, height: int, scheme: str) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    if AXE.is_file():  # before any page script, and out of reach of the page's own policy
        context.add_init_script(path=str(AXE))
    return context


def visit(browser: Any, url: str, width: int = 1280, height: int = 800, scheme: str = "light") -> Visit:
    """A page in a fresh context of its own, loaded until the network is idle."""
    return Visit(_context(browser, width, height, scheme).new_page()).listen().start(url).settle()


class Tabs:
    """One open page per window size and palette, reused by every test that only looks:
    a fresh page costs a new renderer process, about half a second each time."""

    def __init__(self, browser: Any) -> None:
        self.browser = browser
        self.open: dict[tuple[int, int, str], Visit] = {}

    def get(self, width: int = 1280, height: int = 800, scheme: str = "light") -> Visit:
        view = (width, height, scheme)
        if view not in self.open:
            self.open[view] = Visit(_context(self.browser, *view).new_page()).listen()
        return self.open[view]

    def visit(self, url: str, width: int = 1280, height: int = 800, scheme: str = "light") -> Visit:
        return self.get(width, height, scheme).start(url).settle()

    def close(self) -> None:
        for seen in self.open.values():
            seen.page.context.close()


@pytest.fixture(scope="module")
def tabs(browser: Any) -> Iterator[Tabs]:
    opened = Tabs(browser)
    try:
        yield opened
    finally:
        opened.close()


def shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _local(url: str, base: str) -> bool:
    return url.startswith(base) or url.startswith(("data:", "blob:", "about:"))


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_cleanly_and_asks_only_the_local_server(tabs: Tabs, base_url: str, name: str) -> None:
    seen = tabs.visit(base_url + PAGES[name])
    assert seen.errors == []
    assert seen.requests, "no request seen at all"
    assert [u for u in seen.requests if not _local(u, base_url)] == []
    assert seen.page.locator("h1").first.is_visible()
    shoot(seen.page, f"{name}-desktop")


def test_progress_index_shows_the_chart_and_reaches_an_interview(tabs: Tabs, base_url: str) -> None:
    seen = tabs.visit(base_url + "progress.html")
    assert seen.page.locator("svg.followup-chart").first.is_visible()
    seen.page.locator("a[href$='northwind-backend-engineer-onsite.html']").first.click()
    seen.page.wait_for_load_state("networkidle")
    assert seen.page.url.endswith(INTERVIEW)
    assert "Northwind Traders" in seen.page.locator("h1").inner_text()
    seen.page.locator("a", has_text="Progress").first.click()
    seen.page.wait_for_load_state("networkidle")
    assert seen.page.url.endswith("progress.html")


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
def test_phone_viewport_is_readable(tabs: Tabs, base_url: str, name: str) -> None:
    seen = tabs.visit(base_url + PAGES[name], width=390, height=844)
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


def _overflow(page: Any) -> dict[str, int]:
    return dict(page.evaluate(
        "() => ({doc: document.documentElement.scrollWidth, body: document.body.scrollWidth,"
        " view: window.innerWidth})"
    ))


def _serious_findings(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    results = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).slice(0, 3)"
        ".join(', ') + ')')"
    )
    return [str(line) for line in results]


@pytest.mark.parametrize("name", list(ALL_PAGES))
def test_every_page_in_both_builders_widths_and_palettes(
    tabs: Tabs, built: tuple[str, str], name: str
) -> None:
    """No sideways scrolling on a phone, no console error, nothing from another host, and no
    serious accessibility finding, at 1280 and 390 pixels, in the light and dark palettes."""
    require(AXE.is_file(), "axe-core (npm ci --prefix tests/clients)")
    builder, base = built
    # The four views load side by side (one tab each) and are checked one after the other.
    loading = [(view, tabs.get(*view).start(base + ALL_PAGES[name])) for view in VIEWS]
    for (width, _, scheme), seen in loading:
        seen.settle()
        where = f"{builder} {name} {width}px {scheme}"
        page = seen.page
        assert page.locator("h1").first.is_visible(), where
        dark = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
        assert dark == ("slate" if scheme == "dark" else "default"), where
        if width < 600:
            widths = _overflow(page)
            assert widths["doc"] <= widths["view"] and widths["body"] <= widths["view"], (where, widths)
        findings = _serious_findings(page)
        assert not findings, f"{where}:\n" + "\n".join(findings)
        assert seen.errors == [], where
        assert [u for u in seen.requests if not _local(u, base)] == [], where
        shoot(page, f"{builder}-{name}-{width}-{scheme}")


def test_board_columns_sit_side_by_side_on_a_desktop_and_stack_on_a_phone(
    tabs: Tabs, built: tuple[str, str]
) -> None:
    builder, base = built
    for width, side_by_side in ((1280, True), (390, False)):
        seen = tabs.visit(base + "board.html", width, 844)
        boxes = [c.bounding_box() for c in seen.page.locator(".fu-column").all()]
        assert len(boxes) == 6 and all(boxes)
        tops = {round(b["y"]) for b in boxes if b}
        lefts = {round(b["x"]) for b in boxes if b}
        assert (len(tops) == 1 and len(lefts) == 6) if side_by_side else (len(lefts) == 1 and len(tops) == 6)
        applied = seen.page.locator(".fu-column", has_text="Applied").first
        assert "Wayne Enterprises" in applied.inner_text()
        if not side_by_side:
            widths = _overflow(seen.page)
            assert widths["doc"] <= widths["view"], widths
            shoot(seen.page, f"{builder}-board-applied-{width}")
        card = seen.page.locator(".fu-column", has_text="Following up").locator("a", has_text="Globex")
        card.click()
        seen.page.wait_for_load_state("networkidle")
        assert seen.page.url.endswith("interviews/2026-11-12-globex-data-analyst.html")


def test_home_today_panel_links_to_the_interview(tabs: Tabs, built: tuple[str, str]) -> None:
    _, base = built
    seen = tabs.visit(base + "index.html")
    panel = seen.page.locator(".fu-today")
    text = panel.inner_text()
    assert "Overdue (2)" in text and "Due today (1)" in text and "Thu 26 Nov 09:00" in text
    panel.locator("a", has_text="Hooli").first.click()
    seen.page.wait_for_load_state("networkidle")
    assert seen.page.url.endswith("interviews/2026-11-05-hooli-site-reliability-engineer.html")


# For each code block with a copy button: scrolled to its end, where its last character sits
# against the button. Measured in the page, as a reader sees it.
_COPY_CLEARANCE = """() => [...document.querySelectorAll('pre')].flatMap(pre => {
  const button = pre.querySelector('[data-md-type=copy], .md-clipboard');
  const code = pre.querySelector('code');
  if (!button || !code) return [];
  code.scrollLeft = code.scrollWidth;
  const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
  let last = null;
  while (walker.nextNode()) if (walker.currentNode.textContent.trim()) last = walker.currentNode;
  if (!last) return [];
  const text = last.textContent.replace(/\\s+$/, '');
  const range = document.createRange();
  range.setStart(last, text.length - 1);
  range.setEnd(last, text.length);
  const end = range.getBoundingClientRect(), box = button.getBoundingClientRect();
  const overlaps = end.right > box.left && end.left < box.right && end.bottom > box.top && end.top < box.bottom;
  return [{text: code.textContent.trim(), overlaps}];
})"""


@pytest.mark.parametrize("name", ["progress.html", "howto/commands.html", "subscribe.html"])
def test_the_copy_button_never_covers_the_end_of_a_command_on_a_phone(
    tabs: Tabs, built: tuple[str, str], name: str
) -> None:
    _, base = built
    seen = tabs.visit(base + name, 390, 844)
    found = seen.page.evaluate(_COPY_CLEARANCE)
    assert found, name
    assert [item["text"] for item in found if item["overlaps"]] == [], name


def test_chart_labels_are_at_least_12_px_on_a_phone(tabs: Tabs, built: tuple[str, str]) -> None:
    _, base = built
    seen = tabs.visit(base + "progress.html", 390, 844)
    sizes = seen.page.evaluate("""() => [...document.querySelectorAll('svg.followup-chart')].flatMap(svg => {
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      return [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
    })""")
    assert sizes and min(sizes) >= 12, sizes
    widths = _overflow(seen.page)
    assert widths["doc"] <= widths["view"], widths


def test_meeting_links_and_the_job_ad_are_links_on_the_interview_page(tabs: Tabs, built: tuple[str, str]) -> None:
    _, base = built
    seen = tabs.visit(base + "interviews/2026-12-02-stark-frontend-developer.html")
    where = seen.page.locator("td", has_text="Where").locator("xpath=following-sibling::td[1]//a")
    assert where.get_attribute("href") == "https://video.example/stark-frontend"
    seen = tabs.visit(base + "interviews/2026-11-23-wayne-enterprises-data-engineer.html")
    ad = seen.page.locator("td", has_text="Job ad").locator("xpath=following-sibling::td[1]//a")
    assert ad.get_attribute("href") == "https://careers.wayne.example/jobs/4521"
    assert "Applied" in seen.page.locator("article").inner_text()


def test_progress_copy_button_copies_the_short_done_command(browser: Any, base_url: str) -> None:
    seen = visit(browser, base_url + "progress.html", 390, 844)
    try:
        page = seen.page
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
        card = page.locator(".fu-card", has_text="Follow-up #2").first
        card.hover()
        card.locator("button[data-md-type=copy], button.md-clipboard").first.click()
        assert page.evaluate("() => navigator.clipboard.readText()").strip() == "followup done globex follow-up"
    finally:
        seen.page.context.close()
