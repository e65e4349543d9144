"""What the user's mail says the interview notes should record: a reply received, a thank-you
and follow-ups sent, interviewers not thanked yet, and invitations not imported.

Mail is matched to people by address, never by display name: anyone can write "Jane Roe" in
a From field, from any webmail account. A message from the company counts only when it is
personal (to the user, or in a thread the user started); one from an applicant-tracking
service only when it names the company. Mass mailings, mailing lists and automatic answers
never count, and neither do forwards between the user and friends, as their addresses match
no one. Only what the note does not record yet is proposed, with the message it rests on, so
the user can check it before anything is written.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from followup import services
from followup.mail.scan import Message


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    email: str  # '' when the note has none: then no message can be matched to the person
    role: str  # "interviewer" | "recruiter" | "contact"


@dataclass(frozen=True, slots=True)
class Round:
    """One interview note, as matching needs it (built by the caller from the notes)."""

    path: str  # the note's path, which proposals name
    company: str
    end: datetime  # the interview's end (aware); for a date-only note, the end of that day
    people: tuple[Contact, ...]  # its interviewers, and the application's recruiter and contact
    thank_you_sent: date | None
    reply_received: date | None
    follow_ups: tuple[date, ...]
    invite_uid: str  # '' when none
    latest: bool  # the latest round of its application: replies and follow-ups concern it
    domains: tuple[str, ...]  # the company's own mail domains (may be empty)


@dataclass(frozen=True, slots=True)
class Proposal:
    """`key: value` for the note at `path`, because of the message `reason`."""

    path: str
    key: str  # "reply_received" | "thank_you_sent" | "follow_ups" (one proposal per date)
    value: date
    reason: Message


@dataclass(frozen=True, slots=True)
class Proposals:
    proposals: list[Proposal]  # by path, key, then date
    unthanked: list[tuple[str, Contact]]  # (note path, interviewer) with no message from the user since the interview
    invitations: list[Message]  # carrying an invitation no note has, one a UID, by date


def propose(
    messages: Sequence[Message],
    rounds: Sequence[Round],
    me: Collection[str],
    *,
    zone: ZoneInfo,
    thank_window_days: int = 2,
    now: datetime,
) -> Proposals:
    """What the notes (`rounds`) should record by the user's mail. `me` are the user's own
    addresses; dates are days in `zone`; `now` tells which interviews are over, for
    `unthanked`."""
    mail = _Mail(messages, frozenset(address.lower() for address in me), zone)
    proposals: list[Proposal] = []
    unthanked: list[tuple[str, Contact]] = []
    for round_ in rounds:
        thanks = None if round_.thank_you_sent else mail.thank_you(round_)
        if thanks is not None:
            proposals.append(Proposal(round_.path, "thank_you_sent", mail.day(thanks), thanks))
        if round_.latest:
            if round_.reply_received is None and (reply := mail.reply(round_)) is not None:
                proposals.append(Proposal(round_.path, "reply_received", mail.day(reply), reply))
            thank_day = round_.thank_you_sent or (mail.day(thanks) if thanks else None)
            proposals.extend(
                Proposal(round_.path, "follow_ups", mail.day(message), message)
                for message in mail.follow_ups(round_, thank_day, thank_window_days)
            )
        if round_.end <= now:
            unthanked.extend((round_.path, person) for person in mail.unthanked(round_))
    proposals.sort(key=lambda p: (p.path, p.key, p.value, p.reason.folder, p.reason.key))
    unthanked.sort(key=lambda item: item[0])  # stable: each note's interviewers stay in its order
    known = {round_.invite_uid for round_ in rounds if round_.invite_uid}
    return Proposals(proposals, unthanked, mail.invitations(known))


class _Mail:
    """The messages, each once, indexed by who sent them and to whom."""

    def __init__(self, messages: Iterable[Message], me: frozenset[str], zone: ZoneInfo) -> None:
        self.me = me
        self.zone = zone
        self.all = _unique(messages)
        dated = [m for m in self.all if m.date is not None]
        self.mine_by_recipient: dict[str, list[Message]] = defaultdict(list)
        self.personal_by_sender: dict[str, list[Message]] = defaultdict(list)
        self.personal_by_domain: dict[str, list[Message]] = defaultdict(list)
        self.from_services: list[Message] = []
        self.my_ids = {m.message_id for m in self.all if m.message_id and m.sender[1] in me}
        for message in dated:
            if message.bulk or message.auto_reply:
                continue
            address = message.sender[1]
            if address in me:
                for recipient in set(message.recipients):
                    self.mine_by_recipient[recipient].append(message)
            else:
                self.personal_by_sender[address].append(message)
                domain = services.domain_of(address)
                if services.service_of(domain):
                    self.from_services.append(message)
                else:
                    for suffix in _suffixes(domain):
                        self.personal_by_domain[suffix].append(message)

    def day(self, message: Message) -> date:
        assert message.date is not None  # only dated messages are ever matched
        return message.date.astimezone(self.zone).date()

    def _addresses(self, people: Iterable[Contact]) -> set[str]:
        return {person.email.strip().lower() for person in people if person.email.strip()} - self.me

    def _sent_to(self, addresses: Iterable[str], after: datetime) -> list[Message]:
        found = {
            id(message): message
            for address in addresses
            for message in self.mine_by_recipient.get(address, ())
            if message.date is not None and message.date > after
        }
        return sorted(found.values(), key=_order)

    def thank_you(self, round_: Round) -> Message | None:
        """The user's first message to a person of the round after the interview."""
        sent = self._sent_to(self._addresses(round_.people), round_.end)
        return sent[0] if sent else None

    def unthanked(self, round_: Round) -> list[Contact]:
        people: list[Contact] = []
        seen: set[str] = set()
        for person in round_.people:
            address = person.email.strip().lower()
            if person.role != "interviewer" or not address or address in self.me or address in seen:
                continue
            seen.add(address)
            if not self._sent_to([address], round_.end):
                people.append(person)
        return people

    def follow_ups(self, round_: Round, thank_day: date | None, window_days: int) -> list[Message]:
        """The user's first message of each day to whom follow-ups go, after the thank-you
        window, on a day the note does not record yet (nor as the thank-you's)."""
        targets = _follow_up_targets(round_.people)
        recorded = set(round_.follow_ups)
        found: dict[date, Message] = {}
        for message in self._sent_to(self._addresses(targets), round_.end + timedelta(days=window_days)):
            day = self.day(message)
            if day not in recorded and day != thank_day:
                found.setdefault(day, message)
        return [found[day] for day in sorted(found)]

    def reply(self, round_: Round) -> Message | None:
        """Their first message after the interview, or after the last follow-up recorded."""
        after = round_.end
        if round_.follow_ups:
            after = max(after, datetime.combine(max(round_.follow_ups), time(0), tzinfo=self.zone) - _INSTANT)
        candidates: dict[int, Message] = {}
        for address in self._addresses(round_.people):
            for message in self.personal_by_sender.get(address, ()):
                candidates[id(message)] = message
        for domain in {d.strip().lower() for d in round_.domains if d.strip()}:
            if services.is_webmail(domain) or services.service_of(domain):
                continue
            for message in self.personal_by_domain.get(domain, ()):
                if self._personal(message):
                    candidates[id(message)] = message
        names = _company_pattern(round_.company)
        if names is not None:
            for message in self.from_services:
                if names.search(message.subject) or names.search(message.sender[0]):
                    candidates[id(message)] = message
        after_interview = [m for m in candidates.values() if m.date is not None and m.date > after]
        return min(after_interview, key=_order) if after_interview else None

    def _personal(self, message: Message) -> bool:
        """To the user (in To, not only Cc), or in a thread the user started."""
        if any(address in self.me for _, address in message.to):
            return True
        return message.in_reply_to in self.my_ids or any(ref in self.my_ids for ref in message.references)

    def invitations(self, known: set[str]) -> list[Message]:
        """The invitations no note has, one a UID: its latest version (highest SEQUENCE, then date)."""
        latest: dict[str, Message] = {}
        for message in self.all:
            uid = message.invitation_uid
            if not message.inviting or uid in known or message.sender[1] in self.me:
                continue
            if uid not in latest or _version(message) > _version(latest[uid]):
                latest[uid] = message
        return sorted(latest.values(), key=_order)


_INSTANT = timedelta(microseconds=1)  # `after` is exclusive; a follow-up day starts at midnight
_EPOCH = datetime(1, 1, 2, tzinfo=UTC)


def _order(message: Message) -> tuple[datetime, str, str]:
    return (message.date or _EPOCH, message.folder, message.key)


def _version(message: Message) -> tuple[int, datetime, str, str]:
    return (message.invitation_sequence, *_order(message))


def _unique(messages: Iterable[Message]) -> list[Message]:
    """One message per Message-ID (a copy in another folder is the same message): the earliest
    dated one, then by folder and key. Messages without an id are all kept."""
    kept: dict[str, Message] = {}
    others: list[Message] = []
    for message in sorted(messages, key=lambda m: (m.date is None, _order(m))):
        if not message.message_id:
            others.append(message)
        else:
            kept.setdefault(message.message_id, message)
    return [*kept.values(), *others]


def _suffixes(domain: str) -> list[str]:
    """`mail.acme.example` -> itself and `acme.example`: a message is indexed under each, so
    that a company's domain finds its subdomains too."""
    parts = domain.split(".")
    return [".".join(parts[at:]) for at in range(max(1, len(parts) - 1))] if domain else []


def _follow_up_targets(people: Sequence[Contact]) -> list[Contact]:
    """Whom follow-ups go to: the recruiter, else the contact, else the interviewers."""
    for role in ("recruiter", "contact", "interviewer"):
        chosen = [person for person in people if person.role == role and person.email.strip()]
        if chosen:
            return chosen
    return []


# Legal forms left out of a company's name before looking for it in a subject: "Acme Inc." is
# named as "Acme" in "Your application to Acme".
_LEGAL_FORM = re.compile(
    r"[\s,]+(?:inc|incorporated|corp|corporation|co|company|ltd|limited|llc|llp|lp|plc|gmbh|mbh|ag|kg|"
    r"kgaa|se|sa|sas|sarl|sl|srl|spa|bv|nv|oy|oyj|ab|as|asa|aps|a/s|pty|pte|kk|s\.?\s?a\.?|"
    r"s\.?\s?l\.?|b\.?\s?v\.?|n\.?\s?v\.?|s\.?\s?r\.?\s?l\.?|s\.?\s?p\.?\s?a\.?|& co\.?)\.?\s*\Z",
    re.IGNORECASE,
)


def _company_pattern(company: str) -> re.Pattern[str] | None:
    """A pattern finding the company's name as whole words, whatever the case; None for a
    name too short to tell (one character)."""
    name = " ".join(company.split())
    while (shorter := _LEGAL_FORM.sub("", name)) != name:
        name = shorter
    name = name.strip(" ,.")
    if len(name) < 2:
        return None
    words = r"\s+".join(re.escape(word) for word in name.split())
    return re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)
