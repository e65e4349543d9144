"""Make a synthetic followup workspace: N realistic interview notes plus the site files.

Usage: ``python benchmarks/generate.py N OUT_DIR [--seed 1] [--layout auto|flat|monthly]``.
The same N and seed always give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from random import Random
from zoneinfo import ZoneInfo

# Bump when the output changes, so cached workspaces (see run.py) are made anew.
VERSION = 1

TODAY = date(2026, 11, 26)
SPREAD_DAYS = 274  # about nine months either side of TODAY: 18 months in all
REPO = Path(__file__).resolve().parent.parent
DEFAULT_ZONE = "Europe/London"
# What `followup build` writes into docs/ (as in the repository's .gitignore): not copied.
GENERATED_DOCS = ("progress.md", "subscribe.md", "board.md", ".today.md", "interviews", "*.ics")
HOOKS = re.compile(r"^hooks:\n(?:[ \t]+- .*\n)+", re.MULTILINE)

ZONES = (
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Australia/Sydney",
)
COMPANY_HEADS = (
    "Acme", "Aurora", "Beacon", "Birch", "Blue", "Bright", "Cedar", "Cobalt", "Copper", "Crescent",
    "Delta", "Ember", "Falcon", "Fern", "Granite", "Harbor", "Iron", "Juniper", "Kestrel", "Lumen",
    "Maple", "Meridian", "North", "Onyx", "Orchid", "Pine", "Quartz", "Raven", "Silver", "Summit",
)  # fmt: skip
COMPANY_TAILS = (
    "Analytics", "Bank", "Bio", "Cloud", "Data", "Dynamics", "Energy", "Foods", "Freight", "Health",
    "Insights", "Logic", "Media", "Mobility", "Networks", "Pay", "Robotics", "Software", "Systems",
    "Works",
)  # fmt: skip
COMPANY_FORMS = ("", "", "", " Ltd", " Inc.", " GmbH", " Labs", " Group", " AG", " & Co.")
# A few names that a naive Markdown table or HTML page would mangle.
ODD_COMPANIES = (
    "North|South Logistics",
    "Star*Forge",
    "<Bracket> Studios",
    "Müller & Söhne",
    "Café Zürich Digital",
    "O'Neill Partners",
)
COMPANY_COUNT = 300

ROLES = (
    "Software Engineer", "Backend Engineer", "Frontend Engineer", "Data Engineer",
    "Data Scientist", "Site Reliability Engineer", "Product Manager", "Engineering Manager",
    "Product Designer", "QA Engineer", "Security Engineer", "Machine Learning Engineer",
    "Developer Advocate", "Technical Writer", "Solutions Architect", "Platform Engineer",
)  # fmt: skip
SENIORITY = ("", "", "Junior ", "Senior ", "Staff ", "Lead ", "Principal ")
ROUNDS = (
    "phone screen", "recruiter call", "technical", "take-home review", "system design",
    "onsite", "hiring manager", "final",
)  # fmt: skip
FIRST_NAMES = (
    "Aisha", "Ben", "Carla", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
    "Kemi", "Liam", "Maya", "Noor", "Oscar", "Priya", "Quinn", "Rosa", "Sven", "Tariq",
    "Uma", "Victor", "Wen", "Yara", "Zoe",
)  # fmt: skip
LAST_NAMES = (
    "Adeyemi", "Bauer", "Chen", "Dubois", "Eriksen", "Fischer", "García", "Hughes", "Ito",
    "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "O'Brien", "Patel", "Rossi",
    "Schmidt", "Tanaka", "Walsh",
)  # fmt: skip
TITLES = (
    "Engineering Manager", "Senior Engineer", "Staff Engineer", "HR Business Partner",
    "Head of Product", "CTO", "Team Lead", "Talent Partner", "VP Engineering",
)  # fmt: skip
AGENCIES = (
    "Brightpath Talent", "Northstar Recruiting", "Keystone Search", "Meridian People",
    "Harbor & Finch", "Summit Talent Partners",
)  # fmt: skip
STREETS = ("High Street", "Market Square", "Riverside Way", "Station Road", "King's Road")
CITIES = ("London", "Berlin", "Paris", "New York", "Chicago", "San Francisco", "Tokyo", "Sydney")
DURATIONS = (30, 45, 60, 60, 90, 120, 180, 240)
IMPRESSIONS = ("good", "good", "okay", "okay", "bad")
PAST_OUTCOMES = (
    "pending",
    "rejected",
    "no-response",
    "withdrawn",
    "offer",
    "accepted",
    "next-round",
)
PAST_OUTCOME_WEIGHTS = (35, 20, 10, 7, 13, 7, 8)
PLAIN_SCALAR = re.compile(r"[^\W\d_][^\n\"{}\[\],]*")
YAML_KEYWORDS = frozenset({"yes", "no", "y", "n", "true", "false", "on", "off", "null"})
COMMENTS = ("# moved once, from the week before", "# they said to expect a call", "# second try")

SECTIONS = (
    "Before the interview", "Who I met", "What they asked", "My answers", "Questions I asked",
    "About the team", "The product", "Red flags", "Salary and logistics", "How it went",
    "Things to look up", "Next steps",
)  # fmt: skip
WORD_LIST = """
    architecture availability backlog balance benefits budget candidate career ceremony
    challenge collaboration colleague communication company compensation complexity conference
    confidence constraint consulting contract conversation culture customer database deadline
    decision delivery department deployment design developer discussion distributed documentation
    engineering environment equity estimate example experience experiment failure feedback
    flexibility framework growth handover hiring incident infrastructure initiative integration
    interview iteration latency leadership learning legacy manager meeting mentoring metrics
    migration milestone monitoring motivation negotiation observability offer onboarding
    ownership pairing performance pipeline planning platform portfolio priority process product
    production project promotion prototype quality question recruiter refactoring relocation
    release reliability remote requirement research responsibility retrospective review roadmap
    salary scalability schedule security service stakeholder strategy strength support system
    team technology testing timeline tooling trade-off training transition travel understanding
    vacation velocity vision weakness whiteboard workload
    about after again also asked because before between clearly could during every explained
    follow further great honest however mentioned maybe might nobody often openly perhaps
    probably quickly really seemed several should since still their there these though through
    together towards usually very whether which while would
    the the the the and and and and to to to of of of a a in in with with for for on on that that
    is is was was they they we we I I my my it it be be not not
"""
WORDS = tuple(WORD_LIST.split())


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    title: str


@dataclass(frozen=True)
class Application:
    company: str
    role: str
    domain: str
    zone: str
    recruiter: Person | None
    agency: str | None
    key: str | None  # an explicit `application` value, when the note sets one


@dataclass(frozen=True)
class Round:
    application: Application
    label: str
    start: datetime
    has_time: bool
    is_last: bool


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def yaml_scalar(value: str) -> str:
    """The value as a plain YAML scalar (also safe in a flow mapping) when it reads back as the
    same string, else double-quoted."""
    plain = (
        PLAIN_SCALAR.fullmatch(value)
        and ": " not in value
        and " #" not in value
        and not value.endswith((":", " "))
        and value.lower() not in YAML_KEYWORDS
    )
    return value if plain else json.dumps(value, ensure_ascii=False)


def company_names(rng: Random) -> list[str]:
    combos = [f"{head} {tail}" for head in COMPANY_HEADS for tail in COMPANY_TAILS]
    picked = rng.sample(combos, COMPANY_COUNT - len(ODD_COMPANIES))
    return [name + rng.choice(COMPANY_FORMS) for name in picked] + list(ODD_COMPANIES)


def make_person(rng: Random, domain: str) -> Person:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    local = slugify(f"{first}.{last}").replace("-", ".")
    return Person(f"{first} {last}", f"{local}@{domain}", rng.choice(TITLES))


def make_application(rng: Random, companies: list[str]) -> Application:
    company = rng.choice(companies)
    role = rng.choice(SENIORITY) + rng.choice(ROLES)
    domain = slugify(company) + ".example"
    agency = rng.choice(AGENCIES) if rng.random() < 0.3 else None
    recruiter = make_person(rng, slugify(agency) + ".example") if agency else None
    key = f"{company} {role} {rng.randint(1, 3)}" if rng.random() < 0.08 else None
    return Application(company, role, domain, rng.choice(ZONES), recruiter, agency, key)


def make_rounds(rng: Random, application: Application) -> list[Round]:
    count = rng.choices((1, 2, 3, 4), weights=(35, 30, 22, 13))[0]
    labels = sorted(rng.sample(range(len(ROUNDS)), count))
    day = TODAY + timedelta(days=rng.randint(-SPREAD_DAYS, SPREAD_DAYS))
    rounds = []
    for index, label in enumerate(labels):
        has_time = rng.random() < 0.85
        clock = (rng.randint(8, 17), rng.choice((0, 15, 30, 45))) if has_time else (0, 0)
        start = datetime(day.year, day.month, day.day, *clock)  # noqa: DTZ001 (wall-clock time, as a note writes it)
        rounds.append(Round(application, ROUNDS[label], start, has_time, index == count - 1))
        day += timedelta(days=rng.randint(3, 14))
    return rounds


def date_text(rng: Random, item: Round) -> str:
    day = item.start.date().isoformat()
    if not item.has_time:
        return day if rng.random() < 0.7 else f'"{day}"'
    clock = item.start.strftime("%H:%M")
    style = rng.random()
    if style < 0.6:
        return f"{day} {clock}"
    if style < 0.8:
        return f'"{day} {clock}"'
    if style < 0.92:
        return f"{day}T{clock}"
    offset = item.start.replace(tzinfo=ZoneInfo(item.application.zone)).strftime("%z")
    return f"{day}T{clock}{offset[:3]}:{offset[3:]}"


def contact_text(rng: Random, person: Person) -> str:
    text = f"{person.name} <{person.email}>" if rng.random() < 0.7 else person.name
    return yaml_scalar(text)


def person_lines(rng: Random, person: Person, indent: str) -> list[str]:
    """One person as `Name <email>`, a bare name, or a {name, title, email} mapping."""
    if rng.random() < 0.62:
        return [contact_text(rng, person)]
    if rng.random() < 0.35:
        return [f"{{name: {yaml_scalar(person.name)}, title: {yaml_scalar(person.title)}}}"]
    return [
        f"name: {yaml_scalar(person.name)}",
        f"{indent}title: {yaml_scalar(person.title)}",
        f"{indent}email: {person.email}",
    ]


def location(rng: Random, application: Application) -> str:
    style = rng.random()
    if style < 0.35:
        return f"https://meet.example/{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"
    if style < 0.55:
        return f"https://zoom.example/j/{rng.randint(10**9, 10**10 - 1)}"
    if style < 0.65:
        return "phone"
    street = f"{rng.randint(1, 240)} {rng.choice(STREETS)}, {rng.choice(CITIES)}"
    return yaml_scalar(f"{application.company}, {street}")


def outcome(rng: Random, item: Round) -> str | None:
    if not item.is_last:
        return "next-round" if rng.random() < 0.8 else None
    if item.start.date() >= TODAY:
        return "pending" if rng.random() < 0.2 else None
    return rng.choices(PAST_OUTCOMES, weights=PAST_OUTCOME_WEIGHTS)[0]


def later(rng: Random, day: date, low: int, high: int) -> date:
    return day + timedelta(days=rng.randint(low, high))


def follow_up_dates(rng: Random, day: date) -> list[date]:
    dates: list[date] = []
    wanted = rng.choice((0, 1, 1, 2, 2))
    when = later(rng, day, 7, 10)
    while len(dates) < wanted and when <= TODAY:
        dates.append(when)
        when = later(rng, when, 7, 9)
    return dates


def done_keys(rng: Random, item: Round, result: str | None) -> list[str]:
    """What the job seeker recorded after the interview: thank-yous, reviews, follow-ups."""
    day = item.start.date()
    if day >= TODAY:
        return []
    lines = []
    if rng.random() < 0.65:
        lines.append(f"thank_you_sent: {later(rng, day, 0, 1)}")
    if rng.random() < 0.5:
        lines.append(f"notes_reviewed: {later(rng, day, 0, 2)}")
    follow_ups = follow_up_dates(rng, day) if result in (None, "pending") else []
    if follow_ups:
        lines.append("follow_ups:")
        lines.extend(f"  - {when}" for when in follow_ups)
    elif rng.random() < 0.1:
        lines.append("follow_ups: []")
    return lines


def offer_keys(rng: Random, item: Round, result: str | None) -> list[str]:
    if result not in ("offer", "accepted"):
        return []
    received = min(later(rng, item.start.date(), 2, 14), TODAY)
    return [f"offer_received: {received}", f"offer_deadline: {later(rng, received, 5, 14)}"]


def optional(rng: Random, chance: float, line: str) -> list[str]:
    return [line] if rng.random() < chance else []


def front_matter(rng: Random, item: Round) -> list[str]:
    application = item.application
    people = [make_person(rng, application.domain) for _ in range(rng.randint(1, 4))]
    result = outcome(rng, item)
    lines = [
        f"company: {yaml_scalar(application.company)}",
        f"role: {yaml_scalar(application.role)}",
        f"date: {date_text(rng, item)}",
        *optional(rng, 0.15, rng.choice(COMMENTS)),
        *optional(rng, 0.9, f"round: {item.label}"),
        *optional(rng, 0.6, f"timezone: {application.zone}"),
        *optional(rng, 0.65, f"duration: {rng.choice(DURATIONS)}"),
        *optional(rng, 0.85, f"location: {location(rng, application)}"),
    ]
    if rng.random() < 0.85:
        lines.append("interviewers:")
        for person in people:
            first, *rest = person_lines(rng, person, "    ")
            lines += [f"  - {first}", *rest]
    if application.recruiter and application.agency:
        first, *rest = person_lines(rng, application.recruiter, "  ")
        lines += [f"recruiter: {first}"] if not rest else ["recruiter:", f"  {first}", *rest]
        lines.append(f"agency: {yaml_scalar(application.agency)}")
    lines += optional(rng, 0.15, f"contact: {contact_text(rng, people[-1])}")
    lines += optional(rng, 0.4, f"reply_by: {later(rng, item.start.date(), 3, 14)}")
    lines += optional(rng, 0.7, f"impression: {rng.choice(IMPRESSIONS)}")
    lines += optional(rng, 0.15, f"may_call: {'true' if rng.random() < 0.7 else 'false'}")
    lines += done_keys(rng, item, result)
    lines += [f"outcome: {result}"] if result else []
    lines += offer_keys(rng, item, result)
    lines += [f"application: {yaml_scalar(application.key)}"] if application.key else []
    return lines


def sentences(rng: Random, count: int) -> Iterator[str]:
    words = rng.choices(WORDS, k=count)
    while words:
        size = rng.randint(6, 18)
        chunk, words = words[:size], words[size:]
        if len(chunk) > 8 and rng.random() < 0.4:
            chunk[len(chunk) // 2] += ","
        text = " ".join(chunk)
        yield text[0].upper() + text[1:] + "."


def block(rng: Random, budget: int) -> tuple[str, int]:
    """One Markdown block (paragraph, list, quote) of about `budget` words, and its word count."""
    style = rng.random()
    if style < 0.5:
        return " ".join(sentences(rng, budget)), budget
    if style < 0.85:
        marker = rng.choice(("- ", "- ", "1. ", "- [ ] ", "- **Q:** "))
        items = [next(sentences(rng, rng.randint(5, 12))) for _ in range(max(2, budget // 10))]
        return "\n".join(marker + item for item in items), sum(len(i.split()) for i in items)
    quote = next(sentences(rng, min(budget, 18)))
    return f"> {quote}", len(quote.split())


def body(rng: Random, item: Round) -> str:
    application = item.application
    remaining = int(rng.triangular(280, 1380, 1250))
    parts = [f"# {application.company}: {item.label}", f"*{application.role}*"]
    for section in rng.sample(SECTIONS, len(SECTIONS)):
        parts.append(f"## {section}")
        for _ in range(rng.randint(1, 3)):
            text, used = block(rng, min(remaining, rng.randint(30, 120)))
            parts.append(text)
            remaining -= used
            if remaining <= 0:
                return "\n\n".join(parts) + "\n"
    return "\n\n".join(parts) + "\n"


def note_text(rng: Random, item: Round) -> str:
    return "---\n" + "\n".join(front_matter(rng, item)) + "\n---\n\n" + body(rng, item)


def note_path(interviews: Path, item: Round, taken: set[Path], *, monthly: bool) -> Path:
    stem = f"{item.start:%Y-%m-%d}-{slugify(item.application.company)}-{slugify(item.label)}"
    folder = interviews / f"{item.start:%Y-%m}" if monthly else interviews
    path, suffix = folder / f"{stem}.md", 2
    while path in taken:
        path, suffix = folder / f"{stem}-{suffix}.md", suffix + 1
    taken.add(path)
    return path


def all_rounds(rng: Random, count: int) -> list[Round]:
    companies = company_names(rng)
    rounds: list[Round] = []
    while len(rounds) < count:
        rounds += make_rounds(rng, make_application(rng, companies))
    return rounds[:count]


def write_notes(count: int, out: Path, seed: int, *, monthly: bool) -> None:
    rng = Random(seed)
    interviews = out / "interviews"
    taken: set[Path] = set()
    for item in all_rounds(rng, count):
        path = note_path(interviews, item, taken, monthly=monthly)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(note_text(rng, item), encoding="utf-8")


def site_config(repo_config: Path) -> str:
    """The repository's mkdocs.yml, its hook paths made absolute so they work from elsewhere."""
    text = repo_config.read_text(encoding="utf-8")

    def absolute(block: re.Match[str]) -> str:
        return re.sub(r"- (.+)", lambda item: f"- {REPO / item[1].strip()}", block[0])

    return HOOKS.sub(absolute, text)


def write_site_files(out: Path) -> None:
    """followup.toml, docs/ and mkdocs.yml: the repository's site sources when it has them
    (the guide, theme overrides), else a docs/index.md and a minimal Material site. Rewrites
    docs/ from scratch, so it also removes what a build wrote there."""
    (out / "followup.toml").write_text(f'timezone = "{DEFAULT_ZONE}"\n', encoding="utf-8")
    docs = out / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    if (REPO / "docs").is_dir():
        shutil.copytree(REPO / "docs", docs, ignore=shutil.ignore_patterns(*GENERATED_DOCS))
    else:
        docs.mkdir(parents=True)
        (docs / "index.md").write_text(
            "# Job search\n\nA synthetic workspace made by `benchmarks/generate.py`.\n",
            encoding="utf-8",
        )
    if (REPO / "overrides").is_dir():
        shutil.copytree(REPO / "overrides", out / "overrides", dirs_exist_ok=True)
    if (REPO / "mkdocs.yml").is_file():
        config = site_config(REPO / "mkdocs.yml")
    else:
        config = "site_name: Job search (benchmark)\ntheme: {name: material, font: false}\n"
    (out / "mkdocs.yml").write_text(config, encoding="utf-8")


def generate(count: int, out: Path, seed: int = 1, layout: str = "auto") -> None:
    if (out / "interviews").exists():
        raise FileExistsError(f"{out / 'interviews'} already exists")
    monthly = layout == "monthly" or (layout == "auto" and count >= 1000)
    write_notes(count, out, seed, monthly=monthly)
    write_site_files(out)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", metavar="N", type=int, help="number of notes")
    parser.add_argument("out", metavar="OUT_DIR", type=Path, help="workspace to create")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--layout",
        choices=("auto", "flat", "monthly"),
        default="auto",
        help="notes in interviews/ or in interviews/YYYY-MM/ (auto: monthly from 1000 notes)",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        generate(args.count, args.out, args.seed, args.layout)
    except FileExistsError as error:
        parser.error(str(error))
    print(f"{args.count} notes in {args.out} ({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
