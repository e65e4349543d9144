"""Hypothesis strategies: valid notes written in many styles (for the edit and fuzz tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hypothesis import strategies as st

DATES = st.dates(min_value=date(2026, 11, 20), max_value=date(2027, 6, 30))
# Letters of several scripts, digits, spaces and punctuation a company name may hold.
NAME_CHARS = st.characters(
    whitelist_categories=("Lu", "Ll", "Lo", "Nd", "Zs", "Po", "Pd", "So", "Mn"),
    blacklist_characters="\u0085\u2028\u2029\xa0\u1680",
)


@dataclass(frozen=True)
class Generated:
    data: bytes
    eol: str
    bom: bool


def _quoted(text: str, style: str) -> str:
    if style == "double":
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return "'" + text.replace("'", "''") + "'"


def _date_text(day: date, style: str) -> str:
    return day.isoformat() if style == "plain" else _quoted(day.isoformat(), style)


STYLES = st.sampled_from(["plain", "single", "double"])
COMMENT = st.one_of(st.just(""), st.builds(lambda t: f"  # {t}", st.text(NAME_CHARS, max_size=12)))


@st.composite
def notes(draw: st.DrawFn) -> Generated:
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.booleans())
    company = draw(st.text(NAME_CHARS, min_size=1, max_size=20).filter(lambda t: t.strip()))
    lines: list[str] = [
        f"company: {_quoted(company, draw(st.sampled_from(['single', 'double'])))}{draw(COMMENT)}",
        f"role: Engineer{draw(COMMENT)}",
        f"date: 2026-11-20 14:00{draw(COMMENT)}",
    ]
    for key in ("thank_you_sent", "notes_reviewed", "offer_received", "offer_deadline"):
        form = draw(st.sampled_from(["absent", "value", "empty", "null"]))
        if form == "value":
            lines.append(f"{key}: {_date_text(draw(DATES), draw(STYLES))}{draw(COMMENT)}")
        elif form == "empty":
            lines.append(f"{key}:{draw(COMMENT)}")
        elif form == "null":
            lines.append(f"{key}: ~{draw(COMMENT)}")
    outcome = draw(st.sampled_from(["absent", "pending", "'offer'", '"next-round"', "Pending"]))
    if outcome != "absent":
        lines.append(f"outcome: {outcome}{draw(COMMENT)}")
    follow = draw(st.sampled_from(["absent", "flow", "block", "empty-flow", "scalar", "empty"]))
    days = draw(st.lists(DATES, min_size=1, max_size=3, unique=True))
    style = draw(STYLES)
    if follow == "flow":
        items = ", ".join(_date_text(d, style) for d in days)
        lines.append(f"follow_ups: [{items}]{draw(COMMENT)}")
    elif follow == "block":
        indent = " " * draw(st.sampled_from([0, 2, 4]))
        items = [f"{indent}- {_date_text(d, style)}{draw(COMMENT)}" for d in days]
        lines.append(eol.join([f"follow_ups:{draw(COMMENT)}", *items]))
    elif follow == "empty-flow":
        lines.append(f"follow_ups: [ ]{draw(COMMENT)}")
    elif follow == "scalar":
        lines.append(f"follow_ups: {_date_text(days[0], style)}")
    elif follow == "empty":
        lines.append("follow_ups:")
    head, *rest = lines
    rest = draw(st.permutations(rest))
    if draw(st.booleans()):
        rest.insert(draw(st.integers(0, len(rest))), f"# {draw(st.text(NAME_CHARS, max_size=15))}")
    body_lines = draw(st.lists(st.text(NAME_CHARS, max_size=30), max_size=4))
    body = eol.join(body_lines)
    if draw(st.booleans()):
        body += eol
    text = eol.join(["---", head, *rest, "---", body])
    return Generated(("\ufeff" if bom else "").encode() + text.encode("utf-8"), eol, bom)
