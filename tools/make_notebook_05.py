"""Write notebooks/05_demand_outlook.ipynb (no outputs) from the cells below.

Rerun after editing: ``.venv/bin/python tools/make_notebook_05.py``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]

TITLE = """# 05 人口と2040年の医療・介護需要の見通し（Population and 2040 demand outlook）

**What it answers:** how medical and care demand in each area changes to 2040 and 2050 as
the population ages (JMAP-style demand indices, 2020 = 100), how the age structure shifts,
how thin today's facilities would be spread over the 2040 population aged 75+, and how the
outlook reads under a draft area scheme.

**Inputs:** population by unit × year × 5-year age band — the IPSS 日本の地域別将来推計人口
（令和5（2023）年推計）workbooks or the population CSV (`population_source`,
`population_format`); the area schemes; the demand weights (`weights_file`); the processed
`facilities` table from notebooks 02/03.
**Outputs:** processed `population_by_unit`; figures `05_*`; tables `05_*` (CSV + run workbook).
Method and formats: `docs/demand_outlook.md`."""

PARAMS = """# Parameters (papermill injects overrides after this cell; keep to plain literals)
output_dir = "outputs/dev"
population_source = "data/raw/sample/population/ipss"
population_format = "ipss"
ward_base_csv = ""
apportion_rule = "base_year_band_share"
base_year = 2020
target_year = 2040
area_scheme = "secondary_medical_area"
comparison_scheme = "scenario_yokohama3_kawasaki1"
weights_file = "data/raw/reference/demand_weights.yml"
supply_types = ["clinic", "130", "510", "520"]"""

CELLS = [
    ("md", TITLE),
    ("params", PARAMS),
    ("code", """from homecare import areas, geo, processed, provenance, publish, style
from homecare.figures import demand as demand_figures
from homecare.population import aggregate, demand, source, supply, table, tables

provenance.reset()
style.apply_style()"""),
    ("md", "## Population by unit (区市町村別・5歳階級別人口)\n\nRead, checked (58 units, every year and band, published totals), written to `data/processed/population_by_unit`."),
    ("code", """pop = source.load_population(population_source, population_format, ward_base_csv=ward_base_csv,
                             apportion_rule=apportion_rule, base_year=base_year)
table.write_population_by_unit(pop)
sample = provenance.uses_sample_data()
sources_pop = [source.source_label(population_format)]
pop.pivot_table(index="year", values="population", aggfunc="sum").rename(columns={"population": "神奈川県（人）"})"""),
    ("md", "## Population and aged shares by area (圏域別人口・高齢化率)"),
    ("code", """scheme = areas.load_scheme(area_scheme)
area_pop = aggregate.area_population(pop, scheme)
shares = aggregate.aged_shares(area_pop)
population_table = tables.population_table(shares)
publish.write_table(population_table, output_dir, f"05_population_{scheme.id}", title=f"{scheme.label}別の人口と高齢化率",
                    sheet=f"人口_{scheme.label}", sources=sources_pop, sample=sample)
population_table[population_table["年"].isin([f"{base_year}年", f"{target_year}年"])]"""),
    ("md", "## Demand indices (医療需要指数・介護需要指数, 2020 = 100)"),
    ("code", """weights = demand.load_weights(weights_file)
index = demand.demand_index(aggregate.with_prefecture(area_pop), weights, base_year=base_year)
sources = [*sources_pop, weights.source]
index_table = tables.index_table(index)
publish.write_table(index_table, output_dir, f"05_demand_index_{scheme.id}", title=f"医療・介護需要指数（{scheme.label}別、{base_year}年＝100）",
                    sheet=f"需要指数_{scheme.label}", sources=sources, sample=sample, note=weights.note)
index_table"""),
    ("code", """fig = demand_figures.plot_demand_index(index, scheme, sources=sources, sample=sample, base_year=base_year)
style.save_figure(fig, output_dir, f"05_demand_index_{scheme.id}")"""),
    ("code", """fig = demand_figures.plot_demand_map(index, geo.load_units(), scheme, year=target_year, sources=sources, sample=sample,
                                     prefectures=geo.load_prefectures(), base_year=base_year)
style.save_figure(fig, output_dir, f"05_demand_map_{target_year}_{scheme.id}")"""),
    ("md", "## Age structure change (年齢構成の変化)"),
    ("code", """fig = demand_figures.plot_population_pyramids(area_pop, scheme, base_year=base_year, target_year=target_year,
                                              sources=sources_pop, sample=sample)
style.save_figure(fig, output_dir, f"05_age_structure_{scheme.id}")"""),
    ("md", "## Facilities per 1,000 aged 75+, now and in the target year at today's supply\n\nReads the processed `facilities` table of notebooks 02/03; cross-source duplicates count once."),
    ("code", """facilities = processed.read_processed("facilities")
sample = provenance.uses_sample_data()
supply_ratios = supply.facilities_per_75(facilities, pop, scheme, base_year=base_year, target_year=target_year)
counted = int(supply_ratios.loc[supply_ratios["area"] == aggregate.PREFECTURE_AREA, "facilities"].sum())
print(f"facilities read {len(facilities)} = counted {counted} + duplicates {supply_ratios.attrs['duplicates']} "
      f"+ without unit code {supply_ratios.attrs['unassigned']}")
sources_supply = [*sources_pop, "施設：医療情報ネット・介護サービス情報公表システム（処理済み facilities 表）"]
supply_table = tables.supply_table(supply_ratios, base_year=base_year, target_year=target_year)
publish.write_table(supply_table, output_dir, f"05_facilities_per_75_{scheme.id}", title=f"75歳以上人口千人当たり施設数（現在と{target_year}年）",
                    sheet=f"千人当たり施設数_{scheme.label}", sources=sources_supply, sample=sample,
                    note=f"{target_year}年は現在の施設数を{target_year}年の推計75歳以上人口で割った値。")
supply_table[supply_table["圏域"] == aggregate.PREFECTURE_AREA]"""),
    ("code", """fig = demand_figures.plot_facilities_per_75(supply_ratios, scheme, facility_types=supply_types, base_year=base_year,
                                            target_year=target_year, sources=sources_supply, sample=sample)
style.save_figure(fig, output_dir, f"05_facilities_per_75_{scheme.id}")"""),
    ("md", "## Scenario comparison (圏域案の比較)\n\nThe same outlook under a second area scheme, on one scale."),
    ("code", """comparison = areas.load_scheme(comparison_scheme)
comparison_index = demand.demand_index(aggregate.with_prefecture(aggregate.area_population(pop, comparison)), weights, base_year=base_year)
comparison_table = tables.index_table(comparison_index, scheme_label=comparison.label)
publish.write_table(comparison_table, output_dir, f"05_demand_index_{comparison.id}", title=f"医療・介護需要指数（{comparison.label}別、{base_year}年＝100）",
                    sheet=f"需要指数_{comparison.label}", sources=sources, sample=sample, note=comparison.note or None)
for index_id in [i.id for i in weights.indices]:
    fig = demand_figures.plot_scenario_comparison(index, scheme, comparison_index, comparison, index_id=index_id,
                                                  sources=sources, sample=sample, base_year=base_year)
    style.save_figure(fig, output_dir, f"05_scheme_comparison_{index_id}_{scheme.id}_vs_{comparison.id}")
comparison_table"""),
    ("code", """provenance.finish_stage(output_dir, "05_demand_outlook", rows={"population_by_unit": len(pop), "demand_index": len(index),
                        "facilities_per_75": len(supply_ratios), "comparison_index": len(comparison_index)})"""),
]


def build() -> nbformat.NotebookNode:
    cells = []
    for kind, text in CELLS:
        if kind == "md":
            cells.append(new_markdown_cell(text))
        else:
            cell = new_code_cell(text)
            if kind == "params":
                cell.metadata["tags"] = ["parameters"]
            cells.append(cell)
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "homecare", "display_name": "Python (homecare)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


if __name__ == "__main__":
    path = ROOT / "notebooks" / "05_demand_outlook.ipynb"
    nbformat.write(build(), path)
    print(path.relative_to(ROOT))
