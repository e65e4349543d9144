"""Time followup on synthetic workspaces against the LIMIT and print one table and the targets.

Usage: ``python benchmarks/run.py [--sizes 100,1000,10000] [--repeat 5] [--site-sizes 100,1000]``.
Workspaces are generated once and kept in a cache folder under the system's temp dir.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import os
import platform
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import generate
import org_peer
from limit import note_paths

TODAY = "2026-11-26"
BENCH_DIR = Path(__file__).resolve().parent
CACHE_DIR = Path(tempfile.gettempdir()) / "followup-bench"
STATUS_SIZE = 1000  # the status target is stated for this many notes
ORG_SIZE = 1000
SLOW_REPEAT = 3  # the site build is too slow for more
ROWS = {
    "limit": "LIMIT: read + parse front-matter",
    "cold": "build --no-site, cold",
    "nochange": "build --no-site, nothing changed",
    "onechange": "build --no-site, one note's text changed",
    "movechange": "build --no-site, one interview moved",
    "status": "status",
    "help": "followup --help",
    "click": "python -c 'import click'",
    "memory": "peak RSS, cold build (1 run)",
    "mkdocs": f"plain mkdocs build, no page cache (≤{SLOW_REPEAT} runs)",
    "site": f"build with site, cold (≤{SLOW_REPEAT} runs)",
    "siteedit": f"build with site, one note's text changed (≤{SLOW_REPEAT} runs)",
    "serve": f"serve: an edit in the browser (≤{SLOW_REPEAT} edits)",
    "zensical": f"build with site (Zensical), cold (≤{SLOW_REPEAT} runs)",
    "org": "Org-mode peer, emacs (1 run)",
}
# ru_maxrss of the largest child the wrapper waited for; Linux reports it in KiB.
MAXRSS_WRAPPER = """\
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code)
"""


class Failed(Exception):
    """A measured command did not do its job; the message says how."""


@dataclass(frozen=True)
class Cell:
    value: float | None  # median seconds (MB for memory); None when the command failed


Results = dict[str, dict[int, Cell]]
UNITS = {"status": " s", "memory": " MB"}


@dataclass(frozen=True)
class Target:
    label: str
    row: str
    count: int
    bound: float
    base: str | None = None  # compare with this row (at base_count, else the same N)
    base_count: int = 0
    at_least: bool = False  # the value must reach the bound rather than stay within it

    def measured(self, results: Results) -> float | None:
        if self.base is None:
            return value(results, self.row, self.count)
        return ratio(results, self.row, self.count, self.base, self.base_count)

    def verdict(self, results: Results) -> str:
        measured = self.measured(results)
        if measured is None:
            return "not measured (or failed)"
        met = measured >= self.bound if self.at_least else measured <= self.bound
        unit = "x" if self.base else UNITS[self.row]
        return f"{'met' if met else 'NOT MET'} ({measured:.2f}{unit})"


def run_checked(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command; return its stdout, or raise Failed with its stderr."""
    process = subprocess.run(command, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                             env={**os.environ, **(env or {})})
    if process.returncode != 0:
        shown = " ".join("<program>" if "\n" in part else part for part in command)
        raise Failed(f"`{shown}` exited {process.returncode}:\n{process.stderr[-2000:].rstrip()}")
    return process.stdout


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    run_checked(command, cwd, env)
    return time.perf_counter() - start


def timed_note(workspace: Path) -> Path:
    """The note the edits are made to: one in the middle, with a time of day."""
    paths = note_paths(workspace)
    return next(path for path in paths[len(paths) // 2 :] if re.search(rb"^date: .*\d:\d\d", path.read_bytes(), re.M))


def edited(original: bytes, row: str, number: int) -> bytes:
    """The note with a line added to its text, or (`movechange`) its interview `number` hours later."""
    if row != "movechange":
        return original + f"\nEdited for the benchmark ({number}).\n".encode()

    def later(found: re.Match[bytes]) -> bytes:
        hour = (int(found[2]) + number) % 24
        return found[1] + b"%02d" % hour + found[3]

    return re.sub(rb"^(date: \D*\d{4}-\d\d-\d\d[ T])(\d\d)(:\d\d)", later, original, count=1, flags=re.M)


def serve_latency(command: list[str], workspace: Path, edits: int) -> float:
    """The median time from saving an edit to a note until `followup serve` has rebuilt and
    serves the page with it: the wait a person has before the browser shows the edit."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([*command, "--dev-addr", f"127.0.0.1:{port}"], cwd=workspace, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in server.stdout or ()], daemon=True).start()

    def said(text: str) -> None:
        while text not in lines.get(timeout=600):
            pass

    from followup.note.files import slug_for

    note = timed_note(workspace)
    original = note.read_bytes()
    page = f"http://127.0.0.1:{port}/interviews/{slug_for(note.relative_to(workspace / 'interviews').as_posix())}.html"
    waits = []
    try:
        said("Serving on")
        for number in range(1, edits + 1):
            marker = f"Edited while serving ({number})"
            start = time.perf_counter()
            note.write_bytes(original + f"\n{marker}\n".encode())
            said("Reloading browsers")
            with urllib.request.urlopen(page, timeout=60) as response:
                if marker not in response.read().decode("utf-8"):
                    raise Failed(f"{page} did not show the edit after the rebuild")
            waits.append(time.perf_counter() - start)
    except queue.Empty:
        raise Failed("the server did not say it was serving, or did not rebuild") from None
    except OSError as error:
        raise Failed(f"{page}: {error}") from None
    finally:
        note.write_bytes(original)
        server.terminate()
        server.wait(60)
    return statistics.median(waits)


def peak_rss_mb(command: list[str], cwd: Path) -> float:
    return int(run_checked([sys.executable, "-c", MAXRSS_WRAPPER, *command], cwd)) / 1024


def reset_outputs(workspace: Path) -> None:
    """Remove the cache and everything followup writes, so that the next build is cold."""
    from followup.cache import cache_dir  # the cache lives outside the workspace

    for folder in (cache_dir(workspace), workspace / "site"):
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    generate.write_site_files(workspace)


def cold(command: list[str], workspace: Path, builder: str = "") -> float:
    reset_outputs(workspace)
    if builder:
        with open(workspace / "followup.toml", "a", encoding="utf-8") as config:
            config.write(f'site_builder = "{builder}"\n')
    return timed(command, workspace)


def workspace_for(count: int, seed: int) -> Path:
    """The cached workspace with `count` notes, generated on first use."""
    path = CACHE_DIR / f"ws-{count}-seed{seed}-v{generate.VERSION}"
    if not (path / "interviews").is_dir():
        shutil.rmtree(path, ignore_errors=True)
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f".ws-{count}-", dir=CACHE_DIR))
        start = time.perf_counter()
        generate.generate(count, scratch, seed)
        scratch.rename(path)
        print(f"generated {count} notes in {time.perf_counter() - start:.1f} s: {path}")
    reset_outputs(path)  # also brings in the repository's current site sources
    return path


def compile_package() -> Path:
    """Write the package's bytecode, as pip does when it installs a wheel.

    An editable install never does, and with PYTHONDONTWRITEBYTECODE set (as on our build
    machines) Python then compiles every module again on every run: time that no user of a
    regular install pays. Python still reads the files written here."""
    import compileall

    import followup

    package = Path(followup.__file__).parent
    if not compileall.compile_dir(package, quiet=1):
        raise SystemExit(f"could not compile {package}")
    return package


def followup_command() -> list[str]:
    """The `followup` console script installed beside this Python, as a user's install runs
    it; not a version manager's shim found first on the PATH (pyenv's is a shell script that
    starts another program before Python: 60-80 ms a run on our machines, which the LIMIT,
    run with this Python directly, does not pay)."""
    beside = Path(sys.executable).parent / "followup"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which("followup")
    return [found] if found else [sys.executable, "-m", "followup"]


@dataclass
class Bench:
    command: list[str]
    repeat: int
    results: Results = field(default_factory=dict)
    reported: set[str] = field(default_factory=set)

    def measure(self, row: str, count: int, runs: int, once: Callable[[], float]) -> None:
        """Record the median of `runs` calls of `once`, or a failure."""
        try:
            value: float | None = statistics.median(once() for _ in range(runs))
        except Failed as failure:
            self.report(row, count, str(failure))
            value = None
        self.results.setdefault(row, {})[count] = Cell(value)

    def report(self, row: str, count: int, message: str) -> None:
        where = f"{ROWS[row]}, N={count}"
        if message in self.reported:
            print(f"FAILED {where}: same error as above", file=sys.stderr)
            return
        self.reported.add(message)
        print(f"FAILED {where}: {message}", file=sys.stderr)

    def followup(self, *arguments: str) -> list[str]:
        return [*self.command, *arguments]

    def measure_limit(self, count: int, workspace: Path) -> None:
        command = [sys.executable, str(BENCH_DIR / "limit.py"), str(workspace)]
        self.measure("limit", count, self.repeat, lambda: timed(command, workspace))

    def measure_builds(self, count: int, workspace: Path) -> None:
        build = self.followup("build", "--no-site", "--today", TODAY)
        status = self.followup("status", "--today", TODAY)
        click = [sys.executable, "-c", "import click"]
        self.measure("cold", count, self.repeat, lambda: cold(build, workspace))
        self.measure("nochange", count, self.repeat, lambda: timed(build, workspace))
        self.measure("status", count, self.repeat, lambda: timed(status, workspace))
        self.measure("help", count, self.repeat, lambda: timed(self.followup("--help"), workspace))
        self.measure("click", count, self.repeat, lambda: timed(click, workspace))
        self.measure_one_change(count, workspace, build)
        self.measure_one_change(count, workspace, build, "movechange")
        reset_outputs(workspace)
        self.measure("memory", count, 1, lambda: peak_rss_mb(build, workspace))

    def measure_one_change(self, count: int, workspace: Path, build: list[str], row: str = "onechange",
                           runs: int = 0) -> None:
        """Change one note before each build (a line added to its text, or, for `movechange`,
        its interview moved by an hour more each time); put the note back afterwards."""
        note = timed_note(workspace)
        original = note.read_bytes()
        edits = itertools.count(1)

        def once() -> float:
            note.write_bytes(edited(original, row, next(edits)))
            return timed(build, workspace)

        try:
            self.measure(row, count, runs or self.repeat, once)
        finally:
            note.write_bytes(original)

    def measure_site(self, count: int, workspace: Path) -> None:
        build = self.followup("build", "--today", TODAY)
        runs = min(self.repeat, SLOW_REPEAT)
        self.measure("site", count, runs, lambda: cold(build, workspace))
        # MkDocs alone on the same docs/ (the hook finds nothing to generate), its pages made
        # afresh: what a site build costs without followup's cache.
        plain = [str(Path(sys.executable).parent / "mkdocs"), "build", "-q"]
        self.measure("mkdocs", count, runs, lambda: timed(plain, workspace, {"FOLLOWUP_NO_PAGE_CACHE": "1"}))
        timed(build, workspace)  # the cache warm, as after any build
        self.measure_one_change(count, workspace, build, "siteedit", runs)
        serve = self.followup("serve", "--today", TODAY)
        self.measure("serve", count, 1, lambda: serve_latency(serve, workspace, runs))
        if importlib.util.find_spec("zensical") is None:
            self.report("zensical", count, "not installed: pip install 'interview-followup[zensical]'")
        else:
            self.measure("zensical", count, runs, lambda: cold(build, workspace, "zensical"))
        reset_outputs(workspace)

    def measure_org_peer(self, count: int, workspace: Path, emacs: str) -> None:
        self.measure("org", count, 1, lambda: org_peer_seconds(workspace, emacs))


def org_peer_seconds(workspace: Path, emacs: str) -> float:
    with tempfile.TemporaryDirectory(prefix="followup-org-") as scratch:
        org_dir, ics = Path(scratch) / "org", Path(scratch) / "combined.ics"
        entries = org_peer.convert(workspace, org_dir)
        try:
            seconds = org_peer.export(emacs, org_dir, ics)
        except subprocess.CalledProcessError as error:
            raise Failed(f"emacs exited {error.returncode}:\n{error.stderr[-2000:]}") from error
        events = org_peer.count_vevents(ics)
    print(f"Org-mode peer: {entries} Org entries -> {events} VEVENTs in {seconds:.1f} s")
    if events == 0:
        raise Failed("emacs wrote no VEVENT")
    return seconds


def value(results: Results, row: str, count: int) -> float | None:
    cell = results.get(row, {}).get(count)
    return cell.value if cell else None


def ratio(results: Results, row: str, count: int, base: str, base_count: int = 0) -> float | None:
    top, bottom = value(results, row, count), value(results, base, base_count or count)
    return top / bottom if top is not None and bottom else None


def targets(largest: int, site_sizes: list[int]) -> list[Target]:
    found = [
        Target("cold build <= 4x LIMIT at N=10000", "cold", 10000, 4, "limit"),
        Target(f"no-change rebuild <= 0.25x LIMIT at N={largest}", "nochange", largest, 0.25, "limit"),
        Target(f"text-change rebuild <= 0.5x LIMIT at N={largest}", "onechange", largest, 0.5, "limit"),
        Target(f"moved-interview rebuild <= 0.5x LIMIT at N={largest}", "movechange", largest, 0.5, "limit"),
        Target(f"--help <= 2x import click at N={largest}", "help", largest, 2, "click"),
        Target("status <= 2x followup --help at N=1000", "status", 1000, 2, "help"),
        Target("peak memory < 300 MB at N=10000", "memory", 10000, 300),
    ]
    for size in site_sizes:
        found += [
            Target(f"site build after an edit <= 0.25x plain mkdocs at N={size}", "siteedit", size, 0.25, "mkdocs"),
            Target(f"cold site build <= 1.1x plain mkdocs at N={size}", "site", size, 1.1, "mkdocs"),
        ]
    found.append(Target(f"serve latency <= 1.5x the edit's build at N={min(site_sizes or [0])}", "serve",
                        min(site_sizes or [0]), 1.5, "siteedit"))
    found.append(Target(f"Org-mode peer >= 100x cold build at N={ORG_SIZE}", "org", ORG_SIZE, 100, "cold",
                        at_least=True))
    return found


def cell_text(results: Results, row: str, count: int) -> str:
    cell = results.get(row, {}).get(count)
    if cell is None:
        return "-"
    if cell.value is None:
        return "failed"
    if row == "memory":
        return f"{cell.value:.0f} MB"
    text = f"{cell.value:.3f} s"
    if row in ("limit", "click"):
        return text
    if row in ("zensical", "site", "siteedit"):
        share = ratio(results, row, count, "mkdocs")
        return text if share is None else f"{text} ({share:.2f}x mkdocs)"
    if row == "serve":
        share = ratio(results, row, count, "siteedit")
        return text if share is None else f"{text} ({share:.2f}x edit build)"
    if row == "mkdocs":
        return text
    base = "click" if row == "help" else "limit"
    share = ratio(results, row, count, base)
    return text if share is None else f"{text} ({share:.2f}x {base})"


def print_table(results: Results, sizes: list[int], repeat: int) -> None:
    header = ["N", *(str(size) for size in sizes)]
    rows = [header] + [
        [label, *(cell_text(results, row, size) for size in sizes)] for row, label in ROWS.items() if row in results
    ]
    widths = [max(len(line[i]) for line in rows) for i in range(len(header))]
    print(f"\nMedians of {repeat} runs unless the row says otherwise; ratios to the same column.")
    for line in rows:
        print("  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)))


def print_targets(results: Results, largest: int, site_sizes: list[int]) -> None:
    print("\nTargets:")
    for target in targets(largest, site_sizes):
        print(f"  {target.label}: {target.verdict(results)}")


def int_list(text: str) -> list[int]:
    return sorted({int(part) for part in text.split(",") if part.strip()})


def describe_machine(command: list[str]) -> None:
    print(f"python {platform.python_version()} on {platform.platform()}, {os.cpu_count()} CPUs")
    print(f"followup command: {' '.join(command)}")
    print(f"Org-mode peer: {org_peer.find_emacs() or 'skipped (emacs not found)'}")
    print_load()


def print_load() -> None:
    """Other work on the machine skews every timing; say how busy it was."""
    one, five, _ = os.getloadavg()
    print(f"load average: {one:.2f} (1 min), {five:.2f} (5 min)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int_list, default=[100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--site-sizes", type=int_list, default=[300, 1000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(f"bytecode written for {compile_package()}")
    bench = Bench(followup_command(), max(1, args.repeat))
    describe_machine(bench.command)
    emacs = org_peer.find_emacs()
    sizes = sorted({*args.sizes, STATUS_SIZE, *args.site_sizes})
    for count in sizes:
        workspace = workspace_for(count, args.seed)
        print(f"measuring N={count} ...", flush=True)
        bench.measure_limit(count, workspace)
        if count in args.sizes or count == STATUS_SIZE:
            bench.measure_builds(count, workspace)
        if count in args.site_sizes:
            bench.measure_site(count, workspace)
        if count == ORG_SIZE and count in args.sizes and emacs:
            bench.measure_org_peer(count, workspace, emacs)
    print_table(bench.results, sizes, bench.repeat)
    print_targets(bench.results, max(args.sizes), args.site_sizes)
    print_load()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
