"""The canonical population table (人口表): one row per unit x year x sex x 5-year age band,
58 units.

Every reader returns this shape (``municipality_code, year, sex, age_band, population``) and the
processed table ``population_by_unit`` holds it. ``sex`` is ``total`` (男女計, always present)
and, when the source splits the sexes, ``male`` (男) and ``female`` (女) as well: rows of
different sexes overlap, so a sum over the table must pick one sex (``total`` for persons).
Terms: docs/glossary.md.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from homecare.population.bands import AGE_BANDS, SEXES

COLUMNS = ["municipality_code", "year", "sex", "age_band", "population"]
KEY = ["municipality_code", "year", "sex", "age_band"]
PROCESSED_NAME = "population_by_unit"
QA_NAME = "population_by_unit_qa"

# A count of persons in one unit, year, sex and band (or a whole city or the prefecture in a
# source table): the prefecture holds about 9.2 million, so ten million is beyond any cell.
MAX_PERSONS = 10_000_000


def implausible_count(value: float) -> str:
    """Why a published population count is not plausible ('' when it is): counts of persons are
    whole numbers from 0 to :data:`MAX_PERSONS`."""
    if value != value:
        return "not a number"
    if value < 0:
        return "negative population"
    if value > MAX_PERSONS:  # before the whole-number test: inf has no int
        return f"more persons than the whole prefecture could hold (limit {MAX_PERSONS:,})"
    if value != int(value):
        return "not a whole number of persons"
    return ""


POPULATION_SCHEMA = pa.DataFrameSchema(
    {
        "municipality_code": pa.Column(str, pa.Check.str_matches(r"^14\d{3}$")),
        "year": pa.Column(int, pa.Check.between(1900, 2100)),
        "sex": pa.Column(str, pa.Check.isin(list(SEXES))),
        "age_band": pa.Column(str, pa.Check.isin(list(AGE_BANDS))),
        "population": pa.Column(float, pa.Check.in_range(0, MAX_PERSONS)),
    },
    strict=True,
    unique=KEY,
)


def sort_population(df: pd.DataFrame) -> pd.DataFrame:
    """Rows in code, year, sex (total, male, female), band (young to old) order, index reset:
    outputs are deterministic."""
    band = {b: i for i, b in enumerate(AGE_BANDS)}
    sex = {s: i for i, s in enumerate(SEXES)}
    out = df.assign(_sex=df["sex"].map(sex), _band=df["age_band"].map(band)).sort_values(
        ["municipality_code", "year", "_sex", "_band"]
    )
    return out.drop(columns=["_sex", "_band"]).reset_index(drop=True)


def totals(pop: pd.DataFrame) -> pd.DataFrame:
    """The 男女計 rows (``sex == 'total'``): persons, whatever sexes the table splits."""
    return pop[pop["sex"] == SEXES[0]]
