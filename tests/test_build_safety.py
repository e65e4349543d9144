"""A failed build never destroys good output: feed, index and site stay byte-identical."""

from __future__ import annotations

from pathlib import Path

from conftest import Workspace

GOOD = """
---
company: Acme
role: Backend Engineer
date: 2026-11-20 14:00
interviewers:
  - Jane Doe <jane@acme.example>
---
Went well.
"""
BROKEN = """
---
company: Initech
role: Analyst
date: 2026-11-31 10:00
duration: forever
---
"""


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_broken_note_leaves_feed_index_and_site_as_they_were(workspace: Workspace) -> None:
    workspace.with_site()
    workspace.note("2026-11-20-acme.md", GOOD)
    first = workspace.run("build")
    assert first.exit_code == 0, first.output
    docs, site = _snapshot(workspace.root / "docs"), _snapshot(workspace.root / "site")
    assert "followup.ics" in docs and "progress.md" in docs and "index.html" in site

    workspace.note("2026-11-21-initech.md", BROKEN)
    second = workspace.run("build", today="2026-11-27")
    assert second.exit_code == 1
    assert "interviews/2026-11-21-initech.md:4: date:" in second.output
    assert "interviews/2026-11-21-initech.md:5: duration:" in second.output
    assert "Traceback" not in second.output
    assert _snapshot(workspace.root / "docs") == docs
    assert _snapshot(workspace.root / "site") == site


def test_keep_going_builds_the_valid_notes_and_names_the_rest(workspace: Workspace) -> None:
    workspace.note("2026-11-20-acme.md", GOOD)
    workspace.note("2026-11-21-initech.md", BROKEN)
    result = workspace.run("build", "--no-site", "--keep-going")
    assert result.exit_code == 1
    assert "Left out 1 note(s) with errors: interviews/2026-11-21-initech.md" in result.output
    feed = workspace.feed.read_text()
    assert "Acme" in feed and "Initech" not in feed


def test_failed_site_build_keeps_the_old_site(workspace: Workspace) -> None:
    workspace.with_site()
    workspace.note("2026-11-20-acme.md", GOOD)
    assert workspace.run("build").exit_code == 0
    site = _snapshot(workspace.root / "site")
    config = workspace.root / "mkdocs.yml"
    config.write_text(config.read_text() + "\nnav:\n  - missing-page.md\n  - [broken\n")
    result = workspace.run("build")
    assert result.exit_code == 1
    assert "the site did not build" in result.output
    assert "Traceback" not in result.output
    assert _snapshot(workspace.root / "site") == site
    leftovers = [p.name for p in workspace.root.iterdir() if p.name.startswith(".site")]
    assert leftovers == []
