"""Facilities by area (圏域別の医療・介護資源): map of geocoded facilities by type, counts per area.

Input is the processed table ``facilities`` (one row per facility: ``facility_type`` code,
``municipality_code`` of the 58 units, ``lat``/``lon`` ...). Areas are taken from the unit
code under the scheme passed in (not from the table's own ``area`` column), so the same
facilities can be shown under any scheme. Facility types are shown in display groups
(:data:`FACILITY_GROUPS`), e.g. 特養 = 510 介護老人福祉施設 + 540 地域密着型. These groups are the
one facility-type definition of every per-capita figure and table (05 and 06): rates follow
:mod:`homecare.population.rates` (per 10万人 aged 75+, the population year stated, three
significant figures). Terms: docs/glossary.md.
"""

from __future__ import annotations

import math

import geopandas as gpd
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from homecare.core.errors import ParameterError
from homecare.core.labels import format_significant
from homecare.figures import point_maps, style
from homecare.figures.common import OKABE_ITO, OUTLINE_COLOR, as_of_label, hide_spines
from homecare.population import rates
from homecare.reference import geo
from homecare.reference.areas import AreaScheme

# display group -> facility_type codes (the codes of data/raw/reference/facility_types.csv): the one
# definition of facility types for counts and per-capita rates (05 and 06). 特養 includes 540 地域密着型
# 介護老人福祉施設 (定員29人以下): both are 介護老人福祉施設 under the 介護保険法, as GROUP_NOTES says on the figures.
FACILITY_GROUPS: dict[str, tuple[str, ...]] = {
    "病院": ("hospital",),
    "診療所": ("clinic",),
    "訪問看護": ("130",),
    "特養": ("510", "540"),
    "老健": ("520",),
    "介護医療院": ("550",),
    "特定施設": ("331", "332"),
    "認知症GH": ("320",),
    "居宅介護支援": ("430",),
    "看多機": ("770",),
}
GROUP_NOTES = {
    "特養": "介護老人福祉施設（地域密着型を含む）",
    "特定施設": "有料老人ホーム・軽費老人ホーム（特定施設）",
    "認知症GH": "認知症対応型共同生活介護",
    "看多機": "看護小規模多機能型居宅介護",
}
MAP_GROUPS = ("病院", "診療所", "訪問看護", "特養", "老健", "介護医療院", "特定施設", "認知症GH")
# the facility maps of stage 05: two groups per figure, so that maps and markers read on a slide
MAP_SETS: dict[str, tuple[str, ...]] = {
    "hospital_clinic": ("病院", "診療所"),
    "nursing_tokuyo": ("訪問看護", "特養"),
    "roken_iryoin": ("老健", "介護医療院"),
    "residential": ("特定施設", "認知症GH"),
}
GROUP_COLORS = dict(
    zip(
        FACILITY_GROUPS,
        [
            OKABE_ITO["blue"],
            OKABE_ITO["sky"],
            OKABE_ITO["orange"],
            OKABE_ITO["vermillion"],
            OKABE_ITO["green"],
            OKABE_ITO["purple"],
            "#7F4F24",
            "#444444",
            OKABE_ITO["grey"],
            OKABE_ITO["yellow"],
        ],
        strict=True,
    )
)
FACILITY_SOURCES = [
    "厚生労働省「医療情報ネット（ナビイ）」オープンデータ",
    "厚生労働省「介護サービス情報公表システム」オープンデータ",
]
UNKNOWN_AREA = "区市町村不明"


def group_of_type() -> dict[str, str]:
    """facility_type code -> display group."""
    return {code: group for group, codes in FACILITY_GROUPS.items() for code in codes}


def with_groups(facilities: pd.DataFrame, scheme: AreaScheme) -> pd.DataFrame:
    """Facilities with ``group`` (display group; types outside every group are dropped) and
    ``area`` under ``scheme`` (:meth:`AreaScheme.areas_of`). A facility whose unit
    (``municipality_code``) is unknown gets 区市町村不明, even when stage 03 could narrow it to
    one area, so that area counts are sums of units. Records the merge marked as duplicates of
    another record (``is_primary`` False: the same facility from two sources) are left out, so
    that each facility counts once."""
    df = facilities.copy()
    if "is_primary" in df.columns:
        df = df[df["is_primary"].astype(bool)]
    df["group"] = df["facility_type"].astype(str).map(group_of_type())
    df = df[df["group"].notna()].copy()
    df["area"] = scheme.areas_of(df).where(df["municipality_code"].notna()).fillna(UNKNOWN_AREA)
    return df


def facility_counts_table(
    facilities: pd.DataFrame,
    scheme: AreaScheme,
    aged75: tuple[pd.Series, int] | None = None,
) -> pd.DataFrame:
    """The table behind the counts figure: one row per area (scheme order), the prefecture
    total 県計 (the sum of the areas, i.e. of the Kanagawa units) and, when there are any,
    a last row 区市町村不明 (facilities in scope whose unit is unknown: shown, never added to
    県計), facility counts per display group and, when ``aged75`` (75歳以上人口 per area and
    its year, :func:`homecare.population.rates.aged75_by_area`) is given, that population and
    the counts per 10万人 aged 75+ (:func:`homecare.population.rates.rate_header`, three
    significant figures)."""
    df = with_groups(facilities, scheme)
    counts = df.pivot_table(index="area", columns="group", values="facility_id", aggfunc="count", fill_value=0)
    rows = scheme.area_names + ([UNKNOWN_AREA] if UNKNOWN_AREA in counts.index else [])
    counts = counts.reindex(index=rows, columns=list(FACILITY_GROUPS), fill_value=0).astype(int)
    counts.loc["県計"] = counts.loc[scheme.area_names].sum()
    out = pd.DataFrame({scheme.label: counts.index})
    for g in FACILITY_GROUPS:
        out[f"{g}（施設）"] = counts[g].to_numpy()
    if aged75 is not None:
        aged, year = aged75
        aged = aged.reindex(scheme.area_names)
        aged_all = list(aged) + ([pd.NA] if UNKNOWN_AREA in counts.index else []) + [aged.sum()]
        out[rates.population_header(year)] = pd.array(
            [None if pd.isna(v) else int(round(float(v))) for v in aged_all], dtype="Int64"
        )
        denom = pd.to_numeric(out[rates.population_header(year)], errors="coerce").astype(float)
        for g in FACILITY_GROUPS:
            out[rates.rate_header(g, year)] = rates.published_rate(rates.per_aged75(out[f"{g}（施設）"], denom))
    unknown = out[scheme.label] == UNKNOWN_AREA  # on its own line after the total, never in it
    return pd.concat([out[~unknown], out[unknown]], ignore_index=True)


def plot_facility_map(
    facilities: pd.DataFrame,
    units: gpd.GeoDataFrame,
    scheme: AreaScheme,
    prefectures: gpd.GeoDataFrame | None = None,
    *,
    groups: tuple[str, ...] | list[str] = MAP_SETS["hospital_clinic"],
    as_of: str | None = None,
    sample: bool | None = None,
    sources: list[str] | None = None,
) -> Figure:
    """医療・介護施設の分布: one map per facility group of ``groups`` (two per figure reads on a
    slide; :data:`MAP_SETS` lists the figures of the stage), the facilities as markers over
    neutral land with area borders and names; the panel title gives the count, the note how
    precise the positions are (:func:`homecare.figures.point_maps.position_note`). ``as_of`` is
    the facility files' date (時点, 2025-12-01)."""
    style.apply_style()
    unknown = sorted(set(groups) - set(FACILITY_GROUPS))
    if unknown:
        raise ParameterError(f"unknown facility groups {unknown}; known: {list(FACILITY_GROUPS)}")
    df = with_groups(facilities, scheme)
    duplicates = len(with_groups(facilities.assign(is_primary=True), scheme)) - len(df)
    unknown_unit = int((df["area"] == UNKNOWN_AREA).sum())
    df = df[(df["area"] != UNKNOWN_AREA) & df["group"].isin(groups)]  # the Kanagawa units only
    pts = point_maps.located_points(df)
    frame = point_maps.map_frame(units, scheme, prefectures)
    fig, axes = plt.subplots(1, len(groups), figsize=style.SLIDE_AREA_IN, squeeze=False)
    fig.subplots_adjust(left=0.005, right=0.995, top=0.86, bottom=0.17, wspace=0.02)
    for ax, group in zip(axes[0], groups, strict=True):
        layer = point_maps.PointLayer(group, pts[pts["group"] == group], GROUP_COLORS[group])
        total = int((df["group"] == group).sum())
        point_maps.draw_point_panel(ax, frame, [layer], title=f"{group}（{total:,}施設）")
    named = "、".join(f"{g}＝{GROUP_NOTES[g]}" for g in groups if g in GROUP_NOTES)
    note = (
        (f"{named}。" if named else "")
        + f"{point_maps.position_note(df)}。"
        + (f"重複登録{duplicates:,}件は除外。" if duplicates else "")
        + (f"区市町村不明の{unknown_unit:,}施設は含めない。" if unknown_unit else "")
    )
    when = f"（{as_of_label(as_of)}）" if as_of else ""
    return style.finish_figure(
        fig,
        title=f"医療・介護施設の分布：{'・'.join(groups)}{when}",
        sources=sources or [*FACILITY_SOURCES, geo.boundary_credit()],
        sample=sample,
        caption=f"{'・'.join(groups)}の所在地と{scheme.label}の境界{when}",
        note=note,
    )


def plot_facility_counts(
    facilities: pd.DataFrame,
    scheme: AreaScheme,
    aged75: tuple[pd.Series, int] | None = None,
    *,
    population_source: str = "人口表",
    groups: tuple[str, ...] | list[str] = MAP_GROUPS,
    as_of: str | None = None,
    sample: bool | None = None,
    sources: list[str] | None = None,
) -> Figure:
    """圏域別の施設数（施設種別）: one panel per facility group, one bar per area in the area's
    colour, labelled, every panel on ONE value scale (the groups are compared by eye); with
    ``aged75`` (see :func:`facility_counts_table`) the bars are facilities per 10万人 aged 75+
    (75歳以上人口10万人当たり, labels to three significant figures) and the prefecture value is
    drawn as a dashed line. ``as_of`` is the facility files' date (時点), the population year
    comes with ``aged75``; ``population_source`` names the population table in the 出典 line."""
    style.apply_style()
    table = facility_counts_table(facilities, scheme, aged75)
    per_capita = aged75 is not None
    year = aged75[1] if aged75 is not None else None
    body = table[table[scheme.label].isin(scheme.area_names)].reset_index(drop=True)
    total = table[table[scheme.label] == "県計"].iloc[0]
    columns = [rates.rate_header(g, year) if per_capita else f"{g}（施設）" for g in groups]
    vmax = float(max(body[columns].astype(float).to_numpy().max(), 1e-9))
    ncols = 4
    nrows = math.ceil(len(groups) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=style.SLIDE_AREA_IN, squeeze=False)
    fig.subplots_adjust(left=0.085, right=0.99, top=0.86, bottom=0.165, wspace=0.1, hspace=0.34)
    names = body[scheme.label].tolist()
    colors = [scheme.colors[a] for a in names]
    unit = f"{rates.RATE_LABEL}施設数" if per_capita else "施設数"
    for k, (ax, group, col) in enumerate(zip(axes.flat, groups, columns, strict=False)):
        values = body[col].astype(float).to_numpy()
        ax.barh(range(len(names)), values, color=colors, edgecolor=OUTLINE_COLOR, linewidth=0.3, height=0.72)
        for y, v in enumerate(values):
            ax.text(
                v + vmax * 0.02,
                y,
                format_significant(v) if per_capita else f"{v:,.0f}",
                va="center",
                ha="left",
                fontsize=8.5,
                bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none"},
                zorder=5,
            )
        if per_capita:
            ax.axvline(float(total[col]), color="#444444", linestyle="--", linewidth=1)
        ax.set_xlim(0, vmax * 1.25)
        ax.set_yticks(range(len(names)), names if k % ncols == 0 else [""] * len(names), fontsize=9)
        ax.invert_yaxis()
        ax.set_title(f"{group}（県計 {int(total[f'{group}（施設）']):,}施設）", fontsize=10.5, loc="left")
        ax.tick_params(axis="x", labelsize=9)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=not per_capita))
        ax.grid(axis="y", visible=False)
        hide_spines(ax)
        style.declare_panel(ax, unit, axis="x")
    for ax in list(axes.flat)[len(groups) :]:
        ax.set_visible(False)
    named = "、".join(f"{g}＝{GROUP_NOTES[g]}" for g in groups if g in GROUP_NOTES)
    when = f"施設は{as_of_label(as_of)}。" if as_of else ""
    note = f"横軸は{unit}（全パネル同じ目盛り）。{when}" + (
        f"破線は県全体の値。人口は{year}年（75歳以上、男女計）。\n{named}。" if per_capita else f"\n{named}。"
    )
    if UNKNOWN_AREA in set(table[scheme.label]):
        row = table[table[scheme.label] == UNKNOWN_AREA].iloc[0]
        n_unknown = sum(int(row[f"{g}（施設）"]) for g in groups)
        note += f"区市町村不明の{n_unknown:,}施設は県計に含めない。"
    pop_sources = [f"人口：{population_source}"] if per_capita else []
    title_when = f"（{as_of_label(as_of)}）" if as_of and not per_capita else ""
    return style.finish_figure(
        fig,
        title=f"{scheme.label}別の医療・介護施設数" + (f"（{rates.RATE_LABEL}）" if per_capita else title_when),
        sources=sources or [*FACILITY_SOURCES, *pop_sources],
        sample=sample,
        caption=f"施設種別ごとの{scheme.label}別{unit}",
        note=note,
    )
