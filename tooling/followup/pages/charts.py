"""Charts for the progress page, drawn at build time as inline SVG: no script, no request.

Each chart has a title and a text alternative (`<desc>`, read by screen readers) and is
styled by classes from the site's stylesheet, so it follows the light and dark palettes.
"""

from __future__ import annotations

from collections.abc import Sequence

from followup.pages.markup import attr


def _open(name: str, title: str, summary: str, width: int, height: int) -> list[str]:
    return [
        f'<svg class="followup-chart fu-chart-{name}" role="img" aria-labelledby="fu-{name}-t fu-{name}-d" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="fu-{name}-t">{attr(title)}</title>',
        f'<desc id="fu-{name}-d">{attr(summary)}</desc>',
    ]


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bars(name: str, title: str, rows: Sequence[tuple[str, int]], unit: str = "") -> str:
    """Horizontal bars, one labelled row each: for a funnel or a list of waits."""
    summary = "; ".join(f"{label}: {value}{unit}" for label, value in rows) or "no data yet"
    # 340 wide: drawn at full size (labels at 13 px) in a phone's 390 px, never shrunk.
    label_width, bar_width, row_height = 150, 140, 26
    width, height = label_width + bar_width + 50, max(len(rows), 1) * row_height + 4
    peak = max((value for _, value in rows), default=0) or 1
    parts = _open(name, title, summary, width, height)
    for position, (label, value) in enumerate(rows):
        y = position * row_height + 2
        long = round(bar_width * value / peak)
        parts.append(
            f'<text class="fu-label" x="{label_width - 8}" y="{y + 16}" text-anchor="end">'
            f"{attr(_fit(label, 21))}</text>"
        )
        parts.append(f'<rect class="fu-bar" x="{label_width}" y="{y + 3}" width="{long}" height="18" rx="3"/>')
        parts.append(f'<text class="fu-value" x="{label_width + long + 6}" y="{y + 16}">{value}{attr(unit)}</text>')
    return _close(parts, title)


def _close(parts: list[str], title: str) -> str:
    # A raw HTML block of its own: Markdown must not read link or emphasis syntax in labels.
    # The box scrolls sideways when a chart is wider than a phone: focusable, so that a
    # keyboard can scroll it too.
    parts.append("</svg>")
    return (f'<div class="fu-chart" tabindex="0" role="region" aria-label="{attr(title)}">'
            + "".join(parts) + "</div>")


def columns(name: str, title: str, rows: Sequence[tuple[str, str, int]]) -> str:
    """Vertical bars with a short label under each: `(full label, short label, value)`."""
    summary = "; ".join(f"{label}: {value}" for label, _, value in rows) or "no data yet"
    bar, gap, tall_max = 28, 8, 120
    width = max(len(rows), 1) * (bar + gap)
    peak = max((value for _, _, value in rows), default=0) or 1
    parts = _open(name, title, summary, width, tall_max + 40)
    for position, (label, short, value) in enumerate(rows):
        x = position * (bar + gap)
        tall = round(tall_max * value / peak)
        top = tall_max - tall + 16
        parts.append(
            f'<rect class="fu-bar" x="{x}" y="{top}" width="{bar}" height="{tall}" rx="3">'
            f"<title>{attr(label)}: {value}</title></rect>"
        )
        parts.append(f'<text class="fu-label" x="{x + bar / 2}" y="{tall_max + 32}" text-anchor="middle">'
                     f"{attr(short)}</text>")
        if value:
            parts.append(f'<text class="fu-value" x="{x + bar / 2}" y="{top - 4}" text-anchor="middle">'
                         f"{value}</text>")
    return _close(parts, title)
