"""Validation of cleaned scores: allowed points per item, the file's own totals, 保険者番号
across years, and the per-municipality 目標III summary (ranks, changes, mean)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from scores_fixtures import body_index, excel_row, older_variant_2025, score_column

from homecare.core.errors import InputError
from homecare.scores import clean, summary
from homecare.scores import indicators as ind
from homecare.stages import insurer_scores
from homecare.stages.base import Stage
from homecare_dev.samples import scores as score_samples

FY = 2024


def _clean_variant(tmp_path: Path, sheet: score_samples.SampleSheet, fy: int = FY) -> clean.CleanResult:
    return clean.clean_file(score_samples.write_xlsx(sheet, tmp_path / f"variant_{fy}.xlsx"), fy)


def test_binary_item_with_a_value_between_0_and_its_points_is_an_error(tmp_path: Path) -> None:
    sheet = score_samples.build_sheet(FY)
    i, j = body_index(sheet, "座間市"), score_column(sheet, "在宅医療・介護連携に関する課題・対応策の検討", "ア")
    sheet.body[i][j] = 3  # ア is 0 or 5
    with pytest.raises(InputError, match=r"points 3 not allowed .* \(allowed: 0/5\)") as exc:
        _clean_variant(tmp_path, sheet)
    assert exc.value.row == excel_row(sheet, i) and exc.value.column.startswith(f"{get_column_letter(j + 1)} (")


def test_band_item_off_its_values_is_reported_not_dropped(tmp_path: Path) -> None:
    sheet = score_samples.build_sheet(FY)
    i, j = body_index(sheet, "座間市"), score_column(sheet, "入退院支援の実施状況", "イ③")
    sheet.body[i][j] = 1.5
    result = _clean_variant(tmp_path, sheet)
    qa = result.qa_table()
    hit = qa[qa["reason"].str.contains("band values")]
    assert len(hit) == 1 and hit["value"].iloc[0] == "1.5"
    kept = result.scores.query("municipality_code == '14216' and indicator == '入退院支援の実施状況' and item == 'イ③'")
    assert kept["points"].tolist() == [1.5]


def test_sum_of_items_is_compared_with_the_file_totals(tmp_path: Path) -> None:
    sheet = score_samples.build_sheet(FY)
    i, j = body_index(sheet, "秦野市"), sheet.layout.index(("total", "支援合計"))
    sheet.body[i][j] = sheet.body[i][j] + 3
    qa = _clean_variant(tmp_path, sheet).qa_table()
    diff = qa[qa["reason"].str.startswith("sum of items")]
    assert len(diff) == 1 and "by -3" in diff["reason"].iloc[0]
    clean_qa = clean.clean_file(score_samples.older_sample_path(), FY).qa_table()
    assert not clean_qa["reason"].str.startswith("sum of items").any()  # the sample's totals agree


def test_insurer_number_that_changes_between_years_is_reported(tmp_path: Path) -> None:
    later = score_samples.build_sheet(2025)
    i = body_index(later, "逗子市")
    later.body[i][later.layout.index(("id", "保険者番号"))] = "149999"
    files = {FY: score_samples.older_sample_path(), 2025: score_samples.write_xlsx(later, tmp_path / "later.xlsx")}
    qa = clean.clean_years(files).qa_table()
    hit = qa[qa["reason"].str.contains("differs between years")]
    assert len(hit) == 1 and "逗子市 (14208)" in hit["reason"].iloc[0] and "2025: 149999" in hit["reason"].iloc[0]
    unchanged = {FY: score_samples.older_sample_path(), 2025: older_variant_2025(tmp_path)}
    assert not clean.clean_years(unchanged).qa_table()["reason"].str.contains("differs between years").any()


def _tidy(rows: list[tuple[int, str, str, float]]) -> pd.DataFrame:
    """Minimal 目標III scores: (year, code, indicator, points), max 10 each."""
    return pd.DataFrame(
        [
            {
                "fiscal_year": fy,
                "insurer_number": "140000",
                "municipality_code": code,
                "municipality_name": f"市{code}",
                "fund": "支援",
                "goal": "III",
                "indicator_group": "体制・取組指標群",
                "indicator": ind,
                "item": "ア",
                "points": p,
                "max_points": 10.0,
            }
            for fy, code, ind, p in rows
        ]
    )


def test_summary_ranks_ties_changes_and_mean() -> None:
    scores = _tidy(
        [
            (2024, "14201", "A", 8),
            (2024, "14201", "B", 2),  # 10
            (2024, "14203", "A", 5),
            (2024, "14203", "B", 5),  # 10 (tie)
            (2024, "14204", "A", 4),
            (2024, "14204", "B", 0),  # 4
            (2025, "14201", "A", 6),
            (2025, "14201", "B", 0),  # 6
            (2025, "14203", "A", 9),
            (2025, "14203", "B", 9),  # 18
            (2025, "14204", "A", 4),
            (2025, "14204", "B", 4),  # 8
        ]
    )
    s = summary.goal3_summary(summary.goal3_by_indicator(scores)).set_index(["fiscal_year", "municipality_code"])
    assert s.loc[2024, "rank"].tolist() == [1, 1, 3]
    assert s.loc[2025, "rank"].tolist() == [3, 1, 2]
    assert np.isnan(s.loc[2024, "change_from_previous"]).all()
    assert s.loc[2025, "change_from_previous"].tolist() == [-4.0, 8.0, 4.0]
    assert s.loc[2024, "prefecture_mean"].tolist() == pytest.approx([8.0] * 3)
    assert s.loc[(2025, "14203"), "pct"] == pytest.approx(90.0)


def test_change_is_nan_when_the_previous_year_is_absent() -> None:
    scores = _tidy([(2023, "14201", "A", 5), (2025, "14201", "A", 7)])
    s = summary.goal3_summary(summary.goal3_by_indicator(scores))
    assert s["change_from_previous"].isna().all()


def test_processed_and_published_outputs(tmp_path: Path, isolated_dirs: dict[str, Path]) -> None:
    stage = Stage("01_insurer_scores", isolated_dirs["outputs"] / "run")
    result = clean.clean_years({fy: score_samples.sample_path(fy) for fy in score_samples.NATIONAL_YEARS})
    tables = insurer_scores.write_processed(stage, result, 0.5)
    processed = isolated_dirs["processed"]
    for name in insurer_scores.PROCESSED:
        assert (processed / f"{name}.parquet").is_file() and (processed / f"{name}.csv").is_file()
        assert json.loads((processed / f"{name}.meta.json").read_text(encoding="utf-8"))["sample"] is True
    meta = json.loads((processed / "goal3_missed_items.meta.json").read_text(encoding="utf-8"))
    assert meta["attrs"] == {"common_item_threshold": 0.5}
    s = pd.read_parquet(processed / "goal3_summary.parquet")
    assert list(s.columns) == [
        "fiscal_year",
        "municipality_code",
        "municipality_name",
        "points",
        "max_points",
        "pct",
        "rank",
        "change_from_previous",
        "prefecture_mean",
        "national_mean",
    ]
    assert len(s) == 66 and s.loc[s["fiscal_year"] == 2025, "change_from_previous"].isna().all()
    assert s.loc[s["fiscal_year"] == 2026, "change_from_previous"].notna().all()
    assert s["national_mean"].notna().all()
    assert len(pd.read_parquet(processed / "goal3_by_indicator.parquet")) == 66 * 5
    out = insurer_scores.publish(stage, tables, 0.5)
    head = pd.read_csv(out["summary"], encoding="utf-8-sig", nrows=0).columns.tolist()
    assert {
        "目標III得点（点）",
        "得点率（％）",
        "県内順位（位）",
        "前年度差（点）",
        "県平均（点）",
        "全国平均（点）",
        "体制・取組指標群（点）",
    } <= set(head)
    comparison = pd.read_csv(out["comparison"], encoding="utf-8-sig")
    assert {
        "全国平均（点）",
        "県平均（点）",
        "同じ規模区分の全国平均（点）",
        "全国順位（位）",
        "県内順位（位）",
    } <= set(comparison.columns)
    assert len(comparison) == 2 * 33 * 11  # two years, 33 insurers, 11 measures
    ws = load_workbook(out["workbook"]).active
    assert ws.freeze_panes == "A3" and ws.cell(row=2, column=4).value == "目標III得点（点）"
    assert json.loads(out["summary"].with_suffix(".json").read_text(encoding="utf-8"))["sample"] is True
    assert all(p.name.startswith("01_") for p in out.values())


def _append_column(sheet: score_samples.SampleSheet, header: list[str | None], values: list[object]) -> None:
    for r, text in enumerate(header):
        sheet.header[r].append(text)
    for row, value in zip(sheet.body, values, strict=True):
        row.append(value)
    sheet.layout.append(("other", header[-1]))


def _goal3_sum(sheet: score_samples.SampleSheet, row: list[object], group: str | None = None) -> float:
    its = score_samples.items()
    cols = [
        j
        for j, (kind, k) in enumerate(sheet.layout)
        if kind == "score"
        and its[k].fund == "支援"
        and its[k].goal == "III"
        and (group is None or its[k].group == group)
    ]
    return sum(ind.parse_number(row[j]) or 0.0 for j in cols)


def test_goal_and_group_subtotal_columns_are_checked_not_scored(tmp_path: Path) -> None:
    sheet = score_samples.build_sheet(FY)
    serial = sheet.layout.index(("id", "通し番号"))
    data = [ind.is_serial(r[serial]) for r in sheet.body]
    kanagawa = [r[sheet.layout.index(("id", "都道府県名"))] == "神奈川県" for r in sheet.body]
    goal_values = [
        _goal3_sum(sheet, r) if d and k else None for r, d, k in zip(sheet.body, data, kanagawa, strict=True)
    ]
    group_values = [
        _goal3_sum(sheet, r, "活動指標群") if d and k else None
        for r, d, k in zip(sheet.body, data, kanagawa, strict=True)
    ]
    i = body_index(sheet, "綾瀬市")
    group_values[i] += 1  # one wrong subtotal in the file
    _append_column(sheet, ["介護保険保険者努力支援交付金", "目標Ⅲ", None, None, None, None, None, "得点"], goal_values)
    _append_column(
        sheet,
        ["介護保険保険者努力支援交付金", "目標Ⅲ", "（ⅱ）活動指標群", None, None, None, None, "小計"],
        group_values,
    )
    result = _clean_variant(tmp_path, sheet)
    assert len(result.scores) == 33 * len(score_samples.items())  # subtotals are not items
    diff = result.qa_table().query("reason.str.startswith('sum of items')", engine="python")
    assert len(diff) == 1 and diff["row"].iloc[0] == excel_row(sheet, i) and "by -1" in diff["reason"].iloc[0]


def test_other_goals_with_indistinct_headers_do_not_stop_the_stage(tmp_path: Path) -> None:
    sheet = score_samples.build_sheet(FY)
    j = score_column(sheet, "持続可能な地域のあるべき姿の取組状況", "ウ", fund="推進")
    sheet.header[5][j] = "ア"  # now two items ア in that indicator
    result = _clean_variant(tmp_path, sheet)
    notes = result.qa_table().query("reason.str.contains('does not tell this item')", engine="python")
    assert len(notes) == 1
    assert len(result.scores) == 33 * len(score_samples.items())
