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


DENSE_POINTS = 800  # a layer with more markers is drawn translucent, so that density shows
RASTER_POINTS = 10_000
"""A layer with more markers than this is rasterised in vector output (SVG, PDF), at the
figure's 300 dpi; PNGs are the same either way. Measured on one slide-size panel: 100,000
markers take 16 MiB of SVG as paths and 2.2 MiB rasterised, 20,000 take 3.2 and 1.7 MiB, but
5,000 take 0.8 MiB as paths against 1.3 MiB rasterised; below this limit the markers stay
vector (and editable)."""


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


# --- house style of every map (issue 15): one dark outline for areas, thin light unit borders,
# neutral ground under point layers, classed fills, markers legible on a slide ---------------

AREA_EDGE = "#333333"  # the one outline colour of area borders, over any fill
AREA_EDGE_WIDTH = 1.3
UNIT_EDGE = "#FFFFFF"  # unit (区市町村) borders: thin and light
UNIT_EDGE_WIDTH = 0.5
NEUTRAL_FILL = "#FBFBF8"  # land under point layers: no colour a marker could be confused with
MARKER_MM = 2.4  # marker diameter on a 16:9 slide (≥ ~2 mm reads at a glance)


def draw_area_outlines(ax: Axes, area_p: gpd.GeoDataFrame, *, linewidth: float = AREA_EDGE_WIDTH) -> None:
    """Area borders in the one dark outline colour, above the fills."""
    area_p.boundary.plot(ax=ax, color=AREA_EDGE, linewidth=linewidth, zorder=3)


def draw_units(ax: Axes, unit_p: gpd.GeoDataFrame, colors: list[str] | str, *, hatch: str | None = None) -> None:
    """Units filled with ``colors`` (one per row, or one for all), thin light borders."""
    unit_p.plot(ax=ax, color=colors, edgecolor=UNIT_EDGE, linewidth=UNIT_EDGE_WIDTH, hatch=hatch, zorder=2)


def draw_classed(ax: Axes, shapes: gpd.GeoDataFrame, values, classes, *, missing: str, edge: str = UNIT_EDGE) -> None:
    """A classed choropleth: each shape in the colour of its value's class
    (:class:`homecare.figures.classes.Classes`), ``missing`` where there is no value."""
    shapes.plot(ax=ax, color=classes.color_of(values, missing), edgecolor=edge, linewidth=UNIT_EDGE_WIDTH, zorder=2)


def marker_area(mm: float = MARKER_MM) -> float:
    """matplotlib scatter size (pt², the square of the diameter) of a marker ``mm`` across."""
    return (mm / 25.4 * 72) ** 2


def draw_points(
    ax: Axes,
    pts: gpd.GeoDataFrame,
    color: str,
    *,
    marker: str = "o",
    mm: float = MARKER_MM,
    label: str | None = None,
) -> None:
    """A point layer of one kind: markers ``mm`` across with a dark edge, over the map; a layer
    of more than :data:`DENSE_POINTS` markers translucent, of more than :data:`RASTER_POINTS`
    rasterised in SVG."""
    if pts.empty:
        return
    dense = len(pts) > DENSE_POINTS
    ax.scatter(
        pts.geometry.x,
        pts.geometry.y,
        s=marker_area(mm),
        c=color,
        marker=marker,
        alpha=0.55 if dense else 1.0,
        edgecolors="#222222",
        linewidths=0.2 if dense else 0.4,
        zorder=5,
        label=label,
        rasterized=len(pts) > RASTER_POINTS,
    )
