"""Boundaries (区市町村界) and area polygons from the reference catalog.

Coordinates are WGS84 (EPSG:4326) as published; maps and distances use the plane
rectangular system for Kanagawa (JGD2011 平面直角座標系 第IX系, EPSG:6677).
Terms: docs/glossary.md.
"""

from __future__ import annotations

import geopandas as gpd

from homecare.core.errors import ReferenceDataError
from homecare.reference import catalog, municipalities
from homecare.reference.areas import AreaScheme

BOUNDARY_FILE = "n03_kanagawa_2021"
BOUNDARY_DATASET = "municipal_boundaries"
PREFECTURES_FILE = "prefectures_s0001"
PLANE_CRS = "EPSG:6677"  # 平面直角座標系 第IX系 (metres)


def boundary_credit() -> str:
    """The credit line (出典) every map and table using the municipal boundaries must carry."""
    return catalog.load_catalog().credit(BOUNDARY_DATASET)


def load_units() -> gpd.GeoDataFrame:
    """The 58 unit polygons with ``municipality_code, full_name, geometry`` (EPSG:4326).

    Every boundary code must join the reference table exactly once, and every unit must
    have a polygon.
    """
    path = catalog.path_of(BOUNDARY_FILE)
    gdf = gpd.read_file(path)
    gdf = gdf.rename(columns={"N03_007": "municipality_code"})
    gdf["municipality_code"] = gdf["municipality_code"].astype(str).str.zfill(5)
    units = municipalities.units()[["municipality_code", "full_name"]]
    counts = gdf["municipality_code"].value_counts()
    unknown = sorted(set(gdf["municipality_code"]) - set(units["municipality_code"]))
    twice = sorted(counts[counts > 1].index)
    missing = sorted(set(units["municipality_code"]) - set(gdf["municipality_code"]))
    if unknown or twice or missing:
        raise ReferenceDataError(
            f"{BOUNDARY_FILE}: boundary codes do not join the reference table once each: "
            f"unknown {unknown}, duplicated {twice}, without polygon {missing}"
        )
    out = gdf[["municipality_code", "geometry"]].merge(units, on="municipality_code", validate="1:1")
    return gpd.GeoDataFrame(
        out.sort_values("municipality_code").reset_index(drop=True), geometry="geometry", crs=gdf.crs or "EPSG:4326"
    )


def load_prefectures() -> gpd.GeoDataFrame:
    """Prefecture outlines (``prefecture, geometry``), for grey context around maps."""
    gdf = gpd.read_file(catalog.path_of(PREFECTURES_FILE))
    return gdf.rename(columns={"N03_001": "prefecture"})[["prefecture", "geometry"]]


def dissolve_areas(units: gpd.GeoDataFrame, scheme: AreaScheme) -> gpd.GeoDataFrame:
    """Area polygons (``area, area_order, color, geometry``) by dissolving unit polygons."""
    joined = units.merge(scheme.assignment(), on="municipality_code", validate="1:1")
    areas = joined.dissolve(by="area", as_index=False, aggfunc={"area_order": "first"})
    areas["color"] = areas["area"].map(scheme.colors)
    return areas.sort_values("area_order").reset_index(drop=True)[["area", "area_order", "color", "geometry"]]
