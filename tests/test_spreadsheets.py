"""The one rule for CSV cells opened in a spreadsheet (config/spreadsheets.py): defusedcsv's,
plus a leading tab or carriage return; its shortcut for harmless text agrees with defusedcsv."""

from defusedcsv.csv import _escape as defusedcsv_escape

from config.spreadsheets import RISKY_STARTS, spreadsheet_cell, spreadsheet_row


def test_the_shortcut_leaves_alone_only_what_defusedcsv_leaves_alone():
    for code in [*range(0x250), 0x2028, 0xFEFF, 0x1F389]:
        text = chr(code) + "SUM(1)"
        if chr(code) in RISKY_STARTS:
            assert spreadsheet_cell(text).startswith("'")
        else:
            assert spreadsheet_cell(text) == text == defusedcsv_escape(text)


def test_formulas_become_text_and_numbers_stay_numbers():
    formula = '=HYPERLINK("http://x","y")'
    assert spreadsheet_cell(formula) == "'" + formula
    assert spreadsheet_cell("@SUM(1)") == "'@SUM(1)"
    assert spreadsheet_cell("-1+2") == "'-1+2"
    assert spreadsheet_cell("\tcmd") == "'\tcmd"
    assert spreadsheet_cell("\r=1") == "'\r=1"
    assert spreadsheet_cell("-1.5") == "-1.5"
    assert spreadsheet_cell("") == ""
    assert spreadsheet_row(["=1", 2, None, "ok"]) == ["'=1", 2, None, "ok"]
