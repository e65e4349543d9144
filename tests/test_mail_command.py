"""`followup mail` as a job seeker runs it: three applications, a mailbox with everything a
reader of it must not be fooled by, the proposals and the non-proposals, `--apply`, and the
reminders a build gives afterwards."""

from __future__ import annotations

import base64
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import mail_fixtures as fx
from conftest import Workspace
from followup.cache import cache_dir
from followup.mail import review, scan
from followup.mail.match import Proposal
from followup.note import edit

ONSITE = "interviews/2026-11-17-acme-analytics-onsite.md"
PHONE = "interviews/2026-11-03-acme-analytics-phone.md"
NORTHWIND = "interviews/2026-11-12-northwind-technical.md"
KESTREL = "interviews/2026-11-20-kestrel-logistics.md"
BROKEN = "interviews/2026-11-21-broken.md"

PRIYA = "Priya Natarajan <priya@northwind.example>"
TOM = "Tom Okafor <tom.okafor@northwind.example>"
OLIVIA = "Olivia Chen <olivia.chen@kestrel-logistics.example>"
INES = "Ines Berg <ines.berg@borealis-robotics.de>"
HANA = "Hana Ito <hana.ito@globex.example>"
BOREALIS_SUBJECT = "Invitation: Interview: Alex Doe / Borealis Robotics @ Tue 1 Dec 2026 14:00 (CET)"

CONFIG = f'timezone = "Europe/London"\nme = ["{fx.ME}", "alex@old-job.example"]\n'

NOTES = {
    # The recruiter's phone screen: recorded, and followed by the onsite round.
    PHONE: """\
        ---
        company: Acme Analytics, Inc.
        role: Data Engineer
        round: phone screen
        date: 2026-11-03 16:00
        timezone: Europe/Berlin
        duration: 30
        interviewers: Sam Green <sam.green@acme-analytics.com>
        recruiter: Sam Green <sam.green@acme-analytics.com>
        thank_you_sent: 2026-11-03
        notes_reviewed: 2026-11-03
        outcome: next-round
        ---
        """,
    # The onsite round names no recruiter: it keeps Sam from the phone screen.
    ONSITE: """\
        ---
        company: Acme Analytics, Inc.
        role: Data Engineer
        round: onsite
        date: 2026-11-17 10:00
        timezone: Europe/Berlin
        interviewers:
          - Jane Roé <jane.roe@acme-analytics.com>
          - Raj Patel <raj.patel@acme-analytics.com>
          - name: Li Wei
            email: li.wei@acme-analytics.com
        notes_reviewed: 2026-11-17
        ---
        Met the data platform team.
        """,
    # The thank-you is recorded already (sent from a phone), with a comment to keep.
    NORTHWIND: """\
        ---
        company: Northwind Traders
        role: Backend Engineer
        round: technical
        date: 2026-11-12 14:00
        interviewers:
          - Priya Natarajan <priya@northwind.example>
          - Tom Okafor <tom.okafor@northwind.example>
        contact: Priya Natarajan
        impression: good
        thank_you_sent: 2026-11-12   # from my phone
        notes_reviewed: 2026-11-12
        ---
        """,
    # A day without a time: only what comes after that day counts.
    KESTREL: """\
        ---
        company: Kestrel Logistics
        role: Platform Engineer
        date: 2026-11-20
        interviewers: Olivia Chen <olivia.chen@kestrel-logistics.example>
        notes_reviewed: 2026-11-20
        ---
        """,
    BROKEN: """\
        ---
        company: Umbrella
        role: Analyst
        date: 2026-13-40
        ---
        """,
}


def _sent(**fields: Any) -> bytes:
    return fx.mail(sender=fx.ALEX, received=False, **fields)


# Each message by a short name: (folder, bytes). The comments say what it must (or must not) give.
MAILBOX: dict[str, tuple[str, bytes]] = {
    # --- Acme Analytics, onsite on Tuesday 17 November, 10:00-11:00 in Berlin ---
    "before-li": ("sent", _sent(  # before the interview: no thank-you to Li
        to=(fx.LI,), subject="Looking forward to Tuesday", date="Fri, 13 Nov 2026 09:00:00 +0100",
        message_id="before.li@fastmail.com",
    )),
    "schedule": ("inbox", fx.mail(  # before the interview: no reply
        sender=fx.SAM, subject="Your interview schedule for Tuesday", date="Mon, 16 Nov 2026 15:00:00 +0100",
        message_id="sched.1116@acme-analytics.com",
    )),
    "thanks-jane": ("sent", _sent(  # the thank-you
        to=(fx.JANE,), subject="Thank you for today", date="Tue, 17 Nov 2026 18:05:00 +0100",
        message_id="ty-jane@fastmail.com",
    )),
    "thanks-raj": ("sent", _sent(  # Raj thanked too, the recruiter in Cc (and CRLF line ends)
        to=(fx.RAJ,), cc=(fx.SAM,), subject="Thank you — Acme Analytics interview",
        date="Wed, 18 Nov 2026 08:30:00 +0100", message_id="ty-raj@fastmail.com", crlf=True,
    )),
    "out-of-office": ("inbox", fx.mail(  # Outlook's out-of-office: no reply
        sender=fx.RAJ, subject="Automatic reply: Thank you — Acme Analytics interview",
        date="Wed, 18 Nov 2026 08:31:00 +0100", message_id="ooo.raj@acme-analytics.com",
        in_reply_to="ty-raj@fastmail.com", extra=(("X-Auto-Response-Suppress", "All"),),
        body="I am out of the office until 30 November.\n",
    )),
    "auto-reply": ("inbox", fx.mail(  # an automatic answer: no reply
        sender=fx.SAM, subject="Re: Thank you — Acme Analytics interview", date="Wed, 18 Nov 2026 08:31:30 +0100",
        message_id="auto.sam@acme-analytics.com", in_reply_to="ty-raj@fastmail.com",
        extra=(("Auto-Submitted", "auto-replied"),), body="Thanks for your message. I will answer soon.\n",
    )),
    "newsletter": ("inbox", fx.mail(  # the company's marketing domain, to me: no reply
        sender="Acme Analytics <news@mail.acme-analytics.com>",
        subject="Acme Analytics Monthly: what we shipped in November", date="Wed, 18 Nov 2026 12:00:00 +0000",
        message_id="nl-2026-11.4711@mail.acme-analytics.com",
        extra=(
            ("List-Unsubscribe", "<https://mail.acme-analytics.com/u/4711>, <mailto:u@mail.acme-analytics.com>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ("Precedence", "bulk"),
        ),
    )),
    "list": ("inbox", fx.mail(  # an interviewer on a mailing list: no reply
        sender=fx.LI, to=("Data Engineering <data-eng@lists.example.org>",),
        subject="[data-eng] Acme Analytics is hiring data engineers", date="Thu, 19 Nov 2026 07:00:00 +0100",
        message_id="hiring.li@acme-analytics.com",
        extra=(("List-Id", "Data engineering <data-eng.lists.example.org>"), ("Precedence", "list")),
    )),
    "namesake": ("inbox", fx.mail(  # Jane's name on a webmail address: no reply
        sender="Jane Roé <jane.roe.1987@gmail.com>", subject="Coffee next week?",
        date="Thu, 19 Nov 2026 12:00:00 +0100", message_id="CAH3x9Lw.namesake@mail.gmail.com",
    )),
    "forward-in": ("inbox", fx.mail(  # a friend forwards a thread from the company: nothing
        sender=fx.MIA, subject="Fwd: Acme Analytics interview tips", date="Thu, 19 Nov 2026 19:00:00 +0100",
        message_id="CAJ7fwd.tips@mail.gmail.com",
        body="---------- Forwarded message ---------\nFrom: Someone <s@acme-analytics.com>\n\nTips.\n",
    )),
    "forward-out": ("sent", _sent(  # my thank-you forwarded to her: neither thank-you nor follow-up
        to=(fx.MIA,), subject="Fwd: Thank you for today", date="Fri, 20 Nov 2026 20:00:00 +0100",
        message_id="fwd.mia@fastmail.com", references=("ty-jane@fastmail.com",),
    )),
    "follow-up-sam": ("sent", _sent(  # a follow-up, to the recruiter the onsite round keeps
        to=(fx.SAM,), subject="Following up on the Data Engineer role", date="Tue, 24 Nov 2026 09:15:00 +0100",
        message_id="fu.sam@fastmail.com",
    )),
    "rejection": ("inbox", fx.mail(  # the tracking system's rejection, naming the company: the reply
        sender="Acme Analytics <no-reply@us.greenhouse-mail.io>", subject="Your application to Acme Analytics",
        date="Wed, 25 Nov 2026 10:00:00 +0000", message_id="gh.7f3e.rejection@us.greenhouse-mail.io",
        body="Thank you for your interest in Acme Analytics. We have decided to move forward with others.\n",
    )),
    # --- Northwind Traders, technical on Thursday 12 November, 14:00-15:00 in London ---
    "thanks-northwind": ("sent", _sent(  # both thanked; the note records it already
        to=(PRIYA, TOM), subject="Thank you for this afternoon", date="Thu, 12 Nov 2026 17:30:00 +0000",
        message_id="ty-northwind@fastmail.com",
    )),
    "follow-up-priya": ("sent", _sent(  # a follow-up, to the contact
        to=(PRIYA,), subject="Checking in on the Backend Engineer role", date="Thu, 19 Nov 2026 09:00:00 +0000",
        message_id="fu.priya@fastmail.com",
    )),
    # --- Kestrel Logistics, on Friday 20 November, no time known ---
    "same-day": ("sent", _sent(  # that day itself: no thank-you
        to=(OLIVIA,), subject="Running five minutes late", date="Fri, 20 Nov 2026 09:55:00 +0000",
        message_id="late.olivia@fastmail.com",
    )),
    "thanks-olivia": ("sent", _sent(  # the thank-you
        to=(OLIVIA,), subject="Thank you for Friday", date="Sat, 21 Nov 2026 10:00:00 +0000",
        message_id="ty-olivia@fastmail.com",
    )),
    "reply-olivia": ("inbox", fx.mail(  # the interviewer's answer: the reply
        sender=OLIVIA, subject="Re: Thank you for Friday", date="Mon, 23 Nov 2026 16:00:00 +0000",
        message_id="re.olivia@kestrel-logistics.example", in_reply_to="ty-olivia@fastmail.com",
        references=("ty-olivia@fastmail.com",),
    )),
    "reply-olivia-copy": ("archive", fx.mail(  # the same answer, archived: one message
        sender=OLIVIA, subject="Re: Thank you for Friday", date="Mon, 23 Nov 2026 16:00:00 +0000",
        message_id="re.olivia@kestrel-logistics.example", in_reply_to="ty-olivia@fastmail.com",
    )),
    # --- invitations no note has ---
    "borealis": ("inbox", fx.invitation(  # Google Calendar's layout, in a Maildir
        sender=INES, subject=BOREALIS_SUBJECT, date="Sun, 22 Nov 2026 10:15:00 +0100",
        message_id="000000000000ab12.borealis@google.com", uid=fx.BOREALIS_UID, sequence=1,
    )),
    "globex": ("archive", fx.invitation(  # Outlook's layout, in an mbox file
        sender=HANA, subject="Interview with the platform team", date="Wed, 25 Nov 2026 08:00:00 +0000",
        message_id="AM0PR.globex@eurprd.prod.outlook.com", uid="globex-platform-1", google=False,
    )),
}

EXPECTED = [  # (note, key, value, the Message-ID it rests on), each note's in the order of their messages
    (NORTHWIND, "follow_ups", "2026-11-19", "fu.priya@fastmail.com"),
    (ONSITE, "thank_you_sent", "2026-11-17", "ty-jane@fastmail.com"),
    (ONSITE, "follow_ups", "2026-11-24", "fu.sam@fastmail.com"),
    (ONSITE, "reply_received", "2026-11-25", "gh.7f3e.rejection@us.greenhouse-mail.io"),
    (KESTREL, "thank_you_sent", "2026-11-21", "ty-olivia@fastmail.com"),
    (KESTREL, "reply_received", "2026-11-23", "re.olivia@kestrel-logistics.example"),
]
NEVER = (  # messages no proposal may rest on
    "before.li@fastmail.com", "sched.1116@acme-analytics.com", "ooo.raj@acme-analytics.com",
    "auto.sam@acme-analytics.com", "nl-2026-11.4711@mail.acme-analytics.com", "hiring.li@acme-analytics.com",
    "CAH3x9Lw.namesake@mail.gmail.com", "CAJ7fwd.tips@mail.gmail.com", "fwd.mia@fastmail.com",
    "ty-northwind@fastmail.com", "late.olivia@fastmail.com",
)

NEVER_SUBJECTS = (  # and their subjects, which the text output never shows
    "Looking forward to Tuesday", "Your interview schedule", "Automatic reply", "Re: Thank you — Acme",
    "Acme Analytics Monthly", "[data-eng]", "Coffee next week?", "Fwd:", "Thank you for this afternoon",
    "Running five minutes late",
)


def mailbox(root: Path, messages: dict[str, tuple[str, bytes]] = MAILBOX) -> fx.Mailbox:
    """INBOX and Sent as Maildirs (as mbsync keeps them), Archive as an mbox file (as
    Thunderbird keeps its local folders)."""
    inbox: dict[str, bytes] = {}
    sent: dict[str, bytes] = {}
    archive: list[bytes] = []
    for n, (folder, data) in enumerate(messages.values(), start=1):
        if folder == "archive":
            archive.append(data)
        elif folder == "sent":
            sent[fx.name_of(n, "S")] = data
        else:
            inbox[fx.name_of(n, "S") if n % 2 else fx.name_of(n)] = data
    return fx.Mailbox(
        fx.maildir(root / "INBOX", inbox), fx.maildir(root / "Sent", sent), fx.mbox(root / "Archive.mbox", archive),
    )


@pytest.fixture
def search(workspace: Workspace) -> Workspace:
    workspace.config(CONFIG)
    for name, text in NOTES.items():
        workspace.note(name.removeprefix("interviews/"), text)
    return workspace


@pytest.fixture
def box(tmp_path: Path) -> fx.Mailbox:
    return mailbox(tmp_path / "Mail")


def notes(space: Workspace) -> dict[str, bytes]:
    return {name: (space.root / name).read_bytes() for name in NOTES}


def as_json(space: Workspace, *args: str) -> dict[str, Any]:
    result = space.run("mail", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    value: dict[str, Any] = json.loads(result.stdout)
    return value


def table(found: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [(p["note"], p["key"], p["value"], p["message"]["message_id"]) for p in found["proposals"]]


def events(space: Workspace, company: str) -> list[str]:
    """The kinds of the company's events in the feed, with the follow-up's number."""
    found = []
    for event in space.events():
        if company in str(event["summary"]):
            kind = str(event.categories[0])
            number = str(event["summary"]).partition("#")[2][:1]
            found.append(f"{kind} #{number}" if kind == "follow-up" else kind)
    return sorted(found)


# --- what it proposes -----------------------------------------------------------------------


def test_the_proposals_with_their_messages(search: Workspace, box: fx.Mailbox) -> None:
    before = notes(search)
    result = search.run("mail", *box.paths)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.splitlines()[:10] == [
        NORTHWIND,
        "  follow_ups += 2026-11-19",
        '      2026-11-19 09:00  Alex Doe <alex.doe@fastmail.com>  "Checking in on the Backend Engineer role"',
        ONSITE,
        "  thank_you_sent = 2026-11-17",
        '      2026-11-17 17:05  Alex Doe <alex.doe@fastmail.com>  "Thank you for today"',
        "  follow_ups += 2026-11-24",
        '      2026-11-24 08:15  Alex Doe <alex.doe@fastmail.com>  "Following up on the Data Engineer role"',
        "  reply_received = 2026-11-25",
        '      2026-11-25 10:00  Acme Analytics <no-reply@us.greenhouse-mail.io>  "Your application to Acme Analytics"',
    ]
    # Li's message came before the interview; Jane and Raj were thanked; Sam (the phone screen's) too
    assert [line for line in out.splitlines() if "not thanked" in line] == [
        "  not thanked yet: Li Wei <li.wei@acme-analytics.com>",
    ]
    assert out.index(ONSITE) < out.index("not thanked yet") < out.index(KESTREL)  # under its note
    assert (
        f"{KESTREL}\n  thank_you_sent = 2026-11-21\n"
        '      2026-11-21 10:00  Alex Doe <alex.doe@fastmail.com>  "Thank you for Friday"\n'
        "  reply_received = 2026-11-23\n"
        '      2026-11-23 16:00  Olivia Chen <olivia.chen@kestrel-logistics.example>  "Re: Thank you for Friday"\n'
        "Invitations no note has yet:\n"
    ) in out
    assert PHONE not in out  # an earlier round, its thank-you recorded and Sam thanked since
    for subject in NEVER_SUBJECTS:
        assert subject not in out, subject
    assert "6 date(s) to record in 3 note(s); nothing written (--apply records them)" in out
    # the invitations no note has: a Maildir message by its file, an mbox one by its mailbox
    borealis = next(Path(box.inbox, sub, name) for sub in ("new", "cur") for name in os.listdir(Path(box.inbox, sub))
                    if b"borealis@google.com" in Path(box.inbox, sub, name).read_bytes())
    assert (
        "Invitations no note has yet:\n"
        f'  2026-11-22 09:15  Ines Berg <ines.berg@borealis-robotics.de>  "{BOREALIS_SUBJECT}"\n'
        f"      followup invite {borealis}\n"
        '  2026-11-25 08:00  Hana Ito <hana.ito@globex.example>  "Interview with the platform team"\n'
        f"      in the mbox file {box.archive}: save this message from your mail client as a file, "
        "then run followup invite FILE\n"
    ) in out
    assert f"warning: {BROKEN} has errors and was left out (followup check lists them)" in result.stderr
    assert "Read the headers of 21 new message(s); 0 known from an earlier run." in result.stderr
    assert notes(search) == before  # nothing written without --apply


def test_what_gives_no_proposal(search: Workspace, box: fx.Mailbox) -> None:
    found = as_json(search, *box.paths)
    assert table(found) == EXPECTED
    used = {p["message"]["message_id"] for p in found["proposals"]} | {m["message_id"] for m in found["invitations"]}
    assert used.isdisjoint(NEVER)
    # Each message that must give nothing, alone in a mailbox with the thank-yous: nothing else.
    for never in NEVER:
        only = {name: entry for name, entry in MAILBOX.items() if f"Message-ID: <{never}>".encode() in entry[1]}
        assert len(only) == 1, never
        alone = mailbox(search.root.parent / f"alone-{never}", only)
        assert as_json(search, *alone.paths)["proposals"] == [], never


def test_json_for_scripts(search: Workspace, box: fx.Mailbox) -> None:
    found = as_json(search, *box.paths)
    assert found["proposals"][2] == {
        "note": ONSITE, "key": "follow_ups", "value": "2026-11-24",
        "message": {
            "date": "2026-11-24T08:15:00+00:00", "from": fx.ME, "name": "Alex Doe",
            "subject": "Following up on the Data Engineer role", "folder": str(box.sent),
            "message_id": "fu.sam@fastmail.com",
        },
    }
    assert found["unthanked"] == [{"note": ONSITE, "name": "Li Wei", "email": "li.wei@acme-analytics.com"}]
    assert [(m["uid"], m["subject"], m["folder"]) for m in found["invitations"]] == [
        (fx.BOREALIS_UID, BOREALIS_SUBJECT, str(box.inbox)),
        ("globex-platform-1", "Interview with the platform team", str(box.archive)),
    ]
    assert Path(found["invitations"][0]["file"]).read_bytes() == MAILBOX["borealis"][1]
    assert found["invitations"][1]["file"] is None  # inside an mbox file
    assert found["left_out"] == [BROKEN]
    assert found["warnings"] == []
    assert "written" not in found


def test_today_sets_which_interviews_are_over(search: Workspace, box: fx.Mailbox) -> None:
    """With --today the answer is the same on any day: the interviews of that day and before are
    over, later ones are not (the onsite was on 17 November)."""
    def unthanked(today: str) -> list[str]:
        return [u["name"] for u in as_json(search, *box.paths, "--today", today)["unthanked"]]

    assert unthanked("2026-11-16") == []
    assert unthanked("2026-11-17") == ["Li Wei"]


# --- --apply, and the reminders afterwards ----------------------------------------------------


def test_apply_then_build(search: Workspace, box: fx.Mailbox) -> None:
    mail_before = fx.snapshot(box.inbox.parent)
    assert search.run("build", "--no-site", "--keep-going").exit_code == 1  # the broken note
    assert events(search, "Acme") == ["follow-up #1", "interview", "interview", "thank-you"]
    assert events(search, "Northwind") == ["follow-up #1", "interview"]
    assert events(search, "Kestrel") == ["follow-up #1", "interview", "thank-you"]
    northwind = (search.root / NORTHWIND).read_bytes()

    result = search.run("mail", "--apply", *box.paths)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(
        f"{NORTHWIND}: follow_ups += 2026-11-19\n"
        f"{ONSITE}: thank_you_sent = 2026-11-17\n"
        f"{ONSITE}: follow_ups += 2026-11-24\n"
        f"{ONSITE}: reply_received = 2026-11-25\n"
        f"{KESTREL}: thank_you_sent = 2026-11-21\n"
        f"{KESTREL}: reply_received = 2026-11-23\n"
        "Wrote 6 date(s) into 3 note(s).\n"
    )
    # one line added before the closing ---, every other byte as it was (the comment too)
    assert (search.root / NORTHWIND).read_bytes() == northwind.replace(
        b"notes_reviewed: 2026-11-12\n", b"notes_reviewed: 2026-11-12\nfollow_ups: [2026-11-19]\n"
    )
    assert b"thank_you_sent: 2026-11-12   # from my phone\n" in northwind
    assert (search.root / KESTREL).read_text().endswith(
        "notes_reviewed: 2026-11-20\nthank_you_sent: 2026-11-21\nreply_received: 2026-11-23\n---\n"
    )
    assert fx.snapshot(box.inbox.parent) == mail_before  # not a byte, a name or a time changed

    assert search.run("build", "--no-site", "--keep-going").exit_code == 1
    # the thank-yous are done; after their reply, no follow-up
    assert events(search, "Acme") == ["interview", "interview"]
    assert events(search, "Kestrel") == ["interview"]
    # one follow-up recorded: the second comes a week later, today
    assert events(search, "Northwind") == ["follow-up #2", "interview"]
    second = search.event("follow-up", 2)
    assert "Northwind" in str(second["summary"]) and second.start.date() == date(2026, 11, 26)

    applied = notes(search)
    again = search.run("mail", "--apply", *box.paths)
    assert again.exit_code == 0, again.output
    assert "Nothing new to record from the mail." in again.stdout
    assert "Wrote" not in again.stdout
    assert "Read the headers of 0 new message(s); 21 known from an earlier run." in again.stderr
    assert notes(search) == applied
    assert fx.snapshot(box.inbox.parent) == mail_before


def test_apply_as_json(search: Workspace, box: fx.Mailbox) -> None:
    found = as_json(search, "--apply", *box.paths)
    assert [(w["note"], w["key"], w["value"]) for w in found["written"]] == [row[:3] for row in EXPECTED]
    assert (found["kept"], found["refused"]) == ([], [])
    assert table(found) == EXPECTED  # what was proposed, as without --apply
    again = as_json(search, "--apply", *box.paths)
    assert (again["proposals"], again["written"]) == ([], [])


def test_the_record_is_kept_privately_outside_the_workspace(search: Workspace, box: fx.Mailbox) -> None:
    files = {path for path in search.root.rglob("*")}
    assert search.run("mail", *box.paths).exit_code == 0
    assert {path for path in search.root.rglob("*")} == files
    folder = cache_dir(search.root)
    assert folder is not None
    record = folder / "mail" / scan.RECORD_NAME
    assert record.is_file()
    for path in (folder.parent, folder, record.parent):
        assert path.stat().st_mode & 0o777 == 0o700, path
    assert b"Thank you for your interest" not in record.read_bytes()  # a body is never kept


def test_a_note_changed_while_the_mail_is_read_is_refused(
    search: Workspace, box: fx.Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user saves a note in an editor while the mailbox is read: that note keeps the
    user's bytes, every other note is written."""
    kestrel = search.root / KESTREL
    edited = kestrel.read_text().replace("notes_reviewed: 2026-11-20\n", "notes_reviewed: 2026-11-21\n")
    scanning = scan.scan

    def scan_while_editing(*args: Any, **kwargs: Any) -> scan.ScanResult:
        found = scanning(*args, **kwargs)
        kestrel.write_text(edited)
        return found

    monkeypatch.setattr(scan, "scan", scan_while_editing)
    result = search.run("mail", "--apply", *box.paths)
    assert result.exit_code == 1
    assert (
        f"{KESTREL}: not written: {KESTREL} changed since followup mail read it (saved in an editor?); "
        "nothing written to it, run followup mail again"
    ) in result.stderr
    assert kestrel.read_text() == edited
    assert "Wrote 4 date(s) into 2 note(s)." in result.stdout
    assert b"reply_received: 2026-11-25" in (search.root / ONSITE).read_bytes()


def test_a_note_changed_between_the_plan_and_the_write_is_refused(
    search: Workspace, box: fx.Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor that saves without taking the note's lock: the edit's check before writing."""
    northwind = search.root / NORTHWIND
    planning = edit.plan_edit

    def plan_then_save(snapshot: edit.Snapshot, changes: list[edit.Change], *rest: Any) -> edit.PlannedEdit:
        planned = planning(snapshot, changes, *rest)
        if changes and snapshot.path == northwind.resolve():
            northwind.write_bytes(snapshot.data + b"Saved meanwhile.\n")
        return planned

    monkeypatch.setattr(edit, "plan_edit", plan_then_save)
    result = search.run("mail", "--apply", *box.paths)
    assert result.exit_code == 1
    assert f"{NORTHWIND}: not written: " in result.stderr and "changed on disk since it was read" in result.stderr
    assert northwind.read_bytes().endswith(b"---\nSaved meanwhile.\n")
    assert b"follow_ups" not in northwind.read_bytes()
    assert "Wrote 5 date(s) into 2 note(s)." in result.stdout


def test_a_date_the_note_holds_is_never_replaced(
    search: Workspace, box: fx.Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Matching proposes nothing for a key a note records; were it to, the write keeps the note's date."""
    proposing = review.propose

    def proposing_too_much(*args: Any, **kwargs: Any) -> Any:
        found = proposing(*args, **kwargs)
        wrong = Proposal(NORTHWIND, "thank_you_sent", date(2026, 11, 13), found.proposals[0].reason)
        found.proposals.append(wrong)
        return found

    monkeypatch.setattr(review, "propose", proposing_too_much)
    result = search.run("mail", "--apply", *box.paths)
    assert result.exit_code == 0, result.output
    assert f"{NORTHWIND}: thank_you_sent kept as 2026-11-12 (the mail says 2026-11-13)" in result.stdout
    assert b"thank_you_sent: 2026-11-12   # from my phone\n" in (search.root / NORTHWIND).read_bytes()
    assert b"follow_ups: [2026-11-19]" in (search.root / NORTHWIND).read_bytes()


# --- where the mail is, and what is missing -------------------------------------------------


def test_the_folders_of_the_configuration(
    search: Workspace, box: fx.Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    search.config(CONFIG + '[mail]\nfolders = ["~/Mail/INBOX", "~/Mail/Sent", "~/Mail/Archive.mbox"]\n')
    found = as_json(search)
    assert table(found) == EXPECTED


def test_no_folders_is_a_usage_error(search: Workspace) -> None:
    result = search.run("mail")
    assert result.exit_code == 2
    assert "no mail to read: give Maildir folders or mbox files, or name them in followup.toml" in result.stderr
    assert '[mail]\nfolders = ["~/Mail/INBOX", "~/Mail/Sent"]' in result.stderr


def test_me_is_needed(search: Workspace, box: fx.Mailbox) -> None:
    search.config('timezone = "Europe/London"\n')
    result = search.run("mail", *box.paths)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        'Error: followup.toml does not say which addresses are yours: add me = ["you@example.com"]'
    )


def test_paths_that_are_no_mail(search: Workspace, box: fx.Mailbox, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("Subject: not a mailbox\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    for path, message in (
        (text, f"{text} is neither a Maildir folder nor an mbox file (whose first line starts with 'From ')"),
        (empty, f"{empty} is a folder but not a Maildir (a Maildir holds cur/ and new/)"),
        (box.inbox.parent, f"{box.inbox.parent} is a folder but not a Maildir (a Maildir holds cur/ and new/); "
                           "it holds the Maildir folders INBOX, Sent: give those"),
        (tmp_path / "missing", f"{tmp_path / 'missing'} does not exist"),
    ):
        result = search.run("mail", str(box.inbox), str(path))
        assert result.exit_code == 2, path
        assert f"Invalid value for PATH: {message}" in " ".join(result.stderr.split()), result.stderr
    search.config(CONFIG + f'[mail]\nfolders = ["{text}"]\n')
    result = search.run("mail")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {text} is neither a Maildir folder nor an mbox file (whose first line " \
        "starts with 'From ') (in [mail] folders of followup.toml)\n"


# --- hostile mail ---------------------------------------------------------------------------


def test_hostile_mail_is_data(search: Workspace, tmp_path: Path) -> None:
    """Escape sequences in a subject and a name, a header too long to read and a link in the
    Maildir: warnings of one line each, the text shown as escapes, nothing written."""
    hostile = {
        fx.name_of(1): fx.mail(
            sender="=?utf-8?q?Olivia_Chen=1B]0;pwned=07?= <olivia.chen@kestrel-logistics.example>",
            subject="=?utf-8?b?" + base64.b64encode("Re: \x1b[2Jthanks \u202eevil".encode()).decode() + "?=",
            date="Mon, 23 Nov 2026 16:00:00 +0000", message_id="hostile@kestrel-logistics.example",
        ),
        fx.name_of(2, "S"): b"Subject: " + b"x" * (300 * 1024) + b"\n\nbody\n",
    }
    root = fx.maildir(tmp_path / "Hostile", hostile)
    os.symlink("/etc/passwd", root / "cur" / fx.name_of(3, "S"))
    before = notes(search)
    result = search.run("mail", str(root))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert any("is longer than 256 KiB; skipped." in line for line in warnings)
    assert any("is a symbolic link; skipped." in line for line in warnings)
    assert "\x1b" not in result.output and "\u202e" not in result.output and "\x07" not in result.output
    assert "  reply_received = 2026-11-23" in result.stdout
    assert '<olivia.chen@kestrel-logistics.example>  "Re: [2Jthanks evil"' in result.stdout
    assert notes(search) == before


def test_help_teaches_the_command(search: Workspace) -> None:
    result = search.run("mail", "--help")
    assert result.exit_code == 0
    assert "followup mail ~/Mail/INBOX ~/Mail/Sent" in result.stdout


def test_a_note_as_matching_sees_it() -> None:
    """A date-only note ends with its day, in its own zone; an agency's domain is not the company's."""
    from followup.note.model import Interview, Person

    interview = Interview(
        path=KESTREL, slug="kestrel", company="Kestrel", role="Platform Engineer", day=date(2026, 11, 20),
        start=None, timezone="America/New_York",
        interviewers=(Person("Olivia Chen", "olivia.chen@kestrel-logistics.example"),),
        recruiter=Person("Pat Lee", "pat@agency.example"), agency="Hire Co",
    )
    found = review.round_of(interview, latest=True)
    assert found.end.isoformat() == "2026-11-21T00:00:00-05:00"
    assert [(p.name, p.role) for p in found.people] == [("Olivia Chen", "interviewer"), ("Pat Lee", "recruiter")]
    assert found.domains == ("kestrel-logistics.example",)  # not the agency's
    assert found.invite_uid == ""


def test_an_imported_invitation_a_cancelled_interview_and_an_application_give_nothing(
    search: Workspace, box: fx.Mailbox
) -> None:
    before = as_json(search, *box.paths)
    assert any(p["note"] == KESTREL for p in before["proposals"])
    # Borealis's invitation imported: its note holds the UID, so it is no longer listed.
    search.note("2026-12-01-borealis.md", "---\ncompany: Borealis Robotics\nrole: Engineer\n"
                f"date: 2026-12-01 14:00\ntimezone: Europe/Berlin\ninvite_uid: '{fx.BOREALIS_UID}'\n---\n")
    # Kestrel's interview cancelled: nobody to thank, nothing to follow up.
    kestrel = search.root / KESTREL
    kestrel.write_text(kestrel.read_text().replace("\n---\n", "\ncancelled: 2026-11-20\n---\n", 1))
    assert search.run("check").exit_code == 1  # the broken note, as before; Kestrel reads clean
    assert "kestrel" not in search.run("check").output
    # An application with no interview yet at a company that wrote: nothing to propose either.
    search.note("2026-11-01-globex.md", "---\ncompany: Globex\nrole: Platform Engineer\napplied: 2026-11-01\n"
                f"recruiter: {HANA}\n---\n")
    after = as_json(search, *box.paths)
    assert [m["uid"] for m in after["invitations"]] == ["globex-platform-1"]
    assert not [p for p in after["proposals"] if p["note"] in (KESTREL, "interviews/2026-11-01-globex.md")]
    assert not [u for u in after["unthanked"] if u["note"] == KESTREL]
    assert [p for p in after["proposals"] if p["note"] != KESTREL] == [
        p for p in before["proposals"] if p["note"] != KESTREL]
