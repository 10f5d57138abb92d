"""Geocoding facility records and lists (施設のジオコーディングと圏域割当).

:func:`geocode_records` is the one geocode + source-coordinate check + area assignment used
by stage 03 (:func:`geocode_facilities`, :func:`geocode_list`) and by ``homecare geocode``
(:func:`geocode_csv`). For records whose source file gives the unit by its own code
(``source_municipality_code``), that code is authoritative and the town is looked up in that
unit; otherwise the address's municipality is. Source coordinates are used when valid and
replaced with a note otherwise; every disagreement is reported.
Terms: docs/glossary.md.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from homecare.core import paths
from homecare.core.qa import Cleaned, QAEntry, Reconciliation
from homecare.facilities import coords, read, schemas
from homecare.facilities.address import normalize_address
from homecare.facilities.assign import DEFAULT_TOLERANCE_M, assign_areas, load_locator
from homecare.facilities.gazetteer import load_gazetteer
from homecare.reference import areas

GEOCODE_STAGE = "03_geocode_facilities"
OUTPUT_COLUMNS = ["municipality_code", "municipality_name", "town", "lat", "lon", "match_level", "area", "geocode_note"]


def geocode_records(
    addresses: pd.Series,
    scheme: areas.AreaScheme,
    *,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    src_lat: pd.Series | None = None,
    src_lon: pd.Series | None = None,
    code_hint: pd.Series | None = None,
) -> pd.DataFrame:
    """Geocode addresses, check source coordinates, assign units and areas.

    Returns, index-aligned with ``addresses``: :data:`OUTPUT_COLUMNS` plus ``coord_source``
    (source | geocoded | source_swapped | none), ``coord_status`` (see :mod:`coords`),
    ``area_scheme``, ``point_code``, ``point_distance_m``, ``disagreement``.
    """
    index = addresses.index
    units = code_hint.fillna("").astype(str).tolist() if code_hint is not None else None
    g = load_gazetteer().geocode_many(addresses.fillna("").astype(str), units)
    g.index = index
    nan = pd.Series(np.nan, index=index)
    lat = src_lat.astype(float) if src_lat is not None else nan
    lon = src_lon.astype(float) if src_lon is not None else nan
    status = coords.classify(lat, lon, address_key=addresses.fillna("").astype(str).map(normalize_address))
    loc = load_locator().locate(lat.to_numpy(), lon.to_numpy(), tolerance_m)
    status[(status == "ok").to_numpy() & (loc["point_how"] == "outside").to_numpy()] = "outside"
    use_src = status == "ok"
    has_geo = g["lat"].notna()
    swapped_lat, swapped_lon = coords.swap_back(lat, lon, status)
    use_swapped = (status == "swapped") & ~has_geo
    g["coord_source"] = np.select([use_src, has_geo, use_swapped], ["source", "geocoded", "source_swapped"], "none")
    g["lat"] = np.select([use_src, has_geo, use_swapped], [lat, g["lat"], swapped_lat], np.nan)
    g["lon"] = np.select([use_src, has_geo, use_swapped], [lon, g["lon"], swapped_lon], np.nan)
    g["coord_status"] = status
    notes = g["geocode_note"].to_numpy(object, copy=True)
    for i in np.flatnonzero((status != "ok").to_numpy() & (status != "missing").to_numpy()):
        what = coords.STATUS_NOTES[status.iloc[i]]
        done = {"geocoded": "住所の点で置換", "source_swapped": "緯度・経度を入れ替えて使用", "none": "使用しない"}[
            g["coord_source"].iloc[i]
        ]
        notes[i] = "; ".join(x for x in (notes[i], f"{what}: {done}") if x)
    g["geocode_note"] = notes
    out = assign_areas(
        g,
        scheme,
        tolerance_m=tolerance_m,
        point_is_source=(g["coord_source"] != "geocoded") & (g["coord_source"] != "none"),
        code_hint=code_hint.fillna("").astype(str) if code_hint is not None else None,
    )
    out.index = index
    return out


def geocode_qa(file: pd.Series, row: pd.Series, column: str, geo: pd.DataFrame, addresses: pd.Series) -> list[QAEntry]:
    """QA entries of the geocoding stage: unmatched, municipality-level only, coordinate
    replaced, address/point disagreement, outside the prefecture."""
    entries: list[QAEntry] = []
    for f, r, a, (_, g) in zip(file, row, addresses, geo.iterrows(), strict=True):
        found: list[tuple[str, str]] = []
        if bool(g.get("outside", False)):
            found.append((f"神奈川県外: {g['geocode_note']}", "kept"))
        elif g["match_level"] == "none":
            found.append((f"住所を照合できない（unmatched）: {g['geocode_note']}", "kept"))
        elif g["match_level"] == "municipality":
            found.append((f"区市町村レベルのみ: {g['geocode_note']}", "kept"))
        if g["coord_status"] not in ("ok", "missing"):
            found.append((f"座標を置換: {coords.STATUS_NOTES[g['coord_status']]}", "replaced"))
        if g["disagreement"]:
            found.append((f"住所と座標・コードの不一致: {g['geocode_note']}", "kept"))
        entries += [
            QAEntry(GEOCODE_STAGE, f, reason, action, row=int(r), column=column, value=a) for reason, action in found
        ]
    return entries


def geocode_facilities(
    merged: pd.DataFrame, scheme_id: str = areas.DEFAULT_SCHEME, tolerance_m: float = DEFAULT_TOLERANCE_M
) -> Cleaned:
    """The ``facilities`` table from ``facilities_raw_merged`` (no row dropped)."""
    scheme = areas.load_scheme(scheme_id)
    geo = geocode_records(
        merged["geocode_address"],
        scheme,
        tolerance_m=tolerance_m,
        src_lat=merged["src_lat"],
        src_lon=merged["src_lon"],
        code_hint=merged["source_municipality_code"],
    )
    df = merged.drop(columns=["src_lat", "src_lon", "building", "n_in_group"]).copy()
    for c in [*OUTPUT_COLUMNS, "coord_source", "coord_status", "area_scheme", "disagreement"]:
        df[c] = geo[c]
    built = (merged["geocode_address"] != merged["address"]).to_numpy()
    df.loc[built, "geocode_note"] = [
        "; ".join(x for x in (f"住所に都道府県名または市区町村名がないため元データの列から補って照合（{a}）", n) if x)
        for a, n in zip(merged.loc[built, "geocode_address"], df.loc[built, "geocode_note"], strict=True)
    ]
    df["point_municipality_code"] = geo["point_code"]
    df["point_distance_m"] = geo["point_distance_m"]
    for c in ("municipality_code", "municipality_name", "town", "area", "point_municipality_code"):
        df[c] = df[c].replace("", pd.NA)
    cols = list(schemas.facilities_schema().columns)
    qa = [
        QAEntry(
            GEOCODE_STAGE,
            f,
            "住所に都道府県名または市区町村名がない: 元データの列から補って照合",
            "kept",
            row=int(r),
            column="所在地/住所",
            value=a,
        )
        for f, r, a in zip(
            df.loc[built, "source_file"], df.loc[built, "source_row"], df.loc[built, "address"], strict=True
        )
    ]
    qa += geocode_qa(df["source_file"], df["source_row"], "所在地/住所", geo, df["address"])
    return Cleaned(df[cols].reset_index(drop=True), qa, Reconciliation(len(merged), len(merged)))


def quarantined_rows(qa: list[QAEntry]) -> int:
    """Distinct (file, row) quarantined in ``qa``."""
    return len({(e.file, e.row) for e in qa if e.action == "quarantined"})


def geocode_list(df: pd.DataFrame, scheme_id: str, tolerance_m: float) -> tuple[pd.DataFrame, list[QAEntry]]:
    """Unit and area of every row of a list with an ``address`` column (協力医療機関, ICT), and its QA."""
    scheme = areas.load_scheme(scheme_id)
    geo = geocode_records(df["address"], scheme, tolerance_m=tolerance_m)
    out = df.copy()
    for c in ("municipality_code", "municipality_name", "area", "area_scheme", "match_level", "geocode_note"):
        out[c] = geo[c]
    for c in ("municipality_code", "municipality_name", "area"):
        out[c] = out[c].replace("", pd.NA)
    return out, geocode_qa(df["source_file"], df["source_row"], "所在地", geo, df["address"])


LISTS = {  # list name -> (reader, schema of the geocoded table)
    "cooperation_notifications": (read.read_cooperation, schemas.cooperation_schema),  # 協力医療機関の届出
    "ict_participants": (read.read_ict_participants, schemas.ict_schema),  # ICT連携ネットワーク参加施設
}


def build_list(
    name: str, path: str, scheme_id: str = areas.DEFAULT_SCHEME, tolerance_m: float = DEFAULT_TOLERANCE_M
) -> Cleaned:
    """One of :data:`LISTS` read from ``path`` with unit and area; rows in = kept + quarantined."""
    reader, schema = LISTS[name]
    df, qa = reader(path)
    out, qa2 = geocode_list(df, scheme_id, tolerance_m)
    quarantined = quarantined_rows(qa)
    return Cleaned(out[list(schema().columns)], qa + qa2, Reconciliation(len(df) + quarantined, len(df), quarantined))


def output_names(prefix: str = "") -> dict[str, str]:
    """{output column: its name in the ``homecare geocode`` output} for ``prefix``."""
    return {c: f"{prefix}{c}" for c in OUTPUT_COLUMNS}


def geocode_csv(
    input_path: str | Path,
    output_path: str | Path,
    *,
    address_column: str = "住所",
    scheme_id: str = areas.DEFAULT_SCHEME,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    prefix: str = "",
) -> pd.DataFrame:
    """``homecare geocode``: keep every input column, add :data:`OUTPUT_COLUMNS` (each name
    preceded by ``prefix``); write UTF-8 with BOM. Input encoding (UTF-8, UTF-8-BOM, CP932) is
    detected. An input column with the name of an output column is an :class:`InputError`
    naming it (never overwritten): rename it or choose a ``prefix``."""
    from homecare.core.encoding import read_csv_text
    from homecare.core.errors import InputError
    from homecare.core.files import atomic_write_bytes, csv_bytes

    df, _ = read_csv_text(input_path)
    file = paths.relative(paths.resolve(input_path))
    if address_column not in df.columns:
        raise InputError(
            f"no column {address_column!r} (columns: {', '.join(df.columns)}); use --address-column", file=file
        )
    names = output_names(prefix)
    clash = [n for n in names.values() if n in df.columns]
    if clash:
        raise InputError(
            f"the input already has column(s) {', '.join(clash)}, which the geocoder adds; input columns are "
            f"never overwritten: rename them, or name the added columns with a prefix (--prefix geo_ adds "
            f"geo_municipality_code, geo_town, ...)",
            file=file,
            column=clash[0],
        )
    geo = geocode_records(df[address_column], areas.load_scheme(scheme_id), tolerance_m=tolerance_m)
    out = df.copy()
    for c, name in names.items():
        out[name] = geo[c]
    atomic_write_bytes(paths.resolve(output_path), csv_bytes(out))
    return out
