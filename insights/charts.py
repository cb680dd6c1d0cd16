"""Charts as inline SVG built on the server (no JavaScript), and the same numbers as CSV.

Every piece of text that reaches the SVG goes through format_html, so a speaker called
`<script>` stays text. The SVG has a <title> and <desc>; templates put a table beside it.
"""

import csv
import io

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from config.spreadsheets import spreadsheet_row
from insights.figures import CountTable

# Colours keyed by label value, readable on white and distinct for common colour blindness.
VALUE_COLOURS = {
    "favor": "#1b7837",
    "against": "#b2182b",
    "neutral": "#878787",
    "unclear": "#d8b365",
    "named-official": "#2166ac",
    "named-other": "#67a9cf",
    "anonymous": "#b2182b",
    "media-report": "#ef8a62",
    "document": "#5aae61",
    "none": "#bababa",
}
FALLBACK_COLOURS = ["#762a83", "#e08214", "#35978f", "#c51b7d", "#8c510a", "#4d4d4d"]

WIDTH = 720
LABEL_WIDTH = 150
TOTAL_WIDTH = 50
ROW_HEIGHT = 26
BAR_HEIGHT = 18
LEGEND_HEIGHT = 28
BAR_WIDTH = WIDTH - LABEL_WIDTH - TOTAL_WIDTH


def series_colour(series: list[str], value: str) -> str:
    if value in VALUE_COLOURS:
        return VALUE_COLOURS[value]
    unknown = [s for s in series if s not in VALUE_COLOURS]
    return FALLBACK_COLOURS[unknown.index(value) % len(FALLBACK_COLOURS)]


def _legend(table: CountTable) -> SafeString:
    items = []
    x = 0
    for value in table.series:
        items.append(
            format_html(
                '<g class="legend-item"><rect x="{}" y="4" width="12" height="12" fill="{}"/>'
                '<text x="{}" y="15">{}</text></g>',
                x,
                series_colour(table.series, value),
                x + 16,
                value,
            )
        )
        x += 24 + 8 * len(value)
    return mark_safe("".join(items))  # noqa: S308 - each item came from format_html


def _bars(table: CountTable, scale_max: int) -> SafeString:
    pieces = []
    for index, (row, counts, row_total) in enumerate(table.matrix):
        y = LEGEND_HEIGHT + index * ROW_HEIGHT
        pieces.append(
            format_html(
                '<text class="row-label" x="{}" y="{}" text-anchor="end">{}</text>',
                LABEL_WIDTH - 8,
                y + BAR_HEIGHT - 4,
                row,
            )
        )
        x = float(LABEL_WIDTH)
        for value, count in zip(table.series, counts, strict=True):
            if not count:
                continue
            width = BAR_WIDTH * count / scale_max
            pieces.append(
                format_html(
                    '<rect class="bar" x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}: {} {} of {}</title></rect>",
                    f"{x:.1f}",
                    y,
                    f"{width:.1f}",
                    BAR_HEIGHT,
                    series_colour(table.series, value),
                    row,
                    value,
                    count,
                    row_total,
                )
            )
            x += width
        pieces.append(
            format_html(
                '<text class="row-total" x="{}" y="{}">{}</text>',
                f"{x + 6:.1f}",
                y + BAR_HEIGHT - 4,
                row_total,
            )
        )
    return mark_safe("".join(pieces))  # noqa: S308 - each piece came from format_html


def chart_svg(table: CountTable, *, dom_id: str | None = None) -> SafeString:
    """A horizontal stacked bar per row, one colour per series, scaled to the largest row."""
    dom_id = dom_id or f"chart-{table.key}"
    scale_max = max((total for _, _, total in table.matrix), default=0)
    height = LEGEND_HEIGHT + max(len(table.rows), 1) * ROW_HEIGHT + 6
    if scale_max:
        body = format_html("{}{}", _legend(table), _bars(table, scale_max))
    else:
        body = format_html(
            '<text class="empty" x="0" y="{}">No labelled quotes yet.</text>', LEGEND_HEIGHT
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        'viewBox="0 0 {} {}" width="{}" height="{}" aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH,
        height,
        WIDTH,
        height,
        dom_id,
        dom_id,
        dom_id,
        table.title,
        dom_id,
        table.description,
        body,
    )


def chart_csv(table: CountTable) -> str:
    """The chart's numbers: one line per row, one column per series, then the row total."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # Every text cell (speakers, outlets, answers) is kept from starting a spreadsheet formula.
    writer.writerow(spreadsheet_row([table.row_header.lower(), *table.series, "total"]))
    for row, counts, total in table.matrix:
        writer.writerow(spreadsheet_row([row, *counts, total]))
    return out.getvalue()


def legend_items(table: CountTable) -> list[tuple[str, str]]:
    """(value, colour) pairs, for templates that show a legend in HTML."""
    return [(value, series_colour(table.series, value)) for value in table.series]


class RenderedChart:
    """A table with its SVG, ready for templates/insights/_chart.html."""

    def __init__(self, table: CountTable) -> None:
        self.table = table
        self.svg = chart_svg(table)
        self.legend = legend_items(table)


def charts_render(tables: list[CountTable]) -> list[RenderedChart]:
    return [RenderedChart(table) for table in tables]
