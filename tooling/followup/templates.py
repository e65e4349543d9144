"""The note `followup new` writes: every key, the unused ones commented out."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

from followup.errors import FollowupError

_UNSAFE = re.compile(r"[^\w.-]+")


def note_text(company: str, role: str, when: str, timezone: str) -> str:
    quoted = [_yaml_quote(" ".join(company.split())), _yaml_quote(" ".join(role.split()))]
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


def _yaml_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def safe_name(text: str) -> str:
    """Readable, file-system-safe: letters of any script kept, separators and controls dropped."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = _UNSAFE.sub("-", text.lower()).strip(".-_")
    return re.sub(r"-{2,}", "-", text)[:60].strip(".-_")


def new_note_path(notes_dir: Path, company: str, role: str, day: date) -> Path:
    parts = [day.isoformat(), safe_name(company), safe_name(role)]
    stem = "-".join(p for p in parts if p)
    path = notes_dir / f"{stem}.md"
    if path.exists():
        raise FollowupError(f"{path} already exists; edit it, or give another --date or role")
    return path
