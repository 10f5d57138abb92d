"""Rates per 100,000 population aged 75+ (75歳以上人口10万人当たり): one convention for every
figure and table.

Every per-capita number the project publishes divides a count by the population aged 75+
(男女計) of the same area from the one processed population table (``population_by_unit``,
stage 04), for a year that the table or figure states (:func:`rate_header`,
:func:`population_header`); published rates have three significant figures
(:func:`homecare.core.labels.round_significant`). :data:`PER` and :data:`RATE_LABEL` give the
unit. Terms: docs/glossary.md.
"""

from __future__ import annotations

import pandas as pd

from homecare.core.errors import ParameterError
from homecare.core.labels import round_significant
from homecare.population.aggregate import area_population
from homecare.population.bands import MEASURE_75, bands_of_measure
from homecare.reference.areas import AreaScheme

PER = 100_000  # the unit of every published rate
RATE_LABEL = "75歳以上人口10万人当たり"


def aged75_by_area(population: pd.DataFrame, scheme: AreaScheme, year: int | None = None) -> tuple[pd.Series, int]:
    """Population aged 75+ (75歳以上人口, 男女計) per area for ``year`` (default: the latest year,
    which in a table holding projections is a future year: pass the year that matches the
    facility data), and that year. Aggregation and its checks (every unit present, areas add
    up) are :func:`homecare.population.aggregate.area_population`."""
    pop_year = int(population["year"].max()) if year is None else int(year)
    rows = population[population["year"] == pop_year]
    if rows.empty:
        raise ParameterError(
            f"population table has no rows for {pop_year}; years: {sorted(population['year'].unique())}"
        )
    by_area = area_population(rows, scheme)
    aged = by_area[by_area["age_band"].isin(bands_of_measure(MEASURE_75))]
    return aged.groupby("area")["population"].sum(), pop_year


def per_aged75(counts: pd.Series, aged75: pd.Series, per: int = PER) -> pd.Series:
    """``counts`` (per area) per ``per`` persons aged 75+ of the same area (NA where the
    population is missing or zero), unrounded."""
    denominator = aged75.reindex(counts.index).astype(float)
    return counts.astype(float) / denominator.where(denominator > 0) * per


def published_rate(rate: pd.Series) -> pd.Series:
    """Rates as tables print them: three significant figures (NA stays NA)."""
    return rate.astype(float).map(round_significant)


def rate_header(subject: str, year: int) -> str:
    """Column header of a rate, naming the unit and the population year:
    ``病院（75歳以上人口10万人当たり、人口は2025年）``."""
    return f"{subject}（{RATE_LABEL}、人口は{year}年）"


def population_header(year: int) -> str:
    """Column header of the denominator: ``75歳以上人口（人、2025年）``."""
    return f"75歳以上人口（人、{year}年）"
