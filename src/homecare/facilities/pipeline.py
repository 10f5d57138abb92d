"""The facility stages as functions the notebooks call (施設データの整備とジオコーディング).

``02_facilities``: :func:`read_sources` + :func:`build_merged` -> ``facilities_raw_merged``.
``03_geocode_facilities``: :func:`geocode_facilities` -> ``facilities`` (Parquet, CSV,
GeoPackage) and ``facilities_qa``; :func:`build_cooperation` / :func:`build_ict` ->
``cooperation_notifications`` / ``ict_participants``. :func:`geocode_records` is the
shared geocode + coordinate check + area assignment used by all of them and the CLI.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from homecare.reference import areas
from homecare.core import paths, processed
from homecare.facilities import adapters, coords, merge, schemas
from homecare.facilities.address import normalize_address
from homecare.facilities.assign import DEFAULT_TOLERANCE_M, assign_areas, load_locator
from homecare.facilities.gazetteer import load_gazetteer
from homecare.core.qa import QAEntry, qa_frame

GEOCODE_STAGE = "03_geocode_facilities"
OUTPUT_COLUMNS = ["municipality_code", "municipality_name", "town", "lat", "lon", "match_level", "area", "geocode_note"]


@dataclass
class StageResult:
    """A stage's table, its QA entries and the counts that must reconcile."""

    table: pd.DataFrame
    qa: list[QAEntry]
    rows_in: int
    quarantined: int

    @property
    def rows_out(self) -> int:
        return len(self.table)

    def reconciliation(self) -> str:
        """The line every stage prints: rows read = rows out + quarantined."""
        ok = self.rows_in == self.rows_out + self.quarantined
        return (
            f"rows in {self.rows_in} = rows out {self.rows_out} + quarantined {self.quarantined}"
            f" -> {'OK' if ok else 'MISMATCH'}"
        )

    def check(self) -> None:
        """Raise when the counts do not reconcile (a row was lost or invented)."""
        if self.rows_in != self.rows_out + self.quarantined:
            raise AssertionError(self.reconciliation())


# -- 02: read and merge -------------------------------------------------------------
def read_sources(medical_files: dict[str, str], care_files: list[str], facility_types: list[str] | None = None) -> StageResult:
    """Read every facility source (医療情報ネット {facility_type: path}; 介護 jigyosho CSVs).

    ``facility_types`` (codes from facility_types.csv) keeps only those types; records of
    other types are counted as quarantined-by-rule with a QA entry per file, so that the
    counts still reconcile."""
    frames: list[pd.DataFrame] = []
    qa: list[QAEntry] = []
    rows_in = 0
    for ftype, path in medical_files.items():
        df, q = adapters.read_medical(path, ftype)
        frames.append(df)
        qa += q
        rows_in += len(df) + sum(e.action == "quarantined" for e in q)
    for path in care_files:
        df, q = adapters.read_care(path)
        frames.append(df)
        qa += q
        rows_in += len(df) + sum(e.action == "quarantined" for e in q)
    records = pd.concat(frames, ignore_index=True)
    quarantined = rows_in - len(records)
    if facility_types is not None:
        keep = records["facility_type"].isin(facility_types)
        for (file, ftype), n in records[~keep].groupby(["source_file", "facility_type"]).size().items():
            qa.append(QAEntry(adapters.STAGE, file, f"施設種別 {ftype} は対象外（parameters の facility_types）: {n}行", "excluded"))
        quarantined += int((~keep).sum())
        records = records[keep].reset_index(drop=True)
    return StageResult(records, qa, rows_in, quarantined)


def _quarantined_rows(qa: list[QAEntry]) -> int:
    return len({(e.file, e.row) for e in qa if e.action == "quarantined"})


def build_merged(sources: StageResult) -> StageResult:
    """Ids, type labels and duplicate links for the records of :func:`read_sources`."""
    df = sources.table.copy()
    df["facility_id"] = merge.facility_ids(df)
    df = merge.link_duplicates(df)
    df["facility_type_label"] = df["facility_type"].map(adapters.facility_type_labels())
    df = df.rename(columns={"code_hint": "source_municipality_code"})
    df["source_municipality_code"] = df["source_municipality_code"].replace("", pd.NA)
    cols = list(schemas.merged_schema().columns)
    df = df[cols].sort_values("facility_id", kind="stable").reset_index(drop=True)
    qa = list(sources.qa)
    for row in df[df["n_in_group"] > 1].itertuples():
        if not row.is_primary:
            qa.append(QAEntry(adapters.STAGE, row.source_file, f"重複の可能性: {row.duplicate_group} と同一施設として連結（削除しない）",
                              "kept", row=int(row.source_row), column="正式名称/事業所名", value=row.name))
    return StageResult(df, qa, sources.rows_in, sources.quarantined)


def write_merged(result: StageResult) -> Path:
    """``data/processed/facilities_raw_merged`` (+ ``_qa``); prints the reconciliation."""
    result.check()
    print(f"02_facilities: {result.reconciliation()}")
    processed.write_processed(qa_frame(result.qa), "facilities_raw_merged_qa", schema=schemas.QA_SCHEMA)
    return processed.write_processed(result.table, "facilities_raw_merged", schema=schemas.merged_schema())


# -- 03: geocode and assign ---------------------------------------------------------
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
    g = load_gazetteer().geocode_many(addresses.fillna("").astype(str))
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
        done = {"geocoded": "住所の点で置換", "source_swapped": "緯度・経度を入れ替えて使用", "none": "使用しない"}[g["coord_source"].iloc[i]]
        notes[i] = "; ".join(x for x in (notes[i], f"{what}: {done}") if x)
    g["geocode_note"] = notes
    out = assign_areas(
        g, scheme, tolerance_m=tolerance_m,
        point_is_source=(g["coord_source"] != "geocoded") & (g["coord_source"] != "none"),
        code_hint=code_hint.fillna("").astype(str) if code_hint is not None else None,
    )
    out.index = index
    return out


def _geocode_qa(file: pd.Series, row: pd.Series, column: str, geo: pd.DataFrame, addresses: pd.Series) -> list[QAEntry]:
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
        entries += [QAEntry(GEOCODE_STAGE, f, reason, action, row=int(r), column=column, value=a) for reason, action in found]
    return entries


def geocode_facilities(
    merged: pd.DataFrame, scheme_id: str = areas.DEFAULT_SCHEME, tolerance_m: float = DEFAULT_TOLERANCE_M
) -> StageResult:
    """The ``facilities`` table from ``facilities_raw_merged`` (no row dropped)."""
    scheme = areas.load_scheme(scheme_id)
    geo = geocode_records(
        merged["address"], scheme, tolerance_m=tolerance_m,
        src_lat=merged["src_lat"], src_lon=merged["src_lon"], code_hint=merged["source_municipality_code"],
    )
    df = merged.drop(columns=["src_lat", "src_lon", "building", "n_in_group"]).copy()
    for c in [*OUTPUT_COLUMNS, "coord_source", "coord_status", "area_scheme", "disagreement"]:
        df[c] = geo[c]
    df["point_municipality_code"] = geo["point_code"]
    df["point_distance_m"] = geo["point_distance_m"]
    for c in ("municipality_code", "municipality_name", "town", "area", "point_municipality_code"):
        df[c] = df[c].replace("", pd.NA)
    cols = list(schemas.facilities_schema().columns)
    qa = _geocode_qa(df["source_file"], df["source_row"], "所在地/住所", geo, df["address"])
    return StageResult(df[cols].reset_index(drop=True), qa, len(merged), 0)


def write_facilities(result: StageResult) -> dict[str, Path]:
    """``facilities`` (.parquet, .csv, .gpkg EPSG:4326) and ``facilities_qa``; prints the
    reconciliation line."""
    result.check()
    print(f"03_geocode_facilities: {result.reconciliation()}")
    out = {
        "facilities": processed.write_processed(result.table, "facilities", schema=schemas.facilities_schema()),
        "facilities_qa": processed.write_processed(qa_frame(result.qa), "facilities_qa", schema=schemas.QA_SCHEMA),
    }
    out["gpkg"] = write_geopackage(result.table, paths.processed_dir() / "facilities.gpkg")
    return out


def write_geopackage(df: pd.DataFrame, path: Path) -> Path:
    """Points (EPSG:4326) as a GeoPackage layer ``facilities`` (opens in QGIS); records
    without a point keep an empty geometry. Written through a temporary file."""
    has = df["lat"].notna() & df["lon"].notna()
    geom = gpd.points_from_xy(df["lon"].where(has, 0.0), df["lat"].where(has, 0.0))
    geom = [p if h else None for p, h in zip(geom, has, strict=True)]
    gdf = gpd.GeoDataFrame(df.astype({c: object for c in df.columns if str(df[c].dtype) == "str"}), geometry=geom, crs="EPSG:4326")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".gpkg")
    os.close(fd)
    try:
        Path(tmp).unlink()
        gdf.to_file(tmp, layer="facilities", driver="GPKG", engine="pyogrio")
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path


def _geocode_list(df: pd.DataFrame, scheme_id: str, tolerance_m: float) -> tuple[pd.DataFrame, list[QAEntry]]:
    scheme = areas.load_scheme(scheme_id)
    geo = geocode_records(df["address"], scheme, tolerance_m=tolerance_m)
    out = df.copy()
    for c in ("municipality_code", "municipality_name", "area", "area_scheme", "match_level", "geocode_note"):
        out[c] = geo[c]
    for c in ("municipality_code", "municipality_name", "area"):
        out[c] = out[c].replace("", pd.NA)
    return out, _geocode_qa(df["source_file"], df["source_row"], "所在地", geo, df["address"])


def build_cooperation(path: str, scheme_id: str = areas.DEFAULT_SCHEME, tolerance_m: float = DEFAULT_TOLERANCE_M) -> StageResult:
    """``cooperation_notifications`` (協力医療機関の届出) with unit and area."""
    df, qa = adapters.read_cooperation(path)
    out, qa2 = _geocode_list(df, scheme_id, tolerance_m)
    return StageResult(out[list(schemas.cooperation_schema().columns)], qa + qa2, len(df) + _quarantined_rows(qa), _quarantined_rows(qa))


def build_ict(path: str, scheme_id: str = areas.DEFAULT_SCHEME, tolerance_m: float = DEFAULT_TOLERANCE_M) -> StageResult:
    """``ict_participants`` (ICT連携ネットワーク参加施設) with unit and area."""
    df, qa = adapters.read_ict_participants(path)
    out, qa2 = _geocode_list(df, scheme_id, tolerance_m)
    return StageResult(out[list(schemas.ict_schema().columns)], qa + qa2, len(df) + _quarantined_rows(qa), _quarantined_rows(qa))


def write_list(result: StageResult, name: str) -> Path:
    """Write ``cooperation_notifications`` or ``ict_participants`` (+ ``_qa``)."""
    result.check()
    print(f"{name}: {result.reconciliation()}")
    schema = {"cooperation_notifications": schemas.cooperation_schema, "ict_participants": schemas.ict_schema}[name]()
    processed.write_processed(qa_frame(result.qa), f"{name}_qa", schema=schemas.QA_SCHEMA)
    return processed.write_processed(result.table, name, schema=schema)


# -- CLI -------------------------------------------------------------------------------
def geocode_csv(
    input_path: str | Path, output_path: str | Path, *, address_column: str = "住所",
    scheme_id: str = areas.DEFAULT_SCHEME, tolerance_m: float = DEFAULT_TOLERANCE_M,
) -> pd.DataFrame:
    """``homecare geocode``: keep the input columns, add :data:`OUTPUT_COLUMNS`; write
    UTF-8 with BOM. Input encoding (UTF-8, UTF-8-BOM, CP932) is detected."""
    from homecare.core.errors import InputError
    from homecare.core.encoding import read_csv_text
    from homecare.core.files import atomic_write_bytes, csv_bytes

    df, _ = read_csv_text(input_path)
    if address_column not in df.columns:
        raise InputError(f"no column {address_column!r} (columns: {', '.join(df.columns)}); use --address-column",
                         file=paths.relative(paths.resolve(input_path)))
    geo = geocode_records(df[address_column], areas.load_scheme(scheme_id), tolerance_m=tolerance_m)
    out = df.copy()
    for c in OUTPUT_COLUMNS:
        out[c] = geo[c]
    atomic_write_bytes(paths.resolve(output_path), csv_bytes(out))
    return out


# -- small helpers for the notebooks ---------------------------------------------------
def qa_table_ja(qa: pd.DataFrame) -> pd.DataFrame:
    """The QA table with Japanese headers, for publication."""
    from homecare.core.qa import QA_HEADERS_JA

    return qa.rename(columns=QA_HEADERS_JA)


def geocode_sources() -> list[str]:
    """出典 lines of anything computed by the geocoder."""
    from homecare.reference import catalog

    cat = catalog.load_catalog()
    return [
        "医療情報ネット（厚生労働省）・介護サービス情報公表システム オープンデータ",
        cat.credit("town_gazetteer"),
        cat.credit("municipal_boundaries"),
    ]


def area_counts(facilities: pd.DataFrame) -> pd.DataFrame:
    """Facilities (one per ``duplicate_group``: ``is_primary``) by area and type."""
    prim = facilities[facilities["is_primary"]].assign(area=lambda d: d["area"].fillna("（未割当）"))
    return prim.pivot_table(
        index="area", columns="facility_type_label", values="facility_id",
        aggfunc="count", fill_value=0, margins=True, margins_name="計",
    )
