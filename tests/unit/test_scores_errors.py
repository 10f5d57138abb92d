"""``homecare scores clean`` (in-process) on good and broken files: a broken file exits with code 2
and one message naming file, sheet, row and column; nothing is silently dropped."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from cli_run import run_cli
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from scores_fixtures import body_index, excel_row, score_column

from homecare_dev.samples import scores as score_samples


def _clean(path: Path, out: Path, fy: int = 2024, *extra: str):
    return run_cli("scores", "clean", str(path), "--fiscal-year", str(fy), "-o", str(out), *extra)


def _assert_error(result, *parts: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    for part in parts:
        assert part in result.stderr, f"{part!r} not in {result.stderr!r}"


def test_clean_sample_writes_tidy_csv_and_qa(tmp_path: Path) -> None:
    out = tmp_path / "scores_2026.csv"
    result = _clean(score_samples.sample_path(2026), out, 2026)
    assert result.returncode == 0, result.stderr
    assert (
        "rows in 481 = kept 33 + statistics rows 9 + other prefectures 429 + without scores (広域連合) 10 + quarantined 0"
        in result.stdout
    )
    df = pd.read_csv(out, encoding="utf-8-sig", dtype={"insurer_number": str, "municipality_code": str})
    assert list(df.columns) == [
        "fiscal_year",
        "insurer_number",
        "municipality_code",
        "municipality_name",
        "fund",
        "goal",
        "indicator_group",
        "indicator",
        "item",
        "points",
        "max_points",
    ]
    assert df["municipality_code"].nunique() == 33 and set(df["fiscal_year"]) == {2026}
    qa = pd.read_csv(tmp_path / "scores_2026_qa.csv", encoding="utf-8-sig")
    assert {"stage", "file", "sheet", "row", "column", "value", "reason", "action"} <= set(qa.columns)


def test_header_shifted_down_by_two_rows_is_found(tmp_path: Path) -> None:
    """Header rows move between years: a shift is read, not an error, with the same result."""
    base, shifted = tmp_path / "base.csv", tmp_path / "shifted.csv"
    sheet = score_samples.build_sheet(2024)
    assert _clean(score_samples.write_xlsx(sheet, tmp_path / "a.xlsx"), base).returncode == 0
    assert _clean(score_samples.write_xlsx(sheet, tmp_path / "b.xlsx", top_rows=2), shifted).returncode == 0
    assert base.read_bytes() == shifted.read_bytes()


def test_sheet_missing(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "注記"
    wb.active["A1"] = "評価結果は別ファイル"
    path = tmp_path / "no_results_sheet.xlsx"
    wb.save(path)
    _assert_error(
        _clean(path, tmp_path / "o.csv"),
        "no_results_sheet.xlsx",
        "no sheet has a header with 通し番号",
        "column '通し番号'",
        "注記",
    )


def test_named_sheet_missing(tmp_path: Path) -> None:
    result = _clean(score_samples.sample_path(2026), tmp_path / "o.csv", 2026, "--sheet", "評価結果")
    _assert_error(
        result, "zenkoku_shukei_FY2026_R08_sample.xlsx", "sheet '評価結果'", "sheet not found", "全国集計（市町村）"
    )


def test_column_renamed_slightly(tmp_path: Path) -> None:
    sheet = score_samples.build_sheet(2024)
    j = sheet.layout.index(("id", "保険者番号"))
    sheet.header[0][j] = "保険者番"
    path = score_samples.write_xlsx(sheet, tmp_path / "renamed.xlsx")
    _assert_error(
        _clean(path, tmp_path / "o.csv"),
        "renamed.xlsx",
        "sheet '評価結果'",
        "row 1",
        "column '保険者番号'",
        "closest header text is '保険者番' in column C",
    )


def test_goal3_item_renamed(tmp_path: Path) -> None:
    sheet = score_samples.build_sheet(2024)
    j = score_column(sheet, "医療・介護関係者間の情報共有", "エ")
    sheet.header[5][j] = "オ"
    path = score_samples.write_xlsx(sheet, tmp_path / "item.xlsx")
    _assert_error(
        _clean(path, tmp_path / "o.csv"),
        "item.xlsx",
        "sheet '評価結果'",
        "row 1",
        "does not match any item",
        "枝番 'オ'",
    )


def test_text_in_a_numeric_cell(tmp_path: Path) -> None:
    sheet = score_samples.build_sheet(2024)
    i, j = body_index(sheet, "藤沢市"), score_column(sheet, "在宅医療・介護連携に関する課題・対応策の検討", "イ")
    sheet.body[i][j] = "あり"
    path = score_samples.write_xlsx(sheet, tmp_path / "text.xlsx")
    _assert_error(
        _clean(path, tmp_path / "o.csv"),
        "text.xlsx",
        "sheet '評価結果'",
        f"row {excel_row(sheet, i)}",
        f"column '{get_column_letter(j + 1)} (",
        "text in a numeric score cell",
        "'あり'",
    )
    assert not (tmp_path / "o.csv").exists()  # no output when the input is wrong


def test_municipality_duplicated(tmp_path: Path) -> None:
    sheet = score_samples.build_sheet(2024)
    i = body_index(sheet, "大和市")
    copy = list(sheet.body[i])
    copy[sheet.layout.index(("id", "通し番号"))] = 999
    sheet.body.append(copy)
    path = score_samples.write_xlsx(sheet, tmp_path / "dup.xlsx")
    rows = f"rows {excel_row(sheet, i)}, {excel_row(sheet, len(sheet.body) - 1)}"
    _assert_error(
        _clean(path, tmp_path / "o.csv"),
        "dup.xlsx",
        "sheet '評価結果'",
        "大和市 (14213) appears more than once",
        rows,
        "column 'E (市町村名)'",
    )


def test_unknown_municipality(tmp_path: Path) -> None:
    sheet = score_samples.build_sheet(2024)
    i = body_index(sheet, "葉山町")
    sheet.body[i][sheet.layout.index(("id", "市町村名"))] = "葉山村"
    path = score_samples.write_xlsx(sheet, tmp_path / "unknown.xlsx")
    _assert_error(
        _clean(path, tmp_path / "o.csv"),
        "unknown.xlsx",
        "sheet '評価結果'",
        f"row {excel_row(sheet, i)}",
        "column 'E (市町村名)'",
        "cannot be mapped",
        "'葉山村'",
    )


def test_insurer_rows_cut_off(tmp_path: Path) -> None:
    sheet = score_samples.build_sheet(2024)
    sheet.body = sheet.body[: body_index(sheet, "箱根町")]
    path = score_samples.write_xlsx(sheet, tmp_path / "short.xlsx")
    _assert_error(
        _clean(path, tmp_path / "o.csv"),
        "short.xlsx",
        "sheet '評価結果'",
        "missing from the file",
        "箱根町 (14382)",
        "清川村 (14402)",
    )


def test_truncated_file(tmp_path: Path) -> None:
    data = score_samples.older_sample_path().read_bytes()
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    _assert_error(_clean(path, tmp_path / "o.csv"), "truncated.xlsx", "truncated or damaged")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    _assert_error(_clean(path, tmp_path / "o.csv"), "empty.xlsx", "the file is empty")


def test_empty_sheet(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    Workbook().save(path)
    _assert_error(_clean(path, tmp_path / "o.csv"), "blank.xlsx", "no sheet has a header")


def test_score_above_its_maximum(tmp_path: Path) -> None:
    sheet = score_samples.build_sheet(2024)
    i, j = body_index(sheet, "鎌倉市"), score_column(sheet, "医療・介護関係者間の情報共有", "イ")
    sheet.body[i][j] = 8  # 配点 6
    path = score_samples.write_xlsx(sheet, tmp_path / "over.xlsx")
    _assert_error(
        _clean(path, tmp_path / "o.csv"), "over.xlsx", f"row {excel_row(sheet, i)}", "outside 0..配点", "8 > 6"
    )


@pytest.mark.parametrize("prefecture", ["東京都"])
def test_other_prefecture_is_refused(tmp_path: Path, prefecture: str) -> None:
    result = _clean(score_samples.older_sample_path(), tmp_path / "o.csv", 2024, "--prefecture", prefecture)
    _assert_error(result, "only 神奈川県 has a municipality reference table")


def test_previous_output_reports_a_changed_insurer_number(tmp_path: Path) -> None:
    first = tmp_path / "scores_2024.csv"
    assert _clean(score_samples.older_sample_path(), first).returncode == 0
    sheet = score_samples.build_sheet(2025)
    i = body_index(sheet, "三浦市")
    sheet.body[i][sheet.layout.index(("id", "保険者番号"))] = "148888"
    path = score_samples.write_xlsx(sheet, tmp_path / "r7.xlsx")
    result = _clean(path, tmp_path / "scores_2025.csv", 2025, "--previous", str(first))
    assert result.returncode == 0, result.stderr
    qa = pd.read_csv(tmp_path / "scores_2025_qa.csv", encoding="utf-8-sig")
    hit = qa[qa["reason"].str.contains("differs between years", na=False)]
    assert len(hit) == 1 and "三浦市 (14210)" in hit["reason"].iloc[0] and "2025: 148888" in hit["reason"].iloc[0]


def test_title_year_other_than_the_fiscal_year(tmp_path: Path) -> None:
    """The 令和8年度 sample's title names its year: cleaning it as 2025 is an error."""
    result = _clean(score_samples.sample_path(2026), tmp_path / "o.csv", 2025)
    _assert_error(
        result, "zenkoku_shukei_FY2026_R08_sample.xlsx", "sheet '全国集計（市町村）'", "row 1", "令和8年度", "令和7年度"
    )
