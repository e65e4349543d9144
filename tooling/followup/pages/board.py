"""The board: one column per stage, one card per application, as job-search tools show it.

Plain HTML and CSS from Markdown (md_in_html): no script. Columns sit side by side where
there is room and stack on a phone (see the site's stylesheet).
"""

from __future__ import annotations

from followup.pages.markup import md
from followup.pages.progress import next_step, page_link, round_detail, situation
from followup.plan.applications import COLUMNS, column
from followup.plan.progress import Progress, Row

TITLE = "Board"


def _card(row: Row, zone: str) -> list[str]:
    latest = row.application.latest
    rounds = len(row.application.rounds)
    step = next_step(row, zone)
    if situation(row) is None and row.next_step is not None:
        step = f"Next: {step}"
    elif step == "—":
        step = f"Stage: {row.stage.value}"
    else:
        step = step[0].upper() + step[1:]
    return [
        '<div class="fu-card" markdown>',
        "",
        f"**[{md(latest.company)}]({page_link(latest.slug)})**  ",
        f"{md(latest.role)}  ",
        round_detail(latest, zone) + (f" · {rounds} rounds" if rounds > 1 else "") + "  ",
        step,
        "",
        "</div>",
        "",
    ]


def render(progress: Progress) -> str:
    by_column: dict[str, list[Row]] = {name: [] for name, _, _ in COLUMNS}
    for row in progress.rows:
        by_column[column(row.stage)].append(row)
    lines = [
        "---",
        f"title: {TITLE}",
        "hide:",  # six columns need the whole width
        "  - navigation",
        "  - toc",
        "---",
        "",
        "# Board",
        "",
        f"Every application by stage on **{progress.today:%A %-d %B %Y}**; "
        "the [progress page](progress.md) lists what to do next.",
        "",
        '<div class="fu-board" markdown>',
        "",
    ]
    for name, meaning, _ in COLUMNS:
        rows = by_column[name]
        lines += [
            '<div class="fu-column" markdown>',
            "",
            f"## {name} ({len(rows)})",
            "",
            f"{meaning}",
            "{: .fu-meaning }",
            "",
        ]
        for row in rows:
            lines += _card(row, progress.zone)
        lines += ["</div>", ""]
    lines += ["</div>", ""]
    return "\n".join(lines)
