"""Opening the Excel sources of the home-care topic (届出受理医療機関名簿, 地域別データ集).

Every sheet is read as a grid of Python values with the leading empty rows and columns kept,
so that ``grid[i][j]`` is the cell at Excel row ``i + 1`` and column ``j + 1``: errors and QA
entries name rows as the analyst sees them. Unreadable files become a located
:class:`~homecare.core.errors.InputError`. Terms: docs/glossary.md.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from openpyxl.utils import get_column_letter

from homecare.core.errors import InputError
from homecare.core.inputs import checked_input


@dataclass(frozen=True)
class Workbook:
    """A workbook's sheets in file order: ``{sheet name: rows of cell values}``, and each sheet's
    merged ranges as 0-based ``((first row, first column), (last row, last column))``."""

    file: str  # relative to the project root, for messages
    sheets: dict[str, list[list[object]]]
    merges: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]]


def open_workbook(path: str | Path) -> Workbook:
    """Read every sheet of an .xlsx/.xls file (recorded as a stage input)."""
    from python_calamine import CalamineWorkbook

    p, where = checked_input(path)
    try:
        wb = CalamineWorkbook.from_path(str(p))
        loaded = {name: wb.get_sheet_by_name(name) for name in wb.sheet_names}
        sheets = {name: ws.to_python(skip_empty_area=False) for name, ws in loaded.items()}
        merges = {name: list(ws.merged_cell_ranges or []) for name, ws in loaded.items()}
    except Exception as exc:  # calamine raises its own error types for damaged or non-Excel files
        raise InputError(
            f"cannot be read as an Excel workbook (truncated, damaged or not .xlsx?): {type(exc).__name__}: {exc}",
            file=where,
        ) from None
    return Workbook(where, sheets, merges)


@lru_cache(maxsize=200_000)
def _text_of_str(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def text(value: object) -> str:
    """A cell as text: NFKC, surrounding spaces removed; whole numbers without ``.0``; '' for empty.
    (Lists repeat the same texts on every row: the string case is cached.)"""
    if value is None:
        return ""
    if isinstance(value, str):
        return _text_of_str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime, date)):
        value = value.isoformat()[:10]
    return unicodedata.normalize("NFKC", str(value)).strip()


def cell(row: int, column: int) -> str:
    """``A5``-style name of a 0-based (row, column) position, for messages."""
    return f"{get_column_letter(column + 1)}{row + 1}"
