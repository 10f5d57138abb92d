"""Helpers shared by the figure modules: category palettes, area legends, insurer units.

Area colours always come from the scheme (``AreaScheme.colors``); the palettes here are for
categories that are not areas (facility types, statuses), from the Okabe-Ito colour-blind
safe set, so that no category colour is read as an area.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from homecare.core.dates import reiwa_year_month
from homecare.reference import municipalities
from homecare.reference.areas import AreaScheme

# Okabe & Ito (2008) colour-blind safe palette
OKABE_ITO = {
    "blue": "#0072B2",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "orange": "#E69F00",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}
UNCOVERED_COLOR = "#D4D4D4"  # darker than the neighbouring prefectures (#EEEEEE)
OUTLINE_COLOR = "#333333"


def area_handles(scheme: AreaScheme, alpha: float = 1.0) -> list[Patch]:
    """Legend patches, one per area in display order, in the area's colour."""
    return [Patch(facecolor=a.color, alpha=alpha, edgecolor=OUTLINE_COLOR, label=a.name) for a in scheme.areas]


def insurer_of_units() -> pd.DataFrame:
    """The insurer (保険者) of each of the 58 units: ``municipality_code`` (unit) and
    ``insurer_code`` — the city code for wards of a designated city (横浜市 14100, 川崎市 14130,
    相模原市 14150), the unit's own code otherwise."""
    table = municipalities.load_municipalities()
    units = table[table["is_unit"].astype(int) == 1]
    parent = units["parent_code"].astype("string").fillna("").str.strip()
    insurer = parent.where(parent != "", units["municipality_code"].astype(str))
    return pd.DataFrame(
        {"municipality_code": units["municipality_code"].astype(str).to_numpy(), "insurer_code": insurer.to_numpy()}
    )


def insurer_areas(scheme: AreaScheme) -> pd.DataFrame:
    """Each insurer's area(s) under ``scheme``: ``insurer_code, area`` (the first area in display
    order that holds one of its units), ``areas`` (all of them, joined with 、),
    ``area_order``. 川崎市 spans 川崎北部 and 川崎南部 in the 二次保健医療圏."""
    joined = insurer_of_units().merge(scheme.assignment(), on="municipality_code", validate="1:1")
    rows = []
    for code, grp in joined.groupby("insurer_code", sort=True):
        ordered = grp.drop_duplicates("area").sort_values("area_order")
        rows.append(
            {
                "insurer_code": code,
                "area": ordered["area"].iloc[0],
                "areas": "、".join(ordered["area"]),  # 、 because area names contain ・
                "n_areas": len(ordered),
                "area_order": int(ordered["area_order"].iloc[0]),
            }
        )
    return pd.DataFrame(rows)


def insurer_area_pairs(scheme: AreaScheme) -> pd.DataFrame:
    """Every (insurer, area) pair where the insurer has a unit in the area: an insurer spanning
    two areas (川崎市) counts in both, with the city's value, when aggregating by area."""
    joined = insurer_of_units().merge(scheme.assignment(), on="municipality_code", validate="1:1")
    return (
        joined[["insurer_code", "area", "area_order"]]
        .drop_duplicates()
        .sort_values(["area_order", "insurer_code"])
        .reset_index(drop=True)
    )


def insurer_polygons(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Unit polygons dissolved to insurers (wards of a designated city become the city)."""
    joined = units.merge(insurer_of_units(), on="municipality_code", validate="1:1")
    return joined.dissolve(by="insurer_code", as_index=False)[["insurer_code", "geometry"]]


def hide_spines(ax: Axes, *sides: str) -> None:
    """Remove the named spines (default: top and right) for a cleaner bar chart."""
    for side in sides or ("top", "right"):
        ax.spines[side].set_visible(False)


def text_color_on(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (WCAG relative luminance)."""
    from matplotlib.colors import to_rgb

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(fill))
    return "#111111" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.25 else "white"


def area_tag(
    ax: Axes, area: str, color: str, xy: tuple[float, float], xycoords, offset: tuple[float, float], size: float = 9.5
) -> None:
    """An area name on a chip of the area's colour (light area colours are unreadable as text)."""
    ax.annotate(
        area,
        xy=xy,
        xycoords=xycoords,
        xytext=offset,
        textcoords="offset points",
        ha="right",
        va="center",
        fontsize=size,
        color=text_color_on(color),
        bbox={"boxstyle": "round,pad=0.25", "facecolor": color, "edgecolor": "none"},
    )


def short_name(full_name: str) -> str:
    """Unit name without the county (足柄上郡松田町 -> 松田町), for labels."""
    return full_name.split("郡")[-1]


def as_of_label(as_of: str) -> str:
    """A data date as printed in council figures (時点): 2025-12-01 -> 令和7年12月1日時点,
    2025-12 -> 令和7年12月時点."""
    parts = [int(p) for p in str(as_of).split("-")]
    era = reiwa_year_month(parts[0], parts[1])
    return f"{era}{parts[2]}日時点" if len(parts) == 3 else f"{era}時点"
