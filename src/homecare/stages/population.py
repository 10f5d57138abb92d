"""Stage 04 人口表: read the population source once (the IPSS 令和5年推計 workbook or the
population CSV), check it, and write the one processed table ``population_by_unit`` (unit x
year x sex x band) that every later figure divides by, with its QA table. Terms: docs/glossary.md."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from homecare.core import paths, processed
from homecare.core.errors import InputError
from homecare.core.qa import QA_SCHEMA, qa_frame, qa_table_ja
from homecare.population import read
from homecare.population.schemas import COLUMNS, POPULATION_SCHEMA, PROCESSED_NAME, QA_NAME, sort_population, totals
from homecare.stages.base import Stage


def load(
    stage: Stage,
    population_source: str,
    population_format: str,
    *,
    ward_base_csv: str = "",
    apportion_rule: str = "base_year_band_share",
    base_year: int = 2020,
) -> pd.DataFrame:
    """Read, check (58 units, every year, sex and band; every published sum) and write
    ``data/processed/population_by_unit`` and its QA table; the meta records the 出典 line of
    the source. Sums that agree only within rounding are published as ``04_population_qa``."""
    with stage.section():
        result = read.load_population(
            population_source,
            population_format,
            ward_base_csv=ward_base_csv,
            apportion_rule=apportion_rule,
            base_year=base_year,
        )
        stage.reconcile(f"population ({population_format})", result.counts)
        pop = result.table
        years = sorted(set(pop["year"].astype(int)))
        if base_year not in years:
            raise InputError(
                f"the population table has no rows for the base year {base_year} (years: {years}); "
                f"later stages divide by and index against it: wrong file, or set base_year",
                file=paths.relative(paths.resolve(population_source)),
                column="year",
            )
        write(pop, source_label=read.source_label(population_format), population_format=population_format)
        stage.vintage(f"人口（{read.source_label(population_format)}）", f"{years[0]}〜{years[-1]}年")
        qa = qa_frame(result.qa)
        processed.write_processed(qa, QA_NAME, schema=QA_SCHEMA)
        if len(qa):
            stage.table(
                qa_table_ja(qa),
                "04_population_qa",
                title="人口表の確認（四捨五入の範囲で一致した合計など）",
                sources=[read.source_label(population_format)],
                sheet="人口表QA",
            )
    stage.rows[PROCESSED_NAME] = len(pop)
    return pop


def write(pop: pd.DataFrame, *, source_label: str, population_format: str) -> Path:
    """``data/processed/population_by_unit`` (validated, sorted) with the 出典 line in its meta."""
    return processed.write_processed(
        sort_population(pop[COLUMNS]),
        PROCESSED_NAME,
        schema=POPULATION_SCHEMA,
        attrs={"source_label": source_label, "format": population_format},
    )


def prefecture_totals(pop: pd.DataFrame) -> pd.DataFrame:
    """神奈川県 population (男女計) per year, for a first look."""
    return (
        totals(pop)
        .pivot_table(index="year", values="population", aggfunc="sum")
        .rename(columns={"population": "神奈川県（人）"})
    )
