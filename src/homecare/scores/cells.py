"""Cell values and merged ranges of a worksheet, read in bulk with python-calamine.

The national results workbook (全国集計（市町村）) has about 1,800 rows x 1,563 columns: the
values are read in one call (``to_python``), never cell by cell through openpyxl (about ten
times slower on that file; ``make bench`` prints both). Blank cells are ``""``; numbers are
floats. Unreadable files become an :class:`~homecare.core.errors.InputError` naming the file.
Terms: docs/glossary.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import python_calamine as calamine

from homecare.core.errors import InputError
from homecare.core.inputs import checked_input

# what python-calamine raises on a damaged, truncated or non-xlsx file
READ_ERRORS = (calamine.CalamineError, calamine.ZipError, calamine.XmlError, OSError, ValueError)


@dataclass
class RawSheet:
    """One worksheet as read: ``rows[i][j]`` is the cell of sheet row i+1, column j+1 (every
    row has the same length); ``merges`` are (first row, first column, last row, last
    column), 0-based and inclusive."""

    file: str  # the path as shown in messages (relative to the project)
    name: str
    rows: list[list[object]]
    merges: list[tuple[int, int, int, int]]


class Book:
    """An opened workbook: its sheet names, a peek at the first rows, a sheet in full."""

    def __init__(self, path: str | Path) -> None:
        p, self.file = checked_input(path)  # inside the project, not empty, no bomb, noted as input
        try:
            self._wb = calamine.CalamineWorkbook.from_path(str(p))
        except READ_ERRORS as exc:
            raise self._unreadable(exc) from None
        self.sheet_names: list[str] = list(self._wb.sheet_names)
        self._loaded: dict[str, object] = {}  # each sheet is parsed once (the XML of a big sheet takes seconds)

    def _unreadable(self, exc: Exception, sheet: str | None = None) -> InputError:
        return InputError(
            f"cannot be read as an Excel .xlsx workbook (truncated or damaged file?): {type(exc).__name__}: {exc}",
            file=self.file,
            sheet=sheet,
        )

    def _sheet(self, name: str):
        if name not in self._loaded:
            try:
                self._loaded[name] = self._wb.get_sheet_by_name(name)
            except READ_ERRORS as exc:
                raise self._unreadable(exc, name) from None
        return self._loaded[name]

    def head(self, name: str, nrows: int) -> list[list[object]]:
        """The first ``nrows`` rows of sheet ``name`` (from A1)."""
        ws = self._sheet(name)
        try:
            return ws.to_python(skip_empty_area=False, nrows=nrows)
        except READ_ERRORS as exc:
            raise self._unreadable(exc, name) from None

    def sheet(self, name: str) -> RawSheet:
        """Every cell value of sheet ``name`` (from A1, rows padded to one width) and its merges."""
        ws = self._sheet(name)
        try:
            rows = ws.to_python(skip_empty_area=False)
            merges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (ws.merged_cell_ranges or [])]
        except READ_ERRORS as exc:
            raise self._unreadable(exc, name) from None
        width = max((len(r) for r in rows), default=0)
        for r in rows:
            if len(r) < width:
                r.extend([""] * (width - len(r)))
        return RawSheet(self.file, name, rows, merges)


def is_blank(value: object) -> bool:
    """An empty cell (``""`` from calamine, ``None`` in frames built by hand) or spaces only."""
    return value is None or (isinstance(value, str) and not value.strip())
