"""Write the stage's processed tables (data/processed) and published tables (outputs)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from homecare.core import paths, processed, provenance
from homecare.publish.tables import read_table, write_table
from homecare.publish.workbook import write_workbook
from homecare.core.qa import QA_COLUMNS, QA_HEADERS_JA
from homecare.scores import summary as sm
from homecare.scores import validate
from homecare.scores.clean import CleanResult
from homecare.figures.style import reiwa_fiscal_year

SOURCE = "厚生労働省「保険者機能強化推進交付金・介護保険保険者努力支援交付金 評価結果」"
QA_SCHEMA = pa.DataFrameSchema(
    {c: pa.Column(pd.Int64Dtype() if c == "row" else str, nullable=c == "row") for c in QA_COLUMNS},
    strict=True,
    coerce=True,
)


def write_processed_tables(result: CleanResult) -> dict[str, pd.DataFrame]:
    """insurer_scores, insurer_scores_qa, goal3_by_indicator, goal3_summary -> data/processed."""
    by_indicator = sm.goal3_by_indicator(result.scores)
    tables = {
        "insurer_scores": (result.scores, validate.INSURER_SCORES_SCHEMA),
        "insurer_scores_qa": (result.qa_table(), QA_SCHEMA),
        "goal3_by_indicator": (by_indicator, validate.GOAL3_BY_INDICATOR_SCHEMA),
        "goal3_summary": (sm.goal3_summary(by_indicator), validate.GOAL3_SUMMARY_SCHEMA),
    }
    for name, (df, schema) in tables.items():
        processed.write_processed(df, name, schema=schema)
    return {name: df for name, (df, _) in tables.items()}


def publish_tables(tables: dict[str, pd.DataFrame], output_dir: str | Path) -> dict[str, Path]:
    """Published CSV tables (Japanese headers with units) and the summary workbook
    ``<output_dir>/01_goal3_summary.xlsx`` (frozen header row)."""
    sample = provenance.uses_sample_data()
    note = "目標IIIは介護保険保険者努力支援交付金の「在宅医療・介護連携」（100点）。順位は県内市町村の順位（同点は同順位）。"
    summary = sm.published_summary(tables["goal3_summary"], tables["goal3_by_indicator"], reiwa_fiscal_year)
    out = {
        "summary": write_table(summary, output_dir, "01_goal3_summary", title="目標III（在宅医療・介護連携）得点の市町村別概要",
                                       sheet="目標III概要", sources=[SOURCE], sample=sample, note=note),
        "by_indicator": write_table(sm.published_by_indicator(tables["goal3_by_indicator"], reiwa_fiscal_year), output_dir,
                                            "01_goal3_by_indicator", title="目標III 指標別得点（市町村別）", sheet="目標III指標別",
                                            sources=[SOURCE], sample=sample),
        "qa": write_table(tables["insurer_scores_qa"].rename(columns=QA_HEADERS_JA), output_dir, "01_insurer_scores_qa",
                                  title="保険者機能評価ファイルの品質確認（除外・置換・要確認）", sheet="得点QA", sources=[SOURCE], sample=sample),
    }
    out["workbook"] = write_workbook([read_table(out["summary"])], paths.resolve(output_dir) / "01_goal3_summary.xlsx")
    return out
