"""tables.xlsx as a person prints it: number formats by the unit in the header, wrapped headers
and wrapped text in rows tall enough to show it, one page wide on A4 (A3 when A4 would print
text below 8 pt), a print area without blank pages."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from homecare.publish.workbook import number_format, write_workbook


@pytest.mark.parametrize(
    ("header", "values", "expected"),
    [
        ("病院（施設）", [3, 12, 1500], "#,##0"),
        ("75歳以上人口（人、2025年）", [565822, 106258], "#,##0"),
        ("得点率（%）", [85.0, 66.25], "0.0"),
        ("機能強化型の割合", [0.25, 0.5], "0.0%"),
        ("診療所（75歳以上人口10万人当たり、人口は2025年）", [10.1, 12.2, 0.353], "#,##0.0"),
        ("老健（75歳以上人口10万人当たり、人口は2025年）", [0.353, 0.941], "#,##0.000"),  # 3 significant figures
        ("市区町村コード", ["14101", "14102"], None),
        ("年度", [2025, 2026], None),
        ("得点（点）", [85.5, 66.0], "#,##0.0"),
    ],
)
def test_number_format_follows_the_unit(header, values, expected) -> None:
    assert number_format(header, pd.Series(values)) == expected


def _book(tmp_path, df: pd.DataFrame):
    meta = {"title": "表", "sheet": "表", "sources": ["テスト"], "sample": False}
    path = write_workbook([(df, meta)], tmp_path / "t.xlsx")
    return load_workbook(path)["表"]


def test_long_text_wraps_in_a_row_tall_enough(tmp_path) -> None:
    long = "在宅医療・介護連携に関する課題・対応策の検討（体制・取組指標群の第一項目）"
    ws = _book(tmp_path, pd.DataFrame({"指標": [long, "短い"], "得点（点）": [26, 14]}))
    assert ws["A3"].alignment.wrap_text and ws.row_dimensions[3].height >= 32  # two lines or more
    assert ws["B3"].alignment.vertical == "top"  # the number stays beside the first line
    assert ws.row_dimensions[4].height is None  # a short row keeps the default height
    assert ws["B3"].number_format == "#,##0"


def test_a_narrow_table_prints_on_a4_a_wide_one_on_a3_one_page_wide(tmp_path) -> None:
    narrow = _book(tmp_path, pd.DataFrame({"圏域": ["横浜"], "病院（施設）": [13]}))
    wide = _book(tmp_path, pd.DataFrame({f"項目{k}の長い見出し（施設）": [k] for k in range(40)}))
    assert narrow.page_setup.paperSize == 9 and wide.page_setup.paperSize == 8
    for ws in (narrow, wide):
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows == "$2:$2"  # the header row on every page
    assert narrow.print_area == "'表'!$A$1:$B$5"  # the table and its 出典 line: no blank page
