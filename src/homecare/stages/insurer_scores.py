"""Stage 01 保険者機能評価の得点: clean the national results files, write the processed score
tables and the national benchmark, and publish the 目標III (在宅医療・介護連携) summary and the
comparison of the prefecture's insurers with the nation. Terms: docs/glossary.md."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from homecare.core import paths, processed
from homecare.core.dates import reiwa_fiscal_year
from homecare.core.qa import QA_SCHEMA, qa_table_ja
from homecare.figures.scores import SCORE_SOURCE
from homecare.publish.tables import read_table
from homecare.publish.workbook import write_workbook
from homecare.scores import clean as cl
from homecare.scores import compare, published, schemas
from homecare.scores import indicators as ind
from homecare.scores import summary as sm
from homecare.stages.base import Stage

SUMMARY_NOTE = (
    "目標IIIは介護保険保険者努力支援交付金の「在宅医療・介護連携」（100点）。順位は県内市町村の順位（同点は同順位）。"
    "全国平均は評価結果ファイルの統計行（平均点）。"
)
MISSED_NOTE = "全国の該当率（得点した保険者の割合、ファイルの統計行）が基準以上なのに0点の目標III項目。活動指標（①～④）は全国順位の帯。"
PROCESSED = {
    "insurer_scores": schemas.INSURER_SCORES_SCHEMA,
    "insurer_scores_qa": QA_SCHEMA,
    "goal3_by_indicator": schemas.GOAL3_BY_INDICATOR_SCHEMA,
    "goal3_summary": schemas.GOAL3_SUMMARY_SCHEMA,
    "national_benchmark": schemas.NATIONAL_BENCHMARK_SCHEMA,
    "national_insurers": schemas.NATIONAL_INSURERS_SCHEMA,
    "national_measures": schemas.NATIONAL_MEASURES_SCHEMA,
    "score_comparison": schemas.SCORE_COMPARISON_SCHEMA,
    "low_score_threshold": schemas.LOW_THRESHOLD_SCHEMA,
    "goal3_missed_items": schemas.GOAL3_MISSED_ITEMS_SCHEMA,
}


def clean(stage: Stage, input_files: Mapping[int, str], prefecture: str) -> cl.CleanResult:
    """Clean one file per fiscal year; prints and records each file's reconciliation (rows
    read = kept + statistics rows + other prefectures + rows without scores + quarantined)
    and how many scored rows have no 保険者番号."""
    result = cl.clean_years(input_files, prefecture=prefecture)
    for fy, counts in result.files.items():
        stage.reconcile(f"{reiwa_fiscal_year(fy)}の評価結果", cl.reconciliation(counts))
        n = result.without_insurer_number.get(fy, 0)
        print(f"{reiwa_fiscal_year(fy)}: 保険者番号のない行 {n}（広域連合の構成市町村。全国の比較値に含める）")
        stage.notes.setdefault("rows_without_insurer_number", {})[str(fy)] = n
    stage.reconcile("全ファイル", cl.reconciliation(result.counts))
    stage.vintage(
        "保険者機能強化推進交付金・努力支援交付金 評価結果",
        "、".join(reiwa_fiscal_year(fy) for fy in sorted(result.files)),
    )
    return result


def tables(result: cl.CleanResult, common_item_threshold: float = 0.5) -> dict[str, pd.DataFrame]:
    """Every processed table of the stage from the cleaned files (not yet written)."""
    comparison = compare.comparison(result.measures, result.insurers, result.benchmark)
    goal3 = comparison[comparison["measure"] == f"{ind.FOCUS_FUND}III"]
    by_indicator = sm.goal3_by_indicator(result.scores, result.benchmark)
    return {
        "insurer_scores": result.scores,
        "insurer_scores_qa": result.qa_table(),
        "goal3_by_indicator": by_indicator,
        "goal3_summary": sm.goal3_summary(
            by_indicator, goal3.groupby("fiscal_year")["national_mean"].first().to_dict(), goal3
        ),
        "national_benchmark": result.benchmark,
        "national_insurers": result.insurers,
        "national_measures": result.measures,
        "score_comparison": comparison,
        "low_score_threshold": compare.low_score_thresholds(comparison, result.measures, result.benchmark),
        "goal3_missed_items": compare.missed_common_items(result.scores, result.benchmark, common_item_threshold),
    }


def write_processed(
    stage: Stage, result: cl.CleanResult, common_item_threshold: float = 0.5
) -> dict[str, pd.DataFrame]:
    """The processed tables (data/processed): the prefecture's tidy scores and QA, the 目標III
    tables, the national benchmark (per item/subtotal, per insurer, per insurer and measure)
    and the comparisons (``common_item_threshold``: 該当率 from which a missed item counts)."""
    out = tables(result, common_item_threshold)
    for name, df in out.items():
        attrs = {"common_item_threshold": common_item_threshold} if name == "goal3_missed_items" else None
        processed.write_processed(df, name, schema=PROCESSED[name], attrs=attrs)
        stage.rows[name] = len(df)
    return out


def publish(stage: Stage, tables_: Mapping[str, pd.DataFrame], common_item_threshold: float = 0.5) -> dict[str, Path]:
    """Published tables (Japanese headers with units) and the summary workbook
    ``<output_dir>/01_goal3_summary.xlsx`` (frozen header row)."""
    year = reiwa_fiscal_year
    summary = sm.published_summary(tables_["goal3_summary"], tables_["goal3_by_indicator"], year)
    by_indicator = sm.published_by_indicator(tables_["goal3_by_indicator"], year)
    # (key, table, name, title, sheet, note): every table cites the score file
    specs = [
        (
            "summary",
            summary,
            "01_goal3_summary",
            "目標III（在宅医療・介護連携）得点の市町村別概要",
            "目標III概要",
            SUMMARY_NOTE,
        ),
        (
            "by_indicator",
            by_indicator,
            "01_goal3_by_indicator",
            "目標III 指標別得点（市町村別）",
            "目標III指標別",
            None,
        ),
        (
            "comparison",
            published.comparison(tables_["score_comparison"], year),
            "01_score_comparison",
            "保険者機能評価の得点：全国・県・同規模の平均との比較と順位（保険者別）",
            "全国比較",
            published.COMPARISON_NOTE,
        ),
        (
            "threshold",
            published.low_score_thresholds(tables_["low_score_threshold"], year),
            "01_low_score_threshold",
            "「著しく得点の低い」水準とそれを下回る保険者",
            "著しく低い水準",
            "著しく低い水準＝（平均得点率－2×標準偏差÷配点）×配点（標準偏差は点、母標準偏差）。",
        ),
        (
            "missed",
            published.missed_items(tables_["goal3_missed_items"], year),
            "01_goal3_missed_items",
            f"全国の{common_item_threshold:.0%}以上が得点しているのに0点の目標III項目（保険者別）",
            "目標III取りこぼし",
            MISSED_NOTE,
        ),
        (
            "benchmark",
            published.national_benchmark(tables_["national_benchmark"], year),
            "01_national_benchmark",
            "全国の比較値（評価結果ファイルの統計行：項目別・小計別）",
            "全国の比較値",
            "ファイルの記載どおり。率は％に換算。",
        ),
        (
            "qa",
            qa_table_ja(tables_["insurer_scores_qa"]),
            "01_insurer_scores_qa",
            "保険者機能評価ファイルの品質確認（除外・置換・要確認）",
            "得点QA",
            None,
        ),
    ]
    out = {
        key: stage.table(df, name, title=title, sheet=sheet, sources=[SCORE_SOURCE], note=note)
        for key, df, name, title, sheet, note in specs
    }
    out["workbook"] = write_workbook(
        [read_table(out["summary"]), read_table(out["comparison"])],
        paths.resolve(stage.output_dir) / "01_goal3_summary.xlsx",
    )
    return out
