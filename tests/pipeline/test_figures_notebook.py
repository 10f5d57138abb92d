"""End-to-end: notebook 05 (figures for the vision) on synthetic processed tables in a temporary
processed folder."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from figure_fixtures import facilities, population
from figure_quality import assert_run_figures_pass
from scores_fixtures import stage_tables

from homecare.core import paths, processed
from homecare.publish import index as report
from homecare.publish.workbook import build_workbook
from homecare.reference import areas, geo
from homecare.stages import population as population_stage


@pytest.mark.slow
def test_notebook_05_produces_the_figure_set(tmp_path, monkeypatch):
    papermill = pytest.importorskip("papermill")
    monkeypatch.setenv("HOMECARE_PROCESSED_DIR", str(tmp_path / "processed"))  # the kernel inherits it
    scheme, units = areas.load_scheme(), geo.load_units()
    for name, table in stage_tables().items():  # stage 01 on the committed samples (令和7・8年度)
        attrs = {"common_item_threshold": 0.5} if name == "goal3_missed_items" else None
        processed.write_processed(table, name, sample=True, attrs=attrs)
    processed.write_processed(facilities(units, scheme, n_per_unit=3), "facilities", sample=True)
    years = pd.concat([population(units, year=y, seed=y) for y in (2020, 2025, 2040)], ignore_index=True)
    population_stage.write(years.astype({"population": float}), source_label="テスト人口", population_format="csv")
    out = tmp_path / "run"
    root = paths.project_root()
    papermill.execute_notebook(
        str(root / "notebooks" / "05_regional_vision_figures.ipynb"),
        str(tmp_path / "out.ipynb"),
        parameters={"output_dir": str(out), "indicator_profile_by_municipality": False},
        kernel_name="homecare",
        cwd=str(root),
        progress_bar=False,
    )
    stage = json.loads((out / "stages" / "05_regional_vision_figures.json").read_text(encoding="utf-8"))
    assert stage["sample"] is True
    assert stage["rows"]["05_cooperation_status"] == 7 and stage["rows"]["05_goal3_score"] == 66
    names = sorted(p.stem for p in (out / "figures").glob("*.json"))
    expected = {
        "05_goal3_score_map_2025",
        "05_goal3_score_map_2026",
        "05_goal3_score_rank_2026",
        "05_goal3_score_change_2026",
        "05_goal3_indicators_area_2026",
        "05_score_comparison_2026",
        "05_score_distribution_2026",
        "05_goal3_missed_items_2026_1",
        "05_goal3_missed_items_2026_2",
        "05_facilities_map_hospital_clinic",
        "05_facilities_map_nursing_tokuyo",
        "05_facilities_map_roken_iryoin",
        "05_facilities_map_residential",
        "05_facilities_counts",
        "05_facilities_per_aged75",
        "05_cooperation_status",
        "05_ict_participants",
        "05_ict_coverage_map",
    }
    assert expected <= set(names)
    assert "05_goal3_score_change_2025" not in names  # first year: no change chart
    seed_fig = json.loads((out / "figures" / "05_cooperation_status.json").read_text(encoding="utf-8"))
    assert seed_fig["sample"] is False
    build_workbook(out)
    page = report.build_index(out).read_text(encoding="utf-8")
    assert all(f'id="fig-{n}"' in page for n in names)
    for n in names:  # every figure links to a table that exists
        table = json.loads((out / "figures" / f"{n}.json").read_text(encoding="utf-8"))["table"]
        assert (out / "tables" / f"{table}.csv").is_file()
    # the unit profile behind the index map, and native charts that name columns of their tables
    assert stage["rows"]["05_unit_profile"] == 58
    profile = pd.read_csv(out / "tables" / "05_unit_profile.csv", encoding="utf-8-sig", dtype=str)
    assert profile["市区町村コード"].is_unique and "目標III 全国平均（点）" in profile.columns
    charted = {n: json.loads((out / "figures" / f"{n}.json").read_text(encoding="utf-8")) for n in names}
    charted = {n: f for n, f in charted.items() if f.get("chart")}
    assert {"05_facilities_counts", "05_facilities_per_aged75", "05_cooperation_status", "05_ict_participants"} <= set(
        charted
    )
    for n, fig in charted.items():
        columns = pd.read_csv(out / "tables" / f"{fig['table']}.csv", encoding="utf-8-sig", nrows=0).columns
        for spec in fig["chart"]:
            assert {spec["category"], *spec["series"]} <= set(columns), n
    assert assert_run_figures_pass(out) == len(names)  # text ≥ 8 pt on a slide, one scale per measure
