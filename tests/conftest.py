"""Shared fixtures: a temporary workspace with notes, and the real CLI run over it."""

from __future__ import annotations

import contextlib
import os
import shutil
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import icalendar
import pytest
import time_machine
from click.testing import CliRunner, Result
from hypothesis import settings

import icalendar_feed
from followup import build
from followup.cli import cli
from followup.clock import Clock
from followup.feed import calendar, revisions
from followup.feed.names import feed_names
from followup.feed.state import load_state
from followup.note.read import read_notes
from followup.plan.rules import plan
from followup.workspace import Workspace as FollowupWorkspace

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-26"
# The moment every test runs at, whatever the machine's clock says (see `clock`).
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


# In CI every property test draws the same examples, so a run fails only when the code changed;
# inputs that ever failed are kept as explicit @example cases in the tests themselves.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def examples(anywhere: int, ci: int) -> int:
    """How many inputs a slow property test draws. On a developer's machine every run draws new
    ones, so many pay off over time; CI draws the same ones on every run, so fewer do."""
    return ci if os.environ.get("CI") else anywhere

_GENERATED_CASES: dict[str, dict[str, int]] = {}


def generated_cases(module: str) -> dict[str, int]:
    """A counter a property or fuzz test fills, reported at the end of the run."""
    return _GENERATED_CASES.setdefault(module, {})


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for module, cases in _GENERATED_CASES.items():
        if cases:
            terminalreporter.write_line(f"{module} generated cases: {cases}")


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Under pytest-xdist a worker hands its counts to the main process, which reports them."""
    sent = getattr(session.config, "workeroutput", None)
    if sent is not None:
        sent["generated_cases"] = _GENERATED_CASES


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    for module, cases in getattr(node, "workeroutput", {}).get("generated_cases", {}).items():
        total = generated_cases(module)
        for name, count in cases.items():
            total[name] = total.get(name, 0) + count


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Under CI every tool is installed (.ci/run sees to it): a skipped test is a failure."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, where nothing may be: {report.longrepr}"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="Rewrite tests/golden/ from the current output."
    )


class Workspace:
    """A throwaway workspace: followup.toml, interviews/, and (when asked) the site's files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "interviews").mkdir(parents=True, exist_ok=True)
        (root / "docs").mkdir(exist_ok=True)
        self.config('timezone = "Europe/London"\n')

    @classmethod
    def at(cls, root: Path) -> Workspace:
        """A workspace already made (its configuration kept as it is)."""
        workspace = cls.__new__(cls)
        workspace.root = root
        return workspace

    def config(self, text: str) -> None:
        (self.root / "followup.toml").write_text(text, encoding="utf-8")

    def note(self, name: str, text: str) -> Path:
        """Write a note from dedented text (a leading newline is dropped)."""
        path = self.root / "interviews" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def with_site(self) -> Workspace:
        """Copy the real mkdocs.yml, overrides and guide so the site builds as it does for users."""
        shutil.copy(ROOT / "mkdocs.yml", self.root / "mkdocs.yml")
        shutil.copytree(ROOT / "overrides", self.root / "overrides", dirs_exist_ok=True)
        shutil.copytree(ROOT / "hooks", self.root / "hooks", dirs_exist_ok=True, ignore=_caches)
        shutil.copytree(ROOT / "docs", self.root / "docs", dirs_exist_ok=True, ignore=_generated)
        return self

    def run(self, *args: str, today: str | None = TODAY, input: str | None = None) -> Result:
        command = ["-C", str(self.root), *args]
        if today and args and args[0] in ("build", "status"):
            command += ["--today", today]
        return CliRunner().invoke(cli, command, input=input, catch_exceptions=False)

    @property
    def feed(self) -> Path:
        return self.root / "docs" / "followup.ics"

    @property
    def index(self) -> Path:
        return self.root / "docs" / "progress.md"

    def events(self) -> list[icalendar.Event]:
        """The built feed's events, parsed back with icalendar."""
        return list(icalendar.Calendar.from_ical(self.feed.read_bytes()).events)

    def event(self, kind: str, number: int = 0) -> icalendar.Event:
        """The one event of this kind (and follow-up number) in the feed."""
        found = [
            e for e in self.events()
            if e.categories == [kind] and (not number or f"#{number}" in str(e["summary"]))
        ]
        assert len(found) == 1, f"expected one {kind} event, found {len(found)}"
        return found[0]

    def kinds(self) -> list[str]:
        return sorted(str(c) for e in self.events() for c in e.categories)


def _caches(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n == "__pycache__"]


FEED_DIFFERS = "the feed differs from what icalendar writes for the same events"


def _check_every_feed(monkeypatch: pytest.MonkeyPatch) -> None:
    written = calendar.render

    def checked(*args: Any, **kwargs: Any) -> bytes:
        data = written(*args, **kwargs)
        if data != icalendar_feed.render(*args, **kwargs):
            raise AssertionError(FEED_DIFFERS)
        return data

    monkeypatch.setattr(calendar, "render", checked)

    generate = build.generate

    def built_checked(workspace: FollowupWorkspace, clock: Clock, **options: Any) -> build.BuildReport:
        """A build (even one that gives the last build's report again) leaves the feed that
        icalendar writes for the whole plan, made afresh from the notes with no cache."""
        report = generate(workspace, clock, **options)
        config, today = workspace.config, clock.today
        state = load_state(workspace.root)
        notes = read_notes(workspace.root, workspace.notes_dir, config.timezone)
        shown = calendar.in_window(plan(notes.interviews, config, today), config, today)
        expected = icalendar_feed.render(shown, config, today, revisions.revisions(shown, config, state))
        path = workspace.docs_dir / feed_names(config, state.feed_secret).events
        if path.read_bytes() != expected:
            raise AssertionError(FEED_DIFFERS)
        return report

    monkeypatch.setattr(build, "generate", built_checked)


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Coordinates]:
    """The suite's one clock: every test runs at NOW (midday on TODAY, time passing from there)
    whatever the machine's date, so a command given no --today or --date plans for TODAY. A
    test that needs another moment moves this one (`clock.move_to`). CI runs the suite with
    the machine's clock moved years ahead (.ci/run) to show that nothing reads it behind this."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def verify_feed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every feed any test builds is also built with icalendar alone and must match byte for byte."""
    _check_every_feed(monkeypatch)


@pytest.fixture(autouse=True)
def own_cache_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Build caches and the user's own settings live outside workspaces: each test keeps its
    own, out of the user's home."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))


@contextlib.contextmanager
def shared_setting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """While a module-scoped fixture builds a workspace that several tests then only read (such
    a fixture is set up before the autouse fixtures above): the same checked feed, a cache folder
    of its own, and no variable of the user's that would change the build."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        _check_every_feed(monkeypatch)
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
        monkeypatch.delenv("FOLLOWUP_WORKSPACE", raising=False)
        yield


def _generated(folder: str, names: list[str]) -> list[str]:
    generated = ("progress.md", "subscribe.md", "board.md", ".today.md", "interviews")
    return [n for n in names if n in generated or n.endswith(".ics")]


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.delenv("FOLLOWUP_WORKSPACE", raising=False)
    return Workspace(tmp_path / "search")


@pytest.fixture
def sample_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """The repository's own sample notes, in a copy."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    space = Workspace(tmp_path / "sample")
    shutil.copytree(ROOT / "interviews", space.root / "interviews", dirs_exist_ok=True)
    shutil.copy(ROOT / "followup.toml", space.root / "followup.toml")
    return space


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))

