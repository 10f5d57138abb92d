"""Population and demand outlook figures (人口・医療介護需要の見通し) for the 2040 regional vision.

Projection years are calendar years (2040年, not 年度). Areas keep their scheme colour; the
prefecture (神奈川県) is drawn as a dashed dark line wherever areas are compared.
"""

from __future__ import annotations

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from homecare.core.labels import format_significant
from homecare.figures import classes, map_labels, maps, style
from homecare.figures.common import hide_spines
from homecare.population import rates
from homecare.population.aggregate import PREFECTURE_AREA
from homecare.population.bands import AGE_BANDS, MEASURE_75, bands_of_measure
from homecare.reference import geo
from homecare.reference.areas import AreaScheme

PREF_COLOR = "#222222"


def _year(y: int) -> str:
    return f"{int(y)}年"


def _status_suffix(scheme: AreaScheme) -> str:
    """Short status mark after a scheme label; none when the label already says 検討."""
    if scheme.status == "scenario" and "検討" not in scheme.label:
        return "（検討用）"
    return "（要確認）" if scheme.status == "verify" else ""


def _scheme_title(main: str, scheme: AreaScheme) -> str:
    """``main：<scheme label>``: kept short so it never runs into the サンプルデータ mark."""
    return f"{main}：{scheme.label}{_status_suffix(scheme)}"


def _index_lines(
    ax: Axes, index: pd.DataFrame, scheme: AreaScheme, *, ylim: tuple[float, float] | None = None
) -> list[Line2D]:
    """One line per area (scheme colour) and a dashed 神奈川県 line; returns legend handles."""
    handles = []
    for area in scheme.areas:
        d = index[index["area"] == area.name].sort_values("year")
        if d.empty:
            raise ValueError(f"no index rows for area {area.name!r} of scheme {scheme.id!r}")
        (line,) = ax.plot(
            d["year"], d["index"], color=area.color, linewidth=2.2, marker="o", markersize=3.5, label=area.name
        )
        handles.append(line)
    pref = index[index["area"] == PREFECTURE_AREA].sort_values("year")
    if not pref.empty:
        (line,) = ax.plot(
            pref["year"], pref["index"], color=PREF_COLOR, linewidth=2.0, linestyle="--", label=PREFECTURE_AREA
        )
        handles.append(line)
    ax.axhline(100, color="#888888", linewidth=0.8, zorder=0)
    years = sorted(set(index["year"]))
    ax.set_xticks(years, [_year(y) for y in years])
    ax.set_xlim(years[0] - 1, years[-1] + 1)
    if ylim:
        ax.set_ylim(*ylim)
    hide_spines(ax)
    return handles


def _shared_ylim(*frames: pd.DataFrame) -> tuple[float, float]:
    """One y range for panels that are compared by eye (never auto-scaled apart)."""
    values = pd.concat([f["index"] for f in frames])
    lo, hi = float(values.min()), float(values.max())
    pad = max(2.0, (hi - lo) * 0.06)
    return (min(lo, 100) - pad, max(hi, 100) + pad)


def plot_demand_index(
    index: pd.DataFrame,
    scheme: AreaScheme,
    *,
    sources: list[str],
    sample: bool | None = None,
    base_year: int = 2020,
) -> Figure:
    """医療需要指数・介護需要指数の推移 (base year = 100): one panel per index, one line per area
    in the scheme's colours, 神奈川県 dashed. ``index`` from :func:`homecare.population.demand.demand_index`."""
    style.apply_style()
    ids = list(dict.fromkeys(index["index_id"]))
    fig, axes = plt.subplots(1, len(ids), figsize=(13.33, 6.6), squeeze=False)
    fig.subplots_adjust(left=0.06, right=0.84, top=0.84, bottom=0.17, wspace=0.18)
    ylim = _shared_ylim(index)  # both indices are 基準年＝100: one scale, compared by eye
    for ax, idx_id in zip(axes[0], ids, strict=True):
        d = index[index["index_id"] == idx_id]
        handles = _index_lines(ax, d, scheme, ylim=ylim)
        ax.set_title(f"{d['index_label'].iloc[0]}（{_year(base_year)}＝100）", loc="left")
        ax.tick_params(axis="x", labelsize=9)
        style.declare_panel(ax, f"需要指数（{_year(base_year)}＝100）", axis="y")
    axes[0][-1].legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, title=scheme.label)
    return style.finish_figure(
        fig,
        title=_scheme_title("医療・介護需要指数の見通し", scheme),
        sources=sources,
        sample=sample,
        note="年齢階級別の人口に需要の重みを掛けて合計し、基準年を100とした指数。推計年は暦年（各年10月1日）。両図は同じ目盛り。",
    )


def plot_demand_map(
    index: pd.DataFrame,
    units: gpd.GeoDataFrame,
    scheme: AreaScheme,
    *,
    year: int = 2040,
    sources: list[str],
    sample: bool | None = None,
    prefectures: gpd.GeoDataFrame | None = None,
    base_year: int = 2020,
) -> Figure:
    """Map of the ``year`` demand index by area, one panel per index, on ONE classed scale for
    all panels (five classes around 100: blue = less demand than in the base year, red = more;
    :func:`homecare.figures.classes.nice_classes`), area borders dark, each area labelled with
    name and value (small areas with a leader line). Carries the N03 boundary credit."""
    style.apply_style()
    ids = list(dict.fromkeys(index["index_id"]))
    area_p = maps.projected(geo.dissolve_areas(units, scheme))
    extent = maps.padded_extent(area_p, pad=0.04)
    at_year = index[(index["year"] == year) & index["area"].isin(scheme.area_names)]
    for idx_id in ids:
        missing = [a for a in scheme.area_names if a not in set(at_year.loc[at_year["index_id"] == idx_id, "area"])]
        if missing:
            raise ValueError(f"no {year} index for areas {missing}")
    scale = classes.nice_classes(at_year["index"], cmap="RdBu_r", center=100.0)
    fig, axes = plt.subplots(1, len(ids), figsize=style.SLIDE_AREA_IN, squeeze=False)
    fig.subplots_adjust(left=0.005, right=0.995, top=0.88, bottom=0.17, wspace=0.02)
    measure = f"{_year(year)}の需要指数（{_year(base_year)}＝100）"
    for ax, idx_id in zip(axes[0], ids, strict=True):
        d = at_year[at_year["index_id"] == idx_id].set_index("area")["index"]
        maps.draw_context(ax, extent, prefectures)
        maps.draw_classed(ax, area_p, area_p["area"].map(d), scale, missing=style.NO_DATA_COLOR, edge=maps.AREA_EDGE)
        maps.draw_area_outlines(ax, area_p)
        style.declare_panel(ax, measure, classes=scale)
        map_labels.place_labels(
            ax,
            [
                map_labels.MapLabel(r.area, f"{r.area}\n{d[r.area]:.0f}", r.geometry, f"{r.area} {d[r.area]:.0f}")
                for r in area_p.itertuples()
            ],
            size=9.5,
        )
        label = index.loc[index["index_id"] == idx_id, "index_label"].iloc[0]
        pref = index[(index["index_id"] == idx_id) & (index["year"] == year) & (index["area"] == PREFECTURE_AREA)]
        pref_text = f"（神奈川県 {pref['index'].iloc[0]:.0f}）" if not pref.empty else ""
        ax.set_title(f"{label}{pref_text}", loc="left", fontsize=12)
        maps.tidy_axes(ax)
    fig.legend(
        handles=scale.handles(ascending=True),
        title=measure,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.075),
        ncol=len(scale.colors),
        frameon=False,
        fontsize=10,
        title_fontsize=10,
    )
    return style.finish_figure(
        fig,
        title=_scheme_title(f"{_year(year)}の医療・介護需要指数", scheme),
        sources=[*sources, geo.boundary_credit()],
        sample=sample,
        note=f"両図は同じ色の階級。{classes.METHOD_NOTE}。",
    )


def plot_population_pyramids(
    area_pop: pd.DataFrame,
    scheme: AreaScheme,
    *,
    base_year: int = 2020,
    target_year: int = 2040,
    sources: list[str],
    sample: bool | None = None,
) -> Figure:
    """Age structure change per area (年齢構成の変化, both sexes): one small panel per area,
    bars = the share of each 5-year band in the area's population in ``target_year`` (area
    colour), dark step line = the same in ``base_year``. Shares, not counts, so that areas
    ten times apart in size are compared on ONE scale."""
    style.apply_style()
    names = scheme.area_names
    ncols = 5 if len(names) > 8 else 4
    nrows = int(np.ceil(len(names) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=style.SLIDE_AREA_IN, squeeze=False, sharey=True)
    fig.subplots_adjust(left=0.055, right=0.99, top=0.86, bottom=0.15, hspace=0.42, wspace=0.1)
    y = np.arange(len(AGE_BANDS))
    shares = {}
    for area in names:
        d = area_pop[area_pop["area"] == area].set_index(["year", "age_band"])["population"]
        base = d.loc[base_year].reindex(AGE_BANDS).to_numpy(dtype=float)
        target = d.loc[target_year].reindex(AGE_BANDS).to_numpy(dtype=float)
        shares[area] = (base, target, 100 * base / base.sum(), 100 * target / target.sum())
    xmax = max(float(max(b.max(), t.max())) for _, _, b, t in shares.values()) * 1.08
    old = np.isin(AGE_BANDS, bands_of_measure(MEASURE_75))
    ticks = y[1::2]  # every other band (5-9 … 95+): 8 pt labels need the room
    for k, ax in enumerate(axes.flat):
        if k >= len(names):
            ax.axis("off")
            continue
        area = names[k]
        base, target, base_pct, target_pct = shares[area]
        ax.barh(y, target_pct, height=0.85, color=scheme.colors[area], alpha=0.85)
        ax.step(
            np.r_[base_pct, base_pct[-1]], np.r_[y - 0.5, y[-1] + 0.5], where="post", color="#222222", linewidth=1.1
        )
        growth = 100 * (target[old].sum() / base[old].sum() - 1) if base[old].sum() > 0 else float("nan")
        ax.set_title(f"{area}（75歳以上 {growth:+.0f}%）", fontsize=10.5, loc="left")
        ax.set_yticks(ticks, [AGE_BANDS[i] for i in ticks], fontsize=8.5)
        ax.set_xlim(0, xmax)
        ax.tick_params(axis="x", labelsize=9)
        ax.set_xlabel("％", fontsize=9, labelpad=1)
        hide_spines(ax)
        style.declare_panel(ax, "年齢階級の構成比（％）", axis="x")
    handles = [
        plt.Rectangle((0, 0), 1, 1, color="#777777", alpha=0.85, label=f"{_year(target_year)}（棒、圏域の色）"),
        Line2D([0], [0], color="#222222", linewidth=1.1, label=f"{_year(base_year)}（線）"),
    ]
    if len(names) < nrows * ncols:  # a free panel slot holds the legend
        axes.flat[-1].legend(handles=handles, loc="center", frameon=False, fontsize=10)
    else:
        fig.legend(handles=handles, loc="lower right", bbox_to_anchor=(0.99, 0.0), ncols=2, frameon=False, fontsize=9)
    return style.finish_figure(
        fig,
        title=_scheme_title(f"年齢構成の変化 {_year(base_year)}→{_year(target_year)}", scheme),
        sources=sources,
        sample=sample,
        note=(
            "横軸は5歳階級の人口が圏域の総人口に占める割合（％、男女計、全圏域で同じ目盛り）。"
            f"{_year(base_year)}は基準年、{_year(target_year)}は推計。括弧内は75歳以上人口の増減率。"
        ),
    )


def plot_facilities_per_75(
    supply: pd.DataFrame,
    scheme: AreaScheme,
    *,
    groups: list[str],
    population_year: int = 2025,
    target_year: int = 2040,
    sources: list[str],
    note: str = "",
    sample: bool | None = None,
) -> Figure:
    """Facilities per 10万人 aged 75+ (75歳以上人口10万人当たり施設数) per area, now (the population
    of ``population_year``) vs ``target_year`` at today's supply: one panel per facility group,
    pale bar = now, full bar = target year, labels to three significant figures. ``supply`` from
    :func:`homecare.population.supply.facilities_per_75`."""
    style.apply_style()
    known = list(dict.fromkeys(supply["facility_group"]))
    unknown = [g for g in groups if g not in known]
    if unknown:
        raise ValueError(f"facility groups {unknown} are not in the supply table (known: {known})")
    order = [*scheme.area_names, PREFECTURE_AREA]
    ncols = min(len(groups), 2)
    nrows = int(np.ceil(len(groups) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=style.SLIDE_AREA_IN, squeeze=False)
    fig.subplots_adjust(left=0.1, right=0.98, top=0.83, bottom=0.15, hspace=0.38, wspace=0.22)
    y = np.arange(len(order))
    colors = [scheme.colors.get(a, PREF_COLOR) for a in order]
    shown = supply[supply["facility_group"].isin(groups) & supply["area"].isin(order)]
    xmax = max(float(np.nanmax(shown[["rate_now", "rate_target"]].to_numpy())), 1e-3)  # one scale for all
    for k, ax in enumerate(axes.flat):
        if k >= len(groups):
            ax.set_visible(False)
            continue
        d = supply[supply["facility_group"] == groups[k]].set_index("area").reindex(order)
        ax.barh(y - 0.2, d["rate_now"], height=0.4, color=colors, alpha=0.35)
        ax.barh(y + 0.2, d["rate_target"], height=0.4, color=colors)
        for yi, (b, t) in enumerate(zip(d["rate_now"], d["rate_target"], strict=True)):
            ax.annotate(
                f"{format_significant(t)}（{100 * (t / b - 1):+.0f}%）" if b > 0 else format_significant(t),
                (t, yi + 0.2),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
        ax.set_xlim(0, xmax * 1.3)
        ax.set_yticks(y, order if k % ncols == 0 else [""] * len(order), fontsize=9)
        ax.invert_yaxis()
        types = str(d["facility_types"].dropna().iloc[0])
        ax.set_title(
            f"{groups[k]}（{types.replace('+', '＋')}）" if "+" in types else groups[k], loc="left", fontsize=11
        )
        ax.tick_params(axis="x", labelsize=9)
        hide_spines(ax)
        style.declare_panel(ax, f"{rates.RATE_LABEL}施設数", axis="x")
    handles = [
        plt.Rectangle(
            (0, 0),
            1,
            1,
            color="#777777",
            alpha=0.35,
            label=f"現在（施設数÷{_year(population_year)}の75歳以上人口）",
        ),
        plt.Rectangle(
            (0, 0),
            1,
            1,
            color="#777777",
            label=f"{_year(target_year)}（現在の施設数÷{_year(target_year)}の推計75歳以上人口）",
        ),
    ]
    fig.legend(handles=handles, loc="upper right", bbox_to_anchor=(0.99, 0.925), ncols=2, frameon=False, fontsize=9)
    return style.finish_figure(
        fig,
        title=_scheme_title(f"{rates.RATE_LABEL}施設数", scheme),
        sources=sources,
        sample=sample,
        note=(
            f"ラベルは{_year(target_year)}の値（有効数字3桁）、括弧内は現在からの増減率。人口は75歳以上・男女計。"
            f"全パネル同じ目盛り。{note}"
        ),
    )


def plot_scenario_comparison(
    index_a: pd.DataFrame,
    scheme_a: AreaScheme,
    index_b: pd.DataFrame,
    scheme_b: AreaScheme,
    *,
    index_id: str = "care",
    sources: list[str],
    sample: bool | None = None,
    base_year: int = 2020,
) -> Figure:
    """The same demand outlook for two area schemes side by side (圏域案の比較), on one y scale,
    each with its own legend, so that boundary drafts can be compared at a glance."""
    style.apply_style()
    a = index_a[index_a["index_id"] == index_id]
    b = index_b[index_b["index_id"] == index_id]
    if a.empty or b.empty:
        raise ValueError(f"index {index_id!r} missing from one of the schemes")
    ylim = _shared_ylim(a, b)
    fig, axes = plt.subplots(1, 2, figsize=(13.33, 6.8), sharey=True)
    fig.subplots_adjust(left=0.06, right=0.99, top=0.86, bottom=0.26, wspace=0.08)
    for ax, d, scheme in ((axes[0], a, scheme_a), (axes[1], b, scheme_b)):
        handles = _index_lines(ax, d, scheme, ylim=ylim)
        ax.set_title(f"{scheme.label}{_status_suffix(scheme)}", loc="left", fontsize=12)
        style.declare_panel(ax, f"{index_id}（{_year(base_year)}＝100）", axis="y")
        ax.tick_params(axis="x", labelsize=9)
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.09), ncols=4, frameon=False, fontsize=9)
    label = a["index_label"].iloc[0]
    return style.finish_figure(
        fig,
        title=f"圏域案の比較：{label}の見通し（{_year(base_year)}＝100）",
        sources=sources,
        sample=sample,
    )
