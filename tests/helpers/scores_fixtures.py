"""Helpers for the insurer-score tests: sample sheets altered into broken or shifted files."""

from __future__ import annotations

from functools import lru_cache

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


def write_older(sheet: score_samples.SampleSheet, folder, name: str = "older.xlsx", **kw):
    """Write an older-layout sheet into ``folder`` (a pytest tmp folder)."""
    return score_samples.write_xlsx(sheet, folder / name, **kw)


def older_variant_2025(folder):
    """The 令和7年度 variant of the older layout (title, notes sheet, other column order), written."""
    return score_samples.write_xlsx(score_samples.build_sheet(2025), folder / "older_2025.xlsx")


@lru_cache(maxsize=1)
def stage_tables() -> dict:
    """Every processed table of stage 01 computed from the committed real-layout samples
    (令和7・8年度), for figure and notebook tests. Do not modify the frames."""
    from homecare.scores import clean
    from homecare.stages import insurer_scores

    result = clean.clean_years({fy: score_samples.sample_path(fy) for fy in score_samples.NATIONAL_YEARS})
    return insurer_scores.tables(result)
