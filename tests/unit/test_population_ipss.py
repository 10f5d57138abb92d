"""The IPSS 令和5（2023）年推計 workbook adapter (Municipalities/14.xlsx, the real layout): what is
kept (the bands of the 58 unit sheets, by sex), what is only checked (総数, 男女計 = 男 + 女,
（再掲）, the whole-city and prefecture sheets), what is never read (割合 rows, notes), and the
located errors for layouts it does not recognise. Sheets are edited as rows in memory and read
with the adapter's own functions; a few cases go through real files."""

from __future__ import annotations

import copy

import pandas as pd
import pytest
from openpyxl import Workbook
from population_fixtures import SAMPLE_WORKBOOK, put, sample_sheets

from homecare.core.errors import InputError
from homecare.population import ipss
from homecare_dev.samples import population as population_samples

WARD = "14101_横浜市鶴見区"  # rows: 4 header, 5 総数, 6-25 bands (22 = 80～84歳), 26-29 （再掲）, 32-35 割合
CITY = "14100_横浜市"
PREF = "14000_神奈川県"
FILE = "data/raw/sample/population/ipss/14.xlsx"


@pytest.fixture(scope="module")
def sample() -> ipss.IpssResult:
    return ipss.load_ipss(SAMPLE_WORKBOOK)


@pytest.fixture(scope="module")
def sheets() -> dict[str, list[list[object]]]:
    return sample_sheets()


def _read(rows: list[list[object]], sheet: str) -> ipss.SheetTable:
    return ipss.read_sheet([tuple(r) for r in rows], file=FILE, sheet=sheet)


def _workbook(sheets: dict[str, list[list[object]]], edits: dict[str, dict[str, object]]) -> ipss.IpssResult:
    """The sample's sheets with ``edits`` ({sheet: {cell: value}}) assembled as one workbook."""
    tables = []
    for name, rows in sheets.items():
        if name in edits:
            rows = copy.deepcopy(rows)
            for cell, value in edits[name].items():
                put(rows, cell, value)
        tables.append(_read(rows, name))
    return ipss.assemble(FILE, tables, [])


def test_sample_workbook_reads_as_the_generator_table(sample) -> None:
    pd.testing.assert_frame_equal(sample.population, population_samples.sample_population())
    assert set(sample.population["sex"]) == {"total", "male", "female"}
    assert sample.sheets["designated_city"] == ["14100", "14130", "14150"]  # checks only, never added
    assert len(sample.sheets["unit"]) == 58 and sample.sheets["prefecture"] == ["14000"]
    assert sample.qa == []  # every sum of the sample is exact


def test_reconciliation_and_checks(sample) -> None:
    c = sample.counts
    # 62 sheets x 30 labelled rows (総数, 20 bands, 4 （再掲）, 4 割合, 1 note)
    assert c.rows_in == 62 * 30 and c.kept == 58 * 20 and c.ok
    excluded = dict(c.excluded)
    assert excluded["（再掲） rows"] == 58 * 4 and excluded["割合 rows"] == 58 * 4
    assert excluded["whole-city sheets (checked against their wards)"] == 3 * 30
    assert excluded["prefecture sheet (checked against the units)"] == 30
    years, sexes = 7, 3
    assert sample.checks["男女計 = 男 + 女"] == 62 * 25 * years  # 総数, 20 bands, 4 （再掲）
    assert sample.checks["総数 and the 20 bands"] == 62 * sexes * years
    assert sample.checks["（再掲） rows and their bands"] == 62 * 4 * sexes * years
    assert sample.checks["whole-city sheets = their wards"] == 3 * 21 * sexes * years
    assert sample.checks["prefecture sheet = the 58 units"] == 21 * sexes * years


def test_wards_come_from_their_own_sheets(sheets, sample) -> None:
    """The 75+ of a ward is the sum of its own sheet's bands; the city sheet is never added."""
    rows = sheets[WARD]
    aged75 = sum(rows[r][5] for r in range(20, 25))  # 75～79歳 … 95歳～ (rows 21-25), 男女計 2040 (column F)
    got = sample.population.query("municipality_code == '14101' and year == 2040 and sex == 'total'")
    assert got[got["age_band"].isin(["75-79", "80-84", "85-89", "90-94", "95+"])]["population"].sum() == aged75
    assert "14100" not in set(sample.population["municipality_code"])


def test_share_rows_and_notes_are_never_read(sheets, sample) -> None:
    """割合 rows hold percentages: changing them changes nothing (neither summed nor checked)."""
    result = _workbook(sheets, {WARD: {"B34": 99999, "K35": "x", "A37": "注：2020年は国勢調査による実績値"}})
    assert result.population.equals(sample.population)


def test_ward_names_in_either_spelling(sheets, sample) -> None:
    edited = {**sheets, "14101_鶴見区": sheets[WARD]}
    del edited[WARD]
    result = _workbook(edited, {"14101_鶴見区": {"B2": "鶴見区"}, "14136_川崎市宮前区": {"B2": "神奈川県川崎市宮前区"}})
    assert result.population.equals(sample.population)
    with pytest.raises(InputError, match="area name does not match the code 14101") as exc:
        _workbook(sheets, {WARD: {"B2": "横浜市西区"}})
    assert (exc.value.sheet, exc.value.row, exc.value.column) == (WARD, 2, "B")
    with pytest.raises(InputError, match="area code 14102 disagrees with the sheet name"):
        _read(sheets[WARD][:1] + [[14102.0, "横浜市神奈川区"]] + sheets[WARD][2:], WARD)


def test_spelling_variants_read_the_same(sheets, sample) -> None:
    """What a real file may differ in: years as numbers, U+3000 and full-width digits in labels,
    95歳以上 for 95歳～, a （再掲） label with a space, the code as text, thousands as text."""
    edits = {
        "B4": 2020,
        "K4": 2020.0,
        "A6": "\u3000０～４歳",
        "J25": "95歳以上",
        "A25": "95歳以上",
        "S25": "95歳以上",
        "A29": "（再掲）\u300075歳以上",
        "A2": "14101",
        "C5": f"{sheets[WARD][4][2]:,.0f}",
    }
    result = _workbook(sheets, {WARD: edits})
    assert result.population.equals(sample.population) and result.qa == []


def _shift(cells: list[str], k: int, rows: list[list[object]]) -> dict[str, object]:
    """``cells`` of ``rows`` each increased by ``k``."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    out = {}
    for cell in cells:
        letters, row = coordinate_from_string(cell)
        out[cell] = rows[row - 1][column_index_from_string(letters) - 1] + k
    return out


# 0～4歳 男 and 男女計 of 2025 (columns C and L) with 総数 (row 5) and （再掲）0～14歳 (row 26): still
# consistent inside the sheet, so only the cross-sheet checks can see it
SHIFT_0_4 = ["C6", "L6", "C5", "L5", "C26", "L26"]


@pytest.mark.parametrize(
    ("sheet", "cells", "k", "fragment", "where"),
    [
        (WARD, ["K10"], 5, "男 and 女 do not add up", (WARD, 10, "B")),  # 20～24歳 男 2020: the 男女計 cell is named
        (WARD, ["B5", "K5"], 12, "総数 and the 20 bands do not add up", (WARD, 5, "B")),
        (WARD, ["B29", "K29"], 12, "（再掲） rows and their bands do not add up", (WARD, 29, "B")),  # 75歳以上
        (CITY, SHIFT_0_4, 100, "whole-city sheets do not add up", (CITY, 5, "C")),
        (WARD, SHIFT_0_4, 100, "whole-city sheets do not add up", (CITY, 5, "C")),
        (PREF, SHIFT_0_4, 100, "prefecture sheet do not add up", (PREF, 5, "C")),
    ],
)
def test_sums_are_checked_and_located(sheets, sheet, cells, k, fragment, where) -> None:
    with pytest.raises(InputError) as exc:
        _workbook(sheets, {sheet: _shift(cells, k, sheets[sheet])})
    assert fragment in str(exc.value) and exc.value.file == FILE
    assert (exc.value.sheet, exc.value.row, exc.value.column) == where


def test_differences_within_rounding_are_kept_and_reported(sheets, sample) -> None:
    """One person off in 男 + 女 = 男女計 is within rounding (0.5 per value added): QA, kept as published."""
    result = _workbook(sheets, {WARD: _shift(["K10"], 1, sheets[WARD])})  # 20～24歳 男 2020
    # the one person shows in every sum the cell is part of, each within rounding
    assert [(e.sheet, e.row, e.column) for e in result.qa] == [
        (WARD, 10, "B"),  # 男女計 = 男 + 女
        (WARD, 5, "K"),  # 総数 (男) = its bands
        (WARD, 27, "K"),  # （再掲）15～64歳 (男)
        (CITY, 10, "K"),  # 横浜市 = its wards
        (PREF, 10, "K"),  # 神奈川県 = the units
    ]
    assert {e.action for e in result.qa} == {"kept"} and "男 and 女" in result.qa[0].reason
    pick = "municipality_code == '14101' and year == 2020 and sex == 'male' and age_band == '20-24'"
    assert result.population.query(pick)["population"].item() == sample.population.query(pick)["population"].item() + 1


@pytest.mark.parametrize(
    ("cell", "value", "fragment", "where"),
    [
        ("D15", "-", "not a number: 45～49歳, 男女計 2030年", (15, "D")),
        ("D15", None, "empty cell \\(a formula without a saved value\\?", (15, "D")),
        ("U7", -3, "negative population: 5～9歳, 女 2025年", (7, "U")),
        ("U7", 0.3, "not a whole number of persons: 5～9歳, 女 2025年", (7, "U")),
        ("U7", 1e15, "more persons than the whole prefecture could hold", (7, "U")),
        ("J12", "25～29歳", "男 block's label differs from 男女計's", (12, "J")),
        (
            "A24",
            "90歳以上",
            "expected the band 90～94歳.*90歳以上 is the top band of the older 平成30年推計",
            (24, "A"),
        ),
        ("A5", "合計", "expected 総数 in the row under the header", (5, "A")),
    ],
)
def test_values_and_labels_are_located(sheets, cell, value, fragment, where) -> None:
    rows = copy.deepcopy(sheets[WARD])
    put(rows, cell, value)
    with pytest.raises(InputError, match=fragment) as exc:
        _read(rows, WARD)
    assert (exc.value.file, exc.value.sheet, exc.value.row, exc.value.column) == (FILE, WARD, *where)


@pytest.mark.parametrize(
    ("cells", "fragment"),
    [
        (
            {"J4": None, "S4": None, "A40": "男"},
            "no 男 and no 女 block.*stacked one under another are the older 平成30年推計",
        ),
        ({"S4": "計"}, "no 女 block"),
        ({"A4": "年齢"}, "no header row with 男女計"),
        ({"T4": "2015年"}, "the 女 block has years \\[2015, 2025"),
        ({"K4": None}, "no year columns \\(2020年 …\\) right of 男"),
    ],
)
def test_unrecognised_layouts_are_named(sheets, cells, fragment) -> None:
    """The older 平成30年推計 (blocks stacked, 90歳以上), missing blocks or years: stop, saying what was expected."""
    rows = copy.deepcopy(sheets[CITY])
    for cell, value in cells.items():
        put(rows, cell, value)
    with pytest.raises(InputError, match=fragment) as exc:
        _read(rows, CITY)
    assert exc.value.sheet == CITY and exc.value.file == FILE


def test_sheets_missing_twice_or_foreign(sheets, sample) -> None:
    """A unit without its sheet, an area twice or another prefecture stop; a missing prefecture or
    whole-city sheet only removes a check, which the QA table says."""
    no_wards = {n: r for n, r in sheets.items() if not (n.startswith("1413") and n != "14130_川崎市")}
    with pytest.raises(InputError, match="no sheet for 7 of the 58 units.*14130 have only a whole-city sheet"):
        _workbook(no_wards, {})
    tables = [_read(r, n) for n, r in sheets.items()]
    with pytest.raises(InputError, match="area 14101 has two sheets"):
        ipss.assemble(FILE, [*tables, tables[2]], [])
    foreign = copy.deepcopy(sheets[PREF])
    put(foreign, "A2", 13000)
    with pytest.raises(InputError, match="13000 is not a 神奈川県 .*another prefecture"):
        ipss.assemble(FILE, [_read(foreign, "13000_東京都"), *tables[1:]], [])
    without = ipss.assemble(FILE, [t for t in tables if t.code not in ("14000", "14150")], [])
    assert [(e.value, e.action) for e in without.qa] == [("14000", "not checked"), ("14150", "not checked")]
    assert without.checks["prefecture sheet = the 58 units"] == 0


def test_explanation_sheet_is_left_out_and_reported(sheets, sample) -> None:
    result = ipss.assemble(FILE, [_read(r, n) for n, r in sheets.items()], ["利用上の注意"])
    assert result.population.equals(sample.population) and result.sheets["skipped"] == ["利用上の注意"]
    assert [(e.sheet, e.action) for e in result.qa] == [("利用上の注意", "excluded")]


def test_files_it_cannot_read(tmp_path, sheets) -> None:
    old = tmp_path / "14.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError, match="older 平成30年推計 files are .xls"):
        ipss.load_ipss(old)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(InputError, match="not an Excel .xlsx workbook \\(not a zip file") as exc:
        ipss.load_ipss(broken)
    assert exc.value.file.endswith("broken.xlsx")
    wb = Workbook()
    wb.active.title = "鶴見区"  # a table under a sheet name without the area code
    for i, row in enumerate(sheets[WARD][:8], start=1):
        for j, value in enumerate(row, start=1):
            wb.active.cell(row=i, column=j, value=value)
    wb.save(tmp_path / "renamed.xlsx")
    with pytest.raises(InputError, match="has a population table but its name does not start with an area code"):
        ipss.load_ipss(tmp_path / "renamed.xlsx")
    with pytest.raises(InputError, match="expected one IPSS workbook \\(\\*.xlsx\\) in the folder, found 2"):
        ipss.load_ipss(tmp_path)
