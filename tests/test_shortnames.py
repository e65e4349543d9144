"""Short names stay what the plain definition gives, however they are found."""

from __future__ import annotations

import shlex
from collections import Counter
from pathlib import PurePosixPath

from hypothesis import example, given, settings
from hypothesis import strategies as st

from followup.plan.shortnames import _candidates, short_names


def plain_short_names(notes: list[tuple[str, str]]) -> dict[str, str]:
    """The definition, written the slow way: a candidate is unique when counting it in the
    text of every note finds only its own note's occurrences."""
    entries = [(path, path.casefold(), company.casefold()) for path, company in notes]
    exact: Counter[str] = Counter()
    for path, _, company in entries:
        exact.update({PurePosixPath(path).stem.casefold(), company} - {""})
    blob = "\n".join(f"{low}\0{company}" for _, low, company in entries)
    names = {}
    for path, low, company in entries:
        own = f"{low}\0{company}"
        stem = PurePosixPath(path).stem.casefold()
        for candidate in _candidates(stem, company):
            if exact[candidate]:
                if exact[candidate] == 1 and candidate in (stem, company):
                    names[path] = candidate
                    break
                continue
            if blob.count(candidate) == own.count(candidate):
                names[path] = candidate
                break
        else:
            names[path] = path
    return {path: shlex.quote(name) for path, name in names.items()}


WORD = st.text("abcxy12", min_size=1, max_size=5)
NOTE = st.tuples(
    st.lists(WORD, min_size=1, max_size=4).map(lambda words: "2026-11-" + "-".join(words) + ".md"),
    st.one_of(st.just(""), WORD, st.text("abc xy", max_size=6)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(NOTE, max_size=25, unique_by=lambda note: note[0]))
@example([("2026-11-acme-dev.md", "acme"), ("2026-11-acmecorp-dev.md", "acmecorp"), ("2026-11-dev-ops.md", "")])
def test_short_names_follow_their_definition(notes: list[tuple[str, str]]) -> None:
    assert short_names(notes) == plain_short_names(notes)


def thousands_of_notes(count: int = 1500) -> list[tuple[str, str]]:
    companies = ["acme", "acme corp", "globex", "initech", "hooli", ""]
    roles = ["dev", "ops", "data", "devops", "qa"]
    return [
        (f"2026-{1 + n % 12:02}/2026-{1 + n % 12:02}-{1 + n % 28:02}-{companies[n % 6].replace(' ', '-')}-"
         f"{roles[n % 5]}-{n % 37}.md", companies[n % 6])
        for n in range(count)
    ]


def test_short_names_of_thousands_of_notes_are_the_same() -> None:
    notes = thousands_of_notes()
    assert short_names(notes) == plain_short_names(notes)
