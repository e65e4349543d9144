"""People as a note names them: an address list read the way an email header is.

`Eve Stone <eve@x.example>, Sam Lee` is two people; `"Lee, Sam" <sam@x.example>` is one.
An address must be a plain `local@domain` as a mail header carries it (RFC 5322 dot-atoms,
an internationalised domain allowed): anything else is refused here, whatever a page or a
calendar app would make of it.
"""

from __future__ import annotations

import re

from followup.note.model import Person

# RFC 5322 atext, dot-separated; quoted local parts are left out on purpose: nobody needs one
# for an interviewer, and they are where markup would hide.
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
# Host-name labels: letters (of any script), digits and inner hyphens.
_LABEL = re.compile(r"(?!-)[^\W_](?:[^\W_]|-)*(?<!-)")
_MAX_ADDRESS = 254  # the longest address SMTP can carry
_HINT = "write Jane Doe <jane@acme.example>"


def is_email(text: str) -> bool:
    """True for an address as a mail header carries it: `local@domain`, nothing around it."""
    if len(text) > _MAX_ADDRESS or text.count("@") != 1:
        return False
    local, domain = text.split("@")
    labels = domain.split(".")
    return bool(_LOCAL.fullmatch(local)) and all(_LABEL.fullmatch(label) and len(label) <= 63 for label in labels)


def split_list(text: str) -> list[str]:
    """The items of an address list: commas separate, except inside quotes or `<...>`."""
    if "," not in text:  # one item (most notes name one person per line)
        return [text.strip()] if text.strip() else []
    if '"' not in text and "<" not in text:  # nothing to keep a comma in
        return [item.strip() for item in text.split(",") if item.strip()]
    items: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    angle = 0
    for ch in text:
        if escaped:
            escaped = False
        elif quoted and ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif not quoted and ch == "<":
            angle += 1
        elif not quoted and ch == ">":
            angle = max(angle - 1, 0)
        elif ch == "," and not quoted and not angle:
            items.append("".join(current))
            current = []
            continue
        current.append(ch)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def _display_name(text: str) -> str:
    """The name before `<...>`, its quotes taken off (a `\\"` inside stays a quote); quotes
    inside an unquoted name (`Jane "JJ" Doe`) are kept as written."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = re.sub(r"\\(.)", r"\1", text[1:-1])
    return " ".join(text.split())


def parse_person(text: str) -> Person:
    """One person: `Jane Doe <jane@acme.example>`, `"Doe, Jane" <jane@...>`, a name or an address."""
    text = text.strip()
    if text.endswith(">") and "<" in text:
        at = text.rindex("<")
        name, email = _display_name(text[:at]), text[at + 1 : -1].strip()
        if not is_email(email):
            raise ValueError(f"'{email}' is not an email address; {_HINT}")
        if "<" in name or ">" in name:
            raise ValueError(f"'{text}' is not a name and address; {_HINT}")
        return Person(name=name or email.split("@")[0], email=email)
    if "<" in text or ">" in text:
        raise ValueError(f"'{text}' is not a name and address; {_HINT}")
    if "@" in text and " " not in text.strip('"'):
        if not is_email(text):
            raise ValueError(f"'{text}' is not an email address; {_HINT}")
        return Person(name=text.split("@")[0], email=text)
    return Person(name=_display_name(text))


def parse_people(text: str) -> list[Person]:
    """Every person in an address list (see `split_list`)."""
    return [parse_person(item) for item in split_list(text)]
