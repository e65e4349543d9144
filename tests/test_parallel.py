"""Work done in forked processes (`followup.parallel`), each in a process of its own here:
a test runner's threads make forking unsafe, and followup would not fork."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

# The work below waits for the file `go` (ten seconds at most), which the caller writes once
# it has checked that the work is not done yet: no test depends on how fast a machine is.
WAIT_FOR_GO = (
    "import os, sys, time\n"
    "folder = sys.argv[1]\n"
    "go, done = os.path.join(folder, 'go'), os.path.join(folder, 'done')\n"
    "def wait_for_go():\n"
    "    for _ in range(200):\n"
    "        if os.path.exists(go):\n"
    "            return\n"
    "        time.sleep(0.05)\n"
)


def run(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tooling")}
    return subprocess.run([sys.executable, "-c", WAIT_FOR_GO + script, str(tmp_path)], env=env,
                          capture_output=True, text=True, check=False)


def test_work_set_aside_is_done_in_another_process_and_waited_for(tmp_path: Path) -> None:
    ran = run(
        "from followup import parallel\n"
        "def work():\n"
        "    wait_for_go()\n"
        "    open(done, 'w').write(str(os.getpid()))\n"
        "with parallel.aside(work, worth_it=True):\n"
        "    print('going on', os.path.exists(done))\n"
        "    open(go, 'w').close()\n"
        "print('waited', open(done).read() != str(os.getpid()))\n",
        tmp_path,
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split("\n")[:2] == ["going on False", "waited True"]


def test_work_set_aside_is_waited_for_when_the_block_fails(tmp_path: Path) -> None:
    """A build whose feed cannot be written still finishes keeping its cache before it
    stops: nothing goes on writing in the background once the error is shown."""
    ran = run(
        "from followup import parallel\n"
        "def work():\n"
        "    wait_for_go()\n"
        "    time.sleep(1)\n"
        "    open(done, 'w').close()\n"
        "try:\n"
        "    with parallel.aside(work, worth_it=True):\n"
        "        open(go, 'w').close()\n"
        "        raise OSError('no space left')\n"
        "except OSError:\n"
        "    print('finished first', os.path.exists(done))\n",
        tmp_path,
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "finished first True"


def test_work_that_failed_in_another_process_is_done_again_here_and_its_error_shows(tmp_path: Path) -> None:
    ran = run(
        "from followup import parallel\n"
        "here = os.getpid()\n"
        "def work():\n"
        "    if os.getpid() != here:\n"
        "        raise MemoryError('the forked process ran out')\n"
        "    raise ValueError('a real bug shows')\n"
        "with parallel.aside(work, worth_it=True):\n"
        "    pass\n",
        tmp_path,
    )
    assert ran.returncode == 1
    assert "ValueError: a real bug shows" in ran.stderr and "MemoryError" not in ran.stderr


def test_work_not_worth_a_process_is_done_at_once(tmp_path: Path) -> None:
    ran = run(
        "from followup import parallel\n"
        "seen = []\n"
        "with parallel.aside(lambda: seen.append(os.getpid()), worth_it=False):\n"
        "    print(seen == [os.getpid()])\n",
        tmp_path,
    )
    assert ran.stdout.strip() == "True", ran.stderr


def test_work_started_now_is_collected_later_in_order(tmp_path: Path) -> None:
    ran = run(
        "from followup import parallel\n"
        "squares = os.path.join(folder, 'squares')\n"
        "os.mkdir(squares)\n"
        "def square(n):\n"
        "    wait_for_go()\n"
        "    open(os.path.join(squares, str(n)), 'w').close()\n"
        "    return n * n, os.getpid()\n"
        "later = parallel.forked_later(square, [1, 2, 3, 4], 2)\n"
        "print('going on', os.listdir(squares))\n"
        "open(go, 'w').close()\n"
        "found = later()\n"
        "print([n for n, _ in found], os.getpid() not in {pid for _, pid in found}, len(os.listdir(squares)))\n",
        tmp_path,
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split("\n")[:2] == ["going on []", "[1, 4, 9, 16] True 4"]
