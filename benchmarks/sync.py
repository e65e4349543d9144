"""Feed size per event, and `followup sync` of a synthetic workspace into a local Radicale.

Usage: ``python benchmarks/sync.py [--notes 1000] [--seed 1]``. Starts Radicale (the test
extra) on 127.0.0.1 and a free port with a password file, makes an empty calendar, then
times a first sync and a sync with nothing changed, each as `followup sync` in its own process.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import generate

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent / "tests"))
from caldav_server import PASSWORD, USER, running  # noqa: E402  (the tests' Radicale)

TODAY = "2026-11-26"


def followup(workspace: Path, *args: str, env: dict[str, str] | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "followup", "-C", str(workspace), *args],
        capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"followup {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return seconds, done.stdout.strip()


def feed_size(workspace: Path, settings: str) -> tuple[int, int]:
    """(bytes, events) of the feed built with these extra settings."""
    config = workspace / "followup.toml"
    original = config.read_text(encoding="utf-8")
    config.write_text(settings + original, encoding="utf-8")
    try:
        _, out = followup(workspace, "build", "--no-site", "--today", TODAY)
    finally:
        config.write_text(original, encoding="utf-8")
    events = int(re.search(r"(\d+) event", out).group(1))  # type: ignore[union-attr]
    return next((workspace / "docs").glob("*.ics")).stat().st_size, events


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="followup-sync-bench-") as scratch:
        workspace = Path(scratch) / "workspace"
        generate.generate(args.notes, workspace, args.seed)
        print(f"{args.notes} notes, --today {TODAY}")
        print(f"{'feed':42} {'bytes':>10} {'events':>7} {'bytes/event':>12}")
        for label, settings in (
            ("everything (feed_days_back = 36500)", "feed_days_back = 36500\n"),
            ("default window (feed_days_back = 90)", ""),
            ("window and minimal_details", "minimal_details = true\n"),
            ("feed_days_back = 14, minimal_details", "feed_days_back = 14\nminimal_details = true\n"),
        ):
            size, events = feed_size(workspace, settings)
            print(f"{label:42} {size:>10,} {events:>7,} {size / events:>12,.0f}")
        with running(Path(scratch) / "radicale") as server:
            calendar = server.new_calendar()
            config = workspace / "followup.toml"
            config.write_text(
                config.read_text(encoding="utf-8")
                + f'\n[caldav]\nurl = "{calendar}"\nusername = "{USER}"\ntimeout = 120\n',
                encoding="utf-8",
            )
            # The calendar is approved by the first sync (--trust), in a configuration folder
            # of the run's own, not the user's.
            env = {**os.environ, "FOLLOWUP_CALDAV_PASSWORD": PASSWORD, "XDG_CONFIG_HOME": f"{scratch}/config"}
            for label, trust in (("first sync", ("--trust",)), ("no-change sync", ()), ("no-change sync", ())):
                seconds, out = followup(workspace, "sync", "--today", TODAY, *trust, env=env)
                print(f"{label:16} {seconds:7.2f} s   {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
