"""The canonical population table (人口表): one row per unit x year x 5-year age band, 58 units.

Every reader returns this shape (``municipality_code, year, age_band, population``) and the
processed table ``population_by_unit`` holds it. Terms: docs/glossary.md.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from homecare.population.bands import AGE_BANDS

COLUMNS = ["municipality_code", "year", "age_band", "population"]
PROCESSED_NAME = "population_by_unit"

POPULATION_SCHEMA = pa.DataFrameSchema(
    {
        "municipality_code": pa.Column(str, pa.Check.str_matches(r"^14\d{3}$")),
        "year": pa.Column(int, pa.Check.between(1900, 2100)),
        "age_band": pa.Column(str, pa.Check.isin(list(AGE_BANDS))),
        "population": pa.Column(float, pa.Check.ge(0)),
    },
    strict=True,
    unique=["municipality_code", "year", "age_band"],
)


def sort_population(df: pd.DataFrame) -> pd.DataFrame:
    """Rows in code, year, band order (bands young to old), index reset: outputs are deterministic."""
    order = {b: i for i, b in enumerate(AGE_BANDS)}
    out = df.assign(_band=df["age_band"].map(order)).sort_values(["municipality_code", "year", "_band"])
    return out.drop(columns="_band").reset_index(drop=True)
