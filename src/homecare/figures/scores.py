"""保険者機能評価の得点の図: 目標III（在宅医療・介護連携）の地図・順位・増減, the comparison of
each insurer with the national, prefecture and size-class means, and the national
distribution of a score with the 「著しく得点の低い」 threshold.

Inputs are processed tables of stage 01: ``goal3_summary`` (one row per insurer and fiscal
year: ``points, max_points, pct, rank, change_from_previous, prefecture_mean,
national_mean``), ``score_comparison`` (per insurer and measure) and ``national_measures``
(every insurer of the nation). Every figure shows 全国平均 and 県平均. Insurers are the 33
municipalities, each shown once: on the 58-unit map every ward shows its city's value, and
under a scheme that splits a city (川崎北部 / 川崎南部) the city is listed once, under its
first area, and marked ※. Terms: docs/glossary.md.
"""

from __future__ import annotations

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from homecare.core.dates import reiwa_fiscal_year
from homecare.core.errors import ParameterError
from homecare.figures import classes, map_labels, maps, style
from homecare.figures.common import OUTLINE_COLOR, area_tag, hide_spines, insurer_areas, insurer_polygons, short_name
from homecare.reference import geo
from homecare.reference.areas import AreaScheme

SCORE_SOURCE = "厚生労働省「保険者機能強化推進交付金・介護保険保険者努力支援交付金 評価結果」"
GOAL3_LABEL = "在宅医療・介護連携（目標III）"
SCORE_CMAP = "YlOrBr"  # sequential, colour-blind safe, and unlike every area colour (outlines stay visible)
SPLIT_MARK = "※"
NATIONAL_COLOR = "#1F4E79"  # 全国平均: dark blue, dash-dot
PREFECTURE_COLOR = "#444444"  # 県平均: dark grey, dashed
THRESHOLD_COLOR = "#C00000"  # 著しく低い水準
MEAN_STYLES = {"national": (NATIONAL_COLOR, "-."), "prefecture": (PREFECTURE_COLOR, "--")}
GROUP_GAP = 0.5  # rows of space between the areas of a grouped chart (33 insurers on one slide)


def marker_handle(
    label: str, *, marker: str = "o", face: str = "#777777", edge: str = OUTLINE_COLOR, size: float = 7
) -> Line2D:
    """A legend entry for a kind of dot (this year, the previous year, a mean)."""
    return Line2D(
        [0], [0], marker=marker, linestyle="", markerfacecolor=face, markeredgecolor=edge, markersize=size, label=label
    )


def mean_lines(ax: Axes, national: float | None, prefecture: float, *, unit: str = "点", fmt: str = ".1f") -> list:
    """Vertical lines at the national (全国平均) and prefecture (県平均) mean; returns legend handles."""
    handles = []
    for key, value, label in (("national", national, "全国平均"), ("prefecture", prefecture, "県平均")):
        if value is None or pd.isna(value):
            continue
        color, dash = MEAN_STYLES[key]
        ax.axvline(value, color=color, linestyle=dash, linewidth=1.4, zorder=1)
        handles.append(
            Line2D([0], [0], color=color, linestyle=dash, linewidth=1.4, label=f"{label} {value:{fmt}}{unit}")
        )
    return handles


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
                    "全国平均（点）": df["national_mean"].round(1),
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


def _means(rows: pd.DataFrame) -> dict[str, float]:
    """全国平均 and 県平均 of one year's goal3_summary rows (NaN when unknown)."""
    national = rows["national_mean"].iloc[0] if "national_mean" in rows else float("nan")
    return {"national": float(national), "prefecture": float(rows["prefecture_mean"].iloc[0])}


def _means_text(means: dict[str, float]) -> str:
    nat = "全国平均 不明" if pd.isna(means["national"]) else f"全国平均 {means['national']:.1f}点"
    return f"{nat}、県平均 {means['prefecture']:.1f}点"


def _title_year(fiscal_year: int) -> str:
    return reiwa_fiscal_year(fiscal_year)


def score_classes(summary: pd.DataFrame) -> classes.Classes:
    """The colour classes of the 目標III score maps: every fiscal year of ``summary`` pooled, so
    that one score has one colour in every year's map (0 to 満点, :mod:`homecare.figures.classes`)."""
    return classes.nice_classes(
        summary["points"], cmap=SCORE_CMAP, lower=0.0, upper=float(summary["max_points"].max()), unit="点"
    )


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
    """目標III得点の地図（階級区分図）: insurers filled by the class of their points (five classes,
    one scale for every fiscal year: :func:`score_classes`; wards take their city's value),
    insurer borders thin and white, area borders in one dark line, every insurer labelled with
    its name and points (moved out with a leader line where it does not fit), 全国平均 and 県平均
    in the legend. ``units`` from :func:`homecare.reference.geo.load_units`."""
    style.apply_style()
    rows = select_year(summary, fiscal_year)
    max_points = float(rows["max_points"].max())
    scale = score_classes(summary)
    polys = maps.projected(insurer_polygons(units)).merge(
        rows[["municipality_code", "municipality_name", "points"]],
        left_on="insurer_code",
        right_on="municipality_code",
        how="left",
    )
    area_p = maps.projected(geo.dissolve_areas(units, scheme))
    fig = plt.figure(figsize=style.SLIDE_AREA_IN)
    ax = fig.add_axes([0.005, 0.115, 0.75, 0.8])
    maps.draw_context(ax, maps.padded_extent(area_p, pad=0.05), prefectures)
    maps.draw_classed(ax, polys, polys["points"], scale, missing=style.NO_DATA_COLOR)
    maps.draw_area_outlines(ax, area_p, linewidth=1.6)
    style.declare_panel(ax, f"{GOAL3_LABEL}の得点", classes=scale)
    labels = []
    for row in polys.itertuples():
        value = "－" if pd.isna(row.points) else f"{row.points:.0f}"
        name = short_name(str(row.municipality_name)) if isinstance(row.municipality_name, str) else row.insurer_code
        labels.append(map_labels.MapLabel(row.insurer_code, f"{name}\n{value}", row.geometry, f"{name} {value}"))
    map_labels.place_labels(ax, labels)
    maps.tidy_axes(ax)
    means = _means(rows)
    blank = Patch(facecolor="none", edgecolor="none")
    mean_entries = [
        (blank, f"{'全国平均' if key == 'national' else '県平均'} {value:.1f}点（{scale.label_of(value)}点の階級）")
        for key, value in means.items()
        if pd.notna(value)
    ]
    handles = [
        *scale.handles(no_data=style.NO_DATA_COLOR if polys["points"].isna().any() else None),
        Line2D([0], [0], color=maps.AREA_EDGE, linewidth=1.6, label=f"{scheme.label}の境界"),
        *[h for h, _ in mean_entries],
    ]
    texts = [h.get_label() for h in handles[: len(handles) - len(mean_entries)]] + [t for _, t in mean_entries]
    fig.legend(
        handles=handles,
        labels=texts,
        title=f"得点（満点{max_points:.0f}点）",
        loc="upper left",
        bbox_to_anchor=(0.755, 0.9),
        frameon=False,
        fontsize=10,
        title_fontsize=10.5,
        alignment="left",
        handlelength=1.6,
    )
    df = ordered_insurers(rows, scheme, "points")
    note = f"政令指定都市の区は市の値。{_means_text(means)}。{classes.METHOD_NOTE}（年度共通）。"
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
            y += GROUP_GAP
        pos.append(y)
        y += 1.0
        previous = area
    ys = np.array(pos)
    for area, (top, bottom) in _area_bands(ax, df, ys, scheme).items():
        area_tag(ax, area, scheme.colors[area], (0, (top + bottom) / 2), ax.get_yaxis_transform(), (-62, 0), size=9)
    ax.set_yticks(ys, df["label"], fontsize=8.5)
    ax.set_ylim(ys.max() + 0.7, ys.min() - 0.7)
    ax.grid(axis="y", visible=False)
    return ys


def _area_bands(ax: Axes, df: pd.DataFrame, ys: np.ndarray, scheme: AreaScheme) -> dict[str, tuple[float, float]]:
    """A light band in each area's colour behind its insurers; returns each area's extent."""
    out = {}
    for area, idx in df.groupby("area", sort=False).groups.items():
        top, bottom = ys[idx].min() - 0.5, ys[idx].max() + 0.5
        ax.axhspan(top, bottom, color=scheme.colors[area], alpha=0.10, linewidth=0)
        out[area] = (top, bottom)
    return out


def _grouped_chart(df: pd.DataFrame, scheme: AreaScheme) -> tuple[Figure, Axes, np.ndarray]:
    """The figure, axes and row positions shared by the ranked and the change chart."""
    fig, ax = plt.subplots(figsize=style.SLIDE_AREA_IN)
    fig.subplots_adjust(left=0.165, right=0.97, top=0.875, bottom=0.135)
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
    means = _means(rows)
    mean_handles = mean_lines(ax, means["national"], means["prefecture"])
    ax.set_xlim(0, max_points * 1.06)
    ax.set_xlabel(f"得点（点、満点{max_points:.0f}点）。右端の数字は{_title_year(fiscal_year)}の得点")
    handles = [marker_handle(_title_year(fiscal_year))]
    if has_prev.any():
        handles.append(marker_handle(_title_year(fiscal_year - 1), face="white", edge="#888888", size=6))
    ax.legend(
        handles=handles + mean_handles,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.01),
        ncol=4,
        frameon=False,
        fontsize=9.5,
    )
    return _finish_scores(
        fig,
        df,
        title=f"{GOAL3_LABEL}の得点：保険者の順位（{_title_year(fiscal_year)}）",
        caption=f"{scheme.label}ごとの保険者別得点（{_title_year(fiscal_year)}）と前年度、全国平均、県平均",
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
    before = summary[summary["fiscal_year"] == fiscal_year - 1]
    now, prev = _means(rows), (_means(before) if len(before) else {"national": np.nan, "prefecture": np.nan})
    handles = mean_lines(ax, now["national"] - prev["national"], now["prefecture"] - prev["prefecture"], fmt="+.1f")
    for h in handles:
        h.set_label(h.get_label().replace("平均", "平均の増減"))
    if handles:
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.01), ncol=2, frameon=False, fontsize=9.5)
    return _finish_scores(
        fig,
        df,
        title=f"{GOAL3_LABEL}得点の増減（{_title_year(fiscal_year - 1)}→{_title_year(fiscal_year)}）",
        caption=f"保険者別の得点の前年度からの増減（{_title_year(fiscal_year)}、{scheme.label}別）",
        note="棒の色は圏域。圏域内は増加の大きい順。",
        sample=sample,
        sources=sources,
    )


def _select(frame: pd.DataFrame, fiscal_year: int, measure: str, what: str) -> pd.DataFrame:
    rows = frame[(frame["fiscal_year"] == fiscal_year) & (frame["measure"] == measure)]
    if rows.empty:
        have = sorted({(int(y), m) for y, m in zip(frame["fiscal_year"], frame["measure"], strict=True)})
        raise ParameterError(f"no {what} rows for fiscal year {fiscal_year} and measure {measure!r}; available: {have}")
    return rows.copy()


def plot_score_comparison(
    comparison: pd.DataFrame,
    scheme: AreaScheme,
    fiscal_year: int,
    measures: tuple[str, ...] = ("支援III", "合計"),
    *,
    sample: bool | None = None,
    sources: list[str] | None = None,
) -> Figure:
    """各保険者の得点と全国・県・同規模の平均: one panel per measure (default 支援 目標Ⅲ and
    推進・支援合計), insurers grouped by area, each insurer's score (dot in its area's colour)
    against the national mean of its 区分 (white diamond), 全国平均, 県平均 and the
    「著しく得点の低い」 threshold, with its national rank at the right. ``comparison`` is the
    processed ``score_comparison``."""
    style.apply_style()
    first = _select(comparison, fiscal_year, measures[0], "score_comparison")
    df = ordered_insurers(first, scheme, "points")
    fig, axes = plt.subplots(1, len(measures), figsize=style.SLIDE_AREA_IN, sharey=True, squeeze=False)
    axes = axes[0]
    fig.subplots_adjust(left=0.165, right=0.985, top=0.86, bottom=0.15, wspace=0.08)
    ys = _grouped_axis(axes[0], df, scheme)
    handles: dict[str, object] = {}
    for ax, key in zip(axes, measures, strict=True):
        d = _select(comparison, fiscal_year, key, "score_comparison").set_index("municipality_code")
        d = d.loc[df["municipality_code"]]
        if ax is not axes[0]:
            _area_bands(ax, df, ys, scheme)
            ax.grid(axis="y", visible=False)
        hide_spines(ax)
        top = float(d["max_points"].iloc[0])
        threshold = float(d["low_threshold"].iloc[0])
        values = np.concatenate([d["points"], d["size_class_mean"], [d["national_mean"].iloc[0], threshold]])
        lo = max(0.0, float(np.nanmin(values)) - 0.06 * top)
        hi = min(top, float(np.nanmax(values)) + 0.04 * top)
        ax.scatter(
            d["size_class_mean"], ys, marker="D", s=20, facecolor="white", edgecolor="#777777", linewidth=1.0, zorder=3
        )
        ax.scatter(
            d["points"], ys, s=46, color=df["area"].map(scheme.colors), edgecolor=OUTLINE_COLOR, linewidth=0.5, zorder=4
        )
        for h in mean_lines(ax, float(d["national_mean"].iloc[0]), float(d["prefecture_mean"].iloc[0])):
            handles.setdefault(f"{key}:{h.get_label()}", h)
        if np.isfinite(threshold) and lo <= threshold <= hi:
            ax.axvline(threshold, color=THRESHOLD_COLOR, linestyle=":", linewidth=1.5, zorder=1)
        right = hi + 0.02 * (hi - lo)
        for y, rank, below in zip(ys, d["national_rank"], d["below_low_threshold"], strict=True):
            ax.text(
                right, y, f"{rank}位", va="center", ha="left", fontsize=8.5, color=THRESHOLD_COLOR if below else None
            )
        ax.set_xlim(lo, hi + 0.15 * (hi - lo))
        ax.set_title(f"{d['measure_label'].iloc[0]}（満点{top:.0f}点）", fontsize=11.5, loc="left")
        style.declare_panel(ax, f"{key}の得点", axis="x")  # 支援III (100点) and 合計 (800点): two measures
        ax.set_xlabel(f"得点（点）。右端は全国順位（{int(d['national_n'].iloc[0])}保険者中）", fontsize=9.5)
    legend = [
        marker_handle("保険者の得点（色は圏域）"),
        marker_handle("同じ規模区分の全国平均", marker="D", face="white", edge="#777777", size=6),
        Line2D([0], [0], color=NATIONAL_COLOR, linestyle="-.", label="全国平均"),
        Line2D([0], [0], color=PREFECTURE_COLOR, linestyle="--", label="県平均"),
        Line2D([0], [0], color=THRESHOLD_COLOR, linestyle=":", label="著しく低い水準"),
    ]
    fig.legend(handles=legend, loc="upper left", bbox_to_anchor=(0.165, 0.935), ncol=5, frameon=False, fontsize=9.5)
    means = "；".join(
        f"{d['measure_label'].iloc[0]} 全国平均 {d['national_mean'].iloc[0]:.1f}点・県平均 {d['prefecture_mean'].iloc[0]:.1f}点"
        f"・著しく低い水準 {d['low_threshold'].iloc[0]:.1f}点"
        for d in (_select(comparison, fiscal_year, k, "score_comparison") for k in measures)
    )
    return _finish_scores(
        fig,
        df,
        title=f"保険者機能評価の得点と全国・県・同規模の平均（{_title_year(fiscal_year)}）",
        caption=f"保険者別の得点と全国平均・県平均・同じ規模区分の全国平均、全国順位（{_title_year(fiscal_year)}）",
        note=f"{means}。規模区分は第1号被保険者数による区分。",
        sample=sample,
        sources=sources,
    )


def plot_score_distribution(
    national: pd.DataFrame,
    comparison: pd.DataFrame,
    fiscal_year: int,
    measure: str = "合計",
    *,
    sample: bool | None = None,
    sources: list[str] | None = None,
) -> Figure:
    """全国の得点分布と県内の保険者: histogram of every insurer's score in the nation
    (``national``: processed ``national_measures``), the prefecture's insurers as ticks below
    it, 全国平均, 県平均 and the 「著しく得点の低い」 threshold, naming the prefecture's insurers
    below it."""
    style.apply_style()
    nat = _select(national, fiscal_year, measure, "national_measures")["points"].dropna()
    pref = _select(comparison, fiscal_year, measure, "score_comparison").sort_values("points")
    top = float(pref["max_points"].iloc[0])
    threshold = float(pref["low_threshold"].iloc[0])
    fig, ax = plt.subplots(figsize=(12, 6.6))
    fig.subplots_adjust(left=0.08, right=0.97, top=0.84, bottom=0.2)
    width = top / 40
    counts, _, _ = ax.hist(nat, bins=np.arange(0, top + width, width), color="#BBBBBB", edgecolor="white", zorder=2)
    peak = float(counts.max()) or 1.0
    for p in pref["points"]:
        ax.plot([p, p], [-0.03 * peak, -0.11 * peak], color="#E69F00", linewidth=1.6, zorder=3)
    handles = [
        Patch(facecolor="#BBBBBB", label=f"全国の保険者（{len(nat)}）"),
        Line2D([0], [0], color="#E69F00", linewidth=1.6, label=f"県内の保険者（{len(pref)}）"),
        *mean_lines(ax, float(pref["national_mean"].iloc[0]), float(pref["prefecture_mean"].iloc[0])),
    ]
    below = pref[pref["below_low_threshold"]]
    if np.isfinite(threshold):
        ax.axvline(threshold, color=THRESHOLD_COLOR, linestyle=":", linewidth=1.6, zorder=1)
        handles.append(
            Line2D([0], [0], color=THRESHOLD_COLOR, linestyle=":", label=f"著しく低い水準 {threshold:.1f}点")
        )
        for k, r in enumerate(below.itertuples()):
            ax.annotate(
                short_name(r.municipality_name),
                xy=(r.points, -0.11 * peak),
                xytext=(0, -12 - 11 * (k % 3)),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=8.5,
                color=THRESHOLD_COLOR,
            )
    ax.set_ylim(-0.16 * peak, peak * 1.08)
    ax.set_xlim(0, top)
    ax.set_xlabel(f"得点（点、満点{top:.0f}点）")
    ax.set_ylabel("保険者数")
    hide_spines(ax)
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.01), ncol=5, frameon=False, fontsize=9.5)
    n_below = int((nat < threshold).sum())
    who = "、".join(short_name(n) for n in below["municipality_name"]) or "なし"
    label = pref["measure_label"].iloc[0]
    return style.finish_figure(
        fig,
        title=f"{label}の全国分布と県内の保険者（{_title_year(fiscal_year)}）",
        sources=sources or [SCORE_SOURCE],
        sample=sample,
        caption=f"{label}の全国の分布、全国平均・県平均と「著しく得点の低い」水準（{_title_year(fiscal_year)}）",
        note=(
            f"著しく低い水準＝（平均得点率－2×標準偏差÷配点）×配点＝{threshold:.1f}点。下回る保険者は全国{n_below}、"
            f"県内{len(below)}（{who}）。"
        ),
    )
