"""Coordinate checks and area assignment (座標の点検・圏域割当)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from homecare.facilities import coords
from homecare.facilities.assign import assign_areas, load_locator
from homecare.facilities.gazetteer import load_gazetteer
from homecare.reference import areas, geo


def test_classify_coordinates() -> None:
    lat = pd.Series([35.44, 0.0, 139.6, 35.68, np.nan, 35.4478, 35.4478, 35.4478])
    lon = pd.Series([139.64, 0.0, 35.44, 139.99, 139.6, 139.6425, 139.6425, 139.6425])
    addr = pd.Series(["a", "b", "c", "d", "e", "f", "g", "h"])
    assert coords.classify(lat, lon, addr).tolist() == [
        "ok",
        "zero",
        "swapped",
        "outside",
        "missing",
        "placeholder",
        "placeholder",
        "placeholder",
    ]


def test_shared_point_same_address_is_not_placeholder() -> None:
    lat = pd.Series([35.4478] * 3)
    lon = pd.Series([139.6425] * 3)
    assert (coords.classify(lat, lon, pd.Series(["x", "x", "x"])) == "ok").all()


def test_to_float_handles_text() -> None:
    assert coords.to_float(pd.Series(["３５.４", "", "abc"])).tolist()[0] == 35.4
    assert coords.to_float(pd.Series(["", "abc"])).isna().all()


@pytest.fixture(scope="module")
def sea_points():
    """Points south of the southernmost coast vertex: 300 m and 5 km outside every polygon."""
    units = geo.load_units().to_crs(geo.PLANE_CRS)
    union = shapely.union_all(units.geometry.to_numpy())
    xy = shapely.get_coordinates(union)
    x, y = xy[np.argmin(xy[:, 1])]
    back = Transformer.from_crs(geo.PLANE_CRS, "EPSG:4326", always_xy=True)
    near = back.transform(x, y - 300)
    far = back.transform(x, y - 5000)
    return near, far


def test_tolerance_fallback(sea_points) -> None:
    (lon1, lat1), (lon2, lat2) = sea_points
    loc = load_locator().locate(np.array([lat1, lat2, np.nan]), np.array([lon1, lon2, np.nan]), 1500.0)
    assert loc["point_how"].tolist() == ["nearest", "outside", "none"]
    assert loc.loc[0, "point_code"] == "14210"  # 三浦市
    assert 250 <= loc.loc[0, "point_distance_m"] <= 310
    strict = load_locator().locate(np.array([lat1]), np.array([lon1]), 100.0)
    assert strict.loc[0, "point_how"] == "outside"


def _geocoded(addresses: list[str]) -> pd.DataFrame:
    return load_gazetteer().geocode_many(addresses)


def test_assign_address_is_authoritative_and_disagreement_reported() -> None:
    df = _geocoded(["横浜市青葉区あざみ野2-3-1"])
    df.loc[0, ["lat", "lon"]] = [35.586, 139.574]  # a point in 川崎市宮前区
    out = assign_areas(df, areas.load_scheme(), point_is_source=pd.Series([True]))
    assert out.loc[0, "municipality_code"] == "14117" and out.loc[0, "area"] == "横浜"
    assert bool(out.loc[0, "disagreement"]) and "不一致" in out.loc[0, "geocode_note"]


def test_assign_point_used_only_without_municipality(sea_points) -> None:
    (lon1, lat1), _ = sea_points
    df = _geocoded(["住所不明", "住所不明"])
    df.loc[0, ["lat", "lon"]] = [35.5798, 139.6578]  # 中原区
    df.loc[1, ["lat", "lon"]] = [lat1, lon1]
    out = assign_areas(df, areas.load_scheme(), point_is_source=pd.Series([True, True]))
    assert out["municipality_code"].tolist() == ["14133", "14210"]
    assert out["area"].tolist() == ["川崎南部", "横須賀・三浦"]
    assert "m（許容 1500 m 以内の最寄り）" in out.loc[1, "geocode_note"]


def test_assign_outside_address_never_placed_in_kanagawa() -> None:
    df = _geocoded(["東京都町田市原町田6-1-1"])
    df.loc[0, ["lat", "lon"]] = [35.5423, 139.4466]  # close to 相模原市南区
    out = assign_areas(df, areas.load_scheme(), point_is_source=pd.Series([True]))
    assert out.loc[0, "municipality_code"] == "" and out.loc[0, "area"] == ""


def test_assign_city_without_ward_gets_area_when_all_wards_share_it() -> None:
    out = assign_areas(_geocoded(["相模原市存在しない町1"]), areas.load_scheme())
    assert out.loc[0, "municipality_code"] == "" and out.loc[0, "area"] == "相模原"
    out = assign_areas(_geocoded(["川崎市存在しない町1"]), areas.load_scheme())
    assert out.loc[0, "area"] == ""  # 川崎 wards are in two areas: no guess


def test_assign_other_scheme() -> None:
    out = assign_areas(_geocoded(["川崎市中原区小杉町1-403"]), areas.load_scheme("scenario_yokohama3_kawasaki1"))
    assert out.loc[0, "area_scheme"] == "scenario_yokohama3_kawasaki1" and out.loc[0, "area"] != ""
