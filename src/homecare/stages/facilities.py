"""Stage 02 施設データの整備: read every facility source (national files as published, scoped to
the prefecture by their own codes), give stable ids, link duplicates and write
``facilities_raw_merged`` (+ ``_qa``). Terms: docs/glossary.md."""

from __future__ import annotations

from pathlib import Path

from homecare.core import processed
from homecare.core.qa import QA_SCHEMA, Cleaned
from homecare.facilities import merge, schemas
from homecare.stages.base import Stage

FACILITY_VINTAGE = "施設データ（医療情報ネット・介護サービス情報公表システム）"


def read_and_merge(
    stage: Stage,
    medical_files: dict[str, str],
    care_files: list[str],
    facility_types: list[str],
    prefecture_code: str = "14",
) -> Cleaned:
    """Every source read (encoding detected, columns found by header text, rows of other
    prefectures than ``prefecture_code`` counted as out of scope), ids and duplicate links;
    prints and records the reconciliation of each file (rows in = kept + out of scope +
    types not selected + quarantined) and its encoding."""
    sources = merge.read_sources(medical_files, care_files, facility_types, prefecture_code)
    for file, counts in sources.per_file.items():
        stage.reconcile(f"{file} ({sources.encodings.get(file, '-')})", counts)
    return merge.build_merged(sources)


def write_merged(stage: Stage, merged: Cleaned, reference_date: str = "") -> Path:
    """``data/processed/facilities_raw_merged`` (+ ``_qa``); prints the reconciliation.
    ``reference_date`` (the files' date, 時点: 2025-12-01) is kept in the table's meta, so that
    every figure drawn from the facilities states it, and recorded as the run's vintage."""
    stage.reconcile("02_facilities", merged.counts)
    stage.notes["reference_date"] = reference_date
    processed.write_processed(merged.qa_table(), "facilities_raw_merged_qa", schema=QA_SCHEMA)
    stage.rows.update(
        rows_in=merged.counts.rows_in,
        facilities_raw_merged=len(merged.table),
        out_of_scope=dict(merged.counts.excluded).get(merge.OUT_OF_SCOPE, 0),
        quarantined=merged.counts.quarantined,
    )
    if reference_date:
        stage.vintage(FACILITY_VINTAGE, reference_date)
    return processed.write_processed(
        merged.table,
        "facilities_raw_merged",
        schema=schemas.merged_schema(),
        attrs={"reference_date": reference_date} if reference_date else None,
    )
