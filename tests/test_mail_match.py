"""Matching mail to interview notes: each proposal the Acme mailbox must give, with the message
it rests on, and each message that must give none."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import mail_fixtures as fx
from followup.mail import scan
from followup.mail.match import Contact, Proposal, Proposals, Round, propose
from followup.mail.scan import Message

NOTE = "interviews/2026-03-03-acme-analytics-onsite.md"
JANE = Contact("Jane Roé", "jane.roe@acme-analytics.com", "interviewer")
RAJ = Contact("Raj Patel", "raj.patel@acme-analytics.com", "interviewer")
LI = Contact("Li Wei", "li.wei@acme-analytics.com", "interviewer")
SAM = Contact("Sam Green", "Sam.Green@acme-analytics.com", "recruiter")  # as a note may write it
AFTER = datetime(2026, 4, 1, 12, tzinfo=UTC)  # "now" for the tests: every interview is over


def onsite(**changes: object) -> Round:
    """The note of the onsite round, Tuesday 3 March 2026, 10:00-11:00 in Berlin."""
    round_ = Round(
        path=NOTE, company="Acme Analytics, Inc.",
        end=datetime(2026, 3, 3, 11, tzinfo=fx.ZONE),
        people=(JANE, RAJ, LI, SAM), thank_you_sent=None, reply_received=None, follow_ups=(),
        invite_uid=fx.ONSITE_UID, latest=True, domains=("acme-analytics.com",),
    )
    return dataclasses.replace(round_, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def mailbox(tmp_path_factory: pytest.TempPathFactory) -> list[Message]:
    root = tmp_path_factory.mktemp("mail")
    return scan.scan(fx.acme_mailbox(root / "Mail").paths, root / "record").messages


def ids(messages: list[Message]) -> list[str]:
    return [m.message_id for m in messages]


def table(found: Proposals) -> list[tuple[str, str, date, str]]:
    """Each proposal as (path, key, value, the message-id it rests on)."""
    return [(p.path, p.key, p.value, p.reason.message_id) for p in found.proposals]


def run(messages: list[Message], *rounds: Round, zone: ZoneInfo = fx.ZONE, now: datetime = AFTER) -> Proposals:
    return propose(messages, rounds, {fx.ME}, zone=zone, now=now)


def test_a_note_with_nothing_recorded(mailbox: list[Message]) -> None:
    found = run(mailbox, onsite())
    assert table(found) == [
        (NOTE, "follow_ups", date(2026, 3, 12), "fu1@fastmail.com"),
        (NOTE, "follow_ups", date(2026, 3, 19), "fu2@fastmail.com"),
        # Jane's answer to the thank-you: 22:30 on Friday in San Francisco is Saturday in Berlin
        (NOTE, "reply_received", date(2026, 3, 7), "CAK98.reply.jane@mail.gmail.com"),
        (NOTE, "thank_you_sent", date(2026, 3, 3), "ty-jane@fastmail.com"),
    ]
    evidence = found.proposals[2].reason
    assert (evidence.date, evidence.sender[1], evidence.subject) == (
        datetime(2026, 3, 7, 6, 30, tzinfo=UTC), "jane.roe@acme-analytics.com", "Re: Thank you for today",
    )
    assert found.unthanked == [(NOTE, LI)]  # the message to Li was before the interview
    assert ids(found.invitations) == ["000000000000ab12.borealis@google.com"]  # the onsite one is the note's


def test_what_gives_no_proposal(mailbox: list[Message]) -> None:
    """Out-of-office and automatic answers, the newsletter, a list message from an interviewer,
    a namesake on webmail, forwards with a friend, my answer to an interviewer (no follow-up:
    there is a recruiter), mail from before the interview, and a copy of Jane's answer."""
    found = run(mailbox, onsite())
    used = {p.reason.message_id for p in found.proposals} | {m.message_id for m in found.invitations}
    assert used == {
        "fu1@fastmail.com", "fu2@fastmail.com", "CAK98.reply.jane@mail.gmail.com", "ty-jane@fastmail.com",
        "000000000000ab12.borealis@google.com",
    }
    for never in (
        "ooo.raj@acme-analytics.com", "auto.sam@acme-analytics.com", "nl-2026-03.4711@mail.acme-analytics.com",
        "hiring.li@acme-analytics.com", "CAH3x9Lw.namesake@mail.gmail.com", "CAJ7fwd.tips@mail.gmail.com",
        "fwd.mia@fastmail.com", "answer.jane@fastmail.com", "sched.0302@acme-analytics.com", "before.li@fastmail.com",
    ):
        alone = [m for m in mailbox if m.message_id == never]  # nothing else to come first
        assert table(run(alone, onsite(thank_you_sent=date(2026, 3, 3)))) == [], never


def test_a_reply_after_the_last_follow_up_recorded(mailbox: list[Message]) -> None:
    """The interviewers' answers came before the follow-up: the reply is the tracking system's
    rejection, which names the company ("Acme Analytics", its "Inc." left out)."""
    found = run(mailbox, onsite(thank_you_sent=date(2026, 3, 3), follow_ups=(date(2026, 3, 12),)))
    assert table(found) == [
        (NOTE, "follow_ups", date(2026, 3, 19), "fu2@fastmail.com"),
        (NOTE, "reply_received", date(2026, 3, 25), "gh.7f3e.rejection@us.greenhouse-mail.io"),
    ]
    assert found.unthanked == [(NOTE, LI)]  # each interviewer is thanked, whatever the note records


def test_a_recorded_date_is_never_proposed_again(mailbox: list[Message]) -> None:
    found = run(mailbox, onsite(
        thank_you_sent=date(2026, 3, 4), reply_received=date(2026, 3, 20),
        follow_ups=(date(2026, 3, 12), date(2026, 3, 19)),
    ))
    assert table(found) == []


def test_an_earlier_round_gets_no_reply_nor_follow_up(mailbox: list[Message]) -> None:
    found = run(mailbox, onsite(latest=False))
    assert table(found) == [(NOTE, "thank_you_sent", date(2026, 3, 3), "ty-jane@fastmail.com")]
    assert found.unthanked == [(NOTE, LI)]


def test_no_interviewer_is_unthanked_before_the_interview_is_over(mailbox: list[Message]) -> None:
    before = run(mailbox, onsite(), now=datetime(2026, 3, 3, 10, 30, tzinfo=fx.ZONE))
    assert before.unthanked == []
    assert run(mailbox, onsite(), now=datetime(2026, 3, 3, 11, tzinfo=fx.ZONE)).unthanked == [(NOTE, LI)]


def test_days_are_the_users(mailbox: list[Message]) -> None:
    found = run(mailbox, onsite(end=datetime(2026, 3, 3, 11, tzinfo=fx.ZONE)), zone=ZoneInfo("America/Los_Angeles"))
    assert [(p.key, p.value) for p in found.proposals if p.key == "reply_received"] == [
        ("reply_received", date(2026, 3, 6)),
    ]


def test_copies_of_a_message_count_once(mailbox: list[Message]) -> None:
    copies = [m for m in mailbox if m.message_id == "CAK98.reply.jane@mail.gmail.com"]
    assert len(copies) == 2  # INBOX and the archive
    doubled = mailbox + [dataclasses.replace(m, folder="All Mail") for m in mailbox]
    assert table(run(doubled, onsite())) == table(run(mailbox, onsite()))
    assert len(run(doubled, onsite()).invitations) == 1


def test_messages_without_a_date_are_left_out(mailbox: list[Message]) -> None:
    undated = [dataclasses.replace(m, date=None) for m in mailbox]
    found = run(undated, onsite())
    assert (table(found), found.unthanked) == ([], [(NOTE, JANE), (NOTE, RAJ), (NOTE, LI)])
    assert ids(found.invitations) == ["000000000000ab12.borealis@google.com"]


# --- the company's own domain and tracking systems --------------------------------------------


def message(**fields: object) -> Message:
    base = Message(
        folder="INBOX", key="k", message_id="m@x", date=datetime(2026, 3, 10, 9, tzinfo=UTC),
        sender=("Hiring Manager", "olivia@acme-analytics.com"), reply_to=(), to=(("", fx.ME),), cc=(),
        subject="Next steps", in_reply_to="", references=(), bulk=False, auto_reply=False, invitation=False,
    )
    return dataclasses.replace(base, **fields)  # type: ignore[arg-type]


MINE = message(message_id="mine@fastmail.com", sender=("Alex Doe", fx.ME), to=(("", "jobs@acme-analytics.com"),),
               date=datetime(2026, 3, 5, 9, tzinfo=UTC), subject="My portfolio")


@pytest.mark.parametrize(
    ("changes", "proposed"),
    [
        ({}, True),  # someone at the company, to me
        ({"sender": ("", "olivia@careers.acme-analytics.com")}, True),  # a subdomain
        ({"to": (("", "team@acme-analytics.com"),), "cc": (("", fx.ME),)}, False),  # I am only in Cc
        ({"to": (("", "team@acme-analytics.com"),), "in_reply_to": "mine@fastmail.com"}, True),  # my thread
        ({"to": (("", "team@acme-analytics.com"),), "references": ("x@y", "mine@fastmail.com")}, True),
        ({"bulk": True}, False),
        ({"auto_reply": True}, False),
        ({"sender": ("", "olivia@acme-analytics.com.evil.example")}, False),
        ({"sender": ("", "olivia@notacme-analytics.com")}, False),
        ({"date": datetime(2026, 3, 3, 9, 30, tzinfo=UTC)}, False),  # during the interview
    ],
)
def test_mail_from_the_companys_domain(changes: dict[str, object], proposed: bool) -> None:
    found = run([MINE, message(**changes)], onsite())
    assert [p.key for p in found.proposals if p.key == "reply_received"] == (["reply_received"] if proposed else [])


def test_webmail_is_never_a_companys_domain() -> None:
    found = run([message(sender=("Jane Roé", "jane.roe.1987@gmail.com"))], onsite(domains=("gmail.com",)))
    assert found.proposals == []


@pytest.mark.parametrize(
    ("company", "sender", "subject", "proposed"),
    [
        ("Acme Analytics, Inc.", "no-reply@us.greenhouse-mail.io", "Your application to Acme Analytics", True),
        ("Acme Analytics GmbH", "no-reply@hire.lever.co", "Thank you for applying to ACME ANALYTICS!", True),
        ("Acme Analytics", "notifications@app.ashbyhq.com", "Interview confirmed", False),
        ("Acme", "no-reply@us.greenhouse-mail.io", "Your application to Acmeville Labs", False),
        ("Acme", "no-reply@smartrecruiters.com", "Update on your Acme application", True),
        ("A", "no-reply@greenhouse.io", "Your application to A Team", False),  # too short to tell
        ("Acme Analytics", "no-reply@mailer.example", "Your application to Acme Analytics", False),  # no ATS
    ],
)
def test_applicant_tracking_systems_count_when_they_name_the_company(
    company: str, sender: str, subject: str, proposed: bool
) -> None:
    ats = message(sender=("Careers", sender), subject=subject)
    found = run([ats], onsite(company=company))
    assert [p.key for p in found.proposals] == (["reply_received"] if proposed else [])


def test_a_tracking_systems_display_name_can_name_the_company() -> None:
    ats = message(sender=("Acme Analytics Hiring Team", "no-reply@us.greenhouse-mail.io"), subject="An update")
    assert [p.key for p in run([ats], onsite()).proposals] == ["reply_received"]


# --- thank-yous and follow-ups ---------------------------------------------------------------


def sent(to: str, day: int, hour: int = 9, *, cc: str = "", **fields: object) -> Message:
    return message(
        message_id=f"sent-{to}-{day}-{hour}", sender=("Alex Doe", fx.ME), to=(("", to),),
        cc=((("", cc),) if cc else ()),
        date=datetime(2026, 3, day, hour, tzinfo=UTC), subject="Hello", **fields,
    )


def test_a_thank_you_to_the_recruiter_is_a_thank_you() -> None:
    found = run([sent("sam.green@acme-analytics.com", 3, 15)], onsite())
    assert table(found) == [(NOTE, "thank_you_sent", date(2026, 3, 3), "sent-sam.green@acme-analytics.com-3-15")]
    assert found.unthanked == [(NOTE, JANE), (NOTE, RAJ), (NOTE, LI)]


def test_a_late_thank_you_is_no_follow_up() -> None:
    found = run([sent("sam.green@acme-analytics.com", 9), sent("sam.green@acme-analytics.com", 9, 15)], onsite())
    assert [(p.key, p.value) for p in found.proposals] == [("thank_you_sent", date(2026, 3, 9))]


def test_automatic_answers_from_me_count_for_nothing() -> None:
    found = run([sent("jane.roe@acme-analytics.com", 3, 15, auto_reply=True, bulk=True)], onsite())
    assert (found.proposals, len(found.unthanked)) == ([], 3)


@pytest.mark.parametrize(
    ("people", "proposed"),
    [
        ((JANE, SAM, Contact("Pat Lee", "pat@agency.example", "contact")), ["sam.green@acme-analytics.com"]),
        ((JANE, Contact("Pat Lee", "pat@agency.example", "contact")), ["pat@agency.example"]),
        ((JANE, RAJ), ["jane.roe@acme-analytics.com", "raj.patel@acme-analytics.com"]),
        ((JANE, Contact("Sam Green", "", "recruiter")), ["jane.roe@acme-analytics.com"]),  # no address: next role
    ],
)
def test_follow_ups_go_to_the_recruiter_else_the_contact_else_the_interviewers(
    people: tuple[Contact, ...], proposed: list[str]
) -> None:
    addresses = ["sam.green@acme-analytics.com", "pat@agency.example", "jane.roe@acme-analytics.com"]
    mail = [sent(address, 10 + n) for n, address in enumerate([*addresses, "raj.patel@acme-analytics.com"])]
    found = run(mail, onsite(people=people, thank_you_sent=date(2026, 3, 3)))
    assert [p.reason.to[0][1] for p in found.proposals if p.key == "follow_ups"] == proposed


def test_one_follow_up_a_day_and_not_within_the_thank_you_window() -> None:
    mail = [
        sent("sam.green@acme-analytics.com", 4, 9),  # within two days of the interview: a thank-you
        sent("sam.green@acme-analytics.com", 5, 9),  # 5 March 09:00 UTC: still within the window
        sent("sam.green@acme-analytics.com", 5, 11),  # after it
        sent("sam.green@acme-analytics.com", 5, 16, cc="jane.roe@acme-analytics.com"),  # the same day
    ]
    found = run(mail, onsite(thank_you_sent=date(2026, 3, 4)))
    assert [(p.key, p.value, p.reason.message_id) for p in found.proposals] == [
        ("follow_ups", date(2026, 3, 5), "sent-sam.green@acme-analytics.com-5-11"),
    ]
    wider = propose(mail, [onsite(thank_you_sent=date(2026, 3, 4))], {fx.ME}, zone=fx.ZONE, now=AFTER,
                    thank_window_days=3)
    assert wider.proposals == []


def test_my_addresses_are_compared_without_case() -> None:
    found = propose([sent("jane.roe@acme-analytics.com", 3, 15)], [onsite()], {fx.ME.upper()}, zone=fx.ZONE, now=AFTER)
    assert [p.key for p in found.proposals] == ["thank_you_sent"]


# --- invitations and order -------------------------------------------------------------------


def invite(uid: str, day: int, *, method: str = "REQUEST", sequence: int = 0, mine: bool = False) -> Message:
    sender = ("Alex Doe", fx.ME) if mine else ("Ines Berg", "ines.berg@borealis-robotics.de")
    return message(
        message_id=f"{uid}-{day}-{sequence}", date=datetime(2026, 3, day, tzinfo=UTC), sender=sender,
        invitation=True, invitation_uid=uid, invitation_method=method, invitation_sequence=sequence,
    )


def test_invitations_no_note_has() -> None:
    mail = [
        invite("known", 1),
        invite("new", 2), invite("new", 4, sequence=2), invite("new", 5, sequence=1),  # updates: the latest
        invite("cancelled", 3, method="CANCEL"), invite("answer", 3, method="REPLY"),
        invite("mine", 3, mine=True), invite("", 3),
        invite("other", 6, method=""),
        dataclasses.replace(invite("flag only", 7), invitation=False),
    ]
    found = run(mail, onsite(invite_uid="known"))
    assert [(m.invitation_uid, m.invitation_sequence) for m in found.invitations] == [("new", 2), ("other", 0)]


def test_proposals_come_by_path_then_key_then_date(mailbox: list[Message]) -> None:
    second = onsite(path="interviews/2026-03-03-acme-analytics-a.md", latest=False)
    found = run(mailbox, onsite(), second)
    keys = [(p.path, p.key, p.value) for p in found.proposals]
    assert keys == sorted(keys)
    assert [path for path, _ in found.unthanked] == [second.path, NOTE]
    assert run(list(reversed(mailbox)), second, onsite()) == found
    assert all(isinstance(p, Proposal) for p in found.proposals)


def test_a_person_with_my_address_is_not_me_thanking_myself() -> None:
    me_too = Contact("Alex Doe", fx.ME, "contact")
    found = run([sent(fx.ME, 3, 15), message(sender=("Alex", fx.ME), date=datetime(2026, 3, 9, tzinfo=UTC))],
                onsite(people=(JANE, me_too)))
    assert (found.proposals, found.unthanked) == ([], [(NOTE, JANE)])


def test_scanned_again_the_answers_are_the_same(tmp_path: Path, mailbox: list[Message]) -> None:
    box = fx.acme_mailbox(tmp_path / "Mail")
    scan.scan(box.paths, tmp_path / "record")
    again = scan.scan(box.paths, tmp_path / "record")
    assert again.read == 0
    assert table(run(again.messages, onsite())) == table(run(mailbox, onsite()))
