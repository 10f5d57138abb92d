"""目標III (在宅医療・介護連携) per municipality: points by indicator, total, 得点率, rank
within the prefecture, change from the previous year, prefecture mean.
Terms: docs/glossary.md."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from homecare.core.errors import ParameterError
from homecare.scores import indicators as ind

KEY = ["fiscal_year", "municipality_code", "municipality_name"]


def goal3_by_indicator(scores: pd.DataFrame, benchmark: pd.DataFrame | None = None, goal: str = "III") -> pd.DataFrame:
    """One row per municipality x year x indicator of 支援交付金 目標III (five indicators), with
    the national mean of the indicator (全国平均: the sum of its items' 平均点 as the file states
    them, else as the rows give them; NaN without a ``benchmark``)."""
    focus = scores[(scores["fund"] == ind.FOCUS_FUND) & (scores["goal"] == goal)]
    out = focus.groupby(KEY + ["indicator_group", "indicator"], sort=False, as_index=False)[
        ["points", "max_points"]
    ].sum(min_count=1)
    out["national_mean"] = float("nan")
    if benchmark is not None and len(benchmark):
        items = benchmark[
            (benchmark["column_kind"] == "item") & (benchmark["fund"] == ind.FOCUS_FUND) & (benchmark["goal"] == goal)
        ]
        mean = items["mean"].where(items["mean"].notna(), items["mean_rows"])
        national = mean.groupby([items["fiscal_year"], items["indicator"]]).sum(min_count=1)
        out["national_mean"] = [
            national.get((fy, i), float("nan")) for fy, i in zip(out["fiscal_year"], out["indicator"], strict=True)
        ]
    order = {name: k for k, name in enumerate(dict.fromkeys(ind.load_goal3_items()["indicator"]))}
    out["_order"] = out["indicator"].map(order)
    return (
        out.sort_values(["fiscal_year", "municipality_code", "_order"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def goal3_summary(
    by_indicator: pd.DataFrame,
    national_means: Mapping[int, float] | None = None,
    file_totals: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Total 目標III points per municipality and year with 得点率 (0-100), rank within the
    prefecture (1 = best, ties share the better rank), change from the previous fiscal year
    (NaN when that year is absent), the prefecture mean and the national mean of the year
    (``national_means``: fiscal year -> 全国平均 of 支援 目標III; NaN when not given).

    The total is the file's own 目標III total (``Ⅲ合計``) when ``file_totals`` gives it
    (``fiscal_year, municipality_code, points``), else the sum of the indicators: a file
    whose 合計 differs from its items is reported in the QA table and the published total
    stays the file's."""
    out = by_indicator.groupby(KEY, as_index=False)[["points", "max_points"]].sum()
    if file_totals is not None and len(file_totals):
        given = file_totals.set_index(["fiscal_year", "municipality_code"])["points"]
        stated = pd.Series(list(zip(out["fiscal_year"], out["municipality_code"], strict=True))).map(given)
        out["points"] = stated.where(stated.notna(), out["points"]).to_numpy(dtype=float)
    out["pct"] = 100 * out["points"] / out["max_points"]
    out["rank"] = out.groupby("fiscal_year")["points"].rank(method="min", ascending=False).astype(int)
    prev = out[["fiscal_year", "municipality_code", "points"]].assign(fiscal_year=lambda d: d["fiscal_year"] + 1)
    out = out.merge(prev.rename(columns={"points": "_prev"}), on=["fiscal_year", "municipality_code"], how="left")
    out["change_from_previous"] = (out["points"] - out["_prev"]).astype(float)
    out["prefecture_mean"] = out.groupby("fiscal_year")["points"].transform("mean")
    out["national_mean"] = out["fiscal_year"].map(dict(national_means or {})).astype(float)
    return out.drop(columns="_prev").sort_values(["fiscal_year", "municipality_code"]).reset_index(drop=True)


def group_points(by_indicator: pd.DataFrame) -> pd.DataFrame:
    """Points per 指標群 (体制・取組 / 活動) as columns, per municipality and year."""
    wide = by_indicator.pivot_table(index=KEY, columns="indicator_group", values="points", aggfunc="sum", sort=False)
    groups = list(dict.fromkeys(ind.load_goal3_items()["indicator_group"]))
    return wide.reindex(columns=groups).reset_index()


def published_summary(
    summary: pd.DataFrame, by_indicator: pd.DataFrame, fiscal_year_label: Callable[[int], str]
) -> pd.DataFrame:
    """Japanese headers with units for the published table and workbook."""
    groups = group_points(by_indicator)
    df = summary.merge(groups, on=KEY, how="left")
    out = pd.DataFrame(
        {
            "年度": df["fiscal_year"].map(fiscal_year_label),
            "市町村コード": df["municipality_code"],
            "市町村名": df["municipality_name"],
            "目標III得点（点）": df["points"],
            "配点（点）": df["max_points"],
            "得点率（％）": df["pct"].round(1),
            **{f"{g}（点）": df[g] for g in groups.columns if g not in KEY},
            "県内順位（位）": df["rank"],
            "前年度差（点）": df["change_from_previous"],
            "県平均（点）": df["prefecture_mean"].round(1),
            "全国平均（点）": df["national_mean"].round(1),
        }
    )
    return out


def published_by_indicator(by_indicator: pd.DataFrame, fiscal_year_label: Callable[[int], str]) -> pd.DataFrame:
    """目標III points per indicator, Japanese headers with units."""
    return pd.DataFrame(
        {
            "年度": by_indicator["fiscal_year"].map(fiscal_year_label),
            "市町村コード": by_indicator["municipality_code"],
            "市町村名": by_indicator["municipality_name"],
            "指標群": by_indicator["indicator_group"],
            "指標": by_indicator["indicator"],
            "得点（点）": by_indicator["points"],
            "配点（点）": by_indicator["max_points"],
            "全国平均（点）": by_indicator["national_mean"].round(2),
        }
    )


def goal_overview(scores: pd.DataFrame, goal: str) -> pd.DataFrame:
    """Prefecture view of one goal (目標) per fund and indicator: mean points of the
    municipalities, 配点 and mean 得点率 (%), per fiscal year. ``goal`` as III, Ⅲ or 3."""
    roman = ind.goal_of(f"目標{goal}")
    if roman is None:
        raise ParameterError(f"focus goal {goal!r}: expected one of {', '.join(ind.GOALS)}")
    focus = scores[scores["goal"] == roman]
    out = focus.groupby(["fiscal_year", "fund", "indicator_group", "indicator", "municipality_code"], sort=False)[
        ["points", "max_points"]
    ].sum()
    out = out.groupby(level=[0, 1, 2, 3], sort=False).mean().reset_index()
    out["pct"] = 100 * out["points"] / out["max_points"]
    return out.sort_values(["fiscal_year", "fund"], kind="stable").reset_index(drop=True)
