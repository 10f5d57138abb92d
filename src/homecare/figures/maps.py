"""Shared map drawing: projected unit/area polygons, prefecture context, area labels.

Every map in the repository draws its base through these helpers so outlines, context,
label halos and the N03 credit look the same everywhere.
"""

from __future__ import annotations

import geopandas as gpd
import matplotlib.patheffects as pe
from matplotlib.axes import Axes

from homecare.reference import geo

CONTEXT_COLOR = "#EEEEEE"
CONTEXT_EDGE = "#BBBBBB"
SEA_COLOR = "#F4F8FB"
NEIGHBOURS = ("東京都", "山梨県", "静岡県")


DENSE_POINTS = 1_000
"""A point layer with more markers than this is rasterised in vector output (SVG, PDF): each
marker would otherwise be a path of its own (100,000 facilities: 14 MiB of SVG against under
3 MiB rasterised at the figure's 300 dpi). PNGs are the same either way; a smaller layer stays
vector, so that its markers can be edited."""


def plot_points(points: gpd.GeoDataFrame, ax: Axes, **style: object) -> None:
    """Draw a point layer on ``ax`` (geopandas keywords: color, marker, markersize, ...),
    rasterised in SVG when dense (:data:`DENSE_POINTS`)."""
    points.plot(ax=ax, rasterized=len(points) > DENSE_POINTS, **style)


def projected(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``gdf`` in the plane rectangular system used for all maps (metres)."""
    return gdf.to_crs(geo.PLANE_CRS)


def draw_context(ax: Axes, extent: tuple[float, float, float, float], prefectures: gpd.GeoDataFrame | None) -> None:
    """Sea background and grey neighbouring prefectures, clipped to ``extent`` (minx, miny, maxx, maxy)."""
    ax.set_facecolor(SEA_COLOR)
    if prefectures is not None:
        ctx = projected(prefectures[prefectures["prefecture"].isin(NEIGHBOURS)])
        ctx.plot(ax=ax, color=CONTEXT_COLOR, edgecolor=CONTEXT_EDGE, linewidth=0.6)
        for row in ctx.itertuples():
            p = row.geometry.intersection(_box(extent)).representative_point()
            if not p.is_empty:
                ax.annotate(row.prefecture, (p.x, p.y), ha="center", va="center", fontsize=9, color="#999999")
    minx, miny, maxx, maxy = extent
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect("equal")
    tidy_axes(ax)


def tidy_axes(ax: Axes) -> None:
    """No ticks, grid, spines or the CRS axis labels geopandas adds: call after plotting."""
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _box(extent: tuple[float, float, float, float]):
    from shapely.geometry import box

    return box(*extent)


def padded_extent(gdf: gpd.GeoDataFrame, pad: float = 0.04) -> tuple[float, float, float, float]:
    """Bounds of ``gdf`` (projected) with a relative margin."""
    minx, miny, maxx, maxy = gdf.total_bounds
    dx, dy = (maxx - minx) * pad, (maxy - miny) * pad
    return (minx - dx, miny - dy, maxx + dx, maxy + dy)


def label(ax: Axes, x: float, y: float, text: str, size: float = 10) -> None:
    """A map label with a white halo so it reads over any fill."""
    ax.annotate(
        text,
        (x, y),
        ha="center",
        va="center",
        fontsize=size,
        color="#111111",
        path_effects=[pe.withStroke(linewidth=3, foreground="white")],
    )


def label_points(areas: gpd.GeoDataFrame) -> dict[str, tuple[float, float]]:
    """Label anchor per area: the representative point of its largest part, so that
    multi-part areas (islands, coast slivers) are labelled where most of them is."""
    anchors = {}
    for row in areas.itertuples():
        geom = row.geometry
        if geom.geom_type == "MultiPolygon":
            geom = max(geom.geoms, key=lambda g: g.area)
        p = geom.representative_point()
        anchors[row.area] = (p.x, p.y)
    return anchors
