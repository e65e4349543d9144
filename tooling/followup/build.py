"""The build: notes -> plan -> feed, index and pages in `docs/`, then the MkDocs site."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from followup import board, cache, checks, feed, guideonly, index, loading, notebody, pages, revisions, tasks
from followup import today as today_panel
from followup.cachecheck import valid_report_fields
from followup.clock import Clock
from followup.config import CONFIG_FILE
from followup.errors import FollowupError, Problem
from followup.fsutil import Busy, locked, replace_folder, write_if_changed
from followup.notes import note_stamps, read_body
from followup.progress import progress
from followup.rules import Plan, plan
from followup.shortnames import short_names
from followup.subscription import FeedNames, feed_names, remove_stale_feeds
from followup.workspace import GENERATED_BOARD, GENERATED_SUBSCRIBE, GENERATED_TODAY, Workspace

LOCK_FILE = ".followup.lock"
BUILD_WAIT = 10.0  # seconds a second build waits for the first


@dataclass(frozen=True)
class BuildReport:
    """What a build did, as the command reports it (and the cache gives again)."""

    interviews: int
    events: int
    problems: tuple[Problem, ...]  # the notes' own, then the deeper checks' warnings
    skipped: tuple[str, ...]  # notes left out for their errors (--keep-going)
    written: tuple[str, ...]  # files rewritten because their content changed
    feed: str  # the feed's file in docs/, or "" when its name is secret
    warnings: tuple[str, ...] = ()  # about the output, such as a feed too large for Google


def generate(
    workspace: Workspace,
    clock: Clock,
    *,
    pages_too: bool,
    keep_going: bool = False,
) -> BuildReport:
    """Write the feed and the index (and the interview pages); files are rewritten only on change.

    When nothing it reads changed since the last build and its outputs are untouched, the
    cache answers with that build's report (see `cache`). Changed events are stamped with
    `clock.changed`.
    """
    today = clock.today
    config = workspace.config
    stamps = note_stamps(workspace.notes_dir)
    inputs = (workspace.root / CONFIG_FILE, revisions.state_path(workspace.root))
    notes_key = cache.stamps_digest(workspace.root, stamps)
    key = cache.fingerprint(notes_key, inputs, today, pages_too, keep_going)
    previous = cache.previous_report(workspace.root, key)
    if isinstance(previous, BuildReport) and valid_report_fields(
        previous.interviews, previous.events, previous.problems, previous.skipped, previous.written, previous.feed
    ):
        return replace(previous, written=())
    notes = loading.read(workspace, keep_going, stamps)
    the_plan = plan(notes.interviews, config, today)
    shown = feed.in_window(the_plan, config, today)
    events = feed.texts(shown, config)
    history = revisions.track(
        shown, config, revisions.load_state(workspace.root),
        clock.changed, events,
    )
    changes = revisions.revisions(shown, config, history)
    feeds = feed_names(config, history.feed_secret)
    written: list[str] = []

    def write(path: Path, content: str | bytes) -> Path:
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        try:
            changed = write_if_changed(path, data)
        except OSError as error:
            shown = workspace.relative(path).replace(history.feed_secret or "\0", "<secret>")
            raise FollowupError(f"could not write {shown} ({error.strerror or error}); it is as it was") from None
        if changed:
            shown_path = workspace.relative(path)
            if history.feed_secret:  # kept out of logs: `followup feed url` shows it
                shown_path = shown_path.replace(history.feed_secret, "<secret>")
            written.append(shown_path)
        return path

    # One output at a time, each let go once written: a large feed is tens of megabytes.
    feed_data = feed.render(shown, config, today, changes, events)
    outputs = [write(workspace.docs_dir / feeds.events, feed_data)]
    too_big = feed.size_warning(len(feed_data))
    del events, feed_data
    the_progress = progress(the_plan, config, today)
    names = _short_names(workspace, stamps, {i.path: i.company for i in notes.interviews})
    outputs.append(write(workspace.index_path, index.render(the_progress, names)))
    if config.tasks_feed:
        outputs.append(write(workspace.docs_dir / feeds.tasks, tasks.render(shown, config, today, changes)))
    if pages_too:
        outputs.append(write(workspace.docs_dir / GENERATED_BOARD, board.render(the_progress)))
        outputs.append(write(workspace.docs_dir / GENERATED_TODAY, today_panel.render(the_progress)))
        outputs += [write(path, text) for path, text in _pages(workspace, the_plan, today, feeds, names)]
        _remove_stale_pages(workspace.pages_dir, set(outputs))
    revisions.save_state(workspace.root, history)
    remove_stale_feeds(workspace.docs_dir, config, {p.name for p in outputs})
    report = BuildReport(
        interviews=len(notes.interviews),
        events=len(shown.reminders),
        problems=notes.problems + tuple(checks.check(notes.interviews, today, config)),
        skipped=tuple(sorted({p.path for p in notes.errors})),
        written=tuple(written),
        feed="" if feeds.secret else workspace.relative(workspace.docs_dir / feeds.events),
        warnings=(too_big,) if too_big else (),
    )
    # The key again: saving the state may have changed what the next build will read.
    key = cache.fingerprint(notes_key, inputs, today, pages_too, keep_going)
    cache.remember_report(workspace.root, key, outputs, report)
    return report


def _short_names(workspace: Workspace, files: Iterable[Path], companies: dict[str, str]) -> dict[str, str]:
    """`{note path as Interview.path: short name}` for every note file, valid or not."""
    inside = {workspace.relative(p): p.relative_to(workspace.notes_dir).as_posix() for p in files}
    short = short_names((name, companies.get(path, "")) for path, name in inside.items())
    return {path: short[name] for path, name in inside.items()}


def _pages(
    workspace: Workspace, the_plan: Plan, today: date, feeds: FeedNames, names: dict[str, str]
) -> Iterator[tuple[Path, str]]:
    """The subscribe page and one page per interview, made one at a time."""
    config = workspace.config
    shown = not feeds.secret or config.show_feed_address
    yield workspace.docs_dir / GENERATED_SUBSCRIBE, pages.subscribe_page(
        config,
        feeds.events if shown else "",
        tasks_address=feeds.tasks if shown and config.tasks_feed else "",
    )
    for interview in (i for a in the_plan.applications for i in a.rounds):
        body = notebody.embed(read_body(workspace.root / interview.path, interview.path))
        yield workspace.pages_dir / f"{interview.slug}.md", pages.interview_page(
            interview, the_plan, today, body, names=names, config=config
        )


def _remove_stale_pages(folder: Path, wanted: set[Path]) -> None:
    if not folder.is_dir():
        return
    for path in folder.rglob("*.md"):
        if path not in wanted:
            path.unlink()


def _show_mkdocs_warnings() -> None:
    """MkDocs reports problems through logging; show its warnings, as `mkdocs build` would."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "followup", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setLevel(logging.WARNING)
        handler.setFormatter(logging.Formatter("mkdocs: %(levelname)s - %(message)s"))
        handler.followup = True  # type: ignore[attr-defined]
        logger.addHandler(handler)


def build_site(workspace: Workspace, *, guide_only: bool = False, site_dir: Path | None = None) -> None:
    """Build the site into a temporary folder, then swap it in whole: a failed build keeps the
    old site. MkDocs by default, Zensical with `site_builder = "zensical"`.

    `guide_only` builds the guide alone (see `guideonly`), into the same site/ folder unless
    `site_dir` names another (`followup publish --with-guide` builds it apart).
    """
    config_file = check_site_config(workspace)
    final = site_dir or workspace.site_dir
    fresh = final.with_name(f".{final.name}.new")
    shutil.rmtree(fresh, ignore_errors=True)
    zensical = workspace.config.site_builder == "zensical"
    # Inside the workspace: Zensical refuses a docs folder outside its configuration's folder.
    staging = Path(tempfile.mkdtemp(prefix=".followup-site-", dir=workspace.root)) if guide_only or zensical else None
    try:
        settings: dict[str, Any] = {}
        if staging is not None and guide_only:
            guideonly.stage_docs(workspace, staging / "docs")
            settings = guideonly.overrides(workspace, staging / "docs")
        if staging is not None and zensical:
            _zensical_build(config_file, fresh, settings, staging)
        else:
            _mkdocs_build(config_file, fresh, settings)
        replace_folder(fresh, final)
    except OSError as error:  # a full disk, a read-only folder: say which output, not which file
        where = workspace.relative(final)
        raise FollowupError(
            f"could not write the site into {where}/ ({error.strerror or error}); "
            f"the previous {where}/ is kept as it was"
        ) from None
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _snippets_from(docs_dir: str, extensions: Any) -> None:
    """Point the home page's snippet at `docs_dir` whatever the current folder (see `today`)."""
    if isinstance(extensions, dict) and isinstance(extensions.get(_SNIPPETS), dict):
        extensions[_SNIPPETS]["base_path"] = [docs_dir]


_SNIPPETS = "pymdownx.snippets"


def _mkdocs_build(config_file: Path, site_dir: Path, settings: dict[str, Any]) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    _show_mkdocs_warnings()
    try:
        mkdocs_config = load_config(str(config_file), site_dir=str(site_dir), **settings)
        _snippets_from(str(mkdocs_config["docs_dir"]), mkdocs_config["mdx_configs"])
        mkdocs_build(mkdocs_config)
    except (MkDocsException, SystemExit) as error:
        raise FollowupError(f"the site did not build: {error}") from None


def _zensical_build(config_file: Path, site_dir: Path, settings: dict[str, Any], scratch: Path) -> None:
    """Zensical reads mkdocs.yml but takes no settings on its command line: it gets a copy of
    the configuration that says where to build, and runs in `scratch`, where its cache goes."""
    import importlib.util
    import subprocess
    import sys

    import yaml
    from mkdocs.utils.yaml import yaml_load

    if importlib.util.find_spec("zensical") is None:
        raise FollowupError(
            'site_builder = "zensical" needs Zensical: pip install "interview-followup[zensical]"'
        )
    with open(config_file, encoding="utf-8") as stream:
        raw: dict[str, Any] = yaml_load(stream) or {}
    root = config_file.parent
    raw.update(settings)
    # Relative: this Zensical stops on an absolute docs_dir.
    raw["docs_dir"] = os.path.relpath((root / raw.get("docs_dir", "docs")).resolve(), root)
    raw["site_dir"] = str(site_dir)
    raw.pop("hooks", None)  # Zensical runs none; `followup build` has generated everything
    theme = raw.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str((root / theme["custom_dir"]).resolve())
    for extension in raw.get("markdown_extensions") or []:
        _snippets_from(str(root / raw["docs_dir"]), extension)
    # Zensical wants the docs and the site inside its configuration's folder: the copy sits in
    # the workspace, hidden, for the length of the build.
    copy = root / f"{scratch.name}.yml"
    copy.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    cache_dir = root / ".cache"  # Zensical's, beside its configuration; left only if it was there
    had_cache = cache_dir.exists()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "zensical", "build", "--strict", "--config-file", str(copy)],
            cwd=scratch, capture_output=True, text=True, check=False,
        )
    finally:
        copy.unlink(missing_ok=True)
        if not had_cache:
            shutil.rmtree(cache_dir, ignore_errors=True)
    if done.returncode != 0 or not (site_dir / "index.html").exists():
        said = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise FollowupError("the site did not build with Zensical: " + " / ".join(said))


def check_site_config(workspace: Workspace) -> Path:
    """The workspace's mkdocs.yml, or an error before anything is written."""
    config_file = workspace.root / "mkdocs.yml"
    if not config_file.is_file():
        raise FollowupError(f"no mkdocs.yml in {workspace.root}; the site needs one")
    return config_file


OUR_HOOK = "hooks/followup_hook.py"


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as data: `!!python/name:` and other tags become None, never objects."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def foreign_hooks(workspace: Workspace) -> list[str]:
    """Hooks in mkdocs.yml other than ours: Python files MkDocs runs, from wherever the
    workspace came from. Read before MkDocs loads (and so runs) them."""
    try:
        config = yaml.load((workspace.root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return []
    hooks = config.get("hooks") if isinstance(config, dict) else None
    if not isinstance(hooks, list):
        return [] if hooks is None else [str(hooks)]
    ours = (workspace.root / OUR_HOOK).resolve()
    return [str(h) for h in hooks if not isinstance(h, str) or (workspace.root / h).resolve() != ours]


@contextlib.contextmanager
def one_build_at_a_time(workspace: Workspace) -> Iterator[None]:
    """Hold the workspace's build lock (`.followup.lock`); a second build waits, then gives up."""
    lock = workspace.root / LOCK_FILE
    try:
        os.close(os.open(lock, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o666))
    except OSError:  # a read-only workspace: the build fails on its own outputs, or writes none
        writable = False
    else:
        writable = True
    if not writable:
        yield
        return
    try:
        with locked(lock, BUILD_WAIT):
            yield
    except Busy:
        raise FollowupError(
            f"another followup build is running in {workspace.root}; wait for it to finish and "
            "run this again"
        ) from None
