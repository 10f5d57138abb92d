"""目標III 指標別の得点率（指標プロファイル）: heatmap per area or per insurer.

Input is the processed table ``goal3_by_indicator`` (``fiscal_year, municipality_code,
municipality_name, indicator_group, indicator, points, max_points``). The share of points
achieved (得点率) in an area is the sum of its insurers' points over the sum of their
maximum points, so every insurer weighs the same; an insurer spanning two areas (川崎市 in
the 二次保健医療圏) counts in both.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import colors as mcolors
from matplotlib.figure import Figure

from homecare.core.dates import reiwa_fiscal_year
from homecare.core.errors import ParameterError
from homecare.figures import style
from homecare.figures.common import area_tag, insurer_area_pairs, insurer_areas, short_name, text_color_on
from homecare.figures.scores import GOAL3_LABEL, SCORE_CMAP, SCORE_SOURCE, SPLIT_MARK, select_year
from homecare.reference.areas import AreaScheme

INDICATOR_SHORT = {  # labels that fit a heatmap column; unknown indicators keep their full name
    "在宅医療・介護連携に関する課題・対応策の検討": "課題・対応策\nの検討",
    "在宅医療・介護連携の具体的取組状況": "具体的\n取組状況",
    "医療・介護関係者間の情報共有": "関係者間の\n情報共有",
    "入退院支援の実施状況": "入退院支援",
    "人生の最終段階における支援の実施状況": "人生の最終段階\nにおける支援",
}
LEVELS = ("area", "municipality")


def _indicator_order(rows: pd.DataFrame) -> pd.DataFrame:
    """Indicators in first-seen order with their group and maximum points per insurer
    (``rows`` are insurer rows, not area sums)."""
    first = rows.drop_duplicates("indicator")[["indicator_group", "indicator"]]
    max_pts = rows.groupby("indicator", sort=False)["max_points"].max()
    return first.assign(max_points=first["indicator"].map(max_pts)).reset_index(drop=True)


def indicator_shares(
    by_indicator: pd.DataFrame, scheme: AreaScheme, fiscal_year: int, level: str = "area"
) -> pd.DataFrame:
    """Share of points achieved (得点率, %) per row (area or insurer) and indicator, long form:
    ``row, area, area_order, indicator_group, indicator, points, max_points, share``."""
    if level not in LEVELS:
        raise ParameterError(f"level must be one of {LEVELS}, got {level!r}")
    rows = select_year(by_indicator, fiscal_year)
    if level == "area":
        pairs = insurer_area_pairs(scheme)
        df = rows.merge(pairs, left_on="municipality_code", right_on="insurer_code", how="inner", validate="m:m")
        out = df.groupby(["area", "area_order", "indicator_group", "indicator"], as_index=False, sort=False)[
            ["points", "max_points"]
        ].sum()
        out["row"] = out["area"]
        out["n_insurers"] = out["area"].map(pairs.groupby("area")["insurer_code"].nunique())
    else:
        areas = insurer_areas(scheme)
        df = rows.merge(areas, left_on="municipality_code", right_on="insurer_code", how="inner", validate="m:1")
        out = df.copy()
        out["row"] = out["municipality_name"].map(short_name) + np.where(out["n_areas"] > 1, SPLIT_MARK, "")
    out["share"] = out["points"] / out["max_points"] * 100
    return out


def indicator_profile_table(
    by_indicator: pd.DataFrame, scheme: AreaScheme, fiscal_year: int, level: str = "area"
) -> pd.DataFrame:
    """The table behind the profile heatmap: one row per area (or insurer), one 得点率（%）
    column per indicator, plus the total; Japanese headers with units."""
    long = indicator_shares(by_indicator, scheme, fiscal_year, level)
    order = _indicator_order(select_year(by_indicator, fiscal_year))
    wide = long.pivot_table(index=["area_order", "row"], columns="indicator", values="share", sort=True)
    totals = long.groupby(["area_order", "row"])[["points", "max_points"]].sum()
    out = pd.DataFrame({"年度": reiwa_fiscal_year(fiscal_year)}, index=wide.index)
    out[scheme.label if level == "area" else "保険者名"] = wide.index.get_level_values("row")
    for r in order.itertuples():
        out[f"{r.indicator}（満点{r.max_points:.0f}点）得点率（%）"] = wide[r.indicator].round(1)
    out["目標III 計 得点率（%）"] = (totals["points"] / totals["max_points"] * 100).round(1)
    return out.reset_index(drop=True)


def plot_indicator_profile(
    by_indicator: pd.DataFrame,
    scheme: AreaScheme,
    fiscal_year: int,
    *,
    level: str = "area",
    sample: bool | None = None,
    sources: list[str] | None = None,
) -> Figure:
    """目標III 指標別得点率のヒートマップ: rows are areas (``level="area"``) or insurers grouped by
    area (``level="municipality"``), columns the five indicators under their indicator group,
    each cell the share of points achieved (%), written in the cell."""
    style.apply_style()
    long = indicator_shares(by_indicator, scheme, fiscal_year, level)
    order = _indicator_order(select_year(by_indicator, fiscal_year))  # per-insurer maximum points
    row_order = long.drop_duplicates("row").sort_values(
        ["area_order", "row"] if level == "municipality" else ["area_order"]
    )
    if level == "municipality":  # insurers by area, then by total share descending
        tot = long.groupby("row")[["points", "max_points"]].sum()
        row_order = row_order.assign(total=row_order["row"].map(tot["points"] / tot["max_points"]))
        row_order = row_order.sort_values(["area_order", "total", "row"], ascending=[True, False, True])
    rows_ = list(row_order["row"])
    grid = long.pivot_table(index="row", columns="indicator", values="share").loc[rows_, list(order["indicator"])]
    n_rows, n_cols = grid.shape
    height = 4.2 + 0.34 * n_rows if level == "municipality" else 6.6
    fig, ax = plt.subplots(figsize=(11, height))
    top_in, bottom_in = 1.65, 0.95  # inches kept for title/group headers and the 出典 lines
    fig.subplots_adjust(
        left=0.26 if level == "municipality" else 0.2, right=0.8, top=1 - top_in / height, bottom=bottom_in / height
    )
    norm = mcolors.Normalize(vmin=0, vmax=100)
    cmap = plt.get_cmap(SCORE_CMAP)
    ax.imshow(grid.to_numpy(dtype=float), cmap=cmap, norm=norm, aspect="auto")
    for i in range(n_rows):
        for j in range(n_cols):
            v = grid.iat[i, j]
            if pd.notna(v):
                ax.text(
                    j,
                    i,
                    f"{v:.0f}%",
                    ha="center",
                    va="center",
                    fontsize=9 if level == "municipality" else 11,
                    color=text_color_on(mcolors.to_hex(cmap(norm(v)))),
                )
    ax.set_xticks(
        range(n_cols),
        [
            f"{INDICATOR_SHORT.get(ind, ind)}\n（{mx:.0f}点）"
            for ind, mx in zip(order["indicator"], order["max_points"], strict=True)
        ],
        fontsize=9.5,
    )
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", length=0, pad=4)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    # indicator group headers (体制・取組指標群 / 活動指標群) above the columns
    for group, idx in order.groupby("indicator_group", sort=False).groups.items():
        lo, hi = min(idx), max(idx)
        ax.annotate(
            group,
            xy=((lo + hi) / 2, 1),
            xycoords=("data", "axes fraction"),
            xytext=(0, 58),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=10.5,
        )
        ax.annotate(
            "",
            xy=(lo - 0.45, 1),
            xytext=(hi + 0.45, 1),
            xycoords=("data", "axes fraction"),
            textcoords=("data", "axes fraction"),
            arrowprops={"arrowstyle": "-", "color": "#666666"},
        )
    if level == "area":
        ax.set_yticks(range(n_rows), [""] * n_rows)
        for i, r in enumerate(row_order.itertuples()):
            area_tag(ax, r.area, scheme.colors[r.area], (0, i), ax.get_yaxis_transform(), (-8, 0))
        counts = long.drop_duplicates("row").set_index("row")["n_insurers"]
        for i, name in enumerate(rows_):
            ax.annotate(
                f"{int(counts[name])}保険者",
                xy=(1, i),
                xycoords=ax.get_yaxis_transform(),
                xytext=(6, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=8.5,
                color=style.MUTED_COLOR,
            )
    else:
        ax.set_yticks(range(n_rows), rows_, fontsize=9)
        areas_of = row_order.reset_index(drop=True)
        for area, idx in areas_of.groupby("area", sort=False).groups.items():
            lo, hi = min(idx), max(idx)
            area_tag(ax, area, scheme.colors[area], (0, (lo + hi) / 2), ax.get_yaxis_transform(), (-62, 0))
            if lo > 0:
                ax.axhline(lo - 0.5, color="white", linewidth=3)
    cax = fig.add_axes([0.9, 1 - top_in / height - 0.45, 0.018, 0.4])
    cb = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), cax=cax)
    cb.ax.set_title("得点率（%）", fontsize=9, loc="left", pad=8)
    what = scheme.label if level == "area" else "保険者"
    note = "得点率＝得点の合計÷満点の合計（保険者を同じ重みで合計）。" + (
        "市単位の保険者が複数の圏域にまたがる場合は各圏域に含める。" if level == "area" else ""
    )
    if level == "municipality" and long["n_areas"].gt(1).any():
        note += f"{SPLIT_MARK}は複数の圏域にまたがる保険者（最初の圏域に表示）。"
    return style.finish_figure(
        fig,
        title=f"目標III 指標別得点率（{reiwa_fiscal_year(fiscal_year)}・{what}別）",
        sources=sources or [SCORE_SOURCE],
        sample=sample,
        caption=f"{GOAL3_LABEL}の5指標の得点率、{what}別（{reiwa_fiscal_year(fiscal_year)}）",
        note=note,
    )
