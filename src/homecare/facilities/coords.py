"""Checks of coordinates given in the source files (所在地座標の点検).

Known problems of the open-data files: 0.0/0.0 or empty coordinates, latitude and
longitude swapped, points far outside Kanagawa, and one placeholder point (e.g. the
prefectural office) shared by many facilities at different addresses. Each is detected
here, vectorised; :mod:`homecare.facilities.pipeline` replaces such points by the
geocoded point and notes why. Whether a plausible point lies in the right unit is
checked against the polygons in :mod:`homecare.facilities.assign`.
"""

from __future__ import annotations

import pandas as pd

# Kanagawa's extent with a margin of about 5 km (lat 35.13-35.67, lon 138.92-139.78).
LAT_RANGE = (35.08, 35.72)
LON_RANGE = (138.86, 139.84)
PLACEHOLDER_MIN_ROWS = 3  # one point at >= this many distinct addresses is a placeholder
PLACEHOLDER_DECIMALS = 5  # about 1 m: points closer than this count as the same point

STATUS_NOTES = {
    "ok": "",
    "missing": "元データに座標なし",
    "zero": "元データの座標が0.0",
    "swapped": "元データの緯度・経度が入れ替わっている",
    "outside": "元データの座標が神奈川県の範囲外",
    "placeholder": "元データの座標が複数の異なる住所で共有されている（仮の座標）",
}


def _in_box(lat: pd.Series, lon: pd.Series) -> pd.Series:
    return lat.between(*LAT_RANGE) & lon.between(*LON_RANGE)


def to_float(values: pd.Series) -> pd.Series:
    """Coordinates as written (text, full-width digits, blanks) to float; NaN when empty
    or not a number (reported as ``missing`` by :func:`classify`)."""
    text = values.astype("string").str.normalize("NFKC").str.strip()
    return pd.to_numeric(text.where(text != ""), errors="coerce").astype(float)


def classify(lat: pd.Series, lon: pd.Series, address_key: pd.Series | None = None) -> pd.Series:
    """Status of each source point: ``ok``, ``missing``, ``zero``, ``swapped``,
    ``outside`` (far from Kanagawa) or ``placeholder`` (shared by at least
    :data:`PLACEHOLDER_MIN_ROWS` distinct addresses, given ``address_key``)."""
    lat = lat.astype(float)
    lon = lon.astype(float)
    status = pd.Series("ok", index=lat.index, dtype=object)
    missing = lat.isna() | lon.isna()
    zero = ~missing & ((lat == 0.0) | (lon == 0.0))
    inside = _in_box(lat, lon)
    swapped = ~missing & ~zero & ~inside & _in_box(lon, lat)
    status[~inside] = "outside"
    status[swapped] = "swapped"
    status[zero] = "zero"
    status[missing] = "missing"
    if address_key is not None:
        ok = status == "ok"
        pts = pd.DataFrame(
            {
                "p": lat.round(PLACEHOLDER_DECIMALS).astype(str) + "," + lon.round(PLACEHOLDER_DECIMALS).astype(str),
                "a": address_key.astype(str),
            }
        )[ok]
        n_addr = pts.groupby("p")["a"].nunique()
        shared = set(n_addr.index[n_addr >= PLACEHOLDER_MIN_ROWS])
        status[ok & pts["p"].reindex(status.index).isin(shared)] = "placeholder"
    return status


def swap_back(lat: pd.Series, lon: pd.Series, status: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Latitude/longitude with swapped pairs put back in order (used only when no
    geocoded point can replace them)."""
    s = status == "swapped"
    return lat.where(~s, lon), lon.where(~s, lat)
