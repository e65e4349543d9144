"""Hostile notes against the whole site: every value from a note stays inert text, on every page.

Nothing here lists today's page writers: the build runs, then every generated Markdown page
and every file of the built site is checked, so a page added later is covered as it lands.
"""

from __future__ import annotations

import contextlib
import random
import re
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, Workspace, generated_cases, shared_setting
from followup.build import generate
from followup.clock import Clock
from followup.pages.notebody import leaves_site
from followup.site import csp
from followup.workspace import Workspace as WorkspaceOnDisk
from serving import ServerLog, env_with_package, free_port

# Snippets a note might carry to build markup out of a value: Markdown, attr_list, HTML,
# entities, URLs with every trick a browser forgives.
PAYLOADS = [
    "![x](javascript:0){onerror=alert(document.domain)}",
    "[Reply](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "{: onclick=alert(1) }",
    "*a* _b_ `c` ~~d~~ ==e== ^^f^^",
    "| cell | split |",
    "&lt;b&gt; &#60;i&#62; &amp;",
    "![p](/\\evil.example/p.png)",
    "![p](\\/evil.example/p.png)",
    '<img src="\\/evil.example/a.png">',
    '<img src="/\\evil.example/b.png"> <img src="\t//evil.example/c.png">',
    "<https://evil.example/>",
    "https://evil.example/x.png",
    "<pre class=\"mermaid\">graph</pre>",
    "\\",
    "\" onmouseover=\"alert(1)",
    "' autofocus onfocus='alert(1)",
    "# heading #",
    "[^1]: foot",
    "--- \n***",
    "\u202eevil\u202c",
    "\x1b]0;title\x07\x1b[2J",
    ":smile: @user #1",
    "$x$ \\(y\\)",
    "<!-- c --> <![CDATA[x]]>",
    "{{ config }} {% raw %}",
]
# Addresses that a loose check lets through: each one builds an element out of Markdown.
EMAILS = [
    "![x](javascript:0){onerror=alert(document.domain)}@a.b",
    "[Reply](javascript:alert(1))@x.y",
    "![p](/\\evil.example/p.png)@x.y",
    "a*b*_c_`d`@x.y",
    "x|y@z.w",
    "{:onclick=alert(1)}@x.y",
    "jane.o'doe+{x}@acme.example",
    "plain@acme.example",
]
PLAIN = ["Acme", "Jane Doe", "Backend Engineer", "phone screen", "Zoom", "Agency", "Ünïcødé 名前"]

NOTE_FIELDS = ("company", "role", "round", "location", "agency", "application")


def _value(rng: random.Random) -> str:
    parts = [rng.choice(PAYLOADS + PLAIN) for _ in range(rng.randint(1, 3))]
    return " ".join(parts)


def _quoted(text: str) -> str:
    return yaml.safe_dump(text, default_style='"', width=10_000).strip()


# Valid as a mail header has them, and still full of Markdown marks.
VALID_EMAILS = ["jane.o'doe+{x}@acme.example", "a*b*_c_`d`|e{f}=g!@x.y", "~t^c#h$@x.y", "plain@acme.example"]


def hostile_note(rng: random.Random, day: int, emails: list[str] = EMAILS) -> str:
    values = {key: _quoted(_value(rng)) for key in NOTE_FIELDS}
    name = _quoted(_value(rng).replace("<", "").replace(">", "").replace('"', "").replace(",", ""))
    lines = ["---", *(f"{key}: {value}" for key, value in values.items())]
    lines += [
        f"date: 2026-11-{day:02d} 10:00",
        "interviewers:",
        f"  - name: {name}",
        f"    title: {_quoted(_value(rng))}",
        f"    phone: {_quoted(_value(rng))}",
        f"    email: {_quoted(rng.choice(emails))}",
        f"  - {_quoted('Sam ' + rng.choice(PLAIN) + ' <' + rng.choice(emails) + '>')}",
        f"recruiter: {_quoted('Rita <' + rng.choice(emails) + '>')}",
        f"contact: {_quoted(_value(rng).replace(',', ' ').replace('<', '').replace('>', ''))}",
        f"reply_by: 2026-11-{day + 1:02d}",
        "---",
        "",
        *(rng.choice(PAYLOADS) for _ in range(6)),
        "",
    ]
    return "\n".join(lines)


# Elements the theme and our pages use; anything else in a page came from somewhere it should not.
_URL_ATTRIBUTES = {"src", "srcset", "href", "action", "formaction", "data", "poster", "background", "xlink:href"}
_FETCHING = {("img", "src"), ("img", "srcset"), ("script", "src"), ("link", "href"), ("iframe", "src"),
             ("source", "src"), ("video", "poster"), ("object", "data"), ("embed", "src"), ("image", "href")}


class PageCheck(HTMLParser):
    """Collects what would be live in a page: handlers, scripts, script URLs, off-site fetches."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.scripts: list[str] = []
        self.policy = ""
        self._script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in _URL_ATTRIBUTES and re.match(r"^\s*(javascript|vbscript|data:text)", value, re.I):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if (tag, name) in _FETCHING and leaves_site(value):
                self.problems.append(f"off-site <{tag} {name}={value!r}>")
            if tag == "meta" and name == "content" and ("http-equiv", "Content-Security-Policy") in attrs:
                self.policy = value
        if tag in ("iframe", "object", "embed", "base", "frame"):
            self.problems.append(f"<{tag}>")
        if tag == "pre" and ("class", "mermaid") in attrs:
            self.problems.append("<pre class=mermaid>")
        if tag == "script":
            kinds = dict(attrs)
            if kinds.get("src") is None and kinds.get("type") != "application/json":
                self._script = []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None


def check_page(text: str, where: str) -> list[str]:
    found = PageCheck()
    found.feed(text)
    problems = [f"{where}: {p}" for p in found.problems]
    if not found.policy:
        problems.append(f"{where}: no Content-Security-Policy")
    else:
        allowed = set(re.findall(r"'(sha256-[^']+)'", found.policy))
        if "'unsafe-inline'" in found.policy.split("script-src", 1)[1].split(";", 1)[0]:
            problems.append(f"{where}: the policy allows inline scripts")
        if re.search(r"https?:|\*", found.policy):
            problems.append(f"{where}: the policy allows another host")
        for script in found.scripts:
            digest = csp.policy(f"<script>{script}</script>").split("'sha256-")[1].split("'")[0]
            if f"sha256-{digest}" not in allowed:
                problems.append(f"{where}: inline script not in the policy: {script[:60]!r}")
    return problems


def _markdown_pages(docs: Path) -> list[Path]:
    return sorted(p for p in docs.rglob("*.md"))


def _render(text: str) -> str:
    import markdown

    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.SafeLoader)
    extensions: list[str] = []
    configs: dict[str, Any] = {}
    for item in config["markdown_extensions"]:
        if isinstance(item, dict):
            (name, options), = item.items()
            extensions.append(name)
            configs[name] = options
        else:
            extensions.append(item)
    body = text.split("---\n", 2)[2] if text.startswith("---\n") else text
    return markdown.markdown(body, extensions=extensions, extension_configs=configs)


def _generated_problems(workspace: Workspace) -> list[str]:
    """Every generated Markdown page rendered with the site's own extensions, then checked."""
    problems = []
    for page in _markdown_pages(workspace.root / "docs"):
        found = PageCheck()
        found.feed(_render(page.read_text(encoding="utf-8")))
        problems += [f"{page.name}: {p}" for p in found.problems + [f"script {s[:40]!r}" for s in found.scripts]]
    return problems


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_fuzzed_front_matter_never_makes_markup(tmp_path_factory: pytest.TempPathFactory, seed: int) -> None:
    """Random hostile values in every field, through the whole page generation."""
    rng = random.Random(seed)
    workspace = Workspace(tmp_path_factory.mktemp("fuzz"))
    for day in range(1, 4):
        name = rng.choice(["a", "b[1]", "c (2)", "d`e"])
        workspace.note(f"2026-11-{day:02d}-{name}.md", hostile_note(rng, day))
    # Every generated page (the MkDocs step aside): a bad address leaves its note out.
    generate(WorkspaceOnDisk.open(workspace.root), Clock.fixed(date(2026, 11, 26)), pages_too=True, keep_going=True)
    cases = generated_cases("hostile site")
    cases["fuzzed workspaces"] = cases.get("fuzzed workspaces", 0) + 1
    assert _generated_problems(workspace) == []


HOSTILE_NAMES = [
    "nl\n<img src=x onerror=alert(1)>.md", "tick`<b>x</b>`.md", "pipe | cell.md", "[link](javascript:alert(1)).md",
    "zz\n```\n<img src=x onerror=alert(document.domain)>\n```-engineer.md",
    'yy\n```\n<meta http-equiv="refresh" content="0;url=https:evil.example">\n```-designer.md',
    "ww\n```\n<base href=\"https://evil.example/\">\n```-analyst.md",
]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    workspace = Workspace(tmp_path_factory.mktemp("hostile") / "search").with_site()
    rng = random.Random(12)
    for day, name in enumerate(HOSTILE_NAMES, start=1):
        workspace.note(name, hostile_note(rng, day, VALID_EMAILS))
    for day in range(11, 20):
        workspace.note(f"2026-11-{day}-fuzz.md", hostile_note(rng, day, VALID_EMAILS))
    with shared_setting(tmp_path_factory):
        result = workspace.run("build")
    assert result.exit_code == 0, result.output
    return workspace


@pytest.fixture(scope="module")
def hostile_zensical(hostile_site: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The same hostile workspace, its site built by Zensical."""
    copy = Workspace.at(tmp_path_factory.mktemp("hostile-zensical") / "search")
    shutil.copytree(hostile_site.root, copy.root, ignore=shutil.ignore_patterns("site"))
    with (copy.root / "followup.toml").open("a", encoding="utf-8") as config:
        config.write('site_builder = "zensical"\n')
    with shared_setting(tmp_path_factory):
        result = copy.run("build")
    assert result.exit_code == 0, result.output
    return copy


@pytest.fixture(params=["mkdocs", "zensical"])
def built(request: pytest.FixtureRequest) -> Workspace:
    return request.getfixturevalue("hostile_site" if request.param == "mkdocs" else "hostile_zensical")


@pytest.mark.parametrize("address", [*EMAILS[:3], EMAILS[5], "a..b@x.y", "a@-x.y", "a@x_y.z", "a@@x.y", "\"q\"@x.y"])
def test_an_address_a_mail_header_would_refuse_is_an_error(workspace: Workspace, address: str) -> None:
    for value in (f"Jane Doe <{address}>", address, f"Sam Lee <sam@x.example>, {address}"):
        workspace.note(
            "attack.md", f"---\ncompany: Acme\nrole: R\ndate: 2026-11-10 10:00\ninterviewers: {_quoted(value)}\n---\n"
        )
        result = workspace.run("check")
        assert result.exit_code == 1, (value, result.output)
        assert "interviews/attack.md:5: interviewers:" in result.output and "is not" in result.output


@pytest.mark.parametrize(
    ("value", "people"),
    [
        (
            "Eve Stone <eve@x.example>, Sam Lee <sam@x.example>",
            [("Eve Stone", "eve@x.example"), ("Sam Lee", "sam@x.example")],
        ),
        ("Eve Stone, Sam Lee", [("Eve Stone", ""), ("Sam Lee", "")]),
        ('"Lee, Sam" <sam@x.example>', [("Lee, Sam", "sam@x.example")]),
        ('"Lee, Sam" <sam@x.example>, eve@x.example,', [("Lee, Sam", "sam@x.example"), ("eve", "eve@x.example")]),
        ('"Say \\"hi\\", Bo" <bo@x.example>', [('Say "hi", Bo', "bo@x.example")]),
    ],
)
def test_a_text_value_with_commas_is_an_address_list(value: str, people: list[tuple[str, str]]) -> None:
    from followup.note.addresses import parse_people

    assert [(p.name, p.email) for p in parse_people(value)] == people


def test_a_recruiter_is_one_person(workspace: Workspace) -> None:
    workspace.note("r.md", "---\ncompany: Acme\nrole: R\ndate: 2026-11-10 10:00\nrecruiter: Eve Stone, Sam Lee\n---\n")
    result = workspace.run("check")
    assert result.exit_code == 1 and "interviews/r.md:5: 'recruiter' names 2 people; give one" in result.output


def test_every_file_of_the_built_site_is_inert(built: Workspace) -> None:
    site = built.root / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    problems = []
    for page in pages:
        problems += check_page(page.read_text(encoding="utf-8"), str(page.relative_to(site)))
    assert problems == []
    assert _generated_problems(built) == []


def test_file_names_are_text_on_one_line(hostile_site: Workspace) -> None:
    pages = hostile_site.root / "docs" / "interviews"
    for page in pages.glob("*.md"):
        for line in page.read_text(encoding="utf-8").splitlines():
            if line.startswith("| Note |"):
                assert line.endswith("</code> |") and "<img" not in line and "`" not in line, line


@contextlib.contextmanager
def _previewed(workspace: Workspace) -> Iterator[str]:
    """`followup serve` on the workspace: its address, once it says it serves."""
    address = f"127.0.0.1:{free_port()}"
    server = subprocess.Popen(
        [sys.executable, "-m", "followup", "serve", "--dev-addr", address, "--today", "2026-11-26"],
        cwd=workspace.root, env=env_with_package(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    log = ServerLog(server)
    try:
        assert log.wait_for("Serving on"), log.text
        yield f"http://{address}/"
    finally:
        server.terminate()
        server.wait(60)


@pytest.mark.parametrize("builder", ["mkdocs", "zensical", "serve"])
def test_chromium_opens_every_page_with_no_dialog_no_other_host_and_no_way_out(
    builder: str, request: pytest.FixtureRequest
) -> None:
    from clients.harness import require
    from test_browser import ARGS, CHROMIUM, _playwright_available, serving

    require(_playwright_available(), f"playwright with {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    workspace: Workspace = request.getfixturevalue("hostile_zensical" if builder == "zensical" else "hostile_site")
    site = workspace.root / "site"
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    dialogs: list[str] = []
    requests: list[str] = []
    left: list[str] = []
    with contextlib.ExitStack() as stack, sync_playwright() as playwright:
        if builder == "serve":
            bases = [stack.enter_context(_previewed(workspace))]
        else:
            bases = [stack.enter_context(serving(site)), site.as_uri() + "/"]
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for base in bases:
                context = browser.new_context()
                page = context.new_page()
                page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                page.on("request", lambda r: requests.append(r.url))
                for name in pages:
                    # "load": every image has loaded or failed, so its handlers had their turn
                    page.goto(base + urllib.request.pathname2url(name), wait_until="load")
                    page.mouse.move(200, 200)
                    if not page.url.startswith(base):
                        left.append(f"{name} -> {page.url}")
                context.close()
        finally:
            browser.close()
    assert dialogs == [] and left == []
    local = ("file:", "data:", "blob:", "about:", *bases)
    assert [u for u in requests if not u.startswith(local)] == []
    assert any(u.startswith(bases[0]) for u in requests)


def test_a_page_without_the_hook_package_is_left_alone() -> None:
    assert csp.protect("<html><body>x</body></html>") == "<html><body>x</body></html>"
    page = csp.protect("<html><head><script>a()</script></head><body><script>b()</script></body></html>",
                       content="<script>b()</script>")
    policy = page.split('content="', 1)[1].split('"', 1)[0]
    assert len(re.findall("sha256-", policy)) == 1  # the content's script is not allowed

