"""Validation of cleaned insurer scores (保険者機能評価): pandera schemas and the checks that
need the file's context (allowed points per item, the file's own subtotal/total columns).
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
        "max_points": pa.Column(float, pa.Check.ge(0), nullable=True),  # NaN only without a 配点 row
    },
    checks=[
        pa.Check(
            lambda d: d["max_points"].isna() | (d["points"] <= d["max_points"] + TOLERANCE),
            error="points <= max_points",
        )
    ],
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
    },
    unique=["fiscal_year", "municipality_code"],
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


def check_totals(scores: pd.DataFrame, totals: pd.DataFrame, *, file: str, sheet: str, stage: str) -> list[QAEntry]:
    """Compare the sum of items with the file's own 推進合計/支援合計 (and 目標/指標群 subtotals): each
    difference is reported; a blank total is reported too."""
    qa = []
    for t in totals.itertuples():
        sel = scores["src_row"] == t.src_row
        if _given(t.fund):
            sel &= scores["fund"] == t.fund
        else:  # an overall total counts a shared 目標IV column once
            sel &= ~scores.duplicated(subset=["src_row", "src_index"])
        for key in ("goal", "indicator_group"):
            if _given(getattr(t, key)):
                sel &= scores[key] == getattr(t, key)
        expected = float(scores.loc[sel, "points"].sum())
        if t.value is None or pd.isna(t.value):
            qa.append(
                QAEntry(
                    stage,
                    file,
                    f"total column blank; sum of items is {expected:g}",
                    "reported",
                    sheet=sheet,
                    row=int(t.src_row),
                    column=t.src_column,
                )
            )
        elif abs(expected - t.value) > TOLERANCE:
            qa.append(
                QAEntry(
                    stage,
                    file,
                    f"sum of items {expected:g} differs from the file's total {t.value:g} by {expected - t.value:+g}",
                    "reported",
                    sheet=sheet,
                    row=int(t.src_row),
                    column=t.src_column,
                    value=f"{t.value:g}",
                )
            )
    return qa


def _given(value: object) -> bool:
    """A total's fund/goal/group is set (None, NaN and "" mean: not restricted)."""
    return isinstance(value, str) and bool(value)
