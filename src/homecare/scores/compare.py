"""The prefecture's insurers against the nation (全国比較): per measure (each goal of each fund,
the fund totals and 推進・支援合計) the insurer's score, the national mean, the prefecture
mean and the national mean of the insurer's own 区分; national and prefecture rank; the
change from the previous year; the 「著しく得点の低い」 threshold; and the 目標III items an
insurer misses although most insurers nationally score them.

- Ranks count the file's scored rows: ``1 + number of insurers with a higher score`` (ties
  share the better rank), which reproduces the file's 今年度順位.
- National mean: the file's 平均点 of the measure's column; computed from the rows when the
  file has no such column (older layouts without goal totals).
- Previous year: for 推進・支援合計 the file's own previous-year columns (R7評価指標合計得点 and
  its rank); for the other measures the previous fiscal year's file when it is among the
  inputs.
- Threshold (「著しく得点の低い」, used for the prefecture indicator 「管内に著しく得点の低い
  市町村がない」): (平均得点率 − 2 × 標準偏差 ÷ 配点) × 配点, from the file's statistics rows
  (standard deviation in points, the population SD); from the rows when the file states none.
- Missed common items: 0 points on a 目標III item whose national 該当率 (share of insurers
  scoring it, as the file states it) is at least the threshold parameter (default 0.5).
  Activity items are rank bands: missing them is a national rank matter, marked as such.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from homecare.scores import indicators as ind
from homecare.scores import totals as tot

COMPARISON_COLUMNS = [
    "fiscal_year",
    "municipality_code",
    "municipality_name",
    "measure",
    "measure_label",
    "points",
    "max_points",
    "national_mean",
    "prefecture_mean",
    "size_class",
    "size_class_mean",
    "size_class_n",
    "national_rank",
    "national_n",
    "prefecture_rank",
    "prefecture_n",
    "previous_points",
    "change_from_previous",
    "previous_rank",
    "previous_source",
    "low_threshold",
    "below_low_threshold",
]
THRESHOLD_COLUMNS = [
    "fiscal_year",
    "measure",
    "measure_label",
    "max_points",
    "national_mean",
    "mean_rate",
    "sd",
    "low_threshold",
    "source",
    "national_n",
    "national_below",
    "prefecture_n",
    "prefecture_below",
    "prefecture_below_names",
]
MISSED_COLUMNS = [
    "fiscal_year",
    "municipality_code",
    "municipality_name",
    "indicator_group",
    "indicator",
    "item",
    "kind",
    "max_points",
    "scoring_rate",
    "scoring_rate_source",
]
LABELS = {m.key: m.label for m in tot.MEASURES}


def competition_rank(values: pd.Series, among: pd.Series) -> pd.Series:
    """``1 + number of values in among that are higher`` for each value (同点は同順位)."""
    ordered = np.sort(among.to_numpy(dtype=float))
    higher = len(ordered) - np.searchsorted(ordered, values.to_numpy(dtype=float), side="right")
    return pd.Series(higher + 1, index=values.index, dtype=int)


def measure_stats(benchmark: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """Per fiscal year and measure: 配点, national mean, 平均得点率, SD and the low threshold,
    from the file's statistics of the measure's column, else from the rows."""
    rows = []
    for (fy, key), g in measures.groupby(["fiscal_year", "measure"], sort=True):
        stated = benchmark[(benchmark["fiscal_year"] == fy) & (benchmark["measure"] == key)]
        s = stated.iloc[0] if len(stated) else None
        top = float(g["max_points"].iloc[0])
        pts = g["points"].to_numpy(dtype=float)
        if s is not None and pd.notna(s["mean"]) and pd.notna(s["sd"]):
            top = float(s["max_points"]) if pd.notna(s["max_points"]) else top
            mean = float(s["mean"])
            rate = float(s["mean_rate"]) if pd.notna(s["mean_rate"]) else mean / top
            sd, source = float(s["sd"]), "file"
        else:
            mean, sd, source = float(np.mean(pts)), float(np.std(pts)), "rows"
            rate = mean / top if top else np.nan
        rows.append(
            {
                "fiscal_year": int(fy),
                "measure": key,
                "max_points": top,
                "national_mean": mean,
                "mean_rate": rate,
                "sd": sd,
                "low_threshold": (rate - 2 * sd / top) * top if top else np.nan,
                "source": source,
            }
        )
    return pd.DataFrame(rows)


def comparison(measures: pd.DataFrame, insurers: pd.DataFrame, benchmark: pd.DataFrame) -> pd.DataFrame:
    """One row per prefecture insurer, fiscal year and measure (COMPARISON_COLUMNS).

    ``measures``: national_measures of every year (fiscal_year, src_row, measure, points,
    max_points); ``insurers``: national_insurers of every year; ``benchmark``: the
    statistics table of every year."""
    df = measures.merge(
        insurers[
            [
                "fiscal_year",
                "src_row",
                "municipality_code",
                "municipality_name",
                "size_class",
                "previous_total",
                "previous_rank",
            ]
        ],
        on=["fiscal_year", "src_row"],
        how="left",
        validate="many_to_one",
    )
    stats = measure_stats(benchmark, measures).set_index(["fiscal_year", "measure"])
    parts = []
    for (fy, key), g in df.groupby(["fiscal_year", "measure"], sort=True):
        pref = g[g["municipality_code"] != ""].copy()
        if pref.empty:
            continue
        st = stats.loc[(fy, key)]
        by_class = g.groupby("size_class")["points"].agg(["mean", "size"])
        pref["measure_label"] = LABELS[key]
        pref["national_mean"] = st["national_mean"]
        pref["prefecture_mean"] = pref["points"].mean()
        pref["size_class_mean"] = pref["size_class"].map(by_class["mean"])
        pref["size_class_n"] = pref["size_class"].map(by_class["size"]).astype(int)
        pref["national_rank"] = competition_rank(pref["points"], g["points"])
        pref["national_n"] = len(g)
        pref["prefecture_rank"] = competition_rank(pref["points"], pref["points"])
        pref["prefecture_n"] = len(pref)
        pref["max_points"] = st["max_points"]
        pref["low_threshold"] = st["low_threshold"]
        pref["below_low_threshold"] = pref["points"] < st["low_threshold"]
        parts.append(pref)
    out = pd.concat(parts, ignore_index=True)
    return (
        _previous(out)[COMPARISON_COLUMNS]
        .sort_values(["fiscal_year", "measure", "municipality_code"], key=_measure_order, kind="stable")
        .reset_index(drop=True)
    )


def _measure_order(s: pd.Series) -> pd.Series:
    return s.map({k: i for i, k in enumerate(tot.MEASURE_KEYS)}) if s.name == "measure" else s


def _previous(df: pd.DataFrame) -> pd.DataFrame:
    """Previous year's points: 推進・支援合計 from the file's own previous-year columns, the
    other measures from the previous fiscal year's rows (when that file was cleaned too)."""
    earlier = df[["fiscal_year", "municipality_code", "measure", "points", "national_rank"]].assign(
        fiscal_year=lambda d: d["fiscal_year"] + 1
    )
    df = df.merge(
        earlier.rename(columns={"points": "_prev", "national_rank": "_prev_rank"}),
        on=["fiscal_year", "municipality_code", "measure"],
        how="left",
    )
    overall = df["measure"] == "合計"
    own = overall & df["previous_total"].notna()
    df["previous_points"] = np.where(own, df["previous_total"], df["_prev"])
    df["previous_rank"] = np.where(own, df["previous_rank"], df["_prev_rank"])
    df["previous_source"] = np.where(
        own, "file's previous-year column", np.where(df["_prev"].notna(), "previous year's file", "")
    )
    df["change_from_previous"] = df["points"] - df["previous_points"]
    return df.drop(columns=["_prev", "_prev_rank", "previous_total"])


def low_score_thresholds(comparison_: pd.DataFrame, measures: pd.DataFrame, benchmark: pd.DataFrame) -> pd.DataFrame:
    """Per fiscal year and measure the 「著しく得点の低い」 threshold and who falls below it:
    how many insurers nationally and which of the prefecture's (THRESHOLD_COLUMNS)."""
    stats = measure_stats(benchmark, measures)
    rows = []
    for r in stats.itertuples():
        nat = measures[(measures["fiscal_year"] == r.fiscal_year) & (measures["measure"] == r.measure)]
        pref = comparison_[(comparison_["fiscal_year"] == r.fiscal_year) & (comparison_["measure"] == r.measure)]
        below = pref[pref["below_low_threshold"]].sort_values("points")
        rows.append(
            {
                "fiscal_year": r.fiscal_year,
                "measure": r.measure,
                "measure_label": LABELS[r.measure],
                "max_points": r.max_points,
                "national_mean": r.national_mean,
                "mean_rate": r.mean_rate,
                "sd": r.sd,
                "low_threshold": r.low_threshold,
                "source": r.source,
                "national_n": len(nat),
                "national_below": int((nat["points"] < r.low_threshold).sum()),
                "prefecture_n": len(pref),
                "prefecture_below": len(below),
                "prefecture_below_names": "、".join(below["municipality_name"]),
            }
        )
    return (
        pd.DataFrame(rows, columns=THRESHOLD_COLUMNS)
        .sort_values(["fiscal_year", "measure"], key=_measure_order, kind="stable")
        .reset_index(drop=True)
    )


def missed_common_items(scores: pd.DataFrame, benchmark: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """目標III items of the 支援交付金 an insurer scores 0 on although at least ``threshold``
    (a fraction) of insurers nationally score them (MISSED_COLUMNS). The rate is the file's
    該当率; the share recomputed from the rows when the file states none."""
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be a share between 0 and 1 (0.5 = 50%), got {threshold}")
    items = benchmark[(benchmark["column_kind"] == "item") & (benchmark["fund"] == ind.FOCUS_FUND)]
    items = items[items["goal"] == "III"].copy()
    items["rate"] = items["scoring_rate"].where(items["scoring_rate"].notna(), items["scoring_rate_rows"])
    items["scoring_rate_source"] = np.where(items["scoring_rate"].notna(), "file", "rows")
    focus = scores[(scores["fund"] == ind.FOCUS_FUND) & (scores["goal"] == "III") & (scores["points"] <= 0)]
    df = focus.merge(
        items[["fiscal_year", "indicator", "item", "rate", "scoring_rate_source"]],
        on=["fiscal_year", "indicator", "item"],
        how="left",
        validate="many_to_one",
    )
    df = df[df["rate"] >= threshold - 1e-12].rename(columns={"rate": "scoring_rate"})
    kinds = {(i.indicator, i.item): i.kind for i in ind.goal3_items().values()}
    df["kind"] = [kinds.get((a, b), "") for a, b in zip(df["indicator"], df["item"], strict=True)]
    order = {(i.indicator, i.item): k for k, i in enumerate(ind.goal3_items().values())}
    df["_order"] = [order.get((a, b), len(order)) for a, b in zip(df["indicator"], df["item"], strict=True)]
    return df.sort_values(["fiscal_year", "municipality_code", "_order"], kind="stable")[MISSED_COLUMNS].reset_index(
        drop=True
    )
