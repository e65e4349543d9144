"""Header fields of a message as plain data: names, addresses, message-ids, a date, a subject.

The header block is split here, not by `email.parser.BytesHeaderParser`: reading the headers
of tens of thousands of messages is what a scan spends its time on, and getting the sender,
the recipients, the subject and the date this way takes about a fifth of the time `compat32`
with `decode_header` and `getaddresses` take, and a twentieth of `policy.default`'s (see
`benchmarks/mail.py`). It follows RFC 5322: a field is `name:` at the start of a line, its
value runs on over the lines that start with a space or a tab, and only CRLF or LF ends a
line, so a lone CR stays in a value. Decoding comes after splitting, and addresses are taken
out before their names are decoded: an encoded word holding `\\r\\nBcc: x` or `<someone@else>`
is text of the value it sits in, never another field or another address.
"""

from __future__ import annotations

import binascii
import re
from datetime import UTC, datetime, timedelta
from email.utils import getaddresses, parsedate_to_datetime
from functools import lru_cache

# A field name is printable ASCII but the colon; spaces before the colon are obsolete syntax
# still written by some mailers.
_FIELD = re.compile(r"^([!-9;-~]+)[ \t]*:(.*(?:\r?\n[ \t].*)*)", re.MULTILINE)
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
# Controls, line and paragraph separators, zero-width and bidi formatting characters (the
# joiners inside words are kept), lone surrogates and the byte-order mark: none belongs in a
# one-line text shown in a terminal.
_UNWANTED = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]+"
)
_ATOM = r"[^\s@<>()\[\],;:\"\\\x00-\x1f\x7f\ud800-\udfff]+"
_ADDRESS = re.compile(f"{_ATOM}@{_ATOM}")
# One item of the usual address lists (`Name <a@b>`, `"Last, First" <a@b>`, `a@b`); anything
# else (groups, comments, route addresses) goes to the standard library's slower parser.
_ITEM = re.compile(
    r"""\s*(?:
        (?:"(?P<quoted>(?:[^"\\\r\n]|\\.)*)"|(?P<plain>[^"<>,;:\\()\[\]@]*?))\s*<(?P<angle>[^<>\s,;:"()\\]+)>
      | (?P<bare>[^<>\s,;:"()\\]+@[^<>\s,;:"()\\]+)
    )\s*(?:,|\Z)""",
    re.VERBOSE,
)
_ID = re.compile(r"<([^<>\s\x00-\x1f\x7f\ud800-\udfff]{1,998})>")
_BARE_ID = re.compile(r"[^<>\s\x00-\x1f\x7f\ud800-\udfff]{1,998}")
# `Thu, 5 Mar 2026 09:59:52 +0100 (CET)`, as nearly every mailer writes a date: read without
# the standard library's slower parser, which takes the rest.
_USUAL_DATE = re.compile(
    r"(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?"
    r"\s*([+-])(\d{2})(\d{2})(?:\s*\([^()]*\))?\s*\Z"
)
_MONTHS = {
    name: n
    for n, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}
_MAX_ADDRESS = 254  # the longest address SMTP carries
_MAX_ADDRESSES = 1000  # a header naming more is a mass mailing; the rest say nothing more
_MAX_NAME = 200


def fields(header: bytes, wanted: frozenset[str]) -> dict[str, list[str]]:
    """The unfolded values of the `wanted` fields (lower-case names), each in the order found.

    Bytes outside ASCII are read as UTF-8 (RFC 6532), else as Windows-1252, value by value.
    """
    text = header.decode("ascii", "surrogateescape")
    found: dict[str, list[str]] = {}
    for name, value in _FIELD.findall(text):  # findall: no match object a field, twice as fast
        name = name.lower()
        if name in wanted:
            if "\n" in value:
                value = _FOLD.sub("", value)
            if not value.isascii():
                value = _redecode(value)
            found.setdefault(name, []).append(value.strip())
    return found


def _redecode(value: str) -> str:
    raw = value.encode("ascii", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def decode_words(text: str) -> str:
    """`text` with its RFC 2047 encoded words decoded; a word that cannot be is kept as written.

    Adjacent words in one charset are decoded together, as mailers split a character across two.
    """
    if "=?" not in text:
        return text
    whole = _WORD.fullmatch(text)  # the usual name or subject: one word
    if whole and (raw := _word_bytes(whole.group(2), whole.group(3))) is not None:
        return _text(raw, whole.group(1).partition("*")[0].lower())
    pieces: list[str] = []
    pending = bytearray()
    pending_charset: str | None = None
    last = 0
    for match in _WORD.finditer(text):
        between = text[last : match.start()]
        charset = match.group(1).partition("*")[0].lower()  # `utf-8*en`: RFC 2231 language
        raw = _word_bytes(match.group(2), match.group(3))
        joined = pending_charset is not None and not between.strip(" \t")
        if raw is not None and joined and charset == pending_charset:
            pending += raw
        else:
            if pending_charset is not None:
                pieces.append(_text(bytes(pending), pending_charset))
                pending_charset = None
            if not joined or raw is None:
                pieces.append(between)
            if raw is None:
                pieces.append(match.group(0))
            else:
                pending = bytearray(raw)
                pending_charset = charset
        last = match.end()
    if pending_charset is not None:
        pieces.append(_text(bytes(pending), pending_charset))
    pieces.append(text[last:])
    return "".join(pieces)


def _word_bytes(encoding: str, payload: str) -> bytes | None:
    if not payload.isascii():
        return None
    data = payload.encode("ascii")
    if encoding in "qQ":
        return binascii.a2b_qp(data, header=True)
    try:
        return binascii.a2b_base64(data + b"=" * (-len(data) % 4))
    except binascii.Error:
        return None


def _text(data: bytes, charset: str) -> str:
    try:
        return data.decode(charset, "replace")
    except LookupError:  # an unknown charset, or a codec that is no text encoding (zlib_codec)
        return data.decode("utf-8", "replace")


def one_line(text: str, limit: int) -> str:
    """Text on one line: controls and formatting characters gone, spaces collapsed, at most `limit` characters."""
    if not text.isprintable():
        text = _UNWANTED.sub(" ", text)
    if "  " in text or text[:1] == " " or text[-1:] == " " or not text.isprintable():
        text = " ".join(text.split())
    return text[:limit].rstrip()


@lru_cache(maxsize=8192)  # the same senders and recipients come again and again in a mailbox
def addresses(value: str) -> tuple[tuple[str, str], ...]:
    """The (name, address) pairs of an address list; addresses lower-cased, names decoded.

    Entries that are no plain `local@domain` (a group's name, `undisclosed-recipients:;`,
    an address with a control character) are left out.
    """
    pairs = _usual_pairs(value)
    if pairs is None:
        pairs = getaddresses([value])
    found: list[tuple[str, str]] = []
    for name, address in pairs[:_MAX_ADDRESSES]:
        address = address.strip().lower()
        if len(address) <= _MAX_ADDRESS and _ADDRESS.fullmatch(address):
            found.append((one_line(decode_words(name), _MAX_NAME), address))
    return tuple(found)


def _usual_pairs(value: str) -> list[tuple[str, str]] | None:
    pairs: list[tuple[str, str]] = []
    at, end = 0, len(value)
    while at < end:
        match = _ITEM.match(value, at)
        if match is None or match.end() == at:
            return None
        at = match.end()
        if match.group("bare") is not None:
            pairs.append(("", match.group("bare")))
        elif match.group("quoted") is not None:
            pairs.append((re.sub(r"\\(.)", r"\1", match.group("quoted")), match.group("angle")))
        else:
            pairs.append((match.group("plain"), match.group("angle")))
    return pairs


def message_ids(value: str) -> list[str]:
    """The message-ids `<...>` in a value, without their angle brackets."""
    return _ID.findall(value)


def message_id(value: str) -> str:
    """The first message-id of a value; a bare one (no angle brackets) is taken as written."""
    found = _ID.search(value)
    if found:
        return found.group(1)
    bare = value.strip()
    return bare if _BARE_ID.fullmatch(bare) else ""


def parse_date(value: str) -> datetime | None:
    """The instant of an RFC 5322 date in UTC; None when it is no date. `-0000` is taken as UTC."""
    usual = _USUAL_DATE.match(value)
    if usual:
        day, month, year, hour, minute, second, sign, zone_hours, zone_minutes = usual.groups()
        if month.lower() in _MONTHS:
            try:
                when = datetime(  # a leap second (:60) as the second before
                    int(year), _MONTHS[month.lower()], int(day), int(hour), int(minute), min(int(second or 0), 59),
                    tzinfo=UTC,
                )
                offset = timedelta(hours=int(zone_hours), minutes=int(zone_minutes))
                return when - offset if sign == "+" else when + offset
            except (ValueError, OverflowError):
                pass  # the standard library's parser says what it makes of it
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        return when.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def media_type(value: str) -> str:
    """`text/calendar` of `text/calendar; method=REQUEST; charset=utf-8`."""
    return value.partition(";")[0].strip().lower()
