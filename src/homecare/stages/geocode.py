"""Stage 03 施設のジオコーディングと圏域割当: ``facilities`` (Parquet, CSV, GeoPackage) and its QA,
the 協力医療機関 notifications and the ICT participants with unit and area.
Terms: docs/glossary.md."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from homecare.core import paths, processed
from homecare.core.qa import QA_SCHEMA, Cleaned, qa_table_ja
from homecare.facilities import capacity, geocode, read, schemas
from homecare.reference import catalog, geo
from homecare.stages.base import Stage

FIXED_GPKG_DATE = "2000-01-01T00:00:00.000Z"


def geocode_facilities(stage: Stage, area_scheme: str, tolerance_m: float) -> Cleaned:
    """Geocode ``facilities_raw_merged``, check source coordinates, assign areas (no row dropped)."""
    merged = processed.read_processed("facilities_raw_merged")
    return geocode.geocode_facilities(merged, area_scheme, tolerance_m)


def write_facilities(stage: Stage, result: Cleaned) -> dict[str, Path]:
    """``facilities`` (.parquet, .csv, .gpkg EPSG:4326) and ``facilities_qa``; prints the
    reconciliation line."""
    stage.reconcile("03_geocode_facilities", result.counts)
    attrs = processed.read_attrs("facilities_raw_merged") or None  # the files' date travels on
    out = {
        "facilities": processed.write_processed(
            result.table, "facilities", schema=schemas.facilities_schema(), attrs=attrs
        ),
        "facilities_qa": processed.write_processed(result.qa_table(), "facilities_qa", schema=QA_SCHEMA),
    }
    out["gpkg"] = write_geopackage(result.table, paths.processed_dir() / "facilities.gpkg")
    stage.rows.update(
        facilities=len(result.table),
        rows_in=result.counts.rows_in,
        quarantined=result.counts.quarantined,
        facilities_qa=len(result.qa),
    )
    return out


def publish_qa(stage: Stage, result: Cleaned) -> pd.DataFrame:
    """The geocoding QA table (rows to check) in the run's outputs; returns it."""
    qa = result.qa_table()
    stage.table(
        qa_table_ja(qa), "03_facilities_qa", title="施設ジオコーディングのQA（要確認の行）", sources=geocode_sources()
    )
    return qa


def write_geopackage(df: pd.DataFrame, path: Path) -> Path:
    """Points (EPSG:4326) as a GeoPackage layer ``facilities`` (opens in QGIS); records
    without a point keep an empty geometry. Written through a temporary file."""
    has = df["lat"].notna() & df["lon"].notna()
    geom = gpd.points_from_xy(df["lon"].where(has, 0.0), df["lat"].where(has, 0.0))
    geom[~has.to_numpy()] = None
    gdf = gpd.GeoDataFrame(df, geometry=geom, crs="EPSG:4326")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".gpkg")
    os.close(fd)
    try:
        Path(tmp).unlink()
        # GDAL stamps the write time into gpkg_contents; a fixed date keeps reruns byte-identical
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_GPKG_DATE})
        try:
            # through Arrow: the text columns are never turned into Python objects (a national
            # table: a third of the memory and half the time; the same rows, as the SQL dump shows)
            gdf.to_file(tmp, layer="facilities", driver="GPKG", engine="pyogrio", use_arrow=True)
        finally:
            pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path


def geocode_list(stage: Stage, name: str, path: str, area_scheme: str, tolerance_m: float) -> Cleaned:
    """``cooperation_notifications`` (協力医療機関の届出) or ``ict_participants`` (ICT連携ネットワーク参加施設)
    with unit and area, written with its QA table; prints the reconciliation."""
    result = geocode.build_list(name, path, area_scheme, tolerance_m)
    stage.reconcile(name, result.counts)
    processed.write_processed(result.qa_table(), f"{name}_qa", schema=QA_SCHEMA)
    processed.write_processed(result.table, name, schema=geocode.LISTS[name][1]())
    stage.rows[name] = len(result.table)
    return result


def geocode_sources() -> list[str]:
    """出典 lines of anything computed by the geocoder."""
    cat = catalog.load_catalog()
    return [
        "医療情報ネット（厚生労働省）・介護サービス情報公表システム オープンデータ",
        cat.credit("town_gazetteer"),
        geo.boundary_credit(),
    ]


UNKNOWN_UNIT = "（区市町村不明）"


def area_counts(facilities: pd.DataFrame) -> pd.DataFrame:
    """Facilities (one per ``duplicate_group``: ``is_primary``) by area and type: the areas,
    県計 (the sum of the areas, i.e. of the units) and, on its own line after it, facilities
    whose unit is unknown (never in 県計)."""
    prim = facilities[facilities["is_primary"]].copy()
    prim["area"] = prim["area"].where(prim["municipality_code"].notna(), UNKNOWN_UNIT)
    table = prim.pivot_table(
        index="area", columns="facility_type_label", values="facility_id", aggfunc="count", fill_value=0
    )
    known = table.drop(index=UNKNOWN_UNIT, errors="ignore")
    total = known.sum().rename("県計").to_frame().T
    return pd.concat([known, total, table.loc[table.index == UNKNOWN_UNIT]]).astype(int)


def publish_capacity(stage: Stage) -> pd.DataFrame:
    """定員・病床数の合計 by facility type from the written ``facilities`` table, saying how many
    facilities had no known capacity (0 where 0 means unknown, blank, unreadable:
    data/raw/reference/capacity_rules.csv)."""
    with stage.section():
        facilities = processed.read_processed("facilities")
        table = capacity.capacity_summary(facilities, read.facility_type_labels())
        stage.table(
            table,
            "03_facilities_capacity",
            title="施設種別ごとの定員・病床数の合計（不明の施設数つき）",
            sources=geocode_sources(),
            note="区市町村が分かる施設（重複登録は1件）が対象。定員・病床数が不明の施設は合計に含めない。",
        )
    return table
