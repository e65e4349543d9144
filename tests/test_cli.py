"""The command line as a user meets it: help, version, exit codes, new, status, build."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import ROOT, Workspace
from followup import __version__
from followup.cli import cli

COMMANDS = sorted(cli.commands)


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example_and_is_in_the_readme(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and f"followup {name}" in result.output
    assert f"followup {name}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_subcommand_groups_have_help_too() -> None:
    for name, command in cli.commands.items():
        if isinstance(command, click.Group):
            for sub in command.commands:
                assert CliRunner().invoke(cli, [name, sub, "--help"]).exit_code == 0


def test_usage_errors_exit_2(workspace: Workspace) -> None:
    assert workspace.run("build", "--today", "yesterday", today=None).exit_code == 2
    assert workspace.run("no-such-command").exit_code == 2


def test_errors_say_error_and_exit_1_without_traceback(workspace: Workspace) -> None:
    workspace.config("timezone = 'Mars/Olympus'\n")
    result = workspace.run("status")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: followup.toml:1: unknown time zone 'Mars/Olympus'")
    assert "Traceback" not in result.output


def test_config_typo_gets_a_suggestion(workspace: Workspace) -> None:
    workspace.config("timezone = 'UTC'\nmax_followups = 3\n")
    result = workspace.run("check")
    assert result.exit_code == 1
    assert "followup.toml:2: unknown setting 'max_followups'; did you mean 'max_follow_ups'?" in result.stderr


def test_build_with_a_broken_note_writes_nothing(workspace: Workspace) -> None:
    workspace.note("bad.md", "---\ncompany: Acme\n---\n")
    result = workspace.run("build", "--no-site")
    assert result.exit_code == 1
    assert "interviews/bad.md:1: missing required key 'role'" in result.stderr
    assert "Error: " in result.stderr
    assert not workspace.feed.exists() and not workspace.index.exists()


def test_new_writes_a_note_that_checks_clean(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    result = workspace.run("new", "Acme Corp", "Backend Engineer", "--date", "2026-12-03 14:00", "--no-edit")
    assert result.exit_code == 0, result.output
    path = workspace.root / "interviews" / "2026-12-03-acme-corp-backend-engineer.md"
    assert path.exists() and "Created interviews/2026-12-03-acme-corp-backend-engineer.md" in result.output
    assert workspace.run("check").exit_code == 0
    assert workspace.run("build", "--no-site").exit_code == 0
    assert workspace.event("interview").start.hour == 14
    again = workspace.run("new", "Acme Corp", "Backend Engineer", "--date", "2026-12-03", "--no-edit")
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_new_opens_the_editor(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(click, "edit", lambda filename=None, **_: opened.append(filename))
    assert workspace.run("new", "Acme", "Dev", "--date", "2026-12-03").exit_code == 0
    assert opened and Path(opened[0]).name == "2026-12-03-acme-dev.md"


def test_new_rejects_a_bad_date_as_usage(workspace: Workspace) -> None:
    result = workspace.run("new", "Acme", "Dev", "--date", "next tuesday", "--no-edit")
    assert result.exit_code == 2 and "--date" in result.stderr


def test_status_fits_80_columns_and_shows_what_matters(sample_workspace: Workspace) -> None:
    result = sample_workspace.run("status")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert not re.search(r"\x1b\[", result.stdout)  # no colour codes when not a terminal
    assert lines[:3] == [
        "Job search on Thu 26 Nov 2026: 7 application(s)",
        "1 applied, 1 interview ahead, 1 awaiting reply, 1 following up, 1 offer,",
        "2 closed",
    ]
    assert any(line.strip().startswith("overdue Thu 19 Nov 17:30  Review notes: Northwind") for line in lines)
    assert any("no reply after two follow-ups" in line for line in lines)


def test_status_lists_closed_applications_only_with_all(workspace: Workspace) -> None:
    workspace.note("a.md", "---\ncompany: Acme\nrole: Dev\ndate: 2026-11-02\noutcome: rejected\n---\n")
    assert "Acme" not in workspace.run("status").stdout.split("Applications")[1]
    assert "rejected" in workspace.run("status", "--all").stdout


def test_workspace_option_and_environment(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace.note("a.md", "---\ncompany: Acme\nrole: Dev\ndate: 2026-11-20\n---\n")
    monkeypatch.setenv("FOLLOWUP_WORKSPACE", str(workspace.root))
    result = CliRunner().invoke(cli, ["status", "--today", "2026-11-26"])
    assert result.exit_code == 0 and "Acme" in result.stdout


def _readme_recipes() -> tuple[str, str]:
    """The README's two lines of shell that add to followup.toml: the CalDAV table, publish_url."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    caldav = re.search(r"^cat >> followup\.toml <<'TOML'\n.*?^TOML\n", readme, re.MULTILINE | re.DOTALL)
    publish = re.search(r"^echo 'publish_url = [^\n]*' >> followup\.toml", readme, re.MULTILINE)
    assert caldav and publish, "the README's recipes moved"
    return caldav.group(0), publish.group(0)


@pytest.mark.parametrize("caldav_first", [True, False])
def test_the_readme_recipes_for_followup_toml_work_in_either_order(workspace: Workspace, caldav_first: bool) -> None:
    import subprocess

    from followup.config import load_config

    sample = (ROOT / "followup.toml").read_text(encoding="utf-8")
    (workspace.root / "followup.toml").write_text(sample, encoding="utf-8")
    caldav, publish = _readme_recipes()
    for recipe in (caldav, publish) if caldav_first else (publish, caldav):
        subprocess.run(["bash", "-c", recipe], cwd=workspace.root, check=True)
    checked = workspace.run("check")
    assert checked.exit_code == 0, checked.output
    config = load_config(workspace.root)
    assert config.publish_url.startswith("https://") and config.caldav is not None
    assert config.caldav.url.startswith("https://") and config.caldav.username


def test_a_setting_written_under_a_table_heading_is_told_to_move_above_it(workspace: Workspace) -> None:
    workspace.config('timezone = "Europe/London"\n[caldav]\nurl = "https://dav.example/c/"\n'
                     'publish_url = "https://f.example.org"\n')
    result = workspace.run("check")
    assert result.exit_code == 1
    assert "followup.toml:4: 'publish_url' is a setting of its own, not of [caldav]" in result.output
    assert "move 'publish_url' above the [caldav] line" in result.output


def test_new_without_an_editor_says_where_the_note_is(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_editor(filename: str | None = None, **_: object) -> None:
        raise click.UsageError("Editing failed")

    monkeypatch.setattr(click, "edit", no_editor)
    result = workspace.run("new", "Acme", "Dev", "--date", "2026-12-03")
    assert result.exit_code == 0, result.output
    assert "Created interviews/2026-12-03-acme-dev.md" in result.output
    assert "open interviews/2026-12-03-acme-dev.md in yours" in result.output
