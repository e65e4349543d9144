"""The site's pages kept between builds (`followup.site.pagecache`): a warm build makes only
the pages whose source changed, and its site is byte for byte the site a cold build makes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.structure import pages as mkdocs_pages

from conftest import Workspace

NOTE = """
---
company: {company}
role: Engineer
date: {date}
interviewers: Jane Roe <jane@{company}.example>
---
What we talked about at {company}.
"""


@pytest.fixture
def site(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")  # the sitemap's dates and gzip header
    monkeypatch.delenv("FOLLOWUP_NO_PAGE_CACHE", raising=False)
    workspace.with_site()
    for company, when in (("acme", "2026-11-20 14:00"), ("globex", "2026-11-23 10:00"), ("initech", "2026-11-30")):
        workspace.note(f"{company}.md", NOTE.format(company=company, date=when))
    return workspace


@pytest.fixture
def converted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The pages MkDocs converts from Markdown (not those taken from the cache), by source."""
    seen: list[str] = []
    real = mkdocs_pages._RelativePathTreeprocessor.run

    def run(self: mkdocs_pages._RelativePathTreeprocessor, root: object) -> object:
        seen.append(self.file.src_uri)
        return real(self, root)  # type: ignore[arg-type]

    monkeypatch.setattr(mkdocs_pages._RelativePathTreeprocessor, "run", run)
    yield seen


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build(space: Workspace) -> None:
    result = space.run("build")
    assert result.exit_code == 0, result.output


def cold_site(space: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The site a build makes of a copy of the workspace, with an empty cache of its own."""
    fresh = tmp_path / f"cold-{len(list(tmp_path.glob('cold-*')))}"
    shutil.copytree(space.root, fresh, ignore=shutil.ignore_patterns("site"))
    with monkeypatch.context() as patched:
        patched.setenv("XDG_CACHE_HOME", str(fresh.with_name(fresh.name + "-cache")))
        build(Workspace.at(fresh))
    return tree(fresh / "site")


def test_a_warm_site_is_the_cold_site_and_makes_only_the_pages_that_include_others(
    site: Workspace, converted: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(site)
    assert "interviews/acme.md" in converted and len(converted) >= 20
    converted.clear()
    site.feed.unlink()  # something to do: the build is not answered from the last one
    build(site)
    assert converted == ["index.md"]  # the home page includes the Today panel: always made
    assert tree(site.root / "site") == cold_site(site, tmp_path, monkeypatch)


def test_an_edited_note_makes_its_page_again_and_no_other(
    site: Workspace, converted: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(site)
    note = site.root / "interviews" / "globex.md"
    note.write_text(note.read_text().replace("What we talked", "What we said"))
    converted.clear()
    build(site)
    assert sorted(converted) == ["index.md", "interviews/globex.md"]
    assert "What we said about at globex" in (site.root / "site" / "interviews" / "globex.html").read_text()
    assert tree(site.root / "site") == cold_site(site, tmp_path, monkeypatch)


def test_a_changed_theme_template_makes_every_page_again(
    site: Workspace, converted: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(site)
    template = site.root / "overrides" / "main.html"
    template.write_text(template.read_text() + "\n{% block footer %}<p>Changed footer</p>{% endblock %}\n")
    converted.clear()
    build(site)
    assert len(converted) >= 20
    assert "Changed footer" in (site.root / "site" / "interviews" / "acme.html").read_text()
    assert tree(site.root / "site") == cold_site(site, tmp_path, monkeypatch)


def test_a_link_whose_target_is_gone_fails_the_strict_build_every_time(
    site: Workspace, caplog: pytest.LogCaptureFixture
) -> None:
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("not_in_nav: |\n", "not_in_nav: |\n  /guide/extra.md\n"))
    (site.root / "docs" / "guide" / "extra.md").write_text("# Extra\n\nMore.\n")
    guide = site.root / "docs" / "guide" / "after.md"
    guide.write_text(guide.read_text() + "\nSee [the extra page](extra.md).\n")
    build(site)
    (site.root / "docs" / "guide" / "extra.md").unlink()
    for _ in range(2):  # the page is made again, then its warning given again from the cache
        caplog.clear()
        result = site.run("build")
        assert result.exit_code == 1 and "Aborted with 1 warnings in strict mode" in result.output
        assert any("guide/after.md' contains a link 'extra.md'" in r.getMessage() for r in caplog.records)


def test_a_hook_that_changes_pages_turns_the_cache_off(site: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    (site.root / "hooks" / "stamp.py").write_text(
        "import os\n\ndef on_page_content(html, page, config, files):\n"
        "    return html + '<p>' + os.environ.get('STAMP', '') + '</p>'\n"
    )
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("hooks:\n", "hooks:\n  - hooks/stamp.py\n"))
    for stamp in ("first stamp", "second stamp"):
        monkeypatch.setenv("STAMP", stamp)
        site.feed.unlink(missing_ok=True)
        build(site)
        assert f"<p>{stamp}</p>" in (site.root / "site" / "interviews" / "acme.html").read_text()


def test_a_template_that_shows_the_build_date_is_rendered_every_time(
    site: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = site.root / "overrides" / "main.html"
    template.write_text(template.read_text() + "\n{% block footer %}<p>Built {{ build_date_utc }}</p>{% endblock %}\n")
    for epoch, shown in (("1795000000", "2026-11-18"), ("1795100000", "2026-11-19")):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        site.feed.unlink(missing_ok=True)
        build(site)
        assert f"Built {shown}" in (site.root / "site" / "interviews" / "acme.html").read_text()


def test_no_cache_asked_for_makes_every_page(
    site: Workspace, converted: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    build(site)
    monkeypatch.setenv("FOLLOWUP_NO_PAGE_CACHE", "1")
    converted.clear()
    site.feed.unlink()
    build(site)
    assert "interviews/acme.md" in converted and "guide/before.md" in converted
