"""Write notebooks/02_facilities.ipynb and 03_geocode_facilities.ipynb (no outputs).

Run: ``.venv/bin/python tools/make_facility_notebooks.py``. The notebooks are thin: every
cell calls one function of ``homecare.facilities``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
META = {
    "kernelspec": {"display_name": "Python (homecare)", "language": "python", "name": "homecare"},
    "language_info": {"name": "python"},
}


def _nb(cells: list) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells, metadata=META)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"
    return nb


def notebook_02() -> nbformat.NotebookNode:
    return _nb([
        new_markdown_cell(
            "# 02 施設データの整備（Facilities: clean and merge）\n\n"
            "**What it answers:** one facility table from the lists the prefecture actually receives: "
            "医療情報ネット (hospital, clinic) and 介護サービス情報公表システム (one CSV per service code), "
            "with a stable `facility_id`, source, type, name, address and codes; duplicates across sources are "
            "linked (`duplicate_group`, `is_primary`), never dropped.\n\n"
            "**Inputs:** the files in the parameters (default: synthetic samples in `data/raw/sample/facilities/`), "
            "`data/raw/reference/facility_types.csv`.\n\n"
            "**Outputs:** `data/processed/facilities_raw_merged` (+ `_qa`). Counts reconcile: rows in = rows out + quarantined."
        ),
        new_code_cell(
            "# Parameters (papermill injects overrides after this cell; keep to plain literals)\n"
            'output_dir = "outputs/dev"\n'
            'hospital_file = "data/raw/sample/facilities/01-1_hospital_facility_info.csv"\n'
            'clinic_file = "data/raw/sample/facilities/02-1_clinic_facility_info.csv"\n'
            "care_files = [\n"
            + "".join(f'    "data/raw/sample/facilities/jigyosho_{c}.csv",\n' for c in ("130", "510", "520", "550", "320", "331", "332", "540", "430", "770"))
            + "]\n"
            'facility_types = ["hospital", "clinic", "130", "510", "520", "550", "320", "331", "332", "540", "430", "770"]\n'
            'reference_date = "2025-12-01"',
            metadata={"tags": ["parameters"]},
        ),
        new_code_cell(
            "from homecare import provenance\n"
            "from homecare.facilities import pipeline\n\n"
            "provenance.reset()"
        ),
        new_markdown_cell("## Read every source (encoding detected, columns found by header text)"),
        new_code_cell(
            'sources = pipeline.read_sources({"hospital": hospital_file, "clinic": clinic_file}, care_files, facility_types)\n'
            'sources.table.groupby(["source_file", "encoding"]).size().rename("rows").to_frame()'
        ),
        new_markdown_cell("## Stable ids and duplicate links"),
        new_code_cell(
            "merged = pipeline.build_merged(sources)\n"
            'merged.table.loc[merged.table["n_in_group"] > 1, ["facility_id", "duplicate_group", "is_primary", "facility_type", "name", "address"]]'
        ),
        new_markdown_cell("## Write the processed table and its QA table"),
        new_code_cell(
            "pipeline.write_merged(merged)\n"
            "pipeline.qa_frame(merged.qa)"
        ),
        new_code_cell(
            'provenance.finish_stage(output_dir, "02_facilities", rows={"rows_in": merged.rows_in, "facilities_raw_merged": merged.rows_out, '
            '"quarantined": merged.quarantined}, notes={"reference_date": reference_date})'
        ),
    ])


def notebook_03() -> nbformat.NotebookNode:
    return _nb([
        new_markdown_cell(
            "# 03 施設のジオコーディングと圏域割当（Geocode facilities）\n\n"
            "**What it answers:** where every facility is: its municipality/ward unit (区市町村), town (町丁目), "
            "point, and area in the chosen scheme (default 二次保健医療圏), offline against the mirrored town gazetteer. "
            "The address's municipality is authoritative; source coordinates are used when valid and replaced with a "
            "note when 0.0, swapped, outside Kanagawa or a shared placeholder; every address/point disagreement is reported.\n\n"
            "**Inputs:** `data/processed/facilities_raw_merged`, the gazetteer and boundaries from the catalog, "
            "the 協力医療機関 list and the ICT participant list.\n\n"
            "**Outputs:** `data/processed/facilities` (.parquet, .csv, .gpkg), `facilities_qa`, "
            "`cooperation_notifications`, `ict_participants`; QA tables in the output folder."
        ),
        new_code_cell(
            "# Parameters (papermill injects overrides after this cell; keep to plain literals)\n"
            'output_dir = "outputs/dev"\n'
            'area_scheme = "secondary_medical_area"\n'
            "tolerance_m = 1500.0\n"
            'cooperation_file = "data/raw/sample/facilities/cooperation_notifications.csv"\n'
            'ict_file = "data/raw/sample/facilities/ict_participants.csv"',
            metadata={"tags": ["parameters"]},
        ),
        new_code_cell(
            "from homecare import processed, provenance, publish\n"
            "from homecare.facilities import pipeline\n\n"
            "provenance.reset()"
        ),
        new_markdown_cell("## Geocode, check coordinates, assign areas"),
        new_code_cell(
            'merged = processed.read_processed("facilities_raw_merged")\n'
            "result = pipeline.geocode_facilities(merged, area_scheme, tolerance_m)\n"
            'result.table.groupby(["match_level", "coord_source"]).size().rename("rows").to_frame()'
        ),
        new_markdown_cell("## Write `facilities` (Parquet, CSV, GeoPackage) and the QA table"),
        new_code_cell(
            "written = pipeline.write_facilities(result)\n"
            "qa = pipeline.qa_frame(result.qa)\n"
            'qa.groupby(["reason"]).size().rename("rows").sort_values(ascending=False).head(20).to_frame()'
        ),
        new_code_cell(
            'publish.write_table(pipeline.qa_table_ja(qa), output_dir, "03_facilities_qa", title="施設ジオコーディングのQA（要確認の行）",\n'
            '                    sources=pipeline.geocode_sources(), sample=provenance.uses_sample_data())\n'
            "pipeline.area_counts(result.table)"
        ),
        new_markdown_cell("## 協力医療機関の届出 and ICT network participants"),
        new_code_cell(
            "cooperation = pipeline.build_cooperation(cooperation_file, area_scheme, tolerance_m)\n"
            'pipeline.write_list(cooperation, "cooperation_notifications")\n'
            'cooperation.table.pivot_table(index="category", columns="requirement_status", values="name", aggfunc="count", fill_value=0, margins=True, margins_name="計")'
        ),
        new_code_cell(
            "ict = pipeline.build_ict(ict_file, area_scheme, tolerance_m)\n"
            'pipeline.write_list(ict, "ict_participants")\n'
            'ict.table.pivot_table(index="network", columns="participant_type", values="name", aggfunc="count", fill_value=0, margins=True, margins_name="total")'
        ),
        new_code_cell(
            'provenance.finish_stage(output_dir, "03_geocode_facilities", rows={"facilities": result.rows_out, "rows_in": result.rows_in, '
            '"quarantined": result.quarantined, "facilities_qa": len(result.qa), "cooperation_notifications": cooperation.rows_out, '
            '"ict_participants": ict.rows_out})'
        ),
    ])


def main() -> None:
    for name, nb in (("02_facilities", notebook_02()), ("03_geocode_facilities", notebook_03())):
        nbformat.write(nb, ROOT / "notebooks" / f"{name}.ipynb")
        print(f"notebooks/{name}.ipynb")


if __name__ == "__main__":
    main()
