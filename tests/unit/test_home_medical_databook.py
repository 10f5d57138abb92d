"""The 地域別データ集 adapter: data-year sheets, items by 項目番号 with their labels checked, 全国計,
scope, designated cities at city level, withheld values, reconciliation."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from openpyxl import load_workbook

from homecare.core.errors import InputError
from homecare.home_medical import read_databook as rd

SAMPLE = "data/raw/sample/home_medical/zaitaku_chiiki_data_sample.xlsx"


@pytest.fixture(scope="module")
def book():
    return rd.read_databook(SAMPLE)


def _copy(tmp_path, name="book.xlsx"):
    path = tmp_path / name
    shutil.copyfile(SAMPLE, path)
    return path


def test_sheet_years_and_data_dates():
    assert rd.sheet_year("R５年") == 2023
    assert rd.sheet_year("R6年") == 2024
    assert rd.sheet_year("令和元年") == 2019
    assert rd.sheet_year("R6年（注記）") is None and rd.sheet_year("目次") is None
    assert rd.parse_data_date("令和6年3月31日") == date(2024, 3, 31)
    assert rd.parse_data_date("令和5年9月") == date(2023, 9, 1)
    assert rd.parse_data_date("2024/10/1") == date(2024, 10, 1)
    assert rd.parse_data_date("不明") is None


def test_item_map_is_read_and_every_label_checked(book):
    items = book.items.set_index("item_id")
    assert len(items) == len(rd.load_items())
    assert items.at["support_clinics", "sheet"] == "R6年" and items.at["support_clinics", "column"] == "P"
    assert items.at["support_clinics", "label"] == "在宅療養支援診療所 届出数"
    assert (
        items.at["support_clinics_enhanced_linked", "label"] == "在宅療養支援診療所 うち機能強化型 連携型"
    )  # merged heading
    assert items.at["home_visit_clinic_cases", "data_date"] == "2023-09-01"
    assert items.at["home_visit_clinic_cases", "data_date_text"] == "令和5年9月"
    assert items.at["home_visit_clinic_cases", "data_year"] == 2023


def test_national_benchmark_kept(book):
    national = book.national.set_index("item_id")
    assert (national["status"] == "ok").all()
    assert national.at["population", "value"] == 124_352_000
    wide = book.wide()
    assert national.at["support_clinics", "value"] > wide["support_clinics"].sum()


def test_scope_city_level_and_reconciliation(book):
    c = book.counts
    assert c.ok
    assert dict(c.excluded)["other prefectures"] == 14  # 7 municipalities of other prefectures, 2 sheets
    assert c.kept == 66 and c.quarantined == 0  # 33 municipalities x 2 sheets
    wide = book.wide()
    assert len(wide) == 33 and wide["municipality_code"].str.startswith("14").all()
    cities = wide[wide["level"] == "designated_city"]
    assert list(cities["municipality_code"]) == ["14100", "14130", "14150"]
    assert not (wide["level"] == "ward").any()  # never split into wards


def test_withheld_and_blank_values_are_not_zero(book):
    v = book.values.set_index(["sheet", "municipality_code", "item_id"])
    suppressed = v.loc[("R５年", "14402", "end_of_life_hospital_cases")]
    assert pd_isna(suppressed["value"]) and suppressed["status"] == "suppressed"
    blank = v.loc[("R５年", "14402", "end_of_life_clinic_cases")]
    assert pd_isna(blank["value"]) and blank["status"] == "blank"
    reasons = [(e.row, e.column, e.value) for e in book.qa if "数値でない" in e.reason]
    assert (44, "AS", "*") in reasons and (43, "AG", "-") in reasons


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_a_label_that_does_not_match_stops_with_the_label_found(tmp_path):
    path = _copy(tmp_path)
    wb = load_workbook(path)
    wb["R6年"]["P3"] = "訪問看護"  # the heading over items 9-12 (在宅療養支援診療所) is another one
    wb.save(path)
    with pytest.raises(InputError, match="does not match support_clinics") as err:
        rd.read_databook(path)
    assert err.value.sheet == "R6年" and err.value.column == "P"
    assert "「訪問看護 届出数」" in str(err.value)


def test_renumbered_or_missing_items_and_sheets_are_errors(tmp_path):
    path = _copy(tmp_path, "renumbered.xlsx")
    wb = load_workbook(path)
    wb["R6年"]["P1"] = 99  # item 9 missing from row 1
    wb.save(path)
    with pytest.raises(InputError, match="項目番号 9"):
        rd.read_databook(path)
    path = _copy(tmp_path, "no_r5.xlsx")
    wb = load_workbook(path)
    wb["R５年"].title = "R5年(旧)"
    wb.save(path)
    with pytest.raises(InputError, match="no data-year sheet R5"):
        rd.read_databook(path)


def test_ward_rows_and_unknown_codes(tmp_path):
    path = _copy(tmp_path)
    wb = load_workbook(path)
    ws = wb["R6年"]
    last = ws.max_row
    for k, (code, name) in enumerate([(14101, "横浜市鶴見区"), (14999, "架空町"), (None, None)], start=1):
        ws.cell(row=last + k, column=2, value=14 if code else None)
        ws.cell(row=last + k, column=4, value=code)
        ws.cell(row=last + k, column=6, value=name)
        if code:
            ws.cell(row=last + k, column=7 + 9, value=3)
    wb.save(path)
    book = rd.read_databook(path)
    excluded = dict(book.counts.excluded)
    assert excluded["ward rows of a city given as a whole"] == 1  # 横浜市 is given as a whole
    assert book.counts.quarantined == 1 and book.counts.ok
    bad = [e for e in book.qa if e.action == "quarantined"]
    assert bad[0].row == last + 2 and "14999" in bad[0].value


def test_unmerged_headings_other_sheet_names_and_subtotal_rows(tmp_path):
    path = _copy(tmp_path)
    wb = load_workbook(path)
    ws = wb["R6年"]
    ws.unmerge_cells("P3:S3")  # 在宅療養支援診療所 written once over items 9-12, not merged
    ws.unmerge_cells("Q4:R4")
    ws.title = "R6年度"
    row = ws.max_row + 1
    ws.cell(row=row, column=2, value=14)
    ws.cell(row=row, column=6, value="県計")  # a subtotal row without a municipality code
    wb.save(path)
    book = rd.read_databook(path)
    items = book.items.set_index("item_id")
    assert items.at["support_clinics_enhanced_linked", "label"] == "在宅療養支援診療所 うち機能強化型 連携型"
    assert items.at["support_clinics", "sheet"] == "R6年度"
    assert dict(book.counts.excluded)["subtotal rows without a municipality code"] == 1 and book.counts.ok
    wb = load_workbook(path)
    wb.copy_worksheet(wb["R6年度"]).title = "R6年"
    wb.save(path)
    with pytest.raises(InputError, match="two sheets for the data year 2024"):
        rd.read_databook(path)
