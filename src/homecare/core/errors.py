"""Errors that end a stage with a clear, located message instead of a traceback.

The CLI turns any :class:`HomecareError` into one message on stderr and a non-zero
exit (``exit_code``); notebooks let it propagate so the runner names the failing cell.
"""

from __future__ import annotations

from pathlib import Path


class HomecareError(Exception):
    """Base class for expected, user-facing failures (bad input, missing data)."""

    exit_code = 2


class InputError(HomecareError):
    """Bad input data, located as precisely as known: file, sheet, row, column.

    Rows are reported as the analyst sees them: 1-based spreadsheet/CSV line numbers.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.sheet = sheet
        self.row = row
        self.column = column
        self.value = value
        super().__init__(self.__str__())

    def location(self) -> str:
        parts = []
        if self.file:
            parts.append(f"file {self.file}")
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        loc = self.location()
        text = f"{loc}: {self.message}" if loc else self.message
        if self.value is not None:
            # numpy scalars as the number they hold (7.0, not np.float64(7.0))
            value = self.value.item() if hasattr(self.value, "item") and hasattr(self.value, "dtype") else self.value
            text += f" (value: {value!r})"
        return text


class ReferenceDataError(HomecareError):
    """A reference file (catalog entry, area scheme, code table) is missing or inconsistent."""


class ParameterError(HomecareError):
    """A run parameter is unknown, mistyped or out of range."""
