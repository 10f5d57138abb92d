"""Stage 02 施設データの整備: read every facility source, give stable ids, link duplicates and
write ``facilities_raw_merged`` (+ ``_qa``). Terms: docs/glossary.md."""

from __future__ import annotations

from pathlib import Path

from homecare.core import processed
from homecare.core.qa import QA_SCHEMA, Cleaned
from homecare.facilities import merge, schemas
from homecare.stages.base import Stage


def read_and_merge(
    stage: Stage, medical_files: dict[str, str], care_files: list[str], facility_types: list[str]
) -> Cleaned:
    """Every source read (encoding detected, columns found by header text), ids and duplicate
    links; prints the rows and encoding of each file."""
    sources = merge.read_sources(medical_files, care_files, facility_types)
    print(sources.table.groupby(["source_file", "encoding"]).size().rename("rows").to_string())
    return merge.build_merged(sources)


def write_merged(stage: Stage, merged: Cleaned) -> Path:
    """``data/processed/facilities_raw_merged`` (+ ``_qa``); prints the reconciliation."""
    stage.reconcile("02_facilities", merged.counts)
    processed.write_processed(merged.qa_table(), "facilities_raw_merged_qa", schema=QA_SCHEMA)
    stage.rows.update(
        rows_in=merged.counts.rows_in, facilities_raw_merged=len(merged.table), quarantined=merged.counts.quarantined
    )
    return processed.write_processed(merged.table, "facilities_raw_merged", schema=schemas.merged_schema())
