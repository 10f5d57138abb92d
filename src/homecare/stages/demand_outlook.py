"""Stage 06 人口と2040年の医療・介護需要の見通し: population and aged shares by area, the population
aged 75+ that every rate divides by, demand indices (base year = 100), the age structure,
facilities per 10万人 aged 75+ now and in the target year at today's supply, and the outlook
under a draft area scheme. Population comes from the one processed table ``population_by_unit``
(stage 04); rates follow :mod:`homecare.population.rates`; facility types are the groups of
:data:`homecare.figures.facilities.FACILITY_GROUPS`. Terms: docs/glossary.md."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from homecare.core import processed
from homecare.core.errors import ParameterError
from homecare.figures import charts
from homecare.figures import demand as demand_figures
from homecare.figures.common import as_of_label
from homecare.figures.facilities import FACILITY_GROUPS, GROUP_NOTES, group_of_type
from homecare.population import aggregate, demand, published, rates, supply
from homecare.population import read as population_read
from homecare.reference import areas, geo
from homecare.stages.base import Stage

FACILITY_SOURCE = "施設：医療情報ネット・介護サービス情報公表システム（処理済み facilities 表）"


@dataclass
class Outlook:
    """The population table, the scheme and what the demand section computed from them."""

    pop: pd.DataFrame
    scheme: areas.AreaScheme
    area_pop: pd.DataFrame
    sources: list[str]
    weights: demand.DemandWeights | None = None
    index: pd.DataFrame | None = None


def population_by_area(stage: Stage, area_scheme: str) -> tuple[Outlook, pd.DataFrame]:
    """Read ``population_by_unit``, aggregate it to the scheme's areas and publish the
    population and aged-share table (圏域別人口・高齢化率)."""
    pop = population_read.read_population_by_unit()
    scheme = areas.load_scheme(area_scheme)
    area_pop = aggregate.area_population(pop, scheme)
    table = published.population_table(aggregate.aged_shares(area_pop))
    sources = [population_read.processed_source_label()]
    stage.table(
        table,
        f"06_population_{scheme.id}",
        title=f"{scheme.label}別の人口と高齢化率",
        sheet=f"人口_{scheme.label}",
        sources=sources,
    )
    return Outlook(pop, scheme, area_pop, sources), table


def demand_indices(
    stage: Stage, outlook: Outlook, weights_file: str, *, base_year: int, target_year: int
) -> pd.DataFrame:
    """医療需要指数・介護需要指数 (base year = 100): table, line chart and the target-year map."""
    scheme = outlook.scheme
    outlook.weights = demand.load_weights(weights_file)
    outlook.index = demand.demand_index(
        aggregate.with_prefecture(outlook.area_pop), outlook.weights, base_year=base_year
    )
    sources = [*outlook.sources, outlook.weights.source]
    table = published.index_table(outlook.index)
    stage.table(
        table,
        f"06_demand_index_{scheme.id}",
        title=f"医療・介護需要指数（{scheme.label}別、{base_year}年＝100）",
        sheet=f"需要指数_{scheme.label}",
        sources=sources,
        note=outlook.weights.note,
    )
    stage.figure(
        demand_figures.plot_demand_index(outlook.index, scheme, sources=sources, base_year=base_year),
        f"06_demand_index_{scheme.id}",
        table=f"06_demand_index_{scheme.id}",
        chart=charts.per_group(
            table,
            "指数",
            "圏域",
            [c for c in table.columns if c.endswith("（指数）")],
            unit="指数",
            colors={**scheme.colors, aggregate.PREFECTURE_AREA: charts.TOTAL_COLOR},
            measure="需要指数",
        ),
    )
    fig = demand_figures.plot_demand_map(
        outlook.index,
        geo.load_units(),
        scheme,
        year=target_year,
        sources=sources,
        prefectures=geo.load_prefectures(),
        base_year=base_year,
    )
    stage.figure(fig, f"06_demand_map_{target_year}_{scheme.id}")
    return table


def age_structure(stage: Stage, outlook: Outlook, *, base_year: int, target_year: int) -> None:
    """年齢構成の変化: population pyramids of every area, base year against target year."""
    fig = demand_figures.plot_population_pyramids(
        outlook.area_pop, outlook.scheme, base_year=base_year, target_year=target_year, sources=outlook.sources
    )
    stage.figure(fig, f"06_age_structure_{outlook.scheme.id}")


def aged75_denominators(stage: Stage, outlook: Outlook, years: list[int]) -> pd.DataFrame:
    """75歳以上人口 per area for ``years`` (whole persons, 男女計): the denominators of every rate,
    published as ``06_aged75_<scheme>``."""
    table = published.aged75_table(outlook.pop, outlook.scheme, years)
    stage.table(
        table,
        f"06_aged75_{outlook.scheme.id}",
        title=f"{outlook.scheme.label}別の75歳以上人口（男女計、率の分母）",
        sheet=f"75歳以上人口_{outlook.scheme.label}",
        sources=outlook.sources,
        note=f"{rates.RATE_LABEL}の率はこの人口で割った値。2020年は国勢調査による実績値、以降は推計値。",
    )
    return table


def supply_groups(supply_types: list[str]) -> dict[str, tuple[str, ...]]:
    """The facility groups ``supply_types`` names: a group of :data:`FACILITY_GROUPS` (特養, 診療所 …)
    or a facility type code, which stands for its whole group (510 -> 特養 = 510 + 540)."""
    groups: dict[str, tuple[str, ...]] = {}
    of_type = group_of_type()
    for entry in supply_types:
        group = entry if entry in FACILITY_GROUPS else of_type.get(str(entry))
        if group is None:
            raise ParameterError(
                f"supply_types entry {entry!r} is neither a facility group ({', '.join(FACILITY_GROUPS)}) "
                f"nor a facility type code ({', '.join(of_type)})"
            )
        if group != entry:
            print(f"supply_types {entry!r}: shown as its group {group} ({'+'.join(FACILITY_GROUPS[group])})")
        groups[group] = FACILITY_GROUPS[group]
    return groups


def facilities_per_aged75(
    stage: Stage, outlook: Outlook, supply_types: list[str], *, population_year: int, target_year: int
) -> pd.DataFrame:
    """75歳以上人口10万人当たり施設数, now (the population of ``population_year``) and in
    ``target_year`` at today's supply, per facility group of ``supply_types``; cross-source
    duplicates count once. A group with no facility in the processed ``facilities`` table (its
    input file is not configured in 02_facilities) is left out with a message and a note."""
    scheme = outlook.scheme
    groups = supply_groups(supply_types)
    facilities = processed.read_processed("facilities")
    ratios = supply.facilities_per_75(
        facilities, outlook.pop, scheme, groups, population_year=population_year, target_year=target_year
    )
    stage.reconcile("facilities (06)", ratios.attrs["counts"])
    empty = ratios.attrs["empty_groups"]
    for group in empty:
        print(
            f"supply_types {group} ({'+'.join(groups[group])}): no facility of these types in the facilities table "
            f"(is their input file, e.g. jigyosho_{groups[group][0]}.csv, configured in 02_facilities?): "
            f"left out of the table and figure"
        )
    if ratios.empty:
        print("no facility of any of the supply_types: the facilities-per-75+ table and figure are not published")
        return ratios
    missing_note = f"{'、'.join(empty)}は施設データに該当施設がないため表示しない。" if empty else ""
    as_of = processed.read_attrs("facilities").get("reference_date")
    when = f"施設は{as_of_label(as_of)}。" if as_of else ""
    named = "".join(f"{g}＝{GROUP_NOTES[g]}。" for g in groups if g in GROUP_NOTES and g not in empty)
    sources = [*outlook.sources, FACILITY_SOURCE]
    table = published.supply_table(ratios, population_year=population_year, target_year=target_year)
    stage.table(
        table,
        f"06_facilities_per_75_{scheme.id}",
        title=f"{rates.RATE_LABEL}施設数（現在と{target_year}年）",
        sheet=f"10万人当たり施設数_{scheme.label}",
        sources=sources,
        note=f"現在の値は施設数を{population_year}年の75歳以上人口で、{target_year}年は現在の施設数を"
        f"{target_year}年の推計75歳以上人口で割った値。{named}{missing_note}",
    )
    fig = demand_figures.plot_facilities_per_75(
        ratios,
        scheme,
        groups=[g for g in groups if g not in empty],
        population_year=population_year,
        target_year=target_year,
        sources=sources,
        note=when + named + missing_note,
    )
    rate_columns = [c for c in table.columns if rates.RATE_LABEL in c]  # now and in the target year
    stage.figure(
        fig,
        f"06_facilities_per_75_{scheme.id}",
        table=f"06_facilities_per_75_{scheme.id}",
        chart=[
            charts.one_panel(
                table, "圏域", rate_columns, where=[("施設種別", g)], title=g, unit=rates.RATE_LABEL, measure="施設数"
            )
            for g in groups
            if g not in empty
        ],
    )
    return table[table["圏域"] == aggregate.PREFECTURE_AREA]


def scheme_comparison(stage: Stage, outlook: Outlook, comparison_scheme: str, *, base_year: int) -> pd.DataFrame:
    """The same demand indices under a second (draft) area scheme, on one scale."""
    comparison = areas.load_scheme(comparison_scheme)
    for clash in areas.colour_clashes(outlook.scheme, comparison):  # the figure would mislead: say so
        print(f"warning: {clash} (data/raw/reference/areas/{comparison.id}.yml)")
    index = demand.demand_index(
        aggregate.with_prefecture(aggregate.area_population(outlook.pop, comparison)),
        outlook.weights,
        base_year=base_year,
    )
    sources = [*outlook.sources, outlook.weights.source]
    table = published.index_table(index, scheme_label=comparison.label)
    stage.table(
        table,
        f"06_demand_index_{comparison.id}",
        title=f"医療・介護需要指数（{comparison.label}別、{base_year}年＝100）",
        sheet=f"需要指数_{comparison.label}",
        sources=sources,
        note=comparison.note or None,
    )
    for index_id in [i.id for i in outlook.weights.indices]:
        fig = demand_figures.plot_scenario_comparison(
            outlook.index, outlook.scheme, index, comparison, index_id=index_id, sources=sources, base_year=base_year
        )
        stage.figure(fig, f"06_scheme_comparison_{index_id}_{outlook.scheme.id}_vs_{comparison.id}")
    stage.rows["comparison_index"] = len(index)
    return table
