"""The LIMIT: read every note and parse its front-matter, and nothing else.

No build can be faster than this, so the benchmark states every timing as a multiple of it.
Usage: ``python benchmarks/limit.py WORKSPACE`` (prints the number of notes read).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

FENCE = "---\n"


def note_paths(workspace: Path) -> list[Path]:
    return sorted((workspace / "interviews").rglob("*.md"))


def split_front_matter(text: str) -> tuple[str, str]:
    """Return (front-matter YAML, body); ("", text) when the note has no front-matter."""
    if not text.startswith(FENCE):
        return "", text
    end = text.find("\n" + FENCE, len(FENCE) - 1)
    if end < 0:
        return "", text
    return text[len(FENCE) : end + 1], text[end + 1 + len(FENCE) :]


def read_front_matter(path: Path) -> tuple[dict[str, Any], str]:
    """Return (parsed front-matter, body) of one note."""
    front, body = split_front_matter(path.read_text(encoding="utf-8"))
    meta = yaml.load(front, Loader=yaml.CSafeLoader) if front else None
    return (meta if isinstance(meta, dict) else {}), body


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python benchmarks/limit.py WORKSPACE", file=sys.stderr)
        return 2
    paths = note_paths(Path(argv[0]))
    parsed = sum(1 for path in paths if read_front_matter(path)[0])
    print(parsed)
    return 0 if parsed == len(paths) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
