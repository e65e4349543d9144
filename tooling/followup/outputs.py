"""A build with something to do: the notes that changed read again, their applications
planned again (`out.parts`), then the feed, the index, the state file and the pages written,
each only when its content changed.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from followup import cache, loading, parallel
from followup.clock import Clock
from followup.config import CONFIG_FILE, Config
from followup.errors import FollowupError, NotesInvalid
from followup.fsutil import write_if_changed
from followup.note.catalog import Catalog, Entry, catalog
from followup.note.files import Stamp
from followup.note.model import Interview
from followup.note.read import NoteSet, Parsing, read_body
from followup.out import eventtext, feed, index, parts, revisions
from followup.out import state as state_file
from followup.out.eventtext import EventText, event_uid
from followup.out.feed import build_stamp
from followup.out.parts import Part, Texts
from followup.out.state import Ledger, Revision
from followup.out.subscription import FeedNames, feed_names, remove_stale_feeds
from followup.plan import checks
from followup.plan.progress import progress
from followup.plan.rules import Plan, plan
from followup.plan.shortnames import short_names_later
from followup.report import BuildReport
from followup.workspace import GENERATED_BOARD, GENERATED_SUBSCRIBE, GENERATED_TODAY, Workspace


def write(
    workspace: Workspace,
    clock: Clock,
    stamps: Mapping[str, Stamp],
    last: cache.LastBuild | None,
    *,
    pages_too: bool,
    keep_going: bool = False,
) -> tuple[BuildReport, list[Path]]:
    """Write the feed and the index (and the interview pages), each file only when its
    content changed; the report, and the files written (or left as they were). `last` is
    the last build, when its outputs are as it left them."""
    today = clock.today
    config = workspace.config
    root, zone = workspace.root, config.timezone
    kept = cache.load_catalog(root, zone)
    known = kept.entries
    notes = catalog(stamps, workspace.notes_dir, root, zone, known)
    if notes.errors and not keep_going:
        raise NotesInvalid(list(notes.problems))
    names_later = _short_names(workspace, stamps, notes)
    try:  # the state file is read while the short names are found on the other cores
        ledger, same_state = _ledger(root)
    finally:
        names, same_names = names_later()
    settings = cache.fingerprint("", [root / CONFIG_FILE], zone, today)
    if last and known and same_state and same_names and not (pages_too or config.tasks_feed):
        quiet = _quiet_change(workspace, clock, notes, kept, names, ledger, settings, last)
        if quiet is not None:
            return quiet
    cache.forget_made(root)  # until every share is written again
    cache.save_catalog(root, zone, notes.entries, kept)
    if not known:  # a first build: `status` and `done` find the notes parsed
        cache.save_notes(root, zone, cache.NotesCache({}, ()), Parsing(notes.parsed, (), notes.batches))
    # Every note parsed, from the cache of parsed notes: read at most once, when needed.
    every_note = functools.cache(lambda: loading.read(workspace, keep_going=True, stamps=stamps))
    texts, before = _kept_shares(root, same_state=same_state)
    shares, made = _shares(notes, before, names, settings, workspace, clock, ledger, texts, every_note)
    texts, shares = _compacted(texts, shares)
    ordered = sorted(shares.values(), key=lambda part: part.first)
    warnings = sorted([*checks.config_warnings(config), *(w for part in ordered for w in part.warnings)])
    zones = parts.zones(ordered)
    feeds = feed_names(config, ledger.feed_secret)
    writer = _Writer(workspace, ledger.feed_secret)
    # The shares are kept in the cache while the outputs are written (tens of megabytes).
    with parallel.aside(functools.partial(_save_shares, root, texts, shares, made), worth_it=len(made) >= _FORK_FROM):
        outputs, too_big = _feed_and_index(workspace, today, ordered, texts, zones, feeds, writer)
        if config.tasks_feed or pages_too:
            outputs += _whole_plan_outputs(workspace, today, ledger, feeds, names, every_note, writer,
                                           pages_too=pages_too)
        _keep_state(workspace, ledger, outputs)
    # Last, once every output is written and every share kept: what a quiet change trusts.
    cache.save_made(root, settings, tuple(warnings), eventtext.known(config, zones))
    report = BuildReport(
        interviews=sum(part.rounds for part in ordered),
        events=sum(len(part.events) for part in ordered),
        problems=notes.problems + tuple(warnings),
        skipped=tuple(sorted({p.path for p in notes.errors})),
        written=tuple(writer.written),
        feed="" if feeds.secret else workspace.relative(workspace.docs_dir / feeds.events),
        warnings=(too_big,) if too_big else (),
    )
    return report, outputs


def _keep_state(workspace: Workspace, ledger: Ledger, outputs: Sequence[Path]) -> None:
    """Write the state file when it changed, keep its entries in the cache, and remove the
    feeds of an earlier secret (`outputs` holds the ones written now)."""
    data = ledger.dump()
    write_if_changed(state_file.state_path(workspace.root), data)
    remove_stale_feeds(workspace.docs_dir, workspace.config, {p.name for p in outputs})
    cache.save_ledger(workspace.root, cache.file_digest(data), ledger.entries, ledger.feed_secret)


def _feed_and_index(
    workspace: Workspace,
    today: date,
    ordered: Sequence[Part],
    texts: Texts,
    zones: Mapping[str, tuple[date, date]],
    feeds: FeedNames,
    writer: _Writer,
) -> tuple[list[Path], str]:
    """Write the feed and the index from the shares, one at a time, each let go once written
    (a large feed is tens of megabytes); the files, and a warning when the feed is too large."""
    from followup.out import vcalendar  # icalendar: a build that writes no feed never loads it

    feed_data = vcalendar.assemble(zones, workspace.config, parts.events(ordered, texts))
    outputs = [writer(workspace.docs_dir / feeds.events, feed_data)]
    too_big = feed.size_warning(len(feed_data))
    del feed_data
    outputs.append(writer(workspace.index_path, index.page(parts.index_content(ordered, today, texts))))
    return outputs, too_big


def _save_shares(root: Path, texts: Texts, shares: Mapping[str, Part], made: Iterable[str]) -> None:
    """Keep in the cache the shares that changed and their new texts (see `cache`)."""
    cache.save_texts(root, texts.token, len(texts.kept), texts.new)
    cache.save_parts(root, texts.token, shares, made if texts.kept else shares.keys())


def _ledger(root: Path) -> tuple[Ledger, bool]:
    """The state file, and whether it is what the last build wrote (its entries then come
    from the cache, and so may the applications' shares)."""
    try:
        data = state_file.state_path(root).read_bytes()
    except FileNotFoundError:
        data = b""
    kept = cache.load_ledger(root, cache.file_digest(data)) if data else None
    if kept is not None:
        return Ledger(*kept, cached_in=cache.cache_dir(root)), True
    return Ledger.of(state_file.load_state(root)), False


def _kept_shares(root: Path, *, same_state: bool) -> tuple[Texts, dict[str, Part]]:
    """The store of texts and the shares the last build kept in it; none (and a new store)
    when the state file is not what that build wrote: the events' revisions may differ."""
    token, data = cache.load_texts(root)
    if not same_state or not data:
        return Texts(cache.new_token(), b"", cache.TEXTS_START), {}
    texts = Texts(token, data, cache.TEXTS_START)
    return texts, {key: part for key, part in cache.load_parts(root, token).items() if texts.holds(part)}


def _compacted(texts: Texts, shares: dict[str, Part]) -> tuple[Texts, dict[str, Part]]:
    """The store, written anew with only the texts in use once they are less than half of it."""
    used = sum(length for part in shares.values() for _, (_, length) in (*part.events, *part.cards))
    if not texts.kept or texts.size <= 2 * used + 1_000_000:
        return texts, shares
    fresh = Texts(cache.new_token(), b"", cache.TEXTS_START)
    return fresh, {key: parts.moved(part, texts, fresh) for key, part in shares.items()}


@dataclass(frozen=True)
class _Making:
    """What making any application's share needs besides its notes."""

    config: Config
    today: date
    names: Mapping[str, str]
    window: date  # the first day an interview may have ended on and stay in the feed
    stamp: datetime  # DTSTAMP of an event never seen before
    now: datetime  # LAST-MODIFIED of an event that changed


def _making(config: Config, clock: Clock, names: Mapping[str, str]) -> _Making:
    today = clock.today
    return _Making(config, today, names, feed.window_start(config, today), build_stamp(today), clock.changed)


def _mark(notes: Catalog, key: str, names: Mapping[str, str], settings: str) -> str:
    """The fingerprint of what the application's share is made from (see `parts.fingerprint`)."""
    paths = notes.rounds[key]
    return parts.fingerprint(key, ((p, notes.entries[p].stamp, names.get(p, "")) for p in paths), settings)


def _quiet_change(
    workspace: Workspace,
    clock: Clock,
    notes: Catalog,
    known: cache.KeptCatalog,
    names: Mapping[str, str],
    ledger: Ledger,
    settings: str,
    last: cache.LastBuild,
) -> tuple[BuildReport, list[Path]] | None:
    """The build, when the notes that changed leave every output as it is (a line added to
    a note's free text, a fact no reminder shows): their applications are planned again and
    compared with their kept shares, and nothing else is loaded or written but the catalog
    and those shares. None when an output would change, or what was kept cannot tell; the
    whole build then follows."""
    root = workspace.root
    made_with = cache.load_made(root)
    token = cache.texts_token(root)
    if made_with is None or made_with[0] != settings or token is None:
        return None
    eventtext.remember(made_with[2])  # icalendar is not needed for the few events made here
    touched = _touched(notes, known.entries)
    if touched is None or not touched <= notes.rounds.keys():
        return None
    kept = cache.load_parts(root, token, touched)
    marks = {key: _mark(notes, key, names, settings) for key in touched}
    rounds = {key: notes.interviews(notes.rounds[key], workspace.config.timezone, {}) for key in touched}
    fresh = Texts("")
    made = _made(rounds, marks, _making(workspace.config, clock, names), ledger, fresh)
    for key in touched:
        before, now = kept.get(key), made.get(key)
        if before is None or now is None or not _same_outputs(before, now, root, token, fresh):
            return None
        kept[key] = before._replace(fingerprint=now.fingerprint)  # its texts are the same
    cache.save_catalog(root, workspace.config.timezone, notes.entries, known)
    cache.save_parts(root, token, kept, touched)
    quiet = replace(
        last.report,
        problems=notes.problems + made_with[1],
        skipped=tuple(sorted({p.path for p in notes.errors})),
        written=(),
    )
    return quiet, last.outputs


def _touched(notes: Catalog, known: Mapping[str, Entry]) -> set[str] | None:
    """The applications of the notes that changed since the last build; None when a note
    was added, removed or renamed, or its page name changed (other applications may then
    change: see `note.read.clashes`)."""
    if len(known) != len(notes.entries):
        return None
    touched: set[str] = set()
    for path, entry in notes.entries.items():
        before = known.get(path)
        if before is entry:  # kept from the last build's catalog
            continue
        if before is None or before.slug != entry.slug:
            return None
        touched.update(key for key in (before.application, entry.application) if key)
    return touched


def _same_outputs(before: Part, now: Part, root: Path, token: str, fresh: Texts) -> bool:
    """Whether a share made now says exactly what the kept one does, texts included."""
    if before._replace(fingerprint="", events=(), cards=()) != now._replace(fingerprint="", events=(), cards=()):
        return False
    pieces = (*before.events, *before.cards), (*now.events, *now.cards)
    if [when for when, _ in pieces[0]] != [when for when, _ in pieces[1]]:
        return False
    kept = cache.read_spans(root, token, (span for _, span in pieces[0]))
    return kept is not None and kept == [bytes(text) for text in fresh.all(span for _, span in pieces[1])]


def _shares(
    notes: Catalog,
    before: Mapping[str, Part],
    names: Mapping[str, str],
    settings: str,
    workspace: Workspace,
    clock: Clock,
    ledger: Ledger,
    texts: Texts,
    every_note: Callable[[], NoteSet],
) -> tuple[dict[str, Part], set[str]]:
    """Every application's share: kept from the last build when made from the same notes,
    names and settings, else made now (on every core when there are many), its events'
    revisions recorded in `ledger`. Also the applications whose share was made or is gone."""
    making = _making(workspace.config, clock, names)
    marks = {key: _mark(notes, key, names, settings) for key in notes.rounds}
    shares = {key: kept for key, mark in marks.items() if (kept := before.get(key)) and kept.fingerprint == mark}
    rounds = _rounds_to_read(notes, [key for key in marks if key not in shares], workspace.config.timezone, every_note)
    made = _made_forked(rounds, marks, making, ledger, texts)
    if made is None:
        made = _made(rounds, marks, making, ledger, texts)
    shares.update(made)
    return shares, set(made) | (before.keys() - shares.keys())


def _made(
    rounds: Mapping[str, list[Interview]], marks: Mapping[str, str], making: _Making, ledger: Ledger, texts: Texts
) -> dict[str, Part]:
    """The shares of these applications, made one after another."""

    def revision(text: EventText) -> Revision | None:
        seen = ledger.seen(text.uid)
        changed = revisions.update(seen, text, making.now)
        if changed is not None:
            ledger.record(text.uid, changed)
        found = changed or seen
        return found.revision() if found else None

    shares = {}
    for key, found in rounds.items():
        drafted = parts.draft(key, found, making.config, making.today, making.names, making.window)
        if drafted is not None:
            shares[key] = parts.finish(drafted, marks[key], making.stamp, revision, texts)
    return shares


# Making a share costs about 0.4 ms: forking pays from this many applications on.
_FORK_FROM = 1000
# What the forked processes read: set just before they start (they see the parent's memory).
_FORKED: tuple[Mapping[str, list[Interview]], Mapping[str, str], _Making, Ledger] | None = None


def _made_forked(
    rounds: Mapping[str, list[Interview]], marks: Mapping[str, str], making: _Making, ledger: Ledger, texts: Texts
) -> dict[str, Part] | None:
    """The shares made on every core, or None when one process is better (see `parallel`)."""
    global _FORKED
    workers = parallel.processes(len(rounds), _FORK_FROM)
    if workers == 1:
        return None
    _FORKED = (rounds, marks, making, ledger)
    shares: dict[str, Part] = {}
    try:
        for data in parallel.forked_map(_make_piece, parallel.chunks(list(rounds), workers), workers):
            made, written, recorded = pickle.loads(data)
            ledger.entries.update(recorded)
            base = texts.extend(written)
            shares.update((key, parts.shifted(part, base)) for key, part in made.items())
    finally:
        _FORKED = None
    return shares


def _make_piece(keys: list[str]) -> bytes:
    """In a forked process: the shares of these applications, each with its texts, and the
    state entries they recorded (each event belongs to one application: none clash)."""
    assert _FORKED is not None
    rounds, marks, making, ledger = _FORKED
    ledger.recorded = {}
    texts = Texts("")
    made = _made({key: rounds[key] for key in keys}, marks, making, ledger, texts)
    return pickle.dumps((made, bytes(texts.new), ledger.recorded), protocol=pickle.HIGHEST_PROTOCOL)


# Past this many notes to read again (a new day, a new configuration: every application is
# planned again), the cache of parsed notes is loaded whole rather than each note parsed.
_READ_ALL_FROM = 300


def _rounds_to_read(
    notes: Catalog, keys: list[str], zone: str, every_note: Callable[[], NoteSet]
) -> dict[str, list[Interview]]:
    """The notes of these applications as read, by application."""
    wanted = [path for key in keys for path in notes.rounds[key] if path not in notes.parsed]
    read: dict[str, Interview] = {}
    if len(wanted) >= _READ_ALL_FROM:
        read = {i.path: i for i in every_note().interviews}
    return {key: notes.interviews(notes.rounds[key], zone, read) for key in keys}


def _whole_plan_outputs(
    workspace: Workspace,
    today: date,
    ledger: Ledger,
    feeds: FeedNames,
    names: Mapping[str, str],
    every_note: Callable[[], NoteSet],
    writer: _Writer,
    *,
    pages_too: bool,
) -> list[Path]:
    """The outputs made from the whole plan at once: the task feed, the board, the Today
    panel and the interview pages."""
    # Their writers are loaded only here: the task feed's imports icalendar.
    from followup.out import board, tasks
    from followup.out import today as today_panel

    config = workspace.config
    planned = plan(every_note().interviews, config, today)
    outputs = []
    if config.tasks_feed:
        shown = feed.in_window(planned, config, today)
        found = {uid: seen.revision() for r in shown.reminders
                 if (seen := ledger.seen(uid := event_uid(r, minimal=config.minimal_details)))}
        outputs.append(writer(workspace.docs_dir / feeds.tasks, tasks.render(shown, config, today, found)))
    if pages_too:
        the_progress = progress(planned, config, today)
        outputs.append(writer(workspace.docs_dir / GENERATED_BOARD, board.render(the_progress)))
        outputs.append(writer(workspace.docs_dir / GENERATED_TODAY, today_panel.render(the_progress)))
        outputs += [writer(path, text) for path, text in _pages(workspace, planned, today, feeds, names)]
        _remove_stale_pages(workspace.pages_dir, set(outputs))
    return outputs


class _Writer:
    """Writes an output when its content changed, and remembers which ones it wrote."""

    def __init__(self, workspace: Workspace, secret: str) -> None:
        self.workspace, self.secret = workspace, secret
        self.written: list[str] = []

    def __call__(self, path: Path, content: str | bytes) -> Path:
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        try:
            changed = write_if_changed(path, data)
        except OSError as error:
            shown = self.shown(path)
            raise FollowupError(f"could not write {shown} ({error.strerror or error}); it is as it was") from None
        if changed:
            self.written.append(self.shown(path))
        return path

    def shown(self, path: Path) -> str:
        """The path as messages show it: the feed's secret name kept out (`followup feed url` shows it)."""
        shown = self.workspace.relative(path)
        return shown.replace(self.secret, "<secret>") if self.secret else shown


def _short_names(
    workspace: Workspace, files: Iterable[str], notes: Catalog
) -> Callable[[], tuple[dict[str, str], bool]]:
    """`{note path as Interview.path: short name}` for every note file, valid or not, and
    whether they are the last build's (worked out for the same notes and companies); given
    by the function returned, since finding them anew may go on in other processes."""
    root, folder = f"{workspace.root}{os.sep}", f"{workspace.notes_dir}{os.sep}"
    inside = {
        path.removeprefix(root).replace(os.sep, "/"): path.removeprefix(folder).replace(os.sep, "/")
        for path in files
    }
    kept = {path for paths in notes.rounds.values() for path in paths}
    entries = notes.entries
    pairs = [(name, entries[path].company if path in kept else "") for path, name in inside.items()]
    key = hashlib.sha256("".join(f"{name}\0{company}\n" for name, company in pairs).encode()).hexdigest()
    short = cache.cached_names(workspace.root, key)
    if short is not None and short.keys() == {name for name, _ in pairs}:
        last = short
        return lambda: ({path: last[name] for path, name in inside.items()}, True)
    pending = short_names_later(pairs)

    def found() -> tuple[dict[str, str], bool]:
        made = pending()
        cache.remember_names(workspace.root, key, made)
        return {path: made[name] for path, name in inside.items()}, False

    return found


def _pages(
    workspace: Workspace, planned: Plan, today: date, feeds: FeedNames, names: Mapping[str, str]
) -> Iterator[tuple[Path, str]]:
    """The subscribe page and one page per interview, made one at a time."""
    from followup.note import body as notebody
    from followup.out import pages

    config = workspace.config
    shown = not feeds.secret or config.show_feed_address
    yield workspace.docs_dir / GENERATED_SUBSCRIBE, pages.subscribe_page(
        config,
        feeds.events if shown else "",
        tasks_address=feeds.tasks if shown and config.tasks_feed else "",
    )
    for interview in (i for a in planned.applications for i in a.rounds):
        body = notebody.embed(read_body(workspace.root / interview.path, interview.path))
        yield workspace.pages_dir / f"{interview.slug}.md", pages.interview_page(
            interview, planned, today, body, names=names, config=config
        )


def _remove_stale_pages(folder: Path, wanted: set[Path]) -> None:
    if not folder.is_dir():
        return
    for path in folder.rglob("*.md"):
        if path not in wanted:
            path.unlink()

