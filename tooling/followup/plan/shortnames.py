"""The shortest name of each note that `followup done NOTE …` finds unambiguously.

It follows `edit.find_note`: an exact file stem or company wins, otherwise any part of the
note's path (inside interviews/) or of its company, case-insensitive. Candidates are the
company when it is one word, then the file name's words and runs of words, then the path.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

_WORD = re.compile(r"[a-z0-9][a-z0-9._]*")


def short_names(notes: Iterable[tuple[str, str]]) -> dict[str, str]:
    """`{path inside interviews/: short name}` for `(path, company)` pairs, paths in posix form."""
    finder = _Finder([(path, _stem(path).casefold(), company.casefold()) for path, company in notes])
    return finder.names(range(len(finder.entries)))


def _stem(path: str) -> str:
    return posixpath.splitext(posixpath.basename(path))[0]


class _Finder:
    """The short names of a set of notes, given as (path, file stem, company), both casefolded."""

    def __init__(self, entries: list[tuple[str, str, str]]) -> None:
        self.entries = entries
        self.exact: Counter[str] = Counter()
        for _, stem, company in entries:
            self.exact.update({stem, company} - {""})
        # A candidate is unique when no other note's path or company contains it.
        self.holders = _Holders([f"{path.casefold()}\0{company}" for path, _, company in entries])

    def names(self, notes: Sequence[int]) -> dict[str, str]:
        """The short names of the notes at these places in `entries`."""
        exact, holders, names = self.exact, self.holders, {}
        for index in notes:
            path, stem, company = self.entries[index]
            for candidate in _candidates(stem, company):
                count = exact.get(candidate)  # not exact[...]: a Counter's missing key costs a call
                if count:  # an exact stem or company wins over every partial match
                    if count == 1 and candidate in (stem, company):
                        names[path] = candidate
                        break
                    continue
                if holders.only(candidate, index):
                    names[path] = candidate
                    break
            else:  # no part of the name will do: the path inside interviews/ does, if it is a word
                names[path] = path if is_word(path) else ""
        return names


_GRAM = 4


class _Holders:
    """Which texts contain a piece of text: the few texts sharing its rarest 4-character
    piece are searched, not all of them (thousands of notes would make that quadratic)."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.grams: dict[str, list[int]] = {}
        for index, text in enumerate(texts):
            for gram in {text[i : i + _GRAM] for i in range(len(text) - _GRAM + 1)}:
                self.grams.setdefault(gram, []).append(index)
        self.found: dict[str, tuple[int, ...]] = {}  # a piece -> up to two texts holding it

    def only(self, piece: str, index: int) -> bool:
        """Whether no text but `texts[index]` contains `piece`."""
        holding = self.found.get(piece)
        if holding is None:
            holding = self.found[piece] = self._holding(piece)
        return holding in ((), (index,))

    def _holding(self, piece: str) -> tuple[int, ...]:
        pool: Sequence[int] = range(len(self.texts))
        if len(piece) >= _GRAM and "\n" not in piece and "\0" not in piece:
            postings = (self.grams.get(piece[i : i + _GRAM], []) for i in range(len(piece) - _GRAM + 1))
            pool = min(postings, key=len)
        holding: list[int] = []
        for other in pool:
            if piece in self.texts[other]:
                holding.append(other)
                if len(holding) == 2:
                    break
        return tuple(holding)


def is_word(text: str) -> bool:
    """Whether `text` is one shell word as it is, and plain text on any page: letters (of any
    script), digits and `._/-+,@%:=` only, not starting with `-`. A short name is always one,
    so the command it goes in is copied and run as shown; a note with no such name gets none."""
    return bool(text) and not text.startswith("-") and all(ch.isalnum() or ch in _WORD_MARKS for ch in text)


_WORD_MARKS = frozenset("._/-+,@%:=")


def _candidates(stem: str, company: str) -> Iterator[str]:
    if _WORD.fullmatch(company):
        yield company
    words = stem.split("-")
    for size in range(1, len(words) + 1):
        for start in range(len(words) - size + 1):
            run = words[start : start + size]
            if run[0].isdigit() and size < 3:
                continue  # a year or a month alone says nothing to a person
            if size == 1 and not _WORD.fullmatch(run[0]):
                continue
            if is_word(candidate := "-".join(run)):
                yield candidate
