"""Area assignment (圏域の割り当て) of geocoded facility records.

Rules (DOMAIN.md "Geocoding facts"):

1. A unit code given by the source file itself (its 市町村コード) is authoritative: the
   geocoder already placed the record in that unit and flagged an address naming another
   municipality (``code_disagrees``). Otherwise the municipality written in the address
   is: unit code -> area of the scheme.
2. Point-in-polygon on the 58 unit polygons only for records without a usable
   municipality; a point outside every (simplified) polygon is given the nearest unit
   when within ``tolerance_m`` metres, with the distance in the note; farther is "outside".
3. For records with both, the point is cross-checked and every disagreement reported
   (never silently resolved).

Terms: docs/glossary.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from homecare.reference import catalog, geo
from homecare.reference.areas import AreaScheme

DEFAULT_TOLERANCE_M = 1500.0  # the gazetteer's worst point outside its polygon is 1.3 km


@dataclass(frozen=True)
class UnitLocator:
    """STRtree over the unit polygons in metres (平面直角座標系 第IX系)."""

    codes: np.ndarray
    names: np.ndarray
    geoms: np.ndarray
    tree: shapely.STRtree
    to_plane: Transformer

    def locate(self, lat: np.ndarray, lon: np.ndarray, tolerance_m: float) -> pd.DataFrame:
        """Unit of each point: ``point_code``, ``point_name``, ``point_distance_m`` (0 inside),
        ``point_how`` (inside | nearest | outside | none when the point is missing)."""
        lat = np.asarray(lat, dtype=float)
        lon = np.asarray(lon, dtype=float)
        n = len(lat)
        code = np.full(n, "", dtype=object)
        name = np.full(n, "", dtype=object)
        dist = np.full(n, np.nan)
        how = np.full(n, "none", dtype=object)
        valid = ~(np.isnan(lat) | np.isnan(lon))
        idx = np.flatnonzero(valid)
        if len(idx):
            x, y = self.to_plane.transform(lon[idx], lat[idx])
            pts = shapely.points(x, y)
            pairs = self.tree.query(pts, predicate="within")
            # a point on a shared border may hit two polygons: keep the first hit per point
            first = pd.Series(pairs[1]).groupby(pairs[0]).first()
            inside = np.zeros(len(idx), dtype=bool)
            inside[first.index.to_numpy()] = True
            hit = idx[first.index.to_numpy()]
            code[hit] = self.codes[first.to_numpy()]
            name[hit] = self.names[first.to_numpy()]
            dist[hit] = 0.0
            how[hit] = "inside"
            rest = np.flatnonzero(~inside)
            how[idx[rest]] = "outside"
            if len(rest):
                near, d = self.tree.query_nearest(
                    pts[rest], max_distance=tolerance_m, return_distance=True, all_matches=False
                )
                sel = idx[rest[near[0]]]
                code[sel] = self.codes[near[1]]
                name[sel] = self.names[near[1]]
                dist[sel] = np.round(d, 0)
                how[sel] = "nearest"
        return pd.DataFrame({"point_code": code, "point_name": name, "point_distance_m": dist, "point_how": how})


@lru_cache(maxsize=1)
def _locator() -> UnitLocator:
    units = geo.load_units().to_crs(geo.PLANE_CRS)
    return UnitLocator(
        codes=units["municipality_code"].to_numpy(dtype=object),
        names=units["full_name"].to_numpy(dtype=object),
        geoms=units.geometry.to_numpy(),
        tree=shapely.STRtree(units.geometry.to_numpy()),
        to_plane=Transformer.from_crs("EPSG:4326", geo.PLANE_CRS, always_xy=True),
    )


def load_locator() -> UnitLocator:
    """The unit-polygon locator (built once; every call records the boundary file)."""
    loc = _locator()
    catalog.path_of(geo.BOUNDARY_FILE)
    return loc


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def assign_areas(
    df: pd.DataFrame,
    scheme: AreaScheme,
    *,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    locator: UnitLocator | None = None,
    point_is_source: pd.Series | None = None,
    code_hint: pd.Series | None = None,
) -> pd.DataFrame:
    """Add ``area, area_scheme, point_code, point_distance_m, disagreement`` and complete
    ``municipality_code/municipality_name/geocode_note`` of geocoded records.

    ``df`` has the geocoder's columns (:data:`gazetteer.RESULT_COLUMNS` + ``candidates``)
    and ``lat, lon`` (the point to use). ``point_is_source`` marks points taken from the
    source file (only those are evidence against the address); ``code_hint`` is a unit
    code from the source file ("" when none).
    """
    out = df.copy()
    n = len(out)
    locator = locator or load_locator()
    src = (point_is_source if point_is_source is not None else pd.Series(False, index=out.index)).to_numpy(bool)
    hint = (
        (code_hint if code_hint is not None else pd.Series("", index=out.index)).fillna("").astype(str).to_numpy(object)
    )
    code = out["municipality_code"].fillna("").astype(str).to_numpy(object, copy=True)
    mname = out["municipality_name"].fillna("").astype(str).to_numpy(object, copy=True)
    notes = out["geocode_note"].fillna("").astype(str).to_numpy(object, copy=True)
    outside = out["outside"].fillna(False).to_numpy(bool) if "outside" in out else np.zeros(n, dtype=bool)
    cands = out["candidates"].fillna("").astype(str).to_numpy(object) if "candidates" in out else np.full(n, "", object)
    disagree = (
        out["code_disagrees"].fillna(False).to_numpy(bool, copy=True)
        if "code_disagrees" in out
        else np.zeros(n, dtype=bool)
    )
    area_of = {c: a.name for a in scheme.areas for c in a.members}
    full = dict(zip(locator.codes, locator.names, strict=True))
    # vectorised common case (address unit, no source point or code): area by dict lookup;
    # points are located and the loop below run only for records with something to decide
    area = pd.Series(code).map(area_of).fillna("").to_numpy(object).copy()
    todo = np.flatnonzero((code == "") | src | (hint != ""))
    loc = locator.locate(out["lat"].to_numpy(float)[todo], out["lon"].to_numpy(float)[todo], tolerance_m)
    pcode, pname, pdist, phow = (
        np.full(n, "", object),
        np.full(n, "", object),
        np.full(n, np.nan),
        np.full(n, "none", object),
    )
    pcode[todo], pname[todo] = loc["point_code"].to_numpy(object), loc["point_name"].to_numpy(object)
    pdist[todo], phow[todo] = loc["point_distance_m"].to_numpy(float), loc["point_how"].to_numpy(object)
    for i in todo:
        if code[i]:
            if src[i] and phow[i] in ("inside", "nearest") and pcode[i] != code[i]:
                disagree[i] = True
                whose = "元データのコード" if hint[i] == code[i] else "住所"
                notes[i] = _join(
                    notes[i],
                    f"{whose}の区市町村（{mname[i]}）と元データの座標の位置（{pname[i]}）が不一致: {whose}を採用",
                )
            if hint[i] and hint[i] != code[i]:
                disagree[i] = True
                notes[i] = _join(
                    notes[i],
                    f"住所の区市町村（{mname[i]}）と元データの市区町村コード（{hint[i]} {full.get(hint[i], '')}）が不一致: 住所を採用",
                )
        elif outside[i]:  # another prefecture written: no unit, whatever the point or code says
            if (src[i] and phow[i] == "inside") or hint[i] in full:
                disagree[i] = True
                where = pname[i] if src[i] and phow[i] == "inside" else f"コード {hint[i]}"
                notes[i] = _join(
                    notes[i], f"住所は神奈川県外だが元データの座標・コードは県内（{where}）: 住所を採用し未割当"
                )
        elif hint[i] in full:
            code[i], mname[i] = hint[i], full[hint[i]]
            notes[i] = _join(notes[i], f"住所から区市町村を特定できないため元データの市区町村コード（{hint[i]}）を使用")
        elif src[i] and phow[i] in ("inside", "nearest"):
            allowed = cands[i].split("|") if cands[i] else []
            if allowed and pcode[i] not in allowed:
                notes[i] = _join(notes[i], f"座標の位置（{pname[i]}）が住所の候補と一致しないため未割当")
            else:
                code[i], mname[i] = pcode[i], pname[i]
                how = (
                    "の内側"
                    if phow[i] == "inside"
                    else f"から{pdist[i]:.0f} m（許容 {tolerance_m:.0f} m 以内の最寄り）"
                )
                notes[i] = _join(notes[i], f"区市町村を座標から判定: {pname[i]}{how}")
        elif src[i] and phow[i] == "outside":
            notes[i] = _join(
                notes[i], f"座標が全区市町村界から許容 {tolerance_m:.0f} m を超えて離れている（神奈川県外）"
            )
        if code[i]:
            area[i] = area_of.get(code[i], "")
        elif cands[i]:
            areas = {area_of[c] for c in cands[i].split("|")}
            if len(areas) == 1:
                area[i] = areas.pop()
                notes[i] = _join(notes[i], f"候補の区がすべて{area[i]}に属するため圏域のみ割当")
    out["municipality_code"] = code
    out["municipality_name"] = mname
    out["geocode_note"] = notes
    out["area"] = area
    out["area_scheme"] = scheme.id
    out["point_code"] = pcode
    out["point_distance_m"] = pdist
    out["point_how"] = phow
    out["disagreement"] = disagree
    return out
