"""Mail domains that say nothing about an employer: webmail, applicant-tracking and scheduling
services, and calendar relays. Shared by the invitation import and the mail reader, which
both guess a company from an address and must not take `gmail.com` or `greenhouse.io` for one.
"""

from __future__ import annotations

# Personal mailboxes: an address here is a person, never a company's domain.
WEBMAIL: frozenset[str] = frozenset({
    "aol.com", "fastmail.com", "fastmail.fm", "gmail.com", "gmx.com", "gmx.de", "gmx.net",
    "googlemail.com", "hey.com", "hotmail.com", "hotmail.co.uk", "icloud.com", "live.com",
    "mac.com", "mail.com", "mailbox.org", "me.com", "msn.com", "outlook.com", "pm.me",
    "posteo.de", "proton.me", "protonmail.com", "qq.com", "t-online.de", "tutanota.com",
    "web.de", "yahoo.co.uk", "yahoo.com", "yahoo.fr", "yandex.com", "yandex.ru", "zoho.com",
})

# Applicant-tracking systems and scheduling services: they write on a company's behalf, so
# their messages count when they name the company, and their domain is never the company's.
SERVICES: dict[str, str] = {
    "ashbyhq.com": "Ashby",
    "bamboohr.com": "BambooHR",
    "breezy.hr": "Breezy HR",
    "cal.com": "Cal.com",
    "calendly.com": "Calendly",
    "goodtime.io": "GoodTime",
    "greenhouse-mail.io": "Greenhouse",
    "greenhouse.io": "Greenhouse",
    "hire.lever.co": "Lever",
    "icims.com": "iCIMS",
    "jobvite.com": "Jobvite",
    "lever.co": "Lever",
    "modernloop.io": "ModernLoop",
    "myworkday.com": "Workday",
    "myworkdayjobs.com": "Workday",
    "personio.de": "Personio",
    "recruitee.com": "Recruitee",
    "smartrecruiters.com": "SmartRecruiters",
    "successfactors.com": "SuccessFactors",
    "taleo.net": "Taleo",
    "teamtailor-mail.com": "Teamtailor",
    "teamtailor.com": "Teamtailor",
    "workablemail.com": "Workable",
    "workable.com": "Workable",
    "workday.com": "Workday",
}

# Calendar relays: the organizer's address is the relay's; the person is in EMAIL=.
RELAYS: frozenset[str] = frozenset({"imip.me.com", "icloud.com.imip"})


def domain_of(address: str) -> str:
    """The domain of `local@domain`, lower-cased; '' when there is none."""
    _, at, domain = address.strip().rpartition("@")
    return domain.strip().strip(">").lower() if at else ""


def _within(domain: str, known: frozenset[str] | dict[str, str]) -> str:
    """The entry of `known` that `domain` is or is a subdomain of, else ''."""
    parts = domain.lower().split(".")
    for start in range(len(parts) - 1):
        candidate = ".".join(parts[start:])
        if candidate in known:
            return candidate
    return ""


def is_webmail(domain: str) -> bool:
    return bool(_within(domain, WEBMAIL))


def service_of(domain: str) -> str:
    """The service's name for a domain of an applicant-tracking or scheduling service, else ''."""
    found = _within(domain, SERVICES)
    return SERVICES[found] if found else ""


def is_relay(domain: str) -> bool:
    return bool(_within(domain, RELAYS))


def company_domain(address: str) -> str:
    """The domain of an address when it can be a company's (not webmail, a service or a relay)."""
    domain = domain_of(address)
    if not domain or is_webmail(domain) or service_of(domain) or is_relay(domain):
        return ""
    return domain
