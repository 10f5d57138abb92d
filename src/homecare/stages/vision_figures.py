"""Stage 05 地域医療構想に向けた図表: the figure and table set for council documents (協議会資料).

目標III scores by insurer and area against 全国平均 and 県平均, the comparison of every insurer
with the nation and the 「著しく得点の低い」 threshold, the indicator profile and the items
missed although most insurers score them, facilities by area (and per 10万人
aged 75+ from the one population table), 協力医療機関の届出状況 and the ICT networks (council
seed figures). Each function is one section of the notebook: it reads what it needs from
``data/processed`` or the seed files inside :meth:`Stage.section`, so each output's サンプルデータ
mark follows its own inputs. Terms: docs/glossary.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from homecare.core import processed
from homecare.core.dates import reiwa_fiscal_year
from homecare.figures import charts, cooperation, facilities, ict, indicators, scores
from homecare.population import read as population_read
from homecare.population.rates import RATE_LABEL, aged75_by_area, rate_header
from homecare.publish import disclosure, unit_profile
from homecare.reference import areas, geo, seed
from homecare.scores import published
from homecare.scores.totals import FOCUS_MEASURES
from homecare.stages.base import Stage

SECTIONS = ("goal3_score", "goal3_indicators", "facilities", "cooperation", "ict", "unit_profile")


@dataclass(frozen=True)
class MapBase:
    """What every map of the stage draws on: the scheme, the unit polygons, the prefectures."""

    scheme: areas.AreaScheme
    units: gpd.GeoDataFrame
    prefectures: gpd.GeoDataFrame


def map_base(area_scheme: str) -> MapBase:
    """The area scheme and the boundaries, loaded once for the stage."""
    return MapBase(areas.load_scheme(area_scheme), geo.load_units(), geo.load_prefectures())


def wanted(figures: list[str], section: str) -> bool:
    """Whether the ``figures`` parameter (``["all"]`` or section names) selects ``section``."""
    unknown = sorted(set(figures) - {"all", *SECTIONS})
    if unknown:
        raise ValueError(f"unknown figure sections {unknown}; choose from all, {', '.join(SECTIONS)}")
    return "all" in figures or section in figures


def goal3_scores(stage: Stage, base: MapBase, fiscal_years: list[int]) -> pd.DataFrame:
    """目標III得点: table, map, ranked chart and change from the previous year per fiscal year;
    the comparison of every insurer with 全国平均, 県平均 and its size class (支援 目標Ⅲ and
    推進・支援合計) and the national distribution with the 「著しく得点の低い」 threshold."""
    with stage.section():
        summary = processed.read_processed("goal3_summary")
        table = scores.goal3_score_table(summary, base.scheme, fiscal_years)
        stage.table(
            table,
            "05_goal3_score",
            title="目標III（在宅医療・介護連携）得点（保険者別）",
            sources=[scores.SCORE_SOURCE],
            sheet="目標III得点",
        )
        for fy in fiscal_years:
            stage.figure(
                scores.plot_goal3_score_map(summary, base.units, base.scheme, fy, base.prefectures),
                f"05_goal3_score_map_{fy}",
                table="05_goal3_score",
            )
            stage.figure(
                scores.plot_goal3_score_rank(summary, base.scheme, fy),
                f"05_goal3_score_rank_{fy}",
                table="05_goal3_score",
            )
            if summary.loc[summary["fiscal_year"] == fy, "change_from_previous"].notna().any():
                stage.figure(
                    scores.plot_goal3_score_change(summary, base.scheme, fy),
                    f"05_goal3_score_change_{fy}",
                    table="05_goal3_score",
                )
    score_comparison(stage, base, fiscal_years)
    return table


def score_comparison(stage: Stage, base: MapBase, fiscal_years: list[int]) -> None:
    """全国比較: each insurer against 全国平均, 県平均 and its size class, with national rank,
    and the national distribution of 推進・支援合計 with the 「著しく得点の低い」 threshold."""
    with stage.section():
        comparison = processed.read_processed("score_comparison")
        focus = comparison[comparison["measure"].isin(FOCUS_MEASURES) & comparison["fiscal_year"].isin(fiscal_years)]
        stage.table(
            published.comparison(focus, reiwa_fiscal_year),
            "05_score_comparison",
            title="目標III・推進・支援合計の得点と全国・県・同規模の平均、順位（保険者別）",
            sources=[scores.SCORE_SOURCE],
            sheet="全国比較",
            note=published.COMPARISON_NOTE,
        )
        for fy in fiscal_years:
            stage.figure(
                scores.plot_score_comparison(comparison, base.scheme, fy, FOCUS_MEASURES),
                f"05_score_comparison_{fy}",
                table="05_score_comparison",
            )
    with stage.section():
        national = processed.read_processed("national_measures")
        comparison = processed.read_processed("score_comparison")
        thresholds = processed.read_processed("low_score_threshold")
        focus = thresholds[thresholds["measure"].isin(FOCUS_MEASURES) & thresholds["fiscal_year"].isin(fiscal_years)]
        stage.table(
            published.low_score_thresholds(focus, reiwa_fiscal_year),
            "05_low_score_threshold",
            title="「著しく得点の低い」水準とそれを下回る保険者（目標III・推進・支援合計）",
            sources=[scores.SCORE_SOURCE],
            sheet="著しく低い水準",
        )
        for fy in fiscal_years:
            stage.figure(
                scores.plot_score_distribution(national, comparison, fy, "合計"),
                f"05_score_distribution_{fy}",
                table="05_low_score_threshold",
            )


def goal3_indicators(stage: Stage, base: MapBase, fiscal_years: list[int], *, by_municipality: bool) -> None:
    """指標別得点率 per area (and per insurer) with 県平均 and 全国平均: table and heatmap per
    fiscal year; the 目標III items insurers miss although most insurers nationally score them."""
    with stage.section():
        by_indicator = processed.read_processed("goal3_by_indicator")
        for level in ["area", "municipality"] if by_municipality else ["area"]:
            name = f"05_goal3_indicators_{level}"
            table = pd.concat(
                [indicators.indicator_profile_table(by_indicator, base.scheme, fy, level) for fy in fiscal_years],
                ignore_index=True,
            )
            stage.table(
                table,
                name,
                title=f"目標III 指標別得点率（{'圏域' if level == 'area' else '保険者'}別）",
                sources=[scores.SCORE_SOURCE],
                note="得点率＝得点の合計÷満点の合計。全国平均＝全国の平均点÷配点。得点は保険者単位（同じ保険者だけの圏域は1行）",
            )
            parts = [None] if level == "area" else indicators.insurer_parts(base.scheme)
            for fy in fiscal_years:
                for k, part in enumerate(parts, start=1):  # insurers: one slide per run of areas
                    stage.figure(
                        indicators.plot_indicator_profile(by_indicator, base.scheme, fy, level=level, areas=part),
                        f"{name}_{fy}" + (f"_{k}" if len(parts) > 1 else ""),
                        table=name,
                    )
    with stage.section():
        item_scores = processed.read_processed("insurer_scores")
        benchmark = processed.read_processed("national_benchmark")
        missed = processed.read_processed("goal3_missed_items")
        threshold = float(processed.read_attrs("goal3_missed_items").get("common_item_threshold", 0.5))
        table = pd.concat(
            [indicators.missed_items_table(item_scores, benchmark, missed, base.scheme, fy) for fy in fiscal_years],
            ignore_index=True,
        )
        stage.table(
            table,
            "05_goal3_missed_items",
            title=f"目標III 項目別の得点状況（全国の{threshold:.0%}以上が得点している項目の0点＝×）",
            sources=[scores.SCORE_SOURCE],
            sheet="目標III項目別",
            note="○得点あり、×0点（全国の該当率が基準以上）、－0点（基準未満）。最後の2行は全国平均・県平均の該当率（得点した保険者の割合、％）。",
        )
        parts = indicators.insurer_parts(base.scheme)
        for fy in fiscal_years:
            for k, part in enumerate(parts, start=1):
                stage.figure(
                    indicators.plot_goal3_missed_items(
                        item_scores, benchmark, missed, base.scheme, fy, threshold=threshold, areas=part
                    ),
                    f"05_goal3_missed_items_{fy}" + (f"_{k}" if len(parts) > 1 else ""),
                    table="05_goal3_missed_items",
                )


def facility_date() -> str | None:
    """The facility files' date (時点) that stage 02 kept in the ``facilities`` meta, if any."""
    return processed.read_attrs("facilities").get("reference_date") or None


def facility_maps(stage: Stage, base: MapBase) -> None:
    """施設の分布図 (two facility groups per figure, :data:`homecare.figures.facilities.MAP_SETS`)
    and 施設数 by area (read from the processed ``facilities`` table)."""
    with stage.section():
        fac = processed.read_processed("facilities")
        as_of = facility_date()
        for key, groups in facilities.MAP_SETS.items():
            stage.figure(
                facilities.plot_facility_map(
                    fac, base.units, base.scheme, base.prefectures, groups=groups, as_of=as_of
                ),
                f"05_facilities_map_{key}",
                table="05_facilities",
            )
        counts = facilities.facility_counts_table(fac, base.scheme)
        stage.figure(
            facilities.plot_facility_counts(fac, base.scheme, as_of=as_of),
            "05_facilities_counts",
            table="05_facilities",
            chart=_facility_charts(counts, base.scheme, [f"{g}（施設）" for g in facilities.MAP_GROUPS], "施設"),
        )


def _facility_charts(
    table: pd.DataFrame, scheme: areas.AreaScheme, columns: list[str], unit: str
) -> list[charts.ChartSpec]:
    """One native chart per facility group of the figure, a bar per area in the area's colour;
    rates add 県計 (the prefecture's rate, a reference bar), counts leave it out (it would dwarf
    the areas)."""
    counts = unit == "施設"
    return charts.per_column(
        table,
        scheme.label,
        columns,
        exclude=[(scheme.label, facilities.UNKNOWN_AREA), *([(scheme.label, "県計")] if counts else [])],
        unit=unit,
        number_format=charts.COUNT_FORMAT if counts else charts.RATE_FORMAT,
        colors={**scheme.colors, "県計": charts.TOTAL_COLOR},
        measure=unit,  # one scale for every facility group, as in the figure
    )


def facility_rates(stage: Stage, base: MapBase, population_year: int) -> pd.DataFrame:
    """施設数 and 75歳以上人口10万人当たり施設数 by area (:mod:`homecare.population.rates`: the
    population of ``population_year``, 男女計, from the processed ``population_by_unit`` of
    stage 04; the facility groups of :data:`homecare.figures.facilities.FACILITY_GROUPS`):
    table and figure."""
    with stage.section():
        fac = processed.read_processed("facilities")
        population = population_read.read_population_by_unit()
        pop_source = population_read.processed_source_label()  # a sample table says so
        aged = aged75_by_area(population, base.scheme, population_year)
        table = facilities.facility_counts_table(fac, base.scheme, aged)
        stage.table(
            table,
            "05_facilities",
            title=f"{base.scheme.label}別の医療・介護施設数",
            sources=[*facilities.FACILITY_SOURCES, f"人口：{pop_source}"],
            sheet="施設数（圏域別）",
        )
        fig = facilities.plot_facility_counts(
            fac, base.scheme, aged, population_source=pop_source, as_of=facility_date()
        )
        rate_columns = [rate_header(g, aged[1]) for g in facilities.MAP_GROUPS]
        stage.figure(
            fig,
            "05_facilities_per_aged75",
            table="05_facilities",
            chart=_facility_charts(table, base.scheme, rate_columns, RATE_LABEL),
        )
    return table


def unit_profiles(
    stage: Stage, base: MapBase, fiscal_years: list[int], *, base_year: int, population_year: int, target_year: int
) -> pd.DataFrame:
    """区市町村プロファイル (:mod:`homecare.publish.unit_profile`): per unit its area, its
    insurer's 目標III score against 全国平均 and 県平均 (the latest fiscal year), facility
    counts and rates, and the population aged 75+ in the base, population and target years;
    the table the index page's map panel shows."""
    with stage.section():
        table = unit_profile.unit_profile_table(
            base.scheme,
            processed.read_processed("goal3_summary"),
            processed.read_processed("facilities"),
            population_read.read_population_by_unit(),
            fiscal_year=max(fiscal_years),
            base_year=base_year,
            population_year=population_year,
            target_year=target_year,
        )
        stage.table(
            table,
            "05_unit_profile",
            title="区市町村プロファイル（圏域、保険者の目標III得点、施設数、75歳以上人口）",
            sources=[
                scores.SCORE_SOURCE,
                *facilities.FACILITY_SOURCES,
                f"人口：{population_read.processed_source_label()}",
            ],
            note="区の得点・順位は市（保険者）の値。施設数は区市町村の分かる施設（重複を除く）。",
            sheet="区市町村プロファイル",
        )
    return table


def cooperation_status(stage: Stage) -> pd.DataFrame:
    """協力医療機関の届出状況 (council figures, 令和7年8月1日時点): table and figure."""
    with stage.section():
        status = seed.load_cooperation_status()
        stage.vintage("協力医療機関の届出状況（協議会資料）", seed.COOPERATION_AS_OF)
        table = cooperation.cooperation_table(status.data)
        note = "".join(f"{d}。" for d in status.discrepancies) or None
        stage.table(
            table,
            "05_cooperation_status",
            title="協力医療機関の届出状況（県域、令和7年8月1日時点）",
            sources=[seed.SEED_SOURCE + " 資料3"],
            note=note,
            sheet="協力医療機関",
        )
        stage.figure(
            cooperation.plot_cooperation_status(status.data, discrepancies=status.discrepancies),
            "05_cooperation_status",
            table="05_cooperation_status",
            chart=charts.one_panel(
                table, "施設種別", ["全要件（%）", "一部要件（%）", "その他（%）"], kind="stacked", unit="%"
            ),
        )
    return table


def ict_networks(stage: Stage, base: MapBase) -> pd.DataFrame:
    """ICT連携ネットワーク: participants by facility type (参加住民数 under disclosure control) and the
    units each network covers."""
    with stage.section():
        networks, coverage = seed.load_ict_networks(), seed.load_ict_coverage()
        participants = disclosure.suppress_small_counts(
            ict.ict_participants_table(networks.data), ["参加住民数（人）"], rules=stage.rules
        ).table
        cover = ict.ict_coverage_table(coverage.data, base.scheme)
        stage.table(
            participants,
            "05_ict_participants",
            title="ICT連携ネットワークの参加施設数",
            sources=[seed.SEED_SOURCE + " 協議事項(2)"],
            sheet="ICT参加施設",
            note=disclosure.note(stage.rules),
        )
        stage.table(
            cover,
            "05_ict_coverage",
            title="ICT連携ネットワークの対象地域（区市町村）",
            sources=[seed.SEED_SOURCE + " 協議事項(2)"],
            sheet="ICT対象地域",
            note="根拠が「地域名の解釈（要確認）」の行は資料の地域名からの解釈",
        )
        shown = dict(zip(participants["ネットワーク"], participants["参加住民数（人）"], strict=True))
        types = [c for c in participants.columns if c.endswith("（施設）") and not c.startswith("参加施設数")]
        stage.figure(
            ict.plot_ict_participants(networks.data, shown),
            "05_ict_participants",
            table="05_ict_participants",
            chart=charts.per_group(
                participants,
                "ネットワーク",
                "ネットワーク",
                types,
                kind="barh",
                number_format=charts.COUNT_FORMAT,
                measure="参加施設数",
            ),
        )
        stage.figure(
            ict.plot_ict_coverage_map(coverage.data, base.units, base.scheme, base.prefectures),
            "05_ict_coverage_map",
            table="05_ict_coverage",
        )
    return participants
