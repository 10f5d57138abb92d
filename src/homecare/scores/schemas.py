"""Validation of cleaned insurer scores (保険者機能評価) and of the national benchmark: pandera
schemas of every processed table of stage 01, and the check that needs the file's context
(allowed points per item). The file's own subtotals are checked in :mod:`totals`.
Terms: docs/glossary.md."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from homecare.core.errors import InputError
from homecare.core.qa import QAEntry
from homecare.scores import indicators as ind

CODE5 = pa.Check.str_matches(r"^14\d{3}$")
TOLERANCE = 1e-6

INSURER_SCORES_SCHEMA = pa.DataFrameSchema(
    {
        "fiscal_year": pa.Column(int, pa.Check.between(2018, 2100)),
        "insurer_number": pa.Column(str),
        "municipality_code": pa.Column(str, CODE5),
        "municipality_name": pa.Column(str),
        "fund": pa.Column(str, pa.Check.isin(list(ind.FUNDS))),
        "goal": pa.Column(str, pa.Check.isin(list(ind.GOALS))),
        "indicator_group": pa.Column(str),
        "indicator": pa.Column(str),
        "item": pa.Column(str),
        "points": pa.Column(float, pa.Check.ge(0)),
        "max_points": pa.Column(float, pa.Check.gt(0)),  # 配点 (a score column has one)
    },
    checks=[pa.Check(lambda d: d["points"] <= d["max_points"] + TOLERANCE, error="points <= max_points")],
    unique=["fiscal_year", "municipality_code", "fund", "goal", "indicator_group", "indicator", "item"],
    strict=True,
    coerce=True,
)

_GOAL3_KEY = {
    "fiscal_year": pa.Column(int),
    "municipality_code": pa.Column(str, CODE5),
    "municipality_name": pa.Column(str),
}
GOAL3_BY_INDICATOR_SCHEMA = pa.DataFrameSchema(
    {
        **_GOAL3_KEY,
        "indicator_group": pa.Column(str),
        "indicator": pa.Column(str),
        "points": pa.Column(float, pa.Check.ge(0)),
        "max_points": pa.Column(float, pa.Check.gt(0)),
        "national_mean": pa.Column(float, pa.Check.ge(0), nullable=True),  # 全国平均 of the indicator
    },
    unique=["fiscal_year", "municipality_code", "indicator"],
    strict=True,
    coerce=True,
)
GOAL3_SUMMARY_SCHEMA = pa.DataFrameSchema(
    {
        **_GOAL3_KEY,
        "points": pa.Column(float, pa.Check.ge(0)),
        "max_points": pa.Column(float, pa.Check.gt(0)),
        "pct": pa.Column(float, pa.Check.between(0, 100)),
        "rank": pa.Column(int, pa.Check.ge(1)),
        "change_from_previous": pa.Column(float, nullable=True),
        "prefecture_mean": pa.Column(float, pa.Check.ge(0)),
        "national_mean": pa.Column(float, pa.Check.ge(0), nullable=True),
    },
    unique=["fiscal_year", "municipality_code"],
    strict=True,
    coerce=True,
)


_STAT = {"nullable": True}
# what identifies a column of the national benchmark (with the fiscal year)
BENCHMARK_KEY = ["column_kind", "fund", "goal", "indicator_group", "indicator", "item", "label", "src_column"]
NATIONAL_BENCHMARK_SCHEMA = pa.DataFrameSchema(
    {
        "fiscal_year": pa.Column(int),
        "column_kind": pa.Column(str, pa.Check.isin(["item", "subtotal"])),
        "level": pa.Column(str, pa.Check.isin(["item", "group", "goal", "fund", "overall"])),
        "measure": pa.Column(str),
        "fund": pa.Column(str, pa.Check.isin(["", *ind.FUNDS])),
        "goal": pa.Column(str, pa.Check.isin(["", *ind.GOALS])),
        "indicator_group": pa.Column(str),
        "indicator": pa.Column(str),
        "item": pa.Column(str),
        "label": pa.Column(str),
        "src_column": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{1,3}$")),
        "max_points": pa.Column(float, pa.Check.gt(0), **_STAT),  # 配点
        "national_total": pa.Column(float, **_STAT),  # 全国合計
        "mean": pa.Column(float, **_STAT),  # 平均点
        "item_mean": pa.Column(float, **_STAT),  # 項目平均 (meaning not documented)
        "mean_rate": pa.Column(float, pa.Check.between(0, 1 + TOLERANCE), **_STAT),  # 平均得点率 (fraction)
        "median": pa.Column(float, **_STAT),  # 中央値
        "sd": pa.Column(float, pa.Check.ge(0), **_STAT),  # 標準偏差 (points)
        "n_scoring": pa.Column(float, pa.Check.ge(0), **_STAT),  # 該当市町村数
        "scoring_rate": pa.Column(float, pa.Check.between(0, 1 + TOLERANCE), **_STAT),  # 該当率 (fraction)
        "n_rows": pa.Column(int, pa.Check.ge(0)),
        "mean_rows": pa.Column(float, **_STAT),
        "scoring_rate_rows": pa.Column(float, pa.Check.between(0, 1), **_STAT),
    },
    unique=["fiscal_year", *BENCHMARK_KEY],
    strict=True,
    coerce=True,
)
NATIONAL_INSURERS_SCHEMA = pa.DataFrameSchema(
    {
        "fiscal_year": pa.Column(int),
        "src_row": pa.Column(int, pa.Check.ge(1)),
        "municipality_code": pa.Column(str, pa.Check.str_matches(r"^(14\d{3})?$")),
        "serial": pa.Column(int, pa.Check.ge(1)),  # 通し番号
        "prefecture_code": pa.Column(str),
        "prefecture_name": pa.Column(str),
        "insurer_number": pa.Column(str),  # "" for members of a 広域連合
        "municipality_name": pa.Column(str),
        "population": pa.Column(float, nullable=True),
        "first_insured": pa.Column(float, nullable=True),  # 第1号被保険者数
        "size_class": pa.Column(str),  # 区分 (1-5 in the real file)
        "depopulated": pa.Column("boolean", nullable=True),  # 過疎地域該当
        "previous_total": pa.Column(float, pa.Check.ge(0), nullable=True),  # R7評価指標合計得点
        "previous_rank": pa.Column(float, pa.Check.ge(1), nullable=True),
        "stated_rank": pa.Column(float, pa.Check.ge(1), nullable=True),  # 今年度順位
        "in_prefecture": pa.Column(bool),
    },
    unique=["fiscal_year", "src_row"],
    strict=True,
    coerce=True,
)
NATIONAL_MEASURES_SCHEMA = pa.DataFrameSchema(
    {
        "fiscal_year": pa.Column(int),
        "serial": pa.Column(int, pa.Check.ge(1)),
        "src_row": pa.Column(int, pa.Check.ge(1)),
        "measure": pa.Column(str),
        "points": pa.Column(float, nullable=True),
        "max_points": pa.Column(float, pa.Check.gt(0), nullable=True),
        "source": pa.Column(str),
    },
    unique=["fiscal_year", "src_row", "measure"],
    strict=True,
    coerce=True,
)
SCORE_COMPARISON_SCHEMA = pa.DataFrameSchema(
    {
        "fiscal_year": pa.Column(int),
        "municipality_code": pa.Column(str, CODE5),
        "municipality_name": pa.Column(str),
        "measure": pa.Column(str),
        "measure_label": pa.Column(str),
        "points": pa.Column(float),
        "max_points": pa.Column(float, pa.Check.gt(0)),
        "national_mean": pa.Column(float),
        "prefecture_mean": pa.Column(float),
        "size_class": pa.Column(str),
        "size_class_mean": pa.Column(float),
        "size_class_n": pa.Column(int, pa.Check.ge(1)),
        "national_rank": pa.Column(int, pa.Check.ge(1)),
        "national_n": pa.Column(int, pa.Check.ge(1)),
        "prefecture_rank": pa.Column(int, pa.Check.ge(1)),
        "prefecture_n": pa.Column(int, pa.Check.ge(1)),
        "previous_points": pa.Column(float, nullable=True),
        "change_from_previous": pa.Column(float, nullable=True),
        "previous_rank": pa.Column(float, nullable=True),
        "previous_source": pa.Column(str),
        "low_threshold": pa.Column(float, nullable=True),
        "below_low_threshold": pa.Column(bool),
    },
    checks=[
        pa.Check(lambda d: d["national_rank"] <= d["national_n"], error="national_rank <= national_n"),
        pa.Check(lambda d: d["prefecture_rank"] <= d["prefecture_n"], error="prefecture_rank <= prefecture_n"),
    ],
    unique=["fiscal_year", "municipality_code", "measure"],
    strict=True,
    coerce=True,
)
LOW_THRESHOLD_SCHEMA = pa.DataFrameSchema(
    {
        "fiscal_year": pa.Column(int),
        "measure": pa.Column(str),
        "measure_label": pa.Column(str),
        "max_points": pa.Column(float, pa.Check.gt(0)),
        "national_mean": pa.Column(float),
        "mean_rate": pa.Column(float),
        "sd": pa.Column(float, pa.Check.ge(0)),
        "low_threshold": pa.Column(float),
        "source": pa.Column(str, pa.Check.isin(["file", "rows"])),
        "national_n": pa.Column(int, pa.Check.ge(0)),
        "national_below": pa.Column(int, pa.Check.ge(0)),
        "prefecture_n": pa.Column(int, pa.Check.ge(0)),
        "prefecture_below": pa.Column(int, pa.Check.ge(0)),
        "prefecture_below_names": pa.Column(str),
    },
    unique=["fiscal_year", "measure"],
    strict=True,
    coerce=True,
)
GOAL3_MISSED_ITEMS_SCHEMA = pa.DataFrameSchema(
    {
        **_GOAL3_KEY,
        "indicator_group": pa.Column(str),
        "indicator": pa.Column(str),
        "item": pa.Column(str),
        "kind": pa.Column(str, pa.Check.isin(["binary", "band"])),
        "max_points": pa.Column(float, pa.Check.gt(0)),
        "scoring_rate": pa.Column(float, pa.Check.between(0, 1 + TOLERANCE)),
        "scoring_rate_source": pa.Column(str, pa.Check.isin(["file", "rows"])),
    },
    unique=["fiscal_year", "municipality_code", "indicator", "item"],
    strict=True,
    coerce=True,
)


def check_points(scores: pd.DataFrame, *, file: str, sheet: str, stage: str) -> list[QAEntry]:
    """0 <= points <= max_points (else InputError: the output would be wrong) and points one of
    the allowed values of a 目標III item: a binary item (0 or its points) off its values is an
    error; a band item (activity, values to verify) is reported in the QA table."""
    bad = scores[(scores["points"] < 0) | (scores["points"] > scores["max_points"] + TOLERANCE)]
    if not bad.empty:
        r = bad.iloc[0]
        raise InputError(
            f"{len(bad)} score(s) outside 0..配点; first: {r['points']:g} > {r['max_points']:g}",
            file=file,
            sheet=sheet,
            row=int(r["src_row"]),
            column=r["src_column"],
            value=r["points"],
        )
    items = ind.goal3_items()
    qa = []
    focus = scores[(scores["fund"] == ind.FOCUS_FUND) & (scores["goal"] == "III")]
    for r in focus.itertuples():
        item = items[(r.indicator, r.item)]
        if item.max_points != r.max_points or any(np.isclose(r.points, v) for v in item.allowed):
            continue  # with a 配点 other than the data file's, only the range applies (reported already)
        allowed = "/".join(f"{v:g}" for v in sorted(item.allowed))
        if item.kind == "binary":
            raise InputError(
                f"points {r.points:g} not allowed for {r.indicator} {r.item} (allowed: {allowed})",
                file=file,
                sheet=sheet,
                row=int(r.src_row),
                column=r.src_column,
                value=r.points,
            )
        qa.append(
            QAEntry(
                stage,
                file,
                f"points not among the band values {allowed} of goal3_items.csv (verify)",
                "kept",
                sheet=sheet,
                row=int(r.src_row),
                column=r.src_column,
                value=f"{r.points:g}",
            )
        )
    return qa
