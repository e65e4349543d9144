"""How fast `followup.mail.scan` reads a Maildir, against the least work any header reader does.

Usage: ``python benchmarks/mail.py [--sizes 5000,50000] [--repeat 3] [--seed 1]``, with the
package importable (``PYTHONPATH=tooling``). Maildirs of realistic messages (trace fields, DKIM
and ARC signatures, encoded names and subjects, threads, newsletters, multipart bodies with
attachments, a few calendar invitations) are generated once, the same for the same size and
seed, and kept in ``$TMPDIR/followup-bench-mail/``. Three things are timed, each the median of
`--repeat` runs in this process, with the files in the page cache:

- baseline: list new/ and cur/, read every file up to the blank line ending its header, and
  parse that with ``email.parser.BytesHeaderParser`` (compat32), nothing else;
- first scan: ``scan`` with no record (it also reads the bodies of possible invitations and
  writes the record);
- second scan: ``scan`` again, with nothing new.

Each is shown as wall-clock and as CPU (process) time, ratios to the baseline of the same
clock. Then the header parsing alone, per message, of three ways to get the fields a scan
needs (the package's address cache cleared before each run).
"""

from __future__ import annotations

import argparse
import base64
import gc
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from email import policy
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.utils import formatdate, getaddresses, parsedate_to_datetime
from functools import partial
from pathlib import Path

from followup.mail import headers, scan

VERSION = 1  # change to generate the Maildirs anew
FIRST_NAMES = ["Jane", "Raj", "Li", "Sam", "Mia", "Jürgen", "Zoë", "Ana", "Kenji", "Olu", "Marta", "Søren", "Priya"]
LAST_NAMES = ["Roe", "Patel", "Wei", "Green", "Kovač", "Müller", "Okafor", "García", "Sato", "Nowak", "Ødegaard"]
COMPANIES = ["acme-analytics.com", "borealis-robotics.de", "initech.example", "globex.io", "umbrella.example"]
WEBMAIL = ["gmail.com", "fastmail.com", "outlook.com", "web.de", "proton.me"]
SUBJECTS = [
    "Quick question about the project", "Thank you for today", "Your order has shipped", "Lunch on Friday?",
    "Re: Offer details", "Weekly report — Q3 numbers", "Invitation: Interview @ Tue 3 Mar 2026 10:00 (CET)",
    "Your application to Acme Analytics", "Following up on my application", "Fwd: photos from the trip",
    "Reminder: dentist appointment", "Neue Nachricht von Ihrer Bank", "Réunion de l'équipe", "Meeting notes",
]
ME = "alex.doe@fastmail.com"
BLANK = re.compile(rb"\n\r?\n")  # the blank line that ends a header


def person(rng: random.Random) -> tuple[str, str]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    domain = rng.choice(COMPANIES + WEBMAIL)
    local = f"{first}.{last}".lower().encode("ascii", "ignore").decode() or "someone"
    return f"{first} {last}", f"{local}{rng.randrange(100)}@{domain}"


def encoded(name: str) -> str:
    """A display name as mailers write it: quoted ASCII, or a base64 encoded word."""
    if name.isascii():
        return f'"{name}"' if "," in name else name
    return f"=?UTF-8?B?{base64.b64encode(name.encode()).decode()}?="


def message(rng: random.Random, n: int) -> bytes:
    sender_name, sender = person(rng)
    if rng.random() < 0.3:
        sender_name, sender = "Alex Doe", ME
    recipients = [person(rng) for _ in range(rng.choice([1, 1, 1, 2, 3, 6]))]
    stamp = 1767225600 + rng.randrange(180 * 86400)
    day = formatdate(stamp)[:-6] + rng.choice([" +0100", " -0800", " +0000"])  # English names, any locale
    subject = rng.choice(SUBJECTS)
    quoted = "".join(f"={byte:02X}" for byte in subject.encode())
    subject_field = subject if subject.isascii() else f"=?utf-8?q?{quoted}?="
    domain = sender.rpartition("@")[2]
    lines = [
        f"Return-Path: <{sender}>",
        f"Delivered-To: {ME}",
    ]
    for hop in range(rng.randint(2, 4)):
        lines += [
            f"Received: from mail{hop}.{domain} (mail{hop}.{domain} [198.51.100.{hop + 10}])",
            f"\tby mx{hop}.messagingengine.com (Postfix) with ESMTPS id 4Zq{n:07d}{hop}",
            f"\tfor <{ME}>; {day}",
        ]
    signature = base64.b64encode(rng.randbytes(256)).decode()
    lines += [
        f"ARC-Seal: i=1; a=rsa-sha256; cv=none; d=messagingengine.com; s=fm3; t={stamp};",
        f"\tb={signature[:72]}\n\t {signature[72:144]}\n\t {signature[144:]}",
        f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=s1;",
        "\th=from:to:cc:subject:date:message-id:in-reply-to:references:mime-version;",
        f"\tbh={base64.b64encode(rng.randbytes(32)).decode()};",
        f"\tb={signature[:72]}\n\t {signature[72:144]}",
        f"From: {encoded(sender_name)} <{sender}>",
        "To: " + ",\n ".join(f"{encoded(name)} <{address}>" for name, address in recipients),
        f"Subject: {subject_field}",
        f"Date: {day}",
        f"Message-ID: <{n:08x}.{rng.randrange(1 << 30):x}@{domain}>",
    ]
    if rng.random() < 0.4:
        parent = f"<{rng.randrange(n + 1):08x}.thread@{rng.choice(COMPANIES)}>"
        lines += [f"In-Reply-To: {parent}", f"References: <root.{n % 97}@{domain}> {parent}"]
    if rng.random() < 0.3:
        lines += [
            f"List-Unsubscribe: <https://{domain}/unsubscribe/{n}>",
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
            "Precedence: bulk",
        ]
    lines.append("MIME-Version: 1.0")
    text = "Hello,\n\n" + "This is a line of an ordinary message body, nothing more.\n" * rng.randint(5, 150)
    kind = rng.random()
    if kind < 0.005:  # a calendar invitation
        calendar = (
            f"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:bench-{n}@{domain}\r\nSEQUENCE:0\r\n"
            "DTSTART:20260303T090000Z\r\nSUMMARY:Interview\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        lines.append('Content-Type: multipart/alternative; boundary="b1"')
        body = (
            f"--b1\nContent-Type: text/plain; charset=utf-8\n\n{text}\n--b1\n"
            "Content-Type: text/calendar; charset=utf-8; method=REQUEST\nContent-Transfer-Encoding: base64\n\n"
            f"{base64.encodebytes(calendar.encode()).decode()}--b1--\n"
        )
    elif kind < 0.6:  # text and HTML, some with an attachment
        lines.append('Content-Type: multipart/mixed; boundary="b0"')
        attachment = ""
        if rng.random() < 0.15:
            attachment = (
                '--b0\nContent-Type: application/pdf; name="cv.pdf"\nContent-Transfer-Encoding: base64\n\n'
                + base64.encodebytes(rng.randbytes(rng.randint(20_000, 200_000))).decode()
            )
        body = (
            f"--b0\nContent-Type: text/plain; charset=utf-8\n\n{text}\n--b0\nContent-Type: text/html; charset=utf-8\n\n"
            f"<html><body><p>{text}</p></body></html>\n{attachment}--b0--\n"
        )
    else:
        lines.append("Content-Type: text/plain; charset=utf-8")
        body = text
    return ("\n".join(lines) + "\n\n" + body).encode()


def maildir(size: int, seed: int) -> Path:
    """The Maildir of `size` messages for `seed`, generated when not yet cached."""
    root = Path(tempfile.gettempdir()) / "followup-bench-mail" / f"v{VERSION}-n{size}-s{seed}"
    if (root / "complete").exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    rng = random.Random(seed * 1_000_003 + size)
    print(f"generating {size:,} messages in {root} ...", file=sys.stderr)
    for n in range(size):
        unique = f"{1767225600 + n}.M{n}P{rng.randrange(99999)}.bench,S=0"
        flags = rng.choice(["S", "RS", "FS", ""])
        path = root / "new" / unique if rng.random() < 0.3 else root / "cur" / f"{unique}:2,{flags}"
        path.write_bytes(message(rng, n))
    (root / "complete").write_text("")
    return root


def baseline(root: Path) -> int:
    """Read every message's header and parse it with the standard library, and nothing else."""
    parser = BytesHeaderParser()
    count = 0
    for sub in ("new", "cur"):
        with os.scandir(root / sub) as entries:
            for entry in entries:
                fd = os.open(entry.path, os.O_RDONLY)
                try:
                    data = os.read(fd, 16384)
                    while not BLANK.search(data) and (more := os.read(fd, 65536)):
                        data += more
                finally:
                    os.close(fd)
                end = BLANK.search(data)
                parser.parsebytes(data[: end.start() + 1] if end else data)
                count += 1
    return count


def timed(action: Callable[[], object]) -> float:
    """Wall-clock seconds of one run."""
    return clocked(action)[0]


def clocked(action: Callable[[], object]) -> tuple[float, float]:
    """(wall-clock, CPU) seconds of one run: on a shared machine the CPU time varies less."""
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - start, time.process_time() - cpu


def parsing(root: Path, sample: int = 2000) -> list[tuple[str, float]]:
    """Microseconds a message to get sender, recipients, subject and date from a header."""
    heads = []
    for name in sorted(os.listdir(root / "cur"))[:sample]:
        heads.append((root / "cur" / name).read_bytes().partition(b"\n\n")[0] + b"\n")
    default = BytesHeaderParser(policy=policy.default)
    compat = BytesHeaderParser(policy=policy.compat32)

    def with_default(head: bytes) -> None:
        parsed = default.parsebytes(head)
        for field in ("from", "to", "cc"):
            value = parsed[field]
            if value is not None:
                [(a.display_name, a.addr_spec) for a in value.addresses]
        str(parsed["subject"])
        _ = parsed["date"].datetime

    def with_compat32(head: bytes) -> None:
        parsed = compat.parsebytes(head)
        getaddresses([str(v) for v in parsed.get_all("from", []) + parsed.get_all("to", []) + parsed.get_all("cc", [])])
        str(make_header(decode_header(str(parsed["subject"]))))
        parsedate_to_datetime(str(parsed["date"]))

    wanted = frozenset({"from", "to", "cc", "subject", "date"})

    def with_ours(head: bytes) -> None:
        found = headers.fields(head, wanted)
        for field in ("from", "to", "cc"):
            headers.addresses(", ".join(found.get(field, ())))
        headers.one_line(headers.decode_words(found["subject"][0]), 500)
        headers.parse_date(found["date"][0])

    results = []
    for label, parse in (
        ("BytesHeaderParser, policy.default", with_default),
        ("BytesHeaderParser, compat32 + decode_header, getaddresses", with_compat32),
        ("followup.mail.headers", with_ours),
    ):
        runs = []
        for _ in range(3):
            headers.addresses.cache_clear()
            runs.append(timed(partial(lambda parse: [parse(head) for head in heads], parse)))
        seconds = statistics.median(runs)
        results.append((label, seconds / len(heads) * 1e6))
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="5000,50000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = []
    for size in sizes:
        root = maildir(size, args.seed)
        record = Path(tempfile.mkdtemp(prefix="followup-bench-mail-record-"))
        times: dict[str, list[tuple[float, float]]] = {"base": [], "first": [], "second": []}
        try:
            for _ in range(args.repeat):  # in turns, so that a busy moment slows all three alike
                times["base"].append(clocked(partial(baseline, root)))
                (record / scan.RECORD_NAME).unlink(missing_ok=True)
                headers.addresses.cache_clear()  # as in a new process
                times["first"].append(clocked(partial(scan.scan, [root], record)))
                times["second"].append(clocked(partial(scan.scan, [root], record)))
            check = scan.scan([root], record)
            assert check.read == 0 and check.reused == size and not check.warnings, (check.read, check.reused)
            invitations = sum(message.invitation for message in check.messages)
        finally:
            shutil.rmtree(record, ignore_errors=True)
        rows.append((size, times, invitations))
    print(f"Medians of {args.repeat} runs; ratios to the baseline of the same size.")
    for clock, label in ((0, "wall-clock"), (1, "CPU (process time)")):
        print(
            f"{label:>18}  {'baseline: read + parse header':>30}  {'first scan':>20}  {'second scan':>20}"
            + ("  invitations" if clock == 0 else "")
        )
        for size, times, invitations in rows:
            base, first, second = (
                statistics.median(run[clock] for run in times[name]) for name in ("base", "first", "second")
            )
            print(
                f"{size:>9,} messages  {base:>28.3f} s  {first:>8.3f} s ({first / base:4.2f}x)  "
                f"{second:>8.3f} s ({second / base:4.2f}x)" + (f"  {invitations:>11,}" if clock == 0 else "")
            )
    print("\nHeader parsing alone (sender, To, Cc, subject, date), per message:")
    for label, micros in parsing(maildir(sizes[0], args.seed)):
        print(f"  {label:60} {micros:7.1f} µs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
