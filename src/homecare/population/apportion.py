"""Apportioning designated-city totals to wards (政令指定都市の区への按分).

Where a source gives only a city total (e.g. a projection table without ward rows), ward
numbers are estimated from a base table that has wards (国勢調査 or 住民基本台帳 by ward).
The rule is a stated parameter, never implicit:

- ``base_year_band_share`` (default): each ward keeps its base-year share of the city
  **within each age band** (ward 75+ grows like the city's 75+).
- ``base_year_total_share``: each ward keeps its base-year share of the city's total
  population in every band (ignores that wards age differently; use only without bands).

Shares come from the base table's 男女計 rows and apply to every sex the city rows give.
Ward results always add up exactly (up to float rounding) to the city numbers.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import pandas as pd

from homecare.core.errors import InputError
from homecare.population.bands import SEX_TOTAL
from homecare.reference import municipalities

RULES = ("base_year_band_share", "base_year_total_share")
DEFAULT_RULE = "base_year_band_share"


def ward_shares(ward_base: pd.DataFrame, city: str, *, base_year: int, rule: str) -> pd.DataFrame:
    """Each ward's share of ``city`` in ``base_year`` under ``rule``: ``municipality_code, age_band, share``
    (``age_band`` is ``*`` for the total-share rule)."""
    if rule not in RULES:
        raise InputError(f"unknown apportioning rule {rule!r}; use one of {', '.join(RULES)}")
    wards = sorted(municipalities.units().loc[lambda d: d["parent_code"] == city, "municipality_code"])
    if not wards:
        raise InputError(f"{city} is not a designated city with wards")
    if "sex" in ward_base.columns:
        ward_base = ward_base[ward_base["sex"] == SEX_TOTAL]
    base = ward_base[(ward_base["municipality_code"].isin(wards)) & (ward_base["year"] == base_year)]
    missing = sorted(set(wards) - set(base["municipality_code"]))
    if missing:
        raise InputError(f"ward base data for {base_year} lacks wards {missing} of {city}: cannot apportion")
    if rule == "base_year_total_share":
        by_ward = base.groupby("municipality_code", as_index=False)["population"].sum()
        by_ward["share"] = by_ward["population"] / by_ward["population"].sum()
        return by_ward.assign(age_band="*")[["municipality_code", "age_band", "share"]]
    by_band = base.groupby(["municipality_code", "age_band"], as_index=False)["population"].sum()
    band_total = by_band.groupby("age_band")["population"].transform("sum")
    if (band_total <= 0).any():
        empty = sorted(set(by_band.loc[band_total <= 0, "age_band"]))
        raise InputError(
            f"{city} has no base-year population in bands {empty}: band shares undefined (use base_year_total_share)"
        )
    by_band["share"] = by_band["population"] / band_total
    return by_band[["municipality_code", "age_band", "share"]]


def apportion_to_wards(
    city_rows: pd.DataFrame,
    ward_base: pd.DataFrame,
    *,
    base_year: int = 2020,
    rule: str = DEFAULT_RULE,
) -> pd.DataFrame:
    """Ward rows (canonical columns) from one designated city's rows (``municipality_code``
    = the city, ``year, sex, age_band, population``; ``sex`` optional) and the wards'
    base-year shares."""
    cities = set(city_rows["municipality_code"])
    if len(cities) != 1:
        raise InputError(f"apportion one designated city at a time, got {sorted(cities)}")
    city = cities.pop()
    shares = ward_shares(ward_base, city, base_year=base_year, rule=rule)
    if "sex" not in city_rows.columns:
        city_rows = city_rows.assign(sex=SEX_TOTAL)
    rows = city_rows[["year", "sex", "age_band", "population"]].rename(columns={"population": "city_population"})
    if rule == "base_year_total_share":
        out = rows.merge(shares.drop(columns="age_band"), how="cross")
    else:
        out = rows.merge(shares, on="age_band", how="left", validate="m:m")
        if out["share"].isna().any():
            raise InputError(
                f"ward base data lacks bands {sorted(set(out.loc[out['share'].isna(), 'age_band']))} for {city}"
            )
    out["population"] = out["city_population"] * out["share"]
    return out[["municipality_code", "year", "sex", "age_band", "population"]].reset_index(drop=True)
