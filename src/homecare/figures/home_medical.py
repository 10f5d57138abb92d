"""Home-care supply and activity figures (在宅医療の提供体制と実績): the map of 在支診・在支病, their rate
per population aged 75+ by area against the prefecture and national values, and 訪問診療・往診・看取り
against the national value. Prepared frames in (from :mod:`homecare.home_medical`), Figure out;
the rate's unit comes from the caller (``rate_label``). Terms: docs/glossary.md.
"""

from __future__ import annotations

import math

import geopandas as gpd
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from homecare.figures import classes, map_labels, maps, point_maps, style
from homecare.figures.common import OKABE_ITO, OUTLINE_COLOR, as_of_label, hide_spines
from homecare.reference import geo
from homecare.reference.areas import AreaScheme

PREF_COLOR = "#222222"
NATIONAL_COLOR = "#B2182B"
# map layers: (label, column test, colour, marker)
SUPPLY_LAYERS = (
    ("機能強化型", "clinic_enhanced", OKABE_ITO["blue"], "o"),
    ("従来型", "clinic_conventional", OKABE_ITO["sky"], "o"),
    ("在支病", "hospital", OKABE_ITO["vermillion"], "^"),
    ("在宅療養後方支援病院", "backup", OKABE_ITO["green"], "s"),
)


def sig3(value: float) -> str:
    """A label with three significant figures (1,234 stays whole; 12.3; 0.123)."""
    if value is None or pd.isna(value):
        return "－"
    v = float(value)
    if v == 0:
        return "0"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    decimals = 2 - int(math.floor(math.log10(abs(v))))
    return f"{v:.{decimals}f}"


def _layer(institutions: pd.DataFrame, key: str) -> pd.Series:
    clinic = institutions["support_clinic_type"].fillna("")
    return {
        "clinic_enhanced": clinic.isin(["enhanced_single", "enhanced_linked"]),
        "clinic_conventional": clinic == "conventional",
        "hospital": institutions["support_hospital_type"].fillna("") != "",
        "backup": institutions["backup_hospital"].astype(bool),
    }[key]


# map panels: one type of institution each (title, layers as (label, column test, colour, marker))
SUPPLY_PANELS = (
    ("在宅療養支援診療所（在支診）", (SUPPLY_LAYERS[0], SUPPLY_LAYERS[1])),
    ("在宅療養支援病院（在支病）", (SUPPLY_LAYERS[2],)),
    ("在宅療養後方支援病院", (SUPPLY_LAYERS[3],)),
)


def plot_supply_map(
    institutions: pd.DataFrame,
    units: gpd.GeoDataFrame,
    scheme: AreaScheme,
    *,
    as_of: str | None,
    sources: list[str],
    prefectures: gpd.GeoDataFrame | None = None,
    note: str | None = None,
) -> Figure:
    """在支診・在支病・在宅療養後方支援病院の分布: one map per type of institution (在支診 split into
    機能強化型 and 従来型 by colour), markers over neutral land with area borders and names, and
    the position precision in the note. ``as_of`` is the list's date (時点)."""
    style.apply_style()
    frame = point_maps.map_frame(units, scheme, prefectures)
    pts = point_maps.located_points(institutions)
    fig, axes = plt.subplots(1, len(SUPPLY_PANELS), figsize=(style.SLIDE_AREA_IN[0], 5.0), squeeze=False)
    fig.subplots_adjust(left=0.005, right=0.995, top=0.85, bottom=0.13, wspace=0.02)
    for ax, (title, layers) in zip(axes[0], SUPPLY_PANELS, strict=True):
        drawn = []
        for label, key, color, marker in layers:
            n = int(_layer(institutions, key).sum())
            drawn.append(point_maps.PointLayer(f"{label}（{n:,}）", pts[_layer(pts, key).to_numpy()], color, marker))
        total = int(sum(_layer(institutions, key).sum() for _, key, _, _ in layers))
        point_maps.draw_point_panel(ax, frame, drawn, title=f"{title}（{total:,}）")
        if len(drawn) > 1:
            handles = [
                Line2D(
                    [],
                    [],
                    color=la.color,
                    marker=la.marker,
                    linestyle="",
                    markeredgecolor="#222222",
                    markersize=7,
                    label=la.label,
                )
                for la in drawn
            ]
            ax.legend(handles=handles, loc="lower left", fontsize=9, frameon=True, framealpha=0.9)
    text = (note + "。" if note else "") + point_maps.position_note(institutions) + "。"
    when = f"（{as_of_label(as_of)}）" if as_of else ""
    return style.finish_figure(
        fig,
        title=f"在宅療養支援診療所・病院の分布{when}",
        sources=[*sources, geo.boundary_credit()],
        caption=f"在支診・在支病・在宅療養後方支援病院の所在地と{scheme.label}の境界{when}",
        note=text,
    )


def plot_supply_rate_map(
    units: gpd.GeoDataFrame,
    scheme: AreaScheme,
    area_rates: pd.Series,
    *,
    rate_label: str,
    year_label: str,
    sources: list[str],
    prefectures: gpd.GeoDataFrame | None = None,
) -> Figure:
    """在支診＋在支病 per population aged 75+ by area (``area_rates``: area -> rate), a classed
    map (five classes from 0, :mod:`homecare.figures.classes`), area borders dark, each area
    labelled with its rate."""
    style.apply_style()
    area_p = maps.projected(geo.dissolve_areas(units, scheme))
    values = area_p["area"].map(area_rates).astype(float)
    scale = classes.nice_classes(values, cmap="YlGnBu", lower=0.0)
    fig = plt.figure(figsize=style.SLIDE_AREA_IN)
    ax = fig.add_axes([0.005, 0.12, 0.74, 0.79])
    maps.draw_context(ax, maps.padded_extent(area_p, pad=0.05), prefectures)
    maps.draw_classed(ax, area_p, values, scale, missing=style.NO_DATA_COLOR, edge=maps.AREA_EDGE)
    maps.draw_area_outlines(ax, area_p)
    style.declare_panel(ax, f"在支診＋在支病（{rate_label}）", classes=scale)
    map_labels.place_labels(
        ax,
        [
            map_labels.MapLabel(
                r.area,
                f"{r.area}\n{sig3(area_rates.get(r.area))}",
                r.geometry,
                f"{r.area} {sig3(area_rates.get(r.area))}",
            )
            for r in area_p.itertuples()
        ],
        size=10,
    )
    maps.tidy_axes(ax)
    fig.legend(
        handles=scale.handles(no_data=style.NO_DATA_COLOR if values.isna().any() else None),
        title=f"在支診＋在支病\n（{rate_label}、{year_label}）",
        loc="upper left",
        bbox_to_anchor=(0.75, 0.9),
        frameon=False,
        fontsize=10,
        title_fontsize=10.5,
        alignment="left",
    )
    return style.finish_figure(
        fig,
        title=f"在支診・在支病の地図：{scheme.label}別（{rate_label}）",
        sources=[*sources, geo.boundary_credit()],
        caption=f"{scheme.label}別の在支診＋在支病の75歳以上人口当たり数（{year_label}）",
        note=f"{classes.METHOD_NOTE}。",
    )


def _reference_lines(ax, pref: float, national: float | None, pref_label: str, national_label: str) -> list:
    handles = [ax.axvline(pref, color=PREF_COLOR, linestyle="--", linewidth=1.2, label=pref_label)]
    if national is not None and pd.notna(national):
        handles.append(ax.axvline(national, color=NATIONAL_COLOR, linestyle=":", linewidth=1.6, label=national_label))
    return handles


def _bar_labels(ax, values: list[float], ys: list[float], vmax: float) -> None:
    for y, v in zip(ys, values, strict=True):
        if pd.notna(v):
            ax.text(
                v + vmax * 0.015,
                y,
                sig3(v),
                va="center",
                ha="left",
                fontsize=8.5,
                zorder=5,
                bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none"},
            )


def _bar_axis(ax, *, xmax: float, names: list[str], xlabel: str, title: str) -> None:
    """A horizontal bar panel: areas top to bottom (names only where given), the value axis
    from 0, title on the left, no horizontal grid, no top/right spines."""
    ax.set_xlim(0, xmax)
    ax.set_yticks(range(len(names)), names, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel, fontsize=9.5)
    ax.set_title(title, fontsize=11, loc="left")
    ax.grid(axis="y", visible=False)
    hide_spines(ax)


def plot_supply_rates(
    rates: pd.DataFrame,
    scheme: AreaScheme,
    *,
    national_rate: float | None,
    national_enhanced_share: float | None,
    rate_label: str,
    now_label: str,
    target_year: int,
    national_label: str,
    sources: list[str],
    note: str | None = None,
) -> Figure:
    """在支診＋在支病 per population aged 75+ by area, now and in ``target_year`` at today's count, with
    the prefecture (dashed) and national (dotted) values; and the share of 機能強化型 among 在支診."""
    style.apply_style()
    body = rates[rates["area"].isin(scheme.area_names)].set_index("area").reindex(scheme.area_names)
    pref = rates[rates["area"] == "県計"].iloc[0]
    names = scheme.area_names
    colors = [scheme.colors[a] for a in names]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(style.SLIDE_AREA_IN[0], 6.4), gridspec_kw={"width_ratios": [1.6, 1]})
    fig.subplots_adjust(left=0.1, right=0.97, top=0.82, bottom=0.21, wspace=0.3)
    ys = list(range(len(names)))
    now = body["supply_rate_now"].astype(float).tolist()
    target = body["supply_rate_target"].astype(float).tolist()
    ax1.barh([y - 0.2 for y in ys], now, height=0.38, color=colors, edgecolor=OUTLINE_COLOR, linewidth=0.3)
    ax1.barh(
        [y + 0.2 for y in ys],
        target,
        height=0.38,
        color=colors,
        alpha=0.4,
        hatch="///",
        edgecolor=OUTLINE_COLOR,
        linewidth=0.3,
    )
    values = [v for v in [*now, *target, pref["supply_rate_now"], national_rate] if v is not None and pd.notna(v)]
    vmax = max(values, default=1.0) or 1.0
    _bar_labels(ax1, now, [y - 0.2 for y in ys], vmax)
    _bar_labels(ax1, target, [y + 0.2 for y in ys], vmax)
    lines = _reference_lines(ax1, float(pref["supply_rate_now"]), national_rate, f"県計（{now_label}）", national_label)
    _bar_axis(
        ax1,
        xmax=vmax * 1.2,
        names=names,
        xlabel=f"在支診＋在支病（{rate_label}）",
        title=f"{now_label}と{target_year}年（現在の数のまま）",
    )
    bars = [
        Patch(facecolor="#888888", edgecolor=OUTLINE_COLOR, label=now_label),
        Patch(facecolor="#888888", alpha=0.4, hatch="///", edgecolor=OUTLINE_COLOR, label=f"{target_year}年"),
    ]
    style.declare_panel(ax1, f"在支診＋在支病（{rate_label}）", axis="x")
    share = body["clinic_enhanced_share"].astype(float).tolist()
    ax2.barh(ys, share, height=0.6, color=colors, edgecolor=OUTLINE_COLOR, linewidth=0.3)
    _bar_labels(ax2, share, ys, 100)
    lines2 = _reference_lines(
        ax2, float(pref["clinic_enhanced_share"]), national_enhanced_share, "県計", national_label
    )
    _bar_axis(
        ax2,
        xmax=112,  # room for the label of a 100% bar
        names=[""] * len(ys),
        xlabel="在支診のうち機能強化型の割合（％）",
        title="在支診のうち機能強化型（単独型＋連携型）",
    )
    # one legend above both panels (県計 dashed, 全国 dotted in both); a national line only the
    # second panel has is listed too
    labels = {h.get_label() for h in lines}
    extra = [h for h in lines2 if h.get_linestyle() == ":" and h.get_label() not in labels]
    fig.legend(
        handles=[*bars, *lines, *extra],
        loc="lower left",
        bbox_to_anchor=(0.1, 0.885),
        ncol=5,
        fontsize=9.5,
        frameon=False,
    )
    style.declare_panel(ax2, "在支診のうち機能強化型の割合（％）", axis="x")
    return style.finish_figure(
        fig,
        title=f"{scheme.label}別の在宅療養支援診療所・病院（{rate_label}）",
        sources=sources,
        caption=f"{scheme.label}別の在支診＋在支病の75歳以上人口当たり数（現在と{target_year}年）と機能強化型の割合",
        note=note,
    )


def plot_activity_rates(
    activity: pd.DataFrame,
    groups: list[str],
    colors: dict[str, str],
    *,
    measures: tuple[str, ...],
    withheld: set[tuple[str, str]],
    rate_label: str,
    national_label: str,
    scheme_label: str,
    sources: list[str],
    note: str | None = None,
) -> Figure:
    """訪問診療・往診・看取り per population aged 75+ by area group (one panel each), with the prefecture
    (dashed) and national (dotted) values; a withheld value (``withheld``: (group, measure)) has no bar."""
    style.apply_style()
    fig, axes = plt.subplots(1, len(measures), figsize=(style.SLIDE_AREA_IN[0], 6.2), squeeze=False)
    fig.subplots_adjust(left=0.14, right=0.98, top=0.84, bottom=0.27, wspace=0.12)
    ys = list(range(len(groups)))
    for k, (ax, measure) in enumerate(zip(axes.flat, measures, strict=True)):
        d = activity[activity["measure"] == measure].set_index("group")
        values = [float("nan") if (g, measure) in withheld else float(d.at[g, "rate"]) for g in groups]
        ax.barh(ys, values, height=0.62, color=[colors[g] for g in groups], edgecolor=OUTLINE_COLOR, linewidth=0.3)
        pref, national = float(d.at["県計", "rate"]), float(d.at["全国", "rate"])
        vmax = max([v for v in [*values, pref, national] if pd.notna(v)], default=1.0) or 1.0
        _bar_labels(ax, values, ys, vmax)
        for y, v in zip(ys, values, strict=True):
            if pd.isna(v):
                ax.text(vmax * 0.015, y, "秘匿", va="center", ha="left", fontsize=8.5, color="#666666")
        lines = _reference_lines(ax, pref, national, "県計", national_label)
        unit = "実施件数" if d["unit"].iloc[0] == "件" else "施設数"
        style.declare_panel(ax, f"{d['label'].iloc[0]} {unit}（{rate_label}）", axis="x")  # one measure each
        _bar_axis(
            ax,
            xmax=vmax * 1.22,
            names=groups if k == 0 else [""] * len(groups),
            xlabel=rate_label,
            title=f"{d['label'].iloc[0]} {unit}",
        )
        if k == 0:
            fig.legend(
                handles=lines, loc="lower center", bbox_to_anchor=(0.55, 0.125), ncol=2, fontsize=9, frameon=False
            )
    return style.finish_figure(
        fig,
        title=f"{scheme_label}別の訪問診療・往診・看取り（{rate_label}）",
        sources=sources,
        caption=f"{scheme_label}別の訪問診療・往診・看取りの実施件数（75歳以上人口当たり）と全国値",
        note=note,
    )
