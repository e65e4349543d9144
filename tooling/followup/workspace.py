"""Where things live in a workspace: the notes, the docs, the generated files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from followup.config import Config, load_config

GENERATED_INDEX = "progress.md"
GENERATED_SUBSCRIBE = "subscribe.md"
GENERATED_PAGES = "interviews"
GENERATED_BOARD = "board.md"
GENERATED_TODAY = ".today.md"  # the home page's panel, a snippet (see `today`)


@dataclass(frozen=True)
class Workspace:
    root: Path
    config: Config

    @classmethod
    def open(cls, root: Path) -> Workspace:
        root = root.resolve()
        return cls(root=root, config=load_config(root))

    @property
    def notes_dir(self) -> Path:
        return self.root / "interviews"

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def index_path(self) -> Path:
        return self.docs_dir / GENERATED_INDEX

    @property
    def pages_dir(self) -> Path:
        return self.docs_dir / GENERATED_PAGES

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)
