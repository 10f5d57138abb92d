"""The unit profile (区市町村プロファイル): one row per unit (58 区市町村) with what the index
page's map panel shows when a unit is clicked (:mod:`homecare.publish.unit_map`).

Per unit: its area under the scheme, its insurer (保険者: the city for a ward of a designated
city) with the insurer's 目標III score against 全国平均 and 県平均 and its rank in the
prefecture, facility counts of the main groups and two rates per 10万人 aged 75+, and the
population aged 75+ in the base year, the population year and the target year with the change.
Nothing is computed here that a figure or table of the run does not compute the same way: the
facility groups are :data:`homecare.figures.facilities.FACILITY_GROUPS`, rates follow
:mod:`homecare.population.rates`, the scores are the processed ``goal3_summary``.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import pandas as pd

from homecare.core.dates import reiwa_fiscal_year
from homecare.figures.common import insurer_of_units
from homecare.figures.facilities import with_groups
from homecare.population import rates
from homecare.population.bands import MEASURE_75, bands_of_measure
from homecare.population.schemas import totals
from homecare.reference import municipalities
from homecare.reference.areas import AreaScheme

PROFILE_GROUPS = ("病院", "診療所", "訪問看護", "特養", "老健")  # the panel stays short
RATE_GROUPS = ("診療所", "訪問看護")
CODE, NAME, AREA = "市区町村コード", "区市町村名", "圏域"


def aged75_by_unit(population: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """75歳以上人口 (男女計) per unit and year: columns ``municipality_code`` and one per year."""
    rows = totals(population)
    rows = rows[rows["age_band"].isin(bands_of_measure(MEASURE_75)) & rows["year"].isin(years)]
    wide = rows.pivot_table(index="municipality_code", columns="year", values="population", aggfunc="sum")
    missing = sorted(set(years) - set(wide.columns))
    if missing:
        raise ValueError(f"the population table has no rows for {missing}")
    return wide[years]


def unit_profile_table(
    scheme: AreaScheme,
    summary: pd.DataFrame,
    facilities: pd.DataFrame,
    population: pd.DataFrame,
    *,
    fiscal_year: int,
    base_year: int,
    population_year: int,
    target_year: int,
) -> pd.DataFrame:
    """The profile of the 58 units in code order (see the module docstring). ``summary`` is the
    processed ``goal3_summary`` (one row per insurer and fiscal year), ``facilities`` the
    processed ``facilities`` table, ``population`` the processed ``population_by_unit``."""
    units = municipalities.units()[["municipality_code", "full_name"]]
    out = units.merge(scheme.assignment()[["municipality_code", "area"]], on="municipality_code", validate="1:1")
    out = out.merge(insurer_of_units(), on="municipality_code", validate="1:1")
    names = municipalities.load_municipalities().set_index("municipality_code")["full_name"]
    out["insurer"] = out["insurer_code"].map(names)

    fy = reiwa_fiscal_year(fiscal_year)
    scores = summary[summary["fiscal_year"] == fiscal_year].set_index("municipality_code")
    n_insurers = len(scores)
    table = pd.DataFrame(
        {
            CODE: out["municipality_code"],
            NAME: out["full_name"],
            AREA: out["area"],
            "保険者": out["insurer"],
            f"目標III 得点（点、{fy}）": out["insurer_code"].map(scores["points"]),
            "目標III 全国平均（点）": out["insurer_code"].map(scores["national_mean"]).round(1),
            "目標III 県平均（点）": out["insurer_code"].map(scores["prefecture_mean"]).round(1),
            f"目標III 県内順位（位、{n_insurers}保険者中）": out["insurer_code"].map(scores["rank"]).astype("Int64"),
        }
    )

    grouped = with_groups(facilities, scheme)
    counts = grouped.pivot_table(
        index="municipality_code", columns="group", values="facility_id", aggfunc="count", fill_value=0
    )
    counts = counts.reindex(index=out["municipality_code"], columns=list(PROFILE_GROUPS), fill_value=0).astype(int)
    for group in PROFILE_GROUPS:
        table[f"{group}（施設）"] = counts[group].to_numpy()

    years = list(dict.fromkeys([base_year, population_year, target_year]))
    aged = aged75_by_unit(population, years).reindex(out["municipality_code"])
    for group in RATE_GROUPS:
        rate = rates.per_aged75(pd.Series(counts[group].to_numpy()), pd.Series(aged[population_year].to_numpy()))
        table[rates.rate_header(group, population_year)] = rates.published_rate(rate).to_numpy()
    for year in years:
        table[rates.population_header(year)] = aged[year].round().astype("Int64").to_numpy()
    change = 100 * (aged[target_year] / aged[base_year] - 1)
    table[f"75歳以上人口の増減率（%、{base_year}→{target_year}年）"] = change.round(1).to_numpy()
    return table.reset_index(drop=True)
