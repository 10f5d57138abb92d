"""Point maps of facilities and medical institutions (施設の分布図) in the house style: neutral
light land (no fill a marker could be confused with), unit borders thin and white, area
borders dark, area names, markers at least ~2 mm across on a slide, one facility type per
panel, and a note saying how precise the positions are (位置の精度: the source's coordinates,
the representative point of the 町丁目・大字 of the address, or of the 区市町村).
Terms: docs/glossary.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from homecare.figures import map_labels, maps, style
from homecare.reference import geo
from homecare.reference.areas import AreaScheme

PANEL_MEASURE = "施設の所在地"


@dataclass(frozen=True)
class MapFrame:
    """What every panel of a point map draws on: units, areas (projected), extent, context."""

    units: gpd.GeoDataFrame
    areas: gpd.GeoDataFrame
    extent: tuple[float, float, float, float]
    prefectures: gpd.GeoDataFrame | None


def map_frame(units: gpd.GeoDataFrame, scheme: AreaScheme, prefectures: gpd.GeoDataFrame | None) -> MapFrame:
    """The projected units and areas of ``scheme`` and a common extent for every panel."""
    area_p = maps.projected(geo.dissolve_areas(units, scheme))
    return MapFrame(maps.projected(units), area_p, maps.padded_extent(area_p, pad=0.03), prefectures)


@dataclass(frozen=True)
class PointLayer:
    """One kind of point on a panel (機能強化型, 従来型 …) with its colour and marker."""

    label: str
    points: gpd.GeoDataFrame
    color: str
    marker: str = "o"


def located_points(df: pd.DataFrame) -> gpd.GeoDataFrame:
    """Rows with ``lat``/``lon`` as projected points (rows without a position are left out)."""
    has = df[df["lat"].notna() & df["lon"].notna()]
    return maps.projected(gpd.GeoDataFrame(has, geometry=gpd.points_from_xy(has["lon"], has["lat"]), crs="EPSG:4326"))


def draw_point_panel(ax: Axes, frame: MapFrame, layers: list[PointLayer], *, title: str) -> None:
    """One panel: neutral land, area borders and names, then the point layers on top."""
    maps.draw_context(ax, frame.extent, frame.prefectures)
    maps.draw_units(ax, frame.units, maps.NEUTRAL_FILL)
    maps.draw_area_outlines(ax, frame.areas, linewidth=1.0)
    xy = [np.column_stack([la.points.geometry.x, la.points.geometry.y]) for la in layers if not la.points.empty]
    map_labels.place_labels(
        ax,
        [map_labels.MapLabel(r.area, r.area, r.geometry) for r in frame.areas.itertuples()],
        size=9,
        zorder=4,  # markers stay on top of the names
        avoid=np.vstack(xy) if xy else None,
    )
    for layer in layers:
        maps.draw_points(ax, layer.points, layer.color, marker=layer.marker, label=layer.label)
    ax.set_title(title, loc="left", fontsize=12)
    style.declare_panel(ax, PANEL_MEASURE)
    maps.tidy_axes(ax)


def position_note(df: pd.DataFrame) -> str:
    """How precise the positions are, from the table's own columns: ``coord_source`` (source |
    geocoded | source_swapped | none, as written by stage 03) and ``match_level`` (town |
    municipality | none). A table without ``coord_source`` is placed from its addresses only."""
    src = df["coord_source"] if "coord_source" in df else pd.Series("geocoded", index=df.index)
    level = df["match_level"] if "match_level" in df else pd.Series("town", index=df.index)
    has = df["lat"].notna() & df["lon"].notna()
    parts = []
    n_source = int((has & src.isin(["source", "source_swapped"])).sum())
    n_town = int((has & (src == "geocoded") & (level == "town")).sum())
    n_muni = int((has & (src == "geocoded") & (level == "municipality")).sum())
    if n_source:
        parts.append(f"出典ファイルの座標{n_source:,}")
    if n_town:
        parts.append(f"住所の町丁目・大字の代表点{n_town:,}（位置参照情報）")
    if n_muni:
        parts.append(f"区市町村の代表点{n_muni:,}")
    n_none = int((~has).sum())
    text = "位置の精度：" + "、".join(parts) if parts else "位置の精度：なし"
    if n_town or n_muni:
        text += "（代表点は所在地そのものではない）"
    return text + (f"。位置のない{n_none:,}件は地図に表示せず件数に含む" if n_none else "")
