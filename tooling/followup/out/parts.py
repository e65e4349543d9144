"""Each application's share of the feed and the index, written once and kept (see `cache`)
while its notes, their short names, the configuration and today stay the same.

A build plans and writes again only the applications whose notes changed; the feed and
the index are then put together from every application's share, in the order a build
from nothing would write them (`plan.rules.order`, the applications' own order).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple, TypeVar

from followup.config import Config
from followup.errors import Problem
from followup.note.model import Interview
from followup.out import index
from followup.out.eventtext import EventText, event_text
from followup.out.feed import ended_on, spans
from followup.out.state import Revision
from followup.plan import checks
from followup.plan.applications import Stage, group
from followup.plan.progress import (
    Tally,
    figures,
    funnel,
    next_actions,
    per_month,
    row,
    row_order,
    stage_counts,
    tally,
    waits,
)
from followup.plan.rules import application_reminders, order

Order = tuple[float, str]  # `plan.rules.order`: when, then the UID
T = TypeVar("T")
Span = tuple[int, int]  # where a text is in the `Texts`: offset and length


class Texts:
    """The events and cards of every share, one after another (a file of the cache, see
    `cache.load_texts`). A share holds only where its texts are: a build loads the texts of
    the applications that did not change as one block of bytes, and copies them out as
    they are, never as thousands of objects."""

    def __init__(self, token: str, data: bytes = b"", start: int = 0) -> None:
        self.token = token  # names this store: shares made for another one are not used
        self.kept = memoryview(data)
        self.start = start  # the first offset a text may have (the file's own header)
        self.base = max(len(data), start)  # where the texts added by this build begin
        self.new = bytearray()
        self._frozen: memoryview | None = None  # `new` as read, until something is added

    @property
    def size(self) -> int:
        return self.base + len(self.new)

    def add(self, text: bytes | memoryview) -> Span:
        offset = self.base + len(self.new)  # `extend`, without a second call: tens of thousands
        self.new += text
        self._frozen = None
        return (offset, len(text))

    def extend(self, block: bytes | memoryview) -> int:
        """Add texts written one after another elsewhere; the offset of the first."""
        offset = self.size
        self.new += block
        self._frozen = None
        return offset

    def all(self, spans: Iterable[Span]) -> list[bytes | memoryview]:
        """The texts at these spans (in a loop of its own: a feed has tens of thousands)."""
        if self._frozen is None:  # a copy: a bytearray cannot grow while a view of it lives
            self._frozen = memoryview(bytes(self.new))
        kept, new, base = self.kept, self._frozen, self.base
        return [
            kept[offset : offset + length] if offset < base else new[offset - base : offset - base + length]
            for offset, length in spans
        ]

    def holds(self, part: Part) -> bool:
        """Whether every text of the share is in this store."""
        end = len(self.kept)
        return all(
            self.start <= offset and offset + length <= end
            for _, (offset, length) in (*part.events, *part.cards)
        )


class Part(NamedTuple):
    """One application's share of the outputs, as plain values (a tuple: thousands are
    loaded on every build)."""

    fingerprint: str  # what it was made from (see `fingerprint`)
    first: tuple[datetime, str]  # its first round's sort key: the order of applications
    rounds: int
    events: tuple[tuple[Order, Span], ...]  # its VEVENTs in the feed's window, in `Texts`
    zones: tuple[tuple[str, date, date], ...]  # zones its events' times use: first and last day
    warnings: tuple[Problem, ...]  # what `checks` finds in its rounds
    stage: Stage
    row: tuple[tuple[bool, float], str]  # its place among the rows (`row_order`), and its row
    cards: tuple[tuple[Order, Span], ...]  # its next actions, in `Texts`
    overdue: int
    missed: tuple[tuple[Order, str], ...]
    tally: Tally


def fingerprint(application: str, notes: Iterable[tuple[str, object, str]], settings: str) -> str:
    """What an application's share is made from: its notes' paths, stamps and short names,
    and `settings` (the code, the configuration, today)."""
    digest = hashlib.sha256(f"{settings}\0{application}".encode())
    for path, stamp, name in notes:
        digest.update(f"\0{path}\0{stamp}\0{name}".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Draft:
    """A share planned but not written yet: its events wait for their revisions."""

    part: Part  # every field but `events` and `cards`
    texts: tuple[EventText, ...]
    orders: tuple[Order, ...]
    cards: tuple[tuple[Order, str], ...]


def draft(
    key: str,
    rounds: Sequence[Interview],
    config: Config,
    today: date,
    names: Mapping[str, str],
    window_start: date,
) -> Draft | None:
    """Plan one application (`rounds` as read from its notes) and write its index lines;
    its events are written once their revisions are known (`finish`). None when the notes
    are no longer the application `key` (one changed while it was read: the next build
    sees it)."""
    found = group(rounds)
    if len(found) != 1 or found[0].key != key:
        return None
    application = found[0]
    due, late = application_reminders(application, config, today)
    when = {id(r): order(r) for r in (*due, *late)}  # computed once: it asks the zone
    due.sort(key=lambda r: when[id(r)])
    late.sort(key=lambda r: when[id(r)])
    shown = [r for r in due if ended_on(r) >= window_start]
    zone = config.timezone
    actions = next_actions(due, today)
    the_row = row(application, actions, config, today)
    part = Part(
        fingerprint="",
        first=application.rounds[0].sort_key,
        rounds=len(rounds),
        events=(),
        zones=tuple((zone, *days) for zone, days in spans(shown).items()),
        warnings=tuple(checks.check(tuple(rounds), today)),
        stage=the_row.stage,
        row=(row_order(the_row.stage, application), index.row_line(the_row, zone)),
        cards=(),
        overdue=sum(1 for r in actions if r.is_overdue(today)),
        missed=tuple((when[id(r)], index.missed_line(r, zone)) for r in late),
        tally=tally(application, today),
    )
    return Draft(
        part,
        tuple(event_text(r, config) for r in shown),
        tuple(when[id(r)] for r in shown),
        tuple((when[id(r)], index.action_card(r, today, zone, names)) for r in actions),
    )


def finish(
    made: Draft,
    fingerprint: str,
    stamp: datetime,
    revision: Callable[[EventText], Revision | None],
    texts: Texts,
) -> Part:
    """The share with its events written, each with its revision, and its cards, into `texts`."""
    events = tuple(
        (when, texts.add(text.render(stamp, revision(text)).encode("utf-8")))
        for when, text in zip(made.orders, made.texts, strict=True)
    )
    cards = tuple((when, texts.add(card.encode("utf-8"))) for when, card in made.cards)
    return made.part._replace(fingerprint=fingerprint, events=events, cards=cards)


def moved(part: Part, old: Texts, new: Texts) -> Part:
    """The share with its texts copied from `old` into `new`."""
    events, cards = old.all(span for _, span in part.events), old.all(span for _, span in part.cards)
    return part._replace(
        events=tuple((when, new.add(text)) for (when, _), text in zip(part.events, events, strict=True)),
        cards=tuple((when, new.add(text)) for (when, _), text in zip(part.cards, cards, strict=True)),
    )


def shifted(part: Part, by: int) -> Part:
    """The share with its texts `by` bytes further on (its store's block added to another)."""
    return part._replace(
        events=tuple((when, (offset + by, length)) for when, (offset, length) in part.events),
        cards=tuple((when, (offset + by, length)) for when, (offset, length) in part.cards),
    )


def zones(parts: Iterable[Part]) -> dict[str, tuple[date, date]]:
    """Every zone the feed's events use, with the first and the last day they use it."""
    spans: dict[str, tuple[date, date]] = {}
    for part in parts:
        for zone, first, last in part.zones:
            before = spans.get(zone)
            spans[zone] = (min(first, before[0]), max(last, before[1])) if before else (first, last)
    return dict(sorted(spans.items()))


def events(parts: Iterable[Part], texts: Texts) -> list[bytes | memoryview]:
    """Every event of the feed, soonest first."""
    return texts.all(_merged(part.events for part in parts))


def index_content(parts: Sequence[Part], today: date, texts: Texts) -> index.Content:
    """The progress page's content from the shares, `parts` in the applications' order."""
    rows = sorted((part.row for part in parts), key=lambda found: found[0])
    tallies = [part.tally for part in parts]
    return index.Content(
        today=today,
        counts=stage_counts(part.stage for part in parts),
        overdue=sum(part.overdue for part in parts),
        cards=b"\n".join(texts.all(_merged(part.cards for part in parts))).decode("utf-8"),
        missed=_merged(part.missed for part in parts),
        rows=[line for _, line in rows],
        figures=figures(tallies),
        per_month=per_month(tallies, today),
        funnel=funnel(tallies),
        waits=waits(tallies),
    )


def _merged(shares: Iterable[tuple[tuple[Order, T], ...]]) -> list[T]:
    found = [item for share in shares for item in share]
    found.sort(key=lambda item: item[0])
    return [text for _, text in found]
