"""The note `followup new` writes: every key, the unused ones commented out."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

from followup.errors import FollowupError
from followup.markup import yaml_string


def note_text(company: str, role: str, when: str, timezone: str) -> str:
    quoted = [yaml_string(clean_text(company)), yaml_string(clean_text(role))]
    return f"""---
company: {quoted[0]}
role: {quoted[1]}
date: {when}            # 2026-11-20 14:00, or the date alone
round: ""               # phone screen, technical, onsite, final...
timezone: {timezone}
duration: 60            # minutes
location: ""            # address or video link
interviewers: []        # - Jane Doe <jane@acme.example>
# recruiter: Rita Recruiter <rita@agency.example>   # then every follow-up goes through them
# agency: ""
# contact: Jane Doe     # who to follow up with, when there is no recruiter
# reply_by: 2026-11-27  # the date they said they would answer
impression: okay        # good, okay or bad
may_call: false         # true only when they invited a phone call
# thank_you_sent: 2026-11-20
# notes_reviewed: 2026-11-21
follow_ups: []
outcome: pending        # pending, next-round, offer, rejected, withdrawn, accepted, no-response
---

## Before

- What they do, recent news:
- My questions for them:

## During

- Who I met (names, titles):
- What they said about next steps and timing:

## After

- What went well:
- What to improve:
- To mention in the thank-you:
"""


_JOINERS = {"\u200c", "\u200d"}  # needed inside words of some scripts and in emoji
_MAX_PART_BYTES = 80  # two parts and a date stay far below the usual 255-byte limit


def clean_text(text: str) -> str:
    """Printable text on one line: control, format and unpaired surrogate characters dropped."""
    kept = "".join(
        ch for ch in text if ch in _JOINERS or unicodedata.category(ch)[0] not in ("C",)
    )
    return " ".join(kept.split())


def safe_name(text: str) -> str:
    """Readable, file-system-safe: letters of any script kept, separators and controls dropped.

    The result has no `/`, no `..`, no leading dot and no control character.
    """
    text = unicodedata.normalize("NFKC", clean_text(text)).lower()
    text = "".join(ch if _keep(ch) else "-" for ch in text)
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"-{2,}", "-", text).strip(".-_")
    while len(text.encode("utf-8")) > _MAX_PART_BYTES:
        text = text[:-1]
    return text.strip(".-_")


def _keep(ch: str) -> bool:
    return ch.isalnum() or ch in "._" or unicodedata.category(ch)[0] == "M"


def new_note_path(notes_dir: Path, company: str, role: str, day: date) -> Path:
    parts = [day.isoformat(), safe_name(company) or "interview", safe_name(role)]
    stem = "-".join(p for p in parts if p)
    path = notes_dir / f"{stem}.md"
    if path.parent != notes_dir or path.exists():
        raise FollowupError(f"{path} already exists; edit it, or give another --date or role")
    return path
