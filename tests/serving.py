"""Servers the tests start (`followup serve`, `mkdocs serve`): their address, what they say,
and what they answer."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import threading
import urllib.request
from collections.abc import Iterator

from conftest import ROOT


def env_with_package() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "tooling"), *filter(None, [env.get("PYTHONPATH")])]
    )
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


class ServerLog:
    """What a server process prints, line by line as it comes: tests wait on what it says
    (it is serving, it rebuilt), never on how long that takes here."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._reader.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self.lines.append("")  # the end
            self._changed.notify_all()

    def count(self, text: str) -> int:
        with self._changed:
            return sum(text in line for line in self.lines)

    def wait_for(self, text: str, count: int = 1, timeout: float = 300) -> bool:
        """Until `text` has been said `count` times in all (False if the process ended first)."""
        with self._changed:
            return self._changed.wait_for(
                lambda: sum(text in line for line in self.lines) >= count or "" in self.lines, timeout
            ) and sum(text in line for line in self.lines) >= count

    @property
    def text(self) -> str:
        with self._changed:
            return "".join(self.lines)


@contextlib.contextmanager
def ctrl_c_stops_children() -> Iterator[None]:
    """A child started here stops on Ctrl+C, as from a terminal, however the suite was started:
    a shell starts a background job (`cmd &` with no job control) ignoring SIGINT, and a Python
    started while SIGINT is ignored keeps ignoring it, so SIGINT would never stop the server."""
    ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    if ignored:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        if ignored:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
