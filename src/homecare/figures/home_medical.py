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

from homecare.figures import maps, style
from homecare.figures.common import OKABE_ITO, OUTLINE_COLOR, hide_spines
from homecare.reference import geo
from homecare.reference.areas import AreaScheme

PREF_COLOR = "#222222"
NATIONAL_COLOR = "#B2182B"
# map layers: (label, column test, colour, marker, size)
SUPPLY_LAYERS = (
    ("在支診 機能強化型", "clinic_enhanced", OKABE_ITO["blue"], "o", 16),
    ("在支診 従来型", "clinic_conventional", OKABE_ITO["sky"], "o", 9),
    ("在支病", "hospital", OKABE_ITO["vermillion"], "^", 30),
    ("在宅療養後方支援病院", "backup", OKABE_ITO["green"], "s", 24),
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


def plot_supply_map(
    institutions: pd.DataFrame,
    units: gpd.GeoDataFrame,
    scheme: AreaScheme,
    area_rates: pd.Series,
    *,
    rate_label: str,
    year_label: str,
    sources: list[str],
    prefectures: gpd.GeoDataFrame | None = None,
    note: str | None = None,
) -> Figure:
    """在支診・在支病の分布: left, every institution of the list as a dot by type (機能強化型, 従来型,
    在支病, 在後病) over the units in their area's colour; right, 在支診＋在支病 per population aged 75+
    by area (``area_rates``: area -> rate)."""
    style.apply_style()
    unit_p = maps.projected(units.merge(scheme.assignment(), on="municipality_code", validate="1:1"))
    area_p = maps.projected(geo.dissolve_areas(units, scheme))
    extent = maps.padded_extent(area_p, pad=0.03)
    located = institutions[institutions["lat"].notna() & institutions["lon"].notna()]
    pts = maps.projected(
        gpd.GeoDataFrame(located, geometry=gpd.points_from_xy(located["lon"], located["lat"]), crs="EPSG:4326")
    )
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 6.4))
    fig.subplots_adjust(left=0.01, right=0.99, top=0.86, bottom=0.16, wspace=0.04)
    maps.draw_context(left, extent, prefectures)
    unit_p.plot(ax=left, color=unit_p["area"].map(scheme.colors), alpha=0.2, edgecolor="white", linewidth=0.3)
    area_p.boundary.plot(ax=left, color=OUTLINE_COLOR, linewidth=0.7)
    handles = []
    for label, key, color, marker, size in SUPPLY_LAYERS:
        sub = pts[_layer(pts, key).to_numpy()]
        n = int(_layer(institutions, key).sum())
        if not sub.empty:
            maps.plot_points(sub, left, color=color, marker=marker, markersize=size, edgecolor="#222222", linewidth=0.3)
        handles.append(
            Line2D(
                [], [], color=color, marker=marker, linestyle="", markeredgecolor="#222222", label=f"{label}（{n:,}）"
            )
        )
    maps.tidy_axes(left)
    left.legend(handles=handles, loc="lower left", fontsize=8.5, frameon=True, framealpha=0.9)
    left.set_title("届出のある医療機関の所在地", fontsize=11, loc="left")
    maps.draw_context(right, extent, prefectures)
    shaded = area_p.assign(rate=area_p["area"].map(area_rates).astype(float))
    shaded.plot(
        ax=right,
        column="rate",
        cmap="YlGnBu",
        edgecolor=OUTLINE_COLOR,
        linewidth=0.7,
        legend=True,
        missing_kwds={"color": style.NO_DATA_COLOR},
        legend_kwds={"shrink": 0.6, "label": rate_label},
    )
    for area, (x, y) in maps.label_points(shaded).items():
        maps.label(right, x, y, f"{area}\n{sig3(area_rates.get(area))}", size=8.5)
    maps.tidy_axes(right)
    right.set_title(f"{scheme.label}別 在支診＋在支病（{rate_label}、{year_label}）", fontsize=11, loc="left")
    missing = len(institutions) - len(located)
    text = (note + "。" if note else "") + (
        f"所在地を特定できない{missing:,}機関は地図に表示せず件数に含む。" if missing else ""
    )
    return style.finish_figure(
        fig,
        title="在宅療養支援診療所・病院の分布",
        sources=[*sources, geo.boundary_credit()],
        caption=f"在支診・在支病・在宅療養後方支援病院の所在地と{scheme.label}別の75歳以上人口当たり数",
        note=text or None,
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
                fontsize=7.5,
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
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 6.2), gridspec_kw={"width_ratios": [1.6, 1]})
    fig.subplots_adjust(left=0.1, right=0.98, top=0.84, bottom=0.2, wspace=0.3)
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
    ax1.legend(handles=[*bars, *lines], loc="lower right", fontsize=8, frameon=True, framealpha=0.9)
    share = body["clinic_enhanced_share"].astype(float).tolist()
    ax2.barh(ys, share, height=0.6, color=colors, edgecolor=OUTLINE_COLOR, linewidth=0.3)
    _bar_labels(ax2, share, ys, 100)
    lines2 = _reference_lines(
        ax2, float(pref["clinic_enhanced_share"]), national_enhanced_share, "県計", national_label
    )
    _bar_axis(
        ax2,
        xmax=100,
        names=[""] * len(ys),
        xlabel="在支診のうち機能強化型の割合（％）",
        title="在支診のうち機能強化型（単独型＋連携型）",
    )
    ax2.legend(handles=lines2, loc="lower right", fontsize=8, frameon=True, framealpha=0.9)
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
    fig, axes = plt.subplots(1, len(measures), figsize=(13, 6.0), squeeze=False)
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
                ax.text(vmax * 0.015, y, "秘匿", va="center", ha="left", fontsize=7.5, color="#666666")
        lines = _reference_lines(ax, pref, national, "県計", national_label)
        unit = "実施件数" if d["unit"].iloc[0] == "件" else "施設数"
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
