"""Charts: well-formed SVG with a title and description, escaped text, and CSV with its numbers."""

import csv
import io
import xml.etree.ElementTree as ET

from insights.charts import chart_csv, chart_svg
from insights.figures import CountTable

SVG = "{http://www.w3.org/2000/svg}"


def parse_svg(svg) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 - our own output, parsed to prove it well-formed


def table(**overrides):
    fields = {
        "key": "stance-1",
        "title": "Stance toward “talks”",
        "description": "Resolved stance per month.",
        "row_header": "Month",
        "series_header": "stance",
        "rows": ["2024-01", "2024-02"],
        "series": ["favor", "against"],
        "counts": {("2024-01", "favor"): 3, ("2024-01", "against"): 1, ("2024-02", "against"): 2},
    }
    fields.update(overrides)
    return CountTable(**fields)


def test_svg_is_well_formed_with_title_and_desc():
    root = parse_svg(chart_svg(table()))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Stance toward “talks”"
    assert root.find(f"{SVG}desc").text == "Resolved stance per month."
    assert root.get("aria-labelledby") == "chart-stance-1-title chart-stance-1-desc"


def test_one_bar_per_non_zero_count_sized_by_its_count():
    root = parse_svg(chart_svg(table()))
    bars = root.findall(f".//{SVG}rect[@class='bar']")
    assert [bar.find(f"{SVG}title").text for bar in bars] == [
        "2024-01: favor 3 of 4",
        "2024-01: against 1 of 4",
        "2024-02: against 2 of 2",
    ]
    widths = [float(bar.get("width")) for bar in bars]
    assert widths[0] == 3 * widths[1]
    assert widths[2] == 2 * widths[1]


def test_text_is_escaped_and_the_svg_still_parses():
    payload = '<script>alert("x")</script>&'
    svg = str(
        chart_svg(
            table(
                title=payload,
                description=payload,
                rows=[payload],
                series=["favor"],
                counts={(payload, "favor"): 1},
            )
        )
    )
    assert "<script>" not in svg
    root = parse_svg(svg)
    assert root.find(f"{SVG}title").text == payload
    assert root.find(f".//{SVG}text[@class='row-label']").text == payload


def test_empty_chart_is_well_formed_and_says_so():
    root = parse_svg(str(chart_svg(table(rows=[], counts={}))))
    assert "No labelled quotes yet." in "".join(root.itertext())


def test_csv_has_the_same_numbers_as_the_chart():
    data = table()
    rows = list(csv.reader(io.StringIO(chart_csv(data))))
    assert rows == [
        ["month", "favor", "against", "total"],
        ["2024-01", "3", "1", "4"],
        ["2024-02", "0", "2", "2"],
    ]
    root = parse_svg(str(chart_svg(data)))
    totals = [int(t.text) for t in root.findall(f".//{SVG}text[@class='row-total']")]
    assert totals == [int(row[-1]) for row in rows[1:]]


def test_csv_cells_cannot_start_a_spreadsheet_formula():
    data = table(rows=["=HYPERLINK(1)"], counts={("=HYPERLINK(1)", "favor"): 1})
    rows = list(csv.reader(io.StringIO(chart_csv(data))))
    assert rows[1][0] == "'=HYPERLINK(1)"
