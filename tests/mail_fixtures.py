"""Mail as clients write it, for the mail tests: RFC 5322 bytes with trace fields, folded and
encoded headers, threads and a calendar invitation, put in Maildir folders and mbox files.

`acme_mailbox` is one job seeker's mail around an onsite interview at Acme Analytics on
Tuesday 3 March 2026, 10:00-11:00 in Berlin, with everything a reader of it must not be
fooled by; `ACME` names each message so that tests can say which one a proposal rests on.
"""

from __future__ import annotations

import base64
import os
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Europe/Berlin")
ME = "alex.doe@fastmail.com"
ALEX = f"Alex Doe <{ME}>"
JANE = "Jane Roé <jane.roe@acme-analytics.com>"
RAJ = "Raj Patel <raj.patel@acme-analytics.com>"
LI = "Li Wei <li.wei@acme-analytics.com>"
SAM = "Sam Green <sam.green@acme-analytics.com>"
MIA = "Mia Kovač <mia.kovac@gmail.com>"  # a friend
ONSITE_UID = "acme-onsite-20260303@acme-analytics.com"  # the invitation the note was made from
BOREALIS_UID = "4v8k2q7m1n3p5r6s@google.com"  # an invitation no note has


def mail(
    *,
    sender: str,
    to: Sequence[str] = (ME,),
    cc: Sequence[str] = (),
    subject: str,
    date: str,
    message_id: str,
    in_reply_to: str = "",
    references: Sequence[str] = (),
    extra: Sequence[tuple[str, str]] = (),
    body: str = "Hello,\n\nThanks.\n",
    received: bool = True,
    crlf: bool = False,
) -> bytes:
    """A plain-text message as a mail server stores it: trace fields first (when `received`),
    then the fields a client writes, encoded (`=?utf-8?q?...?=`) and folded as it would."""
    message = EmailMessage(policy=policy.default)
    message["From"] = sender
    if to:
        message["To"] = ", ".join(to)
    if cc:
        message["Cc"] = ", ".join(cc)
    message["Subject"] = subject
    message["Date"] = date
    message["Message-ID"] = f"<{message_id}>"
    if in_reply_to:
        message["In-Reply-To"] = f"<{in_reply_to}>"
    if references:
        message["References"] = " ".join(f"<{ref}>" for ref in references)
    for name, value in extra:
        message[name] = value
    message.set_content(body)
    written = message.as_bytes(policy=policy.SMTP if crlf else policy.default)
    if not received:
        return written
    return trace(sender, date, crlf=crlf) + written


def trace(sender: str, date: str, *, crlf: bool = False) -> bytes:
    """The fields a receiving server puts above a message: Return-Path, Received, ARC and DKIM."""
    address = sender.rpartition("<")[2].rstrip(">") or sender
    domain = address.rpartition("@")[2]
    text = textwrap.dedent(f"""\
        Return-Path: <{address}>
        Delivered-To: {ME}
        Received: from mx4.messagingengine.com (mx4.messagingengine.com [10.202.2.163])
        \tby sloti42n1.messagingengine.com (Cyrus 3.11.0) with LMTPA;
        \t {date}
        Received: from mail-{domain} (mail-{domain} [203.0.113.25])
        \t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)
        \t key-exchange X25519 server-signature RSA-PSS (2048 bits))
        \t(No client certificate requested)
        \tby mx4.messagingengine.com (Postfix) with ESMTPS id 4ZqP2x1Hn5z9sWg
        \tfor <{ME}>; {date}
        ARC-Seal: i=1; a=rsa-sha256; cv=none; d=messagingengine.com; s=fm3; t=1772713192;
        \tb=kGq3H2cV0o9pX6o1vB3N8Dk5Yp0hRw2u7T4mZl1e9sJf3aQy6cUx8bWn0rVt5zKd
        \t Lr4Pq1Ys7Hc2Nv9Bm6Xj3Tg0Wf8Ek5Dh2Ua7Ri4Ol1Ic9Sb6Zn3Vy0Mw7Qt4Px1Ju
        DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=google;
        \th=from:to:subject:date:message-id:mime-version;
        \tbh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;
        \tb=Vn3Hx8Kq1Ls6Pd9Wm2Rt5Yb0Gc7Nf4Jz1Qh8Uk3Xa6Ev9Io2Tw5Mr0Sy7Lb4Dp1Cg
        \t Fj8Ne3Hq6Ku9Ao2Zs5Wx0Bv7Rm4Ty1Pl8Ic3Gd6Jh9Ea2Qn5Uf0Ok7Lw4Xz1Sb8My
        X-Spam-Score: -0.1
        """)
    data = text.encode()
    return data.replace(b"\n", b"\r\n") if crlf else data


def invitation(
    *,
    sender: str,
    subject: str,
    date: str,
    message_id: str,
    uid: str,
    sequence: int = 0,
    method: str = "REQUEST",
    google: bool = True,
) -> bytes:
    """A calendar invitation: Google Calendar's layout (multipart/mixed holding text, HTML and
    text/calendar alternatives, then invite.ics, both base64) or Outlook's (multipart/alternative
    with a Content-Class field). Nothing in the header but the subject says which it is."""
    calendar = (
        "BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\n"
        f"CALSCALE:GREGORIAN\r\nMETHOD:{method}\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"
        "BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nDTSTART:19701025T030000\r\n"
        "END:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\n"
        "DTSTART;TZID=Europe/Berlin:20260324T140000\r\nDTEND;TZID=Europe/Berlin:20260324T150000\r\n"
        "DTSTAMP:20260315T091500Z\r\n"
        f'ORGANIZER;CN="Berg, Ines: Talent":mailto:{sender.rpartition("<")[2].rstrip(">")}\r\n'
        f"UID:{uid}\r\nATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=\r\n"
        f" TRUE;CN={ME};X-NUM-GUESTS=0:mailto:{ME}\r\nSEQUENCE:{sequence}\r\nSTATUS:CONFIRMED\r\n"
        "SUMMARY:Interview\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nUID:alarm-1\r\nTRIGGER:-P0DT0H10M0S\r\n"
        "END:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    encoded = "\n".join(textwrap.wrap(base64.b64encode(calendar.encode()).decode(), 76))
    if google:
        head = (
            f"From: {_encoded(sender)}\nReply-To: {_encoded(sender)}\n"
            "Sender: Google Calendar <calendar-notification@google.com>\n"
            f"To: {ME}\nMessage-ID: <{message_id}>\nDate: {date}\nSubject: {_encoded(subject)}\n"
            'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="000000000000ab12cd34ef56"\n'
        )
        body = (
            "\n--000000000000ab12cd34ef56\n"
            'Content-Type: multipart/alternative; boundary="000000000000ab12cd34ef55"\n\n'
            "--000000000000ab12cd34ef55\nContent-Type: text/plain; charset=\"UTF-8\"; format=flowed; delsp=yes\n"
            "Content-Transfer-Encoding: base64\n\n"
            + base64.b64encode(b"You have been invited to the following event.\n").decode()
            + "\n--000000000000ab12cd34ef55\nContent-Type: text/html; charset=\"UTF-8\"\n"
            "Content-Transfer-Encoding: quoted-printable\n\n<p>You have been invited.</p>\n"
            "--000000000000ab12cd34ef55\n"
            f'Content-Type: text/calendar; charset="UTF-8"; method={method}\n'
            f"Content-Transfer-Encoding: base64\n\n{encoded}\n"
            "--000000000000ab12cd34ef55--\n\n"
            "--000000000000ab12cd34ef56\n"
            'Content-Type: application/ics; name="invite.ics"\n'
            'Content-Disposition: attachment; filename="invite.ics"\n'
            f"Content-Transfer-Encoding: base64\n\n{encoded}\n"
            "--000000000000ab12cd34ef56--\n"
        )
    else:
        head = (
            f"From: {_encoded(sender)}\nTo: {ME}\nSubject: {_encoded(subject)}\nThread-Topic: {_encoded(subject)}\n"
            f"Date: {date}\nMessage-ID: <{message_id}>\nContent-Language: en-US\n"
            "Content-Class: urn:content-classes:calendarmessage\nMIME-Version: 1.0\n"
            'Content-Type: multipart/alternative;\n\tboundary="_002_DB9PR10MB5740A1B2C3D4E5F6_"\n'
        )
        body = (
            "\n--_002_DB9PR10MB5740A1B2C3D4E5F6_\nContent-Type: text/plain; charset=\"us-ascii\"\n\n"
            "Looking forward to meeting you.\n\n"
            f"--_002_DB9PR10MB5740A1B2C3D4E5F6_\nContent-Type: text/calendar; charset=\"utf-8\"; method={method}\n"
            f"Content-Transfer-Encoding: base64\n\n{encoded}\n\n--_002_DB9PR10MB5740A1B2C3D4E5F6_--\n"
        )
    return trace(sender, date) + (head + body).encode()


def _encoded(header: str) -> str:
    """A header value as a client writes it: encoded words where it is not ASCII, folded."""
    message = EmailMessage(policy=policy.default)
    message["X"] = header
    return message.as_string().partition(":")[2].strip()


def name_of(n: int, flags: str | None = None) -> str:
    """A Maildir file name as Dovecot makes them; with `:2,` and the flags when `flags` is given."""
    unique = f"17725{n:05d}.M{n * 7919 % 1000000}P{4000 + n}Q{n}.laptop,S={1000 + n}"
    return unique if flags is None else f"{unique}:2,{flags}"


def maildir(root: Path, messages: Mapping[str, bytes]) -> Path:
    """A Maildir holding `messages` by file name: names with `:2,` go in cur/, the others in new/."""
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for name, data in messages.items():
        (root / ("cur" if ":2," in name else "new") / name).write_bytes(data)
    return root


def mbox(path: Path, messages: Iterable[bytes], *, crlf: bool = False) -> Path:
    """An mbox file (mboxrd): each message after a "From " line, body lines that start with
    "From " quoted as ">From ", a blank line after each."""
    path.write_bytes(b"".join(mbox_entry(data, crlf=crlf) for data in messages))
    return path


def mbox_entry(data: bytes, *, crlf: bool = False) -> bytes:
    newline = b"\r\n" if crlf else b"\n"
    head, sep, body = data.partition(b"\n\n") if b"\r\n\r\n" not in data else data.partition(b"\r\n\r\n")
    quoted = b"\n".join(b">" + line if line.lstrip(b">").startswith(b"From ") else line for line in body.split(b"\n"))
    data = head + sep + quoted
    if not data.endswith(newline):
        data += newline
    return b"From MAILER-DAEMON Thu Mar  5 10:00:00 2026" + newline + data + newline


@dataclass(frozen=True, slots=True)
class Mailbox:
    inbox: Path  # a Maildir
    sent: Path  # a Maildir
    archive: Path  # an mbox file

    @property
    def paths(self) -> list[str]:
        return [str(self.inbox), str(self.sent), str(self.archive)]


# Each message of the Acme mailbox by a short name: (folder, bytes). The comments say what
# each one must (or must not) make the matcher propose for the onsite round.
ACME: dict[str, tuple[str, bytes]] = {
    # The invitation the note was made from (Outlook's layout): the round has its UID.
    "invite": ("inbox", invitation(
        sender=SAM, subject="Onsite interview — Acme Analytics", date="Tue, 24 Feb 2026 16:12:03 +0100",
        message_id="DB9PR10MB5740.onsite@eurprd10.prod.outlook.com", uid=ONSITE_UID, google=False,
    )),
    # Before the interview: neither a reply nor a thank-you.
    "schedule": ("archive", mail(
        sender=SAM, subject="Your interview schedule for Tuesday", date="Mon, 02 Mar 2026 15:00:00 +0100",
        message_id="sched.0302@acme-analytics.com", body="Hi Alex,\n\nFrom 10:00 you meet Jane, Raj and Li.\n",
    )),
    "before": ("sent", mail(
        sender=ALEX, to=(LI,), subject="Looking forward to Tuesday", date="Fri, 27 Feb 2026 09:00:00 +0100",
        message_id="before.li@fastmail.com", received=False,
    )),
    # Thank-yous to two of the three interviewers (Raj's with the recruiter in Cc).
    "thanks-jane": ("sent", mail(
        sender=ALEX, to=(JANE,), subject="Thank you for today", date="Tue, 03 Mar 2026 18:05:00 +0100",
        message_id="ty-jane@fastmail.com", received=False,
    )),
    "thanks-raj": ("sent", mail(
        sender=ALEX, to=(RAJ,), cc=(SAM,), subject="Thank you — Acme Analytics interview",
        date="Wed, 04 Mar 2026 08:30:00 +0100", message_id="ty-raj@fastmail.com", received=False, crlf=True,
    )),
    # Raj is away (Outlook's out-of-office: only the subject says so); Sam's answers by itself.
    "out-of-office": ("inbox", mail(
        sender=RAJ, subject="Automatic reply: Thank you — Acme Analytics interview",
        date="Wed, 04 Mar 2026 08:31:00 +0100", message_id="ooo.raj@acme-analytics.com",
        in_reply_to="ty-raj@fastmail.com", extra=(("X-Auto-Response-Suppress", "All"),),
        body="I am out of the office until 9 March.\n",
    )),
    "auto-reply": ("inbox", mail(
        sender=SAM, subject="Re: Thank you — Acme Analytics interview", date="Wed, 04 Mar 2026 08:31:30 +0100",
        message_id="auto.sam@acme-analytics.com", in_reply_to="ty-raj@fastmail.com",
        extra=(("Auto-Submitted", "auto-replied"),), body="Thanks for your message. I will answer soon.\n",
    )),
    # The company's newsletter, from its marketing domain, to me personally.
    "newsletter": ("inbox", mail(
        sender="Acme Analytics <news@mail.acme-analytics.com>",
        subject="Acme Analytics Monthly: what we shipped in February", date="Wed, 04 Mar 2026 12:00:00 +0000",
        message_id="nl-2026-03.4711@mail.acme-analytics.com",
        extra=(
            ("List-Unsubscribe", "<https://mail.acme-analytics.com/u/4711>, <mailto:u@mail.acme-analytics.com>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ("Precedence", "bulk"),
        ),
    )),
    # An interviewer writing to a mailing list I am on, about the company.
    "list": ("inbox", mail(
        sender=LI, to=("Data Engineering <data-eng@lists.example.org>",),
        subject="[data-eng] Acme Analytics is hiring data engineers", date="Thu, 05 Mar 2026 07:00:00 +0100",
        message_id="hiring.li@acme-analytics.com",
        extra=(
            ("List-Id", "Data engineering <data-eng.lists.example.org>"),
            ("List-Post", "<mailto:data-eng@lists.example.org>"),
            ("Precedence", "list"),
        ),
    )),
    # Someone at a webmail address who has an interviewer's name.
    "namesake": ("inbox", mail(
        sender="Jane Roé <jane.roe.1987@gmail.com>", subject="Coffee next week?",
        date="Thu, 05 Mar 2026 12:00:00 +0100", message_id="CAH3x9Lw.namesake@mail.gmail.com",
    )),
    # A friend forwards tips; I forward my thank-you to her.
    "forward-in": ("inbox", mail(
        sender=MIA, subject="Fwd: Acme Analytics interview tips", date="Thu, 05 Mar 2026 19:00:00 +0100",
        message_id="CAJ7fwd.tips@mail.gmail.com",
        body="---------- Forwarded message ---------\nFrom: Someone <s@acme-analytics.com>\n\nTips.\n",
    )),
    "forward-out": ("sent", mail(
        sender=ALEX, to=(MIA,), subject="Fwd: Thank you for today", date="Fri, 06 Mar 2026 20:00:00 +0100",
        message_id="fwd.mia@fastmail.com", references=("ty-jane@fastmail.com",), received=False,
    )),
    # The interviewers answer my thank-yous: Jane first, late on Friday in San Francisco,
    # which is Saturday 7 March in Berlin.
    "reply-jane": ("inbox", mail(
        sender=JANE, subject="Re: Thank you for today", date="Fri, 06 Mar 2026 22:30:00 -0800",
        message_id="CAK98.reply.jane@mail.gmail.com", in_reply_to="ty-jane@fastmail.com",
        references=("ty-jane@fastmail.com",),
    )),
    "answer-jane": ("sent", mail(
        sender=ALEX, to=(JANE,), subject="Re: Thank you for today", date="Sat, 07 Mar 2026 09:00:00 +0100",
        message_id="answer.jane@fastmail.com", in_reply_to="CAK98.reply.jane@mail.gmail.com",
        references=("ty-jane@fastmail.com", "CAK98.reply.jane@mail.gmail.com"), received=False,
    )),
    "reply-raj": ("inbox", mail(
        sender=RAJ, subject="Re: Thank you — Acme Analytics interview", date="Mon, 09 Mar 2026 10:00:00 +0100",
        message_id="reply.raj@acme-analytics.com", in_reply_to="ty-raj@fastmail.com",
        references=("ty-raj@fastmail.com",), cc=(SAM,),
    )),
    # Two follow-ups to the recruiter.
    "follow-up-1": ("sent", mail(
        sender=ALEX, to=(SAM,), subject="Following up on my interview for the Data Engineer role",
        date="Thu, 12 Mar 2026 09:15:00 +0100", message_id="fu1@fastmail.com", received=False,
    )),
    "follow-up-2": ("sent", mail(
        sender=ALEX, to=(SAM,), subject="Re: Following up on my interview for the Data Engineer role",
        date="Thu, 19 Mar 2026 09:00:00 +0100", message_id="fu2@fastmail.com", in_reply_to="fu1@fastmail.com",
        references=("fu1@fastmail.com",), received=False,
    )),
    # An invitation from another company (Google Calendar's layout), in no note.
    "borealis": ("inbox", invitation(
        sender="Ines Berg <ines.berg@borealis-robotics.de>",
        subject=f"Invitation: Interview: Alex Doe / Borealis Robotics @ Tue 24 Mar 2026 14:00 - 15:00 (CET) ({ME})",
        date="Sun, 15 Mar 2026 10:15:00 +0100", message_id="000000000000ab12.borealis@google.com",
        uid=BOREALIS_UID, sequence=1,
    )),
    # The applicant-tracking system's rejection, naming the company.
    "rejection": ("inbox", mail(
        sender="Acme Analytics <no-reply@us.greenhouse-mail.io>", subject="Your application to Acme Analytics",
        date="Wed, 25 Mar 2026 10:00:00 +0000", message_id="gh.7f3e.rejection@us.greenhouse-mail.io",
        body="Thank you for your interest in Acme Analytics. We have decided to move forward with others.\n",
    )),
    # Jane's answer again, as an archive copy in the mbox file: one message.
    "reply-jane-copy": ("archive", mail(
        sender=JANE, subject="Re: Thank you for today", date="Fri, 06 Mar 2026 22:30:00 -0800",
        message_id="CAK98.reply.jane@mail.gmail.com", in_reply_to="ty-jane@fastmail.com",
        references=("ty-jane@fastmail.com",),
        body="Thanks Alex!\n\nFrom what I heard, the team liked it.\n",
    )),
}


def acme_mailbox(root: Path) -> Mailbox:
    """The Acme mailbox under `root`: INBOX and Sent as Maildirs, Archive as an mbox file.
    INBOX messages are in new/ (unread) or cur/ (read); Sent ones in cur/ with the S flag."""
    inbox: dict[str, bytes] = {}
    sent: dict[str, bytes] = {}
    archive: list[bytes] = []
    for n, (folder, data) in enumerate(ACME.values(), start=1):
        if folder == "archive":
            archive.append(data)
        elif folder == "sent":
            sent[name_of(n, "S")] = data
        else:
            inbox[name_of(n, "S") if n % 2 else name_of(n)] = data
    return Mailbox(maildir(root / "INBOX", inbox), maildir(root / "Sent", sent), mbox(root / "Archive.mbox", archive))


def snapshot(root: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file and folder under `root` (symbolic links not followed): mode, mtime in ns and bytes."""
    found: dict[str, tuple[int, int, bytes]] = {}
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files, ""]:
            path = os.path.join(folder, name) if name else folder
            info = os.lstat(path)
            data = b""
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as stream:
                    data = stream.read()
            found[path] = (info.st_mode, info.st_mtime_ns, data)
    return found
