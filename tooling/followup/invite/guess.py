"""Guesses for a new note from an invitation: the company (from an address) and the role
(from the title). Both are only suggestions the user can change; each returns '' rather
than a wild guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from followup.services import company_domain

if TYPE_CHECKING:
    from followup.invite.parse import Invitation

# Second-level labels under a country code that belong to the public suffix (acme.co.uk).
_SECOND_LEVEL = frozenset({"ac", "co", "com", "edu", "gov", "govt", "ltd", "ne", "net", "or", "org", "plc"})

# Words around a role in a meeting title that are not part of it.
_PREFIX = re.compile(
    r"^\s*(?:(?:updated\s+)?invitation(?:\s+with\s+note)?|invite|(?:new|updated|canceled|cancelled)\s+event"
    r"(?:\s+with\s+note)?|canceled|cancelled|updated|accepted|declined|tentative|fwd?|re)\s*:\s*",
    re.IGNORECASE,
)
_GOOGLE_WHEN = re.compile(r"\s@\s*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b.*$", re.IGNORECASE)
_BRACKETS = re.compile(r"\([^()]*(?:\d|@)[^()]*\)|\[[^\[\]]*(?:\d|@)[^\[\]]*\]")
# Dashes, en and em dashes, bars, colons and bullets part a title into pieces.
_DASHES = "\\-\u2013\u2014"
_WITH = re.compile(rf"\bwith\s+[^{_DASHES}|:/\u2022@,()]+", re.IGNORECASE)
_KIND = (
    r"(?:technical|behavio(?:u)?ral|cultur(?:e|al)(?:\s+fit)?|team|hiring\s+manager|hr|recruiter|phone|video|"
    r"final|first|second|third|initial|intro(?:ductory)?|onsite|on-site|virtual|online|1st|2nd|3rd|4th)"
)
_FILLER_PHRASE = re.compile(
    rf"\b{_KIND}\s+(?:interview|screen(?:ing)?|call|chat|round|meeting|conversation)s?\b", re.IGNORECASE
)
_FILLER_WORD = re.compile(
    r"\b(?:interviews?|invitation|invite|call|screen(?:ing)?|chat|meeting|conversation|round(?:\s+\d+)?|"
    r"zoom|teams|google\s+meet)\b",
    re.IGNORECASE,
)
_EDGE_WORDS = re.compile(r"^(?:for|the|a|an|of|role|position)\b\s*|\s*\b(?:for|the|a|an|of|role|position)$", re.I)
_SEPARATORS = re.compile(rf"\s[{_DASHES}|:\u2022/]\s|[|:\u2022]|\s[{_DASHES}]|[{_DASHES}]\s")
_TRIM = " -\u2013\u2014|:,.;"
_ROLE_WORDS = re.compile(
    r"\b(?:engineer|developer|manager|designer|analyst|scientist|lead|director|intern|specialist|consultant|"
    r"architect|officer|associate|administrator|coordinator|representative|researcher|head|vp|president|"
    r"product|programmer|writer|editor|accountant|marketer|sales|support|advisor|technician|owner)s?\b",
    re.IGNORECASE,
)


def company_name(domain: str) -> str:
    """A readable name from a company's mail domain: the label before the public suffix,
    split on - and _, each word capitalised ("acme-analytics.example" -> "Acme Analytics")."""
    labels = [label for label in domain.lower().strip(".").split(".") if label]
    if len(labels) < 2:
        return ""
    suffix = 2 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 1
    label = labels[-suffix - 1]
    if label.startswith("xn--"):
        try:
            label = label.encode("ascii").decode("idna")
        except UnicodeError:
            return ""
    words = [word for word in re.split(r"[-_]+", label) if word]
    return " ".join(word[:1].upper() + word[1:] for word in words)


def guess_company(inv: Invitation, me: Iterable[str]) -> str:
    """The company behind an invitation: the organizer's (else an attendee's) company domain,
    skipping the user's own addresses and webmail, scheduling services and relays."""
    mine = {address.strip().casefold() for address in me}
    people = ([inv.organizer] if inv.organizer else []) + list(inv.attendees)
    for person in people:
        if person.email.casefold() in mine:
            continue
        domain = company_domain(person.email)
        if domain:
            return company_name(domain)
    return ""


def guess_role(inv: Invitation, company: str) -> str:
    """The role an interview is for, from its title ("Interview: Senior Data Engineer @ Acme"
    -> "Senior Data Engineer"); '' when nothing but meeting words is left."""
    title = " ".join(inv.summary.split())
    while True:
        shorter = _PREFIX.sub("", title)
        if shorter == title:
            break
        title = shorter
    title = _GOOGLE_WHEN.sub("", title)
    title = _BRACKETS.sub(" ", title)
    if company.strip():
        name = re.escape(company.strip())
        title = re.sub(rf"(?:(?:@|\bat\b|\bfor\b)\s*)?\b{name}\b(?:'s)?", " ", title, flags=re.IGNORECASE)
    title = _WITH.sub(" ", title)
    title = _FILLER_PHRASE.sub(" ", title)
    title = _FILLER_WORD.sub(" ", title)
    segments = [_tidy(segment) for segment in _SEPARATORS.split(title)]
    segments = [segment for segment in segments if re.search(r"[^\W\d_]", segment)]
    if not segments:
        return ""
    with_role = [segment for segment in segments if _ROLE_WORDS.search(segment)]
    return max(with_role or segments, key=len)


def _tidy(segment: str) -> str:
    segment = " ".join(segment.replace("@", " ").split()).strip(_TRIM + "()[]")
    while True:
        shorter = _EDGE_WORDS.sub("", segment).strip(_TRIM)
        if shorter == segment:
            return segment
        segment = shorter
