"""Text made safe through lookup tables stays what the plain, per-character definition gives."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from hypothesis import example, given, settings
from hypothesis import strategies as st

from followup.pages.markup import attr, md, one_line
from followup.plan.drafts import _quote

# Controls, format characters (bidi overrides, joiners, a byte-order mark), private use,
# unassigned code points and odd spaces mixed into ordinary text.
ODD = st.sampled_from(
    ["\x00", "\t", "\n", "\r", "\x1b", "\x7f", "\x85", "\u00a0", "\u200c", "\u200d", "\u202e",
     "\u2028", "\ufeff", "\ue000", "\U000e0001", "\U0010fffd", "\u0378", "\u3000"]
)
TEXT = st.lists(st.one_of(st.characters(codec="utf-8"), ODD), max_size=40).map("".join)

_BACKSLASHED = "\\`*_{}[]()!#+|"
_NAMED = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}


def plain_one_line(text: str) -> str:
    kept = "".join(
        ch for ch in text
        if ch in "\u200c\u200d" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    return " ".join(kept.split())


def plain_reference(ch: str) -> str:
    return _NAMED.get(ch) or f"&#{ord(ch)};"


def plain_md(text: str) -> str:
    out = []
    for ch in plain_one_line(text):
        if ch.isalnum() or ch in " ,.-/@" or not ch.isascii():
            out.append(ch)
        elif ch in _BACKSLASHED:
            out.append("\\" + ch)
        else:
            out.append(plain_reference(ch))
    return "".join(out)


def plain_attr(text: str) -> str:
    return "".join(
        ch if ch.isalnum() or ch in " ,.-/@" or not ch.isascii() else plain_reference(ch)
        for ch in plain_one_line(text)
    )


@settings(max_examples=500, deadline=None)
@given(TEXT)
@example("Acme · Backend <Engineer> [final] & \"co\" | 50% *now*")
@example("Zoë\u202eevil\u202c\u200dname\u3000 \n second line")
def test_markup_tables_follow_the_definition(text: str) -> None:
    assert one_line(text) == plain_one_line(text)
    assert md(text) == plain_md(text)
    assert attr(text) == plain_attr(text)


@settings(max_examples=500, deadline=None)
@given(TEXT)
@example("Dear Zoë,\n\nThank you: [something] & more? 100% #1 ~/a_b.c-d")
def test_mailto_quoting_is_what_urllib_does(text: str) -> None:
    assert _quote(text) == quote(text)
