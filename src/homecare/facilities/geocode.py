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
from homecare.facilities.address import normalize_addresses
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
    text = addresses.fillna("").astype(str)
    keys = normalize_addresses(text)  # once per distinct address, for the geocoder and the coordinate check
    g = load_gazetteer().geocode_many(text, units, keys=keys)
    g.index = index
    nan = pd.Series(np.nan, index=index)
    lat = src_lat.astype(float) if src_lat is not None else nan
    lon = src_lon.astype(float) if src_lon is not None else nan
    status = coords.classify(lat, lon, address_key=pd.Series(keys, index=index, dtype=object))
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
    states, sources = status.to_numpy(object), g["coord_source"].to_numpy(object)
    done = {"geocoded": "住所の点で置換", "source_swapped": "緯度・経度を入れ替えて使用", "none": "使用しない"}
    for i in np.flatnonzero((states != "ok") & (states != "missing")):
        what = f"{coords.STATUS_NOTES[states[i]]}: {done[sources[i]]}"
        notes[i] = "; ".join(x for x in (notes[i], what) if x)
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
    replaced, address/point disagreement, outside the prefecture. Per row in that order
    (match, coordinates, disagreement); the rows are found with masks, so that only the
    rows to report are visited (a national list has hundreds of thousands of rows)."""
    if not len(file) == len(row) == len(geo) == len(addresses):
        raise ValueError("geocode_qa: file, row, geo and addresses must have the same length")
    level = geo["match_level"].to_numpy(object)
    outside = geo["outside"].to_numpy(bool) if "outside" in geo else np.zeros(len(geo), dtype=bool)
    status = geo["coord_status"].to_numpy(object)
    notes = geo["geocode_note"].to_numpy(object)
    match_prefix = np.select(
        [outside, level == "none", level == "municipality"],
        ["神奈川県外: ", "住所を照合できない（unmatched）: ", "区市町村レベルのみ: "],
        "",
    )
    found: list[tuple[int, int, str, str]] = []  # (row position, order within the row, reason, action)
    for i in np.flatnonzero(match_prefix != ""):
        found.append((i, 0, f"{match_prefix[i]}{notes[i]}", "kept"))
    for i in np.flatnonzero((status != "ok") & (status != "missing")):
        found.append((i, 1, f"座標を置換: {coords.STATUS_NOTES[status[i]]}", "replaced"))
    for i in np.flatnonzero(geo["disagreement"].to_numpy(bool)):
        found.append((i, 2, f"住所と座標・コードの不一致: {notes[i]}", "kept"))
    found.sort(key=lambda f: (f[0], f[1]))
    files, rows, values = file.to_numpy(object), row.to_numpy(), addresses.to_numpy(object)
    return [
        QAEntry(GEOCODE_STAGE, files[i], reason, action, row=int(rows[i]), column=column, value=values[i])
        for i, _, reason, action in found
    ]


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
