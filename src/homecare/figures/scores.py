"""在宅医療・介護連携（保険者機能評価 支援交付金 目標III）の得点: map, ranked chart, change.

Input is the processed table ``goal3_summary`` (one row per insurer and fiscal year:
``fiscal_year, municipality_code, municipality_name, points, max_points, pct, rank,
change_from_previous, prefecture_mean``). Insurers are the 33 municipalities; on the
58-unit map every ward shows its city's value. Under a scheme that splits a city
(川崎北部 / 川崎南部), the city is listed once, under its first area, and marked ※.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import colors as mcolors
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from homecare.core.dates import reiwa_fiscal_year
from homecare.core.errors import ParameterError
from homecare.figures import maps, style
from homecare.figures.common import OUTLINE_COLOR, area_tag, hide_spines, insurer_areas, insurer_polygons, short_name
from homecare.reference import geo
from homecare.reference.areas import AreaScheme

SCORE_SOURCE = "厚生労働省「保険者機能強化推進交付金・介護保険保険者努力支援交付金 評価結果」"
GOAL3_LABEL = "在宅医療・介護連携（目標III）"
SCORE_CMAP = "YlOrBr"  # sequential, colour-blind safe, and unlike every area colour (outlines stay visible)
SPLIT_MARK = "※"


def select_year(summary: pd.DataFrame, fiscal_year: int) -> pd.DataFrame:
    """Rows of one fiscal year; a clear error naming the years available when there are none."""
    rows = summary[summary["fiscal_year"] == fiscal_year]
    if rows.empty:
        years = sorted(int(y) for y in summary["fiscal_year"].unique())
        raise ParameterError(f"no goal3_summary rows for fiscal year {fiscal_year}; available: {years}")
    return rows.copy()


def ordered_insurers(rows: pd.DataFrame, scheme: AreaScheme, value: str) -> pd.DataFrame:
    """Insurers of one year with their area, ordered by area (scheme order) then ``value``
    (descending, ties by code), with ``label`` (name, ※ when the city spans areas)."""
    df = rows.merge(
        insurer_areas(scheme), left_on="municipality_code", right_on="insurer_code", how="left", validate="1:1"
    )
    missing = df[df["area"].isna()]
    if not missing.empty:
        raise ParameterError(f"insurer codes not in the unit reference: {sorted(missing['municipality_code'])}")
    split = df["n_areas"] > 1
    df["label"] = df["municipality_name"].map(short_name) + np.where(split, SPLIT_MARK, "")
    df = df.sort_values(["area_order", value, "municipality_code"], ascending=[True, False, True], na_position="last")
    return df.reset_index(drop=True)


def goal3_score_table(summary: pd.DataFrame, scheme: AreaScheme, fiscal_years: list[int]) -> pd.DataFrame:
    """The table behind the score figures (目標III得点): one row per fiscal year and insurer,
    area order, Japanese headers with units."""
    parts = []
    for fy in sorted(fiscal_years):
        df = ordered_insurers(select_year(summary, fy), scheme, "points")
        parts.append(
            pd.DataFrame(
                {
                    "年度": reiwa_fiscal_year(fy),
                    f"{scheme.label}": df["areas"],
                    "保険者（区市町村）コード": df["municipality_code"],
                    "保険者名": df["municipality_name"],
                    "得点（点）": df["points"],
                    "満点（点）": df["max_points"],
                    "得点率（%）": df["pct"].round(1),
                    "県内順位（位）": df["rank"],
                    "前年度からの増減（点）": df["change_from_previous"],
                    "県平均（点）": df["prefecture_mean"].round(1),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _split_note(df: pd.DataFrame) -> str | None:
    split = df[df["label"].str.endswith(SPLIT_MARK)]
    if split.empty:
        return None
    return "、".join(
        f"{SPLIT_MARK}{short_name(r.municipality_name)}は{r.areas}の{r.n_areas}圏域にまたがる（保険者は市単位）"
        for r in split.itertuples()
    )


def _title_year(fiscal_year: int) -> str:
    return reiwa_fiscal_year(fiscal_year)


def plot_goal3_score_map(
    summary: pd.DataFrame,
    units: gpd.GeoDataFrame,
    scheme: AreaScheme,
    fiscal_year: int,
    prefectures: gpd.GeoDataFrame | None = None,
    *,
    sample: bool | None = None,
    sources: list[str] | None = None,
) -> Figure:
    """目標III得点の地図（コロプレス図）: insurers shaded by points (wards take their city's value),
    insurer borders in white, area outlines in each area's colour, every insurer labelled
    with its name and points. ``units`` from :func:`homecare.reference.geo.load_units`."""
    style.apply_style()
    rows = select_year(summary, fiscal_year)
    max_points = float(rows["max_points"].max())
    polys = maps.projected(insurer_polygons(units)).merge(
        rows[["municipality_code", "municipality_name", "points"]],
        left_on="insurer_code",
        right_on="municipality_code",
        how="left",
    )
    area_p = maps.projected(geo.dissolve_areas(units, scheme))
    fig, ax = plt.subplots(figsize=(11, 8.2))
    fig.subplots_adjust(left=0.01, right=0.86, top=0.93, bottom=0.1)
    maps.draw_context(ax, maps.padded_extent(area_p), prefectures)
    norm = mcolors.Normalize(vmin=0, vmax=max_points)
    cmap = plt.get_cmap(SCORE_CMAP)
    has = polys["points"].notna()
    polys[has].plot(ax=ax, color=[cmap(norm(v)) for v in polys.loc[has, "points"]], edgecolor="white", linewidth=0.7)
    if (~has).any():
        polys[~has].plot(ax=ax, color=style.NO_DATA_COLOR, edgecolor="white", linewidth=0.7, hatch="..")
    # each area's outline in its own colour over a thin dark line, so the area reads as in every figure
    area_p.boundary.plot(ax=ax, color=OUTLINE_COLOR, linewidth=3.4)
    for row in area_p.itertuples():
        gpd.GeoSeries([row.geometry.boundary], crs=area_p.crs).plot(ax=ax, color=row.color, linewidth=2.0)
    for row in polys.itertuples():
        geom = row.geometry
        if geom.geom_type == "MultiPolygon":
            geom = max(geom.geoms, key=lambda g: g.area)
        p = geom.representative_point()
        value = "－" if pd.isna(row.points) else f"{row.points:.0f}"
        name = short_name(str(row.municipality_name)) if isinstance(row.municipality_name, str) else row.insurer_code
        small = geom.area < 4e7  # under ~40 km²: smaller type so neighbours do not collide
        maps.label(ax, p.x, p.y, f"{name}\n{value}", size=5.5 if small else 7)
    ax.set_xlabel("")
    ax.set_ylabel("")
    sm = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    cax = fig.add_axes([0.88, 0.45, 0.018, 0.35])
    cb = fig.colorbar(sm, cax=cax)
    cb.ax.set_title(f"得点（点）\n満点{max_points:.0f}点", fontsize=9, loc="left", pad=8)  # upright, not rotated
    handles = [Line2D([0], [0], color=a.color, linewidth=3, label=a.name) for a in scheme.areas]
    fig.legend(
        handles=handles,
        title=scheme.label,
        loc="upper left",
        bbox_to_anchor=(0.865, 0.42),
        frameon=False,
        fontsize=9,
        title_fontsize=9,
    )
    df = ordered_insurers(rows, scheme, "points")
    mean = float(rows["prefecture_mean"].iloc[0])
    note = f"政令指定都市の区は市の値。県平均 {mean:.1f}点。"
    return style.finish_figure(
        fig,
        title=f"{GOAL3_LABEL}の得点（{_title_year(fiscal_year)}）",
        sources=sources or [SCORE_SOURCE, geo.boundary_credit()],
        sample=sample,
        caption=f"{_title_year(fiscal_year)}の{GOAL3_LABEL}の保険者別得点（満点{max_points:.0f}点）と{scheme.label}の境界",
        note=note + (_split_note(df) or ""),
    )


def _grouped_axis(ax: Axes, df: pd.DataFrame, scheme: AreaScheme) -> np.ndarray:
    """Lay insurers out top to bottom in area groups with a gap between groups, a light band in
    each area's colour and the area name in a column left of the insurer names; returns the
    y position of each row."""
    y, pos, previous = 0.0, [], None
    for area in df["area"]:
        if previous is not None and area != previous:
            y += 0.8
        pos.append(y)
        y += 1.0
        previous = area
    ys = np.array(pos)
    for area, idx in df.groupby("area", sort=False).groups.items():
        top, bottom = ys[idx].min() - 0.5, ys[idx].max() + 0.5
        ax.axhspan(top, bottom, color=scheme.colors[area], alpha=0.10, linewidth=0)
        area_tag(ax, area, scheme.colors[area], (0, (top + bottom) / 2), ax.get_yaxis_transform(), (-66, 0))
    ax.set_yticks(ys, df["label"], fontsize=8.5)
    ax.set_ylim(ys.max() + 0.8, ys.min() - 0.8)
    ax.grid(axis="y", visible=False)
    return ys


def _grouped_chart(df: pd.DataFrame, scheme: AreaScheme) -> tuple[Figure, Axes, np.ndarray]:
    """The figure, axes and row positions shared by the ranked and the change chart."""
    fig, ax = plt.subplots(figsize=(12, 9.6))
    fig.subplots_adjust(left=0.2, right=0.96, top=0.9, bottom=0.11)
    ys = _grouped_axis(ax, df, scheme)
    hide_spines(ax)
    return fig, ax, ys


def _finish_scores(
    fig: Figure,
    df: pd.DataFrame,
    *,
    title: str,
    caption: str,
    note: str,
    sample: bool | None,
    sources: list[str] | None,
) -> Figure:
    return style.finish_figure(
        fig,
        title=title,
        sources=sources or [SCORE_SOURCE],
        sample=sample,
        caption=caption,
        note=note + (_split_note(df) or ""),
    )


def plot_goal3_score_rank(
    summary: pd.DataFrame,
    scheme: AreaScheme,
    fiscal_year: int,
    *,
    sample: bool | None = None,
    sources: list[str] | None = None,
) -> Figure:
    """目標III得点の順位（圏域別）: one dot per insurer in its area's colour, grouped by area and
    sorted by points, the previous year as a grey ring joined to this year's dot, and the
    prefecture mean as a dashed line."""
    style.apply_style()
    rows = select_year(summary, fiscal_year)
    df = ordered_insurers(rows, scheme, "points")
    max_points = float(rows["max_points"].max())
    fig, ax, ys = _grouped_chart(df, scheme)
    prev = df["points"] - df["change_from_previous"]
    has_prev = prev.notna()
    for y, p0, p1 in zip(ys[has_prev.to_numpy()], prev[has_prev], df.loc[has_prev, "points"], strict=True):
        ax.plot([p0, p1], [y, y], color="#AAAAAA", linewidth=1.2, zorder=2)
    ax.scatter(
        prev[has_prev], ys[has_prev.to_numpy()], s=34, facecolor="white", edgecolor="#888888", linewidth=1.2, zorder=3
    )
    ax.scatter(
        df["points"], ys, s=48, color=df["area"].map(scheme.colors), edgecolor=OUTLINE_COLOR, linewidth=0.5, zorder=4
    )
    for y, v in zip(ys, df["points"], strict=True):
        ax.text(max_points * 1.005, y, f"{v:.0f}", va="center", ha="left", fontsize=8.5)
    mean = float(rows["prefecture_mean"].iloc[0])
    ax.axvline(mean, color="#444444", linestyle="--", linewidth=1.2, zorder=1)
    ax.annotate(
        f"県平均 {mean:.1f}点",
        xy=(mean, 1),
        xycoords=ax.get_xaxis_transform(),
        xytext=(0, 3),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=9.5,
    )
    ax.set_xlim(0, max_points * 1.06)
    ax.set_xlabel(f"得点（点、満点{max_points:.0f}点）。右端の数字は{_title_year(fiscal_year)}の得点")
    handles = [
        Line2D(
            [0],
            [0],
            marker="o",
            linestyle="",
            markerfacecolor="#777777",
            markeredgecolor=OUTLINE_COLOR,
            markersize=7,
            label=_title_year(fiscal_year),
        )
    ]
    if has_prev.any():
        handles.append(
            Line2D(
                [0],
                [0],
                marker="o",
                linestyle="",
                markerfacecolor="white",
                markeredgecolor="#888888",
                markersize=6,
                label=_title_year(fiscal_year - 1),
            )
        )
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.01), ncol=2, frameon=False, fontsize=9.5)
    return _finish_scores(
        fig,
        df,
        title=f"{GOAL3_LABEL}の得点（{_title_year(fiscal_year)}）",
        caption=f"{scheme.label}ごとの保険者別得点（{_title_year(fiscal_year)}）と前年度、県平均",
        note="点の色は圏域。圏域内は得点の高い順。",
        sample=sample,
        sources=sources,
    )


def plot_goal3_score_change(
    summary: pd.DataFrame,
    scheme: AreaScheme,
    fiscal_year: int,
    *,
    sample: bool | None = None,
    sources: list[str] | None = None,
) -> Figure:
    """目標III得点の前年度からの増減: one bar per insurer (points gained or lost since the previous
    fiscal year) in its area's colour, grouped by area, labelled with the change."""
    style.apply_style()
    rows = select_year(summary, fiscal_year)
    if rows["change_from_previous"].isna().all():
        raise ParameterError(
            f"no change_from_previous for fiscal year {fiscal_year}: it is the first year of the series"
        )
    df = ordered_insurers(rows, scheme, "change_from_previous")
    fig, ax, ys = _grouped_chart(df, scheme)
    change = df["change_from_previous"]
    ax.barh(
        ys, change.fillna(0), color=df["area"].map(scheme.colors), edgecolor=OUTLINE_COLOR, linewidth=0.4, height=0.72
    )
    span = float(np.nanmax(np.abs(change))) or 1.0
    for y, v in zip(ys, change, strict=True):
        if pd.isna(v):
            ax.text(0, y, " 前年度なし", va="center", ha="left", fontsize=8, color=style.MUTED_COLOR)
        else:
            ax.text(
                v + (span * 0.02 if v >= 0 else -span * 0.02),
                y,
                f"{v:+.0f}",
                va="center",
                ha="left" if v >= 0 else "right",
                fontsize=8.5,
            )
    ax.axvline(0, color=OUTLINE_COLOR, linewidth=0.9)
    ax.set_xlim(-span * 1.2, span * 1.2)
    ax.set_xlabel(f"{_title_year(fiscal_year - 1)}からの増減（点）")
    return _finish_scores(
        fig,
        df,
        title=f"{GOAL3_LABEL}得点の増減（{_title_year(fiscal_year - 1)}→{_title_year(fiscal_year)}）",
        caption=f"保険者別の得点の前年度からの増減（{_title_year(fiscal_year)}、{scheme.label}別）",
        note="棒の色は圏域。圏域内は増加の大きい順。",
        sample=sample,
        sources=sources,
    )
