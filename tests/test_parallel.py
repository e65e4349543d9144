"""Work done in forked processes (`followup.parallel`), each in a process of its own here:
a test runner's threads make forking unsafe, and followup would not fork."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def run(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tooling")}
    return subprocess.run([sys.executable, "-c", script, str(tmp_path)], env=env, capture_output=True, text=True,
                          check=False)


def test_work_set_aside_is_done_in_another_process_and_waited_for(tmp_path: Path) -> None:
    ran = run(
        "import os, sys, time\n"
        "from followup import parallel\n"
        "done = os.path.join(sys.argv[1], 'done')\n"
        "def work():\n"
        "    time.sleep(0.3)\n"
        "    open(done, 'w').write(str(os.getpid()))\n"
        "wait = parallel.aside(work, worth_it=True)\n"
        "print('going on', os.path.exists(done))\n"
        "wait()\n"
        "print('waited', open(done).read() != str(os.getpid()))\n",
        tmp_path,
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split("\n")[:2] == ["going on False", "waited True"]


def test_work_that_failed_in_another_process_is_done_again_here_and_its_error_shows(tmp_path: Path) -> None:
    ran = run(
        "import os\n"
        "from followup import parallel\n"
        "here = os.getpid()\n"
        "def work():\n"
        "    if os.getpid() != here:\n"
        "        raise MemoryError('the forked process ran out')\n"
        "    raise ValueError('a real bug shows')\n"
        "parallel.aside(work, worth_it=True)()\n",
        tmp_path,
    )
    assert ran.returncode == 1
    assert "ValueError: a real bug shows" in ran.stderr and "MemoryError" not in ran.stderr


def test_work_not_worth_a_process_is_done_at_once(tmp_path: Path) -> None:
    ran = run(
        "import os\n"
        "from followup import parallel\n"
        "seen = []\n"
        "wait = parallel.aside(lambda: seen.append(os.getpid()), worth_it=False)\n"
        "print(seen == [os.getpid()])\n",
        tmp_path,
    )
    assert ran.stdout.strip() == "True", ran.stderr


def test_work_started_now_is_collected_later_in_order(tmp_path: Path) -> None:
    ran = run(
        "import os, sys, time\n"
        "from followup import parallel\n"
        "def square(n):\n"
        "    time.sleep(0.5)\n"
        "    open(os.path.join(sys.argv[1], str(n)), 'w').close()\n"
        "    return n * n, os.getpid()\n"
        "later = parallel.forked_later(square, [1, 2, 3, 4], 2)\n"
        "print('going on', os.listdir(sys.argv[1]))\n"
        "found = later()\n"
        "print([n for n, _ in found], os.getpid() not in {pid for _, pid in found}, len(os.listdir(sys.argv[1])))\n",
        tmp_path,
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split("\n")[:2] == ["going on []", "[1, 4, 9, 16] True 4"]
