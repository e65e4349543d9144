"""The shortest name of each note that `followup done NOTE …` finds unambiguously.

It follows `edit.find_note`: an exact file stem or company wins, otherwise any part of the
note's path (inside interviews/) or of its company, case-insensitive. Candidates are the
company when it is one word, then the file name's words and runs of words, then the path.
"""

from __future__ import annotations

import re
import shlex
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath

_WORD = re.compile(r"[a-z0-9][a-z0-9._]*")


def short_names(notes: Iterable[tuple[str, str]]) -> dict[str, str]:
    """`{path inside interviews/: short name}` for `(path, company)` pairs, paths in posix form."""
    entries = [(path, path.casefold(), company.casefold()) for path, company in notes]
    exact: Counter[str] = Counter()
    for path, _, company in entries:
        stem = PurePosixPath(path).stem.casefold()
        exact.update({stem, company} - {""})
    # One text with every path and company: a candidate is unique when all its occurrences
    # there are in its own note's entry.
    blob = "\n".join(f"{low}\0{company}" for _, low, company in entries)
    names = {}
    for path, low, company in entries:
        own = f"{low}\0{company}"
        stem = PurePosixPath(path).stem.casefold()
        for candidate in _candidates(stem, company):
            if exact[candidate]:  # an exact stem or company wins over every partial match
                if exact[candidate] == 1 and candidate in (stem, company):
                    names[path] = candidate
                    break
                continue
            if blob.count(candidate) == own.count(candidate):
                names[path] = candidate
                break
        else:  # no part of the name will do: the path inside interviews/ always does
            names[path] = path
    return {path: shlex.quote(name) for path, name in names.items()}


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
            yield "-".join(run)
