"""Area reference map (圏域図): the 58 units coloured by area, with outlines and names."""

from __future__ import annotations

import geopandas as gpd
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from homecare.figures import maps, style
from homecare.reference import geo
from homecare.reference.areas import AreaScheme


def plot_area_map(
    units: gpd.GeoDataFrame,
    scheme: AreaScheme,
    prefectures: gpd.GeoDataFrame | None = None,
    *,
    sample: bool | None = None,
    label_units: bool = False,
) -> Figure:
    """Map of the units coloured by their area in ``scheme`` (e.g. 二次保健医療圏), unit borders
    in white, area outlines in dark grey, area names at their centre and a legend listing each
    area with its number of units. ``units`` comes from :func:`homecare.reference.geo.load_units`."""
    style.apply_style()
    joined = units.merge(scheme.assignment(), on="municipality_code", validate="1:1")
    unit_p = maps.projected(joined)
    area_p = maps.projected(geo.dissolve_areas(units, scheme))
    fig, ax = plt.subplots(figsize=(12, 7.2))
    fig.subplots_adjust(left=0.01, right=0.80, top=0.93, bottom=0.07)
    maps.draw_context(ax, maps.padded_extent(area_p), prefectures)
    unit_p.plot(ax=ax, color=unit_p["area"].map(scheme.colors), alpha=0.55, edgecolor="white", linewidth=0.5)
    area_p.boundary.plot(ax=ax, color="#333333", linewidth=1.3)
    if label_units:
        for row in unit_p.itertuples():
            p = row.geometry.representative_point()
            maps.label(ax, p.x, p.y, row.full_name.split("市")[-1], size=6)
    for name, (x, y) in maps.label_points(area_p).items():
        maps.label(ax, x, y, name, size=12)
    counts = scheme.assignment()["area"].value_counts()
    handles = [
        Patch(facecolor=a.color, alpha=0.55, edgecolor="#333333", label=f"{a.name}（{counts[a.name]}）")
        for a in scheme.areas
    ]
    ax.legend(
        handles=handles,
        title="圏域（構成区市町村数）",
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        title_fontsize=10,
    )
    maps.tidy_axes(ax)
    status = {"verify": "（区分は要確認）", "scenario": "（検討用シナリオ・公式区分ではない）"}.get(scheme.status, "")
    return style.finish_figure(
        fig,
        title=f"神奈川県の{scheme.label}{status}",
        sources=[geo.boundary_credit(), f"圏域区分：{scheme.source}"],
        sample=sample,
        caption=f"{scheme.label}（{len(scheme.areas)}圏域）と構成する区市町村（58区市町村単位）",
    )
