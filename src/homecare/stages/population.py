"""Stage 04 人口表: read the population source once (IPSS workbooks or the population CSV),
check it, and write the one processed table ``population_by_unit`` that every later
figure divides by. Terms: docs/glossary.md."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from homecare.core import paths, processed
from homecare.core.errors import InputError
from homecare.population import read
from homecare.population.schemas import COLUMNS, POPULATION_SCHEMA, PROCESSED_NAME, sort_population
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
    """Read, check (58 units, every year and band, published totals) and write
    ``data/processed/population_by_unit``; its meta records the 出典 line of the source."""
    pop = read.load_population(
        population_source,
        population_format,
        ward_base_csv=ward_base_csv,
        apportion_rule=apportion_rule,
        base_year=base_year,
    )
    years = sorted(set(pop["year"].astype(int)))
    if base_year not in years:
        raise InputError(
            f"the population table has no rows for the base year {base_year} (years: {years}); "
            f"later stages divide by and index against it: wrong file, or set base_year",
            file=paths.relative(paths.resolve(population_source)),
            column="year",
        )
    write(pop, source_label=read.source_label(population_format), population_format=population_format)
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
    """神奈川県 population per year, for a first look."""
    return pop.pivot_table(index="year", values="population", aggfunc="sum").rename(
        columns={"population": "神奈川県（人）"}
    )
