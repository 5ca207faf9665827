"""Server-rendered, accessible SVG charts. The numbers are always also in a table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# Colours with at least 3:1 contrast against white (WCAG 1.4.11 non-text contrast).
PALETTE = ("#0b5a7a", "#8a4b00", "#1d6b35", "#6a3d9a", "#a1161b", "#2f4f4f")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None = suppressed or not available: drawn as an empty slot
    display: str


def bar_chart(
    chart_id: str,
    title: str,
    bars: Sequence[Bar],
    *,
    max_value: float | None = None,
    width: int = 560,
) -> SafeString:
    """A horizontal bar chart: one row per bar, the value written at the end of the bar."""
    row_h, label_w, pad = 28, 190, 8
    height = pad * 2 + row_h * max(len(bars), 1)
    top = max_value or max((b.value or 0 for b in bars), default=0) or 1
    plot_w = width - label_w - 70
    rows = []
    for i, bar in enumerate(bars):
        y = pad + i * row_h
        w = 0 if bar.value is None else max(1, round(plot_w * bar.value / top))
        rows.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="13" fill="#1b1f24">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}" font-size="13" fill="#1b1f24">{}</text>',
                label_w - 6,
                y + 18,
                bar.label[:32],
                label_w,
                y + 5,
                w,
                row_h - 10,
                PALETTE[i % len(PALETTE)],
                label_w + w + 6,
                y + 18,
                bar.display,
            )
        )
    return format_html(
        '<svg id="{}" class="chart" role="img" aria-labelledby="{}-title" viewBox="0 0 {} {}" '
        'width="100%" xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title>{}</svg>',
        chart_id,
        chart_id,
        width,
        height,
        chart_id,
        title,
        mark_safe("".join(rows)),  # noqa: S308
    )


def line_chart(
    chart_id: str,
    title: str,
    series: Sequence[tuple[str, Sequence[tuple[int, float]]]],
    *,
    width: int = 560,
    height: int = 240,
) -> SafeString:
    """Lines over years (e.g. referral rates, the region against the country)."""
    points = [p for _, values in series for p in values]
    if not points:
        return format_html('<p class="muted">{}</p>', title)
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    x0, x1 = min(xs), max(xs)
    y1 = max(ys) * 1.1 or 1
    left, right, top, bottom = 48, 16, 16, 32
    pw, ph = width - left - right, height - top - bottom

    def sx(x: float) -> float:
        return left + (pw * (x - x0) / (x1 - x0) if x1 != x0 else pw / 2)

    def sy(y: float) -> float:
        return top + ph - ph * y / y1

    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#4a5360"></line>',
            left,
            top + ph,
            left + pw,
            top + ph,
        ),
        format_html(
            '<text x="{}" y="{}" font-size="12" fill="#1b1f24">{}</text>', left, height - 8, x0
        ),
        format_html(
            '<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#1b1f24">{}</text>',
            left + pw,
            height - 8,
            x1,
        ),
        format_html(
            '<text x="4" y="{}" font-size="12" fill="#1b1f24">{}</text>', top + 10, f"{y1:.1f}"
        ),
    ]
    for i, (name, values) in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in values)
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"></polyline>',
                path,
                colour,
            )
        )
        parts.append(
            format_html_join(
                "",
                '<circle cx="{}" cy="{}" r="3" fill="{}"></circle>',
                ((f"{sx(x):.1f}", f"{sy(y):.1f}", colour) for x, y in values),
            )
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>',
                left + 8,
                top + 14 + 16 * i,
                colour,
                name,
            )
        )
    return format_html(
        '<svg id="{}" class="chart" role="img" aria-labelledby="{}-title" viewBox="0 0 {} {}" '
        'width="100%" xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title>{}</svg>',
        chart_id,
        chart_id,
        width,
        height,
        chart_id,
        title,
        mark_safe("".join(parts)),  # noqa: S308
    )
