"""Reading mail headers: what a scan makes of real messages, that it changes nothing on disk,
that a second run reads only what is new, and that hostile mail is only ever data."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mail_fixtures as fx
from followup.mail import headers, scan
from followup.mail.scan import Message, ScanResult


def scanned(box: fx.Mailbox | list[str], record: Path) -> ScanResult:
    return scan.scan(box.paths if isinstance(box, fx.Mailbox) else box, record)


def by_id(result: ScanResult) -> dict[str, Message]:
    """The messages by Message-ID (the first copy of one in several folders)."""
    found: dict[str, Message] = {}
    for message in result.messages:
        found.setdefault(message.message_id, message)
    return found


@pytest.fixture
def box(tmp_path: Path) -> fx.Mailbox:
    return fx.acme_mailbox(tmp_path / "Mail")


@pytest.fixture
def record(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "followup"


def one_message(tmp_path: Path, data: bytes, record: Path, name: str = "1772500001.M1P1Q1.laptop") -> ScanResult:
    root = fx.maildir(tmp_path / "Hostile", {name: data})
    return scan.scan([root], record)


# --- what a scan reads -----------------------------------------------------------------------


def test_fields_of_real_messages(box: fx.Mailbox, record: Path) -> None:
    result = scanned(box, record)
    assert result.warnings == []
    assert result.read == len(fx.ACME) and result.reused == 0
    assert len(result.messages) == len(fx.ACME)
    mail = by_id(result)

    reply = mail["CAK98.reply.jane@mail.gmail.com"]
    assert reply.folder == str(box.inbox)
    assert reply.sender == ("Jane Roé", "jane.roe@acme-analytics.com")  # an encoded word in the name
    assert reply.date == datetime(2026, 3, 7, 6, 30, tzinfo=UTC)  # -0800 read, kept in UTC
    assert reply.in_reply_to == "ty-jane@fastmail.com"
    assert reply.references == ("ty-jane@fastmail.com",)
    assert reply.to == (("", fx.ME),)
    assert not (reply.bulk or reply.auto_reply or reply.invitation)

    thanks = mail["ty-raj@fastmail.com"]  # written with CRLF line ends, an encoded dash in the subject
    assert thanks.subject == "Thank you — Acme Analytics interview"
    assert thanks.to == (("Raj Patel", "raj.patel@acme-analytics.com"),)
    assert thanks.cc == (("Sam Green", "sam.green@acme-analytics.com"),)
    assert thanks.folder == str(box.sent) and ":" not in thanks.key

    assert mail["ooo.raj@acme-analytics.com"].auto_reply  # by its subject alone
    assert not mail["ooo.raj@acme-analytics.com"].bulk
    automatic = mail["auto.sam@acme-analytics.com"]
    assert automatic.auto_reply and automatic.bulk
    assert mail["nl-2026-03.4711@mail.acme-analytics.com"].bulk
    assert not mail["nl-2026-03.4711@mail.acme-analytics.com"].auto_reply
    assert mail["hiring.li@acme-analytics.com"].bulk
    assert not mail["gh.7f3e.rejection@us.greenhouse-mail.io"].bulk

    outlook = mail["DB9PR10MB5740.onsite@eurprd10.prod.outlook.com"]
    assert (outlook.invitation, outlook.invitation_uid, outlook.invitation_method) == (True, fx.ONSITE_UID, "REQUEST")
    google = mail["000000000000ab12.borealis@google.com"]
    assert google.invitation and google.inviting
    assert (google.invitation_uid, google.invitation_method) == (fx.BOREALIS_UID, "REQUEST")
    assert google.invitation_sequence == 1
    assert google.reply_to == ("ines.berg@borealis-robotics.de",)
    assert not any(m.invitation for m in result.messages if m.message_id not in (outlook.message_id, google.message_id))

    copy = [m for m in result.messages if m.folder == str(box.archive)]
    assert [m.key for m in copy] == ["0", str(len(fx.mbox_entry(fx.ACME["schedule"][1])))]  # byte offsets
    assert copy[1].message_id == reply.message_id


def test_the_header_reads_as_the_standard_library_reads_it(box: fx.Mailbox, record: Path) -> None:
    """The header is split by this package, not by `email`: on well-formed mail both agree."""
    parser = BytesParser(policy=policy.default)
    mail = by_id(scanned(box, record))
    for _, data in fx.ACME.values():
        reference = parser.parsebytes(data, headersonly=True)
        ours = mail[reference["Message-ID"].strip("<>")]
        assert ours.subject == str(reference["Subject"])
        sender = reference["From"].addresses[0]
        assert ours.sender == (sender.display_name, sender.addr_spec.lower())
        for field, pairs in (("To", ours.to), ("Cc", ours.cc)):
            found = reference[field].addresses if reference[field] else ()
            assert pairs == tuple((a.display_name, a.addr_spec.lower()) for a in found)
        assert ours.date == reference["Date"].datetime.astimezone(UTC)


def test_a_scan_changes_nothing_in_the_mail(box: fx.Mailbox, record: Path) -> None:
    mail_root = box.inbox.parent
    before = fx.snapshot(mail_root)
    scanned(box, record)
    assert fx.snapshot(mail_root) == before  # every file's bytes and mtime, every folder's mtime
    (box.inbox / "new" / fx.name_of(99)).write_bytes(fx.ACME["namesake"][1].replace(b"namesake", b"second"))
    before = fx.snapshot(mail_root)
    assert scanned(box, record).read == 1
    scanned(box, record)
    assert fx.snapshot(mail_root) == before
    assert not list(mail_root.rglob("*.lock")) and not any(record.rglob("*.lock"))


def test_the_record_is_private(box: fx.Mailbox, record: Path) -> None:
    scanned(box, record)
    assert stat.S_IMODE(record.stat().st_mode) == 0o700
    assert stat.S_IMODE((record / scan.RECORD_NAME).stat().st_mode) == 0o600
    assert sorted(p.name for p in record.iterdir()) == [scan.RECORD_NAME]


# --- incremental -----------------------------------------------------------------------------


def test_a_second_scan_reads_nothing(box: fx.Mailbox, record: Path) -> None:
    first = scanned(box, record)
    second = scanned(box, record)
    assert (second.read, second.reused, second.warnings) == (0, len(fx.ACME), [])
    assert second.messages == first.messages


def test_only_new_messages_are_read(box: fx.Mailbox, record: Path, tmp_path: Path) -> None:
    scanned(box, record)
    (box.inbox / "new" / fx.name_of(101)).write_bytes(fx.mail(
        sender=fx.SAM, subject="Next steps", date="Fri, 27 Mar 2026 10:00:00 +0100",
        message_id="next@acme-analytics.com",
    ))
    (box.inbox / "cur" / fx.name_of(102, "S")).write_bytes(fx.mail(
        sender=fx.RAJ, subject="Re: Next steps", date="Fri, 27 Mar 2026 11:00:00 +0100", message_id="next2@x.com",
    ))
    (box.sent / "cur" / fx.name_of(103, "S")).write_bytes(fx.mail(
        sender=fx.ALEX, to=(fx.SAM,), subject="Re: Next steps", date="Fri, 27 Mar 2026 12:00:00 +0100",
        message_id="next3@fastmail.com", received=False,
    ))
    result = scanned(box, record)
    assert (result.read, result.reused) == (3, len(fx.ACME))
    assert result.messages == scan.scan(box.paths, tmp_path / "fresh").messages


def test_a_message_moved_or_flagged_is_not_read_again(box: fx.Mailbox, record: Path, tmp_path: Path) -> None:
    first = scanned(box, record)
    unread = sorted((box.inbox / "new").iterdir())[0]
    unread.rename(box.inbox / "cur" / f"{unread.name}:2,S")  # the client shows it: new/ -> cur/
    seen = sorted((box.inbox / "cur").iterdir())[0]
    seen.rename(seen.with_name(seen.name.replace(":2,S", ":2,RS")))  # answered: a flag more
    result = scanned(box, record)
    assert (result.read, result.reused) == (0, len(fx.ACME))
    assert result.messages == first.messages
    assert result.messages == scan.scan(box.paths, tmp_path / "fresh").messages


def test_deleted_messages_disappear(box: fx.Mailbox, record: Path) -> None:
    scanned(box, record)
    gone = sorted((box.sent / "cur").iterdir())[:2]
    for path in gone:
        path.unlink()
    result = scanned(box, record)
    assert (result.read, result.reused) == (0, len(fx.ACME) - 2)
    assert {m.key for m in result.messages}.isdisjoint({p.name.partition(":")[0] for p in gone})
    again = scanned(box, record)
    assert (again.read, again.reused) == (0, len(fx.ACME) - 2)


def test_an_mbox_that_grew_is_read_on_from_where_the_last_scan_stopped(
    box: fx.Mailbox, record: Path, tmp_path: Path
) -> None:
    first = scanned(box, record)
    before = [m for m in first.messages if m.folder == str(box.archive)]
    size = box.archive.stat().st_size
    added = [fx.ACME["rejection"][1], fx.ACME["reply-raj"][1]]
    with box.archive.open("ab") as stream:  # as a mail client delivers: appended in place
        for data in added:
            stream.write(fx.mbox_entry(data))
    result = scanned(box, record)
    assert (result.read, result.reused) == (2, len(fx.ACME))
    now = [m for m in result.messages if m.folder == str(box.archive)]
    assert now[:2] == before and now[2].key == str(size)
    assert result.messages == scan.scan(box.paths, tmp_path / "fresh").messages


def test_an_mbox_written_anew_is_read_again_whole(box: fx.Mailbox, record: Path, tmp_path: Path) -> None:
    scanned(box, record)
    entries = [fx.ACME["reply-jane-copy"][1], fx.ACME["rejection"][1], fx.ACME["schedule"][1]]
    replacement = box.archive.with_name("Archive.new")
    fx.mbox(replacement, entries)
    replacement.replace(box.archive)  # a client expunging: a new file put in place
    result = scanned(box, record)
    assert (result.read, result.reused) == (3, len(fx.ACME) - 2)
    assert [m.message_id for m in result.messages if m.folder == str(box.archive)] == [
        "CAK98.reply.jane@mail.gmail.com", "gh.7f3e.rejection@us.greenhouse-mail.io", "sched.0302@acme-analytics.com",
    ]
    assert result.messages == scan.scan(box.paths, tmp_path / "fresh").messages


def test_an_mbox_changed_in_place_is_read_again_whole(box: fx.Mailbox, record: Path, tmp_path: Path) -> None:
    scanned(box, record)
    data = box.archive.read_bytes()
    with box.archive.open("r+b") as stream:  # same size, same inode: a subject edited in place
        stream.write(data.replace(b"Your interview schedule", b"Your interview timetable"))
    os.utime(box.archive, ns=(0, box.archive.stat().st_mtime_ns + 1_000_000))
    result = scanned(box, record)
    assert (result.read, result.reused) == (2, len(fx.ACME) - 2)
    assert "Your interview timetable for Tuesday" in [m.subject for m in result.messages]
    assert result.messages == scan.scan(box.paths, tmp_path / "fresh").messages


def test_an_mbox_read_while_a_message_was_being_appended(tmp_path: Path, record: Path) -> None:
    whole = fx.mbox_entry(fx.ACME["schedule"][1]) + fx.mbox_entry(fx.ACME["rejection"][1])
    path = tmp_path / "Inbox.mbox"
    path.write_bytes(whole[: len(whole) - 200])  # the scan comes while the second is half written
    scan.scan([path], record)
    with path.open("ab") as stream:
        stream.write(whole[len(whole) - 200 :])
    result = scan.scan([path], record)
    assert result.read == 2  # not read on from the middle of a message: read again
    assert result.messages == scan.scan([path], tmp_path / "fresh").messages
    assert result.messages[1].subject == "Your application to Acme Analytics"


@pytest.mark.parametrize(
    "garbage", [b"", b"not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 5000],
    ids=["empty", "text", "a broken database"],
)
def test_a_corrupt_record_is_made_anew(box: fx.Mailbox, record: Path, garbage: bytes) -> None:
    first = scanned(box, record)
    (record / scan.RECORD_NAME).write_bytes(garbage)
    result = scanned(box, record)
    assert (result.read, result.warnings) == (len(fx.ACME), [])
    assert result.messages == first.messages
    assert scanned(box, record).read == 0


def test_someone_elses_database_is_not_used(box: fx.Mailbox, record: Path) -> None:
    record.mkdir(parents=True)
    other = sqlite3.connect(record / scan.RECORD_NAME)
    other.execute("CREATE TABLE messages (ident TEXT, key TEXT, data TEXT)")
    other.execute("INSERT INTO messages VALUES (?, ?, ?)", (str(box.inbox.resolve()), "x", "[]"))
    other.commit()
    other.close()
    result = scanned(box, record)
    assert (result.read, result.warnings) == (len(fx.ACME), [])
    assert scanned(box, record).read == 0


@pytest.mark.parametrize(
    "change",
    ["subject = x'00ff'", "recipients = 'an odd number of items'", "stamp = 'yesterday'", "stamp = 99999999999999",
     "skipped = 'yes'"],
)
def test_a_record_with_a_broken_row_is_made_anew(box: fx.Mailbox, record: Path, change: str) -> None:
    first = scanned(box, record)
    with sqlite3.connect(record / scan.RECORD_NAME) as db:
        db.execute(f"UPDATE messages SET {change} WHERE key = (SELECT min(key) FROM messages)")
    db.close()
    result = scanned(box, record)
    assert (result.read, result.warnings) == (len(fx.ACME), [])
    assert result.messages == first.messages


def test_a_record_in_use_by_another_scan_is_worked_around(
    box: fx.Mailbox, record: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = scanned(box, record)
    monkeypatch.setattr(scan, "_BUSY_SECONDS", 0.05)
    other = sqlite3.connect(record / scan.RECORD_NAME, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another run, in the middle of writing
    try:
        result = scanned(box, record)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.messages == first.messages and result.read == len(fx.ACME)
    assert result.warnings == [
        f"The mail record {record / scan.RECORD_NAME} cannot be used (database is locked), "
        "so every message is read again."
    ]
    assert scanned(box, record).read == 0  # the record was left alone


def test_a_record_that_cannot_be_written_is_worked_around(box: fx.Mailbox, tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the record's folder should be")
    result = scanned(box, blocked / "followup")
    assert result.read == len(fx.ACME) and len(result.messages) == len(fx.ACME)
    assert len(result.warnings) == 1 and "mail record" in result.warnings[0]


# --- mbox files ------------------------------------------------------------------------------


BODY_WITH_FROM_LINES = (
    "Hi,\n\nFrom what I saw, this line starts with From and follows a blank line.\n"
    "This one does not:\nFrom here on it is body text.\n"
)


@pytest.mark.parametrize("crlf", [False, True])
def test_from_lines_in_bodies_start_no_message(tmp_path: Path, record: Path, crlf: bool) -> None:
    messages = [
        fx.mail(sender=fx.JANE, subject=f"Message {n}", date="Thu, 05 Mar 2026 10:00:00 +0100",
                message_id=f"m{n}@x.com", body=BODY_WITH_FROM_LINES, crlf=crlf)
        for n in range(3)
    ]
    path = fx.mbox(tmp_path / "Quoted.mbox", messages, crlf=crlf)
    result = scan.scan([path], record)
    assert [m.subject for m in result.messages] == ["Message 0", "Message 1", "Message 2"]
    assert b">From what I saw" in path.read_bytes()


def test_mbox_messages_are_found_whatever_the_chunks(tmp_path: Path) -> None:
    entries = [fx.mbox_entry(data) for _, data in fx.ACME.values()][:6]
    entries.append(b"From x Thu Mar  5 10:00:00 2026\r\nSubject: crlf\r\n\r\nbody\r\n\r\n")
    entries.append(b"From x Thu Mar  5 10:00:00 2026\nSubject: no body\n")
    data = b"".join(entries)
    path = tmp_path / "chunks.mbox"
    path.write_bytes(data)
    offsets = [sum(len(e) for e in entries[:n]) for n in range(len(entries))]

    def head(header: bytes) -> tuple[bytes, bool]:
        return header, b"Invitation" in header or b"Onsite" in header

    expected = None
    for chunk in (1, 2, 3, 7, 8, 9, 64, 1000, 1 << 20):
        with path.open("rb", buffering=0) as stream:
            found = list(scan._mbox_messages(stream, 0, head, chunk=chunk))
        assert [offset for offset, *_ in found] == offsets
        assert [end for *_, end in found] == [*offsets[1:], len(data)]
        assert found[-2][1] == b"Subject: crlf\r\n" and found[-1][1] == b"Subject: no body\n"
        assert found[0][2] is not None and found[0][2].startswith(b"From ") and found[1][2] is None
        expected = expected or found
        assert found == expected


def test_a_long_header_in_an_mbox_skips_that_message_only(tmp_path: Path, record: Path) -> None:
    long_header = b"X-Padding: " + b"a" * 300_000 + b"\nSubject: huge\n\nbody\n"
    path = tmp_path / "Big.mbox"
    path.write_bytes(
        fx.mbox_entry(fx.ACME["schedule"][1]) + b"From x Thu Mar  5 10:00:00 2026\n" + long_header + b"\n"
        + fx.mbox_entry(fx.ACME["rejection"][1])
    )
    result = scan.scan([path], record)
    assert [m.message_id for m in result.messages] == [
        "sched.0302@acme-analytics.com", "gh.7f3e.rejection@us.greenhouse-mail.io",
    ]
    assert len(result.warnings) == 1 and str(path) in result.warnings[0] and "256 KiB" in result.warnings[0]
    again = scan.scan([path], record)
    assert (again.read, again.warnings) == (0, result.warnings)


# --- hostile mail ----------------------------------------------------------------------------


HEADER = (
    b"Return-Path: <eve@evil.example>\n"
    b"Date: Thu, 05 Mar 2026 10:00:00 +0100\n"
    b"Message-ID: <hostile@evil.example>\n"
    b"To: Alex Doe <alex.doe@fastmail.com>\n"
)


def test_header_injection_is_data(tmp_path: Path, record: Path) -> None:
    data = (
        HEADER
        + b"From: =?utf-8?q?Sam_Green_=3Csam.green=40acme-analytics.com=3E?= <eve@evil.example>\n"
        + b"Subject: =?utf-8?b?SGVsbG8NCkJjYzogY2VvQGFjbWUtYW5hbHl0aWNzLmNvbQ0KDQpib2R5?=\n"
        + b"Cc: =?utf-8?q?=0D=0ACc=3A_ceo=40acme-analytics=2Ecom?= <eve2@evil.example>\n"
        + b"X-Note: text\rReply-To: ceo@acme-analytics.com\n"
        + b"\nbody\n"
    )
    (message,) = one_message(tmp_path, data, record).messages
    assert message.sender == ("Sam Green <sam.green@acme-analytics.com>", "eve@evil.example")
    assert message.subject == "Hello Bcc: ceo@acme-analytics.com body"
    assert message.cc == (("Cc: ceo@acme-analytics.com", "eve2@evil.example"),)
    assert message.reply_to == ()  # after a lone CR: part of X-Note, no field of its own
    assert message.to == (("Alex Doe", "alex.doe@fastmail.com"),)


def test_folded_and_encoded_fields(tmp_path: Path, record: Path) -> None:
    data = (
        HEADER
        + b'From: "Roe, Jane"\n <jane.roe@acme-analytics.com>\n'
        + b"Subject: =?ISO-8859-1?Q?R=E9union?=\n =?UTF-8?B?IOKAlCBzdW1tYXJ5?= of\n"
        + b"\tthe =?x-unknown?q?day?= =?utf-8?b?abcde?=\n"
        + b"CC: Bob <BOB@Example.COM>, group: a@b.example, c@d.example;, (comment) e@f.example\n"
        + b"\n"
    )
    (message,) = one_message(tmp_path, data, record).messages
    assert message.sender == ("Roe, Jane", "jane.roe@acme-analytics.com")
    assert message.subject == "Réunion — summary of the day =?utf-8?b?abcde?="  # broken base64: as written
    assert [address for _, address in message.cc] == ["bob@example.com", "a@b.example", "c@d.example", "e@f.example"]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        (b"Date: yesterday\n", None),
        (b"Date: Thu, 32 Mar 2026 25:00:00 +0100\n", None),
        (b"Date: \n", None),
        (b"", None),
        (b"Date: Thu, 5 Mar 26 10:00 GMT\n", datetime(2026, 3, 5, 10, tzinfo=UTC)),
        (b"Date: Thu, 05 Mar 2026 10:00:60 -0000\n", datetime(2026, 3, 5, 10, 0, 59, tzinfo=UTC)),
        (b"Date: 31 Dec 9999 23:00:00 -1200\n", None),  # after the last datetime
    ],
)
def test_broken_or_missing_dates(tmp_path: Path, record: Path, field: bytes, expected: datetime | None) -> None:
    data = b"From: a@b.example\nSubject: s\n" + field + b"\nbody\n"
    (message,) = one_message(tmp_path, data, record).messages
    assert message.date == expected


def test_nul_and_non_utf8_bytes(tmp_path: Path, record: Path) -> None:
    data = (
        b"From: J\xfcrgen M\xfcller <j\x00m@acme.example>\n"  # Latin-1, a NUL in the address
        b"Sender: J\xc3\xbcrgen <jurgen@acme.example>\n"  # UTF-8 (RFC 6532)
        b"To: Alex <alex.doe@fastmail.com>\n"
        b"Subject: Gr\xc3\xbc\xc3\x9fe\x00 und \x1b[31mrot\x1b[0m \xe2\x80\xae gespiegelt\n"  # ESC, RLO
        b"Message-ID: <a\x00b@x>\n"
        b"\n\xff\xfe body\n"
    )
    result = one_message(tmp_path, data, record)
    (message,) = result.messages
    assert message.sender == ("Jürgen", "jurgen@acme.example")  # no usable From: the Sender
    assert message.subject == "Grüße und [31mrot [0m gespiegelt"
    assert message.message_id == ""
    assert scan.scan([tmp_path / "Hostile"], record).messages == result.messages  # the record keeps it alike


def test_missing_from_and_empty_header(tmp_path: Path, record: Path) -> None:
    root = fx.maildir(tmp_path / "Odd", {
        "1.M1.a": b"Subject: no sender\n\nbody\n",
        "2.M2.a": b"\nonly a body\n",
        "3.M3.a": b"",
        "4.M4.a": b"Subject: no body, no blank line",
    })
    messages = scan.scan([root], record).messages
    assert [(m.sender, m.subject) for m in messages] == [
        (("", ""), "no sender"), (("", ""), ""), (("", ""), ""), (("", ""), "no body, no blank line"),
    ]


def test_duplicate_message_ids_are_kept_for_matching_to_sort_out(tmp_path: Path, record: Path) -> None:
    data = fx.ACME["reply-jane"][1]
    root = fx.maildir(tmp_path / "Dup", {"1.M1.a": data, "2.M2.a": data, "3.M3.a:2,S": data})
    result = scan.scan([root], record)
    assert [m.key for m in result.messages] == ["1.M1.a", "2.M2.a", "3.M3.a"]
    assert len({m.message_id for m in result.messages}) == 1


def test_a_ten_megabyte_header_is_skipped(tmp_path: Path, record: Path) -> None:
    root = fx.maildir(tmp_path / "Big", {"1.M1.a": fx.ACME["reply-jane"][1], "2.M2.a": b"X-A: " + b"b" * 10_000_000})
    result = scan.scan([root], record)
    assert [m.key for m in result.messages] == ["1.M1.a"]
    assert result.warnings == [f"The header of {root / 'new' / '2.M2.a'} is longer than 256 KiB; skipped."]
    again = scan.scan([root], record)
    assert (again.read, again.reused, again.warnings) == (0, 2, result.warnings)


def test_a_symbolic_link_is_never_followed(tmp_path: Path, record: Path) -> None:
    outside = tmp_path / "private.eml"
    outside.write_bytes(fx.mail(sender=fx.SAM, subject="Secret", date="Thu, 05 Mar 2026 10:00:00 +0100",
                                message_id="secret@acme-analytics.com"))
    root = fx.maildir(tmp_path / "Links", {"1.M1.a": fx.ACME["reply-jane"][1]})
    (root / "cur" / "2.M2.a:2,S").symlink_to(outside)
    (root / "new" / "3.M3.a").symlink_to(tmp_path / "missing")
    result = scan.scan([root], record)
    assert [m.key for m in result.messages] == ["1.M1.a"]
    assert sorted(result.warnings) == [
        f"{root / 'cur' / '2.M2.a:2,S'} is a symbolic link; skipped.",
        f"{root / 'new' / '3.M3.a'} is a symbolic link; skipped.",
    ]
    elsewhere = fx.maildir(tmp_path / "Elsewhere", {"4.M4.a:2,S": fx.ACME["reply-raj"][1]})
    (root / "cur" / "2.M2.a:2,S").unlink()
    (root / "cur").rmdir()
    (root / "cur").symlink_to(elsewhere / "cur")  # a folder of the Maildir itself
    result = scan.scan([root], record)
    assert [m.key for m in result.messages] == ["1.M1.a"]
    assert f"{root / 'cur'} is a symbolic link; skipped." in result.warnings


def test_a_fifo_or_a_folder_named_like_a_message_is_skipped(tmp_path: Path, record: Path) -> None:
    root = fx.maildir(tmp_path / "Odd", {"1.M1.a": fx.ACME["reply-jane"][1]})
    os.mkfifo(root / "new" / "2.M2.a")  # opened for reading, it would wait for a writer forever
    (root / "cur" / "3.M3.a:2,S").mkdir()
    done: list[ScanResult] = []
    worker = threading.Thread(target=lambda: done.append(scan.scan([root], record)), daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert done, "the scan hung on the FIFO"
    assert [m.key for m in done[0].messages] == ["1.M1.a"]
    assert sorted(done[0].warnings) == [
        f"{root / 'cur' / '3.M3.a:2,S'} is not a regular file; skipped.",
        f"{root / 'new' / '2.M2.a'} is not a regular file; skipped.",
    ]


def test_a_message_that_vanishes_before_it_is_read_is_skipped_quietly(
    tmp_path: Path, record: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = fx.maildir(tmp_path / "Racy", {"1.M1.a": fx.ACME["reply-jane"][1], "2.M2.a": fx.ACME["reply-raj"][1]})
    listing = scan._list_maildir

    def list_then_expunge(folder: str, warnings: list[str]) -> dict[str, str]:
        found = listing(folder, warnings)
        (root / "new" / "2.M2.a").unlink()  # a client expunges it right after the listing
        return found

    monkeypatch.setattr(scan, "_list_maildir", list_then_expunge)
    result = scan.scan([root], record)
    assert ([m.key for m in result.messages], result.warnings) == (["1.M1.a"], [])


def test_an_unreadable_message_is_named(tmp_path: Path, record: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = fx.maildir(tmp_path / "Locked", {"1.M1.a": fx.ACME["reply-jane"][1], "2.M2.a": fx.ACME["reply-raj"][1]})
    opener = scan._Scanner._open

    def refuse(self: scan._Scanner, path: str) -> int:  # chmod 000 means nothing to root, who may run this
        if path.endswith("2.M2.a"):
            raise PermissionError(13, "Permission denied", path)
        return opener(self, path)

    monkeypatch.setattr(scan._Scanner, "_open", refuse)
    result = scan.scan([root], record)
    assert [m.key for m in result.messages] == ["1.M1.a"]
    assert result.warnings == [f"{root / 'new' / '2.M2.a'} cannot be read (permission denied); skipped."]
    monkeypatch.undo()
    assert scan.scan([root], record).read == 1  # not recorded as skipped: read once it can be


def test_paths_that_are_no_mail(tmp_path: Path, record: Path) -> None:
    plain = tmp_path / "Documents"
    plain.mkdir()
    text = tmp_path / "notes.txt"
    text.write_text("Dear diary\n")
    result = scan.scan([tmp_path / "missing", plain, text], record)
    assert result.messages == []
    assert result.warnings == [
        f"{tmp_path / 'missing'} cannot be read (no such file or directory); skipped.",
        f"{plain} is neither a Maildir (with cur/ and new/) nor an mbox file.",
        f"{text} does not start with a 'From ' line, so it is no mbox file.",
    ]


def test_warnings_show_control_characters_in_names(tmp_path: Path, record: Path) -> None:
    root = fx.maildir(tmp_path / "Names", {})
    (root / "new" / "1.M1.\x1b]0;pwned\x07\nx").symlink_to(tmp_path)
    (warning,) = scan.scan([root], record).warnings
    assert "\x1b" not in warning and "\n" not in warning and "\\x1b" in warning


def test_broken_invitations_are_no_invitations(tmp_path: Path, record: Path) -> None:
    nested = b"".join(b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (n, n) for n in range(200))
    root = fx.maildir(tmp_path / "Broken", {
        "1.M1.a": HEADER + b"From: a@b.example\nSubject: Invitation\nContent-Type: text/calendar\n\nnot base64 !!!\n",
        "2.M2.a": HEADER + b"From: a@b.example\nSubject: Invitation\nMIME-Version: 1.0\n" + nested + b"text/calendar\n",
        "3.M3.a": HEADER + b"From: a@b.example\nSubject: Meeting\nContent-Type: multipart/mixed; boundary=x\n\n"
        b"--x\nContent-Type: text/calendar\nContent-Transfer-Encoding: base64\n\n%%%%\n--x--\n",
        "4.M4.a": HEADER + b"From: a@b.example\nSubject: Cancelled\nContent-Type: text/calendar; method=CANCEL\n\n"
        b"BEGIN:VCALENDAR\nMETHOD:CANCEL\nBEGIN:VEVENT\nUID:gone@b.example\nSEQUENCE:3\nEND:VEVENT\nEND:VCALENDAR\n",
    })
    messages = scan.scan([root], record).messages
    assert [(m.invitation, m.invitation_uid, m.invitation_method, m.inviting) for m in messages] == [
        (True, "", "", False), (False, "", "", False), (True, "", "", False), (True, "gone@b.example", "CANCEL", False),
    ]


def test_an_invitation_in_an_mbox_file(tmp_path: Path, record: Path) -> None:
    path = fx.mbox(tmp_path / "Invites.mbox", [fx.ACME["schedule"][1], fx.ACME["borealis"][1], fx.ACME["invite"][1]])
    messages = scan.scan([path], record).messages
    assert [(m.invitation_uid, m.invitation_sequence) for m in messages] == [
        ("", 0), (fx.BOREALIS_UID, 1), (fx.ONSITE_UID, 0),
    ]


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from([b"", b"Content-Type: multipart/mixed; boundary=a\nSubject: call\n"]))
def test_any_bytes_are_read_without_an_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, prefix: bytes
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    root = fx.maildir(folder / "Fuzz", {"1.M1.a": prefix + data})
    mbox = folder / "fuzz.mbox"
    mbox.write_bytes(b"From x\n" + prefix + data)
    result = scan.scan([root, mbox], folder / "record")
    assert len(result.messages) + len(result.warnings) >= 2
    for message in result.messages:
        assert message.subject == headers.one_line(message.subject, scan.MAX_SUBJECT)
        assert all("\n" not in text and "\r" not in text for text in (message.message_id, *message.sender))
    assert scan.scan([root, mbox], folder / "record").messages == result.messages


@pytest.mark.parametrize("part", [
    b'Content-Type: application/x-ics; name="invite.ics"',  # an older Outlook
    b"Content-Type: text/x-vcalendar",  # vCalendar 1.0 senders
    b'Content-Type: application/octet-stream; name="meeting.vcs"',  # a calendar known by its name
])
def test_an_invitation_is_found_in_every_part_followup_invite_reads(tmp_path: Path, record: Path, part: bytes) -> None:
    calendar = (b"BEGIN:VCALENDAR\nMETHOD:REQUEST\nBEGIN:VEVENT\nUID:kind@b.example\nSEQUENCE:2\n"
                b"END:VEVENT\nEND:VCALENDAR\n")
    root = fx.maildir(tmp_path / "Kinds", {
        "1.M1.a": HEADER + b"From: a@b.example\nSubject: Interview invitation\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain\n\nSee you.\n--x\n"
        + part + b"\n\n" + calendar + b"--x--\n",
    })
    (message,) = scan.scan([root], record).messages
    assert (message.invitation_uid, message.invitation_sequence, message.inviting) == ("kind@b.example", 2, True)
