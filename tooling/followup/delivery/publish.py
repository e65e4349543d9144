"""The public bundle: only what a calendar app needs from the web, and the two ways to put it there.

Google Calendar, Outlook.com and iCloud fetch a subscribed feed from their own servers and
cannot log in, so the feed must sit on a public host under an unguessable name. The bundle
holds that feed (and the task feed when it is on), a robots.txt that turns crawlers away, an
index page that names nobody, and `.nojekyll`; with `with_guide`, the guide-only site too.
Never the private site, the progress page, an interview page, a sitemap or a search index.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from followup.errors import FollowupError
from followup.feed.names import feed_names, rotate, weak_secret
from followup.feed.state import load_state
from followup.fsutil import write_if_changed
from followup.note.model import Interview
from followup.workspace import Workspace

# The first line tells a later publish that it made the folder (see `write_dir`).
ROBOTS = b"# Published by followup: nothing here is for crawlers.\nUser-agent: *\nDisallow: /\n"
INDEX = b"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex, nofollow">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Nothing here</title>
</head>
<body>
<p>There is nothing to see here.</p>
</body>
</html>
"""
# Files of the guide-only site that a public copy leaves out: maps and indexes for crawlers.
_GUIDE_LEFT_OUT = (
    "sitemap.xml", "sitemap.xml.gz", "search/search_index.json", "search/search_index.js",
)


@dataclass(frozen=True, slots=True)
class Bundle:
    """The files to publish, by path inside the bundle, and what the build warned about."""

    files: Mapping[str, bytes]
    warnings: tuple[str, ...]


def feed_secret(root: Path) -> str:
    """The feed's secret name, made on the first publish; a guessable one is refused."""
    state = load_state(root)
    secret = state.feed_secret or rotate(root).feed_secret
    if weak_secret(secret):
        raise FollowupError(
            "the feed's secret name in followup-state.json is guessable; run `followup feed rotate` "
            "to give it a random one, then publish again"
        )
    return secret


def make_bundle(
    workspace: Workspace, secret: str, *, guide_site: Path | None, warnings: tuple[str, ...] = ()
) -> Bundle:
    """The bundle from the feeds a build just wrote (and the guide-only site, when built)."""
    config = workspace.config
    names = feed_names(config, secret)
    files: dict[str, bytes] = {}
    if guide_site is not None:
        files.update(_read_tree(guide_site, skip=_GUIDE_LEFT_OUT))
    else:
        files["index.html"] = INDEX
    files["robots.txt"] = ROBOTS
    files[".nojekyll"] = b""
    files[names.events] = (workspace.docs_dir / names.events).read_bytes()
    if config.tasks_feed:
        files[names.tasks] = (workspace.docs_dir / names.tasks).read_bytes()
    return Bundle(dict(sorted(files.items())), warnings)


@dataclass(frozen=True, slots=True)
class Exposure:
    """What the published feeds let anyone with their address read."""

    events: int
    companies: tuple[str, ...]
    people: tuple[str, ...]
    emails: int
    links: int
    phones: int

    def sentences(self, *, minimal: bool) -> list[str]:
        """What it carries, in words, and how to carry less."""
        shown = ", ".join(self.people[:3]) + (f" and {len(self.people) - 3} more" if len(self.people) > 3 else "")
        parts = [f"{len(self.companies)} compan{'y' if len(self.companies) == 1 else 'ies'}"]
        if self.people:
            parts.append(f"{len(self.people)} people by name ({shown})")
        parts += [f"{count} {what}" for count, what in (
            (self.emails, "email address(es)"), (self.links, "web link(s)"), (self.phones, "phone number(s)"),
        ) if count]
        said = [f"Anyone with the feed's address can read its {self.events} event(s): " + ", ".join(parts) + "."]
        if not minimal:
            said.append("minimal_details = true in followup.toml publishes only each reminder's kind and company.")
        return said


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINK = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_READ = ("SUMMARY", "DESCRIPTION", "LOCATION", "ATTENDEE", "ORGANIZER", "URL", "COMMENT", "CONTACT")


def exposure(bundle: Bundle, interviews: tuple[Interview, ...]) -> Exposure:
    """What the bundle's feeds show of these notes, read back with a calendar parser."""
    import icalendar

    texts: list[str] = []
    events = 0
    for name, data in bundle.files.items():
        if not name.endswith(".ics"):
            continue
        for component in icalendar.Calendar.from_ical(data).walk():
            if component.name in ("VEVENT", "VTODO"):
                events += 1
                texts += [str(value) for key in _READ for value in _values(component, key)]
    text = "\n".join(texts)
    people = {p for i in interviews for p in (*i.interviewers, i.recruiter, i.contact) if p is not None}
    named = sorted({p.name for p in people if p.name and p.name in text})
    return Exposure(
        events=events,
        companies=tuple(sorted({i.company for i in interviews if i.company in text})),
        people=tuple(named),
        emails=len({m.casefold() for m in _EMAIL.findall(text)}),
        links=len(set(_LINK.findall(text))),
        phones=len({p.phone for p in people if p.phone and p.phone in text}),
    )


def _values(component: Any, key: str) -> list[Any]:
    found = component.get(key)
    return [] if found is None else found if isinstance(found, list) else [found]


def _read_tree(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    found = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_file() and name not in skip:
            found[name] = path.read_bytes()
    return found


def made_by_us(folder: Path) -> bool:
    """An empty or missing folder, or one an earlier publish wrote (its robots.txt says so)."""
    if not folder.exists() or not any(folder.iterdir()):
        return True
    try:
        return (folder / "robots.txt").read_bytes().startswith(ROBOTS.split(b"\n", 1)[0])
    except OSError:
        return False


def write_dir(bundle: Bundle, target: Path) -> int:
    """Make `target` hold exactly the bundle; returns how many files were written or removed.

    Each file is replaced atomically, so a host serving the folder never sees half a feed. A
    link found in the folder is removed, never written through: the bundle's files land in
    the folder itself, not wherever a link would send them."""
    if target.is_symlink():
        raise FollowupError(f"{target} is a link; --dir needs a folder of its own")
    if target.exists() and not target.is_dir():
        raise FollowupError(f"{target} is a file; --dir needs a folder")
    if not made_by_us(target):
        raise FollowupError(
            f"{target} is not empty and was not made by `followup publish`; name a new or empty "
            "folder, so that nothing of yours is deleted"
        )
    changed = 0
    if target.is_dir():
        for folder, names, files in os.walk(target, topdown=False, followlinks=False):
            for name in [*files, *names]:
                path = Path(folder) / name
                shown = path.relative_to(target).as_posix()
                if path.is_symlink() or (name in files and shown not in bundle.files):
                    path.unlink()
                    changed += 1
                elif name in names and not any(path.iterdir()):
                    path.rmdir()
    for name, data in bundle.files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        changed += write_if_changed(path, data)
    return changed


# The public branch names no one: not the user's git identity either.
_IDENTITY = {
    "GIT_AUTHOR_NAME": "followup",
    "GIT_AUTHOR_EMAIL": "followup@invalid",
    "GIT_COMMITTER_NAME": "followup",
    "GIT_COMMITTER_EMAIL": "followup@invalid",
}


@dataclass(frozen=True, slots=True)
class Pushed:
    """What `push_git` did: whether it pushed, and the feeds the branch held before that it
    no longer does (an earlier secret name, after `followup feed rotate`)."""

    pushed: bool
    replaced: tuple[str, ...] = ()


def push_git(bundle: Bundle, remote: str, branch: str) -> Pushed:
    """Push one commit without a parent, holding the bundle alone, to `remote`'s `branch`.

    Nothing is pushed when the branch already holds exactly this bundle. The workspace need
    not be a git repository: the commit is made in a temporary one. The commit the branch held
    before is no longer on it, but a host may keep it (and the files in it) until it cleans up."""
    if Path(remote).exists():  # a local path, from where the command was run, not from git's folder
        remote = str(Path(remote).resolve())
    with tempfile.TemporaryDirectory(prefix="followup-publish-") as folder:
        tree_dir = Path(folder)
        for name, data in bundle.files.items():
            path = tree_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        git = _Git(tree_dir)
        git("init", "-q")
        git("add", "--all", "--force", ".")
        tree = git("write-tree")
        before = _remote_tree(git, remote, branch)
        if before == tree:
            return Pushed(pushed=False)
        held = git("ls-tree", "--name-only", before).splitlines() if before else []
        commit = git("commit-tree", tree, "-m", "Publish the calendar feed")
        git("push", "-q", "--force", remote, f"{commit}:refs/heads/{branch}")
    replaced = tuple(name for name in held if name.endswith(".ics") and name not in bundle.files)
    return Pushed(pushed=True, replaced=replaced)


def _remote_tree(git: _Git, remote: str, branch: str) -> str:
    """The tree of the branch's commit on the remote, or '' when there is no such branch."""
    if not git("ls-remote", "--heads", remote, f"refs/heads/{branch}"):
        return ""
    git("fetch", "-q", "--no-tags", "--depth=1", remote, f"refs/heads/{branch}")
    return git("rev-parse", "FETCH_HEAD^{tree}")


@dataclass(frozen=True, slots=True)
class _Git:
    """`git` run in one folder, with its errors turned into messages a user can act on."""

    folder: Path

    def __call__(self, *args: str) -> str:
        command = ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args]
        env = {**os.environ, **_IDENTITY, "GIT_TERMINAL_PROMPT": "0"}
        if "SOURCE_DATE_EPOCH" in os.environ:  # a reproducible commit, as for the feed
            stamp = f"{os.environ['SOURCE_DATE_EPOCH']} +0000"
            env |= {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        if shutil.which("git") is None:
            raise FollowupError("git is not installed; install it, or publish with --dir instead")
        try:
            done = subprocess.run(
                command, cwd=self.folder, env=env, capture_output=True, text=True, timeout=300,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            raise FollowupError(f"git {args[0]} took more than 5 minutes; check the remote") from None
        if done.returncode != 0:
            lines = done.stderr.strip().splitlines()
            fatal = [line for line in lines if line.startswith(("fatal:", "error:"))]
            detail = (fatal or lines or [f"exit status {done.returncode}"])[0]
            raise FollowupError(
                f"git {args[0]} failed ({detail}); check that the remote is a git URL or path "
                "you can push to"
            )
        return done.stdout.strip()
