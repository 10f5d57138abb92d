"""Small inputs for the population tests, built in memory or under tmp_path."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from homecare.population.bands import AGE_BANDS
from homecare.reference import municipalities


def flat_population(years: tuple[int, ...] = (2020, 2040), value: float = 10.0) -> pd.DataFrame:
    """Every unit, year and band with the same population: sums are easy to check by hand."""
    rows = [
        (code, y, b, value) for code in municipalities.units()["municipality_code"] for y in years for b in AGE_BANDS
    ]
    return pd.DataFrame(rows, columns=["municipality_code", "year", "age_band", "population"])


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
