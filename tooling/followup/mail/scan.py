"""The headers of the user's local mail (Maildir folders and mbox files), read-only and remembered.

Mail is private and a mailbox is large, so a scan reads as little as it can and changes nothing:

- only the header of a message, up to the blank line that ends it, and a body only when its
  header says it may carry a calendar invitation (then just the invitation's UID, SEQUENCE and
  METHOD are kept);
- files are opened read-only and never renamed, flagged or locked, so a mail client running
  at the same time sees nothing; a symbolic link, a FIFO or anything but a regular file in a
  Maildir is named in a warning and never opened;
- what was read is kept in a small SQLite record outside the workspace (`mail.sqlite3` in the
  folder the caller gives), so the next run reads only new messages: a Maildir message by
  its unique name (a client moving it from `new/` to `cur/` or changing its flags keeps the
  name), an mbox file from where the last run stopped when the file only grew.

A message is data, however it is written: a broken header gives empty fields, a header longer
than `HEADER_CAP` is skipped with a warning, and no input ends in a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import sqlite3
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message as email_message
from email.parser import BytesParser
from email.policy import compat32
from pathlib import Path
from typing import Any, BinaryIO, Final, TypeVar

from followup import services
from followup.errors import printable
from followup.invite.sources import CALENDAR_NAMES, CALENDAR_TYPES, is_calendar
from followup.mail import headers

HEADER_CAP: Final = 256 * 1024
BODY_CAP: Final = 8 * 1024 * 1024  # of a message that may carry an invitation
RECORD_NAME: Final = "mail.sqlite3"
MAX_SUBJECT: Final = 500

_FIRST_READ = 16 * 1024  # holds the whole header of nearly every message: one read a file
_MBOX_CHUNK = 1024 * 1024
_DIGEST_SPAN = 64 * 1024
_MAX_REFERENCES = 50
_MAX_UID = 1000

_WANTED = frozenset({
    "from", "sender", "reply-to", "to", "cc", "subject", "date", "message-id", "in-reply-to",
    "references", "list-id", "list-unsubscribe", "list-post", "precedence", "auto-submitted",
    "x-autoreply", "x-autorespond", "return-path", "content-type", "content-class",
})
_LIST_FIELDS = frozenset({"list-id", "list-unsubscribe", "list-post"})
_AUTO_SUBJECTS = (
    "automatic reply", "auto reply", "auto-reply", "autoreply", "auto:", "auto response",
    "autoresponse", "out of office", "out of the office", "abwesenheitsnotiz",
    "automatische antwort", "réponse automatique", "reponse automatique", "respuesta automática",
    "respuesta automatica", "risposta automatica", "automatisch antwoord", "autosvar",
    "automatisk svar", "automaattinen vastaus", "resposta automática", "odpowiedź automatyczna",
    "自动回复", "自動回覆", "自動応答",
)
# Words in a subject that make a multipart message worth opening for an invitation. Without
# one of them (or a calendar or scheduling sender) a message's body is never read.
_INVITE_HINT = re.compile(
    r"\b(?:invit\w*|einladung|uitnodiging|convite|inbjudan|invitasjon|zaproszenie|kutsu|приглашение|"
    r"interview\w*|meeting|call|calendar|event|termin|besprechung|entrevista|colloquio|rendez-vous|"
    r"scheduled|rescheduled|confirmed|updated)\b|招待|邀请|邀請",
    re.IGNORECASE,
)
# What `followup invite` reads as a calendar part (invite.sources), and the bytes that betray one.
_CALENDAR_MARKERS = tuple(kind.encode() for kind in CALENDAR_TYPES) + tuple(name.encode() for name in CALENDAR_NAMES)
_NOT_INVITING = frozenset({"CANCEL", "REPLY", "COUNTER", "DECLINECOUNTER", "REFRESH"})
_SEPARATOR = re.compile(rb"\n\r?\nFrom ")  # a "From " line after a blank line starts a message
_BLANK = re.compile(rb"\n\r?\n")
_OPEN = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0)

_Head = TypeVar("_Head")


@dataclass(frozen=True, slots=True)
class Message:
    """What the header of one message says, as matching needs it. Addresses are lower-case."""

    folder: str  # the path as given to `scan`
    key: str  # Maildir: the unique name (before `:2,`); mbox: the byte offset of its "From " line
    message_id: str  # without angle brackets; '' when missing
    date: datetime | None  # in UTC; None when missing or no date
    sender: tuple[str, str]  # (name, address) of From, else of Sender; ('', '') when neither
    reply_to: tuple[str, ...]
    to: tuple[tuple[str, str], ...]
    cc: tuple[tuple[str, str], ...]
    subject: str  # decoded, one line, at most MAX_SUBJECT characters
    in_reply_to: str
    references: tuple[str, ...]
    bulk: bool  # a list, a mass mailing or anything sent automatically
    auto_reply: bool  # an out-of-office or other automatic answer
    invitation: bool  # it carries a calendar invitation (or its header says so)
    invitation_uid: str = ""
    invitation_method: str = ""  # METHOD of the calendar: REQUEST, CANCEL...
    invitation_sequence: int = 0

    @property
    def recipients(self) -> tuple[str, ...]:
        """The addresses in To and Cc."""
        return tuple(address for _, address in self.to + self.cc)

    @property
    def inviting(self) -> bool:
        """It carries an invitation to import: a UID, and no cancellation or answer."""
        return self.invitation and bool(self.invitation_uid) and self.invitation_method not in _NOT_INVITING


@dataclass(frozen=True, slots=True)
class ScanResult:
    messages: list[Message]
    warnings: list[str]
    read: int  # messages whose header was read from disk by this scan
    reused: int  # messages taken from the record


# --- a header, parsed ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Parsed:
    """What a header says, and whether the message's body should be opened for an invitation."""

    message_id: str
    date: datetime | None
    sender: tuple[str, str]
    reply_to: tuple[str, ...]
    to: tuple[tuple[str, str], ...]
    cc: tuple[tuple[str, str], ...]
    subject: str
    in_reply_to: str
    references: tuple[str, ...]
    bulk: bool
    auto_reply: bool
    flagged: bool  # the header alone says it carries an invitation
    open_body: bool


def _parse(header: bytes) -> _Parsed:
    found = headers.fields(header, _WANTED)

    def first(name: str) -> str:
        values = found.get(name)
        return values[0] if values else ""

    senders = headers.addresses(first("from")) or headers.addresses(first("sender"))
    subject = headers.one_line(headers.decode_words(first("subject")), MAX_SUBJECT)
    references = headers.message_ids(first("references"))
    if len(references) > _MAX_REFERENCES:  # the thread's root and its latest messages say enough
        references = references[:1] + references[1 - _MAX_REFERENCES :]
    auto_submitted = first("auto-submitted").partition(";")[0].strip().lower()
    autoreply = ("x-autoreply" in found or "x-autorespond" in found) and any(
        value.lower() not in ("no", "false", "0")
        for value in found.get("x-autoreply", []) + found.get("x-autorespond", [])
    )
    bulk = (
        not found.keys().isdisjoint(_LIST_FIELDS)
        or first("precedence").lower() in ("bulk", "list", "junk")
        or auto_submitted not in ("", "no")
        or autoreply
        or ("return-path" in found and any(value.replace(" ", "") == "<>" for value in found["return-path"]))
    )
    media = headers.media_type(first("content-type"))
    flagged = media in CALENDAR_TYPES or (
        "content-class" in found and any("calendarmessage" in v.lower() for v in found["content-class"])
    )
    in_reply_to = first("in-reply-to")
    return _Parsed(
        message_id=headers.message_id(first("message-id")),
        date=headers.parse_date(first("date")),
        sender=senders[0] if senders else ("", ""),
        reply_to=tuple(address for _, address in headers.addresses(", ".join(found.get("reply-to", ())))),
        to=headers.addresses(", ".join(found.get("to", ()))),
        cc=headers.addresses(", ".join(found.get("cc", ()))),
        subject=subject,
        in_reply_to=headers.message_id(in_reply_to) if "<" in in_reply_to else "",
        references=tuple(references),
        bulk=bulk,
        auto_reply=auto_submitted == "auto-replied" or autoreply or subject.lower().startswith(_AUTO_SUBJECTS),
        flagged=flagged,
        open_body=flagged or (media.startswith("multipart/") and _may_invite(subject, senders, found)),
    )


def _may_invite(subject: str, senders: tuple[tuple[str, str], ...], found: dict[str, list[str]]) -> bool:
    """A multipart message worth opening: a subject or a sender that speaks of a meeting."""
    if _INVITE_HINT.search(subject):
        return True
    addresses = [address for _, address in senders]
    addresses += [address for _, address in headers.addresses(", ".join(found.get("sender", ())))]
    return any(
        "calendar" in address.partition("@")[0] or services.service_of(services.domain_of(address))
        for address in addresses
    )


def _message(folder: str, key: str, parsed: _Parsed, message: bytes | None) -> Message:
    """The Message, with the invitation found in `message` (header and body) when one was read."""
    found = _calendar_of(message) if message is not None else None
    uid, method, sequence = found or ("", "", 0)
    return Message(
        folder, key, parsed.message_id, parsed.date, parsed.sender, parsed.reply_to, parsed.to, parsed.cc,
        parsed.subject, parsed.in_reply_to, parsed.references, parsed.bulk, parsed.auto_reply,
        parsed.flagged or found is not None, uid, method, sequence,
    )


def _calendar_of(message: bytes) -> tuple[str, str, int] | None:
    """(UID, METHOD, SEQUENCE) of the first calendar part of a whole message, None without one."""
    lowered = message.lower()  # then plain finds: a case-blind regex crawls through attachments
    if not any(marker in lowered for marker in _CALENDAR_MARKERS):  # most opened hold none: no MIME parse
        return None
    try:
        parsed = BytesParser(policy=compat32).parsebytes(message)
        return _calendar_part(parsed, 0)
    except Exception:  # a malformed MIME structure is no invitation
        return None


def _calendar_part(part: email_message.Message, depth: int) -> tuple[str, str, int] | None:
    if part.is_multipart():
        payload = part.get_payload()
        if depth >= 8 or not isinstance(payload, list):
            return None
        for sub in payload[:64]:
            if isinstance(sub, email_message.Message) and (found := _calendar_part(sub, depth + 1)):
                return found
        return None
    if not is_calendar(part):
        return None
    data = part.get_payload(decode=True)
    return _ics_fields(data) if isinstance(data, bytes) else None


def _ics_fields(data: bytes) -> tuple[str, str, int]:
    """UID and SEQUENCE of the first event, and the calendar's METHOD."""
    text = _FOLDED_ICS.sub("", data[:BODY_CAP].decode("utf-8", "replace"))
    uid = method = ""
    sequence = 0
    stack: list[str] = []  # the components the line is in: VCALENDAR, VEVENT, VALARM...
    events = 0
    for line in text.splitlines():
        name, value = _ics_property(line)
        if name == "BEGIN" and len(stack) < 16:
            stack.append(value.strip().upper())
            events += stack[-1] == "VEVENT"
        elif name == "END" and stack:
            stack.pop()
        elif name == "METHOD" and stack == ["VCALENDAR"] and not method:
            candidate = value.strip().upper()
            method = candidate if re.fullmatch(r"[A-Z-]{1,32}", candidate) else ""
        elif events == 1 and stack[-1:] == ["VEVENT"]:  # the first event's own properties
            if name == "UID" and not uid:
                uid = headers.one_line(value, _MAX_UID)
            elif name == "SEQUENCE" and value.strip().isdigit() and len(value.strip()) < 10:
                sequence = int(value.strip())
    return uid, method, sequence


_FOLDED_ICS = re.compile(r"\r?\n[ \t]")
_PROPERTY_NAME = re.compile(r"[A-Za-z0-9-]+")


def _ics_property(line: str) -> tuple[str, str]:
    """(NAME, value) of a content line, its parameters (quoted colons and all) skipped."""
    found = _PROPERTY_NAME.match(line)
    name = found.group(0).upper() if found else ""
    quoted = False
    for at in range(len(name), len(line)):
        ch = line[at]
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            return name, line[at + 1 :]
    return name, ""


# --- rows of the record ----------------------------------------------------------------------

# A message is one row of plain columns, its lists joined with the unit separator, which no
# field of a Message holds (control characters are taken out of every text): loading a row is
# then a handful of splits, where a JSON text a row took twice as long.
_SEP = "\x1f"
_COLUMNS = (
    "key, skipped, message_id, stamp, name, address, reply_to, recipients, copied, subject, in_reply_to,"
    " refs, flags, uid, method, sequence"
)
_LONG = "\x00long"  # `_read_file`'s answer for a message whose header is too long


def _row(key: str, message: Message) -> tuple[object, ...]:
    return (
        key, 0, message.message_id, None if message.date is None else int(message.date.timestamp()),
        *message.sender, _SEP.join(message.reply_to), _SEP.join([text for pair in message.to for text in pair]),
        _SEP.join([text for pair in message.cc for text in pair]), message.subject, message.in_reply_to,
        _SEP.join(message.references), message.bulk | message.auto_reply << 1 | message.invitation << 2,
        message.invitation_uid, message.invitation_method, message.invitation_sequence,
    )


def _skipped_row(key: str) -> tuple[object, ...]:
    """The row of a message skipped for its long header: skipped again, never read again."""
    return (key, 1, "", None, "", "", "", "", "", "", "", "", 0, "", "", 0)


class _Corrupt(Exception):
    """The record holds something this code never wrote."""

    def __init__(self) -> None:
        super().__init__("it holds what this version never wrote")


def _from_rows(folder: str, rows: Iterable[tuple[Any, ...]]) -> list[Message | None]:
    """The message each row holds (None for one skipped); _Corrupt when a row is not one
    `_row` writes."""
    try:
        return [_from_row(folder, row) for row in rows]
    except (ValueError, TypeError, OverflowError, OSError) as error:
        raise _Corrupt from error


def _from_row(folder: str, row: tuple[Any, ...]) -> Message | None:
    (key, skipped, mid, stamp, name, address, reply_to, to, cc, subject, in_reply_to, references, flags,
     uid, method, sequence) = row
    if not (
        type(key) is type(mid) is type(name) is type(address) is type(reply_to) is type(to) is type(cc)
        is type(subject) is type(in_reply_to) is type(references) is type(uid) is type(method) is str
        and type(skipped) is type(flags) is type(sequence) is int
        and (stamp is None or type(stamp) is int)
    ):
        raise _Corrupt
    if skipped:
        return None
    return Message(
        folder, key, mid, None if stamp is None else datetime.fromtimestamp(stamp, UTC), (name, address),
        _split(reply_to), _pairs(to), _pairs(cc), subject, in_reply_to, _split(references),
        bool(flags & 1), bool(flags & 2), bool(flags & 4), uid, method, sequence,
    )


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split(_SEP)) if text else ()


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    if not text:
        return ()
    flat = text.split(_SEP)
    if len(flat) % 2:
        raise _Corrupt
    return tuple(zip(flat[::2], flat[1::2], strict=True))


# --- the record ------------------------------------------------------------------------------

_APPLICATION_ID = 0x46554D4C  # "FUML": a SQLite file with another id is someone else's
_FORMAT = 1
_BUSY_SECONDS = 5.0  # how long to wait for another scan writing the record
_SCHEMA = (
    "CREATE TABLE folders (ident TEXT PRIMARY KEY, kind TEXT NOT NULL, state TEXT NOT NULL)",
    "CREATE TABLE messages (ident TEXT NOT NULL, key TEXT NOT NULL, skipped INTEGER NOT NULL,"
    " message_id TEXT NOT NULL, stamp INTEGER, name TEXT NOT NULL, address TEXT NOT NULL,"
    " reply_to TEXT NOT NULL, recipients TEXT NOT NULL, copied TEXT NOT NULL, subject TEXT NOT NULL,"
    " in_reply_to TEXT NOT NULL, refs TEXT NOT NULL, flags INTEGER NOT NULL, uid TEXT NOT NULL,"
    " method TEXT NOT NULL, sequence INTEGER NOT NULL, PRIMARY KEY (ident, key)) WITHOUT ROWID",
    f"PRAGMA application_id = {_APPLICATION_ID}",
    f"PRAGMA user_version = {_FORMAT}",
)


@dataclass(slots=True)
class _Change:
    """What one folder's scan changes in the record."""

    ident: str
    kind: str
    state: str
    added: list[tuple[object, ...]] = field(default_factory=list)  # rows
    removed: list[str] = field(default_factory=list)
    replace: bool = False  # every row of the folder goes first


class _Record:
    """The SQLite file of what earlier scans read; in memory when the file cannot be used."""

    def __init__(self, path: Path | None, connection: sqlite3.Connection) -> None:
        self.path = path
        self.connection = connection

    @classmethod
    def open(cls, directory: Path, warnings: list[str]) -> _Record:
        path = directory / RECORD_NAME
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            return cls(path, _connect(path))
        except (OSError, sqlite3.Error) as error:
            warnings.append(
                f"The mail record {_shown(path)} cannot be used ({_reason(error)}), so every message is read again."
            )
            return cls.in_memory()

    @classmethod
    def in_memory(cls) -> _Record:
        """A record for this scan only."""
        return cls(None, _fresh(sqlite3.connect(":memory:")))

    def rebuilt(self) -> _Record:
        """A new, empty record in place of this one."""
        self.close()
        if self.path is None:
            return _Record.in_memory()
        _remove(self.path)
        return _Record(self.path, _connect(self.path))

    def close(self) -> None:
        self.connection.close()

    def folder(self, ident: str) -> tuple[str, str] | None:
        """(kind, state) recorded for a folder."""
        try:
            row = self.connection.execute("SELECT kind, state FROM folders WHERE ident = ?", (ident,)).fetchone()
        except sqlite3.OperationalError:  # busy, locked, unreadable: not known to be corrupt
            raise
        except sqlite3.Error as error:
            raise _Corrupt from error
        if row is None:
            return None
        if not (isinstance(row[0], str) and isinstance(row[1], str)):
            raise _Corrupt
        return row[0], row[1]

    def rows(self, ident: str) -> dict[str, tuple[Any, ...]]:
        """The rows of a folder's messages by key."""
        try:
            found = self.connection.execute(f"SELECT {_COLUMNS} FROM messages WHERE ident = ?", (ident,)).fetchall()
        except sqlite3.OperationalError:  # busy, locked, unreadable: not known to be corrupt
            raise
        except sqlite3.Error as error:
            raise _Corrupt from error
        return {row[0]: row for row in found}

    def save(self, changes: list[_Change]) -> str:
        """Write the changes in one transaction; a warning when they could not be written."""
        if not changes:
            return ""
        db = self.connection
        try:
            db.execute("BEGIN IMMEDIATE")
            for change in changes:
                if change.replace:
                    db.execute("DELETE FROM messages WHERE ident = ?", (change.ident,))
                else:
                    db.executemany(
                        "DELETE FROM messages WHERE ident = ? AND key = ?", [(change.ident, k) for k in change.removed]
                    )
                db.executemany(
                    f"INSERT OR REPLACE INTO messages (ident, {_COLUMNS}) VALUES ({', '.join('?' * 17)})",
                    [(change.ident, *row) for row in change.added],
                )
                db.execute(
                    "INSERT OR REPLACE INTO folders (ident, kind, state) VALUES (?, ?, ?)",
                    (change.ident, change.kind, change.state),
                )
            db.execute("COMMIT")
        except (sqlite3.Error, UnicodeEncodeError) as error:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            return (
                f"The mail record {_shown(self.path or RECORD_NAME)} could not be updated ({_reason(error)}); "
                "the next run reads these messages again."
            )
        return ""


def _connect(path: Path) -> sqlite3.Connection:
    """The record at `path`, made anew (0600) when missing, foreign or corrupt."""
    for _ in range(2):
        try:
            info = path.lstat()
        except FileNotFoundError:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600))
            info = path.lstat()
        if not stat.S_ISREG(info.st_mode):
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError(errno.EISDIR, "a folder is in its place")
            _remove(path)
            continue
        connection = sqlite3.connect(path, timeout=_BUSY_SECONDS, isolation_level=None)
        try:
            application = connection.execute("PRAGMA application_id").fetchone()[0]
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if application == _APPLICATION_ID and version == _FORMAT and _has_tables(connection):
                return connection
            if application == 0 and version == 0 and info.st_size == 0:
                return _fresh(connection)
        except sqlite3.DatabaseError as error:
            if "locked" in str(error) or "busy" in str(error):
                connection.close()
                raise
        connection.close()
        _remove(path)
    raise OSError(errno.EIO, "it cannot be made anew")


def _has_tables(connection: sqlite3.Connection) -> bool:
    names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return names == {"folders", "messages"}


def _fresh(connection: sqlite3.Connection) -> sqlite3.Connection:
    connection.execute("PRAGMA journal_mode = DELETE")
    for statement in _SCHEMA:
        connection.execute(statement)
    return connection


def _remove(path: Path) -> None:
    for name in (path.name, f"{path.name}-journal", f"{path.name}-wal", f"{path.name}-shm"):
        with contextlib.suppress(FileNotFoundError):
            (path.parent / name).unlink()


# --- scanning --------------------------------------------------------------------------------


def scan(paths: Iterable[str | os.PathLike[str]], record_dir: Path | None) -> ScanResult:
    """Every message of the Maildir folders and mbox files at `paths`, read-only.

    `record_dir` holds the record of earlier scans (made 0700 when missing; the caller picks a
    folder outside the workspace); with None the record is kept in memory for this scan only.
    Messages come folder by folder in the order of `paths`, by unique name within a Maildir
    and by position within an mbox file.
    """
    given = [os.fspath(path) for path in paths]
    warnings: list[str] = []
    record = _Record.open(Path(record_dir), warnings) if record_dir else _Record.in_memory()
    try:
        try:
            scanner = _Scanner(record)
            scanner.run(given)
        except _Corrupt:
            record = record.rebuilt()
            scanner = _Scanner(record)
            scanner.run(given)
    except (OSError, sqlite3.Error, _Corrupt) as error:  # the record is busy or went away: read without it
        warnings.append(
            f"The mail record{f' in {_shown(record_dir)}' if record_dir else ''} cannot be used ({_reason(error)}), "
            "so every message is read again."
        )
        record.close()
        record = _Record.in_memory()
        scanner = _Scanner(record)
        scanner.run(given)
    finally:
        record.close()
    return ScanResult(scanner.messages, warnings + scanner.warnings, scanner.read, scanner.reused)


class _Scanner:
    """One scan: the messages found, the warnings, and what the record should learn."""

    def __init__(self, record: _Record) -> None:
        self.record = record
        self.messages: list[Message] = []
        self.warnings: list[str] = []
        self.read = 0
        self.reused = 0
        self.changes: list[_Change] = []
        self.open_flags = _OPEN | getattr(os, "O_NOATIME", 0)

    def run(self, paths: list[str]) -> None:
        seen: set[str] = set()
        for folder in paths:
            ident = os.path.realpath(folder)
            if ident in seen:
                continue
            seen.add(ident)
            try:
                info = os.stat(folder)
            except OSError as error:
                self.warnings.append(f"{_shown(folder)} cannot be read ({_reason(error)}); skipped.")
                continue
            if stat.S_ISREG(info.st_mode):
                self._mbox(folder, ident)
            elif stat.S_ISDIR(info.st_mode) and _is_maildir(folder):
                self._maildir(folder, ident)
            else:
                self.warnings.append(f"{_shown(folder)} is neither a Maildir (with cur/ and new/) nor an mbox file.")
        warning = self.record.save(self.changes)
        if warning:
            self.warnings.append(warning)

    # Maildir

    def _maildir(self, folder: str, ident: str) -> None:
        present = _list_maildir(folder, self.warnings)
        known = self.record.folder(ident)
        recorded = self.record.rows(ident) if known is not None and known[0] == "maildir" else {}
        change = _Change(ident, "maildir", "{}", replace=known is not None and known[0] != "maildir")
        keys = sorted(present)
        rows = [recorded[key] for key in keys if key in recorded]
        kept = {row[0]: message for row, message in zip(rows, _from_rows(folder, rows), strict=True)}
        self.reused += len(kept)
        for key in keys:
            if key in kept:
                message = kept[key]
                if message is None:
                    self.warnings.append(_long_warning(present[key]))
                else:
                    self.messages.append(message)
                continue
            found = self._read_file(folder, key, present[key])
            if isinstance(found, Message):
                self.read += 1
                self.messages.append(found)
                change.added.append(_row(key, found))
            elif found == _LONG:
                self.read += 1
                self.warnings.append(_long_warning(present[key]))
                change.added.append(_skipped_row(key))
            elif found:
                self.warnings.append(found)
        change.removed = [key for key in recorded if key not in present]
        if change.added or change.removed or change.replace or known is None:
            self.changes.append(change)

    def _read_file(self, folder: str, key: str, path: str) -> Message | str:
        """The message in a Maildir file; `_LONG`, a warning, or '' when it vanished."""
        try:
            fd = self._open(path)
        except FileNotFoundError:
            return ""
        except OSError as error:
            if error.errno in (errno.ELOOP, errno.EMLINK):
                return f"{_shown(path)} is a symbolic link; skipped."
            if error.errno == errno.ENXIO:
                return f"{_shown(path)} is not a regular file; skipped."
            return f"{_shown(path)} cannot be read ({_reason(error)}); skipped."
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return f"{_shown(path)} is not a regular file; skipped."
            data = os.read(fd, _FIRST_READ)
            end = _header_end(data, 0)
            while end < 0 and len(data) <= HEADER_CAP:
                more = os.read(fd, 64 * 1024)
                if not more:
                    end = len(data)
                    break
                data += more
                end = _header_end(data, len(data) - len(more) - 3)
            if end < 0 or end > HEADER_CAP:
                return _LONG
            parsed = _parse(data[:end])
            if not parsed.open_body:
                return _message(folder, key, parsed, None)
            while len(data) < end + BODY_CAP and (more := os.read(fd, min(1024 * 1024, end + BODY_CAP - len(data)))):
                data += more
            return _message(folder, key, parsed, data)
        except OSError as error:
            return f"{_shown(path)} cannot be read ({_reason(error)}); skipped."
        finally:
            os.close(fd)

    def _open(self, path: str) -> int:
        try:
            return os.open(path, self.open_flags)
        except PermissionError as error:
            # O_NOATIME (which spares the access time) is only for the file's owner
            if error.errno != errno.EPERM or self.open_flags == _OPEN:
                raise
            self.open_flags = _OPEN
            return os.open(path, self.open_flags)

    # mbox

    def _mbox(self, folder: str, ident: str) -> None:
        try:
            # non-blocking: a FIFO put in the file's place since it was looked at would never end
            fd = os.open(folder, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as error:
            self.warnings.append(f"{_shown(folder)} cannot be read ({_reason(error)}); skipped.")
            return
        with open(fd, "rb", buffering=0) as stream:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                self.warnings.append(f"{_shown(folder)} is neither a Maildir (with cur/ and new/) nor an mbox file.")
                return
            try:
                self._read_mbox(folder, ident, stream)
            except OSError as error:
                self.warnings.append(f"{_shown(folder)} cannot be read ({_reason(error)}); skipped.")

    def _read_mbox(self, folder: str, ident: str, stream: BinaryIO) -> None:
        fd = stream.fileno()
        info = os.fstat(fd)
        known = self.record.folder(ident)
        previous = _MboxState.load(known[1]) if known is not None and known[0] == "mbox" else None
        if previous is not None and previous.unchanged(fd, info):
            self._reuse_mbox(folder, ident)
            return
        start = previous.grown(fd, info) if previous is not None else 0
        if start == 0 and info.st_size and os.pread(fd, 5, 0) != b"From ":
            self.warnings.append(f"{_shown(folder)} does not start with a 'From ' line, so it is no mbox file.")
            return
        if start:
            self._reuse_mbox(folder, ident)
        change = _Change(ident, "mbox", "", replace=start == 0)
        stream.seek(start)
        stop = start
        for offset, parsed, message, end in _mbox_messages(stream, start, _mbox_head):
            key = str(offset)
            stop = end
            self.read += 1
            if parsed is None:
                self.warnings.append(_long_warning(f"the message at byte {key} of {folder}"))
                change.added.append(_skipped_row(key))
            else:
                found = _message(folder, key, parsed, message)
                self.messages.append(found)
                change.added.append(_row(key, found))
        change.state = _MboxState.of(fd, stop).dump()
        self.changes.append(change)

    def _reuse_mbox(self, folder: str, ident: str) -> None:
        rows = self.record.rows(ident)
        try:
            keys = sorted(rows, key=int)
        except ValueError as error:
            raise _Corrupt from error
        for key, message in zip(keys, _from_rows(folder, [rows[key] for key in keys]), strict=True):
            self.reused += 1
            if message is None:
                self.warnings.append(_long_warning(f"the message at byte {key} of {folder}"))
            else:
                self.messages.append(message)


def _mbox_head(header: bytes) -> tuple[_Parsed, bool]:
    parsed = _parse(header)
    return parsed, parsed.open_body


@dataclass(frozen=True, slots=True)
class _MboxState:
    """What an mbox file was when the last scan stopped reading it."""

    device: int
    inode: int
    stop: int  # its size then, the end of its last message
    mtime: int  # ns; -1 when the file changed while it was read
    head: str  # digest of its first _DIGEST_SPAN bytes (fewer in a smaller file)
    tail: str  # digest of the _DIGEST_SPAN bytes before `stop`

    @classmethod
    def of(cls, fd: int, stop: int) -> _MboxState:
        info = os.fstat(fd)
        return cls(
            info.st_dev, info.st_ino, stop, info.st_mtime_ns if info.st_size == stop else -1,
            _digest(fd, 0, min(stop, _DIGEST_SPAN)), _digest(fd, max(0, stop - _DIGEST_SPAN), stop),
        )

    @classmethod
    def load(cls, text: str) -> _MboxState:
        try:
            value = json.loads(text)
            if not (isinstance(value, list) and len(value) == 6):
                raise _Corrupt
            state = cls(*value)
        except (ValueError, TypeError) as error:
            raise _Corrupt from error
        if not all(type(v) is int for v in value[:4]) or not all(isinstance(v, str) for v in value[4:]):
            raise _Corrupt
        return state

    def dump(self) -> str:
        return json.dumps([self.device, self.inode, self.stop, self.mtime, self.head, self.tail])

    def _same_bytes(self, fd: int) -> bool:
        return (
            _digest(fd, 0, min(self.stop, _DIGEST_SPAN)) == self.head
            and _digest(fd, max(0, self.stop - _DIGEST_SPAN), self.stop) == self.tail
        )

    def unchanged(self, fd: int, info: os.stat_result) -> bool:
        now = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
        return now == (self.device, self.inode, self.stop, self.mtime) and self._same_bytes(fd)

    def grown(self, fd: int, info: os.stat_result) -> int:
        """`stop` when the file is the one read then, longer by messages appended; else 0
        (read it again whole)."""
        if (info.st_dev, info.st_ino) != (self.device, self.inode) or info.st_size <= self.stop or self.stop == 0:
            return 0
        before = os.pread(fd, 3, max(0, self.stop - 3))
        if os.pread(fd, 5, self.stop) != b"From " or not before.endswith((b"\n\n", b"\n\r\n")):
            return 0
        return self.stop if self._same_bytes(fd) else 0


def _digest(fd: int, start: int, end: int) -> str:
    return hashlib.blake2b(os.pread(fd, max(0, end - start), start), digest_size=16).hexdigest()


class _Chunks:
    """An mbox file read forward a chunk at a time, holding only the bytes still needed."""

    def __init__(self, stream: BinaryIO, start: int, size: int) -> None:
        self.stream = stream
        self.size = size
        self.base = start  # file offset of buf[0]
        self.buf = b""
        self.eof = False

    @property
    def end(self) -> int:
        return self.base + len(self.buf)

    def more(self, keep: int) -> bool:
        """Drop the bytes before offset `keep` and read another chunk; False at the end."""
        if self.eof:
            return False
        data = self.stream.read(self.size)
        if not data:
            self.eof = True
            return False
        self.buf = self.buf[keep - self.base :] + data
        self.base = keep
        return True

    def find(self, pattern: re.Pattern[bytes], at: int, keep: int, until: int) -> tuple[int, int] | None:
        """(start, end) offsets of the first match from offset `at`, reading on (and keeping
        the bytes from offset `keep`) up to about offset `until`; None when not found."""
        scan = at
        while True:
            found = pattern.search(self.buf, scan - self.base)
            if found:
                return self.base + found.start(), self.base + found.end()
            if self.end > until:
                return None
            scan = max(at, self.end - 8)  # a match may straddle two chunks
            if not self.more(min(keep, scan)):
                return None


_NEWLINE = re.compile(rb"\n")


def _mbox_messages(
    stream: BinaryIO, start: int, head: Callable[[bytes], tuple[_Head, bool]], chunk: int = _MBOX_CHUNK,
) -> Iterator[tuple[int, _Head | None, bytes | None, int]]:
    """(offset, parsed header (None when too long), the message when `head` wants it, offset
    of the next) for each message from offset `start`, where a "From " line is. Bodies are
    skipped as they are read, never held whole."""
    chunks = _Chunks(stream, start, chunk)
    at = start
    while at < chunks.end or chunks.more(at):
        parsed, wanted, search = _mbox_header(chunks, at, head)
        keep = at if wanted else search
        message: bytes | None = None
        while True:
            found = _SEPARATOR.search(chunks.buf, search - chunks.base)
            if found:
                next_at = chunks.base + found.end() - 5
                break
            search = max(search, chunks.end - 8)
            if wanted and message is None and chunks.end - at > BODY_CAP:
                message = chunks.buf[at - chunks.base : at - chunks.base + BODY_CAP]
            keep = at if wanted and message is None else search
            if not chunks.more(keep):
                next_at = chunks.end
                break
        if wanted and message is None:
            message = chunks.buf[at - chunks.base : next_at - chunks.base]
        yield at, parsed, message, next_at
        at = next_at


def _mbox_header(
    chunks: _Chunks, at: int, head: Callable[[bytes], tuple[_Head, bool]]
) -> tuple[_Head | None, bool, int]:
    """The parsed header of the message at offset `at` (None when too long), whether its
    body is wanted, and the offset from which to look for the next message."""
    until = at + HEADER_CAP
    line = chunks.find(_NEWLINE, at, at, until)
    if line is None:
        if chunks.end > until:
            return None, False, max(at, chunks.end - 8)
        parsed, wanted = head(b"")  # the file ends in the "From " line
        return parsed, wanted, chunks.end
    blank = chunks.find(_BLANK, line[0], at, until)
    if blank is None and chunks.end > until:  # no blank line (so no next message) in what was read
        return None, False, max(at, chunks.end - 8)
    if blank is not None and blank[0] > until:
        return None, False, blank[0]
    header_end = blank[0] + 1 if blank else chunks.end
    parsed, wanted = head(chunks.buf[line[0] + 1 - chunks.base : max(line[0] + 1, header_end) - chunks.base])
    return parsed, wanted, blank[0] if blank else chunks.end


def _header_end(data: bytes, start: int) -> int:
    """Where the header in `data` ends (after its last line's newline); -1 when not yet."""
    if data.startswith((b"\n", b"\r\n")):
        return 0
    found = _BLANK.search(data, max(0, start))
    return found.start() + 1 if found else -1


def _unique_name(name: str) -> str:
    """The unique part of a Maildir file name: before `:2,FS` (`!2,` or `;2,` on systems that
    do not allow colons in names)."""
    if ":" in name:
        return name.partition(":")[0]
    for separator in ("!2,", ";2,"):
        if separator in name:
            return name.rpartition(separator)[0]
    return name


def _is_maildir(path: str) -> bool:
    return all(os.path.isdir(os.path.join(path, sub)) for sub in ("cur", "new"))


def is_maildir(path: str | os.PathLike[str]) -> bool:
    """A folder with cur/ and new/, as every Maildir has."""
    return _is_maildir(os.fspath(path))


def _list_maildir(folder: str, warnings: list[str]) -> dict[str, str]:
    """Unique name -> path of the regular files in new/ and cur/ (new/ first: a message
    seen in both while a client moves it is one message)."""
    present: dict[str, str] = {}
    for sub in ("new", "cur"):
        directory = os.path.join(folder, sub)
        try:
            if os.path.islink(directory):  # its messages may be anywhere
                warnings.append(f"{_shown(directory)} is a symbolic link; skipped.")
                continue
            entries = os.scandir(directory)
        except OSError as error:
            warnings.append(f"{_shown(directory)} cannot be listed ({_reason(error)}); skipped.")
            continue
        with entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                try:  # the type the listing gave (lstat's where it gave none): a link is not followed
                    if not entry.is_file(follow_symlinks=False):
                        kind = "a symbolic link" if entry.is_symlink() else "not a regular file"
                        warnings.append(f"{_shown(entry.path)} is {kind}; skipped.")
                        continue
                except OSError:  # gone since the listing
                    continue
                present.setdefault(_unique_name(name), entry.path)
    return present


def maildir_files(messages: Iterable[Message]) -> list[str | None]:
    """The file that holds each Maildir message now (a client may have moved it from new/ to
    cur/ or changed its flags since the scan); None for a message of an mbox file, or one gone.
    Each folder is listed once, however many of its messages are asked for."""
    wanted = list(messages)
    keys: dict[str, set[str]] = {}
    for message in wanted:
        keys.setdefault(message.folder, set()).add(message.key)
    listed = {folder: _list_maildir(folder, []) for folder in keys if _is_maildir(folder)}  # said by the scan
    return [listed.get(message.folder, {}).get(message.key) for message in wanted]


def _long_warning(what: str) -> str:
    return f"The header of {_shown(what)} is longer than {HEADER_CAP // 1024} KiB; skipped."


def _shown(path: str | os.PathLike[str]) -> str:
    return printable(os.fspath(path)).replace("\n", "\\n")


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return str(error) or type(error).__name__
