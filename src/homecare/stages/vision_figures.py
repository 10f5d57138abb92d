"""Stage 05 地域医療構想に向けた図表: the figure and table set for council documents (協議会資料).

目標III scores by insurer and area, the indicator profile, facilities by area (and per 10万人
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
from homecare.figures import cooperation, facilities, ict, indicators, scores
from homecare.population import read as population_read
from homecare.population.rates import aged75_by_area
from homecare.publish import disclosure
from homecare.reference import areas, geo, seed
from homecare.stages.base import Stage

SECTIONS = ("goal3_score", "goal3_indicators", "facilities", "cooperation", "ict")
SAMPLE_POPULATION_LABEL = "サンプル人口表（架空）"


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
    """目標III得点: table, map, ranked chart and change from the previous year per fiscal year."""
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
    return table


def goal3_indicators(stage: Stage, base: MapBase, fiscal_years: list[int], *, by_municipality: bool) -> None:
    """指標別得点率 per area (and per insurer): table and heatmap per fiscal year."""
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
                note="得点率＝得点の合計÷満点の合計",
            )
            for fy in fiscal_years:
                stage.figure(
                    indicators.plot_indicator_profile(by_indicator, base.scheme, fy, level=level),
                    f"{name}_{fy}",
                    table=name,
                )


def facility_maps(stage: Stage, base: MapBase) -> None:
    """施設の分布図 and 施設数 by area (read from the processed ``facilities`` table)."""
    with stage.section():
        fac = processed.read_processed("facilities")
        stage.figure(
            facilities.plot_facility_map(fac, base.units, base.scheme, base.prefectures),
            "05_facilities_map",
            table="05_facilities",
        )
        stage.figure(facilities.plot_facility_counts(fac, base.scheme), "05_facilities_counts", table="05_facilities")


def facility_rates(stage: Stage, base: MapBase, population_year: int) -> pd.DataFrame:
    """施設数 and 75歳以上人口10万人当たり施設数 by area (:mod:`homecare.population.rates`: the
    population of ``population_year``, 男女計, from the processed ``population_by_unit`` of
    stage 04; the facility groups of :data:`homecare.figures.facilities.FACILITY_GROUPS`):
    table and figure."""
    with stage.section():
        fac = processed.read_processed("facilities")
        population = population_read.read_population_by_unit()
        sample = processed.read_meta(population_read.PROCESSED_NAME).get("sample", False)
        pop_source = SAMPLE_POPULATION_LABEL if sample else population_read.processed_source_label()
        aged = aged75_by_area(population, base.scheme, population_year)
        table = facilities.facility_counts_table(fac, base.scheme, aged)
        stage.table(
            table,
            "05_facilities",
            title=f"{base.scheme.label}別の医療・介護施設数",
            sources=[*facilities.FACILITY_SOURCES, f"人口：{pop_source}"],
            sheet="施設数（圏域別）",
        )
        fig = facilities.plot_facility_counts(fac, base.scheme, aged, population_source=pop_source)
        stage.figure(fig, "05_facilities_per_aged75", table="05_facilities")
    return table


def cooperation_status(stage: Stage) -> pd.DataFrame:
    """協力医療機関の届出状況 (council figures, 令和7年8月1日時点): table and figure."""
    with stage.section():
        status = seed.load_cooperation_status()
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
        )
    return table


def ict_networks(stage: Stage, base: MapBase) -> pd.DataFrame:
    """ICT連携ネットワーク: participants by facility type (参加住民数 under disclosure control) and the
    units each network covers."""
    with stage.section():
        networks, coverage = seed.load_ict_networks(), seed.load_ict_coverage()
        rules = disclosure.load_rules()
        participants = disclosure.suppress_small_counts(
            ict.ict_participants_table(networks.data), ["参加住民数（人）"], rules=rules
        ).table
        cover = ict.ict_coverage_table(coverage.data, base.scheme)
        stage.table(
            participants,
            "05_ict_participants",
            title="ICT連携ネットワークの参加施設数",
            sources=[seed.SEED_SOURCE + " 協議事項(2)"],
            sheet="ICT参加施設",
            note=disclosure.note(rules),
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
        stage.figure(
            ict.plot_ict_participants(networks.data, shown), "05_ict_participants", table="05_ict_participants"
        )
        stage.figure(
            ict.plot_ict_coverage_map(coverage.data, base.units, base.scheme, base.prefectures),
            "05_ict_coverage_map",
            table="05_ict_coverage",
        )
    return participants
