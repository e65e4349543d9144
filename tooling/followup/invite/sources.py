"""Finding the calendar data in what the user gives: an .ics file as it is, or an email saved
by a mail client (.eml), whose invitation may sit in any part of any MIME structure.

Mail clients disagree on where the invitation goes: `text/calendar` inside a
multipart/alternative (Outlook, Google), an `application/ics` attachment next to it (Google
sends both), an `.ics` attachment typed `application/octet-stream`, or the whole invitation
forwarded as a `message/rfc822` part. Every such part is returned, decoded (base64 or
quoted-printable) and turned into text from its own charset.
"""

from __future__ import annotations

import codecs
import email
import email.message
import re
from email.policy import compat32

# Parts that are calendars by their type, and attachment names that say so when the type
# is a generic one.
CALENDAR_TYPES = frozenset({
    "text/calendar", "application/ics", "text/x-vcalendar", "application/x-ics", "text/x-ics",
    "application/ical", "text/ical",
})
CALENDAR_NAMES = (".ics", ".ical", ".icalendar", ".vcs", ".ifb")

# Beyond these a message is not one a mail client wrote; what lies deeper is ignored.
MAX_DEPTH = 30
MAX_PARTS = 2_000

# Headers of which an email has at least one; random text with a colon has none of them.
_MAIL_HEADERS = frozenset({
    "from", "to", "cc", "subject", "date", "message-id", "mime-version", "content-type",
    "received", "return-path", "sender", "reply-to", "delivered-to",
})

_BEGIN = re.compile(rb"^[ \t\r\n]*BEGIN:VCALENDAR", re.IGNORECASE)
_BEGIN_TEXT = re.compile(r"^\s*BEGIN:VCALENDAR", re.IGNORECASE)


class NotAnInvitation(Exception):
    """The data holds no calendar; `reason` says why in a sentence for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def calendar_texts(data: bytes) -> list[str]:
    """The iCalendar texts in `data`: itself when it is a calendar, else every calendar part
    of the email it is. Raises NotAnInvitation when there is none."""
    data = _without_bom(data)
    if _BEGIN.match(data):
        return [_decode(data, "utf-8")]
    message = email.message_from_bytes(data, policy=compat32)
    if not _is_mail(message):
        raise NotAnInvitation(
            "this is neither a calendar invitation (.ics) nor an email; give the invitation "
            "email saved from your mail program, or its .ics attachment"
        )
    texts = [text for text in map(_part_text, _calendar_parts(message)) if _BEGIN_TEXT.match(text)]
    if not texts:
        raise NotAnInvitation(
            "this email has no calendar invitation in it; give the email that has the "
            "invitation, or its .ics attachment"
        )
    return texts


def _without_bom(data: bytes) -> bytes:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace").encode("utf-8")
    return data.removeprefix(codecs.BOM_UTF8)


def _decode(data: bytes, charset: str) -> str:
    """Text of `data` in its declared charset, else UTF-8, else Windows-1252 (never fails)."""
    for candidate in (charset, "utf-8"):
        try:
            return data.decode(candidate).removeprefix("\ufeff")
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


def _is_mail(message: email.message.Message) -> bool:
    return any(key.strip().lower() in _MAIL_HEADERS for key in message)


def _calendar_parts(message: email.message.Message) -> list[email.message.Message]:
    """Calendar parts anywhere under `message`, in the order a reader meets them."""
    found: list[email.message.Message] = []
    stack: list[tuple[email.message.Message, int]] = [(message, 0)]
    seen = 0
    while stack and seen < MAX_PARTS:
        part, depth = stack.pop()
        seen += 1
        if part.is_multipart():
            children = part.get_payload()
            if depth < MAX_DEPTH and isinstance(children, list):
                parts = [child for child in children if isinstance(child, email.message.Message)]
                stack.extend((child, depth + 1) for child in reversed(parts))
        elif is_calendar(part):
            found.append(part)
    return found


def is_calendar(part: email.message.Message) -> bool:
    """Whether a MIME part is a calendar: by its type, or a generic type and a calendar's file name."""
    kind = part.get_content_type().lower()
    if kind in CALENDAR_TYPES:
        return True
    try:
        name = part.get_filename() or ""
    except (ValueError, LookupError, UnicodeError):
        name = ""
    generic = kind.startswith("application/") or kind == "text/plain"
    return generic and name.strip().strip('"').lower().endswith(CALENDAR_NAMES)


def _part_text(part: email.message.Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    payload = _without_bom(payload)
    charset = part.get_content_charset() or "utf-8"
    return _decode(payload, charset).lstrip()
