"""Rates per population aged 75+ (75歳以上人口当たり): one convention for every figure.

Every per-capita number the project publishes divides a count by the population aged 75+
of the same area from the one processed population table (``population_by_unit``, stage
04), for a year the table states. :data:`PER` and :data:`RATE_LABEL` give the unit the
figures and tables print. Terms: docs/glossary.md.
"""

from __future__ import annotations

import pandas as pd

from homecare.core.errors import ParameterError
from homecare.population.aggregate import area_population
from homecare.population.bands import MEASURE_75, bands_of_measure
from homecare.reference.areas import AreaScheme

PER = 1_000  # the unit of every published rate (to become 100,000: issue 13)
RATE_LABEL = "75歳以上人口千人当たり"


def aged75_by_area(population: pd.DataFrame, scheme: AreaScheme, year: int | None = None) -> tuple[pd.Series, int]:
    """Population aged 75+ (75歳以上人口) per area for ``year`` (default: the latest year, which in a
    table holding projections is a future year: pass the year that matches the facility data).
    Aggregation and its checks (every unit present, areas add up) are
    :func:`homecare.population.aggregate.area_population`."""
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
    population is missing or zero)."""
    denominator = aged75.reindex(counts.index).astype(float)
    return counts.astype(float) / denominator.where(denominator > 0) * per
