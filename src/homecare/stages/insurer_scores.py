"""Stage 01 保険者機能評価の得点: clean the national results files, write the processed score
tables and publish the 目標III (在宅医療・介護連携) summary. Terms: docs/glossary.md."""

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
from homecare.scores import schemas
from homecare.scores import summary as sm
from homecare.stages.base import Stage

SUMMARY_NOTE = (
    "目標IIIは介護保険保険者努力支援交付金の「在宅医療・介護連携」（100点）。順位は県内市町村の順位（同点は同順位）。"
)


def clean(stage: Stage, input_files: Mapping[int, str], prefecture: str) -> cl.CleanResult:
    """Clean one file per fiscal year; prints and records each file's reconciliation
    (rows read = kept + statistics rows + other prefectures + quarantined)."""
    result = cl.clean_years(input_files, prefecture=prefecture)
    for fy, counts in result.files.items():
        stage.reconcile(f"{reiwa_fiscal_year(fy)}の評価結果", cl.reconciliation(counts))
    stage.reconcile("全ファイル", cl.reconciliation(result.counts))
    return result


def write_processed(stage: Stage, result: cl.CleanResult) -> dict[str, pd.DataFrame]:
    """insurer_scores, insurer_scores_qa, goal3_by_indicator, goal3_summary -> data/processed."""
    by_indicator = sm.goal3_by_indicator(result.scores)
    tables = {
        "insurer_scores": (result.scores, schemas.INSURER_SCORES_SCHEMA),
        "insurer_scores_qa": (result.qa_table(), QA_SCHEMA),
        "goal3_by_indicator": (by_indicator, schemas.GOAL3_BY_INDICATOR_SCHEMA),
        "goal3_summary": (sm.goal3_summary(by_indicator), schemas.GOAL3_SUMMARY_SCHEMA),
    }
    for name, (df, schema) in tables.items():
        processed.write_processed(df, name, schema=schema)
        stage.rows[name] = len(df)
    return {name: df for name, (df, _) in tables.items()}


def publish(stage: Stage, tables: Mapping[str, pd.DataFrame]) -> dict[str, Path]:
    """Published tables (Japanese headers with units) and the summary workbook
    ``<output_dir>/01_goal3_summary.xlsx`` (frozen header row)."""
    summary = sm.published_summary(tables["goal3_summary"], tables["goal3_by_indicator"], reiwa_fiscal_year)
    by_indicator = sm.published_by_indicator(tables["goal3_by_indicator"], reiwa_fiscal_year)
    out = {
        "summary": stage.table(
            summary,
            "01_goal3_summary",
            title="目標III（在宅医療・介護連携）得点の市町村別概要",
            sheet="目標III概要",
            sources=[SCORE_SOURCE],
            note=SUMMARY_NOTE,
        ),
        "by_indicator": stage.table(
            by_indicator,
            "01_goal3_by_indicator",
            title="目標III 指標別得点（市町村別）",
            sheet="目標III指標別",
            sources=[SCORE_SOURCE],
        ),
        "qa": stage.table(
            qa_table_ja(tables["insurer_scores_qa"]),
            "01_insurer_scores_qa",
            title="保険者機能評価ファイルの品質確認（除外・置換・要確認）",
            sheet="得点QA",
            sources=[SCORE_SOURCE],
        ),
    }
    out["workbook"] = write_workbook(
        [read_table(out["summary"])], paths.resolve(stage.output_dir) / "01_goal3_summary.xlsx"
    )
    return out
