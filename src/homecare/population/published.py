"""Publication tables of the demand outlook (需要見通しの公表表): Japanese headers with units,
rounded for reading (persons to whole persons, rates to three significant figures); the
unrounded numbers stay in the processed layer and the code. Terms: docs/glossary.md."""

from __future__ import annotations

import pandas as pd

from homecare.population import rates
from homecare.population.aggregate import PREFECTURE_AREA
from homecare.reference.areas import AreaScheme


def _year(y: int) -> str:
    return f"{int(y)}年"


def population_table(shares: pd.DataFrame) -> pd.DataFrame:
    """圏域別の人口と高齢化率 from :func:`homecare.population.aggregate.aged_shares`."""
    out = pd.DataFrame(
        {
            "圏域": shares["area"],
            "年": shares["year"].map(_year),
            "総人口（人）": shares["total"].round().astype("int64"),
            "65歳以上人口（人）": shares["aged65"].round().astype("int64"),
            "75歳以上人口（人）": shares["aged75"].round().astype("int64"),
            "高齢化率（%）": (100 * shares["share65"]).round(1),
            "75歳以上人口割合（%）": (100 * shares["share75"]).round(1),
        }
    )
    return out.reset_index(drop=True)


def index_table(index: pd.DataFrame, *, scheme_label: str | None = None) -> pd.DataFrame:
    """需要指数 wide by year (one row per index and area, 基準年 = 100), areas in display order."""
    wide = index.pivot_table(
        index=["index_id", "index_label", "area_order", "area"], columns="year", values="index", sort=False
    )
    order = list(dict.fromkeys(index["index_id"]))
    wide = wide.reset_index()
    wide = wide.assign(_i=wide["index_id"].map(order.index)).sort_values(["_i", "area_order"])
    out = pd.DataFrame({"指数": wide["index_label"].to_numpy(), "圏域": wide["area"].to_numpy()})
    if scheme_label is not None:
        out.insert(0, "圏域区分", scheme_label)
    for year in sorted(c for c in wide.columns if isinstance(c, int)):
        out[f"{_year(year)}（指数）"] = wide[year].round(1).to_numpy()
    return out


def supply_table(supply: pd.DataFrame, *, population_year: int, target_year: int) -> pd.DataFrame:
    """75歳以上人口10万人当たり施設数 now (``population_year``) and in ``target_year`` at today's
    supply, from :func:`homecare.population.supply.facilities_per_75`; rates to three
    significant figures."""
    return pd.DataFrame(
        {
            "施設種別": supply["facility_group"],
            "施設種別コード": supply["facility_types"],
            "圏域": supply["area"],
            "施設数（施設）": supply["facilities"],
            rates.population_header(population_year): supply["aged75_now"].round().astype("int64"),
            rates.population_header(target_year): supply["aged75_target"].round().astype("int64"),
            rates.rate_header("施設数", population_year): rates.published_rate(supply["rate_now"]),
            rates.rate_header("現在の施設数のまま", target_year): rates.published_rate(supply["rate_target"]),
            "増減率（%）": supply["change_pct"].round(1),
        }
    ).reset_index(drop=True)


def aged75_table(population: pd.DataFrame, scheme: AreaScheme, years: list[int]) -> pd.DataFrame:
    """75歳以上人口（人、男女計）per area of ``scheme`` and for 神奈川県, one column per year: the
    denominators of every rate, from :func:`homecare.population.rates.aged75_by_area`."""
    out = pd.DataFrame({scheme.label: [*scheme.area_names, PREFECTURE_AREA]})
    for year in sorted(set(years)):
        aged = rates.aged75_by_area(population, scheme, year)[0].reindex(scheme.area_names)
        out[rates.population_header(year)] = [*aged.round().astype("int64"), int(round(float(aged.sum())))]
    return out
