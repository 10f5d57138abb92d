"""Helpers for the insurer-score tests: sample sheets altered into broken or shifted files."""

from __future__ import annotations

from homecare_dev.samples import scores as score_samples


def body_index(sheet: score_samples.SampleSheet, name: str) -> int:
    """Index in ``sheet.body`` of the row whose 市町村名 is ``name``."""
    col = sheet.layout.index(("id", "市町村名"))
    return next(i for i, r in enumerate(sheet.body) if r[col] == name)


def score_column(sheet: score_samples.SampleSheet, indicator: str, item: str, fund: str = "支援") -> int:
    """0-based column of an item in the sample layout."""
    its = score_samples.items()
    k = next(k for k, it in enumerate(its) if (it.fund, it.indicator, it.item) == (fund, indicator, item))
    return sheet.layout.index(("score", k))


def excel_row(sheet: score_samples.SampleSheet, body_i: int, top_rows: int | None = None) -> int:
    """1-based spreadsheet row of body row ``body_i`` as written by ``score_samples.write_xlsx``."""
    offset = (2 if sheet.title else 0) if top_rows is None else top_rows
    return offset + score_samples.HEADER_ROWS + body_i + 1
