"""Small inputs for the population tests, built in memory or under tmp_path."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from homecare.population.bands import AGE_BANDS
from homecare.reference import municipalities


def flat_population(years: tuple[int, ...] = (2020, 2040), value: float = 10.0) -> pd.DataFrame:
    """Every unit, year and band with the same population (男女計 only): sums are easy to check by hand."""
    rows = [
        (code, y, "total", b, value)
        for code in municipalities.units()["municipality_code"]
        for y in years
        for b in AGE_BANDS
    ]
    return pd.DataFrame(rows, columns=["municipality_code", "year", "sex", "age_band", "population"])


def write_sheet(path: Path, rows: list[list[object]], title: str = "推計結果") -> Path:
    """A one-sheet workbook with ``rows`` from row 1 (None = empty cell)."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=i, column=j, value=value)
    wb.save(path)
    return path


def write_csv(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


SAMPLE_WORKBOOK = "data/raw/sample/population/ipss/14.xlsx"


def sample_sheets() -> dict[str, list[list[object]]]:
    """Every sheet of the committed sample workbook (the real IPSS 令和5年推計 layout) as rows of
    cells from A1 (empty cells ``None``), to be edited with :func:`put` and read with
    :func:`homecare.population.ipss.read_sheet`."""
    from python_calamine import CalamineWorkbook

    from homecare.core import paths

    wb = CalamineWorkbook.from_path(str(paths.resolve(SAMPLE_WORKBOOK)))
    return {
        name: [
            [None if v == "" else v for v in row] for row in wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        ]
        for name in wb.sheet_names
    }


def put(rows: list[list[object]], cell: str, value: object) -> None:
    """Set ``cell`` (an Excel address such as ``K10``) of ``rows``, growing them as needed."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    letters, row = coordinate_from_string(cell)
    col = column_index_from_string(letters) - 1
    while len(rows) < row:
        rows.append([])
    line = rows[row - 1]
    line.extend([None] * (col + 1 - len(line)))
    line[col] = value
