"""Write notebooks/04_regional_vision_figures.ipynb (no outputs). Rerun after editing the cells:
``.venv/bin/python tools/make_notebook_04.py``. Cell ids are fixed so the file is stable."""

from __future__ import annotations

from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]

CELLS: list[tuple[str, str, list[str]]] = [
    ("md", """# 04 地域医療構想に向けた図表（Figures and tables for the regional medical vision）

**What it answers:** the figure and table set for council documents (協議会資料): 目標III
(在宅医療・介護連携) scores by insurer and area, the indicator profile, facilities by area
(per 1,000 aged 75+ when a population table is given), 協力医療機関の届出状況 and the ICT
collaboration networks (council seed figures).

**Inputs:** processed tables `goal3_summary`, `goal3_by_indicator` (stage 01) and `facilities`
(stage 03); the population CSV in `population_file` (optional, `""` = none); the council seed
files in `data/raw/reference/seed/`; the area scheme and the N03 boundaries.
**Outputs:** `figures/04_*.png|svg` (+ `.json`), tables `tables/04_*.csv` (UTF-8 BOM) gathered
into the run workbook; every figure function is in `homecare.figures.*` (see docs/figures.md).""", []),
    ("code", """# Parameters (papermill injects overrides after this cell; keep to plain literals)
output_dir = "outputs/dev"
fiscal_years = [2024, 2025]
area_scheme = "secondary_medical_area"
# figures: ["all"] or any of goal3_score, goal3_indicators, facilities, cooperation, ict
figures = ["all"]
# formats: png is always written; svg and pdf are optional
formats = ["png", "svg"]
# population_file: population CSV for the per-1,000-aged-75+ figure; empty string for none
population_file = "data/raw/sample/population/population_sample.csv"
# population_year: year of the population table to divide by (the file may hold projections)
population_year = 2025
indicator_profile_by_municipality = True""", ["parameters"]),
    ("code", """import pandas as pd

from homecare import areas, disclosure, geo, paths, processed, provenance, publish, seed, style
from homecare.figures import cooperation, facilities, ict, indicators, scores
from homecare.figures.maps import n03_credit
from homecare.population.table import load_population_csv

provenance.reset()
style.apply_style()
scheme = areas.load_scheme(area_scheme)
units, prefectures = geo.load_units(), geo.load_prefectures()
rows = {}


def wanted(key: str) -> bool:
    return "all" in figures or key in figures


def save(fig, name: str, table: str) -> None:
    style.save_figure(fig, output_dir, name, formats=formats, table=table)""", []),
    ("md", "## 2. 目標III（在宅医療・介護連携）の得点：地図、順位、前年度からの増減", []),
    ("code", """if wanted("goal3_score"):
    summary = processed.read_processed("goal3_summary")
    sample = processed.is_sample("goal3_summary")
    table = scores.goal3_score_table(summary, scheme, fiscal_years)
    publish.write_table(table, output_dir, "04_goal3_score", title="目標III（在宅医療・介護連携）得点（保険者別）",
                        sources=[scores.SCORE_SOURCE], sample=sample, sheet="目標III得点")
    rows["04_goal3_score"] = len(table)
    for fy in fiscal_years:
        save(scores.plot_goal3_score_map(summary, units, scheme, fy, prefectures, sample=sample), f"04_goal3_score_map_{fy}", "04_goal3_score")
        save(scores.plot_goal3_score_rank(summary, scheme, fy, sample=sample), f"04_goal3_score_rank_{fy}", "04_goal3_score")
        if summary.loc[summary["fiscal_year"] == fy, "change_from_previous"].notna().any():
            save(scores.plot_goal3_score_change(summary, scheme, fy, sample=sample), f"04_goal3_score_change_{fy}", "04_goal3_score")
    display(table.head())""", []),
    ("md", "## 3. 指標別得点率（圏域別・保険者別）", []),
    ("code", """if wanted("goal3_indicators"):
    by_indicator = processed.read_processed("goal3_by_indicator")
    sample = processed.is_sample("goal3_by_indicator")
    levels = ["area", "municipality"] if indicator_profile_by_municipality else ["area"]
    for level in levels:
        name = f"04_goal3_indicators_{level}"
        table = pd.concat([indicators.indicator_profile_table(by_indicator, scheme, fy, level) for fy in fiscal_years], ignore_index=True)
        publish.write_table(table, output_dir, name, title=f"目標III 指標別得点率（{'圏域' if level == 'area' else '保険者'}別）",
                            sources=[scores.SCORE_SOURCE], sample=sample, note="得点率＝得点の合計÷満点の合計")
        rows[name] = len(table)
        for fy in fiscal_years:
            save(indicators.plot_indicator_profile(by_indicator, scheme, fy, level=level, sample=sample), f"{name}_{fy}", name)""", []),
    ("md", "## 4. 圏域別の医療・介護施設（分布図、施設数、75歳以上人口千人あたり）", []),
    ("code", """if wanted("facilities"):
    fac = processed.read_processed("facilities")
    fac_sample = processed.is_sample("facilities")
    population = load_population_csv(population_file) if population_file else None
    pop_sample = bool(population_file) and provenance.is_sample_file(paths.resolve(population_file))
    pop_source = "サンプル人口表（架空）" if pop_sample else population_file
    table = facilities.facility_counts_table(fac, scheme, population, population_year=population_year)
    sources = facilities.FACILITY_SOURCES + ([f"人口：{pop_source}"] if population is not None else [])
    publish.write_table(table, output_dir, "04_facilities", title=f"{scheme.label}別の医療・介護施設数", sources=sources,
                        sample=fac_sample or pop_sample, sheet="施設数（圏域別）")
    rows["04_facilities"] = len(table)
    save(facilities.plot_facility_map(fac, units, scheme, prefectures, sample=fac_sample), "04_facilities_map", "04_facilities")
    save(facilities.plot_facility_counts(fac, scheme, sample=fac_sample), "04_facilities_counts", "04_facilities")
    if population is not None:
        fig = facilities.plot_facility_counts(fac, scheme, population, population_year=population_year,
                                              population_source=pop_source, sample=fac_sample or pop_sample)
        save(fig, "04_facilities_per_aged75", "04_facilities")
    display(table)""", []),
    ("md", "## 5. 協力医療機関の届出状況（協議会資料の数値）", []),
    ("code", """if wanted("cooperation"):
    status = seed.load_cooperation_status()
    table = cooperation.cooperation_table(status.data)
    note = "".join(f"{d}。" for d in status.discrepancies) or None
    publish.write_table(table, output_dir, "04_cooperation_status", title="協力医療機関の届出状況（県域、令和7年8月1日時点）",
                        sources=[seed.SEED_SOURCE + " 資料3"], sample=False, note=note, sheet="協力医療機関")
    rows["04_cooperation_status"] = len(table)
    save(cooperation.plot_cooperation_status(status.data, discrepancies=status.discrepancies), "04_cooperation_status", "04_cooperation_status")
    display(table)""", []),
    ("md", "## 6. ICT連携ネットワーク：参加施設（施設種別）と対象地域", []),
    ("code", """if wanted("ict"):
    networks, coverage = seed.load_ict_networks(), seed.load_ict_coverage()
    # 参加住民数 counts people: small counts are withheld (rules: data/raw/reference/disclosure.yml)
    rules = disclosure.load_rules()
    participants = disclosure.suppress_small_counts(ict.ict_participants_table(networks.data), ["参加住民数（人）"], rules=rules).table
    cover = ict.ict_coverage_table(coverage.data, scheme)
    publish.write_table(participants, output_dir, "04_ict_participants", title="ICT連携ネットワークの参加施設数",
                        sources=[seed.SEED_SOURCE + " 協議事項(2)"], sample=False, sheet="ICT参加施設",
                        note=disclosure.note(rules))
    publish.write_table(cover, output_dir, "04_ict_coverage", title="ICT連携ネットワークの対象地域（区市町村）",
                        sources=[seed.SEED_SOURCE + " 協議事項(2)"], sample=False, sheet="ICT対象地域",
                        note="根拠が「地域名の解釈（要確認）」の行は資料の地域名からの解釈")
    rows["04_ict_participants"], rows["04_ict_coverage"] = len(participants), len(cover)
    save(ict.plot_ict_participants(networks.data), "04_ict_participants", "04_ict_participants")
    save(ict.plot_ict_coverage_map(coverage.data, units, scheme, prefectures), "04_ict_coverage_map", "04_ict_coverage")
    display(participants)""", []),
    ("code", """provenance.finish_stage(output_dir, "04_regional_vision_figures", rows=rows)""", []),
]


def build() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python (homecare)", "language": "python", "name": "homecare"},
        "language_info": {"name": "python"},
    }
    for i, (kind, source, tags) in enumerate(CELLS):
        cell = nbformat.v4.new_markdown_cell(source) if kind == "md" else nbformat.v4.new_code_cell(source)
        cell.id = f"nb04-{i:02d}"
        if tags:
            cell.metadata["tags"] = tags
        nb.cells.append(cell)
    return nb


if __name__ == "__main__":
    out = ROOT / "notebooks" / "04_regional_vision_figures.ipynb"
    nbformat.write(build(), out)
    print(out.relative_to(ROOT))
